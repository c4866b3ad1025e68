"""Network faults on a real uvicorn server: reset, empty reply and timeout close without any answer."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from scenario_servers import raw_exchange, serve

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings

PAY = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Compra online"}
FAULTS = """
name: faults
provider: clicpay
rules:
  - match: {operation: get_user, headers: {x-fault: reset}}
    fault: connection_reset
  - match: {operation: get_user, headers: {x-fault: empty}}
    fault: empty_reply
  - match: {operation: get_user, headers: {x-fault: hold}}
    fault: timeout
    timeout_seconds: 0.5
"""


@pytest.fixture(scope="module", params=["httptools", "h11"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[SimulatorApp, str]]:
    app = build_app(Settings(clock="manual", seed=0))
    with serve(app, http=request.param) as url:
        yield app, url


@pytest.fixture
def live(served: tuple[SimulatorApp, str]) -> tuple[SimulatorApp, str, dict[str, str]]:
    app, url = served
    with httpx.Client(base_url=url) as c:
        c.post("/_sim/reset")
        assert c.post("/_sim/scenarios", content=FAULTS.encode()).status_code == 201
    return app, url, dict(app.sim.providers["clicpay"].accounts[0].headers)


def raw_get(url: str, headers: dict[str, str], fault: str) -> bytes:
    lines = [f"GET /clicpay/api/user HTTP/1.1", "Host: 127.0.0.1", f"X-Fault: {fault}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_connection_reset_sends_a_tcp_reset_and_no_bytes(live):
    app, url, h = live
    data, ending = raw_exchange(url, raw_get(url, h, "reset"))
    assert (data, ending) == (b"", "reset")
    with httpx.Client(base_url=url, headers=h) as c:
        with pytest.raises(httpx.TransportError):
            c.get("/clicpay/api/user", headers={"X-Fault": "reset"})
        assert c.get("/clicpay/api/user").status_code == 200  # the server goes on serving


def test_empty_reply_closes_without_a_byte(live):
    app, url, h = live
    assert raw_exchange(url, raw_get(url, h, "empty")) == (b"", "eof")
    with httpx.Client(base_url=url, headers=h) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/clicpay/api/user", headers={"X-Fault": "empty"})


def test_timeout_holds_until_the_client_gives_up(live):
    app, url, h = live
    with httpx.Client(base_url=url, headers=h, timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.get("/clicpay/api/user", headers={"X-Fault": "hold"})


def test_timeout_closes_without_an_answer_after_its_bound(live):
    app, url, h = live
    assert raw_exchange(url, raw_get(url, h, "hold"), timeout=10) == (b"", "eof")
    with httpx.Client(base_url=url) as c:
        entries = c.get("/_sim/requests", params={"provider": "clicpay"}).json()["requests"]
    assert entries[-1]["status"] == 0 and entries[-1]["scenario"] == "faults"


def test_built_in_connection_reset_once_then_the_retry_succeeds(live):
    app, url, h = live
    with httpx.Client(base_url=url, headers=h) as c:
        with pytest.raises(httpx.TransportError):
            c.post(PAY, json=BODY, headers={"X-Sim-Scenario": "clicpay-connection-reset-once"})
        r = c.post(PAY, json=BODY, headers={"X-Sim-Scenario": "clicpay-connection-reset-once"})
        assert r.status_code == 200
        ops = [e["operation"] for e in c.get("/_sim/requests").json()["requests"] if e["status"] == 200]
    assert ops.count("c2b_mpesa") == 1  # the reset request created nothing


def test_built_in_gateway_timeout_holds_payment_requests(live):
    app, url, h = live
    with httpx.Client(base_url=url, headers=h, timeout=0.3) as c:
        with pytest.raises(httpx.ReadTimeout):
            c.post(PAY, json=BODY, headers={"X-Sim-Scenario": "clicpay-gateway-timeout"})
        assert c.get("/clicpay/api/user", headers={"X-Sim-Scenario": "clicpay-gateway-timeout"}).status_code == 200


async def test_in_process_faults_raise_the_errors_an_httpx_client_would(app, client):
    h = dict(app.sim.providers["clicpay"].accounts[0].headers)
    await client.post("/_sim/scenarios", content=FAULTS.encode())
    with pytest.raises(httpx.ReadError):
        await client.get("/clicpay/api/user", headers={**h, "X-Fault": "reset"})
    with pytest.raises(httpx.RemoteProtocolError):
        await client.get("/clicpay/api/user", headers={**h, "X-Fault": "empty"})
    with pytest.raises(httpx.ReadTimeout):
        await client.get("/clicpay/api/user", headers={**h, "X-Fault": "hold"})
    assert json.loads((await client.get("/clicpay/api/user", headers=h)).text)["id"]
