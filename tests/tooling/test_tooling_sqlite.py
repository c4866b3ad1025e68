"""`--store sqlite:PATH`: accounts, transactions, scheduled transitions and the webhook outbox survive a restart,
and a kill -9 in the middle of a load loses nothing that was acknowledged."""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from shared import START

C2B = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido"}


def _app(db: Path) -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, store=f"sqlite:{db}",
                              providers=["clicpay"]))


def _client(app: SimulatorApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test",
                             headers=app.sim.providers["clicpay"].accounts[0].headers)


async def _balance(c: httpx.AsyncClient) -> Any:
    return next(w["balance"] for w in (await c.get("/clicpay/api/v2/me/wallets")).json()["data"] if w["id"] == 144365)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def receiver_port() -> Iterator[tuple[int, list[bytes], threading.Event]]:
    """A port with no listener until `start` is set (so the first attempts are refused)."""
    port = _free_port()
    got: list[bytes] = []
    start = threading.Event()
    holder: dict[str, http.server.HTTPServer] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    def serve() -> None:
        start.wait()
        holder["s"] = http.server.HTTPServer(("127.0.0.1", port), Handler)
        holder["s"].serve_forever()

    threading.Thread(target=serve, daemon=True).start()
    yield port, got, start
    if "s" in holder:
        holder["s"].shutdown()


async def test_state_and_pending_transitions_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sim.sqlite"
    app = _app(db)
    async with _client(app) as c:
        seeded = await _balance(c)
        done = (await c.post(C2B, json=BODY)).json()
        await c.post("/_sim/clock/advance", json={"seconds": 5})
        pending = (await c.post(C2B, json=BODY)).json()
        await c.post("/_sim/clock/advance", json={"seconds": 2})
        assert await _balance(c) == seeded + 500
    app.sim.store.close()  # type: ignore[attr-defined]

    again = _app(db)  # the same file: a restart
    async with _client(again) as c:
        assert await _balance(c) == seeded + 500  # the seed did not overwrite the changed wallet
        status = f"/clicpay/api/v2/transactions/{pending['clicpay_reference']}/status"
        assert (await c.get(status)).json()["status"] == "pending"
        assert (await c.get(f"/clicpay/api/v2/transactions/{done['clicpay_reference']}/status")).json()[
            "status"] == "successful"
        # the clock starts again at --start-time (START): the transition is still due at START + 10
        await c.post("/_sim/clock/advance", json={"seconds": 9})
        assert (await c.get(status)).json()["status"] == "pending"
        await c.post("/_sim/clock/advance", json={"seconds": 1})
        assert (await c.get(status)).json()["status"] == "successful"
        assert await _balance(c) == seeded + 1000
        third = (await c.post(C2B, json=BODY)).json()
        assert third["transaction_id"] == pending["transaction_id"] + 1  # ids go on, no reuse


async def test_a_retrying_webhook_is_delivered_after_a_restart(
        tmp_path: Path, receiver_port: tuple[int, list[bytes], threading.Event]) -> None:
    port, got, start = receiver_port
    db = tmp_path / "sim.sqlite"
    app = _app(db)
    async with _client(app) as c:
        assert (await c.post("/clicpay/api/v2/webhooks", json={"url": f"http://127.0.0.1:{port}/h"})).status_code == 201
        ref = (await c.post(C2B, json=BODY)).json()["clicpay_reference"]
        await c.post("/_sim/clock/advance", json={"seconds": 5})
        [first] = (await c.get("/_sim/webhooks")).json()["deliveries"]
        assert first["state"] == "retrying"  # nothing listens yet
    app.sim.store.close()  # type: ignore[attr-defined]

    start.set()
    again = _app(db)
    async with _client(again) as c:
        for _ in range(100):  # the receiver thread binds its port
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.02)
        await c.post("/_sim/clock/advance", json={"seconds": 65})  # the retry was due at START + 5 + 60
        [second] = (await c.get("/_sim/webhooks")).json()["deliveries"]
        assert second["state"] == "delivered" and second["attempt"] == 2
        assert ref.encode() in got[0]
        await c.post("/_sim/clock/advance", json={"seconds": 7200})
        assert len((await c.get("/_sim/webhooks")).json()["deliveries"]) == 1  # not sent again


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", str(port), "--clock", "manual",
                             "--start-time", "2026-01-01T00:00:00Z", "--store", f"sqlite:{db}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_sim/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"the server did not start: {proc.stderr.read() if proc.stderr else b''!r}")


def test_kill_9_mid_load_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "sim.sqlite"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _serve(db, port)
    acked: list[str] = []
    headers = httpx.get(f"{base}/_sim/providers").json()["providers"]
    headers = next(p for p in headers if p["key"] == "clicpay")["accounts"][0]["headers"]
    stop = time.monotonic() + 20

    def load() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=5) as c:
            while time.monotonic() < stop:
                try:
                    r = c.post(C2B, json=BODY)
                except httpx.HTTPError:
                    return  # the server is gone
                if r.status_code == 200:
                    acked.append(r.json()["clicpay_reference"])

    try:
        with ThreadPoolExecutor(4) as pool:
            for _ in range(4):
                pool.submit(load)
            while len(acked) < 150 and time.monotonic() < stop:
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)  # mid-load: four clients are still sending
        proc.wait(10)
        assert len(acked) >= 150
        proc = _serve(db, port)
        with httpx.Client(base_url=base, headers=headers, timeout=5) as c:
            for ref in acked:
                r = c.get(f"/clicpay/api/v2/transactions/{ref}/status")
                assert r.status_code == 200 and r.json()["status"] == "pending", (ref, r.text)
            c.post("/_sim/clock/advance", json={"seconds": 6})
            assert c.get(f"/clicpay/api/v2/transactions/{acked[0]}/status").json()["status"] == "successful"
            assert c.get(f"/clicpay/api/v2/transactions/{acked[-1]}/status").json()["status"] == "successful"
    finally:
        proc.kill()
        proc.wait(10)
