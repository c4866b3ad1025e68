"""The nine mobile-money operations: documented answers, validation, lifecycle and balances."""

import pytest
from clicpay_helpers import ACME_WALLET, GLOBEX_WALLET, MOBILE_400, UNAUTHENTICATED, WALLET_FORBIDDEN, mm_body
from shared import account_headers

OPERATIONS = [(kind, ch) for ch in ("mpesa", "emola", "mkesh") for kind in ("c2b", "c2b_direct", "b2c")]
NUMBER = {"mpesa": "841234567", "emola": "861234567", "mkesh": "821234567"}


def path(kind: str, channel: str, wallet: int = ACME_WALLET) -> str:
    if kind == "c2b_direct":
        return f"/clicpay/api/v2/wallets/{wallet}/c2b/{channel}/direct"
    return f"/clicpay/api/v2/wallets/{wallet}/{kind}/{channel}"


@pytest.mark.parametrize("kind,channel", OPERATIONS)
async def test_each_operation_starts_a_pending_transaction(app, client, kind, channel):
    r = await client.post(path(kind, channel), headers=account_headers(app, "clicpay"),
                          json=mm_body(NUMBER[channel], 500))
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["message", "clicpay_reference", "status", "transaction_id"]
    assert body["message"] == "Transação iniciada com sucesso"
    assert body["status"] == "pending"
    assert body["clicpay_reference"].startswith("CP") and len(body["clicpay_reference"]) == 11
    assert isinstance(body["transaction_id"], int)


@pytest.mark.parametrize("kind,channel", OPERATIONS)
async def test_each_operation_answers_the_documented_401_and_403(app, client, kind, channel):
    r = await client.post(path(kind, channel), json=mm_body(NUMBER[channel]))
    assert (r.status_code, r.content) == (401, UNAUTHENTICATED)
    r = await client.post(path(kind, channel), json=mm_body(NUMBER[channel]),
                          headers={"Authorization": "Bearer not-a-token"})
    assert (r.status_code, r.content) == (401, UNAUTHENTICATED)
    r = await client.post(path(kind, channel, GLOBEX_WALLET), headers=account_headers(app, "clicpay"),
                          json=mm_body(NUMBER[channel]))
    assert (r.status_code, r.content) == (403, WALLET_FORBIDDEN)


async def test_documented_400_example_byte_for_byte(app, client):
    r = await client.post(path("c2b", "mpesa"), headers=account_headers(app, "clicpay"),
                          json=mm_body("12345", 60000))
    assert r.status_code == 400
    assert r.content == MOBILE_400
    assert r.headers["content-type"] == "application/json"


OPERATOR_CASES = [
    ("mpesa", ["841234567", "851234567", "258841234567", "+258851234567"], ["861234567", "821234567"]),
    ("emola", ["861234567", "871234567", "258871234567"], ["841234567", "831234567"]),
    ("mkesh", ["821234567", "831234567"], ["851234567", "871234567"]),
]


@pytest.mark.parametrize("channel,good,bad", OPERATOR_CASES)
async def test_another_operators_msisdn_is_served_with_a_journal_warning(app, client, channel, good, bad):
    """The documents state no operator prefixes (every example sends 841234567): by default a number of another
    operator's range is served, and the journal warns; it is no contract violation."""
    h = account_headers(app, "clicpay")
    for number in good:
        assert (await client.post(path("c2b", channel), headers=h, json=mm_body(number))).status_code == 200, number
        entry = (await client.get("/_sim/requests", params={"limit": 1})).json()["requests"][0]
        assert entry["warnings"] == [] and entry["violations"] == [], number
    for number in bad:
        r = await client.post(path("c2b", channel), headers=h, json=mm_body(number))
        assert r.status_code == 200, number
        entry = (await client.get("/_sim/requests", params={"limit": 1})).json()["requests"][0]
        assert entry["violations"] == []
        [warning] = entry["warnings"]
        assert warning.startswith(f"msisdn: '{number}' fails the check msisdn_operator (msisdn_mz: "), warning


