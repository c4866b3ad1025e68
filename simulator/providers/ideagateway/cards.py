"""Idea Gateway cards through Cielo: credit (ops 18-21) and debit with browser authentication (ops 22-25)."""

from __future__ import annotations

from typing import TypedDict

from simulator.brdata.documents import only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.engine.operation import Handler
from simulator.providers.ideagateway.base import (by_custom_code, cents, debit, new_record, new_uuid, owned,
                                                  random_text, required_query, settings, settle_now, start)
from simulator.records import JSON, Record

CUSTOMER_FIELDS = ("name", "email", "phoneNumber", "birthdate", "address")


class Answer(TypedDict):
    """The acquirer's answer behaviour.yaml `cards.approved` / `cards.declined` gives (schema.py ANSWER)."""
    returnCode: str
    returnMessage: str


def shown(env: ProviderEnv, card: Record, created: bool = False, refund_fields: bool = True,
          redirect: bool = False) -> dict[str, JSON]:
    """A card transaction as the seed shows it: refundedDate, refundedAmount and capturedDate null until they
    happen (the credit-card create answer, op 21, has no refund fields); createdAt in the searches; redirectUrl in
    the debit-card create answer only (op 25)."""
    customer = card.get("customer") or {}
    out: dict[str, JSON] = {"id": card["id"], "amount": card["amount"], "status": card["status"],
                            "provider": settings(env, "cards").get("provider", "cielo"),
                            "customer": {k: customer[k] for k in CUSTOMER_FIELDS if k in customer}}
    names = ("refundedDate", "refundedAmount", "capturedDate") if refund_fields else ("capturedDate",)
    for name in names:
        out[name] = card.get(name)
    if created:
        out["createdAt"] = card["createdAt"]
    out["metadata"] = {"paymentId": card["paymentId"], "returnCode": card["returnCode"],
                       "returnMessage": card["returnMessage"], "autorizationCode": card["autorizationCode"]}
    if redirect and card.get("redirectUrl") is not None:
        out["redirectUrl"] = card["redirectUrl"]
    return out


def _new(ctx: Ctx, kind: str) -> tuple[Record, Answer | None]:
    """A card charge stored as pending, and the decline its magic card number asks for (or None)."""
    data = ctx.data
    cfg = settings(ctx.env, "cards")
    number = only_digits(str(data["card"].get("number", "")))
    declined = (cfg.get("declined") or {}).get(number)
    card = new_record(ctx, {
        "id": new_uuid(ctx.env), "amount": cents(ctx, data["amount"]), "status": "pending",
        "customCode": data.get("customCode"), "customer": data["customer"], "isGift": data.get("isGift"),
        "card": {"last4": number[-4:], "brand": data["card"].get("brand"), "holder": data["card"].get("holder")},
        "paymentId": new_uuid(ctx.env), "returnCode": None, "returnMessage": None, "autorizationCode": None,
        "createdAt": ctx.env.clock.now_iso()})
    if kind == "creditCard":
        card["softDescriptor"] = data.get("softDescriptor")
    return card, declined


def _outcome(ctx: Ctx, card: Record, declined: Answer | None) -> str:
    if ctx.plan is not None:  # a scenario settles it later: the acquirer has not answered yet
        return "pending"
    cfg = settings(ctx.env, "cards")
    answer = declined or cfg.get("approved") or {"returnCode": "6", "returnMessage": "Operation Successful"}
    card["returnCode"] = str(answer["returnCode"])
    card["returnMessage"] = str(answer["returnMessage"])
    if declined is None:
        card["autorizationCode"] = random_text(ctx.env, 6, "0123456789")
    return "declined" if declined else "paid"


def create_credit_card(ctx: Ctx) -> Reply:
    card, declined = _new(ctx, "creditCard")
    to = _outcome(ctx, card, declined)
    start(ctx, "creditCard", card)
    settle_now(ctx, "creditCard", card, to, card["returnMessage"])
    return Reply(201, shown(ctx.env, card, refund_fields=False))


def create_debit_card(ctx: Ctx) -> Reply:
    card, declined = _new(ctx, "debitCard")
    return_url = ctx.data.get("returnUrl")
    to = _outcome(ctx, card, declined)
    if return_url and declined is None:
        # the payer authenticates in the browser: pending until the payer's page (or a force) settles it
        card["returnUrl"] = return_url
        path = str(settings(ctx.env, "cards").get("debit_redirect_path", "/_sim/ui/pay/ideagateway/debit/{id}"))
        card["redirectUrl"] = ctx.base_url + path.format(id=card["id"])
        card["autorizationCode"] = None  # authorized once the payer authenticates (payments.on_payment)
        card.private["authenticating"] = True
        start(ctx, "debitCard", card)
    else:
        start(ctx, "debitCard", card)
        settle_now(ctx, "debitCard", card, to, card["returnMessage"])
    return Reply(201, shown(ctx.env, card, redirect=True))


def _get(kind: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        _, card = owned(ctx, (kind,), ctx.params["id"], "transaction_not_found")
        ctx.env.lifecycles.read(ctx.scope, kind, card)
        return Reply(200, shown(ctx.env, card))
    return handler


get_credit_card = _get("creditCard")
get_debit_card = _get("debitCard")


def search_credit_card(ctx: Ctx) -> Reply:
    code = required_query(ctx, "customCode")
    provider = ctx.query.get("providerName")
    found = [r for _, r in by_custom_code(ctx, ("creditCard",), code)]
    if provider and provider != settings(ctx.env, "cards").get("provider", "cielo"):
        found = []
    return Reply(200, [shown(ctx.env, r, created=True) for r in found])


def search_debit_card(ctx: Ctx) -> Reply:
    code = ctx.query.get("customCode") or None
    return Reply(200, [shown(ctx.env, r, created=True) for _, r in by_custom_code(ctx, ("debitCard",), code)])


def _refund(ctx: Ctx, kind: str, to: str) -> Reply:
    _, card = owned(ctx, (kind,), ctx.params["id"], "transaction_not_found")
    if card["status"] != "paid":
        raise ProviderError("refund_failed")
    given = ctx.data.get("amount")
    amount = int(card["amount"]) if given is None else cents(ctx, given)
    if amount > int(card["amount"]):
        raise ProviderError("refund_too_large")
    debit(ctx, amount)
    card["refundedAmount"] = amount
    card["refundedDate"] = ctx.env.clock.now_iso()
    record = ctx.env.transition(ctx.scope, kind, card["id"], to, cause="provider")
    return Reply(200, shown(ctx.env, record))


def refund_credit_card(ctx: Ctx) -> Reply:
    """The seed: the refund goes into processing as refund_requested and completes within 24 h."""
    return _refund(ctx, "creditCard", "refund_requested")


def refund_debit_card(ctx: Ctx) -> Reply:
    return _refund(ctx, "debitCard", "refunded")
