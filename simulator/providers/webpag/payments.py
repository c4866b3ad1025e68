"""Payments: process (card, Pix, boleto), list with filters, refund in centavos."""

from __future__ import annotations

from typing import Any

from simulator.brdata import card_brand, only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.providers.common import base_url, int_or_none
from simulator.providers.webpag import charges, instruments, present
from simulator.providers.webpag.base import (CARD, LINK, P, PAYER, PAYMENT, cfg, check, local, minute, new_id,
                                             owned, parse_local, payment_error, reais, second,
                                             too_far)
from simulator.providers.webpag.lists import page_of
from simulator.providers.webpag.payers import card_rules
from simulator.store.base import Record

METHODS = ("credit_card", "pix", "bank_slip")


def payer_of(ctx: Ctx, ident: Any) -> Record | None:
    record = ctx.sim.store.get(P, PAYER, str(int_or_none(ident)))
    return record if record is not None and record.get("_account") == ctx.account_id else None


def saved_card(ctx: Ctx, ident: Any, payer_id: int) -> Record | None:
    card = ctx.sim.store.get(P, CARD, str(int_or_none(ident)))
    ok = card is not None and card.get("_account") == ctx.account_id and card["payer_id"] == payer_id
    return card if ok and card is not None and card["active"] else None


def is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) > 10


