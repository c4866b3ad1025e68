"""`make fuzz`: generated hostile input to every operation of every provider, on a real server in its own
process, while /_sim/health is asked every 20 ms and the server's event loop is watched.

Skipped unless PROVIDER_SIM_FUZZ=1 (the Makefile's `fuzz` target sets it); `make test` runs the short subset in
test_fuzz_quick.py. Each test prints its figures (cases per class and provider, 5xx, the longest stall, RSS).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket

import httpx
import pytest

from fuzzing import HealthProbe, Tally, is_standard_json, send_all
from hostile import cases, random_cases
from served import fuzz_server
from simulator.app import build_app
from simulator.settings import Settings

pytestmark = pytest.mark.skipif(os.environ.get("PROVIDER_SIM_FUZZ") != "1",
                                reason="the long fuzz suite: `make fuzz` (PROVIDER_SIM_FUZZ=1)")
# The longest the server's event loop may be held by one piece of work while hostile input arrives, in ms: a
# /_sim/health asked meanwhile waits at most that long. It is measured as the loop thread's CPU time between two
# wakeups of a 5 ms timer (fuzz_server.py), so other processes on a busy machine do not count; the wall-clock
# figures (the stall and /_sim/health's own answer time) are printed beside it.
BUSY_BUDGET_MS = 100


def report(name: str, data: dict[str, object]) -> None:
    print(f"\n[fuzz] {name}: {json.dumps(data, indent=1)}")


def test_hostile_input_to_every_operation_of_every_provider():
    local = build_app(Settings(clock="manual"))  # the same seed as the server: the same credentials
    headers = {key: dict(p.accounts[0].headers) for key, p in local.sim.providers.items()}
    tally = Tally()
    with fuzz_server() as base:
        probe = HealthProbe(base)
        probe.start()

        async def run() -> None:
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                await send_all(client, cases(local, headers), tally, concurrency=4)
                await send_all(client, random_cases(local, headers, per_operation=40), tally, concurrency=4)
                await send_all(client, cases(local, {}, fast=True), tally, concurrency=4)  # unauthenticated
                for path in ("/_sim/requests", "/_sim/coverage", "/_sim/webhooks"):
                    r = await client.get(path)
                    assert r.status_code == 200 and is_standard_json(r.content)
        asyncio.run(run())
        probe.stop()
        stats = httpx.get(base + "/_fuzz/stats").json()
    summary = {**tally.summary(), "health_checks": probe.count, "health_failures": probe.failures,
               "longest_health_ms": round(probe.longest * 1000, 1), **stats}
    report("every operation", summary)
    assert tally.server_errors == [], tally.server_errors[:10]
    assert tally.bad_json == [], tally.bad_json[:10]
    assert tally.transport_errors == [], tally.transport_errors[:10]
    assert probe.failures == 0 and stats["longest_busy_ms"] < BUSY_BUDGET_MS, summary


def test_rss_after_3000_bodies_of_1_mb():
    body = b'{"pad": "' + b"x" * (1_048_576 - 20) + b'"}'
    with fuzz_server() as base:
        before = httpx.get(base + "/_fuzz/stats").json()["rss_mb"]
        curve = []

        async def run() -> None:
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                for i in range(3000):
                    r = await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", content=body,
                                          headers={"content-type": "application/json"})
                    assert r.status_code == 401
                    if i % 500 == 499:
                        curve.append((i + 1, (await client.get("/_fuzz/stats")).json()["rss_mb"]))
        asyncio.run(run())
        after = httpx.get(base + "/_fuzz/stats").json()
        journal = httpx.get(base + "/_sim/requests", params={"limit": "1"}).json()["requests"]
    report("3000 x 1 MB", {"rss_before_mb": before, "rss_after_mb": after["rss_mb"], "curve": curve,
                           "longest_stall_ms": after["longest_stall_ms"], "longest_busy_ms": after["longest_busy_ms"]})
    assert journal[0]["truncated"] == ["body"]
    assert after["rss_mb"] - before < 400  # the journal keeps at most journal_bytes (64 MiB) of it


def test_a_64_mb_header_is_refused_and_the_server_answers():
    with fuzz_server() as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET /_sim/health HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
            sent = 0
            try:
                while sent < 64 * 1024 * 1024:
                    s.sendall(b"a" * 65536)
                    sent += 65536
            except OSError:
                pass
            s.settimeout(5)
            try:
                answer = s.recv(200)
            except OSError:
                answer = b""
        assert answer == b"" or answer.startswith(b"HTTP/1.1 431")
        assert sent < 64 * 1024 * 1024  # the server stopped reading long before
        assert httpx.get(base + "/_sim/health").status_code == 200
        stats = httpx.get(base + "/_fuzz/stats").json()
    report("64 MB header", {"bytes_sent_before_refusal": sent, **stats})
