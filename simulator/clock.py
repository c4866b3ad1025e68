"""The simulator clock (real or manual) and the scheduler of work that falls due on it.

Nothing else in the simulator reads the wall clock: everything asks a Clock.
"""

from __future__ import annotations

import heapq
import inspect
import itertools
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, AsyncContextManager, Awaitable, Callable, Protocol

Job = Callable[..., "Awaitable[Any] | Any"]  # job(), or job(key, due) for an entry with a key
UnitOfWork = Callable[[], AsyncContextManager[None]]  # the store's unit of work around one job (store/units.py)


_last_iso: tuple[int, str] = (-1, "")


def iso(ts: float) -> str:
    """ISO 8601 UTC with a Z, to the second, as the providers print it (the last second's text is reused)."""
    global _last_iso
    second = int(ts)
    if _last_iso[0] != second:
        _last_iso = (second, datetime.fromtimestamp(second, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _last_iso[1]


class ClockLink(Protocol):
    """Where a clock shared by several instances keeps its offset (simulator/shared.py)."""

    def add(self, seconds: float) -> float:
        """Move the shared clock; its offset now."""

    def restart(self, wall_start: float) -> None:
        """Offset back to 0, the real clock counting from `wall_start`."""


class SharedWork(Protocol):
    """Due work kept in a shared store, claimed by one instance at a time (simulator/shared.py)."""

    def next_due(self) -> float | None:
        """The earliest due time no other instance is working on."""

    async def run_next(self, now: float) -> bool:
        """Claim and run one job due by `now` (its own unit of work); False when there was none to claim."""


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
        self._now = self.start  # a manual clock's last answer: one float object per moment, shared by what it stamps
        self.link: ClockLink | None = None  # several instances: the offset lives in the shared store

    def follow(self, start: float, wall_start: float, offset: float) -> None:
        """Take the shared clock's state (another instance may have moved it)."""
        self.start, self._wall_at_start, self._offset = start, wall_start, offset

    @property
    def wall_start(self) -> float:
        return self._wall_at_start

    @property
    def offset(self) -> float:
        return self._offset

    def now(self) -> float:
        if self.mode == "manual":
            value = self.start + self._offset
            if value != self._now:
                self._now = value
            return self._now
        return self.start + (self._wall() - self._wall_at_start) + self._offset

    def now_iso(self) -> str:
        return iso(self.now())

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock does not go backwards")
        if self.link is not None:
            self._offset = self.link.add(seconds)
        else:
            self._offset += seconds

    def reset(self) -> None:
        self._offset = 0.0
        self._wall_at_start = self._wall()
        if self.link is not None:
            self.link.restart(self._wall_at_start)


@dataclass(slots=True)
class Entry:
    """A job due at a time on the clock (`tag` says what it is: "provider:kind", "webhook:provider", ...)."""
    due: float
    seq: int
    job: Job = field(compare=False)
    tag: str = field(compare=False, default="")
    cancelled: bool = field(compare=False, default=False)
    key: str | None = field(compare=False, default=None)  # the record a shared job is for: job(key, due)

    def __lt__(self, other: "Entry") -> bool:  # the heap's only comparison, without building tuples
        return self.due < other.due or (self.due == other.due and self.seq < other.seq)


class Scheduler:
    """Work due at a time on the clock: transitions, webhook attempts, expiries."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._heap: list[Entry] = []
        self._seq = itertools.count()
        self._running = False
        self.unit: UnitOfWork | None = None  # each job is a unit of work (committed, or rolled back if it raises)
        self.max_jobs = 100_000  # the most one run_due runs (Limits.max_jobs_per_advance)
        self.shared: SharedWork | None = None  # several instances: timed work lives in the shared store

    def at(self, due: float, job: Job, tag: str = "", key: str | None = None) -> Entry:
        """`job()` at `due`; with a `key`, `job(key, due)`: one job shared by many entries, none per entry."""
        entry = Entry(due, next(self._seq), job, tag, False, key)
        heapq.heappush(self._heap, entry)
        return entry

    def after(self, seconds: float, job: Job, tag: str = "") -> Entry:
        return self.at(self.clock.now() + seconds, job, tag)

    @staticmethod
    def cancel(entry: Entry) -> None:
        entry.cancelled = True

    def _local_due(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def next_due(self) -> float | None:
        local = self._local_due()
        if self.shared is None:
            return local
        shared = self.shared.next_due()
        if local is None or (shared is not None and shared < local):
            return shared
        return local

    def has_due(self) -> bool:
        if self.shared is None:  # one process (every request asks): the heap's top, without the calls of next_due
            heap = self._heap
            while heap and heap[0].cancelled:
                heapq.heappop(heap)
            return bool(heap) and heap[0].due <= self.clock.now()
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
            claimable = self.shared is not None
            while ran < bound:
                now = self.clock.now()
                local = self._local_due()
                if claimable and self.shared is not None:
                    shared = self.shared.next_due()
                    if shared is not None and shared <= now and (local is None or shared < local):
                        if await self.shared.run_next(now):
                            ran += 1
                        else:
                            claimable = False  # another instance holds what is due: it runs it
                        continue
                if local is None or local > now:
                    return ran
                entry = heapq.heappop(self._heap)
                if self.unit is None:
                    await _run(entry)
                else:
                    async with self.unit():
                        await _run(entry)
                ran += 1
            return ran
        finally:
            self._running = False

    def clear(self) -> None:
        self._heap.clear()


async def _run(entry: Entry) -> None:
    result = entry.job() if entry.key is None else entry.job(entry.key, entry.due)
    if inspect.isawaitable(result):
        await result


class LocalTime:
    """The simulator clock in a provider's time zone (behaviour.yaml `utc_offset_hours`): how a provider prints
    dates and reads the dates clients send."""

    def __init__(self, clock: Clock, utc_offset_hours: float = 0.0) -> None:
        self.clock = clock
        self.tz = timezone(timedelta(hours=utc_offset_hours))

    def at(self, ts: float | None = None) -> datetime:
        """The moment `ts` (default: now) as an aware local datetime."""
        return datetime.fromtimestamp(self.clock.now() if ts is None else ts, tz=self.tz)

    def stamp(self, fmt: str = "%Y-%m-%d %H:%M:%S", ts: float | None = None) -> str:
        return self.at(ts).strftime(fmt)

    def today(self) -> date:
        return self.at().date()

    def parse(self, text: object, formats: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
              ) -> float | None:
        """Local wall-clock text in one of `formats`, as epoch seconds; None when it is none of them."""
        if not isinstance(text, str):
            return None
        for fmt in formats:
            try:
                return datetime.strptime(text.strip(), fmt).replace(tzinfo=self.tz).timestamp()
            except ValueError:
                continue
        return None

    def day_start(self, day: date) -> float:
        """Local midnight of `day`, as epoch seconds."""
        return datetime(day.year, day.month, day.day, tzinfo=self.tz).timestamp()

    def add_months(self, ts: float, months: int) -> float:
        """The same local day and time `months` later (the last day of a shorter month)."""
        d = self.at(ts)
        month = d.month - 1 + months
        year, month = d.year + month // 12, month % 12 + 1
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        return d.replace(year=year, month=month, day=min(d.day, days)).timestamp()