def _rules(ctx: Ctx, body: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    payer = payer_of(ctx, body["payer_id"])
    if payer is None or payer["state"] != "active":
        errors["payer_id"] = ["O campo payer_id selecionado é inválido."]
    if len(body["name"].strip()) < 3:
        errors["name"] = ["O campo name deve ter pelo menos 3 caracteres."]
    if body["amount"] < 1:
        errors["amount"] = ["O campo amount deve ser pelo menos 1."]
    method = body["method"]
    if method not in METHODS:
        errors["method"] = ["O campo method selecionado é inválido."]
    if body.get("notification_url") is not None and not is_url(body["notification_url"]):
        errors["notification_url"] = ["O campo notification_url deve ser uma URL válida."]
    if body.get("due_date") is not None:
        due = parse_local(ctx.sim, body["due_date"])
        if due is None or too_far(ctx.sim, due):
            errors["due_date"] = ["O campo due_date não corresponde ao formato Y-m-d H:i."]
        elif due <= ctx.sim.clock.now() and method != "bank_slip":
            errors["due_date"] = ["O campo due_date deve ser uma data posterior a agora."]
        elif method == "bank_slip" and local(ctx.sim, due).date() < local(ctx.sim).date():
            errors["due_date"] = ["O campo due_date deve ser uma data posterior ou igual a hoje."]
    link_id = body.get("payment_link_id")
    if link_id is not None:
        link = ctx.sim.store.get(P, LINK, str(int_or_none(link_id)))
        if link is None or link.get("_account") != ctx.account_id:
            errors["payment_link_id"] = ["O campo payment_link_id selecionado é inválido."]
    if method == "credit_card":
        installments = body.get("installments")
        if installments is None:
            errors["installments"] = ["O campo installments é obrigatório quando method é credit_card."]
        elif not 1 <= installments <= 12:
            errors["installments"] = ["O campo installments deve estar entre 1 e 12."]
        if body.get("card_payer_id") is not None:
            if payer is not None and saved_card(ctx, body["card_payer_id"], payer["id"]) is None:
                errors["card_payer_id"] = ["O campo card_payer_id selecionado é inválido."]
        elif isinstance(body.get("card"), dict):
            errors.update(card_rules(ctx, body["card"], "card."))
        else:
            errors["card"] = ["O campo card é obrigatório quando card_payer_id não está presente."]
    return errors


def _card_for(ctx: Ctx, body: dict[str, Any], payer_id: int) -> Record:
    """The saved card, or the card of the request saved for the payer (INFERRED: WebPag tokenizes it)."""
    if body.get("card_payer_id") is not None:
        card = saved_card(ctx, body["card_payer_id"], payer_id)
        assert card is not None
        return card
    number = only_digits(str(body["card"]["number"]))
    card = ctx.tag({"id": new_id(ctx.sim, CARD), "payer_id": payer_id, "last_numbers": number[-4:], "active": True,
                    "created_at": second(ctx.sim), "_number": number, "_brand": card_brand(number)})
    ctx.sim.store.put(P, CARD, str(card["id"]), card)
    return card


def process_payment(ctx: Ctx) -> Reply:
    sim, body = ctx.sim, ctx.body
    order_id = body.get("order_id")
    if order_id is not None:
        for existing in sim.store.all(P, PAYMENT, ctx.account_id):
            if existing.get("order_id") == order_id:  # INFERRED: order_id keeps one payment per order
                return Reply(200, {"data": present.payment(sim, existing)})
    check(_rules(ctx, body))
    method = body["method"]
    record = ctx.tag(charges.new_payment(
        sim, ctx.account_id, base_url(ctx), payer_id=int(body["payer_id"]), name=body["name"].strip(),
        amount=body["amount"], method=method, notification_url=body.get("notification_url"),
        installments=int(body.get("installments") or 1), order_id=order_id))
    record["payment_link_id"] = int_or_none(body.get("payment_link_id"))
    due = parse_local(sim, body.get("due_date"))
    expiry = cfg(sim, "expiry") or {}
    if method == "pix":
        plan = charges.attach_pix(sim, record, due or sim.clock.now() + 60 * float(expiry.get("pix_minutes", 60)))
        charges.start(sim, record, ctx.plan or plan)
    elif method == "bank_slip":
        day = local(sim, due).date() if due else local(sim, sim.clock.now() + 86400 * float(
            expiry.get("bank_slip_days", 3))).date()
        due_ts = parse_local(sim, day.isoformat())
        assert due_ts is not None
        plan = charges.attach_boleto(sim, record, due_ts, body.get("accept_after_due_date"))
        charges.start(sim, record, ctx.plan or plan)
    else:
        card = _card_for(ctx, body, int(body["payer_id"]))
        record["card_id"] = card["id"]
        record["card_flag"] = instruments.card_flag(sim, card.get("_brand"))
        charges.start(sim, record, ctx.plan)
        if ctx.plan is None:
            decision = charges.charge_card(sim, record, str(card["_number"]))
            if decision["outcome"] == "failed":
                raise payment_error(sim, "card_error", str(decision.get("previous") or ""))
    return Reply(200, {"data": present.payment(sim, record)})


def _matches(sim: Any, p: dict[str, Any], record: Record, q: dict[str, str]) -> bool:
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
        states = (cfg(sim, "status_filters") or {}).get(status.lower())
        if is_digits(status) and p["status"] != int(status):
            return False
        if states is not None and record["state"] not in states:
            return False
    method = q.get("method", "")
    if method:
        code = int(method) if is_digits(method) else (cfg(sim, "method_filters") or {}).get(method.lower())
        if code is not None and p["method"] != code:
            return False
    return True


def list_payments(ctx: Ctx) -> Reply:
    """Newest first; unknown status/method values are ignored (the doc's own values are placeholders)."""
    records = sorted(ctx.sim.store.all(P, PAYMENT, ctx.account_id), key=lambda r: -int(r["id"]))
    shown = [(present.payment(ctx.sim, r), r) for r in records]
    items = [p for p, r in shown if _matches(ctx.sim, p, r, ctx.query)]
    return Reply(200, page_of(ctx, items, "/api/payments"))


def refund_payment(ctx: Ctx) -> Reply:
    sim = ctx.sim
    record = owned(ctx, PAYMENT, ctx.params["paymentId_id"])
    value = ctx.body.get("value") if isinstance(ctx.body, dict) else None
    if record["state"] != "paid":
        code, text = cfg(sim, "payment_status")[record["state"]]
        raise payment_error(sim, "refund_error", f"Pagamento com status {code} ({text}) não pode ser estornado.")
    remaining = int(record["amount"]) - int(record.get("amount_refunded", 0))
    if value is None:
        value = remaining
    if not 1 <= value <= remaining:
        check({"value": [f"O campo value deve estar entre 1 e {remaining}."]})
    record["amount_refunded"] = int(record.get("amount_refunded", 0)) + value
    tx = instruments.transaction(sim, "refund", True, "0 - CAPTURED", instruments.acquirer_id(sim),
                                 refunded=reais(value))
    record["transactions"].append(tx)
    record["updated_at"] = minute(sim)
    sim.store.put(P, PAYMENT, str(record["id"]), record)
    if record["amount_refunded"] >= record["amount"]:
        sim.lifecycles.transition(P, PAYMENT, str(record["id"]), "refunded", cause="refund")
    return Reply(200, {"data": present.transaction(tx)})
