"""Idea Gateway built-in scenarios, applied per request with X-Sim-Scenario, against a real local receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from simulator.testing import WebhookReceiver, webhook_receiver
from shared import START, advance

BASE = "/ideagateway"
DAY = 86400
TOKEN = "007431a5-f913-4a19-8dd6-9350bb7229f6"  # account 0's documented authToken
CUSTOMER = {"name": "FULANO DE TAL", "documentNumber": "12345678901", "email": "foo@bar.com",
            "phoneNumber": 11123451234, "birthdate": "1990-01-01",
            "address": {"street": "Rua do Alecrim", "number": "S/N", "country": "BR", "state": "SP",
                        "zipCode": 45002100, "city": "São Paulo", "neighborhood": "Jardim São Paulo"}}
SLIP = {"amount": "1000", "dueDate": "2026-01-10", "customCode": "order123",
        "payerData": {"name": "Foo Bar", "documentNumber": "01234567899", "phoneNumber": "74988570796"}}
DEBIT = {"amount": "1000", "customCode": "d1", "isGift": False, "customer": CUSTOMER,
         "returnUrl": "https://shop.example/back",
         "card": {"cvv": "123", "number": "4111111111111111", "holder": "FULANO DE TAL",
                  "expirationDate": "12/2030", "brand": "visa"}}


class Events:
    """The webhook events a real local receiver got."""

    def __init__(self, receiver: WebhookReceiver) -> None:
        self.receiver = receiver

    @property
    def raw(self) -> list[bytes]:
        return [r.body for r in self.receiver.received]

    @property
    def events(self) -> list[dict[str, Any]]:
        return [dict(r.json()["event"]) for r in self.receiver.received]

    def seen(self, kind: str) -> list[tuple[str, str]]:
        return [(e["data"][kind]["id"], e["data"][kind]["status"]) for e in self.events if e["type"] == kind]


class IG:
    def __init__(self, app: SimulatorApp, http: httpx.AsyncClient) -> None:
        self.app, self.http = app, http
        self.headers = dict(app.sim.providers["ideagateway"].accounts[0].headers)

    async def post(self, path: str, body: Any, scenario: str | None = None) -> httpx.Response:
        extra = {"X-Sim-Scenario": scenario} if scenario else {}
        return await self.http.post(BASE + path, json=body, headers={**self.headers, **extra})

    async def status(self, path: str) -> str:
        r = await self.http.get(BASE + path, headers=self.headers)
        assert r.status_code == 200, r.text
        return str(r.json()["status"])

    async def advance(self, seconds: float) -> None:
        await advance(self.http, seconds)


@pytest.fixture
async def ig() -> AsyncIterator[IG]:
    app = build_app(Settings(clock="manual", start_time=START, seed=0, providers=["ideagateway"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as http:
        yield IG(app, http)


@pytest.fixture
async def hook(ig: IG) -> AsyncIterator[Events]:
    """A real local receiver, registered as account 0's notification URL."""
    with webhook_receiver() as r:
        account = ig.app.sim.providers["ideagateway"].accounts[0].id
        put = await ig.http.put(f"/_sim/ideagateway/accounts/{account}/webhook", json={"url": r.url + "/hooks"})
        assert put.status_code == 200
        yield Events(r)


async def created(r: httpx.Response) -> str:
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "pending"
    return str(r.json()["id"])


async def test_boleto_paid_next_day_with_its_webhook(ig, hook):
    scripted = await created(await ig.post("/bankslip", SLIP, "ideagateway-boleto-paid-next-day"))
    plain = await created(await ig.post("/bankslip", SLIP))
    await ig.advance(DAY - 60)
    assert [await ig.status(f"/transaction/{i}") for i in (scripted, plain)] == ["pending", "pending"]
    assert hook.events == []
    await ig.advance(60)
    assert await ig.status(f"/transaction/{scripted}") == "paid"
    assert await ig.status(f"/transaction/{plain}") == "pending"     # without the header: waits for the payer
    assert hook.seen("bankslip") == [(scripted, "paid")] and len(hook.events) == 1


async def test_debit_card_authenticated_after_20_s(ig, hook):
    scripted = await created(await ig.post("/debitCard", DEBIT, "ideagateway-debit-card-authenticated"))
    plain = await created(await ig.post("/debitCard", DEBIT))
    await ig.advance(19)
    assert await ig.status(f"/debitCard/{scripted}") == "pending" and hook.events == []
    await ig.advance(1)
    assert await ig.status(f"/debitCard/{scripted}") == "paid"
    assert await ig.status(f"/debitCard/{plain}") == "pending"       # the payer has not authenticated
    assert hook.seen("debitCard") == [(scripted, "paid")]


@pytest.mark.parametrize(("path", "body"), [
    ("/transfer", {"amount": 100, "holderCpf": "76430473910", "authToken": TOKEN}),
    ("/pix/transfer", {"amount": "100", "customCode": "out-1",
                       "favored": {"pixKey": "d2d3e39b-1a14-4650-9524-3c0eb8042aba", "pixType": "chaveAleatoria"}}),
    ("/billPayment", {"amount": 100, "barcode": "0" * 34, "customCode": "conta-luz"}),
], ids=["transfer", "pix-out", "bill-payment"])
async def test_insufficient_balance_whatever_the_balance(ig, path, body):
    refused = await ig.post(path, body, "ideagateway-insufficient-balance")
    assert refused.status_code == 422 and refused.json() == {"message": "Saldo insuficiente."}
    assert (await ig.post(path, body)).status_code == 201            # R$ 5.000,00 of balance covers R$ 1,00


async def test_insufficient_balance_leaves_charges_alone(ig):
    r = await ig.post("/pix", {"amount": 100}, "ideagateway-insufficient-balance")
    assert r.status_code == 201


async def test_pix_expires_in_60_s_whatever_expire_says(ig, hook):
    scripted = await created(await ig.post("/pix", {"amount": 100, "expire": 3600}, "ideagateway-pix-expires-in-60s"))
    plain = await created(await ig.post("/pix", {"amount": 100, "expire": 3600}))
    await ig.advance(59)
    assert await ig.status(f"/pix/{scripted}") == "pending"
    await ig.advance(1)
    assert await ig.status(f"/pix/{scripted}") == "expired"
    assert await ig.status(f"/pix/{plain}") == "pending"
    assert hook.seen("pix") == [(scripted, "expired")]
    pay = {"event": {"type": "pix", "data": {"pix": {"id": scripted, "status": "paid"}}}}
    assert (await ig.http.post(f"{BASE}/webhook/idea/gateway", json=pay)).status_code == 400  # never paid


async def test_pix_webhook_delivered_twice(ig, hook):
    scripted = await created(await ig.post("/pix", {"amount": 100}, "ideagateway-pix-webhook-duplicated"))
    plain = await created(await ig.post("/pix", {"amount": 100}))
    await ig.advance(4)
    assert await ig.status(f"/pix/{scripted}") == "pending" and hook.events == []
    await ig.advance(1)
    assert await ig.status(f"/pix/{scripted}") == "paid"
    assert await ig.status(f"/pix/{plain}") == "pending"
    assert hook.seen("pix") == [(scripted, "paid"), (scripted, "paid")]
    assert hook.raw[0] == hook.raw[1]                                 # the very same notification twice
    deliveries = (await ig.http.get("/_sim/webhooks", params={"provider": "ideagateway"})).json()["deliveries"]
    assert [d["state"] for d in deliveries] == ["delivered", "delivered"]
    assert deliveries[0]["event_id"] == deliveries[1]["event_id"]
