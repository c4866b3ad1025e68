"""WebPag's built-in scenarios: every file loads, and they change what they say they change."""

from pathlib import Path

import pytest

from webpag_helpers import HOOK, advance, app, deliveries, headers, new_payer, pay, payments  # noqa: F401

FILES = sorted((Path(__file__).resolve().parents[3] / "scenarios" / "webpag").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_builtin_scenario_loads(app, path):
    loaded = app.sim.scenarios.load_text(path.read_text(encoding="utf-8"), source=str(path))
    assert loaded["name"].startswith("webpag-") and loaded["provider"] == "webpag"


async def test_builtins_are_listed(app, client):
    names = {s["name"] for s in (await client.get("/_sim/scenarios")).json()["scenarios"]}
    assert {f"webpag-{p.stem}" for p in FILES} <= names


async def test_pix_paid_after_30s(app, client):
    h = dict(headers(app), **{"X-Sim-Scenario": "webpag-pix-paid-after-30s"})
    payer = await new_payer(client, headers(app))
    assert (await pay(client, h, payer["id"], "pix")).json()["data"]["status"] == 10
    await advance(client, 30)
    assert (await payments(client, headers(app)))[0]["status"] == 40


async def test_card_declined_and_server_error(app, client):
    payer = await new_payer(client, headers(app))
    h = dict(headers(app), **{"X-Sim-Scenario": "webpag-card-declined"})
    r = await pay(client, h, payer["id"], "credit_card")
    assert r.status_code == 422 and r.json()["error_code"] == 20
    h = dict(headers(app), **{"X-Sim-Scenario": "webpag-server-error-then-ok"})
    statuses = [(await pay(client, h, payer["id"], "pix", order_id="A1")).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert len(await payments(client, headers(app))) == 1


async def test_webhook_duplicates(app, client):
    await client.put("/_sim/webpag/accounts/papelaria/webhook", json={"url": HOOK})
    payer = await new_payer(client, headers(app))
    h = dict(headers(app), **{"X-Sim-Scenario": "webpag-webhook-duplicates"})
    await pay(client, h, payer["id"], "credit_card")
    await advance(client, 0)
    assert len([d for d in await deliveries(client) if d["attempt"] == 1]) == 2
