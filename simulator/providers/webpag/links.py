"""Payment links: the link page is WebPag's payer page `<base>/_sim/ui/pay/webpag/link/<id>` (pages.py). Input
rules and their messages are the spec's (`x-rules`, `x-messages`)."""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.providers.webpag import present
from simulator.providers.webpag.base import LINK, micro_z, new_id
from simulator.providers.webpag.lists import page_of


def create_payment_link(ctx: Ctx) -> Reply:
    body = ctx.data
    methods = body["accepted_methods"]
    link_id = new_id(ctx.env, ctx.scope, LINK)
    validity = ctx.env.time.parse(body["validity"])
    record = ctx.scope.new({
        "id": link_id, "payer_id": body.get("payer_id"), "name": body["name"], "description": body["description"],
        "value": body["value"], "is_recurrence": bool(body.get("is_recurrence", False)),
        "frequency": body.get("frequency"), "pix_enabled": "pix" in methods,
        "credit_enabled": "credit_card" in methods, "boleto_enabled": "bankslip" in methods,
        "due_date_boleto": body["validity_boleto"], "accept_after_due_date": bool(body.get("accept_after_due_date")),
        "number_installments": body["number_installments"], "recurrence_time": body.get("recurrence_time"),
        "url": f"{ctx.base_url}/_sim/ui/pay/webpag/link/{link_id}", "return_url": body.get("return_url")})
    record.private.update(notification_url=body.get("notification_url"), validity=micro_z(validity or 0))
    ctx.scope.put(LINK, link_id, record)
    return Reply(200, {"data": present.link(record)})


def list_payment_links(ctx: Ctx) -> Reply:
    links = sorted(ctx.scope.all(LINK), key=lambda r: -int(r["id"]))
    return Reply(200, page_of(ctx, [present.link(r) for r in links], "/api/payment-links"))
