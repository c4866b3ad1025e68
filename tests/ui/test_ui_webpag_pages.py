"""WebPag's payer pages over HTTP (no browser): a payment link paid by card, Pix or boleto through the provider's
own process_payment, the generic Pix and boleto pages on WebPag payments, and amounts printed as money."""

from __future__ import annotations

from typing import Any

import httpx


HOOK = "http://127.0.0.1:9/webpag-hook"  # nothing listens: the attempt is journaled as failed
CPF = "52998224725"
PAYER = {"first_name": "Maria", "last_name": "Souza", "cpf_cnpj": "529.982.247-25", "email": "maria@example.com"}


def _h(app: Any) -> dict[str, str]:
    return dict(app.sim.providers["webpag"].accounts[0].headers)


async def _link(client: httpx.AsyncClient, app: Any, **over: Any) -> dict[str, Any]:
    body = {"accepted_methods": ["credit_card", "pix", "bankslip"], "name": "Caderno universitário",
            "description": "Caderno 10 matérias", "value": 1000, "validity": "2026-06-01 15:00",
            "validity_boleto": 3, "number_installments": 3, "notification_url": HOOK, **over}
    r = await client.post("/webpag/api/payment-links/register", headers=_h(app), json=body)
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def _path(link: dict[str, Any]) -> str:
    return str(link["url"]).removeprefix("http://sim.test")


async def _payments(client: httpx.AsyncClient, app: Any) -> list[dict[str, Any]]:
    r = await client.get("/webpag/api/payments", headers=_h(app))
    return list(r.json()["data"])


async def _hooks(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await client.get("/_sim/webhooks", params={"provider": "webpag"})).json()["deliveries"])


def _card(number: str = "4111 1111 1111 1111", **over: str) -> dict[str, str]:
    return {"method": "credit_card", "number": number, "expiry": "12/30", "cvv": "123", "holder": "MARIA SOUZA",
            "installments": "2", **PAYER, **over}


async def test_link_page_shows_the_amount_and_the_accepted_methods(client: httpx.AsyncClient, app: Any) -> None:
    link = await _link(client, app, accepted_methods=["pix"])
    r = await client.get(_path(link))
    assert r.status_code == 200 and "R$ 10,00" in r.text and "Caderno universitário" in r.text
    assert 'value="pix"' in r.text and 'value="credit_card"' not in r.text and 'value="bankslip"' not in r.text
    assert (await client.get("/_sim/ui/pay/webpag/link/999999")).status_code == 404


async def test_link_paid_by_card_approves_fires_the_webhook_and_returns(client: httpx.AsyncClient,
                                                                       app: Any) -> None:
    link = await _link(client, app, return_url="https://shop.example/obrigado")
    r = await client.post(_path(link), data=_card())
    assert r.status_code == 303 and r.headers["location"] == "https://shop.example/obrigado"
    [payment] = await _payments(client, app)
    assert (payment["status"], payment["method"], payment["amount"]) == (40, 10, 1000)
    assert payment["installments"] == 2 and payment["card_flag_label"] == "Visa"
    assert app.sim.store.get("webpag", "payment", str(payment["id"]))["payment_link_id"] == link["id"]
    payers = (await client.get("/webpag/api/payers", headers=_h(app))).json()["data"]
    assert [p["cpf_cnpj"] for p in payers if p["id"] == payment["payer_id"]] == [CPF]
    [hook] = await _hooks(client)
    assert hook["event"] == "payment.paid" and hook["url"] == HOOK and str(payment["id"]) in str(hook["body"])


async def test_link_without_return_url_shows_the_result(client: httpx.AsyncClient, app: Any) -> None:
    link = await _link(client, app)
    r = await client.post(_path(link), data=_card("5555555555554444"))
    assert r.status_code == 303 and "?payment=" in r.headers["location"]
    page = await client.get(r.headers["location"])
    assert 'id="result"' in page.text and "40 Pago" in page.text


async def test_declined_card_shows_the_refusal_and_keeps_the_failed_payment(client: httpx.AsyncClient,
                                                                           app: Any) -> None:
    link = await _link(client, app, return_url="https://shop.example/obrigado")
    r = await client.post(_path(link), data=_card("4000000000000002"))
    assert r.status_code == 422 and "recusado" in r.text and "Not Authorized" in r.text
    [payment] = await _payments(client, app)
    assert payment["status"] == 30 and f"<code>{payment['id']}</code>" in r.text
    assert [h["event"] for h in await _hooks(client)] == ["payment.failed"]
    # another card on the same page, the same payer (found by CPF, not registered twice)
    ok = await client.post(_path(link), data=_card())
    assert ok.status_code == 303
    assert sorted(p["status"] for p in await _payments(client, app)) == [30, 40]
    assert len((await client.get("/webpag/api/payers", headers=_h(app))).json()["data"]) == 1


async def test_bad_input_shows_the_api_messages_and_creates_nothing(client: httpx.AsyncClient, app: Any) -> None:
    link = await _link(client, app)
    r = await client.post(_path(link), data=_card("4111111111111112", cpf_cnpj="111"))
    assert r.status_code == 422 and "CPF ou CNPJ válido" in r.text
    r = await client.post(_path(link), data=_card("4111111111111112", expiry="13/30"))
    assert r.status_code == 422 and "não é um número de cartão válido" in r.text and 'id="e-expiry"' in r.text
    assert await _payments(client, app) == [] and await _hooks(client) == []


