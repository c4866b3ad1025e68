"""Idea Gateway auth, routing and error shapes over HTTP."""

from __future__ import annotations

import pytest

from ig_support import IG, basic, ig, ig_app  # noqa: F401

SECURED = [("GET", "/pix/x"), ("POST", "/pix"), ("GET", "/account?q=1"), ("POST", "/transfer"),
           ("POST", "/bankslip"), ("GET", "/bankslip/x/download"), ("GET", "/creditCard?customCode=x"),
           ("POST", "/debitCard"), ("GET", "/transaction/x"), ("POST", "/billPayment"),
           ("PUT", "/account/1/document/2"), ("POST", "/pix/cancel")]


@pytest.mark.parametrize(("method", "path"), SECURED)
async def test_every_operation_needs_the_api_key(ig: IG, method: str, path: str) -> None:
    r = await ig.http.request(method, "/ideagateway" + path, json={})
    assert r.status_code == 401 and r.json() == {"message": "Não autorizado."}


async def test_basic_scheme_with_empty_username(ig: IG) -> None:
    key = ig.app.sim.providers["ideagateway"].accounts[0].credentials["api_key"]
    ok = await ig.http.get("/ideagateway/pix", headers=basic(key))
    assert ok.status_code == 200
    for headers in (basic(key, user="someone"), basic("wrong"), {"Authorization": f"Bearer {key}"},
                    {"Authorization": "Basic !!notbase64"}, {"Authorization": key}):
        r = await ig.http.get("/ideagateway/pix", headers=headers)
        assert r.status_code == 401 and r.json() == {"message": "Não autorizado."}


async def test_two_accounts_are_isolated(ig: IG) -> None:
    assert ig.headers(0) != ig.headers(1)
    created = (await ig.post("/pix", {"amount": 100, "customCode": "mine"}, index=1)).json()
    assert (await ig.get("/pix", params={"customCode": "mine"})).json() == []
    assert (await ig.get(f"/transaction/{created['id']}")).status_code == 404
    assert (await ig.get(f"/transaction/{created['id']}", index=1)).status_code == 200


async def test_repeated_slashes_are_tolerated(ig: IG) -> None:
    r = await ig.http.post("/ideagateway//pix", headers=ig.headers(), json={"amount": 100})
    assert r.status_code == 201
    assert (await ig.http.get(f"/ideagateway//pix//{r.json()['id']}", headers=ig.headers())).status_code == 200


async def test_unknown_route_answers_like_express(ig: IG) -> None:
    r = await ig.get("/v1/pix")
    assert r.status_code == 404 and r.json() == {"message": "Cannot GET /v1/pix"}
    r = await ig.call("DELETE", "/pix")
    assert r.status_code == 404 and r.json() == {"message": "Cannot DELETE /pix"}


async def test_sandbox_route_needs_no_auth_but_a_valid_body(ig: IG) -> None:
    r = await ig.http.post("/ideagateway/webhook/idea/gateway", json={"event": {"type": "boleto", "data": {}}})
    assert r.status_code == 400 and r.json() == {"message": "Evento inválido."}
    r = await ig.http.post("/ideagateway/webhook/idea/gateway", json={})
    assert r.status_code == 400 and r.json() == {"message": "O campo event é obrigatório."}
    r = await ig.http.post("/ideagateway/webhook/idea/gateway", json={"event": {"type": "pix", "data": {}}})
    assert r.status_code == 400


async def test_providers_listing_shows_credentials_and_balance(ig: IG) -> None:
    entry = next(p for p in (await ig.http.get("/_sim/providers")).json()["providers"] if p["key"] == "ideagateway")
    assert len(entry["accounts"]) >= 2
    assert len(entry["operations"]) == 30
    first = entry["accounts"][0]
    assert first["headers"] == basic(first["credentials"]["api_key"])
    assert first["balance"] > 0
