"""Shared fixtures: an in-process simulator on a manual clock, talked to over HTTP (httpx ASGITransport)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from shared import START, account_headers  # noqa: F401  (re-exported for the suites)
from simulator.settings import Settings

_databases = itertools.count()  # a fresh PostgreSQL database per store opened


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sim-store", default="memory", choices=["memory", "sqlite", "postgresql"],
                     help="run every simulator the tests build on this store (sqlite: a fresh file each; "
                          "postgresql: a fresh database each on a throw-away server, tests/pgserver.py)")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a throw-away PostgreSQL server for this session (tests/pgserver.py)."""
    from pgserver import postgres_server
    with postgres_server() as url:
        yield url


@pytest.fixture(autouse=True)
def _sim_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With --sim-store sqlite or postgresql, the same behaviour is checked on a persistent store (CI runs all)."""
    option = request.config.getoption("--sim-store")
    if option == "memory":
        return
    import simulator.sim as sim_module
    real = sim_module.make_store
    counter = itertools.count()
    if option == "sqlite":
        def fresh() -> str:
            return f"sqlite:{tmp_path / f'store-{next(counter)}.sqlite'}"
    else:
        from pgserver import drop_database, fresh_database
        server = request.getfixturevalue("postgres_url")
        made: list[str] = []
        request.addfinalizer(lambda: [drop_database(server, name) for name in made])

        def fresh() -> str:
            made.append(f"t{next(_databases)}")
            return fresh_database(server, made[-1])

    def make_store(spec: str) -> Any:
        return real(fresh() if spec == "memory" else spec)

    monkeypatch.setattr(sim_module, "make_store", make_store)


@pytest.fixture
def app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0))


@pytest.fixture
async def client(app: SimulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        yield c


def jbody(response: httpx.Response) -> Any:
    return response.json()


ACMEPAY_OPENAPI = """\
openapi: 3.1.0
info: {title: AcmePay API, version: "1"}
security: [{key: []}]
components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Api-Key}}
paths:
  /v1/charges:
    post:
      operationId: create_charge
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [amount], properties: {amount: {type: integer, minimum: 1}}}
      responses: {"201": {description: created}}
  /v1/charges/{charge_id}:
    get:
      operationId: get_charge
      parameters: [{name: charge_id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: the charge}}
"""

ACMEPAY_BEHAVIOUR = """\
provider: {key: acmepay, name: AcmePay}
auth: {scheme: header, name: X-Api-Key, credential: api_key}
accounts:
  - {id: shop, name: The Shop, credentials: {api_key: {length: 32}}}
  - {id: other, name: Another Shop, credentials: {api_key: {length: 32}}}
errors:
  unauthenticated: {status: 401, body: {error: unauthorized}}
  validation: {status: 422, body: {error: invalid, fields: $errors}}
  route_not_found: {status: 404, body: {error: not found}}
  not_implemented: {status: 501, body: {error: "{operation} is not implemented"}}
"""


@pytest.fixture
def acmepay_specs(tmp_path: Path) -> Path:
    """A user's spec folder with a sixth provider, `acmepay/` (no Python module): `--specs` takes it."""
    root = tmp_path / "my-specs"
    (root / "acmepay").mkdir(parents=True)
    (root / "acmepay" / "openapi.yaml").write_text(ACMEPAY_OPENAPI, encoding="utf-8")
    (root / "acmepay" / "behaviour.yaml").write_text(ACMEPAY_BEHAVIOUR, encoding="utf-8")
    return root
