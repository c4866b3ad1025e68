"""Journal warnings: rules the provider's documents do not state. A named check in the spec's `x-rules` warns (the
request is served) or rejects, as behaviour.yaml `validation.checks` says; provider code warns with `ctx.warn`.
Warnings sit beside `violations` in every journal entry and never make a request a violation."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from simulator.spec.loader import SpecError

OPENAPI = """\
openapi: 3.1.0
info: {title: WarnPay, version: "1"}
security: [{key: []}]
components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Api-Key}}
paths:
  /items:
    post:
      operationId: create_item
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                  x-rules:
                    - {min: 2}
                    - {min: 4, check: long_names}     # the simulator's guess, not the provider's word
                    - {max: 8, check: short_names}
                  x-messages: {default: bad name}
      responses: {"201": {description: created}, "422": {description: refused}}
"""

BEHAVIOUR = """\
provider: {key: warnpay, name: WarnPay}
module: warnpay_hooks
auth: {scheme: header, name: X-Api-Key, credential: api_key}
accounts:
  - {id: shop, name: The Shop, credentials: {api_key: {value: secret}}}
errors:
  unauthenticated: {status: 401, body: {error: unauthorized}}
  validation: {status: 422, body: {errors: $errors}}
validation:
  checks: {long_names: %s}
"""

HOOKS = """\
from simulator.engine.context import Ctx, Reply
from simulator.engine.provider import ProviderHooks


def create_item(ctx: Ctx) -> Reply:
    if ctx.data["name"] == "legacy":
        ctx.warn("name: 'legacy' is a name the provider's documents do not mention")
    return Reply(201, {"name": ctx.data["name"]})


HOOKS = ProviderHooks(handlers={"create_item": create_item})
"""


def _specs(tmp_path: Path, long_names: str = "warn", checks: str | None = None) -> Path:
    folder = tmp_path / "specs" / "warnpay"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(OPENAPI, encoding="utf-8")
    behaviour = BEHAVIOUR % long_names
    if checks is not None:
        behaviour = behaviour.replace("checks: {long_names: warn}", f"checks: {checks}")
    (folder / "behaviour.yaml").write_text(behaviour, encoding="utf-8")
    (folder / "warnpay_hooks.py").write_text(HOOKS, encoding="utf-8")
    return folder.parent


def _app(specs: Path) -> SimulatorApp:
    return build_app(Settings(clock="manual", seed=0, spec_dirs=[specs], providers=["warnpay"]))


async def _post(app: SimulatorApp, name: str) -> tuple[httpx.Response, dict[str, object]]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        r = await client.post("/warnpay/items", headers={"X-Api-Key": "secret"}, json={"name": name})
        entry = (await client.get("/_sim/requests", params={"limit": 1})).json()["requests"][0]
    return r, entry


async def test_a_failing_check_that_warns_serves_the_request_and_journals_a_warning(tmp_path: Path) -> None:
    app = _app(_specs(tmp_path))
    r, entry = await _post(app, "abc")
    assert r.status_code == 201
    assert entry["violations"] == []
    assert entry["warnings"] == [
        "name: 'abc' fails the check long_names (min: 4), a rule the provider's documents do not state: accepted"]
    r, entry = await _post(app, "abcd")
    assert r.status_code == 201 and entry["warnings"] == []


async def test_a_check_without_a_setting_warns(tmp_path: Path) -> None:
    """`short_names` is not in validation.checks: warn is the default."""
    r, entry = await _post(_app(_specs(tmp_path)), "abcdefghij")
    assert r.status_code == 201
    assert [w.split(" fails the check ")[1].split(" ")[0] for w in entry["warnings"]] == ["short_names"]


async def test_a_check_set_to_reject_is_a_field_error(tmp_path: Path) -> None:
    r, entry = await _post(_app(_specs(tmp_path, "reject")), "abc")
    assert (r.status_code, r.json()) == (422, {"errors": {"name": ["bad name"]}})
    assert entry["violations"] == ["schema: name: bad name"] and entry["warnings"] == []


async def test_stated_rules_still_refuse(tmp_path: Path) -> None:
    r, entry = await _post(_app(_specs(tmp_path)), "a")
    assert r.status_code == 422 and entry["warnings"] == []


async def test_provider_code_warns_through_ctx_warn(tmp_path: Path) -> None:
    r, entry = await _post(_app(_specs(tmp_path)), "legacy")
    assert r.status_code == 201 and entry["violations"] == []
    assert entry["warnings"] == ["name: 'legacy' is a name the provider's documents do not mention"]


@pytest.mark.parametrize("checks,message", [
    ("{lon_names: warn}", "validation.checks names ['lon_names'], which no x-rules rule of the spec uses"),
    ("{long_names: maybe}", "validation.checks.long_names"),
])
def test_a_bad_checks_setting_stops_start_up(tmp_path: Path, checks: str, message: str) -> None:
    with pytest.raises(SpecError, match="behaviour") as info:
        _app(_specs(tmp_path, checks=checks))
    assert message in str(info.value)
