"""The notification flow: on a status change WidePay form-POSTs `notificacao=<id>` to the transaction's
`notificacao` URL (unsigned); `transacoes/notificacao` with that id returns the transaction."""

from __future__ import annotations

from urllib.parse import urlencode

from simulator.engine.env import ProviderEnv
from simulator.providers.widepay.base import NOTE, TX, new_id
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing


def deliveries(env: ProviderEnv, event: Event) -> list[Outgoing]:
    scope = env.records(event.account)
    tx = scope.get(TX, event.key) if event.kind == TX else None
    if tx is None or not tx.get("notificacao"):
        return []
    cfg = env.config.section("notifications") or {}
    ident = new_id(env, scope)
    scope.put(NOTE, ident, scope.new({"id": ident, "transacao": tx["id"], "status": tx["status"],
                                      "criacao": env.clock.now_iso()}))
    form = {str(cfg.get("field", "notificacao")): ident}
    return [Outgoing(provider=env.key, event=event.name, url=str(tx["notificacao"]), body=urlencode(form).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}, event_id=event.id,
                     account=event.account, retry_seconds=[float(s) for s in cfg.get("retry_seconds") or []],
                     display_body=form)]
