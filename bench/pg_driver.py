"""Which PostgreSQL driver for the store (simulator/store/postgres.py): psycopg 3 or asyncpg, measured.

One "unit" is what a write request costs the store: BEGIN; SELECT ... FOR UPDATE of a record; INSERT ... ON
CONFLICT of a record; COMMIT. Three ways to run it, on a throw-away server (tests/pgserver.py) or --url:
- psycopg 3, synchronous, one connection (what the Store protocol, synchronous, can call directly);
- asyncpg awaited directly (its best case: it would need an asynchronous Store protocol and engine);
- asyncpg behind the synchronous protocol: each statement handed to a loop in another thread and waited for.

    .venv/bin/python bench/pg_driver.py [--units 3000] [--url postgresql://...]

asyncpg is not a dependency: `pip install asyncpg` to measure it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SETUP = ("CREATE TABLE IF NOT EXISTS bench (k TEXT PRIMARY KEY, data TEXT NOT NULL);"
         "INSERT INTO bench VALUES ('k0', '{}') ON CONFLICT DO NOTHING")
DATA = json.dumps({"f": {"id": "x" * 36, "amount": 1000, "status": "pending"}, "m": {"a": "shop", "h": []}})


def psycopg_units(url: str, units: int) -> float:
    import psycopg
    conn = psycopg.connect(url, autocommit=True)
    conn.execute(SETUP)
    started = time.perf_counter()
    for i in range(units):
        conn.execute("BEGIN")
        conn.execute("SELECT data FROM bench WHERE k = %s FOR UPDATE", ("k0",)).fetchone()
        conn.execute("INSERT INTO bench VALUES (%s, %s) ON CONFLICT (k) DO UPDATE SET data = excluded.data",
                     (f"k{i % 100}", DATA))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return units / elapsed


async def _asyncpg_unit(conn: Any, i: int) -> None:
    await conn.execute("BEGIN")
    await conn.fetchrow("SELECT data FROM bench WHERE k = $1 FOR UPDATE", "k0")
    await conn.execute("INSERT INTO bench VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET data = excluded.data",
                       f"k{i % 100}", DATA)
    await conn.execute("COMMIT")


def asyncpg_units(url: str, units: int) -> float:
    import asyncpg

    async def run() -> float:
        conn = await asyncpg.connect(url)
        await conn.execute(SETUP)
        started = time.perf_counter()
        for i in range(units):
            await _asyncpg_unit(conn, i)
        elapsed = time.perf_counter() - started
        await conn.close()
        return units / elapsed
    return asyncio.run(run())


def asyncpg_sync_units(url: str, units: int) -> float:
    """asyncpg called from synchronous code: every statement crosses to a loop thread and back."""
    import asyncpg
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def call(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result()
    conn = call(asyncpg.connect(url))
    call(conn.execute(SETUP))
    started = time.perf_counter()
    for i in range(units):
        call(conn.execute("BEGIN"))
        call(conn.fetchrow("SELECT data FROM bench WHERE k = $1 FOR UPDATE", "k0"))
        call(conn.execute("INSERT INTO bench VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET data = excluded.data",
                          f"k{i % 100}", DATA))
        call(conn.execute("COMMIT"))
    elapsed = time.perf_counter() - started
    call(conn.close())
    loop.call_soon_threadsafe(loop.stop)
    return units / elapsed


def measure(url: str, units: int) -> dict[str, float | None]:
    out: dict[str, float | None] = {"psycopg (sync)": psycopg_units(url, units)}
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        out["asyncpg (awaited)"] = out["asyncpg (sync protocol)"] = None
        return out
    out["asyncpg (awaited)"] = asyncpg_units(url, units)
    out["asyncpg (sync protocol)"] = asyncpg_sync_units(url, units)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=3000)
    p.add_argument("--url", default=None, help="a PostgreSQL database (default: a throw-away server)")
    a = p.parse_args()
    if a.url:
        results = measure(a.url, a.units)
    else:
        from pgserver import postgres_server
        with postgres_server() as url:
            results = measure(url, a.units)
    for name, rate in results.items():
        print(f"{name:26} {'not installed' if rate is None else f'{rate:8.0f} units/s'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
