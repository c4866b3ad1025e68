"""Idea Gateway: what every handler shares (ids, amounts, balances, ownership, lifecycle start)."""

from __future__ import annotations

import uuid

from simulator.behaviour.config import Plan
from simulator.engine.context import Ctx
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.records import JSON, Record
from simulator.store.scope import Scope

INDEX = "tx_index"  # gateway id -> the store kind that holds it
MERCHANT = "merchant"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# the kinds GET /transaction/{id} and the control API's force can reach, with their `type`
TRANSACTION_TYPES = {"pix": "pix", "pix_static": "pix", "bankslip": "bankslip", "creditCard": "creditCard",
                     "debitCard": "debitCard", "transfer": "transfer", "pixTransfer": "pixTransfer",
                     "billPayment": "billPayment"}


def settings(env: ProviderEnv, section: str) -> dict[str, JSON]:
    return dict(env.config.section(section) or {})


def new_uuid(env: ProviderEnv) -> str:
    return str(uuid.UUID(int=env.rng().getrandbits(128), version=4))


def random_text(env: ProviderEnv, length: int, alphabet: str = ALNUM) -> str:
    rng = env.rng()
    return "".join(rng.choice(alphabet) for _ in range(length))


def cents(ctx_or_env: Ctx | ProviderEnv, value: object) -> int:
    """An amount in centavos sent as a number or a digit string (the schema has checked the form)."""
    env = ctx_or_env.env if isinstance(ctx_or_env, Ctx) else ctx_or_env
    return env.money.minor(value)


def required_query(ctx: Ctx, name: str) -> str:
    """A query parameter the spec marks required (the engine skips query validation on an empty query)."""
    value = ctx.query.get(name)
    if value is None or value == "":
        template = ctx.config.validation.messages.get("required", "O campo {field} é obrigatório.")
        raise ValidationFailed({name: [template.format(field=name)]})
    return value


# --- balances (centavos, per merchant account: behaviour.yaml `balances.merchant`, simulator/engine/balances.py) ---

def debit(ctx: Ctx, amount: int, record: Record | None = None) -> None:
    """Take `amount` from the caller's balance (for `record`: given back if it fails), or the documented 422
    "Saldo insuficiente." when the balance is short."""
    assert ctx.scope.account is not None
    ctx.env.balances.reserve(ctx.scope, MERCHANT, ctx.scope.account, amount, record)


def credit(env: ProviderEnv, scope: Scope, amount: int) -> None:
    """Add `amount` to the account's balance (a payment received)."""
    assert scope.account is not None
    env.balances.give(scope, MERCHANT, scope.account, amount)


# --- records ------------------------------------------------------------------------------------------

def new_record(ctx: Ctx, fields: dict[str, JSON]) -> Record:
    """A new gateway record of the caller, numbered in creation order (searches list in that order)."""
    record = ctx.scope.new(fields)
    record.private["seq"] = ctx.scope.new_id("seq")
    return record


def start(ctx: Ctx, kind: str, record: Record, plan: Plan | None = None) -> Record:
    """Store a new gateway transaction, index its id, and put it on its state machine."""
    ctx.scope.put(INDEX, record["id"], ctx.scope.new({"kind": kind}))
    ctx.env.enter(ctx.scope, kind, record, ctx.plan or plan)
    return record


def settle_now(ctx: Ctx, kind: str, record: Record, to: str, message: str | None = None) -> Record:
    """A synchronous outcome (card charges): the transition happens inside the request, unless a scenario
    planned another outcome for what this request creates."""
    if ctx.plan is not None:
        return record
    return ctx.env.transition(ctx.scope, kind, record["id"], to, message, cause="provider")


def owned(ctx: Ctx, kinds: tuple[str, ...], ident: str, error: str) -> tuple[str, Record]:
    """A record of the caller by id, in the first of `kinds` that holds it, else the named 404."""
    for kind in kinds:
        record = ctx.scope.get(kind, ident)
        if record is not None:
            return kind, record
    raise ProviderError(error)


def by_custom_code(ctx: Ctx, kinds: tuple[str, ...], code: str | None) -> list[tuple[str, Record]]:
    """The caller's records of these kinds, oldest first, filtered by customCode when one is given."""
    found = []
    for kind in kinds:
        for record in ctx.scope.all(kind):
            if code is None or str(record.get("customCode")) == code:
                found.append((kind, record))
    found.sort(key=lambda kr: (str(kr[1].get("createdAt")), int(kr[1].private.get("seq", 0))))
    return found
