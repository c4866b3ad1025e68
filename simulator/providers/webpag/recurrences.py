"""Card recurrences: a saved card charged on its frequency whenever the clock passes the next date.

Each charge is an ordinary card payment (is_recurrent, with the recurrence_code) decided by the magic-card
table, with its own webhooks. The recurrence itself is shown as a payment object, as the examples do.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.providers.common import base_url, int_or_none
from simulator.providers.webpag import charges, instruments, present
from simulator.providers.webpag.base import (CARD, P, PAYMENT, RECURRENCE, add_months, cfg, check, fee, minute,
                                             new_id, parse_local, too_far)
from simulator.providers.webpag.lists import page_of
from simulator.providers.webpag.payments import payer_of, saved_card
from simulator.sim import Sim
from simulator.store.base import Record


def _months(sim: Sim, frequency: str) -> int:
    return int(((cfg(sim, "recurrence") or {}).get("frequency_months") or {})[frequency])


def _rules(ctx: Ctx, body: dict[str, Any], record: Record | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    frequencies = (cfg(ctx.sim, "recurrence") or {}).get("frequency_months") or {}
    if "name" in body and len(str(body["name"]).strip()) < 3:
        errors["name"] = ["O campo name deve ter pelo menos 3 caracteres."]
    if "amount" in body and body["amount"] < 1:
        errors["amount"] = ["O campo amount deve ser pelo menos 1."]
    if body.get("installments") is not None and body["installments"] < 1:
        errors["installments"] = ["O campo installments deve ser pelo menos 1."]
    if "frequency" in body and body["frequency"] not in frequencies:
        errors["frequency"] = ["O campo frequency selecionado é inválido."]
    payer_id = record["payer_id"] if record else None
    if record is None:
        payer = payer_of(ctx, body["payer_id"])
        if payer is None or payer["state"] != "active":
            errors["payer_id"] = ["O campo payer_id selecionado é inválido."]
        payer_id = payer["id"] if payer else None
    if "card_payer_id" in body and (payer_id is None or saved_card(ctx, body["card_payer_id"], payer_id) is None):
        errors["card_payer_id"] = ["O campo card_payer_id selecionado é inválido."]
    for name in ("start_date", "next_date"):
        if name in body:
            when = parse_local(ctx.sim, body[name])
            if when is None or too_far(ctx.sim, when):
                errors[name] = [f"O campo {name} não corresponde ao formato Y-m-d H:i."]
            elif name == "next_date" and when <= ctx.sim.clock.now():
                errors[name] = ["O campo next_date deve ser uma data posterior a agora."]
    return errors


def schedule(sim: Sim, record: Record) -> None:
    due = float(record["_due"])
    code = str(record["recurrence_code"])
    sim.scheduler.at(due, lambda: charge_due(sim, code, due), tag=f"{P}:recurrence:{code}")


def charge_due(sim: Sim, code: str, due: float) -> None:
    """One charge of the recurrence, if it is still active and this is still its due time."""
    record = sim.store.get(P, RECURRENCE, code)
    if record is None or record["state"] != "active" or float(record["_due"]) != due:
        return
    card = sim.store.get(P, CARD, str(record["card_id"]))
    pay = charges.new_payment(sim, record["_account"], record["_base"], payer_id=record["payer_id"],
                              name=record["name"], amount=record["amount"], method="credit_card",
                              scenarios=record.get("_scenarios"))
    pay.update({"recurrence_code": record["recurrence_code"], "frequency": record["frequency"],
                "card_id": record["card_id"], "card_flag": record.get("card_flag")})
    if record.get("_chaos"):
        pay["_chaos"] = dict(record["_chaos"])
    charges.start(sim, pay, None)
    if card is not None and card["active"]:
        charges.charge_card(sim, pay, str(card["_number"]))
    else:
        sim.lifecycles.transition(P, PAYMENT, str(pay["id"]), "failed", "Cartão removido", cause="recurrence")
    record = sim.store.get(P, RECURRENCE, code) or record
    record["charges"] = int(record.get("charges", 0)) + 1
    if pay["state"] in ("paid", "in_analysis"):
        record["installments_paid"] = int(record.get("installments_paid", 0)) + 1
        record["paid_at"] = minute(sim)
    record["updated_at"] = minute(sim)
    if record.get("installments") and record["charges"] >= int(record["installments"]):
        sim.store.put(P, RECURRENCE, code, record)
        sim.lifecycles.transition(P, RECURRENCE, code, "finished", cause="last charge")
        return
    record["_due"] = add_months(sim, due, _months(sim, record["frequency"]))
    record["next_date"] = minute(sim, record["_due"])
    sim.store.put(P, RECURRENCE, code, record)
    schedule(sim, record)


def create_recurrence(ctx: Ctx) -> Reply:
    sim, body = ctx.sim, ctx.body
    check(_rules(ctx, body, None))
    card = saved_card(ctx, body["card_payer_id"], int(body["payer_id"]))
    assert card is not None
    start = parse_local(sim, body["start_date"])
    assert start is not None
    code = new_id(sim, RECURRENCE)
    due = max(start, sim.clock.now())  # INFERRED: a start in the past charges at once
    record = ctx.tag({
        "id": new_id(sim, PAYMENT), "recurrence_code": code, "payer_id": int(body["payer_id"]),
        "card_id": card["id"], "name": body["name"], "amount": body["amount"],
        "fee_value": fee(sim, "credit_card", body["amount"]), "installments": body.get("installments"),
        "frequency": body["frequency"], "gateway": (cfg(sim, "gateways") or {}).get("credit_card"),
        "card_flag": instruments.card_flag(sim, card.get("_brand")), "state": "active", "charges": 0,
        "installments_paid": 0, "start_date": minute(sim, start), "next_date": minute(sim, due), "_due": due,
        "notify_payer": body.get("notify_payer"), "created_at": minute(sim), "updated_at": minute(sim),
        "paid_at": None, "_base": base_url(ctx),
        "receipt_pdf_path": f"{base_url(ctx)}/webpag/payments/recurrence-{code}/pdf"})
    sim.store.put(P, RECURRENCE, str(code), record)
    sim.lifecycles.enter(P, RECURRENCE, record)
    schedule(sim, record)
    return Reply(200, {"data": present.recurrence(sim, record)})


def _owned(ctx: Ctx) -> Record:
    raw = ctx.params["recurrence_code"]
    record = ctx.sim.store.get(P, RECURRENCE, str(int_or_none(raw)))
    if record is None or record.get("_account") != ctx.account_id:
        raise ProviderError("not_found", {"model": "Payment", "id": raw})
    return record


def list_recurrences(ctx: Ctx) -> Reply:
    records = sorted(ctx.sim.store.all(P, RECURRENCE, ctx.account_id), key=lambda r: -int(r["id"]))
    q = ctx.query
    if int_or_none(q.get("payer_id")) is not None:
        records = [r for r in records if r["payer_id"] == int_or_none(q["payer_id"])]
    if q.get("recurrence_code"):
        records = [r for r in records if str(r["recurrence_code"]) == q["recurrence_code"]]
    shown = [present.recurrence(ctx.sim, r) for r in records]
    return Reply(200, page_of(ctx, shown, "/api/payments/recurrency/list"))


def update_recurrence(ctx: Ctx) -> Reply:
    sim = ctx.sim
    record = _owned(ctx)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    errors = _rules(ctx, body, record)
    if record["state"] != "active":
        errors.setdefault("recurrence_code", []).append("A recorrência não está ativa.")
    check(errors)
    for name in ("name", "amount", "installments", "frequency"):
        if name in body:
            record[name] = body[name]
    record["fee_value"] = fee(sim, "credit_card", record["amount"])
    if "card_payer_id" in body:
        card = saved_card(ctx, body["card_payer_id"], record["payer_id"])
        assert card is not None
        record["card_id"] = card["id"]
        record["card_flag"] = instruments.card_flag(sim, card.get("_brand"))
    if "next_date" in body:
        record["_due"] = parse_local(sim, body["next_date"])
        record["next_date"] = minute(sim, record["_due"])
        schedule(sim, record)
    record["updated_at"] = minute(sim)
    sim.store.put(P, RECURRENCE, str(record["recurrence_code"]), record)
    return Reply(200, {"data": present.recurrence(sim, record)})


def cancel_recurrence(ctx: Ctx) -> Reply:
    record = _owned(ctx)
    if record["state"] == "active":
        record = ctx.sim.lifecycles.transition(P, RECURRENCE, str(record["recurrence_code"]), "cancelled",
                                               cause="api")
        record["updated_at"] = minute(ctx.sim)
    return Reply(200, {"data": present.recurrence(ctx.sim, record)})
