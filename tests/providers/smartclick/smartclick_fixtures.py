"""SmartClick fixtures: the simulator with only SmartClick loaded, on a manual clock, over httpx.ASGITransport."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from shared import START

TOKEN = hashlib.sha1(b"smart").hexdigest()
AUTH = {"Authorization": TOKEN}
API = "/smartclick/api/v1"


@pytest.fixture
def sc_app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["smartclick"]))


@pytest.fixture
async def sc(sc_app: SimulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends SmartClick's Authorization header."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sc_app), base_url="http://sim.test",
                                 headers=AUTH) as c:
        yield c
