"""Read-side views of the simulator's state for the dashboard: transactions, their history and webhooks. What a
field means comes from the provider's declarations (ui/meaning.py); the engine's part of a record from its
`meta`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypedDict

from simulator.clock import iso
from simulator.engine.provider import ProviderRuntime
from simulator.records import JSON, Record
from simulator.surface import Simulator
from simulator.ui import meaning
from simulator.webhooks.events import EventInfo


class NextMove(TypedDict):
    to: str
    message: str | None
    at: str | None
    after_reads: int | None


HistoryRow = TypedDict("HistoryRow", {"from": str | None, "to": str, "at": str, "cause": str, "message": str | None})


class RecordDetail(TypedDict):
    """A resource's page of the dashboard: its fields, where it is on its state machine, and its webhooks."""
    provider: str
    kind: str
    key: str
    state: str
    field: str
    account: str | None
    fields: dict[str, JSON]
    history: list[HistoryRow]
    next: NextMove | None
    scenarios: list[str]
    allowed: list[str]
    tones: dict[str, str]
    amount: str | None
    events: list[EventInfo]
    deliveries: list[dict[str, JSON]]


@dataclass
class Row:
    provider: str
    kind: str
    key: str
    status: str
    tone: str
    account: str
    amount: str | None
    created: str
    summary: str


def machine_kinds(sim: Simulator, provider: str) -> list[str]:
    """The record kinds of a provider that live on a state machine (its transactions)."""
    return sim.lifecycles.kinds(provider)


def rows(sim: Simulator, provider: str, kind: str, account: str | None, status: str | None) -> list[Row]:
    """Every record of that kind, newest first, filtered by account and status."""
    runtime = sim.providers[provider]
    decl = runtime.env.machine(kind)
    out: list[Row] = []
    for record in reversed(runtime.env.records(account or None).all(kind)):
        state = str(record.get(decl.field, ""))
        if status and state != status:
            continue
        out.append(Row(provider, kind, str(record.get(decl.key, "")), state, meaning.tone(decl, state),
                       record.meta.account or "", meaning.amount(runtime, kind, record), iso(record.meta.created),
                       meaning.summary(runtime, kind, record)))
    return out


def record_of(sim: Simulator, provider: str, kind: str, key: str) -> Record | None:
    runtime = sim.providers.get(provider)
    if runtime is None or not sim.lifecycles.has(provider, kind):
        return None
    return runtime.env.view.get(kind, key)


def events_of(sim: Simulator, provider: str, kind: str, key: str) -> list[EventInfo]:
    return [e.public() for e in sim.events.log if e.provider == provider and e.kind == kind and e.key == key]


def deliveries_of(sim: Simulator, provider: str, kind: str, key: str) -> list[dict[str, JSON]]:
    """The webhook attempts about this resource (the events of its transitions), and those whose body names it
    (deliveries a provider made outside a transition)."""
    events = {e.id for e in sim.events.log if e.provider == provider and e.kind == kind and e.key == key}
    found = []
    for delivery in sim.outbox.deliveries:
        if delivery["provider"] != provider:
            continue
        if delivery.get("event_id") in events or _mentions(delivery.get("body"), key):
            found.append(delivery)
    return found


def _mentions(body: object, key: str) -> bool:
    if isinstance(body, str):
        text = body
        try:
            body = json.loads(text)
        except ValueError:
            return key in text
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


def detail(sim: Simulator, runtime: ProviderRuntime, kind: str, record: Record) -> RecordDetail:
    decl = runtime.env.machine(kind)
    key = str(record.get(decl.key, ""))
    state = str(record.get(decl.field, ""))
    nxt = record.meta.next
    shown_next: NextMove | None = None if nxt is None else {
        "to": nxt.target, "message": nxt.message, "at": iso(nxt.due) if nxt.due is not None else None,
        "after_reads": nxt.after_reads}
    history: list[HistoryRow] = [{"from": s.source, "to": s.target, "at": iso(s.at), "cause": s.cause,
                                  "message": s.message} for s in record.meta.history]
    return {"provider": runtime.key, "kind": kind, "key": key, "state": state, "field": decl.field,
            "account": record.meta.account, "fields": dict(record), "history": history, "next": shown_next,
            "scenarios": list(record.meta.scenarios), "allowed": list(decl.allowed(state)),
            "tones": meaning.tones(decl), "amount": meaning.amount(runtime, kind, record),
            "events": events_of(sim, runtime.key, kind, key),
            "deliveries": deliveries_of(sim, runtime.key, kind, key)}


def statuses(sim: Simulator, provider: str, kind: str) -> list[str]:
    return sim.lifecycles.machine(provider, kind).states()


def accounts(sim: Simulator, provider: str) -> list[str]:
    return [a.id for a in sim.providers[provider].accounts]
