"""Payment links: the link page is the simulator's payer page `<base>/_sim/ui/pay/webpag/link/<id>`."""

from __future__ import annotations

from typing import Any

from simulator.engine.context import Ctx, Reply
from simulator.providers.common import base_url
from simulator.providers.webpag import present
from simulator.providers.webpag.base import LINK, P, cfg, check, micro_z, new_id, parse_local, too_far
from simulator.providers.webpag.lists import page_of
from simulator.providers.webpag.payments import is_url, payer_of

ACCEPTED = ("credit_card", "pix", "bankslip")


def _rules(ctx: Ctx, body: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    methods = body["accepted_methods"]
    if not methods or any(m not in ACCEPTED for m in methods):
        errors["accepted_methods"] = ['O campo accepted_methods deve conter "credit_card", "pix" e/ou "bankslip".']
    for name in ("name", "description"):
        if not isinstance(body.get(name), str) or not body[name].strip():
            errors[name] = [f"O campo {name} é obrigatório."]
    if body["value"] < 1:
        errors["value"] = ["O campo value deve ser pelo menos 1."]
    validity = parse_local(ctx.sim, body["validity"])
    if validity is None or too_far(ctx.sim, validity):
        errors["validity"] = ["O campo validity não corresponde ao formato Y-m-d ou Y-m-d H:i:s."]
    elif validity <= ctx.sim.clock.now():
        errors["validity"] = ["O campo validity deve ser uma data posterior a agora."]
    if body["validity_boleto"] < 1:
        errors["validity_boleto"] = ["O campo validity_boleto deve ser pelo menos 1."]
    if not 1 <= body["number_installments"] <= 12:
        errors["number_installments"] = ["O campo number_installments deve estar entre 1 e 12."]
    if body.get("accept_after_due_date") not in (None, 0, 1):
        errors["accept_after_due_date"] = ["O campo accept_after_due_date deve ser 0 ou 1."]
    frequencies = (cfg(ctx.sim, "recurrence") or {}).get("frequency_months") or {}
    if body.get("frequency") is not None and body["frequency"] not in frequencies:
        errors["frequency"] = ["O campo frequency selecionado é inválido."]
    if body.get("is_recurrence") and body.get("frequency") is None:
        errors["frequency"] = ["O campo frequency é obrigatório quando is_recurrence é true."]
    if body.get("recurrence_time") is not None and body["recurrence_time"] < 1:
        errors["recurrence_time"] = ["O campo recurrence_time deve ser pelo menos 1."]
    if body.get("payer_id") is not None and payer_of(ctx, body["payer_id"]) is None:
        errors["payer_id"] = ["O campo payer_id selecionado é inválido."]
    for name in ("notification_url", "return_url"):
        if body.get(name) is not None and not is_url(body[name]):
            errors[name] = [f"O campo {name} deve ser uma URL válida."]
    return errors


def create_payment_link(ctx: Ctx) -> Reply:
    body = ctx.body
    check(_rules(ctx, body))
    methods = body["accepted_methods"]
    link_id = new_id(ctx.sim, LINK)
    validity = parse_local(ctx.sim, body["validity"])
    record = ctx.tag({
        "id": link_id, "payer_id": body.get("payer_id"), "name": body["name"], "description": body["description"],
        "value": body["value"], "is_recurrence": bool(body.get("is_recurrence", False)),
        "frequency": body.get("frequency"), "pix_enabled": "pix" in methods,
        "credit_enabled": "credit_card" in methods, "boleto_enabled": "bankslip" in methods,
        "due_date_boleto": body["validity_boleto"], "accept_after_due_date": bool(body.get("accept_after_due_date")),
        "number_installments": body["number_installments"], "recurrence_time": body.get("recurrence_time"),
        "url": f"{base_url(ctx)}/_sim/ui/pay/webpag/link/{link_id}", "return_url": body.get("return_url"),
        "_notification_url": body.get("notification_url"), "_validity": micro_z(validity or 0)})
    ctx.sim.store.put(P, LINK, str(link_id), record)
    return Reply(200, {"data": present.link(record)})


def list_payment_links(ctx: Ctx) -> Reply:
    links = sorted(ctx.sim.store.all(P, LINK, ctx.account_id), key=lambda r: -int(r["id"]))
    return Reply(200, page_of(ctx, [present.link(r) for r in links], "/api/payment-links"))
