"""ClicPay webhook endpoints (the 12 management operations) and the deliveries of transaction events.

Endpoints, their events and each event's delivery state live in the store; the outbox does the HTTP and the
retries, and reports each attempt back here so `events` and `failed-events` show the real journal.
"""

from __future__ import annotations

import hashlib
import hmac

from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.jsonio import encoder
from simulator.providers.clicpay.transactions import TX, status_body
from simulator.providers.common import int_or_none
from simulator.records import JSON, Record
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Delivery, Outgoing

EP = "webhook_endpoint"
EV = "webhook_event"
_php = encoder("php")


def _secret(env: ProviderEnv) -> str:
    return "whsec_" + "".join(env.rng().choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))


def _endpoint(ctx: Ctx) -> Record:
    ident = int_or_none(ctx.params.get("endpoint_id"))
    if ident is None:
        raise ProviderError("webhook_not_found")
    return ctx.scope.require(EP, ident, "webhook_not_found")


def _shown(record: Record) -> dict[str, JSON]:
    return dict(record)


def list_webhooks(ctx: Ctx) -> Reply:
    return Reply(200, {"data": [_shown(r) for r in ctx.scope.all(EP)]})


def create_webhook(ctx: Ctx) -> Reply:
    body = ctx.data
    now = ctx.env.clock.now_iso()
    record = ctx.scope.new({
        "id": ctx.scope.new_id(EP), "url": body["url"], "secret": _secret(ctx.env), "active": True,
        "events_enabled": list(body.get("events_enabled") or ctx.config.webhooks.extra.get("default_events") or []),
        "wallet_ids": list(body.get("wallet_ids") or []), "organization_ids": list(body.get("organization_ids") or []),
        "created_at": now, "updated_at": now})
    ctx.scope.put(EP, record["id"], record)
    return Reply(201, {"message": "Webhook criado com sucesso", "data": _shown(record)})


def get_webhook(ctx: Ctx) -> Reply:
    return Reply(200, {"data": _shown(_endpoint(ctx))})


def update_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    for name in ("url", "events_enabled", "active", "organization_ids", "wallet_ids"):
        if name in ctx.data:
            record[name] = ctx.data[name]
    record["updated_at"] = ctx.env.clock.now_iso()
    ctx.scope.put(EP, record["id"], record)
    return Reply(200, {"message": "Webhook atualizado com sucesso", "data": _shown(record)})


def delete_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    ctx.scope.delete(EP, record["id"])
    return Reply(200, {"message": "Webhook removido com sucesso"})


def toggle_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    record["active"] = not record["active"]
    record["updated_at"] = ctx.env.clock.now_iso()
    ctx.scope.put(EP, record["id"], record)
    word = "ativado" if record["active"] else "desativado"
    return Reply(200, {"message": f"Webhook {word} com sucesso", "data": _shown(record)})