async def test_link_of_a_payer_pays_without_asking_who_pays(client: httpx.AsyncClient, app: Any) -> None:
    payer = (await client.post("/webpag/api/payers/register", headers=_h(app), json={
        "first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": CPF})).json()["data"]
    link = await _link(client, app, payer_id=payer["id"])
    assert 'name="cpf_cnpj"' not in (await client.get(_path(link))).text
    r = await client.post(_path(link), data={"method": "credit_card", "number": "4111111111111111",
                                             "expiry": "01/2031", "cvv": "1234", "holder": "JOAO SILVA"})
    assert r.status_code == 303
    [payment] = await _payments(client, app)
    assert payment["payer_id"] == payer["id"] and payment["status"] == 40


async def test_pix_via_link_shows_the_qr_and_paying_it_fires_the_webhook(client: httpx.AsyncClient,
                                                                        app: Any) -> None:
    link = await _link(client, app)
    r = await client.post(_path(link), data={"method": "pix", **PAYER})
    [payment] = await _payments(client, app)
    assert r.status_code == 303 and r.headers["location"] == f"/_sim/ui/pay/webpag/pix/{payment['id']}"
    assert payment["status"] == 10 and payment["method"] == 20
    pix = await client.get(r.headers["location"])
    assert pix.status_code == 200 and payment["pix"]["qrcode_data"] in pix.text and "<svg" in pix.text
    assert "R$ 10,00" in pix.text
    by_txid = await client.get(f"/_sim/ui/pay/webpag/pix/{payment['pix']['txid']}")
    assert by_txid.status_code == 200 and payment["pix"]["qrcode_data"] in by_txid.text
    paid = await client.post(r.headers["location"], data={"action": "pay"})
    assert paid.status_code == 303
    [after] = await _payments(client, app)
    assert (after["status"], after["status_label"]) == (40, "Pago")
    [hook] = await _hooks(client)
    assert hook["event"] == "payment.paid" and hook["url"] == HOOK


async def test_boleto_via_link_renders_linha_and_barcode_and_can_be_paid(client: httpx.AsyncClient,
                                                                        app: Any) -> None:
    link = await _link(client, app, accepted_methods=["bankslip"])
    r = await client.post(_path(link), data={"method": "bankslip", **PAYER})
    [payment] = await _payments(client, app)
    assert r.headers["location"] == f"/_sim/ui/pay/webpag/boleto/{payment['id']}"
    # validity_boleto 3: three days after 2025-12-31 (the clock's 2026-01-01T00:00Z is 21:00 local)
    assert payment["method"] == 30 and payment["boleto"]["due_date"].startswith("2026-01-03")
    assert payment["boleto"]["boleto_url"].endswith(r.headers["location"])
    page = await client.get(r.headers["location"])
    linha = payment["boleto"]["linha_digitavel"]
    assert page.status_code == 200 and f"{linha[:5]}.{linha[5:10]}" in page.text
    assert f'data-copy="{linha}"' in page.text and "<rect" in page.text and "R$ 10,00" in page.text
    assert (await client.post(r.headers["location"], data={"action": "pay"})).status_code == 303
    assert (await _payments(client, app))[0]["status"] == 40
    assert [h["event"] for h in await _hooks(client)] == ["payment.paid"]


async def test_boleto_url_of_an_api_payment_works(client: httpx.AsyncClient, app: Any) -> None:
    payer = (await client.post("/webpag/api/payers/register", headers=_h(app), json={
        "first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": CPF})).json()["data"]
    r = await client.post("/webpag/api/payments/process", headers=_h(app), json={
        "payer_id": payer["id"], "name": "Mensalidade", "amount": 123456, "method": "bank_slip"})
    payment = r.json()["data"]
    page = await client.get(payment["boleto"]["boleto_url"].removeprefix("http://sim.test"))
    assert page.status_code == 200 and "R$ 1.234,56" in page.text and "Pagar boleto" in page.text


async def test_expired_link_cannot_be_paid(client: httpx.AsyncClient, app: Any) -> None:
    link = await _link(client, app, validity="2026-01-01 12:00")
    await client.post("/_sim/clock/advance", json={"seconds": 86400})
    r = await client.post(_path(link), data=_card())
    assert r.status_code == 200 and "expirou" in r.text and await _payments(client, app) == []


async def test_amounts_print_as_each_providers_money(client: httpx.AsyncClient, app: Any) -> None:
    h = dict(app.sim.providers["ideagateway"].accounts[0].headers)
    pix = (await client.post("/ideagateway/pix", json={"amount": "123456"}, headers=h)).json()
    assert "R$ 1.234,56" in (await client.get(f"/_sim/ui/pay/ideagateway/pix/{pix['id']}")).text
    def money(provider: str, value: Any) -> str | None:
        return app.sim.providers[provider].env.money.printed(value)  # behaviour.yaml `money:`
    assert money("clicpay", 1500) == "1.500,00 MZN"
    assert money("widepay", 150.75) == money("smartclick", "150.75") == "R$ 150,75"
    assert money("webpag", 5) == "R$ 0,05" and money("webpag", "n/a") == "n/a"
