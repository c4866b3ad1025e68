"""The webhook outbox's pending attempts in a persistent store, so deliveries go on after a restart.

The outbox writes a delivery chain (one event to one URL, as JSON) when its next attempt is scheduled and removes
it when it ends (delivered or failed); on start-up it reads them back and schedules each again at its due time.
Chains held back by out-of-order chaos are not kept. With a store that is not persistent nothing is written.
"""

from __future__ import annotations

from simulator.records import JSON, Meta, Next, Record
from simulator.store.base import Store

OWNER = "_sim"  # the store's "provider" for the simulator's own records
KIND = "outbox"


class PendingDeliveries:
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def enabled(self) -> bool:
        return bool(self.store.persistent)

    def save(self, key: str | None, data: dict[str, JSON]) -> str | None:
        """Keep (or replace) a chain's data; returns its key (None when nothing is kept)."""
        if not self.enabled:
            return None
        if key is None:
            key = str(self.store.next_id(OWNER, KIND))
        due = data.get("due")
        # the next attempt's time as a record's next move: a shared store's instances claim it when due
        meta = Meta(next=Next("attempt", None, float(due), None)) if isinstance(due, (int, float)) else None
        self.store.put(OWNER, KIND, key, Record({"key": key, "chain": data}, meta=meta))
        return key

    def forget(self, key: str | None) -> None:
        if key is not None and self.enabled:
            self.store.delete(OWNER, KIND, key)

    def get(self, key: str) -> dict[str, JSON] | None:
        record = self.store.get(OWNER, KIND, key)
        return None if record is None else dict(record["chain"])

    def load(self) -> list[tuple[str, dict[str, JSON]]]:
        """Every kept chain's (key, data), oldest first."""
        if not self.enabled:
            return []
        out = []
        for record in self.store.all(OWNER, KIND):
            out.append((str(record["key"]), dict(record["chain"])))
        return out
