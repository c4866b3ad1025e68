"""The queue of writers on one SQLite file: a lock file beside it (`PATH-writers`), taken with flock before a write
unit's BEGIN IMMEDIATE and let go after its COMMIT.

SQLite alone makes a second writer poll: its busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries, so under
`serve --workers N` a create that meets another worker's transaction waits milliseconds for one that lasts a
fraction of one. On the lock file the kernel wakes the next writer as soon as the holder lets go. Where flock is
missing (Windows) the queue does nothing and SQLite's busy handler alone serialises the writers.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class WriterQueue:
    def __init__(self, database: Path) -> None:
        self._fd: int | None = None
        if fcntl is not None:
            self._fd = os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o644)
        self._held = False

    def acquire(self) -> None:
        """Wait (blocking) until no other process's write unit is open on the file."""
        if self._fd is not None and not self._held:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._held = True

    def release(self) -> None:
        if self._fd is not None and self._held:
            self._held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            self.release()
            os.close(self._fd)
            self._fd = None
