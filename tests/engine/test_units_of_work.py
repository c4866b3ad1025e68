"""Units of work (simulator/store/units.py): one transaction per request, committed before the answer is sent,
rolled back when the request fails unexpectedly; a webhook's receiver may call the simulator back while it is being
delivered; each process sharing a store draws ids from its own seeded stream (instance 1: the ids it always drew)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.engine.context import Ctx, Reply
from simulator.settings import Settings
from simulator.store.sqlite import SqliteStore
from shared import START, account_headers, advance

PAY = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Compra online"}


def sim_app(store: str = "memory") -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, store=store))


@contextlib.asynccontextmanager
async def talk(app: SimulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        yield c


def sqlite_store(app: SimulatorApp) -> SqliteStore:
    store = app.sim.store
    assert isinstance(store, SqliteStore)
    return store


async def test_a_create_on_sqlite_is_one_transaction_committed_before_the_answer(tmp_path: Path) -> None:
    path = tmp_path / "sim.sqlite"
    app = sim_app(f"sqlite:{path}")
    statements: list[str] = []
    sqlite_store(app)._db.set_trace_callback(statements.append)
    h = account_headers(app, "clicpay")
    seen_at_answer: list[int] = []

    async def watch(request: httpx.Request) -> None:
        statements.clear()

    async def look(response: httpx.Response) -> None:  # the answer has come: is the row in the file already?
        with contextlib.closing(sqlite3.connect(path)) as other:
            seen_at_answer.append(other.execute("SELECT COUNT(*) FROM records WHERE kind='transaction'")
                                  .fetchone()[0])

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test",
                                 event_hooks={"request": [watch], "response": [look]}) as client:
        r = await client.post(PAY, headers=h, json=BODY)
    assert r.status_code == 200
    assert [s for s in statements if s in ("BEGIN IMMEDIATE", "COMMIT")] == ["BEGIN IMMEDIATE", "COMMIT"]
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert seen_at_answer == [1]


async def test_an_unexpected_failure_rolls_the_request_back(tmp_path: Path) -> None:
    app = sim_app(f"sqlite:{tmp_path / 'sim.sqlite'}")
    runtime = app.sim.providers["clicpay"]
    operation = runtime.operations["c2b_mpesa"]
    real = operation.handler

    def broken(ctx: Ctx) -> Reply:
        reply = real(ctx)
        assert not isinstance(reply, Reply) or reply.status == 200
        raise RuntimeError("a bug after the transaction was stored")

    operation.handler = broken
    h = account_headers(app, "clicpay")
    async with talk(app) as client:
        r = await client.post(PAY, headers=h, json=BODY)
        assert r.status_code == 500 and r.json() == {"message": "Server Error"}
        operation.handler = real
        assert app.sim.store.count("clicpay", "transaction") == 0, "the 500 stored nothing"
        ok = await client.post(PAY, headers=h, json=BODY)
        assert ok.status_code == 200
        assert app.sim.store.count("clicpay", "transaction") == 1


async def test_a_webhook_receiver_can_call_the_simulator_back_during_delivery() -> None:
    app = sim_app()
    h = account_headers(app, "clicpay")
    seen: list[str] = []

    async with talk(app) as client:
        async def receiver(request: httpx.Request) -> httpx.Response:
            # as a shop's webhook handler does: ask the provider for the transaction's status before answering
            # (on a connection of its own: another task, as uvicorn serves it)
            ref = httpx.Response(200, content=request.content).json()["data"]["clicpay_reference"]
            status = await asyncio.create_task(client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h))
            seen.append(status.json()["status"])
            return httpx.Response(200)

        app.sim.outbox.client = httpx.AsyncClient(transport=httpx.MockTransport(receiver))
        r = await client.post("/clicpay/api/v2/webhooks", headers=h, json={"url": "http://127.0.0.1:9/hooks/clicpay"})
        assert r.status_code == 201
        assert (await client.post(PAY, headers=h, json=BODY)).status_code == 200
        await asyncio.wait_for(advance(client, 5), timeout=20)
        deliveries = (await client.get("/_sim/webhooks")).json()["deliveries"]
    assert seen == ["successful"]
    assert [d["state"] for d in deliveries] == ["delivered"]


async def test_each_process_on_a_store_draws_its_own_ids_and_the_first_draws_todays(tmp_path: Path) -> None:
    async def first_reference(app: SimulatorApp) -> str:
        async with talk(app) as client:
            r = await client.post(PAY, headers=account_headers(app, "clicpay"), json=BODY)
        return str(r.json()["clicpay_reference"])

    memory = sim_app()
    assert memory.sim.store.instance() == 1
    path = tmp_path / "sim.sqlite"
    one, two = sim_app(f"sqlite:{path}"), sim_app(f"sqlite:{path}")
    assert (one.sim.store.instance(), two.sim.store.instance()) == (1, 2)
    from_memory, from_one, from_two = [await first_reference(a) for a in (memory, one, two)]
    assert from_one == from_memory, "one process on a fresh store draws the ids it always drew"
    assert from_two != from_one
    one.sim.store.close()
    again = sim_app(f"sqlite:{path}")
    assert again.sim.store.instance() == 3, "a restart does not replay an earlier process's ids"


@pytest.mark.parametrize("store", ["memory", "sqlite"])
async def test_concurrent_requests_each_see_their_own_unit(store: str, tmp_path: Path) -> None:
    app = sim_app("memory" if store == "memory" else f"sqlite:{tmp_path / 'sim.sqlite'}")
    h = account_headers(app, "clicpay")
    async with talk(app) as client:
        answers = await asyncio.gather(*[client.post(PAY, headers=h, json=BODY) for _ in range(50)])
        refs = {r.json()["clicpay_reference"] for r in answers}
        ids = {r.json()["transaction_id"] for r in answers}
        assert len(refs) == 50 and len(ids) == 50
        await advance(client, 5)
        wallets = (await client.get("/clicpay/api/v2/me/wallets", headers=h)).json()["data"]
    assert {w["id"]: w["balance"] for w in wallets}[144365] == 25000 + 50 * 500
