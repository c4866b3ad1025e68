"""The request journal: a bounded ring of what each request asked and got, with its contract violations."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any


class Journal:
    def __init__(self, size: int = 10_000) -> None:
        self.entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._ids = itertools.count(1)

    def record(self, entry: dict[str, Any]) -> None:
        entry["id"] = next(self._ids)
        self.entries.append(entry)

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
        else:
            kept = [e for e in self.entries if e["provider"] != provider]
            self.entries.clear()
            self.entries.extend(kept)
