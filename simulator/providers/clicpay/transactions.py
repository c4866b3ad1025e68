"""ClicPay transactions: mobile money (C2B, C2B direct, B2C), NetShop card payment, status, split collect."""

from __future__ import annotations

from simulator.behaviour.config import Plan
from simulator.brdata.msisdn import normalize_moz_msisdn
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.engine.operation import Handler
from simulator.providers.common import int_or_none
from simulator.records import JSON, Record
from simulator.store.scope import Scope

TX = "transaction"
WALLET = "wallet"
SESSION = "card_session"


def owned_wallet(ctx: Ctx, scope: Scope | None = None) -> Record:
    """The path's wallet, if it belongs to the caller (`scope`: the request's, when the caller has it); otherwise
    the documented 403."""
    wallet_id = int_or_none(ctx.params.get("wallet_id"))
    if wallet_id is None:
        raise ProviderError("wallet_forbidden")
    return (scope if scope is not None else ctx.scope).require(WALLET, wallet_id, "wallet_forbidden")


def guard_wallet(ctx: Ctx) -> None:
    owned_wallet(ctx)


def _new_transaction(ctx: Ctx, wallet: Record, channel: str, kind: str, amount: object, description: object,
                     scope: Scope | None = None) -> Record:
    scope = scope if scope is not None else ctx.scope
    env = ctx.env
    rng = env.rng()
    refs = env.config.section("references") or {}
    ref = refs.get("clicpay") or {"prefix": "CP", "digits": 9}
    while True:
        reference = str(ref["prefix"]) + "".join(rng.choices("0123456789", k=int(ref["digits"])))
        if not scope.taken(TX, reference):
            break
    now = env.clock.now_iso()
    return scope.new({
        "transaction_id": scope.new_id(TX, int(refs.get("first_transaction_id", 1))),
        "clicpay_reference": reference, "wallet_id": wallet["id"], "channel": channel, "type": kind,
        "amount": amount, "reference_description": description, "status": "pending",
        "provider_reference": "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=10)),
        "initiated_at": now, "completed_at": None, "created_at": now,
    })


def mobile_money(channel: str, kind: str) -> Handler:
    """The handler of one of the nine mobile-money operations (they share one contract)."""

    def handler(ctx: Ctx) -> Reply:
        scope = ctx.scope
        wallet = owned_wallet(ctx, scope)
        body = ctx.data
        tx = _new_transaction(ctx, wallet, channel, kind, body["amount"], body["reference_description"], scope)
        msisdn = str(body["msisdn"])
        tx["msisdn"] = normalize_moz_msisdn(msisdn) or msisdn
        tx["internal_notes"] = body.get("internal_notes")
        plan = ctx.plan or _magic_plan(ctx, str(tx["msisdn"]))
        if kind == "b2c":  # the payout's amount is reserved from the wallet now; short, it fails (balances.wallet)
            plan = ctx.env.balances.reserve(scope, WALLET, wallet["id"], _amount(tx), tx) or plan
        ctx.env.lifecycles.enter(scope, TX, tx, plan)
        return Reply(200, {"message": "Transação iniciada com sucesso", "clicpay_reference": tx["clicpay_reference"],
                           "status": tx["status"], "transaction_id": tx["transaction_id"]})

    return handler


def _magic_plan(ctx: Ctx, msisdn: str) -> Plan | None:
    """A magic msisdn's outcome: the seven digits after the operator prefix (84, 86, 82, ...)."""
    return ctx.env.config.plans("magic_msisdns").get(msisdn[2:]) if len(msisdn) == 9 else None


