"""Three simulator processes on one PostgreSQL database (`make test-multi`): any instance answers any request,
due work runs once however many instances poll, money never goes negative, and a killed instance loses nothing it
acknowledged while the others finish its work."""

from __future__ import annotations

import asyncio
import collections
import itertools
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from cluster import Cluster, Instance
from pgserver import drop_database, fresh_database
from simulator.testing import webhook_receiver

PROVIDER = "ideagateway"
TOKEN = "token-de-teste"
_names = itertools.count()


@pytest.fixture
def database(postgres_url: str) -> Iterator[str]:
    name = f"multi{next(_names)}"
    url = fresh_database(postgres_url, name)
    yield url
    drop_database(postgres_url, name)


@pytest.fixture
def cluster(database: str) -> Iterator[Cluster]:
    c = Cluster(database)
    try:
        yield c
    finally:
        c.stop()


def headers(instance: Instance, account: str) -> dict[str, str]:
    providers = httpx.get(instance.base + "/_sim/providers", timeout=10).json()["providers"]
    ig = next(p for p in providers if p["key"] == PROVIDER)
    return dict(next(a for a in ig["accounts"] if a["id"] == account)["headers"])


async def _advance(client: httpx.AsyncClient, instance: Instance, seconds: float) -> None:
    r = await client.post(instance.base + "/_sim/clock/advance", json={"seconds": seconds})
    assert r.status_code == 200, r.text


async def test_one_state_any_instance_and_each_webhook_once(cluster: Cluster) -> None:
    a, b, c = cluster.start(3)
    auth = headers(a, "hipercap")
    with webhook_receiver() as receiver:
        async with httpx.AsyncClient(timeout=30) as client:
            r = await client.put(f"{b.base}/_sim/{PROVIDER}/accounts/hipercap/webhook",
                                 json={"url": receiver.url + "/hooks"})
            assert r.status_code == 200
            ids = []
            for i in range(30):  # creates spread over the three instances
                node = (a, b, c)[i % 3]
                r = await client.post(f"{node.base}/{PROVIDER}/pix", headers=auth,
                                      json={"amount": 1000 + i, "expire": 60})
                assert r.status_code in (200, 201), r.text
                ids.append(r.json()["id"])
            # each instance reads every one, pending, before the clock moves
            for node in (a, b, c):
                for ident in ids[:5]:
                    got = await client.get(f"{node.base}/{PROVIDER}/pix/{ident}", headers=auth)
                    assert got.status_code == 200 and got.json()["status"] == "pending"
            await _advance(client, b, 61)  # one advance, on one instance, moves every instance's clock
            for node in (a, c):
                now = (await client.get(node.base + "/_sim/clock")).json()["now"]
                assert now == "2026-01-01T00:01:01Z"
            for ident in ids:  # read on the third instance: what the advance on the second did
                got = await client.get(f"{c.base}/{PROVIDER}/pix/{ident}", headers=auth)
                assert got.json()["status"] == "expired"
            await receiver.wait_for_async(len(ids), timeout=30)
            await asyncio.sleep(1.0)  # every instance's ticker polls meanwhile: a second delivery would show
    per_pix = collections.Counter(req.json()["event"]["data"]["pix"]["id"] for req in receiver.received)
    assert len(receiver.received) == len(ids)
    assert set(per_pix) == set(ids) and set(per_pix.values()) == {1}  # each webhook delivered exactly once


