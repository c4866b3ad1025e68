"""ClicPay transactions: mobile money (C2B, C2B direct, B2C), NetShop card payment, status, split collect."""

from __future__ import annotations

from typing import Any

from simulator.brdata.msisdn import normalize_moz_msisdn
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.lifecycle import Plan
from simulator.providers.common import base_url, int_or_none
from simulator.sim import Sim
from simulator.store.base import Record

P = "clicpay"
TX = "transaction"


def owned_wallet(ctx: Ctx) -> Record:
    """The path's wallet, if it belongs to the caller; otherwise the documented 403."""
    wallet_id = int_or_none(ctx.params.get("wallet_id"))
    wallet = ctx.sim.store.get(P, "wallet", str(wallet_id)) if wallet_id is not None else None
    if wallet is None or wallet.get("_account") != ctx.account_id:
        raise ProviderError("wallet_forbidden")
    return wallet


def guard_wallet(ctx: Ctx) -> None:
    owned_wallet(ctx)


def _new_transaction(ctx: Ctx, wallet: Record, channel: str, kind: str, amount: Any,
                     description: str) -> Record:
    sim = ctx.sim
    rng = sim.rng(P)
    cfg = ctx.provider.behaviour.get("references") or {}
    ref_cfg = cfg.get("clicpay") or {"prefix": "CP", "digits": 9}
    while True:
        reference = str(ref_cfg["prefix"]) + "".join(rng.choices("0123456789", k=int(ref_cfg["digits"])))
        if sim.store.get(P, TX, reference) is None:
            break
    now = sim.clock.now_iso()
    return ctx.tag({
        "transaction_id": sim.store.next_id(P, TX, int(cfg.get("first_transaction_id", 1))),
        "clicpay_reference": reference, "wallet_id": wallet["id"], "channel": channel, "type": kind,
        "amount": amount, "reference_description": description, "status": "pending",
        "provider_reference": "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=10)),
        "initiated_at": now, "completed_at": None, "created_at": now,
    })


def mobile_money(channel: str, kind: str) -> Any:
    """The handler of one of the nine mobile-money operations (they share one contract)."""

    def handler(ctx: Ctx) -> Reply:
        wallet = owned_wallet(ctx)
        body = ctx.body
        tx = _new_transaction(ctx, wallet, channel, kind, body["amount"], body["reference_description"])
        tx["msisdn"] = normalize_moz_msisdn(str(body["msisdn"])) or str(body["msisdn"])
        tx["internal_notes"] = body.get("internal_notes")
        plan = ctx.plan or _magic_plan(ctx, tx)
        if plan is None and kind == "b2c" and float(wallet["balance"]) < float(tx["amount"]):
            b2c = ctx.provider.behaviour["b2c"]["insufficient_balance"]
            plan = Plan(to=b2c["status"], after_seconds=b2c.get("after_seconds", 0), message=b2c.get("message"))
        ctx.sim.store.put(P, TX, tx["clicpay_reference"], tx)
        ctx.sim.lifecycles.enter(P, TX, tx, plan)
        return Reply(200, {"message": "Transação iniciada com sucesso", "clicpay_reference": tx["clicpay_reference"],
                           "status": tx["status"], "transaction_id": tx["transaction_id"]})

    return handler


def _magic_plan(ctx: Ctx, tx: Record) -> Plan | None:
    msisdn = str(tx.get("msisdn", ""))
    magic = (ctx.provider.behaviour.get("magic_msisdns") or {}).get(msisdn[2:]) if len(msisdn) == 9 else None
    if not magic:
        return None
    return Plan(to=str(magic["status"]), after_seconds=magic.get("after_seconds", 0), message=magic.get("message"))


