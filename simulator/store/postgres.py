"""State in PostgreSQL (`--store postgresql://USER:PASS@HOST:PORT/DB`): one state shared by several instances.

The tables are `records(provider, kind, key, account, data, due)` and `ids(provider, kind, value)` as in the
SQLite store, plus what instances share (simulator/shared.py): `instances` (the instance numbers), `shared`
(one row: the manual clock's offset and start, the reset epoch, the scenario log's last number) and
`scenario_log` (scenarios loaded and switched through the control API). `due` is the clock time of the record's
next timed move (`record.meta.next.due`; the outbox keeps a delivery chain's next attempt there too): the
instances claim due work with `SELECT ... FOR UPDATE SKIP LOCKED` (`claim_due`).

The schema is created and migrated at open (MIGRATIONS, a `schema_version` table, under an advisory lock so
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
from typing import Any, NamedTuple

from simulator.jsonio import dumps
from simulator.records import Record

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE records (
    seq BIGSERIAL PRIMARY KEY,
    provider TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, account TEXT, data TEXT NOT NULL,
    due DOUBLE PRECISION,
    UNIQUE (provider, kind, key));
CREATE INDEX records_by_account ON records (provider, kind, account);
CREATE INDEX records_due ON records (due) WHERE due IS NOT NULL;
CREATE TABLE ids (provider TEXT NOT NULL, kind TEXT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (provider, kind));
CREATE TABLE instances (number SERIAL PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL,
    started TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE shared (id INTEGER PRIMARY KEY CHECK (id = 1),
    clock_start DOUBLE PRECISION, wall_start DOUBLE PRECISION, clock_offset DOUBLE PRECISION NOT NULL DEFAULT 0,
    epoch BIGINT NOT NULL DEFAULT 0);
INSERT INTO shared (id) VALUES (1);
CREATE TABLE scenario_log (seq BIGSERIAL PRIMARY KEY, action TEXT NOT NULL, name TEXT, body TEXT);
"""),
    # a claimed job's lease: a webhook attempt leaves its unit around the POST, so the row lock alone cannot keep
    # other instances from taking it meanwhile; a crashed instance's lease runs out and the work is taken over
    (2, """
ALTER TABLE records ADD COLUMN lease_until TIMESTAMPTZ;
"""),
    # where each instance answers (its control API) and when it was last alive: GET /_sim/requests?all_instances
    (3, """
ALTER TABLE instances ADD COLUMN url TEXT, ADD COLUMN seen TIMESTAMPTZ;
"""),
    # which provider the last reset was for (NULL: all), so the other instances reset no more than that
    (4, """
ALTER TABLE shared ADD COLUMN reset_provider TEXT;
"""),
]
MIGRATION_LOCK = 7_301_117_016  # pg_advisory_lock key: one instance migrates at a time
# how long a claimed job stays another instance's (wall seconds) before it is taken over: longer than a webhook
# attempt's timeout; PROVIDER_SIM_LEASE_SECONDS sets it
LEASE_SECONDS = float(os.environ.get("PROVIDER_SIM_LEASE_SECONDS") or 30)
IDLE_SECONDS = 60  # a unit idle in its transaction longer than this is ended by the server (its locks freed)
FREE = "(lease_until IS NULL OR lease_until < clock_timestamp())"  # a due row no instance has a lease on


class SharedRow(NamedTuple):
    """What every instance reads before serving: the clock, the reset epoch, the scenario log's end."""
    clock_start: float | None
    wall_start: float | None
    clock_offset: float
    epoch: int
    scenario_seq: int
    next_due: float | None  # the earliest due row without a lease (another instance may be claiming it)
    reset_provider: str | None  # the provider of the last reset (None: every provider)


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


