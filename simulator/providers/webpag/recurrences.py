"""Card recurrences: a saved card charged on its frequency whenever the clock passes the next date.

Each charge is an ordinary card payment (is_recurrent, with the recurrence_code) decided by the magic-card
table, with its own webhooks. The recurrence itself is shown as a payment object, as the examples do. Input
rules and their messages are the spec's (`x-rules`, `x-messages`), but one: an update's card must be a saved
card of the recurrence's own payer.
"""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.providers.common import int_or_none
from simulator.providers.webpag import charges, instruments, present
from simulator.providers.webpag.base import CARD, PAYMENT, RECURRENCE, cfg, check, fee, minute, new_id
from simulator.providers.webpag.lists import page_of
from simulator.records import Record
from simulator.store.scope import Tags

TIMER = "recurrence"  # the provider's timer that charges a recurrence (hooks `timers`)


def _months(env: ProviderEnv, frequency: str) -> int:
    return int(((cfg(env, "recurrence") or {}).get("frequency_months") or {})[frequency])


def saved_card(ctx: Ctx, ident: object, payer_id: int) -> Record | None:
    card = ctx.scope.get(CARD, int_or_none(ident) or 0)
    return card if card is not None and card["payer_id"] == payer_id and card["active"] else None


def update_card_check(ctx: Ctx, refused: set[str]) -> list[tuple[str, str]]:
    """update_recurrence: the card must be a saved card of the recurrence's own payer."""
    record = ctx.scope.get(RECURRENCE, int_or_none(ctx.params.get("recurrence_code")) or 0)
    card_id = ctx.data.get("card_payer_id")
    if record is None or card_id is None or "card_payer_id" in refused:
        return []
    if saved_card(ctx, card_id, int(record["payer_id"])) is None:
        return [("card_payer_id", ctx.message("card_payer_id", "exists"))]
    return []


def schedule(env: ProviderEnv, record: Record) -> None:
    env.at(float(record.private["due"]), TIMER, str(record["recurrence_code"]))


def charge_due(env: ProviderEnv, code: str, due: float) -> None:
    """One charge of the recurrence, if it is still active and this is still its due time."""
    record = env.view.get(RECURRENCE, code)
    if record is None or record["state"] != "active" or float(record.private["due"]) != due:
        return
    scope = env.records(record.meta.account, Tags(record.meta.scenarios, record.meta.chaos))
    card = scope.get(CARD, record["card_id"])
    pay = charges.new_payment(env, scope, str(record.private["base"]), payer_id=record["payer_id"],
                              name=record["name"], amount=record["amount"], method="credit_card")
    pay.update({"recurrence_code": record["recurrence_code"], "frequency": record["frequency"],
                "card_id": record["card_id"], "card_flag": record.get("card_flag")})
    env.enter(scope, PAYMENT, pay)
    if card is not None and card["active"]:
        charges.charge_card(env, scope, pay, str(card.private["number"]))
    else:
        env.transition(scope, PAYMENT, pay["id"], "failed", "Cartão removido", cause="recurrence")
    record = scope.get(RECURRENCE, code) or record
    record["charges"] = int(record.get("charges", 0)) + 1
    if pay["state"] in ("paid", "in_analysis"):
        record["installments_paid"] = int(record.get("installments_paid", 0)) + 1
        record["paid_at"] = minute(env)
    record["updated_at"] = minute(env)
    if record.get("installments") and record["charges"] >= int(record["installments"]):
        scope.put(RECURRENCE, code, record)
        env.transition(scope, RECURRENCE, code, "finished", cause="last charge")
        return
    record.private["due"] = env.time.add_months(due, _months(env, record["frequency"]))
    record["next_date"] = minute(env, record.private["due"])
    scope.put(RECURRENCE, code, record)
    schedule(env, record)


def create_recurrence(ctx: Ctx) -> Reply:
    env, body = ctx.env, ctx.data
    card = saved_card(ctx, body["card_payer_id"], int(body["payer_id"]))
    start = env.time.parse(body["start_date"])
    assert card is not None and start is not None  # the spec's rules checked them
    code = new_id(env, ctx.scope, RECURRENCE)
    due = max(start, env.clock.now())  # INFERRED: a start in the past charges at once
    record = ctx.scope.new({
        "id": new_id(env, ctx.scope, PAYMENT), "recurrence_code": code, "payer_id": int(body["payer_id"]),
        "card_id": card["id"], "name": body["name"], "amount": body["amount"],
        "fee_value": fee(env, "credit_card", int(body["amount"])), "installments": body.get("installments"),
        "frequency": body["frequency"], "gateway": (cfg(env, "gateways") or {}).get("credit_card"),
        "card_flag": instruments.card_flag(env, card.private.get("brand")), "state": "active", "charges": 0,
        "installments_paid": 0, "start_date": minute(env, start), "next_date": minute(env, due),
        "notify_payer": body.get("notify_payer"), "created_at": minute(env), "updated_at": minute(env),
        "paid_at": None, "receipt_pdf_path": f"{ctx.base_url}/webpag/payments/recurrence-{code}/pdf"})
    record.private.update(due=due, base=ctx.base_url)
    env.enter(ctx.scope, RECURRENCE, record)
    schedule(env, record)
    return Reply(200, {"data": present.recurrence(env, record)})


def _owned(ctx: Ctx) -> Record:
    raw = ctx.params["recurrence_code"]
    return ctx.scope.require(RECURRENCE, int_or_none(raw) or 0, "not_found", {"model": "Payment", "id": raw})


def list_recurrences(ctx: Ctx) -> Reply:
    records = sorted(ctx.scope.all(RECURRENCE), key=lambda r: -int(r["id"]))
    q = ctx.query
    if int_or_none(q.get("payer_id")) is not None:
        records = [r for r in records if r["payer_id"] == int_or_none(q["payer_id"])]
    if q.get("recurrence_code"):
        records = [r for r in records if str(r["recurrence_code"]) == q["recurrence_code"]]
    return Reply(200, page_of(ctx, records, "/api/payments/recurrency/list",
                               lambda r: present.recurrence(ctx.env, r)))


def update_recurrence(ctx: Ctx) -> Reply:
    env = ctx.env
    record = _owned(ctx)
    body = ctx.data
    if record["state"] != "active":
        check({"recurrence_code": ["A recorrência não está ativa."]})
    for name in ("name", "amount", "installments", "frequency"):  # every field is nullable: null is as not sent
        if body.get(name) is not None:
            record[name] = body[name]
    record["fee_value"] = fee(env, "credit_card", int(record["amount"]))
    if body.get("card_payer_id") is not None:
        card = saved_card(ctx, body["card_payer_id"], int(record["payer_id"]))
        assert card is not None
        record["card_id"] = card["id"]
        record["card_flag"] = instruments.card_flag(env, card.private.get("brand"))
    if body.get("next_date") is not None:
        record.private["due"] = env.time.parse(body["next_date"])
        record["next_date"] = minute(env, record.private["due"])
        schedule(env, record)
    record["updated_at"] = minute(env)
    ctx.scope.put(RECURRENCE, record["recurrence_code"], record)
    return Reply(200, {"data": present.recurrence(env, record)})


def cancel_recurrence(ctx: Ctx) -> Reply:
    record = _owned(ctx)
    if record["state"] == "active":
        record = ctx.env.transition(ctx.scope, RECURRENCE, record["recurrence_code"], "cancelled", cause="api")
        record["updated_at"] = minute(ctx.env)
        ctx.scope.put(RECURRENCE, record["recurrence_code"], record)
    return Reply(200, {"data": present.recurrence(ctx.env, record)})