def card_payment(ctx: Ctx) -> Reply:
    wallet = owned_wallet(ctx)
    body = ctx.body
    card = ctx.provider.behaviour.get("card") or {}
    tx = _new_transaction(ctx, wallet, "card", "card", body["amount"], body["reference_description"])
    rng = ctx.sim.rng(P)
    tx["provider_reference"] = "".join(rng.choices("0123456789", k=9))
    for name in ("first_name", "last_name", "email", "phone", "callback_url"):
        tx[name] = body.get(name)
    if not tx["first_name"] and not tx["last_name"]:  # the payer the checkout page greets (seeded faker)
        fake = ctx.sim.faker(P)
        tx["first_name"], tx["last_name"] = fake.first_name(), fake.last_name()
    if float(body["amount"]) in [float(a) for a in card.get("session_failure_amounts") or []]:
        tx["status"] = "failed"
        tx["provider_response_code"] = "400"
        ctx.sim.store.put(P, TX, tx["clicpay_reference"], tx)
        raise ProviderError("card_session_failed", {"clicpay_reference": tx["clicpay_reference"],
                                                    "transaction_id": tx["transaction_id"]})
    tx["session_id"] = "SESSION" + "".join(rng.choices("0123456789ABCDEF", k=24))
    tx["success_indicator"] = "".join(rng.choices("0123456789abcdef", k=16))
    tx["provider_response_code"] = "200"
    path = str(card.get("checkout_path", "/_sim/ui/pay/clicpay/checkout/{session_id}"))
    tx["checkout_url"] = base_url(ctx) + path.format(session_id=tx["session_id"])
    ctx.sim.store.put(P, TX, tx["clicpay_reference"], tx)
    ctx.sim.store.put(P, "card_session", tx["session_id"], {"clicpay_reference": tx["clicpay_reference"],
                                                           "_account": ctx.account_id})
    ctx.sim.lifecycles.enter(P, TX, tx, ctx.plan)
    return Reply(201, {
        "message": "Sessão criada.", "clicpay_reference": tx["clicpay_reference"], "status": tx["status"],
        "provider_reference": tx["provider_reference"], "provider_response_code": "200",
        "provider_status_text": "Pending", "initiated_at": tx["initiated_at"], "completed_at": None,
        "transaction_id": tx["transaction_id"], "checkout_url": tx["checkout_url"],
        "session_id": tx["session_id"], "success_indicator": tx["success_indicator"]})


def status_body(sim: Sim, tx: Record) -> dict[str, Any]:
    runtime = sim.providers[P]
    messages = runtime.behaviour.get("status_messages") or {}
    status = tx["status"]
    message = tx.get("_message") if status in ("failed", "cancelled") and tx.get("_message") else None
    return {"clicpay_reference": tx["clicpay_reference"], "status": status, "amount": tx["amount"],
            "message": message or messages.get(status, status)}


def transaction_status(ctx: Ctx) -> Reply:
    tx = ctx.sim.store.get(P, TX, ctx.params["clicpay_reference"])
    if tx is None or tx.get("_account") != ctx.account_id:
        raise ProviderError("transaction_not_found")
    ctx.sim.lifecycles.read(P, TX, tx)
    return Reply(200, status_body(ctx.sim, tx))


def split_collect(ctx: Ctx) -> Reply:
    wallet = owned_wallet(ctx)
    reference = ctx.input("clicpay_reference")
    tx = ctx.sim.store.get(P, TX, reference) if isinstance(reference, str) else None
    if tx is None or tx.get("wallet_id") != wallet["id"]:
        from simulator.engine.errors import ValidationFailed
        ctx.violations.append("clicpay_reference: missing or not a transaction of this wallet")
        raise ValidationFailed({"clicpay_reference": ["Referência ClicPay inválida"]})
    return Reply(200, {"message": "Transação encontrada", "clicpay_reference": tx["clicpay_reference"],
                       "status": tx["status"], "transaction_id": tx["transaction_id"]})


def on_transition(sim: Sim, provider: str, tx: Record, old: str, new: str, message: str | None) -> None:
    """Balances move when a transaction succeeds: C2B and card credit the wallet, B2C debits it."""
    if new in ("successful", "failed", "cancelled"):
        tx["completed_at"] = sim.clock.now_iso()
    if new != "successful":
        return
    wallet = sim.store.get(P, "wallet", str(tx["wallet_id"]))
    if wallet is None:
        return
    sign = -1 if tx["type"] == "b2c" else 1
    balance = float(wallet["balance"]) + sign * float(tx["amount"])
    wallet["balance"] = int(balance) if balance == int(balance) else round(balance, 2)
    sim.store.put(P, "wallet", str(wallet["id"]), wallet)


def find(sim: Sim, ident: str) -> tuple[str, str] | None:
    """A transaction by clicpay_reference, transaction_id or card session id."""
    if sim.store.get(P, TX, ident) is not None:
        return TX, ident
    session = sim.store.get(P, "card_session", ident)
    if session is not None:
        return TX, str(session["clicpay_reference"])
    for tx in sim.store.all(P, TX):
        if str(tx["transaction_id"]) == ident:
            return TX, str(tx["clicpay_reference"])
    return None


def present(sim: Sim, kind: str, tx: Record) -> dict[str, Any]:
    return status_body(sim, tx)
