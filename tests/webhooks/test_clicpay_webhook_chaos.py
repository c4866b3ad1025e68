"""Webhook chaos from the built-in ClicPay scenarios, per request (X-Sim-Scenario) and globally."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from webhook_servers import Receiver, module_rx, receiver, rx  # noqa: F401 (fixtures)
from shared import account_headers, advance

PAY = "/clicpay/api/v2/wallets/144365/c2b/mpesa"



async def setup(app, client, rx):
    h = account_headers(app, "clicpay")
    r = await client.post("/clicpay/api/v2/webhooks", headers=h, json={"url": rx.url})
    assert r.status_code == 201
    return h, r.json()["data"]["secret"]


async def pay(client, h, scenario=None, msisdn="841234567"):
    headers = dict(h, **({"X-Sim-Scenario": scenario} if scenario else {}))
    r = await client.post(PAY, headers=headers, json={"msisdn": msisdn, "amount": 10, "reference_description": "Pedido 1"})
    assert r.status_code == 200, r.text
    return r.json()["clicpay_reference"]


async def journal(client, **params):
    return (await client.get("/_sim/webhooks", params=params)).json()["deliveries"]


def refs(rx: Receiver) -> list[str]:
    return [json.loads(r.body)["data"]["clicpay_reference"] for r in rx.received]


async def test_duplicates_deliver_the_same_event_twice_only_for_that_request(app, client, rx):
    h, _ = await setup(app, client, rx)
    dup = await pay(client, h, "clicpay-webhook-duplicates")
    plain = await pay(client, h)
    await advance(client, 5)
    assert sorted(refs(rx)) == sorted([dup, dup, plain])
    copies = [r for r in rx.received if json.loads(r.body)["data"]["clicpay_reference"] == dup]
    assert copies[0].body == copies[1].body
    assert copies[0].headers["x-clicpay-delivery"] == copies[1].headers["x-clicpay-delivery"]
    labels = [d["chaos"] for d in await journal(client)]
    assert sorted(labels) == sorted([["duplicate"], ["duplicate", "copy"], []])


async def test_bad_signature_sends_a_wrong_signature_and_resend_signs_right(app, client, rx):
    h, secret = await setup(app, client, rx)
    await pay(client, h, "clicpay-webhook-bad-signature")
    await advance(client, 5)
    [got] = rx.received
    good = hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["x-clicpay-signature"] != good
    assert len(got.headers["x-clicpay-signature"]) == len(good)
    [d] = await journal(client)
    assert d["chaos"] == ["bad_signature"] and d["state"] == "delivered"
    await client.post(f"/_sim/webhooks/{d['id']}/resend")
    assert rx.received[1].headers["x-clicpay-signature"] == good


async def test_lost_webhook_is_dropped_and_listed_and_can_be_resent(app, client, rx):
    h, _ = await setup(app, client, rx)
    ref = await pay(client, h, "clicpay-webhook-lost")
    await advance(client, 5)
    assert rx.received == []
    status = (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()
    assert status["status"] == "successful"  # polling still tells the truth
    [d] = await journal(client, state="dropped")
    assert d["status"] is None and d["chaos"] == ["drop"]
    await advance(client, 86400)
    assert rx.received == []  # a dropped delivery is not retried
    r = await client.post(f"/_sim/webhooks/{d['id']}/resend")
    assert r.json()["state"] == "delivered" and refs(rx) == [ref]


async def test_late_webhook_arrives_after_the_delay(app, client, rx):
    h, _ = await setup(app, client, rx)
    ref = await pay(client, h, "clicpay-webhook-late")
    await advance(client, 5)
    assert (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()["status"] == "successful"
    await advance(client, 299)
    assert rx.received == []
    await advance(client, 1)
    assert refs(rx) == [ref]
    assert (await journal(client))[0]["chaos"] == ["delay"]


async def test_out_of_order_holds_the_webhook_until_the_next_event(app, client, rx):
    h, _ = await setup(app, client, rx)
    first = await pay(client, h, "clicpay-webhook-out-of-order")
    second = await pay(client, h)
    await advance(client, 5)  # both complete together; the first's event was emitted first
    assert refs(rx) == [second, first]


async def test_out_of_order_without_a_later_event_is_delivered_after_the_hold(app, client, rx):
    h, _ = await setup(app, client, rx)
    ref = await pay(client, h, "clicpay-webhook-out-of-order")
    await advance(client, 5)
    assert rx.received == []
    await advance(client, 60)
    assert refs(rx) == [ref]


async def test_an_activated_scenario_applies_to_every_request_until_deactivated(app, client, rx):
    h, _ = await setup(app, client, rx)
    assert (await client.post("/_sim/scenarios/clicpay-webhook-duplicates/activate")).json()["active"] is True
    a = await pay(client, h)
    await client.post("/_sim/scenarios/clicpay-webhook-duplicates/deactivate")
    b = await pay(client, h)
    await advance(client, 5)
    assert sorted(refs(rx)) == sorted([a, a, b])


async def test_outcome_and_chaos_from_two_header_scenarios_combine(app, client, rx):
    h, _ = await setup(app, client, rx)
    ref = await pay(client, h, "clicpay-customer-rejects,clicpay-webhook-duplicates")
    await advance(client, 20)
    assert refs(rx) == [ref, ref]
    assert {json.loads(r.body)["event"] for r in rx.received} == {"transaction.failed"}
    assert json.loads(rx.received[0].body)["data"]["message"] == "Cliente rejeitou o pedido USSD"
