"""Payments: process (card, Pix, boleto), list with filters, refund in centavos. Input rules and their messages
are the spec's (`x-rules`, `x-messages` of the request schemas)."""

from __future__ import annotations

from simulator.behaviour.money import two_decimals
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.providers.common import int_or_none
from simulator.providers.webpag import charges, instruments, present
from simulator.providers.webpag.base import (CARD, PAYMENT, cfg, check, minute, owned, payment_error)
from simulator.providers.webpag.lists import page_of
from simulator.providers.webpag.payers import save_card
from simulator.records import JSON, Record


def _card_for(ctx: Ctx, body: dict[str, JSON], payer_id: int) -> Record:
    """The saved card, or the card of the request saved for the payer (INFERRED: WebPag tokenizes it)."""
    if body.get("card_payer_id") is not None:
        return ctx.scope.require(CARD, int(body["card_payer_id"]), "not_found", {"model": "CreditCard"})
    return save_card(ctx, payer_id, str(body["card"]["number"]))


def process_payment(ctx: Ctx) -> Reply:
    env, body = ctx.env, dict(ctx.data)
    order_id = body.get("order_id")
    if order_id is not None:
        for existing in ctx.scope.all(PAYMENT):
            if existing.get("order_id") == order_id:  # INFERRED: order_id keeps one payment per order
                return Reply(200, {"data": present.payment(env, existing, present.PROCESS)})
    method = str(body["method"])
    record = charges.new_payment(
        env, ctx.scope, ctx.base_url, payer_id=int(body["payer_id"]), name=str(body["name"]),
        amount=int(body["amount"]), method=method, notification_url=body.get("notification_url"),
        installments=int(body.get("installments") or 1), order_id=order_id)
    record["payment_link_id"] = int_or_none(body.get("payment_link_id"))
    due = env.time.parse(body.get("due_date"))
    expiry = cfg(env, "expiry") or {}
    if method == "pix":
        plan = charges.attach_pix(env, ctx.scope, record,
                                  due or env.clock.now() + 60 * float(expiry.get("pix_minutes", 60)))
        env.enter(ctx.scope, PAYMENT, record, ctx.plan or plan)
    elif method == "bank_slip":
        day = env.time.at(due or env.clock.now() + 86400 * float(expiry.get("bank_slip_days", 3))).date()
        plan = charges.attach_boleto(env, ctx.scope, record, env.time.day_start(day),
                                     body.get("accept_after_due_date"))
        env.enter(ctx.scope, PAYMENT, record, ctx.plan or plan)
    else:
        card = _card_for(ctx, body, int(body["payer_id"]))
        record["card_id"] = card["id"]
        record["card_flag"] = instruments.card_flag(env, card.private.get("brand"))
        env.enter(ctx.scope, PAYMENT, record, ctx.plan)
        if ctx.plan is None:
            decision = charges.charge_card(env, ctx.scope, record, str(card.private["number"]))
            if decision["outcome"] == "failed":
                raise payment_error(env, "card_error", str(decision.get("previous") or ""))
    return Reply(200, {"data": present.payment(env, record, present.PROCESS)})


def _matches(ctx: Ctx, p: dict[str, JSON], record: Record, q: dict[str, str]) -> bool:
    for name in ("payment_id", "payer_id", "recurrence_code"):
        if name in q and q[name] != "" and str(p["id" if name == "payment_id" else name]) != q[name]:
            return False
    for name in ("active", "is_recurrent"):
        if q.get(name, "").lower() in ("true", "1", "false", "0"):
            if p[name] != (q[name].lower() in ("true", "1")):
                return False
    if q.get("order_id") and record.get("order_id") != q["order_id"]:
        return False
    for name, field in (("created_at", "created_at"), ("paid_at", "paid_at")):
        day = (p[field] or "")[:10]
        if q.get(f"{name}_start") and (not day or day < q[f"{name}_start"]):
            return False
        if q.get(f"{name}_end") and (not day or day > q[f"{name}_end"]):
            return False
    status = q.get("status", "")
    if status:
        states = (cfg(ctx.env, "status_filters") or {}).get(status.lower())
        if is_digits(status) and p["status"] != int(status):
            return False
        if states is not None and record["state"] not in states:
            return False
    method = q.get("method", "")
    if method:
        code = int(method) if is_digits(method) else (cfg(ctx.env, "method_filters") or {}).get(method.lower())
        if code is not None and p["method"] != code:
            return False
    return True


def list_payments(ctx: Ctx) -> Reply:
    """Newest first; unknown status/method values are ignored (the doc's own values are placeholders)."""
    records = sorted(ctx.scope.all(PAYMENT), key=lambda r: -int(r["id"]))
    # filters read the shown payment: every payment is shown only when a query asks more than a page
    if any(value for name, value in ctx.query.items() if name not in ("page", "per_page")):
        records = [r for r in records if _matches(ctx, present.payment(ctx.env, r), r, ctx.query)]
    return Reply(200, page_of(ctx, records, "/api/payments", lambda r: present.payment(ctx.env, r)))


def refund_payment(ctx: Ctx) -> Reply:
    env = ctx.env
    record = owned(ctx, PAYMENT, ctx.params["paymentId_id"])
    value = ctx.data.get("value")
    if record["state"] != "paid":
        code, text = cfg(env, "payment_status")[record["state"]]
        raise payment_error(env, "refund_error", f"Pagamento com status {code} ({text}) não pode ser estornado.")
    remaining = int(record["amount"]) - int(record.get("amount_refunded", 0))
    if value is None:
        value = remaining
    if not 1 <= int(value) <= remaining:
        check({"value": [ctx.message("value", "between", max=remaining)]})
    record["amount_refunded"] = int(record.get("amount_refunded", 0)) + int(value)
    tx = instruments.transaction(env, ctx.scope, "refund", True, "0 - CAPTURED", instruments.acquirer_id(env),
                                 refunded=two_decimals(int(value)))
    record["transactions"].append(tx)
    record["updated_at"] = minute(env)
    ctx.scope.put(PAYMENT, record["id"], record)
    if record["amount_refunded"] >= record["amount"]:
        env.transition(ctx.scope, PAYMENT, record["id"], "refunded", cause="refund")
    return Reply(200, {"data": present.transaction(tx)})
