"""`--scenarios DIR`: the user's scenario libraries beside the built-in one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from simulator.app import build_app
from simulator.scenarios.engine import ScenarioFolderError
from simulator.scenarios.loader import ScenarioLoadError
from simulator.settings import Settings
from simulator.sim import Sim

REJECTS = """\
name: {name}
provider: clicpay
description: {description}
rules:
  - match: {{operation: c2b_mpesa}}
    respond: {{status: 400, body: {{errors: {{msisdn: ["Número de telefone inválido"]}}}}}}
"""
C2B = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 1"}


def library(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


async def test_a_library_is_listed_inactive_and_applies_when_named(tmp_path: Path) -> None:
    lib = library(tmp_path / "lib", {
        "clicpay/rejects.yaml": REJECTS.format(name="shop-rejects", description="in a provider folder"),
        "loose.yaml": REJECTS.format(name="shop-loose", description="at the top of the library")})
    app = build_app(Settings(clock="manual", scenario_dirs=[lib]))
    headers = dict(app.sim.providers["clicpay"].accounts[0].headers)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        listed = {s["name"]: s for s in (await c.get("/_sim/scenarios")).json()["scenarios"]}
        assert {n: listed[n]["active"] for n in ("shop-rejects", "shop-loose")} == {
            "shop-rejects": False, "shop-loose": False}
        assert listed["shop-rejects"]["source"] == str(lib / "clicpay" / "rejects.yaml")
        assert "clicpay-customer-rejects" in listed  # the built-in library is still there
        assert (await c.post(C2B, json=BODY, headers=headers)).status_code == 200
        named = await c.post(C2B, json=BODY, headers={**headers, "X-Sim-Scenario": "shop-rejects"})
        assert named.status_code == 400
        await c.post("/_sim/scenarios/shop-loose/activate")
        await c.post("/_sim/reset")  # a library survives reset, inactive again
        listed = {s["name"]: s for s in (await c.get("/_sim/scenarios")).json()["scenarios"]}
        assert listed["shop-loose"]["active"] is False


def test_a_library_scenario_replaces_a_built_in_one_of_the_same_name(tmp_path: Path) -> None:
    lib = library(tmp_path / "lib", {"clicpay/mine.yaml": REJECTS.format(
        name="clicpay-customer-rejects", description="our own version")})
    sim = Sim(Settings(clock="manual", scenario_dirs=[lib]))
    entry = {s["name"]: s for s in sim.scenarios.describe()}["clicpay-customer-rejects"]
    assert (entry["description"], entry["source"]) == ("our own version", str(lib / "clicpay" / "mine.yaml"))


@pytest.mark.parametrize("files, error, words", [
    ({"clicpay/bad.yaml": REJECTS.format(name="x", description="d").replace("match:", "mach:")},
     ScenarioLoadError, ["bad.yaml", "line 5", "mach"]),
    ({"webpag/wrong.yaml": REJECTS.format(name="x", description="d")},
     ScenarioLoadError, ["wrong.yaml", "must be for 'webpag'"]),
    ({"clickpay/typo.yaml": REJECTS.format(name="x", description="d")},
     ScenarioFolderError, ["clickpay", "no provider 'clickpay'", "clicpay"]),
    ({"a.yaml": REJECTS.format(name="twice", description="d"), "b.yaml": REJECTS.format(name="twice", description="d")},
     ScenarioLoadError, ["b.yaml", "'twice' is already defined in", "a.yaml"]),
])
def test_a_bad_library_stops_loading_with_one_line(tmp_path: Path, files: dict[str, str], error: type,
                                                   words: list[str]) -> None:
    lib = library(tmp_path / "lib", files)
    sim = Sim(Settings(clock="manual", scenario_dirs=[lib]))
    with pytest.raises(error) as info:
        sim.scenarios.describe()
    assert "\n" not in str(info.value)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_a_library_for_a_users_provider(tmp_path: Path, acmepay_specs: Path) -> None:
    lib = library(tmp_path / "lib", {"acmepay/slow.yaml": (
        "name: acmepay-slow\nprovider: acmepay\ndescription: slow\n"
        "rules:\n  - match: {operation: create_charge}\n    latency_ms: 10\n")})
    sim = Sim(Settings(clock="manual", spec_dirs=[acmepay_specs], scenario_dirs=[lib]))
    assert {s["name"]: s["provider"] for s in sim.scenarios.describe()}["acmepay-slow"] == "acmepay"
