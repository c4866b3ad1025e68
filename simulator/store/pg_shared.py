"""What instances sharing a PostgreSQL store keep beside the records (simulator/shared.py): the `shared` row (the
clock, the reset epoch), due work claimed with `SELECT ... FOR UPDATE SKIP LOCKED` and a lease, the instances'
URLs and heartbeats, the scenario log. A part of `PostgresStore` (simulator/store/postgres.py), on its connection."""

from __future__ import annotations

from typing import Any, NamedTuple

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


class SharedTables:
    """The shared tables' statements; `PostgresStore` provides the connection and the unit state."""

    _db: Any
    _instance: int
    _unit: bool
    _tx: bool
    lease_seconds: float

    def _alive(self) -> None:
        raise NotImplementedError

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
