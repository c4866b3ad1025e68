"""Events produced by transitions; each provider turns an event into its own webhook deliveries."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.sim import Sim


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

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "provider": self.provider, "account": self.account, "event": self.name,
                "resource": self.kind, "resource_id": self.key, "at": self.at}


class Events:
    def __init__(self, sim: "Sim", size: int = 10_000) -> None:
        self.sim = sim
        self.log: deque[Event] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def emit(self, provider: str, account: str, name: str, kind: str, key: str) -> Event:
        """Record the event and hand the provider's deliveries to the outbox, with the resource's chaos."""
        record = self.sim.store.get(provider, kind, key) or {}
        event = Event(next(self._ids), provider, account, name, kind, key, self.sim.clock.now_iso(),
                      list(record.get("_scenarios") or []))
        self.log.append(event)
        runtime = self.sim.providers.get(provider)
        if runtime is None or runtime.hooks.webhooks is None:
            return event
        chaos = dict(record.get("_chaos") or {})
        outgoing = list(runtime.hooks.webhooks(self.sim, event))
        for out in outgoing:
            out.resource = out.resource or f"{kind}:{key}"
            self.sim.outbox.send(out, chaos=chaos)
        if outgoing and not chaos.get("out_of_order"):
            # deliveries that out-of-order chaos held back go right after this later event's
            self.sim.outbox.release_held(provider, account, float(chaos.get("delay_seconds") or 0))
        return event

    def reset(self) -> None:
        self.log.clear()
        self._ids = itertools.count(1)
