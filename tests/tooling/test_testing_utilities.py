"""simulator.testing (serve_app, WebhookReceiver, webhook_receiver) and the plugin's `webhook_receiver` fixture."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx
import pytest

from simulator.testing import ReceivedRequest, WebhookReceiver, serve_app, webhook_receiver

C2B = "/api/v2/wallets/144365/c2b/mpesa"
BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 1"}


def test_serve_app_serves_on_a_free_local_port_and_stops() -> None:
    with webhook_receiver() as first, serve_app(WebhookReceiver(status=204)) as url:
        assert url.startswith("http://127.0.0.1:") and url != first.url
        assert httpx.get(url + "/ping").status_code == 204
    with pytest.raises(httpx.ConnectError):  # stopped when the block ended
        httpx.get(url + "/ping", timeout=2)


def test_serve_app_runs_the_lifespan_when_asked() -> None:
    receiver = WebhookReceiver()
    with serve_app(receiver, lifespan="on") as url:
        assert httpx.post(url + "/hook", content=b"x").status_code == 200
    assert [r.body for r in receiver.received] == [b"x"]


def test_receiver_answers_the_plan_then_200_and_records_each_request() -> None:
    with webhook_receiver() as rx:
        rx.plan = [500, 503]
        statuses = [httpx.post(f"{rx.url}/hooks/{i}?try={i}", json={"n": i},
                               headers={"X-Signature": f"s{i}"}).status_code for i in range(3)]
        assert statuses == [500, 503, 200] and rx.plan == []
        assert [(r.method, r.path, r.query) for r in rx.received] == [
            ("POST", f"/hooks/{i}", f"try={i}") for i in range(3)]
        assert [r.json() for r in rx.received] == [{"n": 0}, {"n": 1}, {"n": 2}]
        assert rx.received[1].headers["x-signature"] == "s1"  # names in lower case
        assert rx.received[1].headers["content-type"] == "application/json"
        assert rx.received[0].body == b'{"n":0}'  # the raw bytes, as sent


def test_receiver_form_text_status_and_clear() -> None:
    with webhook_receiver() as rx:
        rx.status = 410
        r = httpx.post(rx.url + "/notify", data={"notificacao": "ab12", "empty": ""})
        assert r.status_code == 410 and r.json() == {"ok": True}
        got = rx.wait_for(1)[0]
        assert got.form() == {"notificacao": "ab12", "empty": ""}
        assert got.text == "notificacao=ab12&empty="
        assert httpx.get(rx.url + "/return?order=1").status_code == 410
        assert [r.method for r in rx.received] == ["POST", "GET"]
        rx.plan = [500]
        rx.clear()
        assert (rx.received, rx.plan, rx.status) == ([], [], 200)
        assert httpx.post(rx.url, content=b"").status_code == 200


def test_wait_for_fails_when_too_few_requests_arrive() -> None:
    with webhook_receiver() as rx:
        httpx.post(rx.url, content=b"one")
        assert [r.body for r in rx.wait_for(1)] == [b"one"]
        with pytest.raises(AssertionError, match="expected 2 request"):
            rx.wait_for(2, timeout=0.05)


async def test_wait_for_async_polls_without_blocking_the_loop() -> None:
    with webhook_receiver() as rx:
        async with httpx.AsyncClient() as client:
            assert (await client.post(rx.url + "/a", content=b"1")).status_code == 200
        assert [r.path for r in await rx.wait_for_async(1)] == ["/a"]
        with pytest.raises(AssertionError):
            await rx.wait_for_async(2, timeout=0.05)


def test_a_subclass_can_answer_its_own_way() -> None:
    class ShopPage(WebhookReceiver):
        def respond(self, request: ReceivedRequest) -> tuple[int, str, bytes]:
            if request.method == "GET":
                return 200, "text/html", b"<h1>Back at the shop</h1>"
            return super().respond(request)

    with webhook_receiver(ShopPage()) as rx:
        page = httpx.get(rx.url + "/back")
        assert page.headers["content-type"] == "text/html" and page.text == "<h1>Back at the shop</h1>"
        assert httpx.post(rx.url + "/hook", json={}).json() == {"ok": True}
        assert isinstance(rx, ShopPage) and len(rx.received) == 2


@pytest.fixture(params=["provider_sim", "provider_sim_server"])
def sim(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


def test_fixture_receives_a_signed_clicpay_webhook(sim: Any, webhook_receiver: WebhookReceiver) -> None:
    api = sim.client("clicpay")
    created = api.post("/api/v2/webhooks", json={"url": webhook_receiver.url + "/hooks/clicpay"})
    assert created.status_code == 201
    secret = created.json()["data"]["secret"]
    ref = api.post(C2B, json=BODY).json()["clicpay_reference"]
    assert webhook_receiver.received == []  # nothing before the transition
    sim.advance(5)  # runs the transition and awaits its webhook attempt
    [got] = webhook_receiver.received
    assert (got.method, got.path) == ("POST", "/hooks/clicpay")
    assert got.headers["x-clicpay-signature"] == hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.json()["event"] == "transaction.completed"
    assert got.json()["data"]["clicpay_reference"] == ref
    [delivery] = sim.webhooks(provider="clicpay")
    assert (delivery["state"], delivery["status"]) == ("delivered", 200)


def test_fixture_plan_makes_the_simulator_retry(provider_sim: Any, webhook_receiver: WebhookReceiver) -> None:
    webhook_receiver.plan = [503]
    api = provider_sim.client("clicpay")
    assert api.post("/api/v2/webhooks", json={"url": webhook_receiver.url}).status_code == 201
    api.post(C2B, json=BODY)
    provider_sim.advance(5)
    [first] = provider_sim.webhooks(provider="clicpay")
    assert (first["state"], first["status"]) == ("retrying", 503)
    provider_sim.advance(3600)
    assert len(webhook_receiver.received) == 2
    assert webhook_receiver.received[0].body == webhook_receiver.received[1].body  # the same event again
    attempts = provider_sim.webhooks(provider="clicpay")  # one journal entry per attempt
    assert [(d["state"], d["attempt"]) for d in attempts] == [("retrying", 1), ("delivered", 2)]


def test_fixture_client_of_an_api_version_receives_a_widepay_v1_notification(
        sim: Any, webhook_receiver: WebhookReceiver) -> None:
    import datetime

    api = sim.client("widepay", version="v1")
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()  # the fixture's clock starts now
    made = api.post("/v1/recebimentos/cobrancas/adicionar", data={
        "forma": "Pix", "cliente": "Ana", "pessoa": "Física", "cpf": "529.982.247-25", "vencimento": due,
        "itens[0][descricao]": "Curso", "itens[0][valor]": "10", "notificacao": webhook_receiver.url + "/wp"}).json()
    assert made["sucesso"] is True
    sim.advance(60)
    [got] = webhook_receiver.received
    assert got.form()["carteira"] == sim.account("widepay")["credentials"]["carteira"]
    answer = api.post("/v1/recebimentos/cobrancas/notificacao", data={"id": got.form()["notificacao"]}).json()
    assert answer["cobranca"]["id"] == made["id"] and answer["cobranca"]["status"] == "Recebido"
    assert sim.client("widepay").post("/v1/recebimentos/cobrancas/consultar").json()["sucesso"] is False  # draft's
