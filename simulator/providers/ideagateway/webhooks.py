"""Idea Gateway notifications: one unsigned POST of {"event": {type, createdAt, data: {<type>: ...}}} to the
account's URL (registered out of band) at every status change of a Pix, boleto or card transaction."""

from __future__ import annotations

from typing import Any

from simulator.jsonio import dumps

from simulator.providers.ideagateway import cards
from simulator.providers.ideagateway.base import P, settings
from simulator.sim import Sim
from simulator.store.base import Record
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing


def _payment(record: Record, with_payment_id: bool) -> dict[str, Any]:
    """The seed's bankslip/pix event data (the real Pix delivery adds paymentId)."""
    out = {"id": record["id"], "customCode": record.get("customCode"), "amount": record["amount"],
           "amountPaid": record.get("amountPaid"), "qrCode": record.get("qrCode"), "paidAt": record.get("paidAt"),
           "status": record["status"]}
    if with_payment_id:
        out["paymentId"] = record.get("paymentId")
    return out


def event_body(sim: Sim, event_type: str, kind: str, record: Record) -> dict[str, Any]:
    if event_type in ("creditCard", "debitCard"):
        data = cards.shown(sim, record)
    else:
        data = _payment(record, with_payment_id=kind in ("pix", "pix_static"))
    return {"event": {"type": event_type, "createdAt": sim.clock.now_iso(), "data": {event_type: data}}}


def deliveries(sim: Sim, event: Event) -> list[Outgoing]:
    """The event's body to the account's notification URL, if one is registered."""
    hook = sim.store.get(P, "account_webhook", event.account)
    record = sim.store.get(P, event.kind, event.key)
    if not hook or not hook.get("url") or record is None:
        return []
    cfg = settings(sim, "webhooks")
    payload = event_body(sim, event.name, event.kind, record)
    if cfg.get("envelope"):
        client_id = [a.id for a in sim.providers[P].accounts].index(event.account) + 1
        payload = {"data": {"clientId": client_id, "payload": payload}, "webhook": hook["url"]}
    raw = dumps(payload)
    headers = {"Content-Type": "application/json",
               "User-Agent": str(cfg.get("user_agent", "axios/1.6.8"))}
    return [Outgoing(provider=P, event=event.name, url=str(hook["url"]), body=raw, headers=headers,
                     event_id=event.id, account=event.account,
                     retry_seconds=[float(s) for s in cfg.get("retry_seconds") or []], display_body=payload)]
