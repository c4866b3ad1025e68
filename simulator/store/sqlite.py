"""State in a SQLite file (`--store sqlite:PATH`): survives restarts and kill -9.

One unit of work (a request, a scheduled job, a control write: simulator/store/base.py) is one transaction in WAL
mode, committed before its answer is sent, so nothing acknowledged to a client is lost when the process dies
(synchronous=NORMAL: durable against a crash of the process; a power cut may lose the last commits). A write unit
starts with BEGIN IMMEDIATE: it takes the file's write lock at once, so the writers of several processes
(`serve --workers N` on one file) run one after another and a read-check-write (a balance) is atomic; readers are
never blocked (WAL). A read unit reads without a transaction. Outside a unit every statement commits on its own.
Records are stored as their JSON (`Record.to_json()`) with the owning account in its own column; a record is state
only once it has been `put` again after a change.

Within one unit reads of the same record return the same object, as the memory store does, so code that changes a
record another function has just stored sees one record, not two copies. Between units nothing is cached, so
several processes may open the same file: ids come from an atomic UPDATE ... RETURNING, each process that opens the
file gets its own instance number (a row of `instances`, never reused, so a restart does not replay the ids of an
earlier run), and busy_timeout waits for the write lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from simulator.jsonio import dumps
from simulator.records import Record
from simulator.store.writers import WriterQueue

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,
    provider TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, account TEXT, data TEXT NOT NULL,
    UNIQUE (provider, kind, key));
CREATE INDEX IF NOT EXISTS records_by_account ON records (provider, kind, account);
CREATE TABLE IF NOT EXISTS ids (provider TEXT NOT NULL, kind TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (provider, kind));
CREATE TABLE IF NOT EXISTS instances (n INTEGER PRIMARY KEY AUTOINCREMENT, pid INTEGER NOT NULL);
"""


def open_error(path: str | Path, exc: Exception) -> str:
    """Why the file cannot be the store, in one line that names it."""
    p = Path(path)
    if p.is_dir():
        reason = "it is a folder, not a file"
    elif p.parent.exists() and not p.parent.is_dir():
        reason = f"{p.parent} is a file, not a folder"
    elif not p.parent.is_dir():
        reason = f"its folder {p.parent} cannot be created ({getattr(exc, 'strerror', None) or exc})"
    elif not os.access(p.parent, os.W_OK | os.X_OK):
        reason = f"its folder {p.parent} is not writable"
    elif p.exists() and not os.access(p, os.R_OK | os.W_OK):
        reason = "the file is not readable and writable"
    elif isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
        reason = "the file exists and is not a SQLite database"
    else:
        reason = str(getattr(exc, "strerror", None) or exc)
    return f"cannot use {str(p)!r} as the SQLite store: {reason}"


def _dumps(record: Record) -> str:
    return dumps(record.to_json()).decode("utf-8")  # the one encoder: never NaN or a lone surrogate SQLite cannot store


def _loads(text: str) -> Record:
    return Record.from_json(json.loads(text))