@pytest.mark.parametrize("number", ["84123456", "921234567", "811234567", "8412345678", "+25884123456"])
async def test_a_number_that_is_no_mozambican_mobile_is_refused(app, client, number):
    r = await client.post(path("c2b", "emola"), headers=account_headers(app, "clicpay"), json=mm_body(number))
    assert r.status_code == 400
    assert r.json() == {"errors": {"msisdn": ["Número de telefone inválido"]}}


@pytest.fixture
def strict_app(tmp_path):
    """ClicPay with behaviour.yaml `validation.checks.msisdn_operator: reject`."""
    import shutil
    from simulator.app import build_app
    from simulator.settings import Settings
    from shared import START
    folder = tmp_path / "clicpay"
    shutil.copytree(Settings().specs_dir / "clicpay", folder)
    behaviour = folder / "behaviour.yaml"
    text = behaviour.read_text(encoding="utf-8")
    assert "msisdn_operator: warn" in text
    behaviour.write_text(text.replace("msisdn_operator: warn", "msisdn_operator: reject"), encoding="utf-8")
    return build_app(Settings(clock="manual", start_time=START, seed=0, spec_dirs=[tmp_path], providers=["clicpay"]))


@pytest.mark.parametrize("channel,good,bad", OPERATOR_CASES)
async def test_strict_operator_check_refuses_another_operators_number(strict_app, channel, good, bad):
    import httpx
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=strict_app), base_url="http://sim.test") as c:
        h = account_headers(strict_app, "clicpay")
        for number in good:
            assert (await c.post(path("c2b", channel), headers=h, json=mm_body(number))).status_code == 200, number
        for number in bad:
            r = await c.post(path("c2b", channel), headers=h, json=mm_body(number))
            assert r.status_code == 400, number
            assert r.json() == {"errors": {"msisdn": ["Número de telefone inválido"]}}
            entry = (await c.get("/_sim/requests", params={"limit": 1})).json()["requests"][0]
            assert entry["warnings"] == [] and entry["violations"] == ["schema: msisdn: Número de telefone inválido"]


