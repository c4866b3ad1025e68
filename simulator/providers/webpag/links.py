"""Payment links: the link's `url` has the documented shape `https://api.webpag.com.br/payment-link/<id>/<16 letters
and digits>` on the simulator's own host, `<base>/webpag/payment-link/<id>/<hash>`, where the payer's page is
served (pages.py). Input rules and their messages are the spec's (`x-rules`, `x-messages`)."""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.providers.webpag import present
from simulator.providers.webpag.base import LINK, digits, micro_z, new_id
from simulator.providers.webpag.lists import page_of

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def create_payment_link(ctx: Ctx) -> Reply:
    body = ctx.data
    methods = body["accepted_methods"]
    link_id = new_id(ctx.env, ctx.scope, LINK)
    validity = ctx.env.time.parse(body["validity"])
    link_hash = digits(ctx.env, 16, ALNUM)
    record = ctx.scope.new({
        "id": link_id, "payer_id": body.get("payer_id"), "name": body["name"], "description": body["description"],
        "value": body["value"], "is_recurrence": bool(body.get("is_recurrence", False)),
        "frequency": body.get("frequency"), "pix_enabled": "pix" in methods,
        "credit_enabled": "credit_card" in methods, "boleto_enabled": "bankslip" in methods,
        "due_date_boleto": body["validity_boleto"], "accept_after_due_date": bool(body.get("accept_after_due_date")),
        "number_installments": body["number_installments"], "recurrence_time": body.get("recurrence_time"),
        "url": ctx.provider_url(f"/payment-link/{link_id}/{link_hash}"), "return_url": body.get("return_url")})
    record.private.update(notification_url=body.get("notification_url"), validity=micro_z(validity or 0),
                          hash=link_hash)
    ctx.scope.put(LINK, link_id, record)
    return Reply(200, {"data": present.link(record)})


def list_payment_links(ctx: Ctx) -> Reply:
    links = sorted(ctx.scope.all(LINK), key=lambda r: -int(r["id"]))
    return Reply(200, page_of(ctx, links, "/api/payment-links", present.link))
