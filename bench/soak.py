#!/usr/bin/env python3
"""Soak (not a test, not in CI): a million requests at `provider-sim serve` with the journal on, printing the
server's RSS as they go. The journal is bounded in entries and bytes (simulator/limits.py), so RSS must level off
once the journal is full and stay flat.

    python bench/soak.py [--requests 1000000] [--connections 16] [--every 50000] [--out bench/soak.json]
    make soak [REQUESTS=200000]

The mix (each answered and journalled, none storing a resource, so only the journal can grow): status reads of
a known transaction, invalid creates (validation errors), unauthenticated calls, unknown routes, 60 KB bodies
(cut in the journal), JSON nested 10,000 deep and 2,000 PHP-bracket fields. Load comes from a raw asyncio
keep-alive client (one request in flight per connection).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    head = [f"{method} {path} HTTP/1.1", "Host: localhost", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    chunked = False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while (size := int((await reader.readline()).strip() or b"0", 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    elif length:
        await reader.readexactly(length)
    return int(status_line.split()[1])


def mix(token: str, reference: str) -> list[bytes]:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    create = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
    return [
        request("GET", f"/clicpay/api/v2/transactions/{reference}/status", auth),
        request("POST", create, auth, b'{"msisdn":"1","amount":0,"reference_description":""}'),
        request("POST", create, {"Content-Type": "application/json"}, b'{"msisdn":"841234567","amount":5}'),
        request("GET", "/webpag/api/nothing-here", {}),
        request("POST", create, auth, b'{"pad":"' + b"x" * 60_000 + b'"}'),
        request("POST", "/ideagateway/pix", {"Content-Type": "application/json"}, b"[" * 10_000 + b"]" * 10_000),
        request("POST", "/widepay/api/transacoes/gerar", {"Content-Type": "application/x-www-form-urlencoded"},
                b"&".join([b"a[]=1"] * 2_000)),
        request("GET", "/smartclick/api/v1/carteiras/1", {"Authorization": "nope"}),
    ]


async def run(args: argparse.Namespace) -> dict[str, object]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", str(port), "--clock", "manual"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        import urllib.request
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_sim/providers", timeout=2) as r:
                    providers = json.loads(r.read())["providers"]
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        token = next(p for p in providers if p["key"] == "clicpay")["accounts"][0]["credentials"]["token"]
        req = urllib.request.Request(base + "/clicpay/api/v2/wallets/144365/c2b/mpesa", method="POST",
                                     data=b'{"msisdn":"841234567","amount":5,"reference_description":"soak"}',
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            reference = json.loads(r.read())["clicpay_reference"]
        requests = mix(token, reference)
        curve: list[tuple[int, float, float]] = [(0, rss_mb(proc.pid), 0.0)]
        statuses: dict[int, int] = {}
        done = 0
        started = time.perf_counter()
        print(f"{'requests':>10} {'rss MB':>8} {'req/s':>8}", flush=True)
        print(f"{0:>10} {curve[0][1]:>8.1f} {'':>8}", flush=True)

        async def client(index: int) -> None:
            nonlocal done
            reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
            i = index
            while done < args.requests:
                status = await exchange(reader, writer, requests[i % len(requests)])
                statuses[status] = statuses.get(status, 0) + 1
                i += 1
                done += 1
                if done % args.every == 0:
                    elapsed = time.perf_counter() - started
                    curve.append((done, rss_mb(proc.pid), elapsed))
                    print(f"{done:>10} {curve[-1][1]:>8.1f} {done / elapsed:>8.0f}", flush=True)
            writer.close()

        await asyncio.gather(*(client(i) for i in range(args.connections)))
        elapsed = time.perf_counter() - started
        with urllib.request.urlopen(base + "/_sim/health", timeout=5) as r:
            healthy = json.loads(r.read()) == {"status": "ok"}
        return {"requests": done, "seconds": round(elapsed, 1), "rate": round(done / elapsed),
                "statuses": dict(sorted(statuses.items())), "healthy_after": healthy,
                "rss_curve_mb": [(n, round(mb, 1)) for n, mb, _ in curve],
                "rss_max_mb": round(max(mb for _, mb, _ in curve), 1)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=1_000_000)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--every", type=int, default=50_000, help="print RSS every N requests")
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()
    args.every = max(1, min(args.every, args.requests // 10 or 1))
    result = asyncio.run(run(args))
    print(json.dumps({k: v for k, v in result.items() if k != "rss_curve_mb"}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
