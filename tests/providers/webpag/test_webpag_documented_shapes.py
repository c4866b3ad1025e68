"""What WebPag's documents and public clients send is accepted as sent: null in optional fields (Laravel's
`nullable`, null is as not sent), PHP's empty array `[]` as a refund body; the answers keep each operation's
documented shape (payments/process, lists, webhook; boleto amounts); payment links live at the documented URL."""

from __future__ import annotations

import re
from typing import Any

import httpx

from webpag_helpers import (HOOK, VISA_OK, app, card, headers, new_payer, pay, payments)  # noqa: F401


async def _last_entry(client: httpx.AsyncClient) -> dict[str, Any]:
    return dict((await client.get("/_sim/requests", params={"limit": 1})).json()["requests"][0])


async def test_null_in_optional_fields_is_as_not_sent(app, client):
    h = headers(app)
    r = await client.post("/webpag/api/payers/register", headers=h, json={
        "first_name": "João", "last_name": "Silva", "email": None, "is_business": False, "cpf_cnpj": "82110880023",
        "phone_number": None, "gender": None, "birth_date": None, "address": None})
    assert r.status_code == 200, r.text
    payer = r.json()["data"]
    assert (payer["email"], payer["gender"], payer["phone_number"], payer["address"]) == (None, None, None, None)
    assert (await _last_entry(client))["violations"] == []
    body = {"first_name": "João", "last_name": "Silva", "email": "joao@example.com", "is_business": False,
            "cpf_cnpj": "82110880023", "gender": "M", "phone_number": "41999998888"}
    assert (await client.put(f"/webpag/api/payers/{payer['id']}/update", headers=h, json=body)).status_code == 200
    r = await client.put(f"/webpag/api/payers/{payer['id']}/update", headers=h,
                         json=dict(body, gender=None, phone_number=None))
    assert r.status_code == 200
    assert (r.json()["data"]["gender"], r.json()["data"]["phone_number"]) == ("M", "+55 (41) 99999-8888")
    r = await client.put(f"/webpag/api/payers/{payer['id']}/update", headers=h, json=dict(body, first_name=None))
    assert r.status_code == 422 and list(r.json()["errors"]) == ["first_name"]  # a required field stays required

    nulls = {"notify_payer": None, "card_payer_id": None, "due_date": None, "accept_after_due_date": None,
             "notification_url": None, "order_id": None, "payment_link_id": None}
    r = await pay(client, h, payer["id"], "credit_card", **nulls)
    assert r.status_code == 200 and r.json()["data"]["status"] == 40
    r = await client.post("/webpag/api/payment-links/register", headers=h, json={
        "accepted_methods": ["credit_card", "pix"], "name": "Pagamento de teste", "description": "Teste",
        "value": 1000, "validity": "2026-06-01 15:00", "validity_boleto": 3, "number_installments": 12,
        "accept_after_due_date": None, "is_recurrence": False, "frequency": None, "recurrence_time": 12,
        "payer_id": payer["id"], "notification_url": None, "return_url": None})
    assert r.status_code == 200 and r.json()["data"]["return_url"] is None


async def test_php_empty_array_refunds_the_whole_payment_without_a_violation(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    paid = (await pay(client, h, payer["id"], "credit_card")).json()["data"]
    r = await client.put(f"/webpag/api/payments/{paid['id']}/refund", headers=h, json=[])
    assert r.status_code == 200 and r.json()["data"]["refunded_amount"] == "15.00"
    assert (await _last_entry(client))["violations"] == []
    other = (await pay(client, h, payer["id"], "credit_card")).json()["data"]
    r = await client.put(f"/webpag/api/payments/{other['id']}/refund", headers=h, json={"value": None})
    assert r.status_code == 200 and r.json()["data"]["refunded_amount"] == "15.00"
    r = await client.put(f"/webpag/api/payments/{other['id']}/refund", headers=h, json=[1500])
    assert "body: not an object" in (await _last_entry(client))["violations"]


async def test_each_operation_answers_its_documented_payment_shape(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    processed = (await pay(client, h, payer["id"], "bank_slip", amount=1250)).json()["data"]
    for key in ("payer", "amount_refunded", "installments_paid", "next_recurrence_date"):
        assert key not in processed
    assert processed["splits"] == [] and "refunded_amount" not in processed["transactions"][0]
    assert processed["boleto"]["amount"] == 12.5 and "boleto_url" in processed["boleto"]
    [listed] = await payments(client, h)
    assert "splits" not in listed and listed["payer"]["id"] == payer["id"] and listed["amount_refunded"] == 0
    assert "refunded_amount" in listed["transactions"][0]
    whole = (await pay(client, h, payer["id"], "bank_slip", amount=10000)).json()["data"]
    assert whole["boleto"]["amount"] == 100 and isinstance(whole["boleto"]["amount"], int)


async def test_the_payment_link_url_has_the_documented_shape_and_serves_the_payer_page(app, client):
    h = headers(app)
    r = await client.post("/webpag/api/payment-links/register", headers=h, json={
        "accepted_methods": ["credit_card"], "name": "Camiseta", "description": "Camiseta azul", "value": 4990,
        "validity": "2026-06-01 15:00", "validity_boleto": 3, "number_installments": 1})
    link = r.json()["data"]
    match = re.fullmatch(r"http://sim\.test(/webpag/payment-link/(\d+)/([A-Za-z0-9]{16}))", link["url"])
    assert match and int(match.group(2)) == link["id"]
    path, ident, link_hash = match.groups()
    page = await client.get(path)
    assert page.status_code == 200 and "Camiseta" in page.text and "R$ 49,90" in page.text
    assert (await client.get(f"/webpag/payment-link/{ident}/{'A' * 16}")).status_code == 404
    assert (await client.get(f"/_sim/ui/pay/webpag/link/{ident}")).status_code == 200  # the dashboard's path
    refused = await client.post(path, data={"method": "credit_card"}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    r = await client.post(path, data={"method": "credit_card", "number": VISA_OK, "expiry": "12/30", "cvv": "123",
                                      "holder": "ANA LIMA", "first_name": "Ana", "last_name": "Lima",
                                      "cpf_cnpj": "52998224725", "email": "ana@example.com"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"{path}?payment="), r.text[-3000:]
    assert "Pago" in (await client.get(r.headers["location"])).text
    assert (await client.get("/webpag/api/payment-links", headers=h)).status_code == 200  # the API is untouched
