"""Shared fixtures and sample bodies for the Idea Gateway tests (imported by each test module)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from shared import START, advance

BASE = "/ideagateway"


class IG:
    """A client for one simulator: provider calls as account 0 by default, and control calls."""

    def __init__(self, app: SimulatorApp, client: httpx.AsyncClient) -> None:
        self.app = app
        self.http = client
        self.hooks: list[dict[str, Any]] = []

    def headers(self, index: int = 0) -> dict[str, str]:
        return dict(self.app.sim.providers["ideagateway"].accounts[index].headers)

    def account_id(self, index: int = 0) -> str:
        return self.app.sim.providers["ideagateway"].accounts[index].id

    async def call(self, method: str, path: str, index: int = 0, **kw: Any) -> httpx.Response:
        return await self.http.request(method, BASE + path, headers=self.headers(index), **kw)

    async def get(self, path: str, index: int = 0, **kw: Any) -> httpx.Response:
        return await self.call("GET", path, index, **kw)

    async def post(self, path: str, json: Any = None, index: int = 0) -> httpx.Response:
        return await self.call("POST", path, index, json=json)

    async def put(self, path: str, json: Any = None, index: int = 0) -> httpx.Response:
        return await self.call("PUT", path, index, json=json)

    async def advance(self, seconds: float) -> None:
        await advance(self.http, seconds)

    async def force(self, ident: str, outcome: str) -> httpx.Response:
        return await self.http.post(f"/_sim/ideagateway/transactions/{ident}/{outcome}")

    async def receive_webhooks(self, index: int = 0, status: int = 200) -> None:
        """Register a notification URL for the account and answer deliveries in process with `status`."""
        url = f"http://127.0.0.1:9/hooks/{self.account_id(index)}"
        r = await self.http.put(f"/_sim/ideagateway/accounts/{self.account_id(index)}/webhook", json={"url": url})
        assert r.status_code == 200

        def answer(request: httpx.Request) -> httpx.Response:
            import json as _json
            self.hooks.append(_json.loads(request.content))
            return httpx.Response(status)

        self.app.sim.outbox.client = httpx.AsyncClient(transport=httpx.MockTransport(answer))

    async def deliveries(self) -> list[dict[str, Any]]:
        r = await self.http.get("/_sim/webhooks", params={"provider": "ideagateway"})
        return list(r.json()["deliveries"])


@pytest.fixture
def ig_app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["ideagateway"]))


@pytest.fixture
async def ig(ig_app: SimulatorApp) -> AsyncIterator[IG]:
    transport = httpx.ASGITransport(app=ig_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim.test") as client:
        yield IG(ig_app, client)


def basic(key: str, user: str = "") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{key}".encode()).decode()}


CUSTOMER = {"name": "FULANO DE TAL", "documentNumber": "12345678901", "email": "foo@bar.com",
            "phoneNumber": 11123451234, "birthdate": "1990-01-01",
            "address": {"street": "Rua do Alecrim", "number": "S/N", "country": "BR", "state": "SP",
                        "zipCode": 45002100, "city": "São Paulo", "neighborhood": "Jardim São Paulo"}}


def card_body(number: str = "4111111111111111", amount: Any = "1000", **extra: Any) -> dict[str, Any]:
    return {"amount": amount, "customCode": "my-code", "isGift": False, "customer": CUSTOMER,
            "card": {"cvv": "123", "number": number, "holder": "FULANO DE TAL", "expirationDate": "12/2030",
                     "brand": "visa"}, **extra}


def account_body(cpf: Any = 45576360044, **extra: Any) -> dict[str, Any]:
    return {"name": "Foo Bar", "gender": "M", "birthDate": "1990-08-24", "email": "foo@bar.com",
            "password": 12345678, "cpf": cpf, "rg": {"number": 36864316, "emitter": "SSP", "emitDate": "2019-08-24"},
            "address": {"zipcode": 5999, "street": "Av. São Paulo", "number": 1, "state": "SP", "city": "São Paulo",
                        "neighborhood": "Vila Olímpia"},
            "phone": {"ddd": 11, "number": 989691336},
            "documents": [{"type": "cpf", "fileFormat": "image/png", "file": "iVBORw0KGgoAAAANSUhEUgAA"},
                          {"type": "proof_address", "fileFormat": "application/pdf", "file": "JVBERi0xLjQK"}],
            **extra}