async def test_concurrent_payouts_over_instances_never_overdraw(cluster: Cluster, database: str) -> None:
    nodes = cluster.start(3)
    auth = headers(nodes[0], "apcap")  # R$ 100,00 of seeded balance
    body = {"amount": 100, "holderCpf": "76430473910", "authToken": TOKEN}  # R$ 1,00 each: 100 fit

    async def pay(client: httpx.AsyncClient, i: int) -> int:
        r = await client.post(f"{nodes[i % 3].base}/{PROVIDER}/transfer", headers=auth, json=body)
        return r.status_code

    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        statuses = await asyncio.gather(*(pay(client, i) for i in range(200)))
    counts = collections.Counter(statuses)
    assert counts == {201: 100, 422: 100}, counts
    with psycopg.connect(database) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM records WHERE provider=%s AND kind='transfer'",
                              (PROVIDER,)).fetchone()
        balance = conn.execute("SELECT data FROM records WHERE provider=%s AND kind='merchant' AND key='apcap'",
                               (PROVIDER,)).fetchone()
    assert stored is not None and stored[0] == 100  # every acknowledged transfer is a row, ids never collide
    assert balance is not None and '"balance":0' in balance[0].replace(" ", "")


async def test_a_killed_instance_loses_nothing_acknowledged_and_the_others_do_its_work(
        cluster: Cluster) -> None:
    a, b, c = cluster.start(3)
    auth = headers(a, "hipercap")
    acknowledged: list[str] = []
    with webhook_receiver() as receiver:
        async with httpx.AsyncClient(timeout=30) as client:
            r = await client.put(f"{a.base}/_sim/{PROVIDER}/accounts/hipercap/webhook",
                                 json={"url": receiver.url + "/hooks"})
            assert r.status_code == 200

            async def create(node: Instance, i: int) -> None:
                try:
                    r = await client.post(f"{node.base}/{PROVIDER}/pix", headers=auth,
                                          json={"amount": 2000 + i, "expire": 60})
                except httpx.HTTPError:
                    return  # the killed instance's unanswered requests are not acknowledged
                if r.status_code == 201 or r.status_code == 200:
                    acknowledged.append(r.json()["id"])

            async def load() -> None:
                for round_ in range(40):
                    await asyncio.gather(*(create(node, round_ * 3 + k) for k, node in enumerate((a, b, c))))

            loading = asyncio.create_task(load())
            while len(acknowledged) < 30:
                await asyncio.sleep(0.01)
            a.kill()  # SIGKILL mid-load
            await loading
            assert not a.alive
            on_a = len(acknowledged)
            assert on_a >= 30
            for ident in acknowledged:  # nothing acknowledged is lost
                got = await client.get(f"{b.base}/{PROVIDER}/pix/{ident}", headers=auth)
                assert got.status_code == 200, (ident, got.text)
            await _advance(client, c, 61)  # the killed instance's pending expiries run on the others
            for ident in acknowledged:
                got = await client.get(f"{b.base}/{PROVIDER}/pix/{ident}", headers=auth)
                assert got.json()["status"] == "expired"
            await receiver.wait_for_async(len(acknowledged), timeout=30)
            await asyncio.sleep(1.0)
    per_pix = collections.Counter(req.json()["event"]["data"]["pix"]["id"] for req in receiver.received)
    assert set(acknowledged) <= set(per_pix) and set(per_pix.values()) == {1}


def test_a_crashed_instances_claim_is_taken_over_when_its_lease_runs_out(database: str) -> None:
    from simulator.records import Meta, Next, Record
    from simulator.store.postgres import PostgresStore
    crashed, other = PostgresStore(database), PostgresStore(database)
    crashed.put("_sim", "outbox", "1", Record({"key": "1"}, meta=Meta(next=Next("attempt", None, 10.0))))
    crashed.lease_seconds = 0.5
    crashed.begin(write=True)
    assert crashed.claim_due(20.0) == ("_sim", "outbox", "1", 10.0)
    assert other.claim_due(20.0) is None  # row locked: skipped
    crashed.commit()  # a webhook attempt leaves its unit around the POST: the lease keeps the claim
    other.begin(write=True)
    assert other.claim_due(20.0) is None
    other.commit()
    crashed.close()  # the instance dies mid-POST
    import time
    time.sleep(0.6)
    other.begin(write=True)
    assert other.claim_due(20.0) == ("_sim", "outbox", "1", 10.0)  # taken over after the lease
    other.commit()
    other.close()
    assert {crashed.instance(), other.instance()} == {1, 2}
