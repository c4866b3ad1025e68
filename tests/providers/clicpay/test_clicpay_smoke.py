from conftest import account_headers


async def test_c2b_goes_pending_then_successful(app, client):
    h = account_headers(app, "clicpay")
    r = await client.post("/clicpay/api/v2/wallets/144365/c2b/mpesa", headers=h,
                          json={"msisdn": "841234567", "amount": 500, "reference_description": "Compra online"})
    assert r.status_code == 200
    ref = r.json()["clicpay_reference"]
    assert (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()["status"] == "pending"
    await client.post("/_sim/clock/advance", json={"seconds": 5})
    assert (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()["status"] == "successful"
