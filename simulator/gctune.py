"""The garbage collector of a server process: young collections only, whatever the size of the store.

CPython's collector traverses every tracked object that survived: with a million stored transactions (several
objects each) a first-generation collection walks millions of objects and holds the event loop for a second,
and even young collections grow slower. A simulator's long-lived objects (specs, records, scheduled moves) hold
no reference cycles to collect, so `install` freezes what survives each young collection out of the
collector's sight (`gc.freeze`: the permanent generation, O(1)); objects frozen still go the moment nothing
refers to them (reference counting), only cyclic garbage among them waits.

To bound that, when the frozen objects may have doubled since the last full collection, the next `maintain()`
(the server's ticker calls it every 50 ms, between requests) unfreezes them and runs one full collection: a long
pause, but once per doubling of the heap, so a handful in a process's life.
"""

from __future__ import annotations

import gc

YOUNG = 20_000  # allocations (net) between young collections: a pause of a few milliseconds each
FLOOR = 1_000_000  # objects frozen before the first full collection is considered


class _Collector:
    def __init__(self, young: int) -> None:
        self.young = young
        self.base = max(gc.get_freeze_count(), FLOOR)  # objects frozen after the last full collection
        self.since = 0  # young collections since then (each froze at most `young` objects)
        self.full_due = False

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase != "stop":
            return
        gc.freeze()
        self.since += 1
        if self.since * self.young >= self.base:
            self.full_due = True

    def full(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.base = max(gc.get_freeze_count(), FLOOR)
        self.since = 0
        self.full_due = False


_collector: _Collector | None = None


def install(young: int = YOUNG) -> None:
    """Freeze what start-up built, then freeze the survivors of each collection (server processes only)."""
    global _collector
    gc.collect()
    gc.freeze()
    if _collector is not None and _collector in gc.callbacks:
        gc.callbacks.remove(_collector)
    _collector = _Collector(young)
    gc.callbacks.append(_collector)
    gc.set_threshold(young, 10, 10)


def maintain() -> None:
    """The full collection a doubling of the frozen objects asked for (call it between requests)."""
    if _collector is not None and _collector.full_due:
        _collector.full()