class SqliteStore:
    persistent = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode (isolation_level=None): outside a unit each statement is committed when it returns;
        # a unit opens its own transaction (begin)
        self._db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30.0)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        # a checkpoint every 10,000 WAL pages, not 1,000: the pages every create changes (the counters, the
        # indexes' upper levels) are copied back to the file ten times less often (an in-process create: 25 % less
        # time); the WAL is cut back to 64 MB after each. `records.seq` is a plain rowid (no AUTOINCREMENT: one
        # table less to write per insert; files made before keep theirs)
        self._db.execute("PRAGMA wal_autocheckpoint=10000")
        self._db.execute("PRAGMA journal_size_limit=67108864")
        self._db.executescript(SCHEMA)
        self._live: dict[tuple[str, str, str], Record] = {}
        self._writers = WriterQueue(self.path)
        self._tx = False  # a unit's write transaction is open
        self._unit = False  # a unit is open (begin .. commit/rollback)
        row = self._db.execute("INSERT INTO instances (pid) VALUES (?) RETURNING n", (os.getpid(),)).fetchone()
        self._instance = int(row[0])

    def begin(self, write: bool = False) -> None:
        """A new unit of work: records are read afresh from the file; a write unit holds the write lock."""
        self._live.clear()
        self._unit = True
        if write:
            self._immediate()

    def _immediate(self) -> None:
        if not self._tx:
            self._writers.acquire()  # queue behind other processes' write units (store/writers.py)
            try:
                with self._lock:
                    self._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._writers.release()
                raise
            self._tx = True

    def commit(self) -> None:
        self._unit = False
        if self._tx:
            self._tx = False
            try:
                with self._lock:
                    try:
                        self._db.execute("COMMIT")
                    except BaseException:
                        if self._db.in_transaction:
                            self._db.execute("ROLLBACK")
                        raise
            finally:
                self._writers.release()

    def rollback(self) -> None:
        self._unit = False
        self._live.clear()  # what the unit changed in memory is not the state
        if self._tx:
            self._tx = False
            try:
                with self._lock:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
            finally:
                self._writers.release()

    def lock(self, name: str) -> None:
        """A write unit already holds the file's only write lock (BEGIN IMMEDIATE); a read unit that reaches money
        (a status read whose transition credits a balance) takes it now, so its read-check-write is atomic too."""
        if self._unit:
            self._immediate()

    def instance(self) -> int:
        return self._instance

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _write(self, sql: str, args: tuple[Any, ...]) -> int:
        with self._lock:
            return self._db.execute(sql, args).rowcount

    def get(self, provider: str, kind: str, key: str, account: str | None = None) -> Record | None:
        record = self._live.get((provider, kind, key))
        if record is None:
            rows = self._rows("SELECT data FROM records WHERE provider=? AND kind=? AND key=?",
                              (provider, kind, key))
            if not rows:
                return None
            record = self._live[(provider, kind, key)] = _loads(rows[0][0])
        if account is not None and record.meta.account != account:
            return None
        return record

    def put(self, provider: str, kind: str, key: str, record: Record) -> None:
        account = record.meta.account
        self._write("INSERT INTO records (provider, kind, key, account, data) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (provider, kind, key) DO UPDATE SET account=excluded.account, data=excluded.data",
                    (provider, kind, key, account, _dumps(record)))
        self._live[(provider, kind, key)] = record

    def delete(self, provider: str, kind: str, key: str) -> bool:
        self._live.pop((provider, kind, key), None)
        return self._write("DELETE FROM records WHERE provider=? AND kind=? AND key=?", (provider, kind, key)) > 0

    def all(self, provider: str, kind: str, account: str | None = None) -> list[Record]:
        if account is None:
            rows = self._rows("SELECT key, data FROM records WHERE provider=? AND kind=? ORDER BY seq",
                              (provider, kind))
        else:
            rows = self._rows("SELECT key, data FROM records WHERE provider=? AND kind=? AND account=? ORDER BY seq",
                              (provider, kind, account))
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
        return bool(self._rows("SELECT 1 FROM records WHERE provider=? AND kind=? AND key=?", (provider, kind, key)))

    def next_id(self, provider: str, kind: str, start: int = 1) -> int:
        with self._lock:
            row = self._db.execute(
                "INSERT INTO ids (provider, kind, value) VALUES (?, ?, ?) "
                "ON CONFLICT (provider, kind) DO UPDATE SET value=value+1 RETURNING value",
                (provider, kind, start)).fetchone()
        return int(row[0])

    def count(self, provider: str, kind: str, account: str | None = None) -> int:
        if account is None:
            rows = self._rows("SELECT COUNT(*) FROM records WHERE provider=? AND kind=?", (provider, kind))
        else:
            rows = self._rows("SELECT COUNT(*) FROM records WHERE provider=? AND kind=? AND account=?",
                              (provider, kind, account))
        return int(rows[0][0])

    def reset(self, provider: str | None = None) -> None:
        self._live.clear()
        with self._lock:
            own = not self._tx  # inside a write unit the unit's commit makes it durable
            if own:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                if provider is None:
                    self._db.execute("DELETE FROM records")
                    self._db.execute("DELETE FROM ids")
                else:
                    self._db.execute("DELETE FROM records WHERE provider=?", (provider,))
                    self._db.execute("DELETE FROM ids WHERE provider=?", (provider,))
                if own:
                    self._db.execute("COMMIT")
            except BaseException:
                if own:
                    self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()
        self._writers.close()
