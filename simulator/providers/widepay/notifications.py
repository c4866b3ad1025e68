"""The notification flow: on a status change WidePay form-POSTs `notificacao=<id>` to the transaction's
`notificacao` URL (unsigned); `transacoes/notificacao` with that id returns the transaction."""

from __future__ import annotations

from urllib.parse import urlencode

from simulator.providers.widepay.base import NOTE, TX, P, behaviour, new_id
from simulator.sim import Sim
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing


def deliveries(sim: Sim, event: Event) -> list[Outgoing]:
    if event.kind != TX:
        return []
    tx = sim.store.get(P, TX, event.key)
    if tx is None or not tx.get("notificacao"):
        return []
    cfg = behaviour(sim).get("notifications") or {}
    ident = new_id(sim)
    sim.store.put(P, NOTE, ident, {"id": ident, "transacao": tx["id"], "status": tx["status"],
                                   "criacao": sim.clock.now_iso(), "_account": event.account})
    form = {str(cfg.get("field", "notificacao")): ident}
    return [Outgoing(provider=P, event=event.name, url=str(tx["notificacao"]), body=urlencode(form).encode(),
                     headers={"Content-Type": "application/x-www-form-urlencoded"}, event_id=event.id,
                     account=event.account, retry_seconds=[float(s) for s in cfg.get("retry_seconds") or []],
                     display_body=form)]
