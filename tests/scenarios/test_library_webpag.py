"""WebPag built-in scenarios, applied per request with X-Sim-Scenario: boleto paid next day, card in analysis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from simulator.testing import WebhookReceiver, webhook_receiver
from shared import START, account_headers, advance

DAY = 86400
CARD = {"number": "4111111111111111", "name": "João da Silva", "expiration_month": "12", "expiration_year": "2030",
        "security_code": "123"}


@pytest.fixture
def app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["webpag"]))


def headers(app: SimulatorApp) -> dict[str, str]:
    return account_headers(app, "webpag")


async def new_payer(client: httpx.AsyncClient, h: dict[str, str]) -> dict[str, Any]:
    r = await client.post("/webpag/api/payers/register", headers=h, json={
        "first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": "52998224725",
        "email": "joao@example.com", "phone_number": "41999998888"})
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


async def pay(client: httpx.AsyncClient, h: dict[str, str], payer_id: int, method: str,
              **over: Any) -> httpx.Response:
    body: dict[str, Any] = {"payer_id": payer_id, "name": "Pagamento de teste", "amount": 1500, "method": method}
    if method == "credit_card":
        body.update({"installments": 1, "card": CARD})
    return await client.post("/webpag/api/payments/process", headers=h, json={**body, **over})


async def payments(client: httpx.AsyncClient, h: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    r = await client.get("/webpag/api/payments", headers=h, params=query)
    assert r.status_code == 200, r.text
    return list(r.json()["data"])


class Bodies:
    """The JSON bodies a real local receiver got, and the URL to give as notification_url."""

    def __init__(self, receiver: WebhookReceiver) -> None:
        self.receiver, self.url = receiver, receiver.url + "/webpag-hook"

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [dict(r.json()) for r in self.receiver.received]


@pytest.fixture
def hook() -> Iterator[Bodies]:
    with webhook_receiver() as r:
        yield Bodies(r)


def scenario(app: Any, name: str) -> dict[str, str]:
    return {**headers(app), "X-Sim-Scenario": name}


async def status_of(client: httpx.AsyncClient, app: Any, payment_id: int) -> int:
    [found] = await payments(client, headers(app), payment_id=payment_id)
    return int(found["status"])


async def test_boleto_paid_next_day_with_its_webhook(app, client, hook):
    payer = await new_payer(client, headers(app))
    r = await pay(client, scenario(app, "webpag-boleto-paid-next-day"), payer["id"], "bank_slip",
                  notification_url=hook.url)
    assert r.status_code == 200 and r.json()["data"]["status"] == 10
    scripted = r.json()["data"]["id"]
    plain = (await pay(client, headers(app), payer["id"], "bank_slip", notification_url=hook.url)).json()["data"]["id"]
    await advance(client, DAY - 60)
    assert (await status_of(client, app, scripted), await status_of(client, app, plain)) == (10, 10)
    assert hook.bodies == []
    await advance(client, 60)
    assert await status_of(client, app, scripted) == 40
    assert await status_of(client, app, plain) == 10            # without the header: still waiting for the payer
    assert [(b["id"], b["status"], b["status_label"]) for b in hook.bodies] == [(scripted, 40, "Pago")]


async def test_installment_plan_paid_next_day(app, client):
    payer = await new_payer(client, headers(app))
    body = {"payer": payer["id"], "amount": 30000, "first_date": "2026-02-01", "number_installments": 3}
    scripted = await client.post("/webpag/api/installments/register", json=body,
                                 headers=scenario(app, "webpag-boleto-paid-next-day"))
    plain = await client.post("/webpag/api/installments/register", json=body, headers=headers(app))
    assert scripted.status_code == plain.status_code == 200
    await advance(client, DAY - 60)
    assert {p["status"] for p in await payments(client, headers(app), method="installment")} == {10}
    await advance(client, 60)
    plans = {r.json()["data"]["id"]: r for r in (scripted, plain)}
    labels = {}
    for plan_id in plans:
        got = (await client.get(f"/webpag/api/installments/{plan_id}", headers=headers(app))).json()["data"]
        labels[plan_id] = [i["status_label"] for i in got["installments"]]
    assert labels[scripted.json()["data"]["id"]] == ["Pago"] * 3
    assert labels[plain.json()["data"]["id"]] == ["Pendente"] * 3


async def test_card_in_analysis_then_approved_with_webhooks(app, client, hook):
    payer = await new_payer(client, headers(app))
    r = await pay(client, scenario(app, "webpag-card-in-analysis"), payer["id"], "credit_card",
                  notification_url=hook.url)
    assert r.status_code == 200 and r.json()["data"]["status"] == 10
    ident = r.json()["data"]["id"]
    await advance(client, 0)
    assert await status_of(client, app, ident) == 20
    assert [(b["id"], b["status"], b["status_label"]) for b in hook.bodies] == [(ident, 20, "Em análise")]
    await advance(client, 59)
    assert await status_of(client, app, ident) == 20
    await advance(client, 1)
    assert await status_of(client, app, ident) == 40
    assert [b["status"] for b in hook.bodies] == [20, 40]


async def test_card_without_the_header_is_approved_at_once(app, client, hook):
    payer = await new_payer(client, headers(app))
    r = await pay(client, headers(app), payer["id"], "credit_card", notification_url=hook.url)
    assert r.status_code == 200 and r.json()["data"]["status"] == 40
    await advance(client, 0)
    assert [b["status"] for b in hook.bodies] == [40]
