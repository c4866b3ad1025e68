"""Read-side views of the simulator's state for the dashboard: transactions, their history and webhooks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from simulator.sim import Sim
from simulator.store.base import Record
from simulator.ui.render import find_value, public

AMOUNT_FIELDS = ("amount", "valor", "value", "total", "price")


@dataclass
class Row:
    provider: str
    kind: str
    key: str
    status: str
    account: str
    amount: Any
    created: str
    summary: str


def machine_kinds(sim: Sim, provider: str) -> list[str]:
    """The record kinds of a provider that live on a state machine (its transactions)."""
    return sorted(kind for (p, kind) in sim.lifecycles.machines if p == provider)


def rows(sim: Sim, provider: str, kind: str, account: str | None, status: str | None) -> list[Row]:
    """Every record of that kind, newest first, filtered by account and status."""
    machine = sim.lifecycles.machine(provider, kind)
    out: list[Row] = []
    for record in reversed(sim.store.all(provider, kind, account or None)):
        state = str(record.get(machine.field, ""))
        if status and state != status:
            continue
        history = record.get("_history") or [{}]
        extra = [str(record[f]) for f in ("channel", "type", "method", "payment_method", "msisdn")
                 if record.get(f) not in (None, "")]
        out.append(Row(provider, kind, str(record.get(machine.key_field, "")), state,
                       str(record.get("_account", "")), find_value(record, AMOUNT_FIELDS),
                       str(history[0].get("at", "")), " · ".join(extra)))
    return out


def record_of(sim: Sim, provider: str, kind: str, key: str) -> Record | None:
    if (provider, kind) not in sim.lifecycles.machines:
        return None
    return sim.store.get(provider, kind, key)


def events_of(sim: Sim, provider: str, kind: str, key: str) -> list[dict[str, Any]]:
    return [e.public() for e in sim.events.log if e.provider == provider and e.kind == kind and e.key == key]


def deliveries_of(sim: Sim, provider: str, key: str) -> list[dict[str, Any]]:
    """The webhook attempts whose body names this resource (its id or reference appears as a value)."""
    found = []
    for delivery in sim.outbox.deliveries:
        if delivery["provider"] != provider:
            continue
        body = delivery.get("body")
        if _mentions(body, key):
            found.append(delivery)
    return found


def _mentions(body: Any, key: str) -> bool:
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return key in body
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item is not None and str(item) == key:
            return True
    return False


def detail(sim: Sim, provider: str, kind: str, record: Record) -> dict[str, Any]:
    machine = sim.lifecycles.machine(provider, kind)
    key = str(record.get(machine.key_field, ""))
    state = str(record.get(machine.field, ""))
    return {"provider": provider, "kind": kind, "key": key, "state": state, "field": machine.field,
            "account": record.get("_account"), "fields": public(record),
            "history": list(record.get("_history") or []), "next": record.get("_next"),
            "scenarios": list(record.get("_scenarios") or []), "allowed": machine.allowed(state),
            "events": events_of(sim, provider, kind, key), "deliveries": deliveries_of(sim, provider, key)}


def statuses(sim: Sim, provider: str, kind: str) -> list[str]:
    return sim.lifecycles.machine(provider, kind).states()


def accounts(sim: Sim, provider: str) -> list[str]:
    return [a.id for a in sim.providers[provider].accounts]
