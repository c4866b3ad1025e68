"""Idea Gateway Pix: dynamic and static charges, lookups, metadata, split link, bulk cancel, re-enable."""

from __future__ import annotations

from typing import TypedDict, cast

from simulator.behaviour.config import Plan
from simulator.brdata.pix import brcode
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.providers.ideagateway.base import (by_custom_code, cents, new_record, new_uuid, owned, random_text,
                                                  settings, start)
from simulator.records import JSON, Record

PIX_KINDS = ("pix", "pix_static")


class Merchant(TypedDict):
    """behaviour.yaml `merchant:` (schema.py: all three required)."""
    name: str
    city: str
    pix_key: str


def _merchant(env: ProviderEnv) -> Merchant:
    return cast(Merchant, settings(env, "merchant"))


def dynamic_qr(env: ProviderEnv, amount: int) -> str:
    """A location-based dynamic BR Code, as the real sandbox gives (Efí's QR host)."""
    cfg = settings(env, "pix")
    location = str(cfg.get("location_host", "qrcodes-pix-h.gerencianet.com.br/v2/")) + random_text(
        env, 32, "0123456789abcdef")
    m = _merchant(env)
    return brcode(location_url=location, amount_cents=amount, merchant_name=str(m["name"]),
                  merchant_city=str(m["city"]), dynamic=True)


def static_qr(env: ProviderEnv, txid: str, amount: int, name: str | None, city: str | None) -> str:
    m = _merchant(env)
    return brcode(key=str(m["pix_key"]), amount_cents=amount, merchant_name=name or str(m["name"]),
                  merchant_city=city or str(m["city"]), txid=txid)


