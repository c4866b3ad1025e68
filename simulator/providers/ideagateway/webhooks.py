"""Idea Gateway notifications: one unsigned POST of {"event": {type, createdAt, data: {<type>: ...}}} to the
account's URL (registered out of band) at every status change of a Pix, boleto or card transaction."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.jsonio import dumps
from simulator.providers.ideagateway import cards
from simulator.records import JSON, Record
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing


def _payment(record: Record, with_payment_id: bool) -> dict[str, JSON]:
    """The seed's bankslip/pix event data (the real Pix delivery adds paymentId)."""
    out = {"id": record["id"], "customCode": record.get("customCode"), "amount": record["amount"],
           "amountPaid": record.get("amountPaid"), "qrCode": record.get("qrCode"), "paidAt": record.get("paidAt"),
           "status": record["status"]}
    if with_payment_id:
        out["paymentId"] = record.get("paymentId")
    return out


def event_body(env: ProviderEnv, event_type: str, kind: str, record: Record) -> dict[str, JSON]:
    if event_type in ("creditCard", "debitCard"):
        data = cards.shown(env, record)
    else:
        data = _payment(record, with_payment_id=kind in ("pix", "pix_static"))
    return {"event": {"type": event_type, "createdAt": env.clock.now_iso(), "data": {event_type: data}}}


def deliveries(env: ProviderEnv, event: Event) -> list[Outgoing]:
    """The event's body to the account's notification URL, if one is registered."""
    scope = env.records(event.account)
    hook = scope.get("account_webhook", event.account)
    record = scope.get(event.kind, event.key)
    if not hook or not hook.get("url") or record is None:
        return []
    cfg = env.config.webhooks
    payload = event_body(env, event.name, event.kind, record)
    if cfg.extra.get("envelope"):
        client_id = [a.id for a in env.accounts].index(event.account) + 1
        payload = {"data": {"clientId": client_id, "payload": payload}, "webhook": hook["url"]}
    raw = dumps(payload)
    headers = {"Content-Type": "application/json", "User-Agent": cfg.user_agent or "axios/1.6.8"}
    return [Outgoing(provider=env.key, event=event.name, url=str(hook["url"]), body=raw, headers=headers,
                     event_id=event.id, account=event.account, display_body=payload)]
