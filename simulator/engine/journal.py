"""The request journal: a bounded ring of what each request asked and got, with its contract violations."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any


class Journal:
    def __init__(self, size: int = 10_000) -> None:
        self.entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._ids = itertools.count(1)
        # kept beyond the ring, for contract coverage: calls per (provider, operation, status), violating entries
        self.counts: dict[tuple[str, str | None, int], int] = {}
        self.violations: deque[dict[str, Any]] = deque(maxlen=size)

    def record(self, entry: dict[str, Any]) -> None:
        entry["id"] = next(self._ids)
        self.entries.append(entry)
        key = (entry["provider"], entry["operation"], entry["status"])
        self.counts[key] = self.counts.get(key, 0) + 1
        if entry["violations"]:
            self.violations.append(entry)

    def query(self, provider: str | None = None, method: str | None = None, path: str | None = None,
              status: str | None = None, operation: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        out = []
        for e in self.entries:
            if provider and e["provider"] != provider:
                continue
            if method and e["method"] != method.upper():
                continue
            if path and path not in e["path"]:
                continue
            if status and str(e["status"]) != str(status):
                continue
            if operation and e["operation"] != operation:
                continue
            out.append(e)
        if limit is not None and limit >= 0:
            out = out[-limit:] if limit else []
        return out

    def reset(self, provider: str | None = None) -> None:
        if provider is None:
            self.entries.clear()
            self.counts.clear()
            self.violations.clear()
        else:
            for ring in (self.entries, self.violations):
                kept = [e for e in ring if e["provider"] != provider]
                ring.clear()
                ring.extend(kept)
            self.counts = {k: v for k, v in self.counts.items() if k[0] != provider}
