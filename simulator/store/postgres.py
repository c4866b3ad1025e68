"""State in PostgreSQL (`--store postgresql://USER:PASS@HOST:PORT/DB`): one state shared by several instances.

The tables are `records(provider, kind, key, account, data, due)` and `ids(provider, kind, value)` as in the
SQLite store, plus what instances share (simulator/shared.py): `instances` (the instance numbers), `shared`
(one row: the manual clock's offset and start, the reset epoch, the scenario log's last number) and
`scenario_log` (scenarios loaded and switched through the control API). `due` is the clock time of the record's
next timed move (`record.meta.next.due`; the outbox keeps a delivery chain's next attempt there too): the
instances claim due work with `SELECT ... FOR UPDATE SKIP LOCKED` (`claim_due`).

The schema is created and migrated at open (store/pg_schema.py MIGRATIONS, a `schema_version` table, under an advisory lock so
instances starting together apply each migration once). One connection per process (psycopg 3, synchronous as
the Store protocol is); a unit of work (`begin` ... `commit`/`rollback`) is one transaction, READ COMMITTED; a
write unit's `get` takes the row's lock (`SELECT ... FOR UPDATE`), so two instances changing one record queue
instead of losing an update; `lock(name)` is a transaction-scoped advisory lock. Outside a unit each statement
commits on its own (start-up, tools).
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

from simulator.jsonio import dumps
from simulator.records import Record
from simulator.store.pg_schema import MIGRATION_LOCK, MIGRATIONS
from simulator.store.pg_shared import SharedRow, SharedTables

__all__ = ["PostgresStore", "SharedRow", "open_error", "is_url"]

# how long a claimed job stays another instance's (wall seconds) before it is taken over: longer than a webhook
# attempt's timeout; PROVIDER_SIM_LEASE_SECONDS sets it
LEASE_SECONDS = float(os.environ.get("PROVIDER_SIM_LEASE_SECONDS") or 30)
IDLE_SECONDS = 60  # a unit idle in its transaction longer than this is ended by the server (its locks freed)


def _dumps(record: Record) -> str:
    return dumps(record.to_json()).decode("utf-8")


def _loads(text: str) -> Record:
    return Record.from_json(json.loads(text))


def _due(record: Record) -> float | None:
    nxt = record.meta.next
    return None if nxt is None or nxt.due is None else float(nxt.due)


def is_url(spec: str) -> bool:
    return spec.startswith(("postgresql://", "postgres://"))


def open_error(url: str, exc: Exception) -> str:
    """Why the database cannot be the store, in one line, without the password."""
    shown = url
    if "@" in url and ":" in url.split("@", 1)[0].split("//", 1)[-1]:
        scheme, rest = url.split("//", 1)
        creds, host = rest.split("@", 1)
        shown = f"{scheme}//{creds.split(':', 1)[0]}:***@{host}"
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"cannot use {shown!r} as the PostgreSQL store: {reason}"


class PostgresStore(SharedTables):
    persistent = True
    shared = True  # other instances may change the state between units of work

    def __init__(self, url: str) -> None:
        import psycopg  # the `postgresql` extra: only a PostgreSQL store needs it

        self.url = url
        self._db: Any = self._connect()
        self._migrate()
        row: Any = self._db.execute("INSERT INTO instances (host, pid) VALUES (%s, %s) RETURNING number",
                               (socket.gethostname(), os.getpid())).fetchone()
        self._instance = int(row[0])
        self.lease_seconds = LEASE_SECONDS
        self.due_writes = 0  # how many records with a due time this process has written (a cached next due is stale)
        self._unit = False  # a unit of work is open
        self._tx = False  # ... and it is a write unit: a transaction (a read unit reads committed rows as it goes)
        self._live: dict[tuple[str, str, str], Record] = {}

    def _connect(self) -> Any:
        import psycopg
        db = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        db.execute(f"SET idle_in_transaction_session_timeout = '{IDLE_SECONDS}s'")
        return db

    def _alive(self) -> None:
        """Between units: a connection the server or the network closed is opened again (the instance keeps its
        number); the request that found it broken failed, the next one is served."""
        if self._db.closed or self._db.broken:
            try:
                self._db.close()
            except Exception:
                pass
            self._db = self._connect()
            self._unit = False

    # --- schema --------------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        db = self._db
        db.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                       "applied TIMESTAMPTZ NOT NULL DEFAULT now())")
            current = int(db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])
            for version, sql in MIGRATIONS:
                if version <= current:
                    continue
                with db.transaction():
                    db.execute(sql)
                    db.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
        finally:
            db.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    def schema_version(self) -> int:
        return int(self._db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])

    # --- units of work -------------------------------------------------------------------------------------

    def begin(self, write: bool = False) -> None:
        """A new unit of work: a write unit is one transaction (BEGIN ... COMMIT); a read unit sends no BEGIN (each
        read sees what is committed, two round trips fewer per GET). One still open is committed first."""
        if self._unit:
            self.commit()
        self._live.clear()
        self._alive()
        if write:
            self._db.execute("BEGIN")
        self._unit = True
        self._tx = write

    def commit(self) -> None:
        if self._unit:
            self._unit = False
            if self._tx:
                self._tx = False
                self._db.execute("COMMIT")

    def rollback(self) -> None:
        self._live.clear()
        if self._unit:
            self._unit = False
            if self._tx:
                self._tx = False
                if not (self._db.closed or self._db.broken):
                    self._db.execute("ROLLBACK")

    def lock(self, name: str) -> None:
        """Held until the unit ends; another unit (any instance) asking for it waits. In a read unit (a GET whose
        status read moves a record and so reaches money) the transaction starts here, and what the unit read
        before is read again (current, and locked) when asked for."""
        if self._unit and not self._tx:
            self._db.execute("BEGIN")
            self._tx = True
            self._live.clear()
        if self._tx:
            self._db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (name,))

    def instance(self) -> int:
        return self._instance

    # --- records -------------------------------------------------------------------------------------------

    def get(self, provider: str, kind: str, key: str, account: str | None = None) -> Record | None:
        record = self._live.get((provider, kind, key))
        if record is None:
            sql = "SELECT data FROM records WHERE provider=%s AND kind=%s AND key=%s"
            if self._tx:
                sql += " FOR UPDATE"
            row = self._db.execute(sql, (provider, kind, key)).fetchone()
            if row is None:
                return None
            record = self._live[(provider, kind, key)] = _loads(row[0])
        if account is not None and record.meta.account != account:
            return None
        return record

    def put(self, provider: str, kind: str, key: str, record: Record) -> None:
        due = _due(record)
        if due is not None:
            self.due_writes += 1
        self._db.execute(
            "INSERT INTO records (provider, kind, key, account, data, due) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (provider, kind, key) DO UPDATE SET account=excluded.account, data=excluded.data, "
            "due=excluded.due, lease_until=NULL",
            (provider, kind, key, record.meta.account, _dumps(record), due))
        self._live[(provider, kind, key)] = record

    def delete(self, provider: str, kind: str, key: str) -> bool:
        self._live.pop((provider, kind, key), None)
        cur = self._db.execute("DELETE FROM records WHERE provider=%s AND kind=%s AND key=%s", (provider, kind, key))
        return bool(cur.rowcount > 0)

    def all(self, provider: str, kind: str, account: str | None = None) -> list[Record]:
        if account is None:
            rows = self._db.execute("SELECT key, data FROM records WHERE provider=%s AND kind=%s ORDER BY seq",
                                    (provider, kind)).fetchall()
        else:
            rows = self._db.execute("SELECT key, data FROM records WHERE provider=%s AND kind=%s AND account=%s "
                                    "ORDER BY seq", (provider, kind, account)).fetchall()
        out = []
        for key, data in rows:
            record = self._live.get((provider, kind, key))
            if record is None:
                record = self._live[(provider, kind, key)] = _loads(data)
            out.append(record)
        return out

    def exists(self, provider: str, kind: str, key: str) -> bool:
        if (provider, kind, key) in self._live:
            return True
        return self._db.execute("SELECT 1 FROM records WHERE provider=%s AND kind=%s AND key=%s",
                                (provider, kind, key)).fetchone() is not None

    def next_id(self, provider: str, kind: str, start: int = 1) -> int:
        row = self._db.execute(
            "INSERT INTO ids (provider, kind, value) VALUES (%s, %s, %s) "
            "ON CONFLICT (provider, kind) DO UPDATE SET value = ids.value + 1 RETURNING value",
            (provider, kind, start)).fetchone()
        return int(row[0])

    def count(self, provider: str, kind: str, account: str | None = None) -> int:
        if account is None:
            row = self._db.execute("SELECT COUNT(*) FROM records WHERE provider=%s AND kind=%s",
                                   (provider, kind)).fetchone()
        else:
            row = self._db.execute("SELECT COUNT(*) FROM records WHERE provider=%s AND kind=%s AND account=%s",
                                   (provider, kind, account)).fetchone()
        return int(row[0])

    def reset(self, provider: str | None = None) -> None:
        self._live.clear()
        db = self._db
        with db.transaction():
            if provider is None:
                db.execute("DELETE FROM records")
                db.execute("DELETE FROM ids")
                db.execute("DELETE FROM scenario_log")
            else:
                db.execute("DELETE FROM records WHERE provider=%s", (provider,))
                db.execute("DELETE FROM ids WHERE provider=%s", (provider,))

    def close(self) -> None:
        try:
            self._db.close()
        except Exception:  # a connection the server already closed
            pass
