"""Host routing: with --tls, a request for a provider's real host name is served by that provider at the root."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from simulator.app import SimulatorApp, build_app, request_host
from simulator.settings import Settings

START = 1_767_225_600


def make_app(tls: bool) -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, tls=tls))


@pytest.fixture
def app() -> SimulatorApp:
    return make_app(tls=True)


@pytest.fixture
async def client(app: SimulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://api.widepay.com") as c:
        yield c


def widepay_auth(app: SimulatorApp) -> dict[str, str]:
    return dict(app.sim.providers["widepay"].accounts[0].headers)


def test_the_app_exposes_the_served_host_names(app: SimulatorApp) -> None:
    assert app.host_names["api.widepay.com"] == "widepay"
    assert app.host_names["widepay.com"] == "widepay"
    assert app.host_names["api.webpag.com.br"] == "webpag"
    assert make_app(tls=False).host_names == {}  # plain serving answers no real host name


@pytest.mark.parametrize("host", ["api.widepay.com", "widepay.com", "WWW.WidePay.com", "api.widepay.com:8443",
                                  "api.widepay.com."])
async def test_a_real_host_name_reaches_its_provider_at_the_root(app: SimulatorApp, client: httpx.AsyncClient,
                                                                 host: str) -> None:
    r = await client.post("/api/transacoes/consultar", headers={**widepay_auth(app), "Host": host})
    assert r.status_code == 200
    assert r.json()["success"] is True
    entry = (await client.get("/_sim/requests", params={"provider": "widepay"})).json()["requests"][-1]
    assert (entry["operation"], entry["path"]) == ("transacoes_consultar", "/api/transacoes/consultar")


async def test_the_real_host_has_no_simulator_prefix(app: SimulatorApp, client: httpx.AsyncClient) -> None:
    r = await client.post("/widepay/api/transacoes/consultar", headers=widepay_auth(app))
    assert r.json() == {"success": False, "error": "Método não encontrado: widepay/api/transacoes/consultar."}


async def test_each_host_name_answers_as_its_own_provider(app: SimulatorApp, client: httpx.AsyncClient) -> None:
    r = await client.get("/api/installments", headers={"Host": "api.webpag.com.br"})
    assert r.status_code == 401  # WebPag's own auth rule, not WidePay's
    assert (await client.get("/_sim/requests", params={"provider": "webpag"})).json()["requests"][-1]["path"] == \
        "/api/installments"


async def test_the_control_api_and_loopback_prefixes_are_unchanged(app: SimulatorApp,
                                                                   client: httpx.AsyncClient) -> None:
    assert (await client.get("/_sim/health")).json() == {"status": "ok"}
    r = await client.post("http://127.0.0.1:8000/widepay/api/transacoes/consultar", headers=widepay_auth(app))
    assert r.json()["success"] is True


async def test_without_tls_a_real_host_name_is_not_routed() -> None:
    app = make_app(tls=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.widepay.com") as c:
        r = await c.post("/api/transacoes/consultar", headers=widepay_auth(app))
    assert r.status_code == 400  # bound to loopback, another name is refused (simulator/security.py)
    assert "not served here" in r.json()["error"]
    app = build_app(Settings(clock="manual", start_time=START, seed=0, allowed_hosts=["api.widepay.com"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.widepay.com") as c:
        r = await c.post("/api/transacoes/consultar", headers=widepay_auth(app))
    assert r.status_code == 404  # an accepted name, but not a provider's host without --tls
    assert "no provider at this path" in r.json()["error"]


@pytest.mark.parametrize(("header", "name"), [(b"api.widepay.com", "api.widepay.com"),
                                              (b"API.widepay.com:443", "api.widepay.com"),
                                              (b"widepay.com.", "widepay.com"), (b"[::1]:8443", "::1"),
                                              (b"127.0.0.1:8000", "127.0.0.1")])
def test_request_host(header: bytes, name: str) -> None:
    assert request_host({"headers": [(b"accept", b"*/*"), (b"host", header)]}) == name
    assert request_host({"headers": []}) == ""
