"""Payments: card (magic numbers), Pix (BR Code), boleto (barcode), list filters, refunds."""

from simulator.brdata import barcode_is_valid, brcode_is_valid, linha_is_valid, parse_tlv
from webpag_helpers import (DECLINED, IN_ANALYSIS, MASTER_OK, advance, app, card, headers,  # noqa: F401
                            new_card, new_payer, pay, payments)


async def test_card_approves_at_once(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    r = await pay(client, h, payer["id"], "credit_card", card=card(MASTER_OK))
    assert r.status_code == 200
    p = r.json()["data"]
    assert (p["status"], p["status_label"], p["method"], p["method_label"]) == (40, "Pago", 10, "Cartão de Crédito")
    assert (p["card_flag"], p["card_flag_label"]) == (20, "Mastercard")
    assert p["amount"] == 1500 and isinstance(p["fee_value"], str) and p["paid_at"]
    assert p["transactions"][0]["type_label"] == "Aprovação" and p["transactions"][0]["status_label"] == "Sucesso"
    assert p["business"] == {"id": 537, "name": "Papelaria Leite Cunha"}


async def test_declined_card_gives_documented_422_and_a_failed_payment(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    r = await pay(client, h, payer["id"], "credit_card", card=card(DECLINED))
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"error", "error_code", "error_previous"}
    assert body["error"] == "Erro ao processar pagamento" and body["error_code"] == 20
    assert body["error_previous"] == "Erro ao processar pagamento"  # as documented (behaviour.yaml card_error)
    [failed] = await payments(client, h)
    assert (failed["status"], failed["status_label"]) == (30, "Falhou")
    assert failed["transactions"][-1]["errors"] == "Not Authorized"  # the acquirer's answer stays on the payment


async def test_card_in_analysis_is_approved_by_the_clock(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    p = (await pay(client, h, payer["id"], "credit_card", card=card(IN_ANALYSIS))).json()["data"]
    assert p["status"] == 20 and p["status_label"] == "Em análise"
    await advance(client, 60)
    assert (await payments(client, h))[0]["status"] == 40


async def test_saved_card_and_validation(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    saved = await new_card(client, h, payer["id"])
    r = await pay(client, h, payer["id"], "credit_card", card=None, card_payer_id=saved["id"])
    assert r.status_code == 200 and r.json()["data"]["card_id"] == saved["id"]  # nullable: card null is not sent
    r = await pay(client, h, payer["id"], "credit_card", card=None)
    assert r.status_code == 422 and r.json()["errors"]["card"] == [
        "O campo card é obrigatório quando card_payer_id não está presente."]
    body = {"payer_id": payer["id"], "name": "Assinatura", "amount": 990, "method": "credit_card",
            "installments": 1, "card_payer_id": saved["id"]}
    r = await client.post("/webpag/api/payments/process", headers=h, json=body)
    assert r.status_code == 200 and r.json()["data"]["card_id"] == saved["id"]
    r = await client.post("/webpag/api/payments/process", headers=h, json=dict(body, installments=None))
    assert r.status_code == 422
    r = await client.post("/webpag/api/payments/process", headers=h, json={k: v for k, v in body.items()
                                                                          if k != "installments"})
    assert r.json()["errors"]["installments"] == ["O campo installments é obrigatório quando method é credit_card."]
    r = await client.post("/webpag/api/payments/process", headers=h, json=dict(body, method="cheque"))
    assert r.status_code == 422 and "method" in r.json()["errors"]


async def test_pix_has_a_valid_br_code_and_expires_after_an_hour(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    p = (await pay(client, h, payer["id"], "pix", amount=5000)).json()["data"]
    assert p["status"] == 10 and p["status_label"] == "Disponível" and p["method_slug"] == "pix"
    code = p["pix"]["qrcode_data"]
    assert brcode_is_valid(code) and parse_tlv(code)["54"] == "50.00" and p["pix"]["amount"] == "50.00"
    await advance(client, 3599)
    assert (await payments(client, h))[0]["status"] == 10
    await advance(client, 1)
    got = (await payments(client, h))[0]
    assert (got["status"], got["status_label"], got["active"]) == (60, "Cancelado", False)


async def test_boleto_has_valid_barcode_and_is_paid_when_forced(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    p = (await pay(client, h, payer["id"], "bank_slip", amount=5000, due_date="2026-01-10 00:00")).json()["data"]
    b = p["boleto"]
    assert barcode_is_valid(b["codigo_barras"]) and linha_is_valid(b["linha_digitavel"])
    assert b["codigo_barras"][9:19] == "0000005000" and b["due_date"] == "2026-01-10T03:00:00.000000Z"
    r = await client.post(f"/_sim/webpag/transactions/{p['id']}/paid")
    assert r.status_code == 200 and r.json()["status"] == 40 and r.json()["paid_at"]
    r = await client.post(f"/_sim/webpag/transactions/{p['id']}/expired")
    assert r.status_code == 409


async def test_unpaid_boleto_is_cancelled_the_day_after_its_due_date(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    await pay(client, h, payer["id"], "bank_slip", due_date="2026-01-02")
    await advance(client, 86400 * 2 + 3 * 3600 - 1)  # 2026-01-02 23:59:59 local
    assert (await payments(client, h))[0]["status"] == 10
    await advance(client, 1)
    assert (await payments(client, h))[0]["status"] == 60


async def test_order_id_keeps_one_payment_per_order(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    first = (await pay(client, h, payer["id"], "pix", order_id="PED-1")).json()["data"]
    again = (await pay(client, h, payer["id"], "pix", order_id="PED-1")).json()["data"]
    assert first["id"] == again["id"] and len(await payments(client, h)) == 1


async def test_list_filters_and_pages(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    for _ in range(3):
        await pay(client, h, payer["id"], "pix")
    await pay(client, h, payer["id"], "credit_card")
    assert len(await payments(client, h, status="paid")) == 1
    assert len(await payments(client, h, status="pending")) == 3
    assert len(await payments(client, h, status="40")) == 1
    assert len(await payments(client, h, method="pix")) == 3
    assert len(await payments(client, h, payer_id=payer["id"] + 1)) == 0
    r = await client.get("/webpag/api/payments", headers=h, params={"page": 2, "per_page": 3})
    assert len(r.json()["data"]) == 1 and r.json()["meta"]["last_page"] == 2
    r = await client.get("/webpag/api/payments", headers=h, params={"page": "abc"})
    assert r.status_code == 422 and "page" in r.json()["errors"]


async def test_partial_then_full_refund(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    p = (await pay(client, h, payer["id"], "credit_card", amount=10000)).json()["data"]
    r = await client.put(f"/webpag/api/payments/{p['id']}/refund", headers=h, json={"value": 2500})
    assert r.status_code == 200
    tx = r.json()["data"]
    assert tx["refunded_amount"] == "25.00" and tx["status_label"] == "Sucesso"
    got = (await payments(client, h))[0]
    assert got["status"] == 40 and got["amount_refunded"] == 2500
    r = await client.put(f"/webpag/api/payments/{p['id']}/refund", headers=h, json={"value": 9000})
    assert r.status_code == 422 and "value" in r.json()["errors"]
    r = await client.put(f"/webpag/api/payments/{p['id']}/refund", headers=h)
    assert r.json()["data"]["refunded_amount"] == "75.00"
    got = (await payments(client, h))[0]
    assert (got["status"], got["status_label"], got["amount_refunded"]) == (50, "Estornado", 10000)
    r = await client.put(f"/webpag/api/payments/{p['id']}/refund", headers=h)
    assert r.status_code == 422 and set(r.json()) == {"error", "error_code", "error_previous"}
    assert (await client.put("/webpag/api/payments/999999/refund", headers=h)).status_code == 404


async def test_long_list_links_a_window_of_pages_as_laravel_does(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    for _ in range(20):
        await pay(client, h, payer["id"], "pix")
    r = await client.get("/webpag/api/payments", headers=h, params={"page": 10, "per_page": 1})
    body = r.json()
    labels = [link["label"] for link in body["meta"]["links"]]
    assert labels == ["&laquo; Previous", "1", "2", "...", "7", "8", "9", "10", "11", "12", "13", "...", "19", "20",
                      "Next &raquo;"]
    assert [link["label"] for link in body["meta"]["links"] if link["active"]] == ["10"]
    assert body["meta"]["total"] == 20 and len(body["data"]) == 1
    assert body["data"][0]["id"] == (await payments(client, h))[9]["id"]  # the page shows the 10th newest
