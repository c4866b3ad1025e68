"""ClicPay (bearer, JSON): record a session through the proxy, then `diff` it against a fresh simulator."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from record_support import Session, assert_nothing_leaks, found, recording

from simulator.record.replay import run

C2B = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 42"}


def session_flow(s: Session) -> dict[str, Any]:
    """What an integrator does: register its webhook, charge, wait for the webhook, check the status, read its
    account. Returns what it saw."""
    api = s.client()
    assert api.post("/api/v2/webhooks", json={"url": f"{s.hooks}/hooks/clicpay"}).status_code == 201
    created = api.post("/api/v2/wallets/144365/c2b/mpesa", json=C2B).json()
    s.advance(5)
    status = api.get(f"/api/v2/transactions/{created['clicpay_reference']}/status")
    assert status.status_code == 200 and status.json()["status"] == "successful"
    assert api.get("/api/v2/transactions/CP000000000/status").status_code == 404
    assert api.post("/api/v2/wallets/144365/c2b/mpesa", json={"amount": 0}).status_code == 400
    assert api.get("/api/user").status_code == 200
    assert s.client(None).get("/api/user").status_code == 401
    return created


def test_an_identical_upstream_yields_no_difference(tmp_path: Path) -> None:
    folder = tmp_path / "clicpay"
    with recording("clicpay", folder) as s:
        created = session_flow(s)
        assert len(s.receiver.received) == 1  # the webhook reached the integrator through the relay
        secrets = [hook["secret"] for hook in s.direct().get("/api/v2/webhooks").json()["data"]]
        assert_nothing_leaks(s, "841234567", "financeiro@acme.co.mz", *secrets)
    report = run(folder)
    assert report.differences == [], [d.describe() for d in report.differences]
    summary = report.public()["summary"]
    assert summary["replayed"] == 7 and summary["skipped"] == 0
    assert (report.webhooks_recorded, report.webhooks_simulated) == (1, 1)
    assert report.operations["transaction_status"].exchanges == 2
    # the seed-1 upstream handed out another reference than the seed-0 simulator: the chain still worked
    assert created["clicpay_reference"] not in {d.recorded for d in report.differences}


def rename(payload: Any) -> Any:
    """The provider's webhook as the drifted upstream sends it: `data.amount` renamed `data.valor`."""
    changed = copy.deepcopy(payload)
    changed["data"]["valor"] = changed["data"].pop("amount")
    return changed


def test_every_injected_drift_is_found_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "clicpay"
    with recording("clicpay", folder, relay=rename) as s:
        api, direct = s.client(), s.direct()
        assert api.post("/api/v2/webhooks", json={"url": f"{s.hooks}/hooks/clicpay"}).status_code == 201
        ref = api.post("/api/v2/wallets/144365/c2b/mpesa", json=C2B).json()["clicpay_reference"]
        s.advance(5)
        assert api.get(f"/api/v2/transactions/{ref}/status").status_code == 200  # no drift here
        # type change: the amount comes as a string
        status = direct.get(f"/api/v2/transactions/{ref}/status").json()
        s.drift("amount-as-text", [{"match": {"operation": "transaction_status",
                                              "path": f"/api/v2/transactions/{ref}/status"},
                                    "respond": {"status": 200, "body": {**status, "amount": "500.00"}}}])
        assert api.get(f"/api/v2/transactions/{ref}/status").json()["amount"] == "500.00"
        # message change: another text for an unknown reference
        s.drift("other-not-found-text", [{"match": {"operation": "transaction_status",
                                                    "path": "/api/v2/transactions/CP000000000/status"},
                                          "respond": {"status": 404, "body": {"message": "Transacao nao encontrada"}}}])
        assert api.get("/api/v2/transactions/CP000000000/status").status_code == 404
        # missing field: the provider sends a key the simulator lacks
        user = direct.get("/api/user").json()
        s.drift("user-has-locale", [{"match": {"operation": "get_user"},
                                     "respond": {"status": 200, "body": {**user, "locale": "pt_MZ"}}}])
        assert "locale" in api.get("/api/user").json()
        # extra field: the simulator sends a key the provider does not
        wallets = direct.get("/api/v2/me/wallets").json()
        for wallet in wallets["data"]:
            del wallet["balance"]
        s.drift("wallets-without-balance", [{"match": {"operation": "list_wallets"},
                                             "respond": {"status": 200, "body": wallets}}])
        assert api.get("/api/v2/me/wallets").status_code == 200
        # status change: 202 where the simulator answers 200
        hooks = direct.get("/api/v2/webhooks").json()
        s.drift("webhooks-accepted", [{"match": {"operation": "list_webhooks"},
                                       "respond": {"status": 202, "body": hooks}}])
        assert api.get("/api/v2/webhooks").status_code == 202
        assert s.receiver.received[0].json()["data"]["valor"] == 500
    report = run(folder)
    assert found(report) == {
        ("transaction_status", "type", "response.body", "$.amount"),
        ("transaction_status", "text", "response.body", "$.message"),
        ("get_user", "missing_key", "response.body", "$.locale"),
        ("list_wallets", "extra_key", "response.body", "$.data[*].balance"),
        ("list_webhooks", "status", "response.status", ""),
        ("webhooks", "missing_key", "webhook.body", "$.data.valor"),
        ("webhooks", "extra_key", "webhook.body", "$.data.amount"),
    }, [d.describe() for d in report.differences]
    by_kind = {d.kind: d for d in report.differences if d.operation != "webhooks"}
    assert (by_kind["type"].recorded, by_kind["type"].simulated) == ("string", "integer")
    assert (by_kind["text"].recorded, by_kind["text"].simulated) == ("Transacao nao encontrada",
                                                                    "Transação não encontrada")
    assert (by_kind["status"].recorded, by_kind["status"].simulated) == (202, 200)
    assert by_kind["type"].exchange.endswith("-transaction_status.json")


def test_webhook_retries_are_replayed_as_they_happened(tmp_path: Path) -> None:
    """The integrator's receiver failed the first attempt; the provider retried a minute later. On replay the
    simulator's webhook gets the same answers, so it retries too, and both attempts pair up."""
    folder = tmp_path / "clicpay"
    with recording("clicpay", folder) as s:
        s.receiver.plan = [500]
        api = s.client()
        assert api.post("/api/v2/webhooks", json={"url": f"{s.hooks}/hooks/clicpay"}).status_code == 201
        api.post("/api/v2/wallets/144365/c2b/mpesa", json=C2B)
        s.advance(5)
        s.advance(60)
        assert len(s.receiver.received) == 2
    report = run(folder)
    assert report.differences == [], [d.describe() for d in report.differences]
    assert (report.webhooks_recorded, report.webhooks_simulated) == (2, 2)
