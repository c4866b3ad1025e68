"""Idea Gateway: what every handler shares (ids, amounts, balances, ownership, lifecycle start)."""

from __future__ import annotations

import uuid
from typing import Any

from simulator.engine.context import Ctx
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.lifecycle import Plan
from simulator.sim import Sim
from simulator.store.base import Record

P = "ideagateway"
INDEX = "tx_index"  # gateway id -> the store kind that holds it
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# the kinds GET /transaction/{id} and the control API's force can reach, with their `type`
TRANSACTION_TYPES = {"pix": "pix", "pix_static": "pix", "bankslip": "bankslip", "creditCard": "creditCard",
                     "debitCard": "debitCard", "transfer": "transfer", "pixTransfer": "pixTransfer",
                     "billPayment": "billPayment"}


def settings(sim: Sim, section: str) -> dict[str, Any]:
    return dict(sim.providers[P].behaviour.get(section) or {})


def new_uuid(sim: Sim) -> str:
    return str(uuid.UUID(int=sim.rng(P).getrandbits(128), version=4))


def random_text(sim: Sim, length: int, alphabet: str = ALNUM) -> str:
    rng = sim.rng(P)
    return "".join(rng.choice(alphabet) for _ in range(length))


def cents(value: Any) -> int:
    """An amount in centavos sent as a number or a digit string (the schema has checked the form)."""
    if isinstance(value, str):
        return int(value.strip())
    return int(value)


def body(ctx: Ctx) -> dict[str, Any]:
    return ctx.body if isinstance(ctx.body, dict) else {}


def required_query(ctx: Ctx, name: str) -> str:
    """A query parameter the spec marks required (the engine skips query validation on an empty query)."""
    value = ctx.query.get(name)
    if value is None or value == "":
        messages = (ctx.provider.behaviour.get("validation") or {}).get("messages") or {}
        text = str(messages.get("required", "O campo {field} é obrigatório.")).format(field=name)
        raise ValidationFailed({name: [text]})
    return value


# --- balances (centavos, per merchant account) ---------------------------------------------------------

def merchant(sim: Sim, account: str) -> Record:
    record = sim.store.get(P, "merchant", account)
    if record is None:
        runtime = sim.providers[P]
        acc = runtime.accounts_by_id.get(account)
        record = {"id": account, "balance": int((acc.extra.get("balance") if acc else 0) or 0),
                  "_account": account}
        sim.store.put(P, "merchant", account, record)
    return record


def debit(ctx: Ctx, amount: int) -> None:
    record = merchant(ctx.sim, ctx.account_id)
    if int(record["balance"]) < amount:
        raise ProviderError("insufficient_balance")
    record["balance"] = int(record["balance"]) - amount
    ctx.sim.store.put(P, "merchant", ctx.account_id, record)


def credit(sim: Sim, account: str, amount: int) -> None:
    record = merchant(sim, account)
    record["balance"] = int(record["balance"]) + amount
    sim.store.put(P, "merchant", account, record)


# --- records ------------------------------------------------------------------------------------------

def start(ctx: Ctx, kind: str, record: Record, plan: Plan | None = None) -> Record:
    """Store a new gateway transaction, index its id, and put it on its state machine."""
    ctx.tag(record)
    ctx.sim.store.put(P, kind, str(record["id"]), record)
    ctx.sim.store.put(P, INDEX, str(record["id"]), {"kind": kind, "_account": ctx.account_id})
    ctx.sim.lifecycles.enter(P, kind, record, ctx.plan or plan)
    return record


def settle_now(ctx: Ctx, kind: str, record: Record, to: str, message: str | None = None) -> Record:
    """A synchronous outcome (card charges): the transition happens inside the request, unless a scenario
    planned another outcome for what this request creates."""
    if ctx.plan is not None:
        return record
    return ctx.sim.lifecycles.transition(P, kind, str(record["id"]), to, message, cause="provider")


def owned(ctx: Ctx, kinds: tuple[str, ...], ident: str, error: str) -> tuple[str, Record]:
    """A record of the caller by id, in the first of `kinds` that holds it, else the named 404."""
    for kind in kinds:
        record = ctx.sim.store.get(P, kind, ident)
        if record is not None and record.get("_account") == ctx.account_id:
            return kind, record
    raise ProviderError(error)


def by_custom_code(ctx: Ctx, kinds: tuple[str, ...], code: str | None) -> list[tuple[str, Record]]:
    """The caller's records of these kinds, oldest first, filtered by customCode when one is given."""
    found = []
    for kind in kinds:
        for record in ctx.sim.store.all(P, kind, ctx.account_id):
            if code is None or str(record.get("customCode")) == code:
                found.append((kind, record))
    found.sort(key=lambda kr: (str(kr[1].get("createdAt")), int(kr[1].get("_seq", 0))))
    return found


def sequence(sim: Sim) -> int:
    return sim.store.next_id(P, "seq")


def find(sim: Sim, ident: str) -> tuple[str, str] | None:
    """The control API's lookup: a gateway id (any type), a digital account number or a document id."""
    hit = sim.store.get(P, INDEX, ident)
    if hit is not None:
        return str(hit["kind"]), ident
    for kind in ("digital_account", "account_document"):
        if sim.store.get(P, kind, ident) is not None:
            return kind, ident
    for kind in TRANSACTION_TYPES:  # a customCode: its most recent transaction
        matches = [r for r in sim.store.all(P, kind) if str(r.get("customCode")) == ident]
        if matches:
            return kind, str(matches[-1]["id"])
    return None
