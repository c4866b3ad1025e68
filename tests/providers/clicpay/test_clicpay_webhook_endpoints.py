"""The 12 webhook-management operations and the event journal behind them."""

import pytest
from clicpay_helpers import UNAUTHENTICATED, mm_body
from shared import account_headers

BASE = "/clicpay/api/v2/webhooks"
REFUSED = "http://127.0.0.1:9/hook"  # nothing listens on the discard port


async def create(client, h, **extra):
    r = await client.post(BASE, headers=h, json={"url": "https://hooks.example.com/clicpay", **extra})
    assert r.status_code == 201, r.text
    return r.json()["data"]


async def test_crud(app, client):
    h = account_headers(app, "clicpay")
    ep = await create(client, h, events_enabled=["transaction.failed"], wallet_ids=[144365])
    assert ep["url"] == "https://hooks.example.com/clicpay" and ep["active"] is True
    assert ep["events_enabled"] == ["transaction.failed"] and ep["secret"].startswith("whsec_")
    assert (await client.get(f"{BASE}/{ep['id']}", headers=h)).json()["data"] == ep
    assert [e["id"] for e in (await client.get(BASE, headers=h)).json()["data"]] == [ep["id"]]
    r = await client.put(f"{BASE}/{ep['id']}", headers=h, json={"url": "https://new.example.com", "active": False})
    assert r.json()["message"] == "Webhook atualizado com sucesso"
    assert (r.json()["data"]["url"], r.json()["data"]["active"]) == ("https://new.example.com", False)
    r = await client.patch(f"{BASE}/{ep['id']}/toggle", headers=h)
    assert r.json()["data"]["active"] is True
    old = ep["secret"]
    r = await client.post(f"{BASE}/{ep['id']}/regenerate-secret", headers=h)
    assert r.json()["secret"] != old
    assert (await client.get(f"{BASE}/{ep['id']}", headers=h)).json()["data"]["secret"] == r.json()["secret"]
    r = await client.patch(f"{BASE}/{ep['id']}/events/transaction.completed", headers=h,
                           json={"event_type": "transaction.completed"})
    assert r.json()["data"]["events_enabled"] == ["transaction.failed", "transaction.completed"]
    r = await client.patch(f"{BASE}/{ep['id']}/events/consequatur", headers=h,
                           json={"event_type": "transaction.failed"})
    assert r.json()["data"]["events_enabled"] == ["transaction.completed"]
    assert (await client.delete(f"{BASE}/{ep['id']}", headers=h)).json() == {"message": "Webhook removido com sucesso"}
    assert (await client.get(f"{BASE}/{ep['id']}", headers=h)).status_code == 404


async def test_url_must_be_https_except_loopback(app, client):
    h = account_headers(app, "clicpay")
    r = await client.post(BASE, headers=h, json={"url": "http://kunze.biz/iste-laborum-eius-est-dolor.html"})
    assert r.status_code == 422
    assert r.json()["errors"] == {"url": ["O campo url deve começar com um dos seguintes valores: https://"]}
    assert r.json()["message"] == r.json()["errors"]["url"][0]
    for url in ("http://127.0.0.1:8080/hook", "http://localhost:3000/"):
        assert (await client.post(BASE, headers=h, json={"url": url})).status_code == 201
    r = await client.post(BASE, headers=h, json={"events_enabled": ["transaction.pending"]})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"url", "events_enabled.0"}
    assert r.json()["message"].endswith("(e mais 1 erro)")


async def test_endpoints_are_private_to_their_account(app, client):
    ep = await create(client, account_headers(app, "clicpay", 0))
    other = account_headers(app, "clicpay", 1)
    assert (await client.get(f"{BASE}/{ep['id']}", headers=other)).json() == {"message": "Webhook não encontrado"}
    assert (await client.get(BASE, headers=other)).json() == {"data": []}


@pytest.mark.parametrize("method,suffix", [
    ("GET", ""), ("POST", ""), ("GET", "/1"), ("PUT", "/1"), ("DELETE", "/1"), ("PATCH", "/1/toggle"),
    ("POST", "/1/regenerate-secret"), ("POST", "/1/test"), ("GET", "/1/events"), ("GET", "/1/events/2"),
    ("GET", "/1/failed-events"), ("PATCH", "/1/events/consequatur"),
])
async def test_every_endpoint_answers_the_documented_401(client, method, suffix):
    r = await client.request(method, BASE + suffix)
    assert (r.status_code, r.content) == (401, UNAUTHENTICATED)


async def test_events_are_journalled_and_failures_listed_for_retry(app, client):
    h = account_headers(app, "clicpay")
    ep = await create(client, h)
    await client.put(f"{BASE}/{ep['id']}", headers=h, json={"url": REFUSED})
    ok = (await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h, json=mm_body())).json()
    await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h, json=mm_body("840000001"))
    await client.post("/_sim/clock/advance", json={"seconds": 20})
    events = (await client.get(f"{BASE}/{ep['id']}/events", headers=h)).json()["data"]
    assert [e["event_type"] for e in events] == ["transaction.failed", "transaction.completed"]
    completed = events[1]
    assert completed["payload"]["data"]["clicpay_reference"] == ok["clicpay_reference"]
    assert completed["status"] == "pending" and completed["attempts"] == 1, "first attempt failed; retry scheduled"
    assert (await client.get(f"{BASE}/{ep['id']}/failed-events", headers=h)).json() == {"data": []}
    await client.post("/_sim/clock/advance", json={"seconds": 3 * 3600})
    failed = (await client.get(f"{BASE}/{ep['id']}/failed-events", headers=h)).json()["data"]
    assert {e["event_type"] for e in failed} == {"transaction.completed", "transaction.failed"}
    assert all(e["attempts"] == 5 for e in failed)
    detail = (await client.get(f"{BASE}/{ep['id']}/events/{completed['id']}", headers=h)).json()["data"]
    assert detail["id"] == completed["id"] and detail["status"] == "failed"
    r = await client.get(f"{BASE}/{ep['id']}/events/999", headers=h)
    assert (r.status_code, r.json()) == (404, {"message": "Evento não encontrado"})


async def test_test_endpoint_reports_the_real_attempt(app, client):
    h = account_headers(app, "clicpay")
    ep = await create(client, h)
    await client.put(f"{BASE}/{ep['id']}", headers=h, json={"url": REFUSED})
    r = await client.post(f"{BASE}/{ep['id']}/test", headers=h)
    assert r.status_code == 200
    b = r.json()
    assert b["message"] == "Webhook de teste enviado"
    assert b["delivery"]["success"] is False and b["delivery"]["status"] is None and b["delivery"]["error"]
    deliveries = (await client.get("/_sim/webhooks", params={"provider": "clicpay"})).json()["deliveries"]
    assert deliveries[-1]["event"] == "webhook.test" and deliveries[-1]["url"] == REFUSED
