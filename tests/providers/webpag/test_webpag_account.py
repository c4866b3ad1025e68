"""Auth, the business, users, payment links and the two webhook paths."""

import re
from webpag_helpers import app, headers, new_payer  # noqa: F401  (app: fixture)


async def test_missing_or_unknown_token_is_401(app, client):
    for h in ({}, {"auth-token": "nope"}):
        r = await client.get("/webpag/api/me", headers=h)
        assert r.status_code == 401 and r.json() == {"message": "Unauthorized"}


async def test_me_and_authenticate(app, client):
    h = headers(app)
    r = await client.get("/webpag/api/me", headers=h)
    assert r.json() == {"id": 537, "name": "Papelaria Leite Cunha",
                        "notification_email": "financeiro@papelaria.example.com", "cnpj": "12.345.678/0001-95"}
    r = await client.post("/webpag/api/authenticate", headers=h,
                          json={"email": "user@example.com", "password": "secret123"})
    assert r.json() == {"id": 1, "business_id": 537, "email": "user@example.com", "name": "Nome do Usuário"}
    r = await client.post("/webpag/api/authenticate", headers=headers(app, 1),
                          json={"email": "user@example.com", "password": "secret123"})
    assert r.status_code == 401 and r.json() == {"message": "Unauthorized"}


async def test_payment_links(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    r = await client.post("/webpag/api/payment-links/register", headers=h, json={
        "accepted_methods": ["credit_card", "bankslip"], "name": "Pagamento de teste",
        "description": "Pagamento de teste", "value": 1000, "validity": "2026-06-01 15:00", "validity_boleto": 3,
        "number_installments": 12, "accept_after_due_date": 1, "payer_id": payer["id"]})
    assert r.status_code == 200
    link = r.json()["data"]
    assert (link["credit_enabled"], link["boleto_enabled"], link["pix_enabled"]) == (True, True, False)
    assert link["due_date_boleto"] == 3 and link["accept_after_due_date"] is True
    # the documented shape (https://api.webpag.com.br/payment-link/<id>/<16 letters and digits>) on this host
    assert re.fullmatch(rf"http://sim\.test/webpag/payment-link/{link['id']}/[A-Za-z0-9]{{16}}", link["url"])
    listed = (await client.get("/webpag/api/payment-links", headers=h)).json()["data"]
    assert listed == [link]
    r = await client.post("/webpag/api/payment-links/register", headers=h, json={
        "accepted_methods": ["boleto"], "name": "x", "description": "x", "value": 1000,
        "validity": "2020-01-01", "validity_boleto": 0, "number_installments": 1})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"accepted_methods", "validity", "validity_boleto"}


async def test_batch_hook_and_webhook_documentation_path(app, client):
    h = headers(app)
    r = await client.post("/webpag/api/webhook/lote", headers=h, json={"anything": 1})
    assert r.status_code == 200 and r.json() == {}
    r = await client.post("/webpag/")
    assert r.status_code == 200 and r.json()["status_label"] == "Pago" and "data" not in r.json()
