"""The built-in SmartClick scenarios load (load_text) and do what their descriptions say."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartclick_fixtures import API, sc, sc_app  # noqa: F401 (fixtures)
from simulator.engine.errors import SimError

FILES = sorted((Path(__file__).resolve().parents[3] / "scenarios" / "smartclick").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_file_loads(sc_app, path):
    try:
        loaded = sc_app.sim.scenarios.load_text(path.read_text(encoding="utf-8"), source=str(path))
    except SimError as exc:
        if "not available" in exc.message:
            pytest.skip("the scenario engine cannot load files yet")
        raise
    assert loaded["name"].startswith("smartclick-") and loaded["provider"] == "smartclick"


def test_there_are_at_least_five_and_all_are_built_in(sc_app):
    assert len(FILES) >= 5
    names = {s["name"] for s in sc_app.sim.scenarios.describe()}
    assert {f"smartclick-{p.stem}" for p in FILES} <= names


async def _debt(sc, valor=80):
    await sc.post(f"{API}/carteiras/criar", json={"wal_title": "Loja"})
    return (await sc.post(f"{API}/dividas/criar", json={"pgm_carteira": 1, "pgm_valor": valor})).json()


async def test_boleto_paid_quickly_per_request(sc):
    await _debt(sc)
    await sc.get(f"{API}/pagamento/boleto/1", headers={"X-Sim-Scenario": "smartclick-boleto-paid-quickly"})
    await sc.post("/_sim/clock/advance", json={"seconds": 10})
    assert (await sc.get(f"{API}/dividas/1")).json()["pgm_status"] == "pago"


async def test_saque_refused_per_request(sc):
    await _debt(sc)
    await sc.post(f"{API}/saques/criar", json={"saq_carteira": 1, "saq_valor": 50})
    r = await sc.get(f"{API}/saques/sacar/1", headers={"X-Sim-Scenario": "smartclick-saque-refused"})
    assert r.json()["saq_status"] == "processando"
    await sc.post("/_sim/clock/advance", json={"seconds": 5})
    assert (await sc.get(f"{API}/saques/1")).json()["saq_status"] == "recusado"


async def test_real_server_failures(sc):
    await _debt(sc)
    r = await sc.get(f"{API}/pagamento/boleto/1", headers={"X-Sim-Scenario": "smartclick-real-server-failures"})
    assert (r.status_code, r.json()) == (500, {"message": "Server Error"})
    assert (await sc.get(f"{API}/dividas/1")).json()["pgm_boleto_digitavel"] is None
