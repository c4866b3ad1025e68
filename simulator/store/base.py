"""The seam every store implements: records are JSON-able dicts, by provider, kind and id.

Keys starting with `_` are the simulator's own bookkeeping (`_account`, `_history`, `_next`, `_scenarios`)
and are never shown to a provider's client.
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

Record = dict[str, Any]


class Store(Protocol):
    def get(self, provider: str, kind: str, key: str) -> Record | None: ...

    def put(self, provider: str, kind: str, key: str, record: Record) -> None: ...

    def delete(self, provider: str, kind: str, key: str) -> bool: ...

    def all(self, provider: str, kind: str, account: str | None = None) -> list[Record]: ...

    def next_id(self, provider: str, kind: str, start: int = 1) -> int: ...

    def count(self, provider: str, kind: str) -> int: ...

    def kinds(self, provider: str) -> Iterable[str]: ...

    def reset(self, provider: str | None = None) -> None: ...

    def begin(self) -> None:
        """Start a unit of work (a request, a scheduled job): a shared store drops what it read before."""
