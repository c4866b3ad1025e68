"""ClicPay webhook endpoints (the 12 management operations) and the deliveries of transaction events.

Endpoints, their events and each event's delivery state live in the store; the outbox does the HTTP and the
retries, and reports each attempt back here so `events` and `failed-events` show the real journal.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.jsonio import encoder
from simulator.providers.common import int_or_none, public
from simulator.providers.clicpay.transactions import P, TX
from simulator.sim import Sim
from simulator.store.base import Record
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing

EP = "webhook_endpoint"
EV = "webhook_event"
_php = encoder("php")


def _settings(sim: Sim) -> dict[str, Any]:
    return dict(sim.providers[P].behaviour.get("webhooks") or {})


def _secret(sim: Sim) -> str:
    return "whsec_" + "".join(sim.rng(P).choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))


def _endpoint(ctx: Ctx) -> Record:
    ident = int_or_none(ctx.params.get("endpoint_id"))
    record = ctx.sim.store.get(P, EP, str(ident)) if ident is not None else None
    if record is None or record.get("_account") != ctx.account_id:
        raise ProviderError("webhook_not_found")
    return record


def _shown(record: Record) -> dict[str, Any]:
    return public(record)


def list_webhooks(ctx: Ctx) -> Reply:
    return Reply(200, {"data": [_shown(r) for r in ctx.sim.store.all(P, EP, ctx.account_id)]})


def create_webhook(ctx: Ctx) -> Reply:
    body = ctx.body
    now = ctx.sim.clock.now_iso()
    record = ctx.tag({
        "id": ctx.sim.store.next_id(P, EP), "url": body["url"], "secret": _secret(ctx.sim), "active": True,
        "events_enabled": list(body.get("events_enabled") or _settings(ctx.sim).get("default_events") or []),
        "wallet_ids": list(body.get("wallet_ids") or []), "organization_ids": list(body.get("organization_ids") or []),
        "created_at": now, "updated_at": now})
    ctx.sim.store.put(P, EP, str(record["id"]), record)
    return Reply(201, {"message": "Webhook criado com sucesso", "data": _shown(record)})


def get_webhook(ctx: Ctx) -> Reply:
    return Reply(200, {"data": _shown(_endpoint(ctx))})


def update_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    for name in ("url", "events_enabled", "active", "organization_ids", "wallet_ids"):
        if isinstance(ctx.body, dict) and name in ctx.body:
            record[name] = ctx.body[name]
    record["updated_at"] = ctx.sim.clock.now_iso()
    ctx.sim.store.put(P, EP, str(record["id"]), record)
    return Reply(200, {"message": "Webhook atualizado com sucesso", "data": _shown(record)})


def delete_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    ctx.sim.store.delete(P, EP, str(record["id"]))
    return Reply(200, {"message": "Webhook removido com sucesso"})


def toggle_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    record["active"] = not record["active"]
    record["updated_at"] = ctx.sim.clock.now_iso()
    ctx.sim.store.put(P, EP, str(record["id"]), record)
    word = "ativado" if record["active"] else "desativado"
    return Reply(200, {"message": f"Webhook {word} com sucesso", "data": _shown(record)})


def regenerate_webhook_secret(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    record["secret"] = _secret(ctx.sim)
    record["updated_at"] = ctx.sim.clock.now_iso()
    ctx.sim.store.put(P, EP, str(record["id"]), record)
    return Reply(200, {"message": "Secret regenerado com sucesso", "secret": record["secret"]})


async def test_webhook(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    payload = {"id": 0, "event": "webhook.test", "created_at": ctx.sim.clock.now_iso(),
               "data": {"message": "Payload de teste", "endpoint_id": record["id"]}}
    out = _outgoing(ctx.sim, record, "webhook.test", payload, 0, retries=False)
    delivery = await ctx.sim.outbox.deliver_now(out)
    return Reply(200, {"message": "Webhook de teste enviado",
                       "delivery": {"status": delivery["status"], "success": delivery["state"] == "delivered",
                                    "error": delivery["error"]}})


def _events(ctx: Ctx, record: Record, failed_only: bool = False) -> list[dict[str, Any]]:
    events = [e for e in ctx.sim.store.all(P, EV, ctx.account_id) if e["endpoint_id"] == record["id"]]
    if failed_only:
        events = [e for e in events if e["status"] == "failed"]
    return [_event_shown(e) for e in sorted(events, key=lambda e: -int(e["id"]))]


def _event_shown(e: Record) -> dict[str, Any]:
    return {k: v for k, v in public(e).items() if k != "endpoint_id"}


def list_webhook_events(ctx: Ctx) -> Reply:
    return Reply(200, {"data": _events(ctx, _endpoint(ctx))})


def list_failed_webhook_events(ctx: Ctx) -> Reply:
    return Reply(200, {"data": _events(ctx, _endpoint(ctx), failed_only=True)})


def get_webhook_event(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    ident = int_or_none(ctx.params.get("event_id"))
    event = ctx.sim.store.get(P, EV, str(ident)) if ident is not None else None
    if event is None or event["endpoint_id"] != record["id"]:
        raise ProviderError("event_not_found")
    return Reply(200, {"data": _event_shown(event)})


def toggle_webhook_event_type(ctx: Ctx) -> Reply:
    record = _endpoint(ctx)
    event_type = ctx.body["event_type"]
    enabled = list(record.get("events_enabled") or [])
    if event_type in enabled:
        enabled.remove(event_type)
        word = "desativado"
    else:
        enabled.append(event_type)
        word = "ativado"
    record["events_enabled"] = enabled
    record["updated_at"] = ctx.sim.clock.now_iso()
    ctx.sim.store.put(P, EP, str(record["id"]), record)
    return Reply(200, {"message": f"Evento {event_type} {word} com sucesso", "data": _shown(record)})


# --- deliveries -----------------------------------------------------------------------------------------

def payload(sim: Sim, event_id: int, name: str, tx: Record) -> dict[str, Any]:
    """INFERRED delivery body (undocumented): the event, its id and time, and the transaction."""
    from simulator.providers.clicpay.transactions import status_body
    data = status_body(sim, tx)
    data.update({"transaction_id": tx["transaction_id"], "wallet_id": tx["wallet_id"],
                 "msisdn": tx.get("msisdn"), "reference_description": tx.get("reference_description"),
                 "provider_reference": tx.get("provider_reference"), "initiated_at": tx.get("initiated_at"),
                 "completed_at": tx.get("completed_at")})
    return {"id": event_id, "event": name, "created_at": sim.clock.now_iso(), "data": data}


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _outgoing(sim: Sim, endpoint: Record, name: str, body: dict[str, Any], event_id: int,
              retries: bool = True) -> Outgoing:
    cfg = _settings(sim)
    raw = _php(body)
    headers = {"Content-Type": "application/json", "User-Agent": "ClicPay-Webhooks/2.0",
               str(cfg.get("signature_header", "X-ClicPay-Signature")): sign(str(endpoint["secret"]), raw),
               str(cfg.get("event_header", "X-ClicPay-Event")): name,
               str(cfg.get("delivery_header", "X-ClicPay-Delivery")): str(event_id),
               str(cfg.get("timestamp_header", "X-ClicPay-Timestamp")): str(int(sim.clock.now()))}

    def on_result(sim: Sim, delivery: dict[str, Any]) -> None:
        event = sim.store.get(P, EV, str(event_id)) if event_id else None
        if event is None:
            return
        event["attempts"] = int(event.get("attempts", 0)) + 1
        event["last_attempt_at"] = delivery["at"]
        event["response_status"] = delivery["status"]
        event["status"] = {"delivered": "delivered", "failed": "failed"}.get(delivery["state"], "pending")
        sim.store.put(P, EV, str(event_id), event)

    return Outgoing(provider=P, event=name, url=str(endpoint["url"]), body=raw, headers=headers,
                    event_id=event_id, account=str(endpoint.get("_account", "")),
                    retry_seconds=[float(s) for s in cfg.get("retry_seconds") or []] if retries else [],
                    on_result=on_result, display_body=body)


def deliveries(sim: Sim, event: Event) -> list[Outgoing]:
    """A transaction event goes to every active endpoint of its account that wants it."""
    if event.kind != TX:
        return []
    tx = sim.store.get(P, TX, event.key)
    if tx is None:
        return []
    out = []
    for endpoint in sim.store.all(P, EP, event.account):
        if not endpoint.get("active") or event.name not in (endpoint.get("events_enabled") or []):
            continue
        if endpoint.get("wallet_ids") and tx["wallet_id"] not in endpoint["wallet_ids"]:
            continue
        event_id = sim.store.next_id(P, EV)
        body = payload(sim, event_id, event.name, tx)
        sim.store.put(P, EV, str(event_id), {
            "id": event_id, "endpoint_id": endpoint["id"], "event_type": event.name, "payload": body,
            "status": "pending", "attempts": 0, "last_attempt_at": None, "response_status": None,
            "created_at": sim.clock.now_iso(), "_account": event.account})
        out.append(_outgoing(sim, endpoint, event.name, body, event_id))
    return out
