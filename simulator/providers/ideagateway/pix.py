"""Idea Gateway Pix: dynamic and static charges, lookups, metadata, split link, bulk cancel, re-enable."""

from __future__ import annotations

from typing import Any

from simulator.brdata.pix import brcode
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.lifecycle import Plan
from simulator.providers.ideagateway.base import (
    P, body, by_custom_code, cents, new_uuid, owned, random_text, sequence, settings, start)
from simulator.sim import Sim
from simulator.store.base import Record

PIX_KINDS = ("pix", "pix_static")


def _merchant(sim: Sim) -> dict[str, Any]:
    return settings(sim, "merchant")


def dynamic_qr(sim: Sim, amount: int) -> str:
    """A location-based dynamic BR Code, as the real sandbox gives (Efí's QR host)."""
    cfg = settings(sim, "pix")
    location = str(cfg.get("location_host", "qrcodes-pix-h.gerencianet.com.br/v2/")) + random_text(
        sim, 32, "0123456789abcdef")
    m = _merchant(sim)
    return brcode(location_url=location, amount_cents=amount, merchant_name=str(m["name"]),
                  merchant_city=str(m["city"]), dynamic=True)


def static_qr(sim: Sim, txid: str, amount: int, name: str | None, city: str | None) -> str:
    m = _merchant(sim)
    return brcode(key=str(m["pix_key"]), amount_cents=amount, merchant_name=name or str(m["name"]),
                  merchant_city=city or str(m["city"]), txid=txid)


def shown(sim: Sim, pix: Record, amount_as_text: bool = False, created: bool = True) -> dict[str, Any]:
    """A Pix as GET /pix/{id} shows it (ops 7, 12, 14, 15)."""
    out: dict[str, Any] = {
        "id": pix["id"], "amount": str(pix["amount"]) if amount_as_text else pix["amount"],
        "status": pix["status"], "provider": settings(sim, "pix").get("provider", "gerencianet"),
        "customer": pix.get("customer") or {},
        "metadata": {"paymentId": pix["paymentId"], "nsu": pix.get("nsu", ""), "qrCode": pix["qrCode"],
                     "customCode": pix.get("customCode")}}
    if created:
        out["createdAt"] = pix["createdAt"]
    if pix.get("expire") is not None:
        out["expire"] = pix["expire"]
    for name in ("amountPaid", "paidAt", "refundedAmount", "refundedDate", "splitId"):
        if pix.get(name) is not None:
            out[name] = pix[name]
    return out


def _payment_id(ctx: Ctx, given: Any) -> str:
    if given is None:
        return random_text(ctx.sim, 32, "0123456789abcdef")
    for kind in PIX_KINDS:
        if any(r.get("paymentId") == given for r in ctx.sim.store.all(P, kind, ctx.account_id)):
            raise ProviderError("payment_id_taken")
    return str(given)


def create_pix(ctx: Ctx) -> Reply:
    data = body(ctx)
    amount = cents(data["amount"])
    expire = data.get("expire")
    seconds = float(expire) if expire is not None else float(settings(ctx.sim, "pix")["default_expire_seconds"])
    pix = {"id": new_uuid(ctx.sim), "amount": amount, "status": "pending", "customCode": data.get("customCode"),
           "customer": data.get("customer") or {}, "instructions": data.get("instructions"),
           "paymentId": _payment_id(ctx, data.get("paymentId")), "nsu": "", "qrCode": dynamic_qr(ctx.sim, amount),
           "expire": expire, "createdAt": ctx.sim.clock.now_iso(), "_seq": sequence(ctx.sim)}
    start(ctx, "pix", pix, Plan(to="expired", after_seconds=seconds))
    return Reply(201, {"id": pix["id"], "amount": amount, "qrCode": pix["qrCode"], "status": pix["status"],
                       "gatewayId": str(settings(ctx.sim, "pix").get("gateway_id", "4"))})


