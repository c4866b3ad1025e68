"""One payer's journey per provider, as a person would pay: the API gives a link, the payer GETs the page, POSTs
its form, and the payment moves on its state machine and the provider's webhook reaches the shop."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from shared import account_headers, set_account_webhook
from simulator.testing import WebhookReceiver


def local(url: str) -> str:
    """The simulator-relative part of a link the API returned (http://sim.test/...)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def test_clicpay_hosted_checkout_pays_by_card(client: httpx.AsyncClient, app: Any,
                                                    webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "clicpay")
    r = await client.post("/clicpay/api/v2/webhooks", headers=h, json={"url": webhook_receiver.url + "/hook"})
    assert r.status_code == 201, r.text
    r = await client.post("/clicpay/api/v2/wallets/144365/card-payment", headers=h, json={
        "amount": 300, "reference_description": "Pedido 7", "callback_url": "https://shop.example/back"})
    tx = r.json()
    page = await client.get(local(tx["checkout_url"]))
    assert page.status_code == 200 and "Pedido 7" in page.text and 'name="number"' in page.text
    r = await client.post(local(tx["checkout_url"]), data={"action": "pay", "number": "4111 1111 1111 1111",
                                                           "expiry": "12/30", "cvc": "123", "name": "ANA LIMA"})
    assert r.status_code == 303
    assert parse_qs(urlsplit(r.headers["location"]).query)["resultIndicator"] == [tx["success_indicator"]]
    status = (await client.get(f"/clicpay/api/v2/transactions/{tx['clicpay_reference']}/status", headers=h)).json()
    assert status["status"] == "successful"
    events = [r.json() for r in webhook_receiver.received]
    assert [e["event"] for e in events] == ["transaction.completed"]
    assert events[0]["data"]["clicpay_reference"] == tx["clicpay_reference"]


async def test_clicpay_phone_answers_the_ussd_push(client: httpx.AsyncClient, app: Any,
                                                   webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "clicpay")
    await client.post("/clicpay/api/v2/webhooks", headers=h, json={"url": webhook_receiver.url + "/hook"})
    tx = (await client.post("/clicpay/api/v2/wallets/144365/c2b/emola", headers=h, json={
        "msisdn": "860000009", "amount": 75, "reference_description": "Fatura 3"})).json()
    phone = await client.get("/_sim/ui/pay/phone/860000009")
    assert phone.status_code == 200 and tx["clicpay_reference"] in phone.text
    r = await client.post("/_sim/ui/pay/phone/860000009", data={"reference": tx["clicpay_reference"],
                                                                 "action": "accept", "pin": "4321"})
    assert r.status_code == 303
    status = (await client.get(f"/clicpay/api/v2/transactions/{tx['clicpay_reference']}/status", headers=h)).json()
    assert status["status"] == "successful"
    assert [r.json()["event"] for r in webhook_receiver.received] == ["transaction.completed"]


async def test_webpag_payment_link_paid_with_pix(client: httpx.AsyncClient, app: Any,
                                                 webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "webpag")
    link = (await client.post("/webpag/api/payment-links/register", headers=h, json={
        "accepted_methods": ["pix", "bankslip"], "name": "Caderno", "description": "Caderno 10 matérias",
        "value": 2500, "validity": "2026-06-01 15:00", "validity_boleto": 3, "number_installments": 1,
        "notification_url": webhook_receiver.url + "/webpag"})).json()["data"]
    page = await client.get(local(link["url"]))
    assert page.status_code == 200 and "R$ 25,00" in page.text and 'value="pix"' in page.text
    r = await client.post(local(link["url"]), data={"method": "pix", "first_name": "Maria", "last_name": "Souza",
                                                    "cpf_cnpj": "529.982.247-25", "email": "maria@example.com"})
    assert r.status_code == 303
    pix_page = r.headers["location"]
    page = await client.get(pix_page)
    assert page.status_code == 200 and "000201" in page.text and "<svg" in page.text
    r = await client.post(pix_page, data={"action": "pay"})
    assert r.status_code == 303
    payments = (await client.get("/webpag/api/payments", headers=h)).json()["data"]
    assert [(p["status"], p["status_label"], p["amount"]) for p in payments] == [(40, "Pago", 2500)]
    bodies = [r.json() for r in webhook_receiver.received]
    assert [(b["id"], b["status"]) for b in bodies] == [(payments[0]["id"], 40)]


async def test_widepay_payer_link_pays_the_transaction(client: httpx.AsyncClient, app: Any,
                                                       webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "widepay")
    created = (await client.post("/widepay/api/transacoes/gerar", headers=h, data={
        "tipo": "Cartão", "cliente[pessoa]": "Física", "cliente[nome]": "Lays Pontarolo",
        "itens[0][descricao]": "Curso", "itens[0][valor]": "120", "notificacao": webhook_receiver.url + "/n"})).json()
    assert created["success"] is True, created
    page = await client.get(local(created["link"]))
    assert page.status_code == 200 and "R$ 120,00" in page.text
    assert 'value="pay"' in page.text
    r = await client.post(local(created["link"]), data={"action": "pay"})
    assert r.status_code == 303
    tx = (await client.post("/widepay/api/transacoes/consultar", headers=h, data={"id": created["id"]})).json()
    assert tx["transacoes"][0]["status"] in ("Em compensação", "Compensada")
    notes = [r.form() for r in webhook_receiver.received]
    assert len(notes) == 1 and set(notes[0]) == {"notificacao"}


