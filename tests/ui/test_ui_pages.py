"""Every dashboard and payer page over HTTP (no browser): status, key content, and what its forms change."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx



def account_headers(app: Any, provider: str, index: int = 0) -> dict[str, str]:
    return dict(app.sim.providers[provider].accounts[index].headers)

W = "/clicpay/api/v2/wallets/144365"


async def _card(client: httpx.AsyncClient, app: Any, **extra: Any) -> dict[str, Any]:
    body = {"amount": 300, "reference_description": "Pedido 1", "callback_url": "https://shop.example/r?o=1", **extra}
    r = await client.post(f"{W}/card-payment", json=body, headers=account_headers(app, "clicpay"))
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _push(client: httpx.AsyncClient, app: Any, msisdn: str = "840000009") -> dict[str, Any]:
    r = await client.post(f"{W}/c2b/mpesa", json={"amount": 40, "reference_description": "Fatura", "msisdn": msisdn},
                          headers=account_headers(app, "clicpay"))
    return dict(r.json())


async def _status(client: httpx.AsyncClient, app: Any, reference: str) -> dict[str, Any]:
    r = await client.get(f"/clicpay/api/v2/transactions/{reference}/status", headers=account_headers(app, "clicpay"))
    return dict(r.json())


async def test_overview_shows_base_urls_credentials_and_clock(client: httpx.AsyncClient, app: Any) -> None:
    r = await client.get("/_sim/ui")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for runtime in app.sim.providers.values():
        assert f"http://sim.test/{runtime.key}" in r.text
        assert runtime.accounts[0].credentials[next(iter(runtime.accounts[0].credentials))] in r.text
    assert "2026-01-01T00:00:00Z" in r.text and 'data-post="/_sim/clock/advance"' in r.text
    assert '{"seconds": 86400}' in r.text and 'data-post="/_sim/reset"' in r.text


async def test_transaction_list_filters_and_detail_offers_allowed_outcomes(client: httpx.AsyncClient,
                                                                        app: Any) -> None:
    pending = await _push(client, app)
    await client.post("/_sim/clicpay/transactions/" + pending["clicpay_reference"] + "/failed")
    other = await _push(client, app, "840000005")
    listed = (await client.get("/_sim/ui/transactions?provider=clicpay&kind=transaction")).text
    assert pending["clicpay_reference"] in listed and other["clicpay_reference"] in listed
    failed = (await client.get("/_sim/ui/transactions?pk=clicpay|transaction&status=failed")).text
    assert pending["clicpay_reference"] in failed and other["clicpay_reference"] not in failed
    r = await client.get(f"/_sim/ui/transactions/clicpay/transaction/{other['clicpay_reference']}")
    assert r.status_code == 200
    for outcome in ("successful", "failed", "cancelled"):
        assert f'data-post="/_sim/clicpay/transactions/{other["clicpay_reference"]}/{outcome}"' in r.text
    assert "2026-01-01T00:02:00Z" in r.text  # the next transition (magic 0000005: success after 120 s)
    done = (await client.get(f"/_sim/ui/transactions/clicpay/transaction/{pending['clicpay_reference']}")).text
    assert "Final state" in done and "transaction.failed" in done


async def test_unknown_transaction_is_a_404_page(client: httpx.AsyncClient) -> None:
    r = await client.get("/_sim/ui/transactions/clicpay/transaction/CP000")
    assert r.status_code == 404 and "CP000" in r.text


async def test_listing_paginates_ten_thousand_transactions(client: httpx.AsyncClient, app: Any) -> None:
    scope = app.sim.providers["clicpay"].env.records("acme")
    for i in range(10_000):
        scope.put("transaction", f"CPX{i:06d}", scope.new({"clicpay_reference": f"CPX{i:06d}", "status": "pending",
                                                            "amount": i}))
    r = await client.get("/_sim/ui/transactions?provider=clicpay&kind=transaction&page=3")
    assert r.status_code == 200 and "10000 in all" in r.text and "page 3 of 200" in r.text
    assert r.text.count("/_sim/ui/transactions/clicpay/transaction/CPX") == 50
    assert "CPX009899" in r.text and "CPX009999" not in r.text


async def test_checkout_approves_and_redirects_with_the_success_indicator(client: httpx.AsyncClient,
                                                                          app: Any) -> None:
    tx = await _card(client, app)
    path = urlsplit(tx["checkout_url"]).path
    page = await client.get(path)
    assert page.status_code == 200 and "Pedido 1" in page.text and "300 MZN" in page.text
    r = await client.post(path, data={"action": "pay", "number": "5555 5555 5555 4444", "expiry": "12/30",
                                      "cvc": "123", "name": "ANA"})
    assert r.status_code == 303
    back = urlsplit(r.headers["location"])
    assert back.netloc == "shop.example" and parse_qs(back.query) == {
        "o": ["1"], "resultIndicator": [tx["success_indicator"]], "sessionId": [tx["session_id"]]}
    assert (await _status(client, app, tx["clicpay_reference"]))["status"] == "successful"
    again = await client.get(path)
    assert "successful" in again.text and "<form" not in again.text


async def test_checkout_magic_card_declines_with_another_indicator(client: httpx.AsyncClient, app: Any) -> None:
    tx = await _card(client, app)
    path = urlsplit(tx["checkout_url"]).path
    r = await client.post(path, data={"action": "pay", "number": "4000000000000002", "expiry": "12/30",
                                      "cvc": "123", "name": "ANA"})
    indicator = parse_qs(urlsplit(r.headers["location"]).query)["resultIndicator"][0]
    assert indicator != tx["success_indicator"]
    status = await _status(client, app, tx["clicpay_reference"])
    assert status == {**status, "status": "failed", "message": "Cartão recusado pelo emissor"}


async def test_checkout_rejects_a_bad_card_and_cancel_cancels(client: httpx.AsyncClient, app: Any) -> None:
    tx = await _card(client, app)
    path = urlsplit(tx["checkout_url"]).path
    r = await client.post(path, data={"action": "pay", "number": "4111111111111112", "expiry": "13/30", "cvc": "1"})
    assert r.status_code == 422 and "valid card number" in r.text and "MM/YY" in r.text
    assert (await _status(client, app, tx["clicpay_reference"]))["status"] == "pending"
    r = await client.post(path, data={"action": "cancel"})
    assert r.status_code == 303 and "resultIndicator=" in r.headers["location"]
    assert (await _status(client, app, tx["clicpay_reference"]))["status"] == "cancelled"
    assert (await client.get("/_sim/ui/pay/clicpay/checkout/SESSIONNOPE")).status_code == 404


async def test_phone_lists_pushes_and_accepts_with_a_pin_or_rejects(client: httpx.AsyncClient, app: Any) -> None:
    one = await _push(client, app)
    two = await _push(client, app)
    index = (await client.get("/_sim/ui/pay/phone")).text
    assert "840000009" in index and "2 prompts" in index
    phone = (await client.get("/_sim/ui/pay/phone/840000009")).text
    assert one["clicpay_reference"] in phone and "40 MT" in phone
    r = await client.post("/_sim/ui/pay/phone/840000009", data={"reference": one["clicpay_reference"],
                                                                "action": "accept", "pin": "12"})
    assert r.status_code == 422 and "4 digits" in r.text
    r = await client.post("/_sim/ui/pay/phone/840000009", data={"reference": one["clicpay_reference"],
                                                                "action": "accept", "pin": "1234"})
    assert r.status_code == 303
    assert (await _status(client, app, one["clicpay_reference"]))["status"] == "successful"
    await client.post("/_sim/ui/pay/phone/840000009", data={"reference": two["clicpay_reference"],
                                                            "action": "reject"})
    status = await _status(client, app, two["clicpay_reference"])
    assert status["status"] == "failed" and status["message"] == "Cliente rejeitou o pedido USSD"
    assert "No prompt waiting" in (await client.get("/_sim/ui/pay/phone/840000009")).text


async def test_journal_pages_show_requests_bodies_and_violations(client: httpx.AsyncClient, app: Any) -> None:
    await client.post(f"{W}/c2b/mpesa", json={"amount": 10}, headers=account_headers(app, "clicpay"))
    listing = (await client.get("/_sim/ui/requests?provider=clicpay")).text
    entry = app.sim.journal.query(provider="clicpay")[-1]
    assert f'/_sim/ui/requests/{entry["id"]}"' in listing and "c2b_mpesa" in listing
    detail = await client.get(f"/_sim/ui/requests/{entry['id']}")
    assert detail.status_code == 200 and "reference_description" in detail.text and "400" in detail.text
    assert (await client.get("/_sim/ui/requests/999999")).status_code == 404


async def test_request_page_shows_warnings_apart_from_violations(client: httpx.AsyncClient, app: Any) -> None:
    body = {"msisdn": "841234567", "amount": 500, "reference_description": "Compra online"}
    r = await client.post(f"{W}/c2b/emola", json=body, headers=account_headers(app, "clicpay"))
    assert r.status_code == 200
    entry = app.sim.journal.query(provider="clicpay")[-1]
    detail = (await client.get(f"/_sim/ui/requests/{entry['id']}")).text
    assert 'id="w-h">Warnings' in detail and "fails the check msisdn_operator" in detail
    assert "None: this request keeps the provider" in detail
    plain = app.sim.journal.query(provider="clicpay")[0]
    await client.post(f"{W}/c2b/mpesa", json=body, headers=account_headers(app, "clicpay"))
    clean = app.sim.journal.query(provider="clicpay")[-1]
    assert clean["warnings"] == [] and plain["warnings"]
    assert 'id="w-h"' not in (await client.get(f"/_sim/ui/requests/{clean['id']}")).text


async def test_webhooks_and_scenarios_pages(client: httpx.AsyncClient, app: Any) -> None:
    await client.post("/clicpay/api/v2/webhooks", json={"url": "http://127.0.0.1:9/hook"},
                      headers=account_headers(app, "clicpay"))
    tx = await _push(client, app)
    await client.post(f"/_sim/clicpay/transactions/{tx['clicpay_reference']}/successful")
    page = (await client.get("/_sim/ui/webhooks?provider=clicpay")).text
    delivery = app.sim.outbox.query("clicpay")[-1]
    assert f'data-post="/_sim/webhooks/{delivery["id"]}/resend"' in page and "transaction.completed" in page
    detail = (await client.get(f"/_sim/ui/transactions/clicpay/transaction/{tx['clicpay_reference']}")).text
    assert f'data-post="/_sim/webhooks/{delivery["id"]}/resend"' in detail
    scenarios = await client.get("/_sim/ui/scenarios")
    assert scenarios.status_code == 200 and 'id="scenario-upload"' in scenarios.text
    for s in app.sim.scenarios.describe():
        assert s["name"] in scenarios.text
    assert (await client.get("/_sim/ui/static/ui.js")).status_code == 200


async def test_generic_pix_and_boleto_pages_read_the_codes_a_provider_declares(client: httpx.AsyncClient,
                                                                            app: Any) -> None:
    """behaviour.yaml `fields: {pix: ..., boleto: ...}` names where a record keeps its codes; nothing is guessed."""
    h = account_headers(app, "ideagateway")
    pix = (await client.post("/ideagateway/pix", json={"amount": "4000"}, headers=h)).json()
    slip = (await client.post("/ideagateway/bankslip", headers=h, json={
        "amount": "4000", "dueDate": "2026-01-10", "payerData": {"name": "Ana", "documentNumber": "52998224725"}})).json()
    linha = "".join(c for c in slip["digitableLine"] if c.isdigit())
    page = await client.get(f"/_sim/ui/pay/ideagateway/pix/{pix['id']}")
    assert page.status_code == 200 and pix["qrCode"] in page.text and "<svg" in page.text
    boleto = await client.get(f"/_sim/ui/pay/ideagateway/boleto/{slip['id']}")
    assert boleto.status_code == 200 and linha[:5] + "." + linha[5:10] in boleto.text and "<rect" in boleto.text
    r = await client.post(f"/_sim/ui/pay/ideagateway/pix/{pix['id']}", data={"action": "pay"})
    assert r.status_code == 303
    assert (await client.get(f"/ideagateway/pix/{pix['id']}", headers=h)).json()["status"] == "paid"
    assert (await client.get("/_sim/ui/pay/ideagateway/pix/NOPE")).status_code == 404
    tx = await _push(client, app)  # a ClicPay mobile-money transaction declares no codes: no Pix or boleto page
    assert (await client.get(f"/_sim/ui/pay/clicpay/pix/{tx['clicpay_reference']}")).status_code == 404


async def test_idea_gateway_pix_and_debit_pages(client: httpx.AsyncClient, app: Any) -> None:
    h = account_headers(app, "ideagateway")
    pix = (await client.post("/ideagateway/pix", json={"amount": "1000"}, headers=h)).json()
    r = await client.get(f"/_sim/ui/pay/ideagateway/pix/{pix['id']}")
    assert r.status_code == 200 and pix["qrCode"] in r.text and "R$ 10,00" in r.text
