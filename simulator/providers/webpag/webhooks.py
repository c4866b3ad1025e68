"""WebPag webhooks: every payment status change POSTs the bare payment object to its notification_url,
else to the account's URL (PUT /_sim/webpag/accounts/{account}/webhook). No signature is documented."""

from __future__ import annotations

from typing import Any

from simulator.jsonio import encoder
from simulator.providers.webpag import present
from simulator.providers.webpag.base import P, PAYMENT, RECURRENCE, cfg
from simulator.sim import Sim
from simulator.store.base import Record
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing

_php = encoder("php")


def target(sim: Sim, record: Record) -> str | None:
    if record.get("notification_url"):
        return str(record["notification_url"])
    account = sim.store.get(P, "account_webhook", str(record.get("_account", "")))
    return str(account["url"]) if account and account.get("url") else None


def deliveries(sim: Sim, event: Event) -> list[Outgoing]:
    if event.kind != PAYMENT:
        return []
    record = sim.store.get(P, PAYMENT, event.key)
    if record is None:
        return []
    url = target(sim, record)
    if url is None:
        return []
    settings = cfg(sim, "webhooks") or {}
    body = present.payment(sim, record)
    headers = {"Content-Type": "application/json", "User-Agent": str(settings.get("user_agent", "WebPag"))}
    return [Outgoing(provider=P, event=event.name, url=url, body=_php(body), headers=headers, event_id=event.id,
                     account=event.account, retry_seconds=[float(s) for s in settings.get("retry_seconds") or []],
                     display_body=body)]


def find(sim: Sim, ident: str) -> tuple[str, str] | None:
    """A payment by id (or its Pix txid / boleto nosso número), or a recurrence by recurrence_code."""
    if sim.store.get(P, PAYMENT, ident) is not None:
        return PAYMENT, ident
    if sim.store.get(P, RECURRENCE, ident) is not None:
        return RECURRENCE, ident
    for record in sim.store.all(P, PAYMENT):
        if (record.get("pix") or {}).get("txid") == ident or (record.get("boleto") or {}).get("nosso_numero") == ident:
            return PAYMENT, str(record["id"])
    return None


def shown(sim: Sim, kind: str, record: Record) -> Any:
    if kind == RECURRENCE:
        return present.recurrence(sim, record)
    return present.payment(sim, record)
