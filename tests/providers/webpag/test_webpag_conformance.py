"""Every WebPag answer, from a state with data in it, conforms to the contract's response schema."""

from typing import Any

from jsonschema import Draft202012Validator

from simulator.spec.loader import resolve_refs
from webpag_helpers import (IN_ANALYSIS, advance, app, card, headers, new_card, new_payer,  # noqa: F401
                            pay)


def check(app: Any, op_id: str, response: Any) -> None:
    spec = app.sim.providers["webpag"].openapi
    op = spec.operation(op_id)
    doc = resolve_refs(op.responses[str(response.status_code)], spec.document)
    schema = doc["content"]["application/json"]["schema"]
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:100]}"
              for e in Draft202012Validator(schema).iter_errors(response.json())]
    assert not errors, f"{op_id} {response.status_code}: " + "\n".join(errors[:10])


async def test_every_operation_answers_its_documented_shape(app, client):
    h = headers(app)
    address = {"zip_code": "80000-000", "street": "Rua das Flores", "number": "231", "district": "Centro",
               "city": "Curitiba", "state": "PR", "country": "BR"}
    r = await client.post("/webpag/api/payers/register", headers=h, json={
        "first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": "52998224725",
        "address": address, "gender": "M", "birth_date": "1998-01-05"})
    check(app, "register_payer", r)
    payer = r.json()["data"]
    bare = await new_payer(client, h, cpf_cnpj="11222333000181", is_business=True, email=None, phone_number=None)
    saved = await new_card(client, h, payer["id"])
    calls = [
        ("get_payer", await client.get(f"/webpag/api/payers/{bare['id']}", headers=h)),
        ("update_payer", await client.put(f"/webpag/api/payers/{payer['id']}/update", headers=h, json={
            "first_name": "João", "last_name": "Souza", "email": "j@example.com", "is_business": False,
            "cpf_cnpj": "52998224725", "address": address})),
        ("save_payer_card", await client.post(f"/webpag/api/payers/{payer['id']}/creditcard", headers=h,
                                              json=card("5555555555554444"))),
        ("process_payment", await pay(client, h, payer["id"], "pix", notification_url="http://127.0.0.1:9/h")),
        ("process_payment", await pay(client, h, payer["id"], "bank_slip", accept_after_due_date=True)),
        ("process_payment", await pay(client, h, payer["id"], "credit_card")),
        ("process_payment", await pay(client, h, payer["id"], "credit_card", card=card("4000000000000002"))),
        ("process_payment", await pay(client, h, payer["id"], "credit_card", card=card(IN_ANALYSIS))),
        ("process_payment", await pay(client, h, payer["id"], "cheque")),
    ]
    card_payment = calls[5][1].json()["data"]
    calls += [
        ("refund_payment", await client.put(f"/webpag/api/payments/{card_payment['id']}/refund", headers=h,
                                            json={"value": 100})),
        ("refund_payment", await client.put(f"/webpag/api/payments/{calls[3][1].json()['data']['id']}/refund",
                                            headers=h)),
        ("create_installment_plan", await client.post("/webpag/api/installments/register", headers=h, json={
            "payer": payer["id"], "amount": 30000, "first_date": "2026-01-01", "number_installments": 3,
            "accept_after_due_date": True})),
        ("create_payment_link", await client.post("/webpag/api/payment-links/register", headers=h, json={
            "accepted_methods": ["pix"], "name": "Link", "description": "Link", "value": 1000,
            "validity": "2026-02-01", "validity_boleto": 3, "number_installments": 1})),
        ("create_recurrence", await client.post("/webpag/api/payments/recurrency/register", headers=h, json={
            "payer_id": payer["id"], "name": "Plano", "frequency": "monthly", "card_payer_id": saved["id"],
            "start_date": "2025-12-01 00:00", "amount": 9988})),
    ]
    plan = calls[-3][1].json()["data"]
    code = calls[-1][1].json()["data"]["recurrence_code"]
    await client.post(f"/_sim/webpag/transactions/{plan['installments'][0]['payment_id']}/paid")
    await advance(client, 2 * 86400)
    calls += [
        ("list_payers", await client.get("/webpag/api/payers", headers=h)),
        ("list_payments", await client.get("/webpag/api/payments", headers=h, params={"per_page": 50})),
        ("list_installment_plans", await client.get("/webpag/api/installments", headers=h)),
        ("get_installment_plan", await client.get(f"/webpag/api/installments/{plan['id']}", headers=h)),
        ("list_payment_links", await client.get("/webpag/api/payment-links", headers=h)),
        ("list_recurrences", await client.get("/webpag/api/payments/recurrency/list", headers=h)),
        ("update_recurrence", await client.put(f"/webpag/api/payments/recurrency/{code}/update", headers=h,
                                               json={"name": "Plano Anual", "frequency": "yearly"})),
        ("cancel_recurrence", await client.put(f"/webpag/api/payments/recurrency/{code}/cancel", headers=h)),
        ("cancel_installment_plan", await client.post(f"/webpag/api/installments/{plan['id']}/cancel", headers=h)),
        ("remove_payer_card", await client.delete(
            f"/webpag/api/payers/{payer['id']}/creditcard/{saved['id']}/remove", headers=h)),
        ("inactivate_payer", await client.put(f"/webpag/api/payers/{bare['id']}/inactivate", headers=h)),
        ("get_current_business", await client.get("/webpag/api/me", headers=h)),
        ("authenticate_user", await client.post("/webpag/api/authenticate", headers=h,
                                                json={"email": "user@example.com", "password": "nope"})),
        ("process_batch_webhook", await client.post("/webpag/api/webhook/lote", headers=h)),
        ("get_payer", await client.get("/webpag/api/payers/0", headers=h)),
        ("list_payments", await client.get("/webpag/api/payments", headers={})),
    ]
    statuses = set()
    for op_id, response in calls:
        check(app, op_id, response)
        statuses.add((op_id, response.status_code))
    assert ("process_payment", 422) in statuses and ("get_payer", 404) in statuses
    webhook_bodies = [d["body"] for d in (await client.get("/_sim/webhooks")).json()["deliveries"]]
    assert webhook_bodies
    schema = resolve_refs(app.sim.providers["webpag"].openapi.operation("payment_webhook").responses["200"],
                          app.sim.providers["webpag"].openapi.document)["content"]["application/json"]["schema"]
    for body in webhook_bodies:
        assert not list(Draft202012Validator(schema).iter_errors(body))
