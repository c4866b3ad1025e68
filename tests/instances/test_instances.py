"""Three simulator processes on one PostgreSQL database (`make test-multi`): any instance answers any request,
due work runs once however many instances poll, money never goes negative, and a killed instance loses nothing it
acknowledged while the others finish its work."""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from cluster import Cluster, Instance
from pgserver import drop_database, fresh_database
from simulator.records import Record
from simulator.testing import webhook_receiver

PROVIDER = "ideagateway"
TOKEN = "6f3a0e5c-7b0a-4a8e-9d8e-2b1f4c5d6e7f"
WALLET = 144365
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


def headers(instance: Instance, account: str, provider: str = PROVIDER) -> dict[str, str]:
    providers = httpx.get(instance.base + "/_sim/providers", timeout=10).json()["providers"]
    found = next(p for p in providers if p["key"] == provider)
    return dict(next(a for a in found["accounts"] if a["id"] == account)["headers"])


def clicpay_headers(instance: Instance) -> dict[str, str]:
    providers = httpx.get(instance.base + "/_sim/providers", timeout=10).json()["providers"]
    return dict(next(p for p in providers if p["key"] == "clicpay")["accounts"][0]["headers"])


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
            r = await client.get(a.base + "/_sim/webhooks", params={"provider": PROVIDER, "all_instances": "true"})
            attempts = r.json()["deliveries"]  # every instance's attempts, merged
            assert len(attempts) == len(ids) and {d["state"] for d in attempts} == {"delivered"}
    per_pix = collections.Counter(req.json()["event"]["data"]["pix"]["id"] for req in receiver.received)
    assert len(receiver.received) == len(ids)
    assert set(per_pix) == set(ids) and set(per_pix.values()) == {1}  # each webhook delivered exactly once
    print(f"\nexactly once: {len(ids)} pix over 3 instances -> {len(receiver.received)} webhooks, "
          f"{len(per_pix)} distinct")


def rows(database: str, provider: str, kind: str) -> list[Record]:
    with psycopg.connect(database) as conn:
        found = conn.execute("SELECT data FROM records WHERE provider=%s AND kind=%s", (provider, kind)).fetchall()
    return [Record.from_json(json.loads(data)) for (data,) in found]


