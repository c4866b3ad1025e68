"""behaviour.yaml `versions:`: a second API a provider serves under a path prefix, with its own credentials and
its own answers for named errors (the engine's included: auth, unknown path, validation), and the headers of
each version listed in /_sim/providers."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest

from simulator.app import build_app
from simulator.behaviour.load import BehaviourError
from simulator.settings import Settings
from simulator.sim import Sim

OPENAPI = """\
openapi: 3.1.0
info: {title: DuoPay, version: "2"}
security: [{key: []}]
components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Key}, wallet: {type: http, scheme: basic}}
paths:
  /old/ping:
    post:
      operationId: old_ping
      responses: {"200": {description: pong}}
  /v2/ping:
    post:
      operationId: new_ping
      security: [{wallet: []}]
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [n], properties: {n: {type: integer}}}
      responses: {"200": {description: pong}}
"""

BEHAVIOUR = """\
provider: {key: duopay, name: DuoPay}
auth: {scheme: header, name: X-Key, credential: key}
accounts:
  - {id: shop, credentials: {key: {value: k1}, wallet: {value: "77"}, token: {value: t1}}}
errors:
  unauthenticated: {status: 401, body: {error: unauthorized}}
  validation: {status: 422, body: {error: invalid}}
  route_not_found: {status: 404, body: {error: "no {path}"}}
  not_implemented: {status: 501, body: {error: "{operation}"}}
versions:
  v2:
    prefix: /v2/
    auth: {scheme: basic, username: wallet, password: token}
    errors:
      unauthenticated: {status: 200, body: {ok: false, why: auth}}
      validation: {status: 200, body: {ok: false, why: fields}}
      route_not_found: {status: 404, body: {ok: false, why: "no {path}"}}
"""


def specs(tmp_path: Path, behaviour: str = BEHAVIOUR) -> Path:
    root = tmp_path / "specs"
    (root / "duopay").mkdir(parents=True)
    (root / "duopay" / "openapi.yaml").write_text(OPENAPI, encoding="utf-8")
    (root / "duopay" / "behaviour.yaml").write_text(behaviour, encoding="utf-8")
    return root


BASIC = {"Authorization": "Basic " + base64.b64encode(b"77:t1").decode()}


async def test_each_version_has_its_credentials_and_its_answers(tmp_path: Path) -> None:
    app = build_app(Settings(clock="manual", spec_dirs=[specs(tmp_path)], providers=["duopay"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        async def call(path: str, headers: dict[str, str], **kw: object) -> tuple[int, object]:
            r = await client.post(f"/duopay{path}", headers=headers, **kw)  # type: ignore[arg-type]
            return r.status_code, r.json()

        assert await call("/old/ping", {"X-Key": "k1"}) == (501, {"error": "old_ping"})
        assert await call("/old/ping", BASIC) == (401, {"error": "unauthorized"})
        assert await call("/v2/ping", {"X-Key": "k1"}) == (200, {"ok": False, "why": "auth"})
        assert await call("/v2/ping", BASIC, json={}) == (200, {"ok": False, "why": "fields"})
        assert await call("/v2/ping", BASIC, json={"n": 1}) == (501, {"error": "new_ping"})  # not redefined: the base
        assert await call("/v2/nothing", {}) == (404, {"ok": False, "why": "no v2/nothing"})
        assert await call("/v3/nothing", {}) == (404, {"error": "no v3/nothing"})
        listed = (await client.get("/_sim/providers")).json()["providers"][0]["accounts"][0]
    assert listed["headers"] == {"X-Key": "k1"}
    assert listed["versions"] == {"v2": {"prefix": "/v2/", "headers": BASIC}}


def test_an_unknown_key_in_a_version_names_the_line(tmp_path: Path) -> None:
    root = specs(tmp_path, BEHAVIOUR.replace("    prefix: /v2/", "    prefix: /v2/\n    json_style: php"))
    with pytest.raises(BehaviourError) as caught:
        Sim(Settings(clock="manual", spec_dirs=[root], providers=["duopay"]))
    assert caught.value.key == "versions.v2.json_style" and "unknown key" in caught.value.message
