"""SmartClick's AuthToken middleware (403, documented body with its typo) and Laravel's throttle:60,1."""

from __future__ import annotations

import httpx

from smartclick_fixtures import API, AUTH, START, TOKEN, sc, sc_app  # noqa: F401 (fixtures)
from simulator.app import build_app
from simulator.settings import Settings

FORBIDDEN = b'{"error":"Tente nvomante! Estamos com problemas entre em contato com a SmartClick."}'


async def test_token_is_sha1_of_smart_and_listed_as_the_one_account(sc):
    assert TOKEN == "1556355684145fce5e67ba749d943a180266ad90"
    providers = (await sc.get("/_sim/providers")).json()["providers"]
    (entry,) = [p for p in providers if p["key"] == "smartclick"]
    assert [a["headers"] for a in entry["accounts"]] == [{"Authorization": TOKEN}]
    assert entry["accounts"][0]["credentials"] == {"authorization": TOKEN}
    assert len(entry["operations"]) == 34


async def test_missing_or_wrong_authorization_is_the_documented_403_byte_for_byte(sc):
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer " + TOKEN}, {"Authorization": "smart"},
                    {"Authorization": TOKEN.upper()}):
        r = await sc.get(f"{API}/carteiras/1", headers=headers)
        assert r.status_code == 403
        assert r.content == FORBIDDEN
        assert r.headers["content-type"] == "application/json"
    r = await sc.post(f"{API}/carteiras/criar", headers={"Authorization": "x"}, json={"wal_title": "A"})
    assert (r.status_code, r.content) == (403, FORBIDDEN)
    assert (await sc.get(f"{API}/carteiras/1")).status_code == 404  # nothing was created


async def test_head_without_auth_is_403_without_body(sc):
    r = await sc.head(f"{API}/saques/1", headers={"Authorization": "nope"})
    assert r.status_code == 403 and r.content == b""


async def test_60_requests_a_minute_then_429_with_laravel_headers(sc):
    for n in range(60):
        r = await sc.get(f"{API}/carteiras/{n + 1}")
        assert r.status_code == 404
        assert r.headers["x-ratelimit-limit"] == "60"
        assert r.headers["x-ratelimit-remaining"] == str(59 - n)
    r = await sc.get(f"{API}/carteiras/1")
    assert r.status_code == 429
    assert r.content == b'{"message":"Too Many Attempts."}'
    assert r.headers["retry-after"] == "60"
    assert r.headers["x-ratelimit-remaining"] == "0"
    assert r.headers["x-ratelimit-reset"] == str(START + 60)
    await sc.post("/_sim/clock/advance", json={"seconds": 45})
    r = await sc.post(f"{API}/carteiras/criar", json={"wal_title": "A"})
    assert r.status_code == 429 and r.headers["retry-after"] == "15"
    await sc.post("/_sim/clock/advance", json={"seconds": 15})
    r = await sc.get(f"{API}/carteiras/1")
    assert r.status_code == 404 and r.headers["x-ratelimit-remaining"] == "59"


async def test_unauthenticated_requests_count_too_and_reset_clears_counters(sc):
    for _ in range(60):
        assert (await sc.get(f"{API}/itens/1", headers={"Authorization": "x"})).status_code == 403
    assert (await sc.get(f"{API}/itens/1")).status_code == 429
    assert (await sc.post("/_sim/reset")).status_code == 200
    r = await sc.get(f"{API}/itens/1")
    assert r.status_code == 404 and r.headers["x-ratelimit-remaining"] == "59"


async def test_limit_is_per_client_address(sc_app, sc):
    for _ in range(60):
        await sc.get(f"{API}/pedidos/1")
    assert (await sc.get(f"{API}/pedidos/1")).status_code == 429
    other = httpx.ASGITransport(app=sc_app, client=("10.0.0.7", 4000))
    async with httpx.AsyncClient(transport=other, base_url="http://sim.test", headers=AUTH) as c:
        r = await c.get(f"{API}/pedidos/1")
    assert r.status_code == 404 and r.headers["x-ratelimit-remaining"] == "59"


async def test_unknown_routes_are_not_throttled_and_answer_laravel_404(sc):
    r = await sc.get(f"{API}/nada")
    assert (r.status_code, r.content) == (404, b'{"message":""}')
    assert "x-ratelimit-limit" not in r.headers


async def test_rate_limits_can_be_switched_off_by_setting():
    app = build_app(Settings(clock="manual", start_time=START, providers=["smartclick"], rate_limits=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t.test", headers=AUTH) as c:
        statuses = {(await c.get(f"{API}/saques/1")).status_code for _ in range(70)}
    assert statuses == {404}
