"""Idea Gateway cards through Cielo: credit (ops 18-21) and debit with browser authentication (ops 22-25)."""

from __future__ import annotations

from typing import Any

from simulator.brdata.documents import only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.providers.common import base_url
from simulator.providers.ideagateway.base import (
    P, body, by_custom_code, cents, debit, new_uuid, owned, random_text, required_query, sequence, settings,
    settle_now, start)
from simulator.sim import Sim
from simulator.store.base import Record

CUSTOMER_FIELDS = ("name", "email", "phoneNumber", "birthdate", "address")


def shown(sim: Sim, card: Record, created: bool = False) -> dict[str, Any]:
    """A card transaction as the seed shows it; refund and capture fields only once they happened."""
    customer = card.get("customer") or {}
    out: dict[str, Any] = {"id": card["id"], "amount": card["amount"], "status": card["status"],
                           "provider": settings(sim, "cards").get("provider", "cielo"),
                           "customer": {k: customer[k] for k in CUSTOMER_FIELDS if k in customer}}
    for name in ("refundedDate", "refundedAmount", "capturedDate"):
        if card.get(name) is not None:
            out[name] = card[name]
    if created:
        out["createdAt"] = card["createdAt"]
    out["metadata"] = {"paymentId": card["paymentId"], "returnCode": card["returnCode"],
                       "returnMessage": card["returnMessage"], "autorizationCode": card["autorizationCode"]}
    if card.get("redirectUrl") is not None:
        out["redirectUrl"] = card["redirectUrl"]
    return out


def _new(ctx: Ctx, kind: str) -> tuple[Record, dict[str, Any] | None]:
    """A card charge stored as pending, and the decline its magic card number asks for (or None)."""
    data = body(ctx)
    cfg = settings(ctx.sim, "cards")
    number = only_digits(str(data["card"].get("number", "")))
    declined = (cfg.get("declined") or {}).get(number)
    card = {"id": new_uuid(ctx.sim), "amount": cents(data["amount"]), "status": "pending",
            "customCode": data.get("customCode"), "customer": data["customer"], "isGift": data.get("isGift"),
            "card": {"last4": number[-4:], "brand": data["card"].get("brand"), "holder": data["card"].get("holder")},
            "paymentId": new_uuid(ctx.sim), "returnCode": None, "returnMessage": None, "autorizationCode": None,
            "createdAt": ctx.sim.clock.now_iso(), "_seq": sequence(ctx.sim)}
    if kind == "creditCard":
        card["softDescriptor"] = data.get("softDescriptor")
    return card, declined


def _outcome(ctx: Ctx, card: Record, declined: dict[str, Any] | None) -> str:
    if ctx.plan is not None:  # a scenario settles it later: the acquirer has not answered yet
        return "pending"
    cfg = settings(ctx.sim, "cards")
    answer = declined or cfg.get("approved") or {"returnCode": "6", "returnMessage": "Operation Successful"}
    card["returnCode"] = str(answer["returnCode"])
    card["returnMessage"] = str(answer["returnMessage"])
    if declined is None:
        card["autorizationCode"] = random_text(ctx.sim, 6, "0123456789")
    return "declined" if declined else "paid"


def create_credit_card(ctx: Ctx) -> Reply:
    card, declined = _new(ctx, "creditCard")
    to = _outcome(ctx, card, declined)
    start(ctx, "creditCard", card)
    settle_now(ctx, "creditCard", card, to, card["returnMessage"])
    return Reply(201, shown(ctx.sim, card))


def create_debit_card(ctx: Ctx) -> Reply:
    card, declined = _new(ctx, "debitCard")
    return_url = body(ctx).get("returnUrl")
    to = _outcome(ctx, card, declined)
    if return_url and declined is None:
        # the payer authenticates in the browser: pending until the payer's page (or a force) settles it
        card["returnUrl"] = return_url
        path = str(settings(ctx.sim, "cards").get("debit_redirect_path", "/_sim/ui/pay/ideagateway/debit/{id}"))
        card["redirectUrl"] = base_url(ctx) + path.format(id=card["id"])
        card["autorizationCode"] = None
        start(ctx, "debitCard", card)
    else:
        start(ctx, "debitCard", card)
        settle_now(ctx, "debitCard", card, to, card["returnMessage"])
    return Reply(201, shown(ctx.sim, card))


def _get(kind: str) -> Any:
    def handler(ctx: Ctx) -> Reply:
        _, card = owned(ctx, (kind,), ctx.params["id"], "transaction_not_found")
        ctx.sim.lifecycles.read(P, kind, card)
        return Reply(200, shown(ctx.sim, card))
    return handler


get_credit_card = _get("creditCard")
get_debit_card = _get("debitCard")


def search_credit_card(ctx: Ctx) -> Reply:
    code = required_query(ctx, "customCode")
    provider = ctx.query.get("providerName")
    found = [r for _, r in by_custom_code(ctx, ("creditCard",), code)]
    if provider and provider != settings(ctx.sim, "cards").get("provider", "cielo"):
        found = []
    return Reply(200, [shown(ctx.sim, r, created=True) for r in found])


def search_debit_card(ctx: Ctx) -> Reply:
    code = ctx.query.get("customCode") or None
    return Reply(200, [shown(ctx.sim, r, created=True) for _, r in by_custom_code(ctx, ("debitCard",), code)])


def _refund(ctx: Ctx, kind: str, to: str) -> Reply:
    _, card = owned(ctx, (kind,), ctx.params["id"], "transaction_not_found")
    if card["status"] != "paid":
        raise ProviderError("refund_failed")
    given = body(ctx).get("amount")
    amount = int(card["amount"]) if given is None else cents(given)
    if amount > int(card["amount"]):
        raise ProviderError("refund_too_large")
    debit(ctx, amount)
    card["refundedAmount"] = amount
    card["refundedDate"] = ctx.sim.clock.now_iso()
    record = ctx.sim.lifecycles.transition(P, kind, str(card["id"]), to, cause="provider")
    return Reply(200, shown(ctx.sim, record))


def refund_credit_card(ctx: Ctx) -> Reply:
    """The seed: the refund goes into processing as refund_requested and completes within 24 h."""
    return _refund(ctx, "creditCard", "refund_requested")


def refund_debit_card(ctx: Ctx) -> Reply:
    return _refund(ctx, "debitCard", "refunded")
