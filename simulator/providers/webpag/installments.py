"""Installment plans (crediário): N monthly boleto payments of method 50, cancelled together. Input rules and
their messages are the spec's (`x-rules`, `x-messages`)."""

from __future__ import annotations

from simulator.behaviour.money import two_decimals
from simulator.engine.context import Ctx, Reply
from simulator.providers.common import int_or_none
from simulator.providers.webpag import charges, present
from simulator.providers.webpag.base import PAYER, PAYMENT, PLAN, business, digits, new_id, owned, second
from simulator.providers.webpag.lists import page_of


def create_installment_plan(ctx: Ctx) -> Reply:
    env, body = ctx.env, ctx.data
    payer = ctx.scope.require(PAYER, int(body["payer"]), "not_found", {"model": "Payer", "id": body["payer"]})
    count, amount = int(body["number_installments"]), int(body["amount"])
    first = env.time.parse(body["first_date"])
    assert first is not None  # the spec's rules checked it
    accept = body.get("accept_after_due_date")
    now = second(env)
    plan_id = new_id(env, ctx.scope, PLAN)
    share, rest = divmod(amount, count)
    installments: list[dict[str, object]] = []
    name = f"Crediário do(a) {payer['first_name']} {payer['last_name']}"
    for n in range(1, count + 1):
        cents = share + (rest if n == 1 else 0)  # INFERRED: the rounding remainder goes on the first one
        due = env.time.add_months(first, n - 1)
        pay = charges.new_payment(env, ctx.scope, ctx.base_url, payer_id=payer["id"],
                                  name=f"Parcela {n}/{count} - {name}", amount=cents, method="installment")
        plan = charges.attach_boleto(env, ctx.scope, pay, due, accept)
        env.enter(ctx.scope, PAYMENT, pay, ctx.plan or plan)
        installments.append({"id": new_id(env, ctx.scope, "installment"), "payment_id": pay["id"],
                             "code": digits(env, 13, "0123456789abcdef"), "number": n,
                             "due_date": second(env, due), "amount": two_decimals(cents)})
    record = ctx.scope.new({
        "id": plan_id, "name": name, "business_id": business(env, ctx.account_id).get("id"),
        "payer_id": payer["id"], "number_installments": count, "amount_original": two_decimals(amount),
        "first_date": second(env, first), "accept_after_due_date": accept, "cancelled": False, "created_at": now,
        "updated_at": now, "installments": installments})
    ctx.scope.put(PLAN, plan_id, record)
    return Reply(200, {"data": present.plan(env, record)})


def list_installment_plans(ctx: Ctx) -> Reply:
    plans = sorted(ctx.scope.all(PLAN), key=lambda r: -int(r["id"]))
    payer_id = int_or_none(ctx.query.get("payer_id"))
    if payer_id is not None:
        plans = [p for p in plans if p["payer_id"] == payer_id]
    return Reply(200, page_of(ctx, plans, "/api/installments", lambda p: present.plan(ctx.env, p)))


def get_installment_plan(ctx: Ctx) -> Reply:
    record = owned(ctx, PLAN, ctx.params["installmentPlan_id"])
    return Reply(200, {"data": present.plan(ctx.env, record)})


def cancel_installment_plan(ctx: Ctx) -> Reply:
    """Open installments are cancelled (their payments go to 60); paid ones stay paid."""
    env = ctx.env
    record = owned(ctx, PLAN, ctx.params["installmentPlan"])
    if not record.get("cancelled"):
        for item in record["installments"]:
            pay = ctx.scope.get(PAYMENT, item["payment_id"])
            if pay is not None and pay["state"] == "waiting":
                env.transition(ctx.scope, PAYMENT, pay["id"], "cancelled", cause="plan cancelled")
        record["cancelled"] = True
        record["updated_at"] = second(env)
        ctx.scope.put(PLAN, record["id"], record)
    return Reply(200, {"data": present.plan(env, record)})
