"""The built-in Idea Gateway scenarios load and do what their descriptions say (over HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ig_support import IG, account_body, card_body, ig, ig_app  # noqa: F401

FOLDER = Path(__file__).resolve().parents[3] / "scenarios" / "ideagateway"
FILES = sorted(FOLDER.glob("*.yaml"))


def _loader_ready(ig: IG) -> bool:
    """Whether the scenario engine (another helper's work) can load files yet."""
    return hasattr(ig.app.sim.scenarios, "library_errors")


def test_there_are_enough_built_in_scenarios() -> None:
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
async def test_scenario_file_loads(ig: IG, path: Path) -> None:
    if not _loader_ready(ig):
        pytest.skip("scenario loading (simulator/scenarios) is not implemented yet")
    loaded = ig.app.sim.scenarios.load_text(path.read_text(encoding="utf-8"))
    assert loaded["provider"] == "ideagateway" and loaded["name"].startswith("ideagateway-")
    errors = [e for e in ig.app.sim.scenarios.library_errors if "ideagateway" in e]
    assert errors == []


async def _with(ig: IG, name: str, method: str, path: str, body: object) -> dict[str, object]:
    r = await ig.http.request(method, "/ideagateway" + path, json=body,
                              headers={**ig.headers(), "X-Sim-Scenario": name})
    return {"status": r.status_code, "body": r.json()}


async def test_pix_paid_after_30s(ig: IG) -> None:
    if not _loader_ready(ig):
        pytest.skip("scenario engine not implemented yet")
    r = await _with(ig, "ideagateway-pix-paid-after-30s", "POST", "/pix", {"amount": 100})
    ident = r["body"]["id"]  # type: ignore[index]
    await ig.advance(30)
    assert (await ig.get(f"/pix/{ident}")).json()["status"] == "paid"


async def test_credit_card_declined(ig: IG) -> None:
    if not _loader_ready(ig):
        pytest.skip("scenario engine not implemented yet")
    r = await _with(ig, "ideagateway-credit-card-declined", "POST", "/creditCard", card_body())
    ident = r["body"]["id"]  # type: ignore[index]
    await ig.advance(0)
    card = (await ig.get(f"/creditCard/{ident}")).json()
    assert card["status"] == "declined" and card["metadata"]["returnCode"] == "05"


async def test_gateway_unavailable_then_recovers(ig: IG) -> None:
    if not _loader_ready(ig):
        pytest.skip("scenario engine not implemented yet")
    ig.app.sim.scenarios.load_text((FOLDER / "gateway-unavailable.yaml").read_text(encoding="utf-8"))
    statuses = [(await ig.post("/pix", {"amount": 100})).status_code for _ in range(3)]
    assert statuses == [503, 503, 201]


async def test_kyc_documents_rejected(ig: IG) -> None:
    if not _loader_ready(ig):
        pytest.skip("scenario engine not implemented yet")
    await _with(ig, "ideagateway-kyc-documents-rejected", "POST", "/account", account_body())
    await ig.advance(300)
    found = (await ig.get("/account", params={"q": "45576360044"})).json()
    assert found["status"] == "doc_pending" and {d["status"] for d in found["docs"]} == {"rejected"}
