"""The simulator clock (real or manual) and the scheduler of work that falls due on it.

Nothing else in the simulator reads the wall clock: everything asks a Clock.
"""

from __future__ import annotations

import heapq
import inspect
import itertools
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

Job = Callable[[], "Awaitable[Any] | Any"]


_last_iso: tuple[int, str] = (-1, "")


def iso(ts: float) -> str:
    """ISO 8601 UTC with a Z, to the second, as the providers print it (the last second's text is reused)."""
    global _last_iso
    second = int(ts)
    if _last_iso[0] != second:
        _last_iso = (second, datetime.fromtimestamp(second, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _last_iso[1]


class Clock:
    """Simulated time. `manual` stands still until advanced; `real` follows the wall clock.

    Both start at `start` (epoch seconds). `advance` adds an offset in either mode.
    """

    def __init__(self, mode: str = "manual", start: float | None = None,
                 wall: Callable[[], float] = time.time) -> None:
        if mode not in ("manual", "real"):
            raise ValueError(f"clock mode must be 'manual' or 'real', not {mode!r}")
        self.mode = mode
        self._wall = wall
        self._wall_at_start = wall()
        self.start = float(int(self._wall_at_start)) if start is None else float(start)
        self._offset = 0.0

    def now(self) -> float:
        if self.mode == "manual":
            return self.start + self._offset
        return self.start + (self._wall() - self._wall_at_start) + self._offset

    def now_iso(self) -> str:
        return iso(self.now())

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock does not go backwards")
        self._offset += seconds

    def reset(self) -> None:
        self._offset = 0.0
        self._wall_at_start = self._wall()


@dataclass
class _Entry:
    due: float
    seq: int
    job: Job = field(compare=False)
    tag: str = field(compare=False, default="")
    cancelled: bool = field(compare=False, default=False)

    def __lt__(self, other: "_Entry") -> bool:  # the heap's only comparison, without building tuples
        return self.due < other.due or (self.due == other.due and self.seq < other.seq)


class Scheduler:
    """Work due at a time on the clock: transitions, webhook attempts, expiries."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._heap: list[_Entry] = []
        self._seq = itertools.count()
        self._running = False
        self.before_job: Callable[[], None] | None = None  # e.g. the store's begin(): each job is a unit of work
        self.max_jobs = 100_000  # the most one run_due runs (Limits.max_jobs_per_advance)

    def at(self, due: float, job: Job, tag: str = "") -> _Entry:
        entry = _Entry(due, next(self._seq), job, tag)
        heapq.heappush(self._heap, entry)
        return entry

    def after(self, seconds: float, job: Job, tag: str = "") -> _Entry:
        return self.at(self.clock.now() + seconds, job, tag)

    @staticmethod
    def cancel(entry: _Entry) -> None:
        entry.cancelled = True

    def next_due(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def has_due(self) -> bool:
        due = self.next_due()
        return due is not None and due <= self.clock.now()

    def pending(self, tag_prefix: str = "") -> list[tuple[float, str]]:
        return sorted((e.due, e.tag) for e in self._heap
                      if not e.cancelled and e.tag.startswith(tag_prefix))

    async def run_due(self, limit: int | None = None) -> int:
        """Run every job due now, in due order, including jobs those jobs schedule; at most `limit` of them
        (else `max_jobs`, the bound that keeps a job rescheduling itself from spinning for ever)."""
        if self._running:
            return 0
        self._running = True
        ran = 0
        bound = self.max_jobs if limit is None else limit
        try:
            while ran < bound:
                due = self.next_due()
                if due is None or due > self.clock.now():
                    return ran
                entry = heapq.heappop(self._heap)
                if self.before_job is not None:
                    self.before_job()
                result = entry.job()
                if inspect.isawaitable(result):
                    await result
                ran += 1
            return ran
        finally:
            self._running = False

    def clear(self) -> None:
        self._heap.clear()