def _create_static(ctx: Ctx, infra: bool) -> Reply:
    data = body(ctx)
    amount = cents(data["amount"])
    ident = random_text(ctx.sim, 25)
    name = data.get("receiverName") if infra else None
    city = data.get("receiverCity") if infra else None
    pix: Record = {"id": ident, "amount": amount, "status": "pending", "customCode": data.get("customCode"),
           "customer": {}, "instructions": data.get("instructions"), "receiverName": name, "receiverCity": city,
           "paymentId": random_text(ctx.sim, 32, "0123456789abcdef"), "nsu": "",
           "qrCode": static_qr(ctx.sim, ident, amount, name, city), "static": True,
           "createdAt": ctx.sim.clock.now_iso(), "_seq": sequence(ctx.sim)}
    start(ctx, "pix_static", pix)
    return Reply(201, {"id": ident, "qrCode": pix["qrCode"]})


def create_static_pix(ctx: Ctx) -> Reply:
    return _create_static(ctx, infra=False)


def create_static_pix_infra(ctx: Ctx) -> Reply:
    return _create_static(ctx, infra=True)


def get_pix(ctx: Ctx) -> Reply:
    kind, pix = owned(ctx, PIX_KINDS, ctx.params["id"], "pix_not_found")
    ctx.sim.lifecycles.read(P, kind, pix)
    return Reply(200, shown(ctx.sim, pix))


def search_pix(ctx: Ctx) -> Reply:
    code = ctx.query.get("customCode")
    return Reply(200, [shown(ctx.sim, r) for _, r in by_custom_code(ctx, PIX_KINDS, code or None)])


def update_pix_metadata(ctx: Ctx) -> Reply:
    kind, pix = owned(ctx, PIX_KINDS, ctx.params["id"], "pix_not_found")
    pix["customCode"] = body(ctx)["customCode"]
    if not pix.get("nsu"):
        pix["nsu"] = pix["paymentId"]  # the seed's answer shows nsu filled in with the paymentId
    ctx.sim.store.put(P, kind, str(pix["id"]), pix)
    return Reply(200, shown(ctx.sim, pix, amount_as_text=True, created=False))


def link_pix_split(ctx: Ctx) -> Reply:
    found = by_custom_code(ctx, PIX_KINDS, str(body(ctx)["customCode"]))
    if not found:
        raise ProviderError("pix_not_found")
    kind, pix = found[-1]
    pix["splitId"] = ctx.params["id"]
    ctx.sim.store.put(P, kind, str(pix["id"]), pix)
    return Reply(200, shown(ctx.sim, pix))


def _flat(values: Any) -> list[str]:
    out: list[str] = []
    for v in values if isinstance(values, list) else [values]:
        out.extend(_flat(v) if isinstance(v, list) else [str(v)])
    return out


def cancel_pix(ctx: Ctx) -> Reply:
    canceled: list[str] = []
    not_found: list[str] = []
    for code in _flat(body(ctx)["customCodes"]):
        pending = [(k, r) for k, r in by_custom_code(ctx, PIX_KINDS, code) if r["status"] == "pending"]
        if not pending:
            not_found.append(code)
        for kind, pix in pending:
            ctx.sim.lifecycles.transition(P, kind, str(pix["id"]), "canceled", cause="provider")
            canceled.append(str(pix["id"]))
    if not canceled:
        raise ProviderError("cancel_failed")
    return Reply(200, {"canceled": canceled, "notFound": not_found})


def reenable_static_pix(ctx: Ctx) -> Reply:
    _, pix = owned(ctx, ("pix_static",), ctx.params["id"], "pix_not_found")
    pix["customCode"] = body(ctx)["customCode"]
    if pix["status"] != "pending":
        for name in ("amountPaid", "paidAt", "refundedAmount", "refundedDate"):
            pix.pop(name, None)
        ctx.sim.lifecycles.transition(P, "pix_static", str(pix["id"]), "pending", cause="provider")
    ctx.sim.store.put(P, "pix_static", str(pix["id"]), pix)
    return Reply(200, {"id": pix["id"], "amount": str(pix["amount"]), "status": pix["status"],
                       "qrCode": pix["qrCode"]})
