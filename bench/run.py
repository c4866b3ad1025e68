#!/usr/bin/env python3
"""provider-sim benchmark on loopback (not a test): provider-sim beside a ceiling app (bench/ceiling.py: bearer
check, compiled fastjsonschema validation, a dict store) on the same ClicPay routes, in one run, as ratios.

Measures validated creates and status reads (throughput, p50/p99) for both, paired and alternated; start-up
with every spec loaded; idle RSS; memory per stored transaction (RSS slope past the journal's ring); optionally
SQLite creates against the memory store's, and create p99 per 100,000 created as the store grows (--growth).

    python bench/run.py [--duration 8] [--connections 32] [--pairs 3] [--transactions 100000] [--sqlite]
                        [--growth 1000000] [--quick] [--out bench/results.json]

Load comes from wrk (apt-get install -y wrk) with Lua scripts; without wrk, a Python asyncio client is used
(--growth needs wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
CREATE_PATH = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
CREATE_BODY = '{"msisdn":"841234567","amount":500,"reference_description":"Bench"}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(method: str, url: str, body: str | None = None, headers: dict[str, str] | None = None) -> Any:
    import urllib.request
    req = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def start_server(workers: int = 1, store: str = "memory") -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "simulator", "serve", "--port", str(port), "--clock", "manual",
                             "--workers", str(workers), "--store", store], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            http("GET", base + "/_sim/health")
            return proc, base, time.perf_counter() - started
        except OSError:
            if proc.poll() is not None or time.perf_counter() - started > 60:
                raise SystemExit("the server did not start")
            time.sleep(0.005)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mb(pid: int) -> float:
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def auth(base: str) -> dict[str, str]:
    providers = http("GET", base + "/_sim/providers")["providers"]
    return dict(next(p for p in providers if p["key"] == "clicpay")["accounts"][0]["headers"])


def lua(method: str, headers: dict[str, str], body: str | None) -> str:
    lines = [f'wrk.method = "{method}"']
    for k, v in headers.items():
        lines.append(f'wrk.headers["{k}"] = "{v}"')
    if body:
        lines.append('wrk.headers["Content-Type"] = "application/json"')
        lines.append(f"wrk.body = {json.dumps(body)}")
    return "\n".join(lines) + "\n"


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    assert m, text
    value, unit = float(m.group(1)), m.group(2)
    return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)


def wrk(url: str, method: str, headers: dict[str, str], body: str | None, seconds: int,
        connections: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua(method, headers, body))
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": round(rps), "p50_ms": p50, "p99_ms": p99, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else None, "tool": "wrk"}


def pyload(url: str, method: str, headers: dict[str, str], body: str | None, seconds: int,
           connections: int) -> dict[str, Any]:
    """Fallback load generator: asyncio + raw HTTP/1.1 keep-alive sockets."""
    import asyncio
    from urllib.parse import urlsplit
    u = urlsplit(url)
    head = f"{method} {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    payload = body.encode() if body else b""
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
    request = (head + "\r\n").encode() + payload
    lat: list[float] = []
    bad = 0

    async def one() -> None:
        nonlocal bad
        reader, writer = await asyncio.open_connection(u.hostname, u.port)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t = time.perf_counter()
            writer.write(request)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            lat.append(time.perf_counter() - t)
            bad += not status.split()[1].startswith(b"2")
        writer.close()

    async def main() -> None:
        await asyncio.gather(*(one() for _ in range(connections)))

    asyncio.run(main())
    lat.sort()
    return {"rps": round(len(lat) / seconds), "p50_ms": round(lat[len(lat) // 2] * 1000, 2),
            "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 2), "non_2xx": bad, "socket_errors": None,
            "tool": "python-asyncio"}


def load(*args: Any) -> dict[str, Any]:
    return wrk(*args) if shutil.which("wrk") else pyload(*args)


def start_ceiling(token: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([PY, str(HERE / "ceiling.py"), "--port", str(port), "--token", token], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, base
        except OSError:
            if proc.poll() is not None or time.perf_counter() - started > 60:
                raise SystemExit("the ceiling app did not start")
            time.sleep(0.02)


def create_and_read(base: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, Any]:
    ref = http("POST", base + CREATE_PATH, CREATE_BODY, headers)["clicpay_reference"]
    load(base + CREATE_PATH, "POST", headers, CREATE_BODY, 2, connections)  # warm-up
    create = load(base + CREATE_PATH, "POST", headers, CREATE_BODY, seconds, connections)
    read = load(f"{base}/clicpay/api/v2/transactions/{ref}/status", "GET", headers, None, seconds, connections)
    return {"create": create, "read": read}


def median(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def paired(pairs: int, seconds: int, connections: int) -> dict[str, Any]:
    """provider-sim (1 worker, memory) and the ceiling, each run alternating which goes first."""
    runs: list[dict[str, Any]] = []
    for i in range(pairs):
        sim, base, _ = start_server()
        headers = auth(base)
        token = headers["Authorization"].split(" ", 1)[1]
        ceiling, cbase = start_ceiling(token)
        try:
            order = [("ceiling", cbase), ("provider-sim", base)]
            pair: dict[str, Any] = {}
            for name, url in order if i % 2 == 0 else order[::-1]:
                pair[name] = create_and_read(url, headers, seconds, connections)
            runs.append(pair)
            print("pair", i + 1, json.dumps({k: {op: {m: v[op][m] for m in ("rps", "p50_ms", "p99_ms")}
                                                 for op in ("create", "read")} for k, v in pair.items()}),
                  flush=True)
        finally:
            stop(sim)
            stop(ceiling)
    summary: dict[str, Any] = {"pairs": runs}
    for name in ("ceiling", "provider-sim"):
        summary[name] = {op: {m: round(median([r[name][op][m] for r in runs]), 2) for m in ("rps", "p50_ms", "p99_ms")}
                         for op in ("create", "read")}
    summary["ratios"] = {
        "create_rps": round(median([r["provider-sim"]["create"]["rps"] / r["ceiling"]["create"]["rps"]
                                    for r in runs]), 2),
        "read_rps": round(median([r["provider-sim"]["read"]["rps"] / r["ceiling"]["read"]["rps"] for r in runs]), 2),
        "create_p99": round(median([r["provider-sim"]["create"]["p99_ms"] / max(r["ceiling"]["create"]["p99_ms"], 0.01)
                                    for r in runs]), 2)}
    return summary


def throughput(workers: int, store: str, seconds: int, connections: int) -> dict[str, Any]:
    proc, base, _ = start_server(workers, store)
    try:
        return {"workers": workers, "store": store, **create_and_read(base, auth(base), seconds, connections)}
    finally:
        stop(proc)


def sqlite_runs(seconds: int, connections: int) -> list[dict[str, Any]]:
    out = []
    for workers in (1, 2):
        db = tempfile.mkdtemp()
        try:
            run = throughput(workers, f"sqlite:{db}/bench.sqlite", seconds, connections)
        finally:
            shutil.rmtree(db, ignore_errors=True)
        run["store"] = "sqlite"
        out.append(run)
        print(json.dumps(run), flush=True)
    return out


def growth(total: int, step: int, connections: int, seconds: int = 5) -> dict[str, Any]:
    """Create p99 per `seconds` of load, with the transactions created so far, up to `total`, for both apps."""
    if not shutil.which("wrk"):
        raise SystemExit("--growth needs wrk (apt-get install -y wrk)")
    out: dict[str, Any] = {"step": step, "total": total}
    sim, base, _ = start_server()
    headers = auth(base)
    token = headers["Authorization"].split(" ", 1)[1]
    stop(sim)
    for name in ("ceiling", "provider-sim"):
        proc, url = start_ceiling(token) if name == "ceiling" else start_server()[:2]
        rows: list[dict[str, Any]] = []
        done = 0
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
                f.write(lua("POST", headers, CREATE_BODY))
            while done < total:
                text = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name,
                                       url + CREATE_PATH], capture_output=True, text=True, check=True).stdout
                done += int(re.search(r"(\d+) requests in", text).group(1))  # type: ignore[union-attr]
                p99 = _ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))  # type: ignore[union-attr]
                if not rows or done // step > rows[-1]["created"] // step:  # one row per `step` created
                    rows.append({"created": done, "p99_ms": p99, "rss_mb": rss_mb(proc.pid)})
                    print("growth", name, rows[-1], flush=True)
            os.unlink(f.name)
        finally:
            stop(proc)
        out[name] = rows
    return out


MEMORY_PROBE = """
import asyncio, gc, json, sys
from simulator.app import build_app
from simulator.settings import Settings
app = build_app(Settings(clock="manual"))
h = app.sim.providers["clicpay"].accounts[0].headers
headers = [(k.lower().encode(), v.encode()) for k, v in h.items()] + [(b"content-type", b"application/json")]
body = json.dumps({"msisdn": "841234567", "amount": 500, "reference_description": "Bench"}).encode()
def rss():
    gc.collect()
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) * 1024
async def main(first, n):
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}
    async def send(message):
        pass
    scope = {"type": "http", "method": "POST", "path": "/clicpay/api/v2/wallets/144365/c2b/mpesa", "headers": headers,
             "query_string": b""}
    for _ in range(first):  # past the journal's ring: what stays is the store's
        await app(dict(scope), receive, send)
    before = rss()
    for _ in range(n):
        await app(dict(scope), receive, send)
    after = rss()
    print(json.dumps({"stored": app.sim.store.count("clicpay", "transaction"), "rss_before": before,
                      "rss_after": after, "bytes_per_tx": round((after - before) / n)}))