def card_payment(ctx: Ctx) -> Reply:
    wallet = owned_wallet(ctx)
    body = ctx.data
    card = ctx.config.section("card") or {}
    tx = _new_transaction(ctx, wallet, "card", "card", body["amount"], body["reference_description"])
    rng = ctx.env.rng()
    tx["provider_reference"] = "".join(rng.choices("0123456789", k=9))
    for name in ("first_name", "last_name", "email", "phone", "callback_url"):
        tx[name] = body.get(name)
    if not tx["first_name"] and not tx["last_name"]:  # the payer the checkout page greets (seeded faker)
        fake = ctx.env.faker()
        tx["first_name"], tx["last_name"] = fake.first_name(), fake.last_name()
    if float(body["amount"]) in [float(a) for a in card.get("session_failure_amounts") or []]:
        tx["status"] = "failed"
        tx["provider_response_code"] = "400"
        ctx.scope.put(TX, tx["clicpay_reference"], tx)
        raise ProviderError("card_session_failed", {"clicpay_reference": tx["clicpay_reference"],
                                                    "transaction_id": tx["transaction_id"]})
    tx["session_id"] = "SESSION" + "".join(rng.choices("0123456789ABCDEF", k=24))
    tx["success_indicator"] = "".join(rng.choices("0123456789abcdef", k=16))
    tx["provider_response_code"] = "200"
    path = str(card.get("checkout_path", "/_sim/ui/pay/clicpay/checkout/{session_id}"))
    tx["checkout_url"] = ctx.base_url + path.format(session_id=tx["session_id"])
    ctx.scope.put(SESSION, tx["session_id"], ctx.scope.new({"clicpay_reference": tx["clicpay_reference"]}))
    ctx.env.enter(ctx.scope, TX, tx, ctx.plan)
    return Reply(201, {
        "message": "Sessão criada.", "clicpay_reference": tx["clicpay_reference"], "status": tx["status"],
        "provider_reference": tx["provider_reference"], "provider_response_code": "200",
        "provider_status_text": "Pending", "initiated_at": tx["initiated_at"], "completed_at": None,
        "transaction_id": tx["transaction_id"], "checkout_url": tx["checkout_url"],
        "session_id": tx["session_id"], "success_indicator": tx["success_indicator"]})


def status_body(env: ProviderEnv, tx: Record) -> dict[str, JSON]:
    messages = env.config.section("status_messages") or {}
    status = tx["status"]
    message = tx.meta.message if status in ("failed", "cancelled") and tx.meta.message else None
    return {"clicpay_reference": tx["clicpay_reference"], "status": status, "amount": tx["amount"],
            "message": message or messages.get(status, status)}


def transaction_status(ctx: Ctx) -> Reply:
    tx = ctx.scope.require(TX, ctx.params["clicpay_reference"], "transaction_not_found")
    ctx.env.lifecycles.read(ctx.scope, TX, tx)
    return Reply(200, status_body(ctx.env, tx))


def split_collect(ctx: Ctx) -> Reply:
    wallet = owned_wallet(ctx)
    reference = ctx.input("clicpay_reference")
    tx = ctx.scope.get(TX, reference) if isinstance(reference, str) else None
    if tx is None or tx.get("wallet_id") != wallet["id"]:
        ctx.violations.append("clicpay_reference: missing or not a transaction of this wallet")
        raise ValidationFailed({"clicpay_reference": ["Referência ClicPay inválida"]})
    return Reply(200, {"message": "Transação encontrada", "clicpay_reference": tx["clicpay_reference"],
                       "status": tx["status"], "transaction_id": tx["transaction_id"]})


def _amount(tx: Record) -> float | int:
    amount = tx["amount"]
    return amount if isinstance(amount, (int, float)) and not isinstance(amount, bool) else float(str(amount))


def credit_wallet(env: ProviderEnv, scope: Scope, tx: Record) -> None:
    """A successful C2B or card payment credits its wallet; a B2C payout was debited when it was accepted (one
    kept from before reservations is debited now, if the wallet still holds it)."""
    balances = env.balances
    account = tx.meta.account
    if tx["type"] != "b2c":
        balances.give(scope, WALLET, tx["wallet_id"], _amount(tx), account=account)
    elif not balances.reserved(tx) and not tx.private.get("debited"):
        tx.private["debited"] = balances.take(scope, WALLET, tx["wallet_id"], _amount(tx), account=account)
