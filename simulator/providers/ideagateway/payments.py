"""Idea Gateway payments arriving and going back: the sandbox "pay" route, Pix refund, and the transition hooks
that keep balances and payment dates."""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.lifecycle import Move
from simulator.providers.ideagateway.base import MERCHANT, cents, credit, debit, owned, random_text, settings
from simulator.providers.ideagateway.pix import PIX_KINDS
from simulator.records import JSON, Record

PAYABLE = {"pix": PIX_KINDS, "bankslip": ("bankslip",)}


def sandbox_gateway_webhook(ctx: Ctx) -> Reply:
    """POST /webhook/idea/gateway (sandbox only, no auth): the upstream notice that marks a Pix paid."""
    event = ctx.data["event"]
    kind_name = str(event["type"])
    data = (event.get("data") or {}).get(kind_name)
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ValidationFailed({f"event.data.{kind_name}.id": [f"O campo event.data.{kind_name}.id é obrigatório."]})
    for kind in PAYABLE[kind_name]:
        record = ctx.scope.get(kind, data["id"])
        if record is None:
            continue
        if record["status"] == "paid":
            return Reply(200, {"message": "OK"})  # INFERRED: a repeated notice changes nothing
        if record["status"] != "pending":
            raise ProviderError("generic")
        paid = data.get("amountPaid")
        if paid is not None:
            try:
                record["amountPaid"] = cents(ctx, paid)
            except (TypeError, ValueError):
                raise ValidationFailed({f"event.data.{kind_name}.amountPaid": ["Valor inválido."]}) from None
        ctx.env.transition(ctx.scope, kind, data["id"], "paid", cause="sandbox")
        return Reply(200, {"message": "OK"})
    raise ProviderError("pix_not_found" if kind_name == "pix" else "bankslip_not_found")


def refund_shown(pix: Record) -> dict[str, JSON]:
    """Op 16's answer: its customer is {name, address: {number, zipCode, street}}; no refundedAmount (the seed's
    status is the placeholder "string"; the simulator gives the real one)."""
    stored = pix.get("customer")
    customer: dict[str, JSON] = stored if isinstance(stored, dict) else {}
    given = customer.get("address")
    address: dict[str, JSON] = given if isinstance(given, dict) else {}
    out: dict[str, JSON] = {"id": pix["id"], "amount": pix["amount"], "status": pix["status"],
                            "provider": "gerencianet",
                            "customer": {"name": customer.get("name"),
                                         "address": {k: address.get(k) for k in ("number", "zipCode", "street")}}}
    if pix.get("paidAt"):
        out["capturedDate"] = pix["paidAt"]
    out["metadata"] = {"customCode": pix.get("customCode"), "paymentId": pix["paymentId"]}
    out["createdAt"] = pix["createdAt"]
    return out


def refund_pix(ctx: Ctx) -> Reply:
    kind, pix = owned(ctx, PIX_KINDS, ctx.params["id"], "pix_not_found")
    if pix["status"] != "paid":
        raise ProviderError("refund_failed")
    given = ctx.data.get("amount")
    paid = int(pix.get("amountPaid") or pix["amount"])
    amount = paid if given is None else cents(ctx, given)
    if amount > paid:
        raise ProviderError("refund_too_large")
    debit(ctx, amount)
    pix["refundedAmount"] = amount
    pix["refundedDate"] = ctx.env.clock.now_iso()
    record = ctx.env.transition(ctx.scope, kind, pix["id"], "refunded", cause="provider")
    return Reply(200, refund_shown(record))


# --- transition hooks ---------------------------------------------------------------------------------

def on_payment(env: ProviderEnv, move: Move) -> None:
    """Pix, boleto and card payments: `paid` credits the merchant and stamps the payment date."""
    record, new = move.record, move.target
    if new == "paid":
        now = env.clock.now_iso()
        if record.get("amountPaid") is None:
            record["amountPaid"] = record["amount"]
        record["paidAt"] = now
        record["capturedDate"] = now
        credit(env, move.scope, int(record["amountPaid"]))
    if new in ("refunded", "refund_requested") and record.get("refundedAmount") is None:  # forced: the whole amount
        amount = int(record.get("amountPaid") or record["amount"])
        record["refundedAmount"] = amount
        record["refundedDate"] = env.clock.now_iso()
        # taken back from the merchant when the balance holds it (money never goes below zero; a refund through
        # the API is refused with `Saldo insuficiente.` instead)
        assert move.scope.account is not None
        env.balances.take(move.scope, MERCHANT, move.scope.account, amount)
    if new in ("paid", "declined") and "autorizationCode" in record and (
            record.get("returnCode") is None or record.private.pop("authenticating", False)):
        _card_answer(env, record, new, move.message)  # settled by a scenario, a force or the payer's browser


def _card_answer(env: ProviderEnv, record: Record, new: str, message: str | None) -> None:
    approved = settings(env, "cards").get("approved") or {}
    if new == "paid":
        record["returnCode"] = str(approved.get("returnCode", "6"))
        record["returnMessage"] = str(approved.get("returnMessage", "Operation Successful"))
        record["autorizationCode"] = random_text(env, 6, "0123456789")
    else:
        record["returnCode"], record["returnMessage"] = "05", message or "Not Authorized"


def on_payout(env: ProviderEnv, move: Move) -> None:
    """Transfers, pix-out and bill payments were debited at creation (a failure gives the amount back: the
    engine's balances); paid stamps the payment date."""
    if move.target == "paid":
        move.record["paidAt"] = env.clock.now_iso()
