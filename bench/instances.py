#!/usr/bin/env python3
"""provider-sim on PostgreSQL beside memory and SQLite (not a test): creates and status reads per second for one
instance of each store, and for two instances sharing one PostgreSQL database (the load split between them).
The same validated create and status read as bench/run.py, on a throw-away PostgreSQL server (tests/pgserver.py)
with fsync on (the server's defaults, not the test settings).

    python bench/instances.py [--duration 10] [--connections 32] [--out bench/instances.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from run import CREATE_BODY, CREATE_PATH, PY, auth, free_port, http, load, stop  # noqa: E402


def start(store: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "simulator", "serve", "--port", str(port), "--clock", "manual",
                             "--store", store], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            http("GET", base + "/_sim/health")
            return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server on {store} did not start")
            time.sleep(0.02)


def split_load(urls: list[str], method: str, headers: dict[str, str], body: str | None, seconds: int,
               connections: int) -> dict[str, Any]:
    """The load generator on each URL at once, the connections shared; requests/s summed."""
    results: list[dict[str, Any]] = [{} for _ in urls]

    def one(i: int) -> None:
        results[i] = load(urls[i], method, headers, body, seconds, max(1, connections // len(urls)))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(urls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": sum(r["rps"] for r in results), "per_instance_rps": [r["rps"] for r in results],
            "p50_ms": max(r["p50_ms"] for r in results), "p99_ms": max(r["p99_ms"] for r in results),
            "non_2xx": sum(r["non_2xx"] for r in results)}


def run(label: str, stores: list[str], seconds: int, connections: int) -> dict[str, Any]:
    procs = [start(store) for store in stores]
    try:
        bases = [base for _, base in procs]
        headers = auth(bases[0])
        ref = http("POST", bases[0] + CREATE_PATH, CREATE_BODY, headers)["clicpay_reference"]
        split_load([b + CREATE_PATH for b in bases], "POST", headers, CREATE_BODY, 2, connections)  # warm-up
        create = split_load([b + CREATE_PATH for b in bases], "POST", headers, CREATE_BODY, seconds, connections)
        reads = [f"{b}/clicpay/api/v2/transactions/{ref}/status" for b in bases]
        read = split_load(reads, "GET", headers, None, seconds, connections)
        return {"run": label, "instances": len(stores), "create": create, "read": read}
    finally:
        for proc, _ in procs:
            stop(proc)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds per load run")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--out", default=str(HERE / "instances.json"))
    p.add_argument("--repeat", type=int, default=1,
                   help="run the plan N times, interleaved, and keep each run's best figures (a shared machine)")
    p.add_argument("--async-commit", action="store_true",
                   help="PostgreSQL databases with synchronous_commit off (a server crash may lose the last "
                        "commits; an instance crash loses nothing)")
    p.add_argument("--only", action="append", default=[], metavar="RUN",
                   help="only these runs: memory, sqlite, pg1, pg2 (repeatable; default: all)")
    a = p.parse_args()
    from pgserver import drop_database, fresh_database, postgres_server
    results: list[dict[str, Any]] = []
    folder = tempfile.mkdtemp()
    try:
        with postgres_server(durable=True) as server:
            plan: list[tuple[str, list[str]]] = [
                ("memory", ["memory"]),
                ("sqlite", [f"sqlite:{folder}/bench.sqlite"]),
                ("postgresql, 1 instance", ["pg1"]),
                ("postgresql, 2 instances", ["pg2", "pg2"]),
            ]
            keys = {"memory": "memory", "sqlite": "sqlite", "postgresql, 1 instance": "pg1",
                    "postgresql, 2 instances": "pg2"}
            best: dict[str, dict[str, Any]] = {}
            for _ in range(a.repeat):
                for label, stores in plan:
                    if a.only and keys[label] not in a.only:
                        continue
                    urls = {name: fresh_database(server, name) for name in set(stores) if name.startswith("pg")}
                    if a.async_commit:
                        import psycopg
                        with psycopg.connect(server, autocommit=True) as conn:
                            for name in urls:
                                conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
                    resolved = [urls.get(s, s) for s in stores]
                    result = run(label, resolved, a.duration, a.connections)
                    print(json.dumps(result), flush=True)
                    for name in urls:
                        drop_database(server, name)
                    for leftover in Path(folder).glob("bench.sqlite*"):  # each run starts empty
                        leftover.unlink()
                    kept = best.setdefault(label, result)
                    for part in ("create", "read"):
                        if result[part]["rps"] > kept[part]["rps"]:
                            kept[part] = result[part]
            results.extend(best.values())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    Path(a.out).write_text(json.dumps({"runs": results}, indent=2) + "\n")
    print("| store | instances | creates/s (per instance) | create p50/p99 ms | reads/s (per instance) | "
          "read p50/p99 ms |\n|---|---|---|---|---|---|")
    for r in results:
        c, rd = r["create"], r["read"]
        print(f"| {r['run']} | {r['instances']} | {c['rps']} ({' + '.join(map(str, c['per_instance_rps']))}) | "
              f"{c['p50_ms']} / {c['p99_ms']} | {rd['rps']} ({' + '.join(map(str, rd['per_instance_rps']))}) | "
              f"{rd['p50_ms']} / {rd['p99_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
