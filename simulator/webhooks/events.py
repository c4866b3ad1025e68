"""Events produced by transitions; each provider turns an event into its own webhook deliveries."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, TypedDict

from simulator.clock import Clock
from simulator.records import Record
from simulator.webhooks.outbox import Outbox, Outgoing


class EventInfo(TypedDict):
    """An event as the dashboard lists it."""
    id: int
    provider: str
    account: str
    event: str
    resource: str
    resource_id: str
    at: str


@dataclass
class Event:
    id: int
    provider: str
    account: str
    name: str
    kind: str
    key: str
    at: str
    scenarios: list[str] = field(default_factory=list)

    def public(self) -> EventInfo:
        return {"id": self.id, "provider": self.provider, "account": self.account, "event": self.name,
                "resource": self.kind, "resource_id": self.key, "at": self.at}


Builder = Callable[[Event], list[Outgoing]]  # a provider's deliveries of an event (its `webhooks` hook)


class Events:
    def __init__(self, clock: Clock, outbox: Outbox, size: int = 10_000) -> None:
        self.clock = clock
        self.outbox = outbox
        self.log: deque[Event] = deque(maxlen=size)
        self.builders: dict[str, Builder] = {}  # by provider key (composition root)
        self._ids = itertools.count(1)

    def emit(self, provider: str, name: str, kind: str, key: str, record: Record) -> Event:
        """Record the event and hand the provider's deliveries to the outbox, with the resource's chaos."""
        account = record.meta.account or ""
        event = Event(next(self._ids), provider, account, name, kind, key, self.clock.now_iso(),
                      list(record.meta.scenarios))
        self.log.append(event)
        builder = self.builders.get(provider)
        if builder is None:
            return event
        chaos = dict(record.meta.chaos or {})
        outgoing = builder(event)
        for out in outgoing:
            out.resource = out.resource or f"{kind}:{key}"
            self.outbox.send(out, chaos=chaos)
        if outgoing and not chaos.get("out_of_order"):
            # deliveries that out-of-order chaos held back go right after this later event's
            self.outbox.release_held(provider, account, float(chaos.get("delay_seconds") or 0))
        return event

    def reset(self) -> None:
        self.log.clear()
        self._ids = itertools.count(1)
