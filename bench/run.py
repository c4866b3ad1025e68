#!/usr/bin/env python3
"""provider-sim benchmark on loopback (not a test): throughput and latency of a validated create and a status read
with 1 and 2 workers, start-up time with every spec loaded, and RSS idle and with 100k stored transactions.

    python bench/run.py [--duration 10] [--connections 32] [--quick] [--out bench/results.json]

Load comes from wrk (apt-get install -y wrk) with Lua scripts; without wrk, a Python asyncio client is used.
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


def throughput(workers: int, store: str, seconds: int, connections: int) -> dict[str, Any]:
    proc, base, _ = start_server(workers, store)
    try:
        headers = auth(base)
        ref = http("POST", base + CREATE_PATH, CREATE_BODY, headers)["clicpay_reference"]
        load(base + CREATE_PATH, "POST", headers, CREATE_BODY, 2, connections)  # warm-up
        create = load(base + CREATE_PATH, "POST", headers, CREATE_BODY, seconds, connections)
        read = load(f"{base}/clicpay/api/v2/transactions/{ref}/status", "GET", headers, None, seconds, connections)
        return {"workers": workers, "store": store, "create": create, "read": read}
    finally:
        stop(proc)


MEMORY_PROBE = """
import asyncio, json, sys
from simulator.app import build_app
from simulator.settings import Settings
app = build_app(Settings(clock="manual"))
h = app.sim.providers["clicpay"].accounts[0].headers
headers = [(k.lower().encode(), v.encode()) for k, v in h.items()] + [(b"content-type", b"application/json")]
body = json.dumps({"msisdn": "841234567", "amount": 500, "reference_description": "Bench"}).encode()
async def main(n):
    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}
    async def send(message):
        pass
    scope = {"type": "http", "method": "POST", "path": "/clicpay/api/v2/wallets/144365/c2b/mpesa", "headers": headers,
             "query_string": b""}
    for _ in range(n):
        await app(dict(scope), receive, send)
asyncio.run(main(int(sys.argv[1])))
print(app.sim.store.count("clicpay", "transaction"))
print(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])
"""


def memory(count: int) -> dict[str, Any]:
    proc, base, _ = start_server()
    time.sleep(1)
    idle = rss_mb(proc.pid)
    stop(proc)
    out = subprocess.run([PY, "-c", MEMORY_PROBE, str(count)], cwd=ROOT, capture_output=True, text=True, check=True)
    stored, rss_kb = out.stdout.split()
    return {"idle_rss_mb": idle, "stored_transactions": int(stored), "rss_with_stored_mb": round(int(rss_kb) / 1024, 1)}


def startup(runs: int = 5) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        proc, _, took = start_server()
        times.append(took)
        stop(proc)
    times.sort()
    return {"runs": runs, "min_s": round(times[0], 3), "median_s": round(times[len(times) // 2], 3)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds per load run")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--transactions", type=int, default=100_000, help="stored transactions for the memory figure")
    p.add_argument("--quick", action="store_true", help="3 s runs, 10k transactions")
    p.add_argument("--out", default=str(HERE / "results.json"))
    a = p.parse_args()
    if a.quick:
        a.duration, a.transactions = 3, 10_000
    results: dict[str, Any] = {"load_tool": "wrk" if shutil.which("wrk") else "python-asyncio",
                               "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    results["startup"] = startup()
    print("startup", results["startup"], flush=True)
    results["runs"] = []
    for workers, store in ((1, "memory"), (1, "sqlite"), (2, "sqlite")):
        db = tempfile.mkdtemp()
        run = throughput(workers, store if store == "memory" else f"sqlite:{db}/bench.sqlite", a.duration,
                         a.connections)
        shutil.rmtree(db, ignore_errors=True)
        run["store"] = store
        results["runs"].append(run)
        print(json.dumps(run), flush=True)
    results["memory"] = memory(a.transactions)
    print("memory", results["memory"], flush=True)
    Path(a.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"| workers | store | creates/s | create p50/p99 ms | reads/s | read p50/p99 ms |\n|---|---|---|---|---|---|")
    for r in results["runs"]:
        c, rd = r["create"], r["read"]
        print(f"| {r['workers']} | {r['store']} | {c['rps']} | {c['p50_ms']} / {c['p99_ms']} | {rd['rps']} | "
              f"{rd['p50_ms']} / {rd['p99_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
