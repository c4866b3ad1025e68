"""SmartClick built-in scenario smartclick-boleto-expires, applied per request with X-Sim-Scenario."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from shared import START, advance

API = "/smartclick/api/v1"
EXPIRES = {"X-Sim-Scenario": "smartclick-boleto-expires"}


@pytest.fixture
async def sc() -> AsyncIterator[httpx.AsyncClient]:
    app: SimulatorApp = build_app(Settings(clock="manual", start_time=START, seed=0, providers=["smartclick"]))
    auth = {"Authorization": hashlib.sha1(b"smart").hexdigest()}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test",
                                 headers=auth) as c:
        yield c


async def divida(sc: httpx.AsyncClient, valor: Any) -> int:
    wallet = (await sc.post(f"{API}/carteiras/criar", json={"wal_title": "Loja"})).json()["wal_id"]
    r = await sc.post(f"{API}/dividas/criar", json={"pgm_carteira": wallet, "pgm_valor": valor})
    assert r.status_code in (200, 201), r.text
    return int(r.json()["pgm_id"])


async def state(sc: httpx.AsyncClient, pgm_id: int) -> tuple[str, str]:
    """(divida pgm_status, boleto status); reading the boleto again without the header changes nothing."""
    debt = (await sc.get(f"{API}/dividas/{pgm_id}")).json()["pgm_status"]
    slip = (await sc.get(f"{API}/pagamento/boleto/{pgm_id}")).json()["boleto"]["status"]
    return debt, slip


@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_boleto_falls_due_after_60_s_with_its_divida(sc, method):
    scripted = await divida(sc, 80)
    plain = await divida(sc, 80)
    r = await sc.request(method, f"{API}/pagamento/boleto/{scripted}", headers=EXPIRES)
    assert r.status_code == 200
    assert (await sc.get(f"{API}/pagamento/boleto/{plain}")).json()["boleto"]["status"] == "pendente"
    await advance(sc, 59)
    assert await state(sc, scripted) == ("pendente", "pendente")
    await advance(sc, 1)
    assert await state(sc, scripted) == ("vencido", "vencido")
    assert await state(sc, plain) == ("pendente", "pendente")   # without the header: due in three days


async def test_the_scenario_beats_the_paid_magic_amount(sc):
    """1.11 is paid after 30 s normally; with the scenario that boleto is never paid and falls due instead."""
    scripted = await divida(sc, 1.11)
    plain = await divida(sc, 1.11)
    await sc.get(f"{API}/pagamento/boleto/{scripted}", headers=EXPIRES)
    await sc.get(f"{API}/pagamento/boleto/{plain}")
    await advance(sc, 30)
    assert await state(sc, scripted) == ("pendente", "pendente")
    assert await state(sc, plain) == ("pago", "pago")
    await advance(sc, 30)
    assert await state(sc, scripted) == ("vencido", "vencido")