class PostgresStore:
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

    # --- what instances share (simulator/shared.py) --------------------------------------------------------

    def shared_row(self) -> SharedRow:
        if not self._unit:
            self._alive()
        row = self._db.execute(
            "SELECT clock_start, wall_start, clock_offset, epoch, "
            "(SELECT COALESCE(MAX(seq), 0) FROM scenario_log), "
            f"(SELECT due FROM records WHERE due IS NOT NULL AND {FREE} ORDER BY due LIMIT 1), reset_provider "
            "FROM shared WHERE id = 1").fetchone()
        return SharedRow(row[0], row[1], float(row[2]), int(row[3]), int(row[4]),
                         None if row[5] is None else float(row[5]), row[6])

    def clock_start(self, start: float, wall_start: float) -> tuple[float, float, float]:
        """The shared clock's (start, wall at start, offset); the first instance's own when none is kept."""
        row = self._db.execute(
            "UPDATE shared SET clock_start = COALESCE(clock_start, %s), wall_start = COALESCE(wall_start, %s) "
            "WHERE id = 1 RETURNING clock_start, wall_start, clock_offset", (start, wall_start)).fetchone()
        return float(row[0]), float(row[1]), float(row[2])

    def clock_add(self, seconds: float) -> float:
        """Move the shared clock by `seconds`; its offset now."""
        row = self._db.execute("UPDATE shared SET clock_offset = clock_offset + %s WHERE id = 1 "
                               "RETURNING clock_offset", (seconds,)).fetchone()
        return float(row[0])

    def clock_reset(self, wall_start: float) -> None:
        self._db.execute("UPDATE shared SET clock_offset = 0, wall_start = %s WHERE id = 1", (wall_start,))

    def new_epoch(self, provider: str | None = None) -> int:
        """A reset happened (of one provider, or of all): every instance drops what it keeps in memory of it
        (simulator/shared.py)."""
        return int(self._db.execute("UPDATE shared SET epoch = epoch + 1, reset_provider = %s WHERE id = 1 "
                                    "RETURNING epoch", (provider,)).fetchone()[0])

    @property
    def in_unit(self) -> bool:
        return self._unit

    def next_due(self) -> float | None:
        """The earliest due time of a row no unit holds (inside a unit: of any row)."""
        lock = "" if self._tx else " FOR UPDATE SKIP LOCKED"
        row = self._db.execute(f"SELECT due FROM records WHERE due IS NOT NULL AND {FREE} ORDER BY due LIMIT 1"
                               + lock).fetchone()
        return None if row is None else float(row[0])

    def claim_due(self, now: float) -> tuple[str, str, str, float] | None:
        """Inside a write unit: the earliest record due by `now` that no other unit holds nor leases, locked until
        the unit ends and leased for LEASE_SECONDS (another instance skips it; a crashed instance's lock goes with
        its connection, its lease runs out). Writing the record (`put`) ends the lease."""
        row = self._db.execute(
            f"WITH c AS (SELECT seq FROM records WHERE due IS NOT NULL AND due <= %s AND {FREE} "
            "ORDER BY due, seq LIMIT 1 FOR UPDATE SKIP LOCKED) "
            "UPDATE records r SET lease_until = clock_timestamp() + make_interval(secs => %s) FROM c "
            "WHERE r.seq = c.seq RETURNING r.provider, r.kind, r.key, r.due", (now, self.lease_seconds)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]), float(row[3]))

    def settle_due(self, provider: str, kind: str, key: str, due: float) -> None:
        """After a claimed job: a record whose due did not change is not claimed again."""
        self._db.execute("UPDATE records SET due = NULL, lease_until = NULL "
                         "WHERE provider=%s AND kind=%s AND key=%s AND due = %s", (provider, kind, key, due))

    def advertise(self, url: str) -> None:
        """This instance answers at `url` (its peers fetch its request journal there)."""
        self._db.execute("UPDATE instances SET url = %s, seen = now() WHERE number = %s", (url, self._instance))

    def heartbeat(self) -> None:
        self._db.execute("UPDATE instances SET seen = now() WHERE number = %s", (self._instance,))

    def peers(self, alive_seconds: float) -> list[tuple[int, str]]:
        """The other instances seen alive within `alive_seconds`: (number, url)."""
        rows = self._db.execute(
            "SELECT number, url FROM instances WHERE number <> %s AND url IS NOT NULL "
            "AND seen > now() - make_interval(secs => %s) ORDER BY number", (self._instance, alive_seconds)).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def log_scenario(self, action: str, name: str | None, body: str | None) -> int:
        row = self._db.execute("INSERT INTO scenario_log (action, name, body) VALUES (%s, %s, %s) RETURNING seq",
                               (action, name, body)).fetchone()
        return int(row[0])

    def scenario_entries(self, after: int) -> list[tuple[int, str, str | None, str | None]]:
        rows = self._db.execute("SELECT seq, action, name, body FROM scenario_log WHERE seq > %s ORDER BY seq",
                                (after,)).fetchall()
        return [(int(r[0]), str(r[1]), r[2], r[3]) for r in rows]
