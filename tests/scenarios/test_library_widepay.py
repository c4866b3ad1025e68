"""WidePay built-in scenario widepay-notification-late, applied per request with X-Sim-Scenario."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from simulator.testing import WebhookReceiver, webhook_receiver
from shared import START, account_headers, advance

API = "/widepay/api"
LATE = {"X-Sim-Scenario": "widepay-notification-late"}


class Notes:
    """The `notificacao` ids a real local receiver got, and the URL to give as notificacao."""

    def __init__(self, receiver: WebhookReceiver) -> None:
        self.receiver, self.url = receiver, receiver.url + "/widepay/notificacao"

    @property
    def notes(self) -> list[str]:
        return [r.form()["notificacao"] for r in self.receiver.received]


@pytest.fixture
def app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["widepay"]))


@pytest.fixture
def hook() -> Iterator[Notes]:
    with webhook_receiver() as r:
        yield Notes(r)


async def post(client: httpx.AsyncClient, app: SimulatorApp, action: str, data: dict[str, str] | None = None,
               extra: dict[str, str] | None = None) -> dict[str, Any]:
    r = await client.post(f"{API}/{action}", data=data, headers={**account_headers(app, "widepay"), **(extra or {})})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def boleto(url: str) -> dict[str, str]:
    return {"tipo": "Boleto", "vencimento": "2026-01-10", "cliente[pessoa]": "Física", "cliente[nome]": "Ana Souza",
            "itens[0][descricao]": "Produto", "itens[0][valor]": "50", "notificacao": url}


async def statuses(client: httpx.AsyncClient, app: SimulatorApp) -> dict[str, str]:
    return {t["id"]: t["status"] for t in (await post(client, app, "transacoes/consultar"))["transacoes"]}


def at(value: Any) -> float:
    """The journal's `at` as epoch seconds (an ISO 8601 string or a number)."""
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


async def test_notification_arrives_ten_minutes_after_the_change(app, client, hook):
    late = (await post(client, app, "transacoes/gerar", boleto(hook.url), LATE))["id"]
    await advance(client, 60)                      # the boleto is compensated 60 s after it is issued
    assert (await statuses(client, app))[late] == "Compensada"   # consultar already shows the new status
    await advance(client, 599)
    assert hook.notes == []
    assert (await client.get("/_sim/webhooks")).json()["deliveries"] == []
    await advance(client, 1)
    assert len(hook.notes) == 1
    found = await post(client, app, "transacoes/notificacao", {"id": hook.notes[0]})
    assert (found["transacao"]["id"], found["transacao"]["status"]) == (late, "Compensada")
    [delivery] = (await client.get("/_sim/webhooks")).json()["deliveries"]
    assert delivery["state"] == "delivered" and at(delivery["at"]) == START + 60 + 600


async def test_card_charge_is_notified_late_and_so_is_the_adicionar_call(app, client, hook):
    card = {"tipo": "Cartão", "cliente[pessoa]": "Física", "cliente[nome]": "Ana Souza",
            "itens[0][descricao]": "Curso", "itens[0][valor]": "100", "notificacao": hook.url}
    await post(client, app, "transacoes/gerar", card, LATE)
    intro = {"tipo": "Boleto", "cliente": "Claudio", "itens[0][descricao]": "Mensalidade",
             "itens[0][valor]": "10.50", "notificacao": hook.url}
    await post(client, app, "recebimentos/transacoes/adicionar", intro, LATE)
    await advance(client, 60)     # the card goes to Em compensação after 30 s, the boleto is compensated after 60 s
    assert sorted((await statuses(client, app)).values()) == ["Compensada", "Em compensação"]
    await advance(client, 569)
    assert hook.notes == []
    await advance(client, 1)      # 30 + 600
    assert len(hook.notes) == 1
    await advance(client, 30)     # 60 + 600
    assert len(hook.notes) == 2


async def test_without_the_header_the_notification_is_immediate(app, client, hook):
    plain = (await post(client, app, "transacoes/gerar", boleto(hook.url)))["id"]
    await advance(client, 60)
    assert len(hook.notes) == 1
    found = await post(client, app, "transacoes/notificacao", {"id": hook.notes[0]})
    assert found["transacao"]["id"] == plain
    [delivery] = (await client.get("/_sim/webhooks")).json()["deliveries"]
    assert at(delivery["at"]) == START + 60
