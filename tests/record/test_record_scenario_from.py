"""`scenario-from`: the scenario file the loader accepts, and a simulator that answers with the recorded answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from record_support import START, free_port, recording

from simulator.app import build_app
from simulator.record.cassette import decode_body, read
from simulator.record.facts import load_facts
from simulator.record.proxy import Recorder
from simulator.record.scenario import write
from simulator.settings import Settings
from simulator.testing import serve_app

C2B = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 42"}


def record_clicpay(folder: Path) -> None:
    with recording("clicpay", folder) as s:
        api = s.client()
        ref = api.post("/api/v2/wallets/144365/c2b/mpesa", json=C2B).json()["clicpay_reference"]
        api.post("/api/v2/wallets/144366/c2b/emola", json={**C2B, "msisdn": "861234567"})
        assert api.get(f"/api/v2/transactions/{ref}/status").json()["status"] == "pending"
        s.advance(5)
        assert api.get(f"/api/v2/transactions/{ref}/status").json()["status"] == "successful"
        assert api.get("/api/v2/me/wallets", params={"page": 2}).status_code == 200
        assert api.get("/api/v2/me/wallets").status_code == 200
        assert api.post("/api/v2/wallets/144365/c2b/mpesa", json={"amount": 0}).status_code == 400


async def replay(text: str, requests: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    """Load the scenario into a fresh simulator and send it the recorded requests (as its own account 0)."""
    app = build_app(Settings(clock="manual", start_time=START, seed=0, providers=["clicpay"]))
    headers = dict(app.sim.providers["clicpay"].accounts[0].headers)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
        loaded = await client.post("/_sim/scenarios", content=text.encode(),
                                   headers={"content-type": "application/yaml"})
        assert loaded.is_success, loaded.text
        out = []
        for req in requests:
            r = await client.request(req["method"], "/clicpay" + req["path"], params=req["query"], headers={
                **headers, "content-type": "application/json"}, content=decode_body(req["body_encoding"],
                                                                                   req["body"]) or None)
            out.append((r.status_code, r.json()))
        return out


async def test_the_simulator_answers_with_the_recorded_answers_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "clicpay"
    record_clicpay(folder)
    cassette = read(folder)
    text, notes = write(cassette, load_facts("clicpay"), "clicpay-recorded")
    assert notes == []
    doc = yaml.safe_load(text)
    assert doc["name"] == "clicpay-recorded" and doc["provider"] == "clicpay" and len(doc["rules"]) == 7
    polls = [r for r in doc["rules"] if r["match"]["operation"] == "transaction_status"]
    assert [r["match"].get("calls") for r in polls] == [{"from": 1, "to": 1}, None]
    wallets = [r["match"] for r in doc["rules"] if r["match"]["operation"] == "list_wallets"]
    assert wallets == [{"operation": "list_wallets", "query": {"page": "2"}}, {"operation": "list_wallets"}]
    answers = await replay(text, [e["request"] for e in cassette.exchanges])
    assert answers == [(e["response"]["status"], e["response"]["body"]) for e in cassette.exchanges]
    # the recorded reference is the seed-1 upstream's, not one the seed-0 simulator would make
    assert answers[0][1]["clicpay_reference"] == cassette.exchanges[0]["response"]["body"]["clicpay_reference"]


async def test_match_body_tells_requests_of_one_operation_apart(tmp_path: Path) -> None:
    folder = tmp_path / "clicpay"
    record_clicpay(folder)
    cassette = read(folder)
    text, _ = write(cassette, load_facts("clicpay"), "by-body", match_body=True)
    mpesa = [r for r in yaml.safe_load(text)["rules"] if r["match"]["operation"] == "c2b_mpesa"]
    assert [r["match"]["body"] for r in mpesa] == [
        {"amount": 500, "reference_description": "Pedido 42"}, {"amount": 0}]  # the masked msisdn is left out
    invalid, valid = cassette.exchanges[6]["request"], cassette.exchanges[0]["request"]
    answers = await replay(text, [invalid, valid])  # in the other order than recorded
    assert [a[0] for a in answers] == [400, 200]


async def test_an_upstream_that_did_not_answer_becomes_a_fault(tmp_path: Path) -> None:
    folder = tmp_path / "down"
    recorder = Recorder(load_facts("clicpay"), folder, f"http://127.0.0.1:{free_port()}", timeout=2)
    with serve_app(recorder.proxy_app(), lifespan="on") as proxy:
        r = httpx.get(f"{proxy}/api/v2/me/wallets", headers={"Authorization": "Bearer x"})
    assert r.status_code == 502 and "failed" in r.json()["error"]
    [entry] = read(folder).exchanges
    assert entry["response"] is None and entry["error"]["kind"] == "connection"
    text, _ = write(read(folder), load_facts("clicpay"), "clicpay-down")
    assert yaml.safe_load(text)["rules"] == [{"match": {"operation": "list_wallets"}, "fault": "connection_reset"}]
    app = build_app(Settings(clock="manual", start_time=START, providers=["clicpay"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
        assert (await client.post("/_sim/scenarios", content=text.encode(),
                                  headers={"content-type": "application/yaml"})).is_success


def test_a_cassette_with_nothing_replayable_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    Recorder(load_facts("clicpay"), folder, "http://127.0.0.1:9")
    with pytest.raises(ValueError, match="no recorded exchange"):
        write(read(folder), load_facts("clicpay"), "nothing")
