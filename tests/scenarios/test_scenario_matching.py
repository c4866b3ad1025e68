"""Scenario rules: what they match (values, ranges, regex, calls) and the answers they give, over HTTP."""

from __future__ import annotations

import asyncio

from shared import account_headers

PAY = "/clicpay/api/v2/wallets/144365/c2b/mpesa"


def body(msisdn="841234567", amount=500):
    return {"msisdn": msisdn, "amount": amount, "reference_description": "Compra online"}


async def load(client, text):
    r = await client.post("/_sim/scenarios", content=text.encode(), headers={"Content-Type": "application/yaml"})
    assert r.status_code == 201, r.text


async def test_body_range_regex_and_exact_values(app, client):
    h = account_headers(app, "clicpay")
    await load(client, """
name: values
provider: clicpay
rules:
  - match: {operation: c2b_mpesa, body: {amount: {gte: 1000, lte: 2000}}}
    respond: {status: 402, body: {message: range}}
  - match: {operation: c2b_mpesa, body: {msisdn: {regex: "85[0-9]{7}"}}}
    respond: {status: 402, body: {message: regex}}
  - match: {operation: c2b_mpesa, body: {amount: 77}}
    respond: {status: 402, body: {message: exact}}
""")
    async def answer(**kw):
        r = await client.post(PAY, headers=h, json=body(**kw))
        return r.json().get("message")
    assert await answer(amount=1500) == "range"
    assert await answer(amount=2000.0) == "range"
    assert await answer(msisdn="851234567") == "regex"
    assert await answer(msisdn="258851234567") == "Transação iniciada com sucesso"  # full match only
    assert await answer(amount="77") == "exact"  # 77 and "77" are the same value
    assert await answer(amount=2001) == "Transação iniciada com sucesso"


async def test_method_path_query_and_headers(app, client):
    h = account_headers(app, "clicpay")
    await load(client, """
name: routing
provider: clicpay
rules:
  - match: {method: GET, path: "/api/v2/transactions/{clicpay_reference}/status", headers: {X-Trace: abc}}
    respond: {status: 500, body: {message: traced}}
  - match: {method: GET, path: /api/v2/me/wallets, query: {payment_method: emola}}
    respond: {status: 200, body: {data: []}}
""")
    r = await client.get("/clicpay/api/v2/transactions/CP1/status", headers={**h, "x-trace": "abc"})
    assert (r.status_code, r.json()) == (500, {"message": "traced"})
    r = await client.get("/clicpay/api/v2/transactions/CP1/status", headers=h)
    assert r.status_code == 404
    r = await client.get("/clicpay/api/v2/me/wallets", headers=h, params={"payment_method": "emola"})
    assert r.json() == {"data": []}
    r = await client.get("/clicpay/api/v2/me/wallets", headers=h)
    assert len(r.json()["data"]) > 0


async def test_first_calls_fail_then_succeed_and_reset_restarts_the_count(app, client):
    h = account_headers(app, "clicpay")
    text = """
name: flaky
provider: clicpay
rules:
  - match: {operation: c2b_mpesa, calls: {from: 1, to: 2}}
    respond: {error: server_error}
"""
    await load(client, text)
    statuses = [(await client.post(PAY, headers=h, json=body())).status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    await client.post("/_sim/reset")
    await load(client, text)
    assert (await client.post(PAY, headers=h, json=body())).status_code == 500


async def test_respond_with_a_provider_error_uses_its_own_shape_and_headers(app, client):
    h = account_headers(app, "clicpay")
    await load(client, """
name: down
provider: clicpay
rules:
  - match: {operation: get_user}
    respond: {error: server_error, headers: {Retry-After: "5"}}
""")
    r = await client.get("/clicpay/api/user", headers=h)
    assert (r.status_code, r.json()) == (500, {"message": "Server Error"})
    assert r.headers["retry-after"] == "5" and r.headers["cache-control"] == "no-cache, private"


async def test_outcome_after_reads(app, client):
    h = account_headers(app, "clicpay")
    await load(client, """
name: after-reads
provider: clicpay
rules:
  - match: {operation: c2b_mpesa}
    outcome: {status: failed, after_reads: 2, message: Recusado}
""")
    ref = (await client.post(PAY, headers=h, json=body())).json()["clicpay_reference"]
    status = f"/clicpay/api/v2/transactions/{ref}/status"
    assert (await client.get(status, headers=h)).json()["status"] == "pending"
    assert (await client.get(status, headers=h)).json()["status"] == "failed"


async def test_journal_names_the_applied_scenario(app, client):
    h = account_headers(app, "clicpay")
    await client.post(PAY, headers={**h, "X-Sim-Scenario": "clicpay-insufficient-funds"}, json=body())
    await client.post(PAY, headers=h, json=body())
    entries = (await client.get("/_sim/requests", params={"provider": "clicpay"})).json()["requests"]
    assert [e["scenario"] for e in entries] == ["clicpay-insufficient-funds", None]


async def test_unknown_header_scenario_is_400(app, client):
    h = account_headers(app, "clicpay")
    r = await client.post(PAY, headers={**h, "X-Sim-Scenario": "clicpay-insufficient-funds,nope"}, json=body())
    assert r.status_code == 400 and "nope" in r.json()["error"]


async def test_concurrent_requests_with_different_header_scenarios_do_not_interfere(app, client):
    h = account_headers(app, "clicpay")
    await load(client, """
name: slow-teapot
provider: clicpay
rules:
  - match: {operation: c2b_mpesa}
    latency_ms: 200
    respond: {status: 418, body: {message: teapot}}
""")
    await client.post("/_sim/scenarios/slow-teapot/deactivate")

    async def one(scenario):
        extra = {"X-Sim-Scenario": scenario} if scenario else {}
        return await client.post(PAY, headers={**h, **extra}, json=body())

    teapot, rejected, plain = await asyncio.gather(one("slow-teapot"), one("clicpay-customer-rejects"), one(None))
    assert teapot.status_code == 418
    assert rejected.status_code == 200 and plain.status_code == 200
    await client.post("/_sim/clock/advance", json={"seconds": 20})
    status = "/clicpay/api/v2/transactions/{}/status"
    assert (await client.get(status.format(rejected.json()["clicpay_reference"]), headers=h)).json()["status"] == "failed"
    assert (await client.get(status.format(plain.json()["clicpay_reference"]), headers=h)).json()["status"] == "successful"


async def test_scenarios_of_another_provider_never_apply(app, client):
    h = account_headers(app, "clicpay")
    await client.post("/_sim/scenarios/clicpay-rate-limited/activate")
    assert (await client.get("/clicpay/api/user", headers=h)).status_code == 429
    others = [k for k in app.sim.providers if k != "clicpay"]
    for key in others:
        r = await client.get(f"/{key}/")
        assert r.status_code != 429