asyncio.run(main(app.limits.journal_entries + 5000, int(sys.argv[1])))
"""


def memory(count: int) -> dict[str, Any]:
    proc, base, _ = start_server()
    time.sleep(1)
    idle = rss_mb(proc.pid)
    stop(proc)
    out = subprocess.run([PY, "-c", MEMORY_PROBE, str(count)], cwd=ROOT, capture_output=True, text=True, check=True)
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    return {"idle_rss_mb": idle, "stored_transactions": probe["stored"],
            "rss_with_stored_mb": round(probe["rss_after"] / 2**20, 1), "bytes_per_tx": probe["bytes_per_tx"]}


def startup(runs: int = 5) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        proc, _, took = start_server()
        times.append(took)
        stop(proc)
    times.sort()
    return {"runs": runs, "min_s": round(times[0], 3), "median_s": round(times[len(times) // 2], 3)}


def mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def table(r: dict[str, Any]) -> str:
    p = r["paired"]
    c, s, q = p["ceiling"], p["provider-sim"], p["ratios"]
    lines = [f"median of {len(p['pairs'])} pairs, {r['load_tool']}, {r['connections']} connections, "
             f"{r['duration']} s per run",
             "", "| | status reads/s | validated creates/s | create p50 / p99 ms | read p50 / p99 ms |",
             "|---|---:|---:|---:|---:|",
             f"| ceiling | {c['read']['rps']:,.0f} | {c['create']['rps']:,.0f} | {c['create']['p50_ms']} / "
             f"{c['create']['p99_ms']} | {c['read']['p50_ms']} / {c['read']['p99_ms']} |",
             f"| provider-sim | {s['read']['rps']:,.0f} ({q['read_rps']}×) | {s['create']['rps']:,.0f} "
             f"({q['create_rps']}×) | {s['create']['p50_ms']} / {s['create']['p99_ms']} ({q['create_p99']}×) | "
             f"{s['read']['p50_ms']} / {s['read']['p99_ms']} |"]
    for run in r.get("sqlite", []):
        lines.append(f"| provider-sim, sqlite, {run['workers']} worker(s) | {run['read']['rps']:,} | "
                     f"{run['create']['rps']:,} | {run['create']['p50_ms']} / {run['create']['p99_ms']} | "
                     f"{run['read']['p50_ms']} / {run['read']['p99_ms']} |")
    m, st = r["memory"], r["startup"]
    lines += ["", "| goal | measured | |", "|---|---|---|",
              f"| validated creates ≥ 0.8× ceiling | {q['create_rps']}× | {mark(q['create_rps'] >= 0.8)} |",
              f"| status reads ≥ 0.9× ceiling | {q['read_rps']}× | {mark(q['read_rps'] >= 0.9)} |",
              f"| create p99 ≤ 2× ceiling's | {q['create_p99']}× | {mark(q['create_p99'] <= 2)} |",
              f"| ≤ 1 kB per stored transaction with history | {m['bytes_per_tx']:,} B "
              f"({m['stored_transactions']:,} stored: {m['rss_with_stored_mb']} MB) | {mark(m['bytes_per_tx'] <= 1024)} |",
              f"| start-up ≤ 0.5 s, all specs | {st['min_s']} s min, {st['median_s']} s median | "
              f"{mark(st['median_s'] <= 0.5)} |",
              f"| idle RSS ≤ 60 MB | {m['idle_rss_mb']} MB | {mark(m['idle_rss_mb'] <= 60)} |"]
    if r.get("sqlite"):
        one = r["sqlite"][0]["create"]["rps"] / s["create"]["rps"]
        lines.append(f"| SQLite creates ≥ 0.5× memory's | {one:.2f}× | {mark(one >= 0.5)} |")
    g = r.get("growth")
    if g:
        lines += ["", f"create p99 ms (RSS MB) about every {g['step']:,} created", ""]
        for name in ("ceiling", "provider-sim"):
            lines.append(f"- {name}: " + ", ".join(f"{row['created'] // 1000}k: {row['p99_ms']} ms ({row['rss_mb']:.0f})"
                                                  for row in g[name]))
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=8, help="seconds per load run")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--pairs", type=int, default=3, help="paired runs of provider-sim and the ceiling (median)")
    p.add_argument("--transactions", type=int, default=100_000, help="stored transactions for the memory figure")
    p.add_argument("--sqlite", action="store_true", help="also SQLite with 1 and 2 workers")
    p.add_argument("--growth", type=int, default=0, metavar="N",
                   help="create p99 per 100,000 created up to N (e.g. 1000000) for both apps")
    p.add_argument("--quick", action="store_true", help="3 s runs, 1 pair, 20k transactions")
    p.add_argument("--out", default=str(HERE / "results.json"))
    a = p.parse_args()
    if a.quick:
        a.duration, a.pairs, a.transactions = 3, 1, 20_000
    results: dict[str, Any] = {"load_tool": "wrk" if shutil.which("wrk") else "python-asyncio",
                               "cpus": os.cpu_count(), "python": sys.version.split()[0],
                               "duration": a.duration, "connections": a.connections}
    results["startup"] = startup()
    print("startup", results["startup"], flush=True)
    results["memory"] = memory(a.transactions)
    print("memory", results["memory"], flush=True)
    results["paired"] = paired(a.pairs, a.duration, a.connections)
    if a.sqlite:
        results["sqlite"] = sqlite_runs(a.duration, a.connections)
    if a.growth:
        results["growth"] = growth(a.growth, 100_000, a.connections)
    Path(a.out).write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
