"""NetShop card payment, the status endpoint and split/collect."""

from clicpay_helpers import ACME_WALLET, CARD_422, GLOBEX_WALLET, NOT_FOUND, SPLIT_400, UNAUTHENTICATED, WALLET_FORBIDDEN, mm_body
from shared import account_headers

CARD = f"/clicpay/api/v2/wallets/{ACME_WALLET}/card-payment"


async def test_card_payment_creates_a_checkout_session(app, client):
    body = {"amount": 1500, "reference_description": "Pagamento de fatura", "first_name": "João",
            "last_name": "Silva", "email": "joao@example.com", "phone": "84 123 4567",
            "callback_url": "https://example.com/callback"}
    r = await client.post(CARD, headers=account_headers(app, "clicpay"), json=body)
    assert r.status_code == 201
    b = r.json()
    assert list(b) == ["message", "clicpay_reference", "status", "provider_reference", "provider_response_code",
                       "provider_status_text", "initiated_at", "completed_at", "transaction_id", "checkout_url",
                       "session_id", "success_indicator"]
    assert (b["message"], b["status"], b["provider_response_code"], b["provider_status_text"]) == (
        "Sessão criada.", "pending", "200", "Pending")
    assert b["completed_at"] is None
    assert b["initiated_at"] == "2026-01-01T00:00:00Z"
    assert b["checkout_url"] == f"http://sim.test/_sim/ui/pay/clicpay/checkout/{b['session_id']}"


async def test_card_payment_documented_422_byte_for_byte(app, client):
    r = await client.post(CARD, headers=account_headers(app, "clicpay"), json={"first_name": "João"})
    assert (r.status_code, r.content) == (422, CARD_422)


async def test_card_payment_session_failure_is_the_documented_400(app, client):
    r = await client.post(CARD, headers=account_headers(app, "clicpay"),
                          json={"amount": 13.13, "reference_description": "Recusada"})
    assert r.status_code == 400
    b = r.json()
    assert b["message"] == "Erro ao criar a sessão."
    assert (b["status"], b["provider_response_code"]) == ("failed", "400")
    assert set(b) == {"message", "clicpay_reference", "status", "transaction_id", "provider_response_code"}


async def test_card_payment_auth_and_wallet(app, client):
    body = {"amount": 10, "reference_description": "x"}
    assert (await client.post(CARD, json=body)).content == UNAUTHENTICATED
    r = await client.post(f"/clicpay/api/v2/wallets/{GLOBEX_WALLET}/card-payment",
                          headers=account_headers(app, "clicpay"), json=body)
    assert (r.status_code, r.content) == (403, WALLET_FORBIDDEN)


async def test_unpaid_card_session_expires_and_paid_one_credits(app, client):
    h = account_headers(app, "clicpay")
    expiring = (await client.post(CARD, headers=h, json={"amount": 100, "reference_description": "a"})).json()
    paid = (await client.post(CARD, headers=h, json={"amount": 250, "reference_description": "b"})).json()
    r = await client.post(f"/_sim/clicpay/transactions/{paid['session_id']}/successful")
    assert r.json()["status"] == "successful"
    await client.post("/_sim/clock/advance", json={"seconds": 900})
    st = (await client.get(f"/clicpay/api/v2/transactions/{expiring['clicpay_reference']}/status", headers=h)).json()
    assert (st["status"], st["message"]) == ("failed", "Sessão expirada")
    wallets = (await client.get("/clicpay/api/v2/me/wallets", headers=h)).json()["data"]
    assert {w["id"]: w["balance"] for w in wallets}[ACME_WALLET] == 25250


async def test_status_404_and_isolation_between_accounts(app, client):
    acme, globex = account_headers(app, "clicpay", 0), account_headers(app, "clicpay", 1)
    r = await client.get("/clicpay/api/v2/transactions/CP123456789/status", headers=acme)
    assert (r.status_code, r.content) == (404, NOT_FOUND)
    ref = (await client.post(f"/clicpay/api/v2/wallets/{GLOBEX_WALLET}/c2b/mpesa", headers=globex,
                             json=mm_body())).json()["clicpay_reference"]
    r = await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=acme)
    assert (r.status_code, r.content) == (404, NOT_FOUND)
    assert (await client.get(f"/clicpay/api/v2/transactions/{ref}/status")).content == UNAUTHENTICATED


async def test_split_collect_finds_a_transaction_of_the_wallet(app, client):
    h = account_headers(app, "clicpay")
    created = (await client.post(f"/clicpay/api/v2/wallets/{ACME_WALLET}/c2b/mpesa", headers=h,
                                 json=mm_body())).json()
    split = f"/clicpay/api/v2/wallets/{ACME_WALLET}/split/collect"
    for r in (await client.post(split, headers=h, json={"clicpay_reference": created["clicpay_reference"]}),
              await client.post(split, headers=h, params={"clicpay_reference": created["clicpay_reference"]})):
        assert r.status_code == 200
        assert r.json() == {"message": "Transação encontrada", "clicpay_reference": created["clicpay_reference"],
                            "status": "pending", "transaction_id": created["transaction_id"]}
    other = f"/clicpay/api/v2/wallets/144366/split/collect"
    for r in (await client.post(split, headers=h), await client.post(split, headers=h, json={"clicpay_reference": "CP0"}),
              await client.post(other, headers=h, json={"clicpay_reference": created["clicpay_reference"]})):
        assert (r.status_code, r.content) == (400, SPLIT_400)
