"""The built-in ClicPay scenarios (scenarios/clicpay/*.yaml), each used the way a test suite would."""

from __future__ import annotations

import asyncio

import pytest

from simulator.engine import pipeline
from shared import account_headers, advance

PAY = "/clicpay/api/v2/wallets/144365/c2b/{channel}"
MSISDN = {"mpesa": "841234567", "emola": "861234567", "mkesh": "821234567"}


async def pay(client, h, scenario, channel="mpesa", kind="c2b"):
    path = PAY.format(channel=channel).replace("/c2b/", f"/{kind}/")
    r = await client.post(path, headers={**h, "X-Sim-Scenario": scenario},
                          json={"msisdn": MSISDN[channel], "amount": 500, "reference_description": "Compra online"})
    return r


async def status(client, h, ref):
    return (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()


@pytest.mark.parametrize(("scenario", "seconds", "final", "message"), [
    ("clicpay-customer-rejects", 20, "failed", "Cliente rejeitou o pedido USSD"),
    ("clicpay-insufficient-funds", 5, "failed", "Saldo insuficiente na conta do cliente"),
    ("clicpay-ussd-timeout", 60, "failed", "Tempo de resposta do cliente esgotado"),
    ("clicpay-slow-confirmation", 600, "successful", None),
])
@pytest.mark.parametrize("channel", ["mpesa", "emola"])
async def test_c2b_outcome_scenarios(app, client, scenario, seconds, final, message, channel):
    h = account_headers(app, "clicpay")
    r = await pay(client, h, scenario, channel)
    assert r.status_code == 200 and r.json()["status"] == "pending"
    ref = r.json()["clicpay_reference"]
    await advance(client, seconds - 1)
    assert (await status(client, h, ref))["status"] == "pending"
    await advance(client, 1)
    shown = await status(client, h, ref)
    assert shown["status"] == final
    if message:
        assert shown["message"] == message


async def test_payout_fails(app, client):
    h = account_headers(app, "clicpay")
    r = await pay(client, h, "clicpay-payout-fails", kind="b2c")
    assert r.status_code == 200
    await advance(client, 2)
    shown = await status(client, h, r.json()["clicpay_reference"])
    assert (shown["status"], shown["message"]) == ("failed", "Saldo insuficiente na carteira")
    ok = await pay(client, h, "clicpay-payout-fails")  # collections are untouched
    await advance(client, 5)
    assert (await status(client, h, ok.json()["clicpay_reference"]))["status"] == "successful"


async def test_server_error_then_ok(app, client):
    h = account_headers(app, "clicpay")
    await client.post("/_sim/scenarios/clicpay-server-error-then-ok/activate")
    answers = [await pay(client, h, "clicpay-server-error-then-ok", ch) for ch in ("mpesa", "emola", "mkesh")]
    assert [r.status_code for r in answers] == [500, 500, 200]
    assert answers[0].json() == {"message": "Server Error"}
    assert (await client.get("/clicpay/api/user", headers=h)).status_code == 200  # only payments fail


async def test_rate_limited(app, client):
    h = account_headers(app, "clicpay")
    r = await client.get("/clicpay/api/v2/me/wallets", headers={**h, "X-Sim-Scenario": "clicpay-rate-limited"})
    assert r.status_code == 429 and r.json() == {"message": "Too Many Attempts."}
    assert r.headers["retry-after"] == "60"
    assert (await client.get("/clicpay/api/v2/me/wallets", headers=h)).status_code == 200


async def test_slow_api_delays_the_answer_and_keeps_it(app, client, monkeypatch):
    h = account_headers(app, "clicpay")
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(pipeline, "sleep", fake_sleep)
    r = await client.get("/clicpay/api/user", headers={**h, "X-Sim-Scenario": "clicpay-slow-api"})
    monkeypatch.undo()
    assert r.status_code == 200 and slept == [3.0]
    assert r.json() == (await client.get("/clicpay/api/user", headers=h)).json()
