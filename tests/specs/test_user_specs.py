"""`--specs DIR`: a user's provider folders beside the built-in ones, or replacing one of them."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from simulator.app import build_app
from simulator.settings import DEFAULT_SPECS, Settings
from simulator.sim import Sim
from simulator.spec.loader import SpecError, provider_folders


def app_with(*spec_dirs: Path) -> httpx.AsyncClient:
    app = build_app(Settings(clock="manual", spec_dirs=list(spec_dirs)))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test")


async def acmepay_headers(client: httpx.AsyncClient) -> dict[str, str]:
    listed = {p["key"]: p for p in (await client.get("/_sim/providers")).json()["providers"]}
    return dict(listed["acmepay"]["accounts"][0]["headers"])


async def test_a_sixth_provider_without_code_is_served_and_answers_not_implemented(acmepay_specs: Path) -> None:
    async with app_with(acmepay_specs) as c:
        listed = {p["key"]: p for p in (await c.get("/_sim/providers")).json()["providers"]}
        assert set(listed) == {"clicpay", "webpag", "widepay", "smartclick", "ideagateway", "acmepay"}
        assert [o["id"] for o in listed["acmepay"]["operations"]] == ["create_charge", "get_charge"]
        headers = listed["acmepay"]["accounts"][0]["headers"]
        assert list(headers) == ["X-Api-Key"]

        r = await c.post("/acmepay/v1/charges", json={"amount": 100}, headers=headers)
        assert (r.status_code, r.json()) == (501, {"error": "create_charge is not implemented"})
        assert (await c.post("/acmepay/v1/charges", json={"amount": 1})).status_code == 401  # its own auth
        bad = await c.post("/acmepay/v1/charges", json={"amount": 0}, headers=headers)  # its own validation
        assert bad.status_code == 422 and "amount" in bad.json()["fields"]
        [*_, entry] = (await c.get("/_sim/requests", params={"provider": "acmepay"})).json()["requests"]
        assert entry["operation"] == "create_charge"


async def test_a_module_named_in_behaviour_yaml_serves_the_operations(
        acmepay_specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "acme_hooks.py").write_text(textwrap.dedent('''
        from simulator.engine.context import Reply
        from simulator.engine.provider import ProviderHooks

        def create_charge(ctx):
            return Reply(201, {"id": "ch_1", "amount": ctx.body["amount"], "account": ctx.account_id})

        HOOKS = ProviderHooks(handlers={"create_charge": create_charge})
    '''))
    monkeypatch.syspath_prepend(str(code))
    request.addfinalizer(lambda: sys.modules.pop("acme_hooks", None))  # forgotten again after the test
    behaviour = acmepay_specs / "acmepay" / "behaviour.yaml"
    behaviour.write_text(behaviour.read_text() + "module: acme_hooks\n")
    async with app_with(acmepay_specs) as c:
        headers = await acmepay_headers(c)
        r = await c.post("/acmepay/v1/charges", json={"amount": 250}, headers=headers)
        assert (r.status_code, r.json()) == (201, {"id": "ch_1", "amount": 250, "account": "shop"})
        assert (await c.get("/acmepay/v1/charges/ch_1", headers=headers)).status_code == 501  # no handler


async def test_a_users_copy_replaces_the_built_in_folder_of_the_same_key(tmp_path: Path) -> None:
    mine = tmp_path / "specs"
    shutil.copytree(DEFAULT_SPECS / "clicpay", mine / "clicpay")
    behaviour = mine / "clicpay" / "behaviour.yaml"
    behaviour.write_text(behaviour.read_text().replace("name: ClicPay v2}", "name: ClicPay (our copy)}"))
    assert provider_folders([DEFAULT_SPECS, mine])["clicpay"] == mine / "clicpay"
    async with app_with(mine) as c:
        listed = {p["key"]: p for p in (await c.get("/_sim/providers")).json()["providers"]}
        assert listed["clicpay"]["name"] == "ClicPay (our copy)" and len(listed) == 5
        headers = listed["clicpay"]["accounts"][0]["headers"]
        r = await c.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=headers,
                         json={"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 1"})
        assert r.status_code == 200 and r.json()["status"] == "pending"  # the built-in code still serves it


@pytest.mark.parametrize("damage, words", [
    (lambda d: (d / "acmepay" / "behaviour.yaml").write_text("provider: {key: acmepay\nauth: [\n"),
     ["behaviour.yaml, line", "not valid YAML"]),
    (lambda d: (d / "acmepay" / "behaviour.yaml").write_text("provider: {key: acmebank}\n"),
     ["behaviour.yaml", "'acmebank'", "folder's name 'acmepay'"]),
    (lambda d: (d / "acmepay" / "behaviour.yaml").write_text("provider: {key: acmepay}\nmodule: no_such_hooks\n"),
     ["behaviour.yaml", "'no_such_hooks' cannot be imported"]),
    (lambda d: (d / "acmepay" / "openapi.yaml").unlink(), ["acmepay", "behaviour.yaml without openapi.yaml"]),
    (lambda d: (d / "acmepay" / "behaviour.yaml").write_text("provider: {key: acmepay}\n\naccounts: {shop: 1}\n"),
     ["behaviour.yaml, line 3, key 'accounts': must be a list, not dict"]),
    (lambda d: (d / "acmepay" / "behaviour.yaml").write_text(
        "provider: {key: acmepay}\naccounts:\n  - {id: shop}\n  - name: no id\n"),
     ["behaviour.yaml, line 4, key 'accounts[1]': an account is a mapping with an `id`"]),
    (lambda d: (d / "acmepay" / "behaviour.yaml").write_text(
        "provider: {key: acmepay}\nerrors:\n  unauthenticated: 401\n"),
     ["behaviour.yaml, line 3, key 'errors.unauthenticated': an error is a mapping"]),
    (lambda d: shutil.rmtree(d / "acmepay"), ["holds no provider folder"]),
])
def test_a_bad_folder_is_one_line_naming_the_file(acmepay_specs: Path, damage, words: list[str]) -> None:
    damage(acmepay_specs)
    with pytest.raises(SpecError) as info:
        Sim(Settings(clock="manual", spec_dirs=[acmepay_specs]))
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_a_missing_folder_or_a_provider_folder_given_directly_is_refused(acmepay_specs: Path) -> None:
    with pytest.raises(SpecError, match="no such folder"):
        provider_folders([DEFAULT_SPECS, acmepay_specs / "nope"])
    with pytest.raises(SpecError, match="give the folder above it"):
        provider_folders([DEFAULT_SPECS, acmepay_specs / "acmepay"])
