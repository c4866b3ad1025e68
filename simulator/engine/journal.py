"""The request journal: a bounded ring of what each request asked and got, with its contract violations.

Bounded in entries and in bytes (simulator/limits.py): `journal_entries` entries at most, `journal_bytes` in all,
and no body, response body or set of headers kept beyond `journal_entry_bytes`: a longer one is kept cut, as
text ending in a marker (`TRUNCATED`), and the entry lists what was cut in `truncated`. An entry's size is
what was sent and answered (bodies, headers, path, query) plus a fixed overhead; a body kept parsed counts
PARSED_FACTOR times, for the Python objects it became. The oldest entries go first.

Violating entries are also kept in a second ring for coverage (`/_sim/coverage`, `provider-sim report`) beyond
the first: it has a quarter of the byte budget and the first the rest, so together they stay within it.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any, Callable

from simulator.limits import Limits

TRUNCATED = "…[cut by provider-sim: {size} bytes in all]"
ENTRY_OVERHEAD = 600  # the entry's dict, its fixed fields and its ids, in bytes
PARSED_FACTOR = 4  # bytes of Python objects per byte of a parsed JSON or form body


def cut_text(raw: bytes | str, cap: int) -> str:
    """The first `cap` bytes of a body as text, with the marker saying how long it was."""
    data = raw.encode("utf-8", "replace") if isinstance(raw, str) else raw
    return data[:cap].decode("utf-8", "ignore") + TRUNCATED.format(size=len(data))


def cut_headers(headers: dict[str, str], cap: int) -> tuple[dict[str, str], bool]:
    """Headers whose names and values together fit `cap` bytes; the value that crosses it is cut, the rest go."""
    total = sum(len(k) + len(v) for k, v in headers.items())
    if total <= cap:
        return headers, False
    kept: dict[str, str] = {}
    room = cap
    for name, value in headers.items():
        if room <= len(name):
            break
        room -= len(name)
        kept[name] = value if len(value) <= room else value[:room] + TRUNCATED.format(size=len(value))
        room -= min(len(value), room)
    kept["x-provider-sim-cut"] = f"{len(headers) - len(kept) + 1} header(s) not kept of {total} bytes"
    return kept, True


class _Ring:
    def __init__(self, entries: int, max_bytes: int) -> None:
        self.items: deque[dict[str, Any]] = deque()
        self._sizes: deque[int] = deque()
        self.max_entries = entries
        self.max_bytes = max_bytes
        self.bytes = 0

    def append(self, entry: dict[str, Any], size: int) -> None:
        self.items.append(entry)
        self._sizes.append(size)
        self.bytes += size
        while len(self.items) > self.max_entries or (self.bytes > self.max_bytes and len(self.items) > 1):
            self.items.popleft()
            self.bytes -= self._sizes.popleft()

    def keep(self, wanted: Callable[[dict[str, Any]], bool]) -> None:
        pairs = [(e, n) for e, n in zip(self.items, self._sizes) if wanted(e)]
        self.items = deque(e for e, _ in pairs)
        self._sizes = deque(n for _, n in pairs)
        self.bytes = sum(self._sizes)

    def clear(self) -> None:
        self.items.clear()
        self._sizes.clear()
        self.bytes = 0


class Journal:
    def __init__(self, limits: Limits | int | None = None) -> None:
        lim = limits if isinstance(limits, Limits) else Limits() if limits is None else Limits(journal_entries=limits)
        self.limits = lim
        self.entry_bytes = lim.journal_entry_bytes
        self._ring = _Ring(lim.journal_entries, lim.journal_bytes - lim.journal_bytes // 4)
        self._violations = _Ring(lim.journal_entries, lim.journal_bytes // 4)
        self._ids = itertools.count(1)
        # kept beyond the ring, for contract coverage: calls per (provider, operation, status)
        self.counts: dict[tuple[str, str | None, int], int] = {}

    @property
    def entries(self) -> deque[dict[str, Any]]:
        return self._ring.items

    @property
    def violations(self) -> deque[dict[str, Any]]:
        return self._violations.items

    @property
    def held_bytes(self) -> int:
        """Bytes the journal holds now, by its own count (at most `journal_bytes`)."""
        return self._ring.bytes + self._violations.bytes

    def record(self, entry: dict[str, Any], size: int | None = None) -> None:
        """Add an entry; `size` is its bytes as sent (estimated from its fields when not given)."""
        entry["id"] = next(self._ids)
        total = ENTRY_OVERHEAD + (size if size is not None else _estimate(entry))
        self._ring.append(entry, total)
        key = (entry["provider"], entry["operation"], entry["status"])
        self.counts[key] = self.counts.get(key, 0) + 1
        if entry["violations"]:
            self._violations.append(entry, total)

    def fit_body(self, parsed: Any, raw: bytes) -> tuple[Any, int, bool]:
        """How a request body is kept: (value, its bytes in the budget, cut?)."""
        if len(raw) > self.entry_bytes:
            return cut_text(raw, self.entry_bytes), self.entry_bytes, True
        if parsed is None:
            return (raw.decode("utf-8", "replace") if raw else None), len(raw), False
        return parsed, len(raw) * PARSED_FACTOR, False

    def fit_response(self, value: Any, payload: bytes) -> tuple[Any, int, bool]:
        """How a response body is kept: (value, its bytes in the budget, cut?)."""
        if len(payload) > self.entry_bytes:
            return cut_text(payload, self.entry_bytes), self.entry_bytes, True
        if isinstance(value, str):
            return value, len(value), False
        return value, len(payload) * PARSED_FACTOR, False

    def query(self, provider: str | None = None, method: str | None = None, path: str | None = None,
              status: str | None = None, operation: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        out = []
        for e in self._ring.items:
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
            self._ring.clear()
            self._violations.clear()
            self.counts.clear()
        else:
            for ring in (self._ring, self._violations):
                ring.keep(lambda e: e["provider"] != provider)
            self.counts = {k: v for k, v in self.counts.items() if k[0] != provider}


def _estimate(entry: dict[str, Any]) -> int:
    size = len(str(entry.get("path", ""))) + len(str(entry.get("query", "")))
    size += sum(len(k) + len(v) for k, v in (entry.get("headers") or {}).items())
    for name in ("body", "response_body"):
        value = entry.get(name)
        size += len(value) if isinstance(value, (str, bytes)) else 0 if value is None else 256
    return size
