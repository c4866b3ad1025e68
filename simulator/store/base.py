"""The seam every store implements: records by (provider, kind, key), each owned by an account.

Every method maps to one SQL statement on a table `records(provider, kind, key, account, data)` (data: the
record's JSON, `Record.to_json()`) and a table `ids(provider, kind, value)`, so a shared store (PostgreSQL) can
implement it as it stands. Ownership is part of the lookup: given an account, `get` and `all` find only that
account's records, as `WHERE account = ?` would.

A record is state only once it is `put`: a store may keep another form (JSON text, a compact encoding) and hand
out copies. Within one unit of work (`begin()` starts the next: a request, a scheduled job) `get` returns the
same object for the same key, so code that changes a record another function has just stored sees one record.

Units of work (`begin` / `commit` / `rollback`): one request, one scheduled job, one control write is one unit,
committed before its answer is sent (nothing acknowledged is lost), the provider's own error answers included
(what a handler stored before raising its ProviderError, a declined card's failed payment, is part of that
answer), and rolled back when it raises anything else (a 500, a cancelled request, a failed job). Outside a unit
(start-up, seeding, tests driving a store directly) every write is durable on its own. The engine opens units
through `simulator.store.units.Units`, never by calling `begin` itself, and that class makes the choice the
contract leaves open: units of one process are serialised by an asyncio.Lock (one unit at a time per store
connection), and a unit never waits on the network while it holds it: the request body is read and a scenario's
latency slept before the unit starts, the answer is sent after it commits, and a webhook attempt commits the work so
far before its POST and resumes after it (`Units.outside`). Work that runs inside an open unit (due jobs run by
a payer page, a forced transition) joins it. Serialising costs nothing while units do not wait: they are plain
Python between two awaits, so the lock is free whenever another request arrives.

Money: `lock(name)` inside a unit holds a named lock (an account's money, `"{provider}:{account}"`) until the unit
ends, and what the unit reads after it is current, so a read-check-write of a balance is atomic across workers and
instances (simulator/engine/balances.py). A read unit may reach money too (a status read whose transition credits a
balance): SQLite then takes the file's write lock at `lock()`.
"""

from __future__ import annotations

from typing import Protocol

from simulator.records import Record


class Store(Protocol):
    persistent: bool  # True: state survives a restart (the engine then restores its scheduled work)

    def begin(self, write: bool = False) -> None:
        """Start a unit of work (a request, a scheduled job, a control write): a shared store drops what it read
        before. `write`: the unit may change state (SQLite: BEGIN IMMEDIATE, one writer across processes)."""

    def commit(self) -> None:
        """Make the unit's writes durable (before its answer is sent)."""

    def rollback(self) -> None:
        """Undo the unit's writes (it raised). The memory store cannot undo what it already changed: engine code
        checks before it writes (a refused request stores nothing)."""

    def lock(self, name: str) -> None:
        """Inside a unit: wait until no unit of any process or instance holds `name`; hold it to the unit's end.
        A record first read after it is current (a store that caches records within a unit must not answer the
        balance's record from a copy older than the lock: SQLite's write units are exclusive from their start, and
        no read unit reads a balance before it locks it)."""

    def instance(self) -> int:
        """This process's instance number among those sharing the store (1 for the first; memory: 1), allocated
        once at open: ids drawn at random come from a stream seeded by (--seed, instance)."""

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
