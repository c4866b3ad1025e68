"""The notification flow. The draft: on a status change WidePay form-POSTs `notificacao=<id>` to the
transaction's `notificacao` URL (unsigned); `transacoes/notificacao` with that id returns the transaction.
v1: a charge's or carnê's change form-POSTs `notificacao=<numeric id>&carteira=<wallet>` (unsigned) to its
`notificacao` URL; `cobrancas/notificacao` or `carnes/notificacao` with that id returns the object."""

from __future__ import annotations

from urllib.parse import urlencode

from simulator.engine.env import ProviderEnv
from simulator.providers.widepay.base import NOTE, TX, new_id
from simulator.providers.widepay.recebimentos import AVISO, CARNE, COBRANCA, cfg, stamp, wallet
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def deliveries(env: ProviderEnv, event: Event) -> list[Outgoing]:
    if event.kind in (COBRANCA, CARNE):
        return v1_deliveries(env, event)
    scope = env.records(event.account)
    tx = scope.get(TX, event.key) if event.kind == TX else None
    if tx is None or not tx.get("notificacao"):
        return []
    settings = env.config.section("notifications") or {}
    ident = new_id(env, scope)
    scope.put(NOTE, ident, scope.new({"id": ident, "transacao": tx["id"], "status": tx["status"],
                                      "criacao": env.clock.now_iso()}))
    form = {str(settings.get("field", "notificacao")): ident}
    return [Outgoing(provider=env.key, event=event.name, url=str(tx["notificacao"]), body=urlencode(form).encode(),
                     headers=dict(FORM), event_id=event.id, account=event.account,
                     retry_seconds=[float(s) for s in settings.get("retry_seconds") or []], display_body=form)]


def v1_deliveries(env: ProviderEnv, event: Event) -> list[Outgoing]:
    """A new numeric notification id (a provider-wide sequence, `v1.notificacoes.primeiro_id`) about this charge
    or carnê, posted with the wallet id to the object's `notificacao` URL, else to the wallet's own (the docs: "the
    URL set in the WidePay panel"; here `PUT /_sim/widepay/accounts/{account}/webhook`). The id is kept, so the
    merchant may read it more than once (INFERRED)."""
    scope = env.records(event.account)
    record = scope.get(event.kind, event.key)
    panel = scope.get("account_webhook", event.account)
    url = (record.get("notificacao") if record is not None else None) or (panel.get("url") if panel else None)
    if record is None or not url:
        return []
    settings = cfg(env)["notificacoes"]
    ident = str(scope.new_id(AVISO, int(settings["primeiro_id"])))
    scope.put(AVISO, ident, scope.new({"id": ident, "objeto": event.kind, "chave": event.key,
                                       "status": record["status"], "criacao": stamp(env)}))
    form = {"notificacao": ident, "carteira": wallet(env, event.account)}
    return [Outgoing(provider=env.key, event=event.name, url=str(url),
                     body=urlencode(form).encode(), headers=dict(FORM), event_id=event.id, account=event.account,
                     retry_seconds=[float(s) for s in settings["retry_seconds"]], display_body=form)]
