"""The PostgreSQL store's schema, as numbered migrations (simulator/store/postgres.py applies them at open, in
order, each in a transaction, under MIGRATION_LOCK, recorded in `schema_version`). A new version appends a step;
a released step is never edited."""

from __future__ import annotations

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
