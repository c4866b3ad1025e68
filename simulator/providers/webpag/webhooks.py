"""WebPag webhooks: every payment status change POSTs the bare payment object to its notification_url,
else to the account's URL (PUT /_sim/webpag/accounts/{account}/webhook). No signature is documented."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.jsonio import encoder
from simulator.providers.webpag import present
from simulator.providers.webpag.base import PAYMENT
from simulator.records import Record
from simulator.store.scope import Scope
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing

_php = encoder("php")


def target(scope: Scope, record: Record) -> str | None:
    if record.get("notification_url"):
        return str(record["notification_url"])
    account = scope.get("account_webhook", str(record.meta.account))
    return str(account["url"]) if account and account.get("url") else None


def deliveries(env: ProviderEnv, event: Event) -> list[Outgoing]:
    scope = env.records(event.account)
    record = scope.get(PAYMENT, event.key) if event.kind == PAYMENT else None
    url = target(scope, record) if record is not None else None
    if record is None or url is None:
        return []
    body = present.payment(env, record, present.WEBHOOK)
    headers = {"Content-Type": "application/json", "User-Agent": env.config.webhooks.user_agent or "WebPag"}
    return [Outgoing(provider=env.key, event=event.name, url=url, body=_php(body), headers=headers,
                     event_id=event.id, account=event.account, display_body=body)]
