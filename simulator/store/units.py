"""Units of work: how the engine opens, commits and rolls back the store's transactions (simulator/store/base.py).

One process serves many requests at once on one store connection, so its units are serialised: a unit holds an
asyncio.Lock from `begin` to `end`, and a unit belongs to the task that opened it. Work that runs inside the
task's open unit (due jobs a payer page runs, a forced transition's webhooks) joins it instead of opening another;
any other task waits for the lock. A unit must not wait on the network while it holds the lock: callers start it
after the request body is read and after a scenario's latency, end it before the answer is sent, and step
`outside` it around a webhook's POST (the work so far is committed; a new unit of the same kind resumes after).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

from simulator.store.base import Store

READS = frozenset(("GET", "HEAD", "OPTIONS"))  # methods whose unit only reads


def writes(method: str) -> bool:
    """Whether a request with this method opens a write unit."""
    return method not in READS


class Units:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._write = False

    def inside(self) -> bool:
        """Whether the current task has a unit open."""
        return self._owner is not None and self._owner is _task()

    async def begin(self, write: bool) -> bool:
        """Open a unit for the current task; False (nothing opened) when the task is already inside one."""
        task = _task()
        if self._owner is not None and self._owner is task:
            return False  # inside one already
        await self._lock.acquire()
        try:
            self.store.begin(write)
        except BaseException:
            self._lock.release()
            raise
        self._owner = task
        self._write = write
        return True

    def end(self, ok: bool = True) -> None:
        """Commit (`ok`) or roll back the current task's unit, and let the next one in (nothing when none)."""
        if self._owner is None or self._owner is not _task():
            return  # no unit open, or another task's
        self._owner = None
        try:
            if ok:
                self.store.commit()
            else:
                self.store.rollback()
        finally:
            self._lock.release()

    @contextlib.asynccontextmanager
    async def unit(self, write: bool = True) -> AsyncIterator[None]:
        """A unit around a block: committed when it ends, rolled back when it raises (joins an open one)."""
        opened = await self.begin(write)
        try:
            yield
        except BaseException:
            if opened:
                self.end(False)
            raise
        if opened:
            self.end(True)

    @contextlib.asynccontextmanager
    async def outside(self) -> AsyncIterator[None]:
        """Leave the current unit for a wait on the network: commit what is done, resume a unit after."""
        if not self.inside():
            yield
            return
        write = self._write
        self.end(True)
        try:
            yield
        finally:
            await self.begin(write)


def _task() -> asyncio.Task[object] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None
