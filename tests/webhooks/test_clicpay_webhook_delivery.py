"""ClicPay webhooks to a real local receiver: signatures, retries, the journal, failed events, resend."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from webhook_servers import Receiver, closed_port, module_rx, receiver, rx  # noqa: F401 (fixtures)
from shared import account_headers, advance

PAY = "/clicpay/api/v2/wallets/144365/c2b/mpesa"



async def endpoint(client, h, url):
    r = await client.post("/clicpay/api/v2/webhooks", headers=h, json={"url": url})
    assert r.status_code == 201, r.text
    return r.json()["data"]


async def pay(client, h, msisdn="841234567", scenario=None):
    headers = dict(h, **({"X-Sim-Scenario": scenario} if scenario else {}))
    r = await client.post(PAY, headers=headers,
                          json={"msisdn": msisdn, "amount": 500, "reference_description": "Compra online"})
    assert r.status_code == 200, r.text
    return r.json()["clicpay_reference"]


async def deliveries(client, **params):
    r = await client.get("/_sim/webhooks", params=params)
    assert r.status_code == 200
    return r.json()["deliveries"]


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def test_completed_transaction_is_delivered_signed_and_journalled(app, client, rx):
    h = account_headers(app, "clicpay")
    ep = await endpoint(client, h, rx.url + "/hooks/clicpay")
    ref = await pay(client, h)
    assert rx.received == []  # nothing before the transition
    await advance(client, 5)
    assert len(rx.received) == 1
    got = rx.received[0]
    assert got.path == "/hooks/clicpay"
    assert got.headers["x-clicpay-signature"] == signature(ep["secret"], got.body)
    assert got.headers["x-clicpay-event"] == "transaction.completed"
    payload = json.loads(got.body)
    assert payload["event"] == "transaction.completed"
    assert payload["data"]["clicpay_reference"] == ref and payload["data"]["status"] == "successful"
    [d] = await deliveries(client, provider="clicpay")
    assert d["url"] == rx.url + "/hooks/clicpay"
    assert (d["state"], d["status"], d["attempt"], d["error"]) == ("delivered", 200, 1, None)
    assert d["event"] == "transaction.completed" and d["body"]["data"]["clicpay_reference"] == ref
    assert d["request_headers"]["X-ClicPay-Signature"] == got.headers["x-clicpay-signature"]
    assert isinstance(d["duration_ms"], float)


async def test_failed_transaction_sends_transaction_failed(app, client, rx):
    h = account_headers(app, "clicpay")
    await endpoint(client, h, rx.url)
    await pay(client, h, msisdn="840000003")  # magic: insufficient funds after 5 s
    await advance(client, 5)
    [got] = rx.received
    body = json.loads(got.body)
    assert body["event"] == "transaction.failed" and body["data"]["status"] == "failed"


async def test_receiver_errors_are_retried_on_the_providers_schedule(app, client, rx):
    h = account_headers(app, "clicpay")
    ep = await endpoint(client, h, rx.url)
    rx.plan = [500, 503]
    await pay(client, h)
    await advance(client, 5)
    first = await deliveries(client)
    assert [(d["attempt"], d["state"], d["status"]) for d in first] == [(1, "retrying", 500)]
    assert first[0]["error"] == "receiver answered 500"
    await advance(client, 59)
    assert len(await deliveries(client)) == 1  # the first retry is due 60 s later
    await advance(client, 1)
    await advance(client, 300)
    journal = await deliveries(client)
    assert [(d["attempt"], d["state"], d["status"]) for d in journal] == [
        (1, "retrying", 500), (2, "retrying", 503), (3, "delivered", 200)]
    assert len({d["event_id"] for d in journal}) == 1
    assert len(rx.received) == 3 and len({r.body for r in rx.received}) == 1
    events = (await client.get(f"/clicpay/api/v2/webhooks/{ep['id']}/events", headers=h)).json()["data"]
    assert [(e["status"], e["attempts"], e["response_status"]) for e in events] == [("delivered", 3, 200)]


async def test_an_event_whose_attempts_all_fail_stays_failed_and_can_be_resent(app, client, rx):
    h = account_headers(app, "clicpay")
    ep = await endpoint(client, h, rx.url)
    rx.plan = [500] * 5
    await pay(client, h)
    for seconds in (5, 60, 300, 1800, 7200, 86400):
        await advance(client, seconds)
    journal = await deliveries(client)
    assert [d["state"] for d in journal] == ["retrying"] * 4 + ["failed"]
    failed = await deliveries(client, state="failed")
    assert len(failed) == 1
    listed = (await client.get(f"/clicpay/api/v2/webhooks/{ep['id']}/failed-events", headers=h)).json()["data"]
    assert len(listed) == 1 and listed[0]["status"] == "failed"
    r = await client.post(f"/_sim/webhooks/{failed[0]['id']}/resend")
    assert r.status_code == 200
    resent = r.json()
    assert (resent["state"], resent["status"], resent["resend_of"]) == ("delivered", 200, failed[0]["id"])
    assert resent["event_id"] == failed[0]["event_id"]
    assert len(rx.received) == 6 and rx.received[-1].body == rx.received[0].body
    listed = (await client.get(f"/clicpay/api/v2/webhooks/{ep['id']}/failed-events", headers=h)).json()["data"]
    assert listed == []


async def test_a_refused_connection_is_a_failed_attempt(app, client):
    h = account_headers(app, "clicpay")
    await endpoint(client, h, f"http://127.0.0.1:{closed_port()}/hook")
    await pay(client, h)
    await advance(client, 5)
    [d] = await deliveries(client)
    assert d["state"] == "retrying" and d["status"] is None
    assert "ConnectError" in d["error"]


async def test_test_endpoint_delivers_through_the_journal(app, client, rx):
    h = account_headers(app, "clicpay")
    ep = await endpoint(client, h, rx.url)
    r = await client.post(f"/clicpay/api/v2/webhooks/{ep['id']}/test", headers=h)
    assert r.status_code == 200 and r.json()["delivery"]["success"] is True
    assert json.loads(rx.received[0].body)["event"] == "webhook.test"
    [d] = await deliveries(client, provider="clicpay")
    assert d["event"] == "webhook.test" and d["state"] == "delivered"


async def test_resend_of_an_unknown_delivery_is_404(client):
    r = await client.post("/_sim/webhooks/999/resend")
    assert r.status_code == 404 and "999" in r.json()["error"]


async def test_deliveries_are_filtered_by_state_and_event(app, client, rx):
    h = account_headers(app, "clicpay")
    await endpoint(client, h, rx.url)
    rx.plan = [500]
    await pay(client, h)
    await advance(client, 5)
    await pay(client, h)
    await advance(client, 5)
    assert [d["state"] for d in await deliveries(client, state="retrying")] == ["retrying"]
    [ok] = await deliveries(client, state="delivered")
    assert len(await deliveries(client, event_id=str(ok["event_id"]))) == 1
    assert await deliveries(client, provider="webpag") == []
