"""Installment plans (crediário): N monthly boleto payments of method 50, cancelled together."""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.providers.common import base_url, int_or_none
from simulator.providers.webpag import charges, present
from simulator.providers.webpag.base import (P, PAYMENT, PLAN, add_months, business, check, digits, local,
                                             new_id, owned, parse_local, reais, second, too_far)
from simulator.providers.webpag.lists import page_of
from simulator.providers.webpag.payments import payer_of


def create_installment_plan(ctx: Ctx) -> Reply:
    sim, body = ctx.sim, ctx.body
    payer = payer_of(ctx, body["payer"])
    errors: dict[str, list[str]] = {}
    if payer is None or payer["state"] != "active":
        errors["payer"] = ["O campo payer selecionado é inválido."]
    count, amount = body["number_installments"], body["amount"]
    if not 1 <= count <= 48:
        errors["number_installments"] = ["O campo number_installments deve estar entre 1 e 48."]
    elif amount < count:
        errors["amount"] = ["O campo amount deve ser pelo menos o número de parcelas em centavos."]
    first = parse_local(sim, body["first_date"])
    if first is None or too_far(sim, first) or local(sim, first).date() < local(sim).date():
        errors["first_date"] = ["O campo first_date deve ser uma data posterior ou igual a hoje."]
    check(errors)
    assert payer is not None and first is not None
    accept = body.get("accept_after_due_date")
    now = second(sim)
    plan_id = new_id(sim, PLAN)
    share, rest = divmod(amount, count)
    installments = []
    for n in range(1, count + 1):
        cents = share + (rest if n == 1 else 0)  # INFERRED: the rounding remainder goes on the first one
        due = add_months(sim, first, n - 1)
        pay = ctx.tag(charges.new_payment(
            sim, ctx.account_id, base_url(ctx), payer_id=payer["id"],
            name=f"Parcela {n}/{count} - Crediário do(a) {payer['first_name']} {payer['last_name']}",
            amount=cents, method="installment"))
        plan = charges.attach_boleto(sim, pay, due, accept)
        charges.start(sim, pay, ctx.plan or plan)
        installments.append({"id": new_id(sim, "installment"), "payment_id": pay["id"],
                             "code": digits(sim.rng(P), 13, "0123456789abcdef"), "number": n,
                             "due_date": second(sim, due), "amount": reais(cents)})
    record = ctx.tag({
        "id": plan_id, "name": f"Crediário do(a) {payer['first_name']} {payer['last_name']}",
        "business_id": business(sim, ctx.account_id).get("id"), "payer_id": payer["id"],
        "number_installments": count, "amount_original": reais(amount), "first_date": second(sim, first),
        "accept_after_due_date": accept, "cancelled": False, "created_at": now, "updated_at": now,
        "installments": installments})
    sim.store.put(P, PLAN, str(plan_id), record)
    return Reply(200, {"data": present.plan(sim, record)})


def list_installment_plans(ctx: Ctx) -> Reply:
    plans = sorted(ctx.sim.store.all(P, PLAN, ctx.account_id), key=lambda r: -int(r["id"]))
    payer_id = int_or_none(ctx.query.get("payer_id"))
    if payer_id is not None:
        plans = [p for p in plans if p["payer_id"] == payer_id]
    return Reply(200, page_of(ctx, [present.plan(ctx.sim, p) for p in plans], "/api/installments"))


def get_installment_plan(ctx: Ctx) -> Reply:
    record = owned(ctx, PLAN, ctx.params["installmentPlan_id"])
    return Reply(200, {"data": present.plan(ctx.sim, record)})


def cancel_installment_plan(ctx: Ctx) -> Reply:
    """Open installments are cancelled (their payments go to 60); paid ones stay paid."""
    sim = ctx.sim
    record = owned(ctx, PLAN, ctx.params["installmentPlan"])
    if not record.get("cancelled"):
        for item in record["installments"]:
            pay = sim.store.get(P, PAYMENT, str(item["payment_id"]))
            if pay is not None and pay["state"] == "waiting":
                sim.lifecycles.transition(P, PAYMENT, str(pay["id"]), "cancelled", cause="plan cancelled")
        record["cancelled"] = True
        record["updated_at"] = second(sim)
        sim.store.put(P, PLAN, str(record["id"]), record)
    return Reply(200, {"data": present.plan(sim, record)})
