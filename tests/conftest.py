"""Shared fixtures: an in-process simulator on a manual clock, talked to over HTTP (httpx ASGITransport)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from shared import START, account_headers  # noqa: F401  (re-exported for the suites)
from simulator.settings import Settings



def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sim-store", default="memory", choices=["memory", "sqlite"],
                     help="run every simulator the tests build on this store (sqlite: a fresh file each)")


@pytest.fixture(autouse=True)
def _sim_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With --sim-store sqlite, the same behaviour is checked on the persistent store (CI runs both)."""
    if request.config.getoption("--sim-store") != "sqlite":
        return
    import itertools

    import simulator.sim as sim_module
    real = sim_module.make_store
    counter = itertools.count()

    def make_store(spec: str) -> Any:
        return real(f"sqlite:{tmp_path / f'store-{next(counter)}.sqlite'}" if spec == "memory" else spec)

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