async def test_widepay_boleto_page_shows_the_boleto_and_pays_it(client: httpx.AsyncClient, app: Any,
                                                               webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "widepay")
    created = (await client.post("/widepay/api/transacoes/gerar", headers=h, data={
        "tipo": "Boleto", "vencimento": "2026-01-10", "cliente[pessoa]": "Física", "cliente[nome]": "Lays",
        "itens[0][descricao]": "Produto", "itens[0][valor]": "50", "notificacao": webhook_receiver.url + "/n"})).json()
    assert created["success"] is True, created
    page = await client.get(local(created["link"]))
    assert page.status_code == 200 and f"/_sim/ui/pay/widepay/boleto/{created['id']}" in page.text
    boleto = await client.get(f"/_sim/ui/pay/widepay/boleto/{created['id']}")
    assert boleto.status_code == 200 and "<rect" in boleto.text and "R$ 50,00" in boleto.text
    r = await client.post(f"/_sim/ui/pay/widepay/boleto/{created['id']}", data={"action": "pay"})
    assert r.status_code == 303
    tx = (await client.post("/widepay/api/transacoes/consultar", headers=h, data={"id": created["id"]})).json()
    assert tx["transacoes"][0]["status"] == "Compensada"
    assert len(webhook_receiver.received) == 1


async def test_smartclick_boleto_page_pays_the_debt(client: httpx.AsyncClient, app: Any) -> None:
    h = account_headers(app, "smartclick")
    api = "/smartclick/api/v1"
    wallet = (await client.post(f"{api}/carteiras/criar", headers=h, json={"wal_title": "Loja"})).json()
    debt = (await client.post(f"{api}/dividas/criar", headers=h, json={"pgm_carteira": wallet["wal_id"],
                                                                 "pgm_valor": "42.50"})).json()
    made = (await client.get(f"{api}/pagamento/boleto/{debt['pgm_id']}", headers=h)).json()
    page = await client.get(local(made["boleto"]["url"]))
    assert page.status_code == 200 and "R$ 42,50" in page.text and "<rect" in page.text
    r = await client.post(local(made["boleto"]["url"]), data={"action": "pay"})
    assert r.status_code == 303
    debt = (await client.get(f"{api}/dividas/{debt['pgm_id']}", headers=h)).json()
    assert debt["pgm_status"] == "pago" and debt["pgm_pago_em"] is not None


async def test_idea_gateway_bank_page_authenticates_a_debit_card(client: httpx.AsyncClient, app: Any,
                                                                 webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "ideagateway")
    await set_account_webhook(client, "ideagateway", "hipercap", webhook_receiver.url + "/ig")
    body = {"amount": "1990", "customCode": "pedido-9", "isGift": False,
            "customer": {"name": "FULANO DE TAL", "documentNumber": "12345678901", "email": "foo@bar.com",
                         "phoneNumber": 11123451234, "birthdate": "1990-01-01"},
            "card": {"cvv": "123", "number": "4111111111111111", "holder": "FULANO", "expirationDate": "12/2030",
                     "brand": "visa"}, "returnUrl": "https://shop.example/back"}
    card = (await client.post("/ideagateway/debitCard", headers=h, json=body)).json()
    page = await client.get(local(card["redirectUrl"]))
    assert page.status_code == 200 and "R$ 19,90" in page.text and 'value="approve"' in page.text
    r = await client.post(local(card["redirectUrl"]), data={"action": "approve"})
    assert r.status_code == 303 and r.headers["location"] == "https://shop.example/back"
    assert (await client.get(f"/ideagateway/debitCard/{card['id']}", headers=h)).json()["status"] == "paid"
    events = [r.json()["event"] for r in webhook_receiver.received]
    assert [(e["type"], e["data"]["debitCard"]["status"]) for e in events] == [("debitCard", "paid")]


async def test_idea_gateway_pix_page_pays_the_charge(client: httpx.AsyncClient, app: Any,
                                                     webhook_receiver: WebhookReceiver) -> None:
    h = account_headers(app, "ideagateway")
    await set_account_webhook(client, "ideagateway", "hipercap", webhook_receiver.url + "/ig")
    pix = (await client.post("/ideagateway/pix", headers=h, json={"amount": "1500"})).json()
    page = await client.get(f"/_sim/ui/pay/ideagateway/pix/{pix['id']}")
    assert page.status_code == 200 and pix["qrCode"] in page.text and "R$ 15,00" in page.text
    r = await client.post(f"/_sim/ui/pay/ideagateway/pix/{pix['id']}", data={"action": "pay"})
    assert r.status_code == 303
    assert (await client.get(f"/ideagateway/pix/{pix['id']}", headers=h)).json()["status"] == "paid"
    assert [r.json()["event"]["data"]["pix"]["status"] for r in webhook_receiver.received] == ["paid"]
