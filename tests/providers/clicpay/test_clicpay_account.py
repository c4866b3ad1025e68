"""me/wallets (Laravel paginator, filters, sort), api/user and api/me/token."""

from shared import account_headers

WALLETS = "/clicpay/api/v2/me/wallets"


async def test_wallets_default_page(app, client):
    r = await client.get(WALLETS, headers=account_headers(app, "clicpay"))
    assert r.status_code == 200
    b = r.json()
    assert [w["id"] for w in b["data"]] == [144365, 144366, 144367, 144368]
    assert set(b["data"][0]) == {"id", "name", "balance"}
    assert b["links"]["prev"] is None and b["links"]["next"] is None
    assert b["links"]["first"] == "http://sim.test/clicpay/api/v2/me/wallets?page=1"
    assert {k: b["meta"][k] for k in ("current_page", "from", "last_page", "per_page", "to", "total")} == {
        "current_page": 1, "from": 1, "last_page": 1, "per_page": 10, "to": 4, "total": 4}
    assert b"\\/" in r.content, "Laravel escapes slashes"


async def test_wallets_documented_query(app, client):
    q = {"payment_method_id": 1, "is_active": 1, "environment": "production", "include": "paymentMethod",
         "sort_by": "created_at", "sort_order": "desc", "per_page": 20}
    b = (await client.get(WALLETS, headers=account_headers(app, "clicpay"), params=q)).json()
    assert b["data"] == [{"id": 144366, "name": "Carteira e-Mola", "balance": 15000,
                          "payment_method": {"id": 1, "name": "eMola", "slug": "emola"}}]
    assert b["meta"]["per_page"] == 20


async def test_wallets_pages_filters_and_sort(app, client):
    h = account_headers(app, "clicpay")
    b = (await client.get(WALLETS, headers=h, params={"per_page": 3, "page": 2, "sort_by": "balance"})).json()
    assert [w["balance"] for w in b["data"]] == [25000]
    assert b["meta"]["last_page"] == 2 and b["links"]["next"] is None
    assert b["links"]["prev"].endswith("per_page=3&sort_by=balance&page=1")
    inactive = (await client.get(WALLETS, headers=h, params={"is_active": "false"})).json()["data"]
    assert [w["id"] for w in inactive] == [144368]
    prod = (await client.get(WALLETS, headers=h, params={"environment": "production"})).json()["data"]
    assert [w["id"] for w in prod] == [144366, 144367, 144368]


async def test_wallets_bad_filter_is_a_laravel_422(app, client):
    r = await client.get(WALLETS, headers=account_headers(app, "clicpay"), params={"sort_order": "sideways"})
    assert r.status_code == 422
    assert set(r.json()) == {"message", "errors"}
    assert list(r.json()["errors"]) == ["sort_order"]


async def test_wallets_belong_to_the_caller(app, client):
    b = (await client.get(WALLETS, headers=account_headers(app, "clicpay", 1))).json()
    assert [w["id"] for w in b["data"]] == [245001, 245002]
    assert (await client.get(WALLETS)).status_code == 401


async def test_user_and_token(app, client):
    h = account_headers(app, "clicpay")
    user = (await client.get("/clicpay/api/user", headers=h)).json()
    assert (user["id"], user["name"], user["email"]) == (1, "Acme Comércio Lda", "financeiro@acme.co.mz")
    token = (await client.get("/clicpay/api/me/token", headers=h)).json()
    assert token == {"token": h["Authorization"].removeprefix("Bearer "), "token_type": "Bearer"}
    for p in ("/clicpay/api/user", "/clicpay/api/me/token"):
        r = await client.get(p)
        assert r.status_code == 401
        assert r.headers["cache-control"] == "no-cache, private"
        assert r.headers["access-control-allow-origin"] == "*"
