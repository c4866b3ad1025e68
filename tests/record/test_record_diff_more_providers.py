"""WebPag (`auth-token` header, integer ids, notification_url) and Idea Gateway (Basic with an empty user, webhook
URL registered out of band): record, then `diff`."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
from record_support import Session, assert_nothing_leaks, found, recording

from simulator.record.replay import run

PAYER = {"first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": "52998224725",
         "email": "joao@example.com", "phone_number": "41999998888"}
CARD = {"number": "4111111111111111", "name": "João da Silva", "expiration_month": "12", "expiration_year": "2030",
        "security_code": "123"}


def webpag_flow(s: Session) -> None:
    api = s.client()
    s.direct().post("/api/payers/register", json={**PAYER, "cpf_cnpj": "11144477735"})  # the account's past
    payer = api.post("/api/payers/register", json=PAYER).json()["data"]
    assert api.post(f"/api/payers/{payer['id']}/creditcard", json=CARD).status_code == 200
    paid = api.post("/api/payments/process", json={"payer_id": payer["id"], "name": "Curso", "amount": 1500,
                                                   "method": "credit_card", "installments": 1, "card": CARD})
    assert paid.status_code == 200 and paid.json()["data"]["status"] == 40
    slip = api.post("/api/payments/process", json={
        "payer_id": payer["id"], "name": "Boleto", "amount": 2500, "method": "bank_slip", "due_date": "2026-01-05",
        "notification_url": f"{s.hooks}/webpag/hook"})
    assert slip.status_code == 200, slip.text
    assert api.get(f"/api/payers/{payer['id']}").status_code == 200
    assert api.put(f"/api/payments/{paid.json()['data']['id']}/refund", json={"amount": 500}).status_code == 200
    s.advance(6 * 86400)  # the boleto is cancelled the day after it falls due: a webhook
    assert len(s.receiver.received) >= 1
    assert api.get("/api/payments").status_code == 200
    assert s.client(None).get("/api/payments").status_code == 401


def test_webpag_identical_upstream_yields_no_difference(tmp_path: Path) -> None:
    folder = tmp_path / "webpag"
    with recording("webpag", folder) as s:
        webpag_flow(s)
        hooks = len(s.receiver.received)
        assert_nothing_leaks(s, "52998224725", "11144477735", "4111111111111111", "joao@example.com", "41999998888",
                             "99999-8888")
    report = run(folder)
    assert report.differences == [], [d.describe() for d in report.differences]
    assert report.webhooks_recorded == report.webhooks_simulated == hooks
    assert report.public()["summary"]["replayed"] == 8


def test_webpag_type_change_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "webpag"
    with recording("webpag", folder) as s:
        api = s.client()
        payer = api.post("/api/payers/register", json=PAYER).json()["data"]
        shown = s.direct().get(f"/api/payers/{payer['id']}").json()
        drifted = copy.deepcopy(shown)
        drifted["data"]["status"] = str(drifted["data"]["status"])
        s.drift("status-as-text", [{"match": {"operation": "get_payer"}, "respond": {"status": 200, "body": drifted}}])
        assert api.get(f"/api/payers/{payer['id']}").json()["data"]["status"] == "10"
    report = run(folder)
    assert found(report) == {("get_payer", "type", "response.body", "$.data.status")}


def ideagateway_flow(s: Session) -> None:
    account = s.upstream.sim.providers["ideagateway"].accounts[0].id
    r = httpx.put(f"{s.upstream_url}/_sim/ideagateway/accounts/{account}/webhook", json={"url": f"{s.hooks}/ig"})
    assert r.status_code == 200  # the integrator registered its URL with Idea Gateway beforehand
    api = s.client()
    customer = {"name": "FULANO DE TAL", "documentNumber": "52998224725", "email": "foo@bar.com"}
    pix = api.post("/pix", json={"amount": "1000", "customCode": "order123", "customer": customer}).json()
    assert api.get(f"/pix/{pix['id']}").status_code == 200
    assert api.get("/pix", params={"customCode": "order123"}).status_code == 200
    paid = api.post("/webhook/idea/gateway", json={"event": {"type": "pix", "data": {"pix": {
        "id": pix["id"], "status": "paid", "amountPaid": 1000}}}})
    assert paid.status_code == 200
    s.receiver.wait_for(1)  # the provider notifies at once
    card = {"cvv": "123", "number": "4111111111111111", "holder": "FULANO DE TAL", "expirationDate": "12/2030",
            "brand": "visa"}
    charged = api.post("/creditCard", json={"amount": "1000", "customCode": "c1", "isGift": False,
                                            "customer": customer, "card": card})
    assert charged.status_code in (200, 201), charged.text
    s.receiver.wait_for(2)  # the card's status is notified too
    assert api.get("/pix/nope").status_code == 404
    assert s.client(1).get(f"/pix/{pix['id']}").status_code == 404


def test_ideagateway_identical_upstream_yields_no_difference(tmp_path: Path) -> None:
    folder = tmp_path / "ideagateway"
    with recording("ideagateway", folder) as s:
        ideagateway_flow(s)
        assert_nothing_leaks(s, "52998224725", "foo@bar.com", "4111111111111111")
    report = run(folder)
    assert report.differences == [], [d.describe() for d in report.differences]
    assert (report.webhooks_recorded, report.webhooks_simulated) == (2, 2)
    ops: dict[str, Any] = report.operations
    assert {"create_pix", "get_pix", "search_pix", "sandbox_gateway_webhook", "create_credit_card"} <= set(ops)


def test_smartclick_constant_credential_and_head_requests(tmp_path: Path) -> None:
    """SmartClick's one shared `Authorization` value (auth scheme `constant`), Laravel bodies, HEAD variants."""
    folder = tmp_path / "smartclick"
    with recording("smartclick", folder) as s:
        api = s.client()
        wallet = api.post("/api/v1/carteiras/criar", json={"wal_title": "Loja", "wal_email": "loja@example.com"})
        assert wallet.status_code == 200, wallet.text
        wal_id = wallet.json()["wal_id"]
        assert api.get(f"/api/v1/carteiras/{wal_id}").status_code == 200
        assert api.head(f"/api/v1/carteiras/{wal_id}").status_code == 200
        assert api.post("/api/v1/carteiras/atualizar", json={"wal_id": wal_id, "wal_banco": "341"}).status_code == 200
        assert api.get("/api/v1/carteiras/999").status_code == 404
        assert s.client(None).get(f"/api/v1/carteiras/{wal_id}").status_code == 403
        assert_nothing_leaks(s, "loja@example.com")
    report = run(folder)
    assert report.differences == [], [d.describe() for d in report.differences]
    assert report.public()["summary"]["replayed"] == 6