async def test_magic_msisdns_work_with_any_operators_prefix(app, client):
    """The seven digits after the prefix decide: 8x0000001 fails after 20 s on every channel's number."""
    h = account_headers(app, "clicpay")
    refs = []
    for channel, number in (("mpesa", "840000001"), ("emola", "840000001"), ("mkesh", "870000001")):
        r = await client.post(path("c2b", channel), headers=h, json=mm_body(number))
        assert r.status_code == 200
        refs.append(r.json()["clicpay_reference"])
    await client.post("/_sim/clock/advance", json={"seconds": 21})
    for ref in refs:
        status = (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()
        assert status["status"] == "failed", status


@pytest.mark.parametrize("field,value,ok", [
    ("amount", 1, True), ("amount", 50000, True), ("amount", 0, False), ("amount", 50000.01, False),
    ("amount", "500", False),
    ("reference_description", "abc", True), ("reference_description", "ab", False),
    ("reference_description", "x" * 32, True), ("reference_description", "x" * 33, False),
    ("internal_notes", "n" * 255, True), ("internal_notes", "n" * 256, False),
])
async def test_field_limits(app, client, field, value, ok):
    body = mm_body()
    body[field] = value
    r = await client.post(path("c2b", "mpesa"), headers=account_headers(app, "clicpay"), json=body)
    assert r.status_code == (200 if ok else 400)
    if not ok:
        assert list(r.json()["errors"]) == [field]


async def test_missing_fields_are_named_in_schema_order(app, client):
    r = await client.post(path("c2b", "mpesa"), headers=account_headers(app, "clicpay"), json={})
    assert r.status_code == 400
    assert list(r.json()["errors"]) == ["msisdn", "amount", "reference_description"]


@pytest.mark.parametrize("content,ctype", [
    (b"{not json", "application/json"), (b"msisdn=841234567", "text/plain"), (b"[1, 2]", "application/json"),
    (b"\xff\xfe", "application/json"), (b"", "application/json"),
])
async def test_bad_bodies_get_the_provider_shape_never_a_500(app, client, content, ctype):
    h = {**account_headers(app, "clicpay"), "Content-Type": ctype}
    r = await client.post(path("c2b", "mpesa"), headers=h, content=content)
    assert r.status_code == 400
    assert set(r.json()) == {"errors"}
    journal = (await client.get("/_sim/requests", params={"limit": 1})).json()["requests"][-1]
    assert journal["violations"], "a rejected request is recorded as a contract violation"


async def test_oversized_body_is_413_in_laravel_shape(app, client):
    big = b'{"msisdn": "' + b"8" * 2_000_000 + b'"}'
    r = await client.post(path("c2b", "mpesa"), headers=account_headers(app, "clicpay"), content=big)
    assert r.status_code == 413
    assert set(r.json()) == {"message"}


async def status(client, h, ref):
    return (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()


async def test_c2b_succeeds_after_the_default_delay_and_credits_the_wallet(app, client):
    h = account_headers(app, "clicpay")
    ref = (await client.post(path("c2b", "mpesa"), headers=h, json=mm_body(amount=700))).json()["clicpay_reference"]
    await client.post("/_sim/clock/advance", json={"seconds": 4})
    assert (await status(client, h, ref))["status"] == "pending"
    await client.post("/_sim/clock/advance", json={"seconds": 1})
    assert await status(client, h, ref) == {"clicpay_reference": ref, "status": "successful", "amount": 700,
                                            "message": "Transação concluída com sucesso"}
    wallets = (await client.get("/clicpay/api/v2/me/wallets", headers=h)).json()["data"]
    assert {w["id"]: w["balance"] for w in wallets}[ACME_WALLET] == 25700


async def test_b2c_debits_and_fails_when_the_wallet_lacks_funds(app, client):
    h = account_headers(app, "clicpay")
    ok = (await client.post(path("b2c", "mkesh", 144367), headers=h, json=mm_body("821234567", 3000))).json()
    too_much = (await client.post(path("b2c", "mkesh", 144367), headers=h, json=mm_body("821234567", 9000))).json()
    assert too_much["status"] == "pending", "B2C answers pending and fails later, like the real API"
    await client.post("/_sim/clock/advance", json={"seconds": 10})
    assert (await status(client, h, ok["clicpay_reference"]))["status"] == "successful"
    failed = await status(client, h, too_much["clicpay_reference"])
    assert failed["status"] == "failed"
    assert failed["message"] == "Saldo insuficiente na carteira"
    wallets = (await client.get("/clicpay/api/v2/me/wallets", headers=h)).json()["data"]
    assert {w["id"]: w["balance"] for w in wallets}[144367] == 2000


@pytest.mark.parametrize("number,after,final,message", [
    ("840000001", 20, "failed", "Cliente rejeitou o pedido USSD"),
    ("860000002", 60, "failed", "Tempo de resposta do cliente esgotado"),
    ("820000004", 10, "cancelled", "Transação cancelada pelo cliente"),
    ("850000005", 120, "successful", "Transação concluída com sucesso"),
])
async def test_magic_msisdns(app, client, number, after, final, message):
    h = account_headers(app, "clicpay")
    channel = {"84": "mpesa", "85": "mpesa", "86": "emola", "82": "mkesh"}[number[:2]]
    ref = (await client.post(path("c2b", channel), headers=h, json=mm_body(number))).json()["clicpay_reference"]
    await client.post("/_sim/clock/advance", json={"seconds": after - 1})
    assert (await status(client, h, ref))["status"] == "pending"
    await client.post("/_sim/clock/advance", json={"seconds": 1})
    assert await status(client, h, ref) == {"clicpay_reference": ref, "status": final, "amount": 500,
                                            "message": message}


async def test_a_never_ending_push_stays_pending_until_forced(app, client):
    h = account_headers(app, "clicpay")
    ref = (await client.post(path("c2b", "mpesa"), headers=h, json=mm_body("840000009"))).json()["clicpay_reference"]
    await client.post("/_sim/clock/advance", json={"seconds": 86400})
    assert (await status(client, h, ref))["status"] == "pending"
    r = await client.post(f"/_sim/clicpay/transactions/{ref}/failed", json={"message": "Falha na rede"})
    assert r.status_code == 200
    assert r.json() == {"clicpay_reference": ref, "status": "failed", "amount": 500, "message": "Falha na rede"}
    assert (await status(client, h, ref))["status"] == "failed"
