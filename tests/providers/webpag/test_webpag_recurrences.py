"""Card recurrences: charged on their frequency as the clock passes the next date."""

from webpag_helpers import (app, DECLINED, advance, headers, new_card, new_payer,  # noqa: F401 (app: fixture)
                            payments)

DAY = 86400


async def _recurrence(client, h, payer_id, card_id, **over):
    body = {"payer_id": payer_id, "name": "Plano Mensal", "frequency": "monthly", "card_payer_id": card_id,
            "start_date": "2026-01-05 00:00", "amount": 9988, "installments": 2}
    body.update(over)
    body = {k: v for k, v in body.items() if v is not None}  # "remova este campo" for an open-ended one
    return await client.post("/webpag/api/payments/recurrency/register", headers=h, json=body)


async def test_recurrence_charges_monthly_and_finishes(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    saved = await new_card(client, h, payer["id"])
    r = await _recurrence(client, h, payer["id"], saved["id"])
    assert r.status_code == 200
    rec = r.json()["data"]
    code = rec["recurrence_code"]
    assert isinstance(code, int) and rec["status_label"] == "Aguardando" and rec["next_date"] == "2026-01-05 00:00"
    assert await payments(client, h) == []
    await advance(client, 5 * DAY)
    charged = await payments(client, h, recurrence_code=code)
    assert len(charged) == 1 and charged[0]["status"] == 40 and charged[0]["is_recurrent"] is True
    [listed] = (await client.get("/webpag/api/payments/recurrency/list", headers=h)).json()["data"]
    assert listed["next_date"] == "2026-02-05 00:00" and listed["installments_paid"] == 1
    await advance(client, 31 * DAY)
    assert len(await payments(client, h, recurrence_code=code)) == 2
    [done] = (await client.get("/webpag/api/payments/recurrency/list", headers=h,
                               params={"recurrence_code": str(code)})).json()["data"]
    assert done["active"] is False and done["installments_paid"] == 2
    await advance(client, 62 * DAY)
    assert len(await payments(client, h, recurrence_code=code)) == 2


async def test_update_reschedules_and_cancel_stops(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    saved = await new_card(client, h, payer["id"], DECLINED)
    code = (await _recurrence(client, h, payer["id"], saved["id"], installments=None)).json()["data"][
        "recurrence_code"]
    r = await client.put(f"/webpag/api/payments/recurrency/{code}/update", headers=h,
                         json={"next_date": "2026-01-02 10:00", "amount": 5000})
    assert r.status_code == 200 and r.json()["data"]["amount"] == 5000
    await advance(client, DAY + 13 * 3600)  # 10:00 local (UTC-3)
    [failed] = await payments(client, h, recurrence_code=code)
    assert failed["status"] == 30 and failed["amount"] == 5000
    r = await client.put(f"/webpag/api/payments/recurrency/{code}/cancel", headers=h)
    assert r.json()["data"]["status"] == 60
    await advance(client, 60 * DAY)
    assert len(await payments(client, h, recurrence_code=code)) == 1
    r = await client.put(f"/webpag/api/payments/recurrency/{code}/update", headers=h, json={"amount": 1})
    assert r.status_code == 422
    assert (await client.put("/webpag/api/payments/recurrency/nope/cancel", headers=h)).status_code == 404


async def test_recurrence_needs_a_saved_card_of_the_payer(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    r = await _recurrence(client, h, payer["id"], 999, frequency="weekly")
    assert r.status_code == 422 and set(r.json()["errors"]) == {"frequency", "card_payer_id"}
