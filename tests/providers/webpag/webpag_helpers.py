"""Helpers the WebPag tests share (imported by basename: tests have no packages)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from shared import START, account_headers, advance

CPF = "52998224725"
VISA_OK = "4111111111111111"
MASTER_OK = "5555555555554444"
DECLINED = "4000000000000002"
IN_ANALYSIS = "4000000000000036"
HOOK = "http://127.0.0.1:9/webpag-hook"   # nothing listens: attempts fail and retry


@pytest.fixture
def app() -> SimulatorApp:
    """Only WebPag is loaded: faster, and independent of the other providers' specs."""
    return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["webpag"]))


def headers(app: Any, index: int = 0) -> dict[str, str]:
    return account_headers(app, "webpag", index)


async def new_payer(client: httpx.AsyncClient, h: dict[str, str], **over: Any) -> dict[str, Any]:
    body = {"first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": CPF,
            "email": "joao@example.com", "phone_number": "41999998888"}
    body.update(over)
    body = {k: v for k, v in body.items() if v is not None}  # None: leave the field out
    r = await client.post("/webpag/api/payers/register", headers=h, json=body)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


async def new_card(client: httpx.AsyncClient, h: dict[str, str], payer_id: int,
                   number: str = VISA_OK) -> dict[str, Any]:
    r = await client.post(f"/webpag/api/payers/{payer_id}/creditcard", headers=h, json={
        "number": number, "name": "João da Silva", "expiration_month": "12", "expiration_year": "2030",
        "security_code": "123"})
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def card(number: str) -> dict[str, str]:
    return {"number": number, "name": "João da Silva", "expiration_month": "12", "expiration_year": "2030",
            "security_code": "123"}


async def pay(client: httpx.AsyncClient, h: dict[str, str], payer_id: int, method: str, amount: int = 1500,
              **over: Any) -> httpx.Response:
    body: dict[str, Any] = {"payer_id": payer_id, "name": "Pagamento de teste", "amount": amount, "method": method}
    if method == "credit_card":
        body.update({"installments": 1, "card": card(VISA_OK)})
    body.update(over)
    return await client.post("/webpag/api/payments/process", headers=h, json=body)


async def payments(client: httpx.AsyncClient, h: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    r = await client.get("/webpag/api/payments", headers=h, params=query)
    assert r.status_code == 200, r.text
    return list(r.json()["data"])


async def deliveries(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await client.get("/_sim/webhooks", params={"provider": "webpag"})).json()["deliveries"])
