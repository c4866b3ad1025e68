"""The request journal: a bounded ring of what each request asked and got, with its contract violations.

Bounded in entries and in bytes (simulator/limits.py): `journal_entries` entries at most, `journal_bytes` in all,
and no body, response body or set of headers kept beyond `journal_entry_bytes`: a longer one is kept cut, as
text ending in a marker (`TRUNCATED`), and the entry lists what was cut in `truncated`. An entry's size is
what was sent and answered (bodies, headers, path, query) plus a fixed overhead; a body kept parsed counts
PARSED_FACTOR times, for the Python objects it became. The oldest entries go first.

An entry is kept as a tuple of what was asked and answered (`Raw`: the request's headers, its parsed body and raw
bytes, the answer's encoded bytes): the dict `/_sim/requests`, the dashboard and the report show is built when
they read it. The answer is kept as the bytes sent, a snapshot, never a live object a handler may change later.

Violating entries are also kept in a second ring for coverage (`/_sim/coverage`, `provider-sim report`) beyond
the first: it has a quarter of the byte budget and the first the rest, so together they stay within it.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from typing import Any, Callable, NamedTuple

from simulator.clock import iso
from simulator.limits import Limits

TRUNCATED = "…[cut by provider-sim: {size} bytes in all]"
ENTRY_OVERHEAD = 600  # the entry's dict, its fixed fields and its ids, in bytes
PARSED_FACTOR = 4  # bytes of Python objects per byte of a parsed JSON or form body


class Cut(str):
    """A body kept already cut at `journal_entry_bytes` (its marker included): an entry never holds more."""


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


class Raw(NamedTuple):
    """One request as the pipeline saw it; `Journal.view` makes the entry shown."""
    id: int
    at: float  # simulator clock
    provider: str
    operation: str | None
    account: str | None
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any  # parsed (None when it could not be); a Cut when the body was longer than an entry keeps
    raw_body: bytes  # empty when the body was cut
    status: int
    payload: bytes | Cut  # the answer's body as sent, or a Cut of it
    as_text: bool  # the answer is shown as text (HTML, a file, an error of the simulator's), not parsed JSON
    scenario: str | None
    violations: list[str]
    warnings: list[str]


_new_raw = tuple.__new__  # Raw(...) without the Python-level __new__ of a NamedTuple (one entry per request)


class _Ring:
    def __init__(self, entries: int, max_bytes: int) -> None:
        self.items: deque[Raw] = deque()
        self._sizes: deque[int] = deque()
        self.max_entries = entries
        self.max_bytes = max_bytes
        self.bytes = 0

    def append(self, entry: Raw, size: int) -> None:
        self.items.append(entry)
        self._sizes.append(size)
        self.bytes += size
        while len(self.items) > self.max_entries or (self.bytes > self.max_bytes and len(self.items) > 1):
            self.items.popleft()
            self.bytes -= self._sizes.popleft()

    def keep(self, wanted: Callable[[Raw], bool]) -> None:
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
    def entries(self) -> list[dict[str, Any]]:
        return [self.view(e) for e in self._ring.items]

    @property
    def violations(self) -> list[dict[str, Any]]:
        return [self.view(e) for e in self._violations.items]

    def violations_of(self, provider: str) -> list[Raw]:
        """The entries with contract violations of one provider, as kept (`view` shows one)."""
        return [e for e in self._violations.items if e.provider == provider]

    @property
    def held_bytes(self) -> int:
        """Bytes the journal holds now, by its own count (at most `journal_bytes`)."""
        return self._ring.bytes + self._violations.bytes

    def record(self, at: float, provider: str, operation: str | None, account: str | None, method: str, path: str,
               query: str, headers: dict[str, str], body: Any, raw_body: bytes, status: int, payload: bytes,
               as_text: bool, scenario: str | None, violations: list[str], warnings: list[str]) -> None:
        """Add an entry: what was asked (headers, the body parsed and raw) and answered (the bytes sent)."""
        cap = self.entry_bytes
        stored: bytes | Cut = payload
        if len(raw_body) > cap:  # keep no more than is shown (and counted below)
            body, raw_body = Cut(cut_text(raw_body, cap)), b""
        if len(payload) > cap:
            stored = Cut(cut_text(payload, cap))
        entry = _new_raw(Raw, (next(self._ids), at, provider, operation, account, method, path, query, headers,
                               body, raw_body, status, stored, as_text, scenario, violations, warnings))
        head = len("".join(headers)) + len("".join(headers.values()))  # the names' and values' lengths
        n = len(path)
        size = ENTRY_OVERHEAD + (head if head < cap else cap) + (n if n < cap else cap) + len(query)
        n = len(raw_body)
        size += cap if isinstance(body, Cut) else n if body is None else n * PARSED_FACTOR
        n = len(payload)
        size += cap if n > cap else n if as_text else n * PARSED_FACTOR
        self._ring.append(entry, size)
        key = (provider, operation, status)
        self.counts[key] = self.counts.get(key, 0) + 1
        if violations:
            self._violations.append(entry, size)

    def view(self, e: Raw) -> dict[str, Any]:
        """The entry as shown: bodies and headers within `journal_entry_bytes`, what was cut in `truncated`."""
        cap = self.entry_bytes
        body, body_cut = self.fit_body(e.body, e.raw_body)
        shown, response_cut = self.fit_response(e.payload, e.as_text)
        headers, headers_cut = cut_headers(e.headers, cap)
        entry: dict[str, Any] = {
            "at": iso(e.at), "provider": e.provider, "operation": e.operation, "account": e.account,
            "method": e.method, "path": e.path if len(e.path) <= cap else cut_text(e.path, cap), "query": e.query,
            "headers": headers, "body": body, "status": e.status, "response_body": shown, "scenario": e.scenario,
            "violations": e.violations, "warnings": e.warnings}
        if body_cut or response_cut or headers_cut:
            entry["truncated"] = [name for name, cut in (("body", body_cut), ("response_body", response_cut),
                                                         ("headers", headers_cut)) if cut]
        entry["id"] = e.id
        return entry

    def fit_body(self, parsed: Any, raw: bytes) -> tuple[Any, bool]:
        """How a request body is shown: (value, cut?)."""
        if isinstance(parsed, Cut):
            return str(parsed), True
        if len(raw) > self.entry_bytes:
            return cut_text(raw, self.entry_bytes), True
        if parsed is None:
            return (raw.decode("utf-8", "replace") if raw else None), False
        return parsed, False

    def fit_response(self, payload: bytes | Cut, as_text: bool) -> tuple[Any, bool]:
        """How a response body is shown: (value, cut?): JSON parsed again from the bytes sent."""
        if isinstance(payload, Cut):
            return str(payload), True
        if len(payload) > self.entry_bytes:
            return cut_text(payload, self.entry_bytes), True
        if as_text:
            return payload.decode("utf-8", "replace"), False
        if not payload:
            return None, False
        try:
            return json.loads(payload), False
        except ValueError:  # not JSON after all: its text
            return payload.decode("utf-8", "replace"), False

    def query(self, provider: str | None = None, method: str | None = None, path: str | None = None,
              status: str | None = None, operation: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        return [self.view(e) for e in self.select(provider, method, path, status, operation, limit)]

    def select(self, provider: str | None = None, method: str | None = None, path: str | None = None,
               status: str | None = None, operation: str | None = None, limit: int | None = None) -> list[Raw]:
        """The entries a query names, as kept (`view` shows one)."""
        out = []
        for e in self._ring.items:
            if provider and e.provider != provider:
                continue
            if method and e.method != method.upper():
                continue
            if path and path not in (e.path if len(e.path) <= self.entry_bytes else
                                     cut_text(e.path, self.entry_bytes)):
                continue
            if status and str(e.status) != str(status):
                continue
            if operation and e.operation != operation:
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
                ring.keep(lambda e: e.provider != provider)
            self.counts = {k: v for k, v in self.counts.items() if k[0] != provider}