def regenerate_webhook_secret(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    record["secret"] = _secret(ctx.env)
    record["updated_at"] = ctx.env.clock.now_iso()
    ctx.scope.put(EP, record["id"], record)
    return Reply(200, {"message": "Secret regenerado com sucesso", "secret": record["secret"]})


async def test_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    payload: dict[str, JSON] = {"id": 0, "event": "webhook.test", "created_at": ctx.env.clock.now_iso(),
                                "data": {"message": "Payload de teste", "endpoint_id": record["id"]}}
    out = _outgoing(ctx.env, record, "webhook.test", payload, 0, retries=False)
    delivery = await ctx.env.deliver_now(out)
    return Reply(200, {"message": "Webhook de teste enviado",
                       "delivery": {"status": delivery["status"], "success": delivery["state"] == "delivered",
                                    "error": delivery["error"]}})


def _events(ctx: Ctx, record: Record, failed_only: bool = False) -> list[JSON]:
    events = [e for e in ctx.scope.all(EV) if e["endpoint_id"] == record["id"]]
    if failed_only:
        events = [e for e in events if e["status"] == "failed"]
    return [_event_shown(e) for e in sorted(events, key=lambda e: -int(e["id"]))]


def _event_shown(e: Record) -> dict[str, JSON]:
    return {k: v for k, v in e.items() if k != "endpoint_id"}


def list_webhook_events(ctx: Ctx) -> Reply:
    return Reply(200, {"data": _events(ctx, _endpoint(ctx))})


def list_failed_webhook_events(ctx: Ctx) -> Reply:
    return Reply(200, {"data": _events(ctx, _endpoint(ctx), failed_only=True)})


def get_webhook_event(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    ident = int_or_none(ctx.params.get("event_id"))
    event = ctx.scope.get(EV, ident) if ident is not None else None
    if event is None or event["endpoint_id"] != record["id"]:
        raise ProviderError("event_not_found")
    return Reply(200, {"data": _event_shown(event)})


def toggle_webhook_event_type(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    event_type = ctx.data["event_type"]
    enabled = list(record.get("events_enabled") or [])
    if event_type in enabled:
        enabled.remove(event_type)
        word = "desativado"
    else:
        enabled.append(event_type)
        word = "ativado"
    record["events_enabled"] = enabled
    record["updated_at"] = ctx.env.clock.now_iso()
    ctx.scope.put(EP, record["id"], record)
    return Reply(200, {"message": f"Evento {event_type} {word} com sucesso", "data": _shown(record)})


# --- deliveries -----------------------------------------------------------------------------------------

def payload(env: ProviderEnv, event_id: int, name: str, tx: Record) -> dict[str, JSON]:
    """INFERRED delivery body (undocumented): the event, its id and time, and the transaction."""
    data = status_body(env, tx)
    data.update({"transaction_id": tx["transaction_id"], "wallet_id": tx["wallet_id"],
                 "msisdn": tx.get("msisdn"), "reference_description": tx.get("reference_description"),
                 "provider_reference": tx.get("provider_reference"), "initiated_at": tx.get("initiated_at"),
                 "completed_at": tx.get("completed_at")})
    return {"id": event_id, "event": name, "created_at": env.clock.now_iso(), "data": data}


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _outgoing(env: ProviderEnv, endpoint: Record, name: str, body: dict[str, JSON], event_id: int,
              retries: bool = True) -> Outgoing:
    cfg = env.config.webhooks
    raw = _php(body)
    headers = {"Content-Type": "application/json", "User-Agent": "ClicPay-Webhooks/2.0",
               cfg.signature_header or "X-ClicPay-Signature": sign(str(endpoint["secret"]), raw),
               str(cfg.extra.get("event_header", "X-ClicPay-Event")): name,
               str(cfg.extra.get("delivery_header", "X-ClicPay-Delivery")): str(event_id),
               str(cfg.extra.get("timestamp_header", "X-ClicPay-Timestamp")): str(int(env.clock.now()))}
    return Outgoing(provider=env.key, event=name, url=str(endpoint["url"]), body=raw, headers=headers,
                    event_id=event_id, account=endpoint.meta.account or "",
                    retry_seconds=list(cfg.retry_seconds) if retries else [], notify=True, display_body=body)


def deliveries(env: ProviderEnv, event: Event) -> list[Outgoing]:
    """A transaction event goes to every active endpoint of its account that wants it."""
    scope = env.records(event.account)
    tx = scope.get(TX, event.key) if event.kind == TX else None
    if tx is None:
        return []
    out = []
    for endpoint in scope.all(EP):
        if not endpoint.get("active") or event.name not in (endpoint.get("events_enabled") or []):
            continue
        if endpoint.get("wallet_ids") and tx["wallet_id"] not in endpoint["wallet_ids"]:
            continue
        event_id = scope.new_id(EV)
        body = payload(env, event_id, event.name, tx)
        scope.put(EV, event_id, scope.new({
            "id": event_id, "endpoint_id": endpoint["id"], "event_type": event.name, "payload": body,
            "status": "pending", "attempts": 0, "last_attempt_at": None, "response_status": None,
            "created_at": env.clock.now_iso()}))
        out.append(_outgoing(env, endpoint, event.name, body, event_id))
    return out


def delivery_result(env: ProviderEnv, delivery: Delivery) -> None:
    """Each attempt of a delivery updates its webhook event (what `events` and `failed-events` list)."""
    event_id = delivery.get("event_id")
    event = env.view.get(EV, event_id) if isinstance(event_id, int) and event_id else None
    if event is None or not isinstance(event_id, int):
        return
    event["attempts"] = int(event.get("attempts", 0)) + 1
    event["last_attempt_at"] = delivery["at"]
    event["response_status"] = delivery["status"]
    event["status"] = {"delivered": "delivered", "failed": "failed"}.get(str(delivery["state"]), "pending")
    env.view.put(EV, event_id, event)
