"""The /_sim control surface as control-api.md fixes it."""

from shared import START, account_headers

from simulator.app import build_app
from simulator.settings import Settings

MM = {"msisdn": "841234567", "amount": 500, "reference_description": "Compra online"}


async def test_health_and_clock(client):
    assert (await client.get("/_sim/health")).json() == {"status": "ok"}
    assert (await client.get("/_sim/clock")).json() == {"now": "2026-01-01T00:00:00Z", "mode": "manual"}
    r = await client.post("/_sim/clock/advance", json={"seconds": 90})
    assert r.json() == {"now": "2026-01-01T00:01:30Z", "mode": "manual"}
    for bad in ({"seconds": -1}, {"seconds": "5"}, {}, [1]):
        r = await client.post("/_sim/clock/advance", json=bad)
        assert r.status_code == 400 and "error" in r.json()


async def test_providers_lists_credentials_that_work(app, client):
    providers = (await client.get("/_sim/providers")).json()["providers"]
    clicpay = next(p for p in providers if p["key"] == "clicpay")
    assert clicpay["base_path"] == "/clicpay" and clicpay["name"] == "ClicPay v2"
    assert {"id": "c2b_mpesa", "method": "POST", "path": "/api/v2/wallets/{wallet_id}/c2b/mpesa"} in clicpay["operations"]
    assert len(clicpay["operations"]) == 27
    acme, globex = clicpay["accounts"][:2]
    assert acme["id"] == "acme" and acme["wallets"][:2] == [144365, 144366]
    assert acme["headers"] == {"Authorization": "Bearer " + acme["credentials"]["token"]}
    r = await client.get("/clicpay/api/v2/me/wallets", headers=globex["headers"])
    assert [w["id"] for w in r.json()["data"]] == globex["wallets"]


async def test_same_seed_same_credentials_and_data():
    def token(seed):
        return build_app(Settings(clock="manual", seed=seed)).sim.providers["clicpay"].accounts[0].credentials["token"]
    assert token(7) == token(7) != token(8)


async def test_reset_restores_state_clock_and_journal(app, client):
    h = account_headers(app, "clicpay")
    ref = (await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h, json=MM)).json()["clicpay_reference"]
    await client.post("/_sim/clock/advance", json={"seconds": 60})
    assert (await client.post("/_sim/reset")).status_code == 200
    assert (await client.get("/_sim/clock")).json()["now"] == "2026-01-01T00:00:00Z"
    assert (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).status_code == 404
    assert (await client.get("/_sim/requests")).json()["requests"][:1][0]["path"].endswith("/status")
    balance = (await client.get("/clicpay/api/v2/me/wallets", headers=h)).json()["data"][0]["balance"]
    assert balance == 25000
    again = (await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h, json=MM)).json()
    assert again["clicpay_reference"] == ref, "reset replays the same seeded data"
    assert (await client.post("/_sim/reset", json={"provider": "nope"})).status_code == 404


async def test_journal_filters(app, client):
    h = account_headers(app, "clicpay")
    await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h, json=MM)
    await client.get("/clicpay/api/v2/transactions/CP000000000/status", headers=h)
    await client.get("/clicpay/api/user")
    entries = (await client.get("/_sim/requests")).json()["requests"]
    assert [e["status"] for e in entries] == [200, 404, 401]
    first = entries[0]
    assert set(first) >= {"id", "at", "provider", "operation", "method", "path", "query", "headers", "body", "status",
                          "response_body", "scenario", "violations"}
    assert first["operation"] == "c2b_mpesa" and first["body"] == MM and first["violations"] == []
    assert entries[2]["violations"] == ["auth: missing or unknown credentials"]
    q = await client.get("/_sim/requests", params={"method": "GET", "status": "404"})
    assert [e["operation"] for e in q.json()["requests"]] == ["transaction_status"]
    q = await client.get("/_sim/requests", params={"provider": "clicpay", "path": "/api/user", "limit": 5})
    assert len(q.json()["requests"]) == 1


async def test_force_checks_the_state_machine(app, client):
    h = account_headers(app, "clicpay")
    ref = (await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h, json=MM)).json()["clicpay_reference"]
    r = await client.post(f"/_sim/clicpay/transactions/{ref}/cancelled")
    assert r.json()["status"] == "cancelled"
    r = await client.post(f"/_sim/clicpay/transactions/{ref}/successful")
    assert r.status_code == 409 and "error" in r.json()
    assert (await client.post("/_sim/clicpay/transactions/CP1/failed")).status_code == 404
    assert (await client.post("/_sim/nope/transactions/CP1/failed")).status_code == 404


async def test_unknown_provider_path_and_unknown_route(client):
    r = await client.get("/nope/api")
    assert r.status_code == 404 and "error" in r.json()
    r = await client.get("/clicpay/api/v2/nothing-here")
    assert r.status_code == 404 and "could not be found" in r.json()["message"]
    r = await client.get("/clicpay/api/v2/wallets/144365/c2b/mpesa")
    assert r.status_code == 405


async def test_root_mount_with_provider_flag():
    import httpx
    app = build_app(Settings(clock="manual", start_time=START, provider="clicpay"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        h = dict(app.sim.providers["clicpay"].accounts[0].headers)
        assert (await c.get("/api/v2/me/wallets", headers=h)).status_code == 200
        assert (await c.get("/clicpay/api/v2/me/wallets", headers=h)).status_code == 200