async def burst(urls: list[str], method: str, h: dict[str, str], body: object) -> list[httpx.Response]:
    """One request per URL, all at once, each on a connection of its own."""
    limits = httpx.Limits(max_connections=len(urls), max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        return list(await asyncio.gather(*(client.request(method, url, headers=h, json=body) for url in urls)))


async def test_concurrent_payouts_over_instances_never_overdraw(cluster: Cluster, database: str) -> None:
    nodes = cluster.start(3)
    h = clicpay_headers(nodes[0])
    path = f"/clicpay/api/v2/wallets/{WALLET}/b2c/mpesa"  # acme's M-Pesa wallet: 25,000 MZN
    body = {"amount": 500, "msisdn": "841234567", "reference_description": "Pagamento"}
    answers = await burst([nodes[i % 3].base + path for i in range(200)], "POST", h, body)
    assert [r.status_code for r in answers] == [200] * 200
    refs = {r.json()["clicpay_reference"] for r in answers}
    assert len(refs) == 200  # ids drawn per instance never collide
    payouts = {str(t["clicpay_reference"]): t for t in rows(database, "clicpay", "transaction") if t["type"] == "b2c"}
    assert set(payouts) == refs, "each acknowledged payout is one row"
    reserved = [t for t in payouts.values() if t.private.get("reserved")]
    assert len(reserved) == 50, "exactly the 50 payouts of 500 that 25,000 holds took money"
    print(f"\nno overdraw: 200 payouts over 3 instances, {len(reserved)} took money, wallet 0")
    async with httpx.AsyncClient(timeout=30) as client:
        for node in nodes:  # every instance sees the same empty wallet
            r = await client.get(node.base + "/clicpay/api/v2/me/wallets", headers=h, params={"per_page": 50})
            assert {w["id"]: w["balance"] for w in r.json()["data"]}[WALLET] == 0


async def test_concurrent_transfers_over_instances_take_exactly_the_balance(cluster: Cluster, database: str) -> None:
    nodes = cluster.start(3)
    auth = headers(nodes[0], "apcap")  # R$ 100,00 of seeded balance
    body = {"amount": 100, "holderCpf": "76430473910", "authToken": TOKEN}  # R$ 1,00 each: 100 fit
    answers = await burst([f"{nodes[i % 3].base}/{PROVIDER}/transfer" for i in range(200)], "POST", auth, body)
    counts = collections.Counter(r.status_code for r in answers)
    assert counts == {201: 100, 422: 100}, counts
    print(f"\nno overdraw: 200 transfers over 3 instances -> {dict(counts)}")
    accepted = sorted(r.json()["id"] for r in answers if r.status_code == 201)
    assert sorted(str(t["id"]) for t in rows(database, PROVIDER, "transfer")) == accepted
    [merchant] = [m for m in rows(database, PROVIDER, "merchant") if m["id"] == "apcap"]
    assert merchant["balance"] == 0


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
    print(f"\nkilled mid-load: {len(acknowledged)} acknowledged, all read back and expired by the others; "
          f"{len(receiver.received)} webhooks, each once")


def test_a_crashed_instances_claim_is_taken_over_when_its_lease_runs_out(database: str) -> None:
    from simulator.records import Meta, Next
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


SCENARIO = """\
name: pix-down
provider: ideagateway
description: every Pix creation fails (503)
rules:
  - match:
      operation: create_pix
    respond:
      status: 503
      body: {message: Algo deu errado.}
"""


async def test_journals_merge_and_scenarios_and_resets_are_shared(cluster: Cluster) -> None:
    a, b, c = cluster.start(3)
    auth = headers(a, "hipercap")
    async with httpx.AsyncClient(timeout=30) as client:
        for node in (a, b, c):
            r = await client.post(f"{node.base}/{PROVIDER}/pix", headers=auth, json={"amount": 1500})
            assert r.status_code == 201
        own = (await client.get(b.base + "/_sim/requests", params={"provider": PROVIDER})).json()["requests"]
        assert len(own) == 1  # per instance by default
        r = await client.get(b.base + "/_sim/requests", params={"provider": PROVIDER, "all_instances": "true"})
        merged = r.json()
        assert len(merged["requests"]) == 3
        assert len({e["instance"] for e in merged["requests"]}) == 3
        assert [i["reachable"] for i in merged["instances"]] == [True, True, True]
        # a scenario loaded on one instance answers on the others
        r = await client.post(a.base + "/_sim/scenarios", content=SCENARIO,
                              headers={"content-type": "application/yaml"})
        assert r.status_code == 201, r.text
        for node in (b, c):
            r = await client.post(f"{node.base}/{PROVIDER}/pix", headers=auth, json={"amount": 1500})
            assert r.status_code == 503
        # a reset on one instance: state, loaded scenarios and the clock back to start on every instance
        await _advance(client, b, 3600)
        assert (await client.post(c.base + "/_sim/reset")).status_code == 200
        for node in (a, b):
            assert (await client.get(node.base + "/_sim/clock")).json()["now"] == "2026-01-01T00:00:00Z"
            r = await client.post(f"{node.base}/{PROVIDER}/pix", headers=auth, json={"amount": 1500})
            assert r.status_code == 201
            names = [s["name"] for s in (await client.get(node.base + "/_sim/scenarios")).json()["scenarios"]]
            assert "pix-down" not in names


def test_a_lost_connection_is_opened_again_at_the_next_unit(database: str) -> None:
    from simulator.store.postgres import PostgresStore
    store = PostgresStore(database)
    store.put("p", "k", "1", Record({"a": 1}))
    with psycopg.connect(database, autocommit=True) as admin:  # the server ends the instance's session
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    with pytest.raises(psycopg.OperationalError):
        store.get("p", "k", "2")  # the unit that finds it broken fails
    store.begin()
    assert store.get("p", "k", "1") == {"a": 1}
    store.commit()
    number = store.instance()
    store.close()
    assert number == 1


async def test_provider_sim_reset_clears_the_shared_store_under_running_instances(cluster: Cluster) -> None:
    a, b = cluster.start(2)
    auth = headers(a, "hipercap")
    cp = clicpay_headers(a)
    async with httpx.AsyncClient(timeout=30) as client:
        created = (await client.post(f"{a.base}/{PROVIDER}/pix", headers=auth, json={"amount": 1500})).json()
        await client.get(f"{b.base}/clicpay/api/v2/me/wallets", headers=cp)
        # one provider's reset on one instance: the other keeps its other providers' journal
        assert (await client.post(a.base + "/_sim/reset", json={"provider": PROVIDER})).status_code == 200
        assert (await client.get(f"{b.base}/{PROVIDER}/pix/{created['id']}", headers=auth)).status_code == 404
        journal = (await client.get(b.base + "/_sim/requests")).json()["requests"]
        assert [e["provider"] for e in journal] == ["clicpay", PROVIDER]
        await _advance(client, a, 600)
        created = (await client.post(f"{a.base}/{PROVIDER}/pix", headers=auth, json={"amount": 1500})).json()
        done = subprocess.run([sys.executable, "-m", "simulator", "reset", "--store", cluster.url],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        for node in (a, b):
            assert (await client.get(f"{node.base}/{PROVIDER}/pix/{created['id']}", headers=auth)).status_code == 404
            assert (await client.get(node.base + "/_sim/clock")).json()["now"] == "2026-01-01T00:00:00Z"
            wallets = (await client.get(f"{node.base}/clicpay/api/v2/me/wallets", headers=cp)).json()["data"]
            assert WALLET in {w["id"] for w in wallets}  # the seed data is back


async def test_status_reads_over_instances_are_counted_once_each(cluster: Cluster, database: str) -> None:
    nodes = cluster.start(3)
    h = clicpay_headers(nodes[0])
    async with httpx.AsyncClient(timeout=30) as client:
        r = await client.post(nodes[0].base + "/_sim/scenarios", headers={"content-type": "application/yaml"},
                              content="name: after-reads\nprovider: clicpay\ndescription: fails on its 30th read\n"
                                      "rules:\n  - match: {operation: c2b_mpesa}\n"
                                      "    outcome: {status: failed, after_reads: 30, message: Recusado}\n")
        assert r.status_code == 201, r.text
        body = {"msisdn": "841234567", "amount": 500, "reference_description": "Leituras"}
        ref = (await client.post(f"{nodes[1].base}/clicpay/api/v2/wallets/{WALLET}/c2b/mpesa", headers=h,
                                 json=body)).json()["clicpay_reference"]
    reads = await burst([f"{nodes[i % 3].base}/clicpay/api/v2/transactions/{ref}/status" for i in range(29)],
                        "GET", h, None)
    assert {r.json()["status"] for r in reads} == {"pending"}  # 29 concurrent reads over 3 instances: 29 counted
    async with httpx.AsyncClient(timeout=30) as client:
        last = await client.get(f"{nodes[2].base}/clicpay/api/v2/transactions/{ref}/status", headers=h)
    assert last.json()["status"] == "failed"  # the 30th
    [stored] = [t for t in rows(database, "clicpay", "transaction") if t["clicpay_reference"] == ref]
    assert [step.target for step in stored.meta.history] == ["pending", "failed"]  # moved once
