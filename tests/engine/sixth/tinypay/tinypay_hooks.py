"""TinyPay's code: two handlers named after their operation ids, and the hooks data cannot say."""

from __future__ import annotations

import json

from simulator.behaviour.schema import STR, closed
from simulator.brdata import brcode
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.provider import ProviderHooks
from simulator.records import JSON, Record
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Outgoing

CHARGE = "charge"


def create_charge(ctx: Ctx) -> Reply:
    body, env = ctx.data, ctx.env
    ident = f"ch_{ctx.scope.new_id(CHARGE):06d}"
    pix = env.config.section("pix")
    charge = ctx.scope.new({
        "id": ident, "amount": body["amount"], "description": body["description"], "status": "pending",
        "pix_code": brcode(key=pix["key"], amount_cents=int(body["amount"]), merchant_name=pix["merchant"],
                           merchant_city=pix["city"], txid=ident.replace("_", "")),
        "payment_url": f"{ctx.base_url}/_sim/ui/pay/tinypay/{ident}", "return_url": body.get("return_url"),
        "notify_url": body.get("notify_url"), "created_at": env.time.stamp("%Y-%m-%dT%H:%M:%S-03:00")})
    env.enter(ctx.scope, CHARGE, charge, ctx.plan)
    return Reply(201, dict(charge))


def get_charge(ctx: Ctx) -> Reply:
    charge = ctx.scope.require(CHARGE, ctx.params["id"], "not_found", {"id": ctx.params["id"]})
    return Reply(200, dict(charge))


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    return (CHARGE, ident) if env.view.get(CHARGE, ident) is not None else None


def present(env: ProviderEnv, kind: str, record: Record) -> JSON:
    return dict(record)


def webhooks(env: ProviderEnv, event: Event) -> list[Outgoing]:
    charge = env.records(event.account).get(CHARGE, event.key)
    if charge is None or not charge.get("notify_url"):
        return []
    body = {"event": event.name, "charge": dict(charge)}
    return [Outgoing(provider=env.key, event=event.name, url=str(charge["notify_url"]),
                     body=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
                     event_id=event.id, account=event.account, display_body=body)]


HOOKS = ProviderHooks(
    handlers={"create_charge": create_charge, "get_charge": get_charge},
    find=find, present=present, webhooks=webhooks,
    behaviour_schema={"pix": closed({"key": STR, "merchant": STR, "city": STR}, ["key", "merchant", "city"])},
)
