"""The seam every store implements: records by (provider, kind, key), each owned by an account.

Every method maps to one SQL statement on a table `records(provider, kind, key, account, data)` (data: the
record's JSON, `Record.to_json()`) and a table `ids(provider, kind, value)`, so a shared store (PostgreSQL) can
implement it as it stands. Ownership is part of the lookup: given an account, `get` and `all` find only that
account's records, as `WHERE account = ?` would.

A record is state only once it is `put`: a store may keep another form (JSON text, a compact encoding) and hand
out copies. Within one unit of work (`begin()` starts the next: a request, a scheduled job) `get` returns the
same object for the same key, so code that changes a record another function has just stored sees one record.
"""

from __future__ import annotations

from typing import Protocol

from simulator.records import Record


class Store(Protocol):
    persistent: bool  # True: state survives a restart (the engine then restores its scheduled work)

    def begin(self) -> None:
        """Start a unit of work (a request, a scheduled job): a shared store drops what it read before."""

    def get(self, provider: str, kind: str, key: str, account: str | None = None) -> Record | None:
        """The record, or None; given an account, None too when another account owns it."""

    def put(self, provider: str, kind: str, key: str, record: Record) -> None:
        """Insert or replace; the owning account is `record.meta.account`."""

    def delete(self, provider: str, kind: str, key: str) -> bool:
        """Remove; whether there was such a record."""

    def all(self, provider: str, kind: str, account: str | None = None) -> list[Record]:
        """Every record of the kind (of one account when given), oldest first."""

    def exists(self, provider: str, kind: str, key: str) -> bool:
        """Whether any account holds a record with this key (to choose a free key)."""

    def next_id(self, provider: str, kind: str, start: int = 1) -> int:
        """The next value of a counter that starts at `start` (atomic across processes)."""

    def count(self, provider: str, kind: str, account: str | None = None) -> int:
        """How many records of the kind (of one account when given)."""

    def reset(self, provider: str | None = None) -> None:
        """Forget every record and counter (of one provider when given)."""

    def close(self) -> None:
        """Release the store's resources (files, connections)."""
