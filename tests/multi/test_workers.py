"""Several processes, one SQLite file: `serve --workers 4 --store sqlite:PATH` under uvicorn, talked to over the
network. Concurrent payouts and transfers spread over the workers never take more than the balance holds (one write
transaction per request, BEGIN IMMEDIATE), and every acknowledged create is a row of its own (each worker draws ids
from its own seeded stream)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator.app import build_app
from simulator.records import Record
from simulator.settings import Settings

WORKERS = 4
TOKEN = "6f3a0e5c-7b0a-4a8e-9d8e-2b1f4c5d6e7f"
WALLET = 144365  # acme's M-Pesa wallet: 25,000 MZN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(store: Path, workers: int = WORKERS) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`provider-sim serve --workers N` on a free port, until every worker answers; stopped at the end."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", str(port), "--clock", "manual",
                             "--seed", "0", "--workers", str(workers), "--store", f"sqlite:{store}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/_sim/health", timeout=2).status_code == 200 and _workers_up(store, workers):
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"serve --workers stopped: {proc.stderr.read().decode() if proc.stderr else ''}")
            if time.monotonic() > deadline:
                raise RuntimeError("serve --workers did not start within 60 s")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _workers_up(store: Path, workers: int) -> bool:
    """Every worker has opened the store (the serving parent is instance 1, its workers 2..N+1)."""
    if workers == 1:
        return True
    with contextlib.closing(sqlite3.connect(store)) as db:
        return int(db.execute("SELECT COUNT(*) FROM instances").fetchone()[0]) >= workers + 1


def rows(store: Path, provider: str, kind: str) -> list[Record]:
    with contextlib.closing(sqlite3.connect(store)) as db:
        found = db.execute("SELECT data FROM records WHERE provider=? AND kind=?", (provider, kind)).fetchall()
    return [Record.from_json(json.loads(data)) for (data,) in found]


def headers(provider: str, index: int = 0) -> dict[str, str]:
    """The seed-0 credentials every worker derives (the same for any instance)."""
    return dict(build_app(Settings(seed=0)).sim.providers[provider].accounts[index].headers)


async def burst(base: str, method: str, path: str, h: dict[str, str], body: object, n: int) -> list[httpx.Response]:
    """`n` requests at once, each on a connection of its own (so the kernel spreads them over the workers)."""
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        return list(await asyncio.gather(*[client.request(method, path, headers=h, json=body) for _ in range(n)]))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    store = tmp_path_factory.mktemp("multi") / "sim.sqlite"
    with served(store) as (base, _):
        yield base, store


def test_concurrent_transfers_over_four_workers_take_exactly_the_balance(server: tuple[str, Path]) -> None:
    base, store = server
    h = headers("ideagateway")  # hipercap: R$ 5.000,00 = 500,000 centavos
    body = {"amount": 5000, "holderCpf": "76430473910", "authToken": TOKEN}
    answers = asyncio.run(burst(base, "POST", "/ideagateway/transfer", h, body, 150))
    accepted = [r.json()["id"] for r in answers if r.status_code == 201]
    refused = [r for r in answers if r.status_code == 422]
    assert len(accepted) == 100 and len(refused) == 50, [r.status_code for r in answers]
    assert {r.json()["message"] for r in refused} == {"Saldo insuficiente."}
    transfers = rows(store, "ideagateway", "transfer")
    assert sorted(str(t["id"]) for t in transfers) == sorted(accepted), "each acknowledged transfer is one row"
    [merchant] = [m for m in rows(store, "ideagateway", "merchant") if m["id"] == "hipercap"]
    assert merchant["balance"] == 0


def test_concurrent_payouts_over_four_workers_never_overdraw_the_wallet(server: tuple[str, Path]) -> None:
    base, store = server
    h = headers("clicpay")
    path = f"/clicpay/api/v2/wallets/{WALLET}/b2c/mpesa"
    body = {"amount": 500, "msisdn": "841234567", "reference_description": "Pagamento"}
    answers = asyncio.run(burst(base, "POST", path, h, body, 200))
    assert [r.status_code for r in answers] == [200] * 200
    refs = {r.json()["clicpay_reference"] for r in answers}
    assert len(refs) == 200
    payouts = {str(t["clicpay_reference"]): t for t in rows(store, "clicpay", "transaction") if t["type"] == "b2c"}
    assert set(payouts) == refs, "each acknowledged payout is one row"
    reserved = [t for t in payouts.values() if t.private.get("reserved")]
    assert len(reserved) == 50, "exactly the 50 payouts of 500 that 25,000 holds took money"
    assert all(t.meta.next is not None and t.meta.next.target == "failed" for t in payouts.values() if t not in reserved)
    wallets = httpx.get(base + "/clicpay/api/v2/me/wallets", headers=h, params={"per_page": 50}).json()["data"]
    assert {w["id"]: w["balance"] for w in wallets}[WALLET] == 0


def test_creates_over_four_workers_leave_one_row_each_with_distinct_ids(server: tuple[str, Path]) -> None:
    base, store = server
    h = headers("ideagateway", 1)
    answers = asyncio.run(burst(base, "POST", "/ideagateway/pix", h, {"amount": 1000}, 200))
    assert [r.status_code for r in answers] == [201] * 200
    ids = [r.json()["id"] for r in answers]
    assert len(set(ids)) == 200, "no two workers drew the same id"
    stored = [str(p["id"]) for p in rows(store, "ideagateway", "pix") if p.meta.account == "apcap"]
    assert sorted(stored) == sorted(ids)


def test_a_server_killed_mid_load_has_every_acknowledged_create(tmp_path: Path) -> None:
    """kill -9 while creates are in flight: each one answered 201 is in the file (committed before its answer)."""
    store = tmp_path / "sim.sqlite"
    h = headers("ideagateway", 1)
    with served(store, workers=1) as (base, proc):
        async def load() -> list[str]:
            acknowledged: list[str] = []
            limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
                async def one() -> None:
                    try:
                        r = await client.post("/ideagateway/pix", headers=h, json={"amount": 1000})
                    except httpx.HTTPError:
                        return  # cut off by the kill: not acknowledged
                    if r.status_code == 201:
                        acknowledged.append(str(r.json()["id"]))
                        if len(acknowledged) == 150:
                            proc.kill()

                await asyncio.gather(*[one() for _ in range(600)])
            return acknowledged

        acknowledged = asyncio.run(load())
        proc.wait()
    assert proc.returncode == -9 and len(acknowledged) >= 150
    stored = {str(p["id"]) for p in rows(store, "ideagateway", "pix")}
    assert set(acknowledged) <= stored
