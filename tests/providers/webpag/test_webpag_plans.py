"""Installment plans (crediário): N boleto installments whose statuses follow their payments."""

from webpag_helpers import app, advance, headers, new_payer, payments  # noqa: F401  (app: fixture)


async def _plan(client, h, payer_id, **over):
    body = {"payer": payer_id, "amount": 100000, "first_date": "2026-02-01", "number_installments": 3}
    body.update(over)
    return await client.post("/webpag/api/installments/register", headers=h, json=body)


async def test_register_generates_installments_with_monthly_due_dates(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    r = await _plan(client, h, payer["id"])
    assert r.status_code == 200
    plan = r.json()["data"]
    assert (plan["status"], plan["status_label"], plan["type_label"]) == (10, "Ativo", "Boleto")
    assert plan["amount_original"] == "1000.00" and plan["number_installments"] == 3
    items = plan["installments"]
    assert [i["due_date"] for i in items] == ["2026-02-01 00:00:00", "2026-03-01 00:00:00", "2026-04-01 00:00:00"]
    assert [i["amount"] for i in items] == ["333.34", "333.33", "333.33"]
    assert {i["payment"]["method"] for i in items} == {50}
    assert items[0]["payment"]["method_label"] == "Crediário Boleto"
    assert len(await payments(client, h, method="installment")) == 3
    got = await client.get(f"/webpag/api/installments/{plan['id']}", headers=h)
    assert got.json()["data"]["id"] == plan["id"]
    listed = await client.get("/webpag/api/installments", headers=h, params={"payer_id": payer["id"]})
    assert [p["id"] for p in listed.json()["data"]] == [plan["id"]]


async def test_installment_status_follows_its_payment_and_cancel(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    plan = (await _plan(client, h, payer["id"])).json()["data"]
    first = plan["installments"][0]
    await client.post(f"/_sim/webpag/transactions/{first['payment_id']}/paid")
    got = (await client.get(f"/webpag/api/installments/{plan['id']}", headers=h)).json()["data"]
    assert got["installments"][0]["status_label"] == "Pago" and got["installments"][0]["liquidation_date"]
    r = await client.post(f"/webpag/api/installments/{plan['id']}/cancel", headers=h)
    data = r.json()["data"]
    assert data["status_label"] == "Cancelado"
    assert [i["status"] for i in data["installments"]] == [20, 40, 40]
    assert [i["payment"]["status"] for i in data["installments"]] == [40, 60, 60]


async def test_unpaid_installment_expires_after_its_due_date(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    plan = (await _plan(client, h, payer["id"], first_date="2026-01-01", number_installments=2)).json()["data"]
    await advance(client, 86400 + 3 * 3600)
    got = (await client.get(f"/webpag/api/installments/{plan['id']}", headers=h)).json()["data"]
    assert [i["status_label"] for i in got["installments"]] == ["Vencido", "Pendente"]


async def test_plan_validation_and_404(app, client):
    h = headers(app)
    r = await _plan(client, h, 123)
    assert r.status_code == 422 and "payer" in r.json()["errors"]
    r = await client.get("/webpag/api/installments/77", headers=h)
    assert r.status_code == 404 and "InstallmentPlan" in r.json()["message"]