def shown(env: ProviderEnv, pix: Record, amount_as_text: bool = False, created: bool = True) -> dict[str, JSON]:
    """A Pix as GET /pix/{id} shows it (ops 7, 12, 14, 15): its customer as {name, documentNumber} (null when the
    charge's customer had none)."""
    stored = pix.get("customer")
    customer: dict[str, JSON] = stored if isinstance(stored, dict) else {}
    out: dict[str, JSON] = {
        "id": pix["id"], "amount": str(pix["amount"]) if amount_as_text else pix["amount"],
        "status": pix["status"], "provider": settings(env, "pix").get("provider", "gerencianet"),
        "customer": {"name": customer.get("name"), "documentNumber": customer.get("documentNumber")},
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


def _payment_id(ctx: Ctx, given: object) -> str:
    if given is None:
        return random_text(ctx.env, 32, "0123456789abcdef")
    for kind in PIX_KINDS:
        if any(r.get("paymentId") == given for r in ctx.scope.all(kind)):
            raise ProviderError("payment_id_taken")
    return str(given)


def create_pix(ctx: Ctx) -> Reply:
    data = ctx.data
    amount = cents(ctx, data["amount"])
    expire = data.get("expire")
    seconds = float(expire) if expire is not None else float(settings(ctx.env, "pix")["default_expire_seconds"])
    pix = new_record(ctx, {
        "id": new_uuid(ctx.env), "amount": amount, "status": "pending", "customCode": data.get("customCode"),
        "customer": data.get("customer") or {}, "instructions": data.get("instructions"),
        "paymentId": _payment_id(ctx, data.get("paymentId")), "nsu": "", "qrCode": dynamic_qr(ctx.env, amount),
        "expire": expire, "createdAt": ctx.env.clock.now_iso()})
    start(ctx, "pix", pix, Plan(to="expired", after_seconds=seconds))
    return Reply(201, {"id": pix["id"], "amount": amount, "qrCode": pix["qrCode"], "status": pix["status"],
                       "gatewayId": str(settings(ctx.env, "pix").get("gateway_id", "4"))})


def _create_static(ctx: Ctx, infra: bool) -> Reply:
    data = ctx.data
    amount = cents(ctx, data["amount"])
    ident = random_text(ctx.env, 25)
    name = data.get("receiverName") if infra else None
    city = data.get("receiverCity") if infra else None
    pix = new_record(ctx, {
        "id": ident, "amount": amount, "status": "pending", "customCode": data.get("customCode"), "customer": {},
        "instructions": data.get("instructions"), "receiverName": name, "receiverCity": city,
        "paymentId": random_text(ctx.env, 32, "0123456789abcdef"), "nsu": "",
        "qrCode": static_qr(ctx.env, ident, amount, name, city), "static": True,
        "createdAt": ctx.env.clock.now_iso()})
    start(ctx, "pix_static", pix)
    return Reply(201, {"id": ident, "qrCode": pix["qrCode"]})


def create_static_pix(ctx: Ctx) -> Reply:
    return _create_static(ctx, infra=False)


def create_static_pix_infra(ctx: Ctx) -> Reply:
    return _create_static(ctx, infra=True)


def get_pix(ctx: Ctx) -> Reply:
    kind, pix = owned(ctx, PIX_KINDS, ctx.params["id"], "pix_not_found")
    ctx.env.lifecycles.read(ctx.scope, kind, pix)
    return Reply(200, shown(ctx.env, pix))


def search_pix(ctx: Ctx) -> Reply:
    code = ctx.query.get("customCode")
    return Reply(200, [shown(ctx.env, r) for _, r in by_custom_code(ctx, PIX_KINDS, code or None)])


def update_pix_metadata(ctx: Ctx) -> Reply:
    kind, pix = owned(ctx, PIX_KINDS, ctx.params["id"], "pix_not_found")
    pix["customCode"] = ctx.data["customCode"]
    if not pix.get("nsu"):
        pix["nsu"] = pix["paymentId"]  # the seed's answer shows nsu filled in with the paymentId
    ctx.scope.put(kind, pix["id"], pix)
    return Reply(200, shown(ctx.env, pix, amount_as_text=True, created=False))


def link_pix_split(ctx: Ctx) -> Reply:
    found = by_custom_code(ctx, PIX_KINDS, str(ctx.data["customCode"]))
    if not found:
        raise ProviderError("pix_not_found")
    kind, pix = found[-1]
    pix["splitId"] = ctx.params["id"]
    ctx.scope.put(kind, pix["id"], pix)
    return Reply(200, shown(ctx.env, pix))


def _flat(values: object) -> list[str]:
    out: list[str] = []
    for v in values if isinstance(values, list) else [values]:
        out.extend(_flat(v) if isinstance(v, list) else [str(v)])
    return out


def cancel_pix(ctx: Ctx) -> Reply:
    canceled: list[str] = []
    not_found: list[str] = []
    for code in _flat(ctx.data["customCodes"]):
        pending = [(k, r) for k, r in by_custom_code(ctx, PIX_KINDS, code) if r["status"] == "pending"]
        if not pending:
            not_found.append(code)
        for kind, pix in pending:
            ctx.env.transition(ctx.scope, kind, pix["id"], "canceled", cause="provider")
            canceled.append(str(pix["id"]))
    if not canceled:
        raise ProviderError("cancel_failed")
    return Reply(200, {"canceled": canceled, "notFound": not_found})


def reenable_static_pix(ctx: Ctx) -> Reply:
    _, pix = owned(ctx, ("pix_static",), ctx.params["id"], "pix_not_found")
    pix["customCode"] = ctx.data["customCode"]
    if pix["status"] != "pending":
        for name in ("amountPaid", "paidAt", "refundedAmount", "refundedDate"):
            pix.pop(name, None)
        ctx.env.transition(ctx.scope, "pix_static", pix["id"], "pending", cause="provider")
    ctx.scope.put("pix_static", pix["id"], pix)
    return Reply(200, {"id": pix["id"], "amount": str(pix["amount"]), "status": pix["status"],
                       "qrCode": pix["qrCode"]})
