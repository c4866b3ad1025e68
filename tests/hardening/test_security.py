"""A local server is still a server: Host checking, cross-site writes, the control token, safety headers,
generated links, webhook targets and client URLs on payer pages (simulator/security.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from conftest import START, account_headers
from simulator import cli, security
from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings

CARD = "/clicpay/api/v2/wallets/144365/card-payment"


def make(**settings: Any) -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, **settings))


async def client_for(app: SimulatorApp, base: str = "http://sim.test") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base)


@pytest.fixture
async def guarded() -> AsyncIterator[tuple[SimulatorApp, httpx.AsyncClient]]:
    app = make(control_token="s3cret")
    async with await client_for(app) as c:
        yield app, c


# --- Host ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "127.1.2.3:9", "[::1]:8000", "app.localhost",
                                  "provider-sim.test", "LOCALHOST", "testserver"])
async def test_loopback_names_are_served(client, host):
    assert (await client.get("/_sim/health", headers={"host": host})).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "192.168.0.10", "localhost.evil.example",
                                  "a b", "x/y", "[::1", "127.0.0.1:8000@evil"])
async def test_other_hosts_are_refused_when_bound_to_loopback(client, app, host):
    r = await client.get("/_sim/providers", headers={"host": host})
    assert r.status_code == 400 and "error" in r.json()
    r = await client.get("/clicpay/api/user", headers={"host": host, **account_headers(app, "clicpay")})
    assert (r.status_code, r.json()) == (400, {"message": "Bad Request"})  # ClicPay's own shape


async def test_allowed_hosts_and_other_bindings():
    app = make(allowed_hosts=["sim.example.com", "*.corp.example"])
    async with await client_for(app) as c:
        for host, status in (("sim.example.com", 200), ("a.corp.example:8000", 200), ("other.example", 400)):
            assert (await c.get("/_sim/health", headers={"host": host})).status_code == status
    async with await client_for(make(host="0.0.0.0")) as c:  # Docker: any name, unless --allowed-host
        assert (await c.get("/_sim/health", headers={"host": "provider-sim:8000"})).status_code == 200
        assert (await c.get("/_sim/health", headers={"host": "bad host"})).status_code == 400
    async with await client_for(make(host="0.0.0.0", allowed_hosts=["provider-sim"])) as c:
        assert (await c.get("/_sim/health", headers={"host": "provider-sim:8000"})).status_code == 200
        assert (await c.get("/_sim/health", headers={"host": "rebound.example"})).status_code == 400


async def test_generated_links_use_the_public_url_or_the_checked_host(app, client):
    body = {"amount": 100, "reference_description": "abc"}
    h = account_headers(app, "clicpay")
    r = await client.post(CARD, headers={**h, "host": "localhost:8000", "x-forwarded-proto": "javascript"},
                          json=body)
    assert r.json()["checkout_url"].startswith("http://localhost:8000/_sim/ui/pay/clicpay/checkout/")
    public = make(public_url="https://sim.example.com")
    async with await client_for(public) as c:
        r = await c.post(CARD, headers={**account_headers(public, "clicpay"), "host": "localhost:8000"}, json=body)
        assert r.json()["checkout_url"].startswith("https://sim.example.com/_sim/ui/pay/clicpay/checkout/")


# --- cross-site writes -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{"origin": "http://evil.example"}, {"origin": "null"},
                                     {"origin": "http://sim.test:8080"}, {"sec-fetch-site": "cross-site"},
                                     {"origin": "http://evil.example", "content-type": "text/plain"}])
async def test_cross_site_writes_are_refused(client, headers):
    before = (await client.get("/_sim/clock")).json()
    r = await client.post("/_sim/clock/advance", content=b'{"seconds": 60}', headers=headers)
    assert r.status_code == 403 and "error" in r.json()
    text = "name: planted\nprovider: clicpay\nrules:\n  - respond: {status: 500, body: {}}\n"
    assert (await client.post("/_sim/scenarios", content=text.encode(), headers=headers)).status_code == 403
    assert (await client.get("/_sim/clock")).json() == before
    assert "planted" not in (await client.get("/_sim/scenarios")).text


async def test_same_origin_and_non_browser_writes_go_through(client):
    for headers in ({}, {"origin": "http://sim.test"}, {"origin": "http://sim.test", "sec-fetch-site": "same-origin"}):
        assert (await client.post("/_sim/clock/advance", json={"seconds": 1}, headers=headers)).status_code == 200


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x"])
async def test_bodies_that_need_no_preflight_are_refused(client, ctype):
    """What a page can send cross-site without a preflight; the Origin check aside, none of it is JSON here."""
    r = await client.post("/_sim/clock/advance", content=b'{"seconds": 60}', headers={"content-type": ctype})
    assert r.status_code == 415 and "application/json" in r.json()["error"]
    text = "name: planted\nprovider: clicpay\nrules:\n  - respond: {status: 500, body: {}}\n"
    assert (await client.post("/_sim/scenarios", content=text.encode(), headers={"content-type": ctype})
            ).status_code == 415


@pytest.mark.parametrize("ctype", ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                                   "application/json", None])
async def test_scenarios_take_yaml_and_json(client, ctype):
    text = '{"name": "ok-%s", "provider": "clicpay", "rules": [{"respond": {"status": 200, "body": {}}}]}' % (
        (ctype or "none").replace("/", "-"))
    headers = {"content-type": ctype} if ctype else {}
    assert (await client.post("/_sim/scenarios", content=text.encode(), headers=headers)).status_code == 201


# --- the control token -------------------------------------------------------------------------------------------

async def test_the_token_protects_the_control_api(guarded):
    _, c = guarded
    r = await c.get("/_sim/providers")
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert (await c.get("/_sim/providers", headers={"authorization": "Bearer wrong"})).status_code == 401
    assert (await c.get("/_sim/providers", headers={"authorization": "Bearer s3cret"})).status_code == 200
    assert (await c.post("/_sim/reset")).status_code == 401
    assert (await c.get("/_sim/health")).status_code == 200  # health checks need no token


async def test_the_dashboard_asks_once_and_keeps_a_cookie(guarded):
    _, c = guarded
    r = await c.get("/_sim/ui/transactions", headers={"accept": "text/html"})
    assert r.status_code == 401 and 'name="token"' in r.text and r.headers["x-frame-options"] == "DENY"
    r = await c.post("/_sim/ui/login", data={"token": "nope", "next": "/_sim/ui/transactions"})
    assert r.status_code == 401 and "set-cookie" not in r.headers
    r = await c.post("/_sim/ui/login", data={"token": "s3cret", "next": "/_sim/ui/transactions"})
    assert r.status_code == 303 and r.headers["location"] == "/_sim/ui/transactions"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "s3cret" not in cookie
    assert (await c.get("/_sim/ui/transactions")).status_code == 200  # the client keeps the cookie
    assert (await c.get("/_sim/providers")).status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"])
async def test_the_login_goes_back_only_to_the_dashboard(guarded, target):
    _, c = guarded
    r = await c.post("/_sim/ui/login", data={"token": "s3cret", "next": target})
    assert r.headers["location"] == "/_sim/ui"


async def test_payer_pages_need_no_token(guarded):
    app, c = guarded
    tx = (await c.post(CARD, headers=account_headers(app, "clicpay"),
                       json={"amount": 100, "reference_description": "abc"})).json()
    r = await c.get(f"/_sim/ui/pay/clicpay/checkout/{tx['session_id']}")
    assert r.status_code == 200 and "content-security-policy" in r.headers


def test_the_token_comes_from_the_flag_or_the_environment(monkeypatch):
    monkeypatch.setenv(security.TOKEN_ENV, "from-env")
    s = cli.settings_from_args(cli.parser().parse_args(["serve"]))
    assert s.control_token == "from-env"
    s = cli.settings_from_args(cli.parser().parse_args(["serve", "--control-token", "flag"]))
    assert s.control_token == "flag"
    assert cli.settings_from_env.__name__  # the multi-worker path carries it in PROVIDER_SIM_SETTINGS
    monkeypatch.setenv("PROVIDER_SIM_SETTINGS", cli.settings_to_env(s))
    assert cli.settings_from_env().control_token == "flag"


def test_serving_beyond_loopback_without_a_token_warns():
    assert security.startup_warnings(Settings(host="0.0.0.0"))
    assert not security.startup_warnings(Settings(host="0.0.0.0", control_token="t"))
    assert not security.startup_warnings(Settings(host="127.0.0.1"))


def test_limits_are_flags_and_reach_the_workers(monkeypatch):
    a = cli.parser().parse_args(["serve", "--max-body-bytes", "2048", "--clock-horizon-seconds", "60",
                                 "--allowed-host", "sim.example", "--webhook-allow", "*.internal"])
    s = cli.settings_from_args(a)
    assert (s.limits.max_body_bytes, s.limits.clock_horizon_seconds) == (2048, 60.0)
    monkeypatch.setenv("PROVIDER_SIM_SETTINGS", cli.settings_to_env(s))
    again = cli.settings_from_env()
    assert again.limits == s.limits and again.allowed_hosts == ["sim.example"] and again.webhook_allow == ["*.internal"]
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["serve", "--max-body-bytes", "NaN"])


# --- headers of /_sim/ answers ------------------------------------------------------------------------------------

async def test_dashboard_pages_cannot_be_framed(client):
    r = await client.get("/_sim/ui")
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert (await client.get("/_sim/health")).headers["x-content-type-options"] == "nosniff"


# --- client URLs shown to the payer ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example",
                                 " javascript:alert(1)", "vbscript:x"])
async def test_urls_the_payer_is_sent_to_are_http_only(client, app, url):
    r = await client.post(CARD, headers=account_headers(app, "clicpay"),
                          json={"amount": 100, "reference_description": "abc", "callback_url": url})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["callback_url"]
    r = await client.post("/ideagateway/debitCard", headers=account_headers(app, "ideagateway"), json={
        "amount": 1000, "returnUrl": url, "card": {"number": "4111111111111111"}})
    assert r.status_code == 400 and r.status_code < 500


async def test_no_page_links_another_scheme(client, app):
    """Even a URL stored before validation (or by a scenario) is never rendered as a link."""
    h = account_headers(app, "clicpay")
    tx = (await client.post(CARD, headers=h, json={"amount": 100, "reference_description": "abc",
                                                   "callback_url": "https://shop.example/back"})).json()
    await client.post(f"/_sim/clicpay/transactions/{tx['clicpay_reference']}/failed")
    page = (await client.get(f"/_sim/ui/pay/clicpay/checkout/{tx['session_id']}")).text
    assert 'href="https://shop.example/back"' in page
    runtime = app.sim.providers["clicpay"]
    kind, key = runtime.hooks.find(runtime.env, tx["clicpay_reference"])
    record = app.sim.store.get("clicpay", kind, key)
    record["callback_url"] = "javascript:alert(1)"
    app.sim.store.put("clicpay", kind, key, record)
    page = (await client.get(f"/_sim/ui/pay/clicpay/checkout/{tx['session_id']}")).text
    assert "javascript:" not in page


def test_safe_url():
    from simulator.ui.render import safe_url
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert safe_url("/_sim/ui") == "/_sim/ui"
    for bad in ("javascript:alert(1)", "//evil", "/\\evil", "data:,x", None, 5, "ftp://x", "http:\\\\evil"):
        assert safe_url(bad) == ""


# --- webhook targets -----------------------------------------------------------------------------------------------

def test_webhook_allow_patterns():
    allow = ["*.internal", "receiver:9000", "http://10.0.0.5:*/hooks/*"]
    assert security.webhook_allowed("https://anything.example/x", [])
    assert security.webhook_allowed("http://a.internal/x", allow)
    assert security.webhook_allowed("http://receiver:9000/x", allow)
    assert security.webhook_allowed("http://10.0.0.5:81/hooks/a", allow)
    assert not security.webhook_allowed("http://10.0.0.5:81/other", allow)
    assert not security.webhook_allowed("http://receiver:9001/x", allow)
    assert not security.webhook_allowed("http://169.254.169.254/latest", allow)


async def test_webhooks_go_only_where_allowed():
    app = make(webhook_allow=["receiver.internal"])
    async with await client_for(app) as c:
        h = account_headers(app, "clicpay")
        ep = (await c.post("/clicpay/api/v2/webhooks", headers=h,
                           json={"url": "https://metadata.example/hook"})).json()
        ident = ep.get("id") or ep.get("data", {}).get("id")
        await c.post(f"/clicpay/api/v2/webhooks/{ident}/test", headers=h)
        [delivery] = (await c.get("/_sim/webhooks")).json()["deliveries"]
        assert delivery["status"] is None and "--webhook-allow" in delivery["error"]
