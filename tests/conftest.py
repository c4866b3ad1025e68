"""Shared fixtures: an in-process simulator on a manual clock, talked to over HTTP (httpx ASGITransport)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings

START = 1_767_225_600  # 2026-01-01T00:00:00Z


@pytest.fixture
def app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0))


@pytest.fixture
async def client(app: SimulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        yield c


def account_headers(app: SimulatorApp, provider: str, index: int = 0) -> dict[str, str]:
    return dict(app.sim.providers[provider].accounts[index].headers)


def jbody(response: httpx.Response) -> Any:
    return response.json()
