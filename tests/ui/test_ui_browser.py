"""Click through the payer's pages and the dashboard in a real headless Chromium against a real uvicorn server,
and see the state change and the webhook reach a local receiver."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from ui_support import browser, console, page, receiver, server, shot, _ui_server  # noqa: F401

W = "/api/v2/wallets/144365"


def _endpoint(sim: Any, receiver: Any) -> None:
    """A ClicPay webhook endpoint of account acme that points at the receiver."""
    r = sim.client("clicpay").post("/api/v2/webhooks", json={"url": receiver.url + "/hooks"})
    assert r.status_code == 201, r.text


def _status(sim: Any, reference: str) -> str:
    return str(sim.client("clicpay").get(f"/api/v2/transactions/{reference}/status").json()["status"])


def test_card_checkout_approves_redirects_and_delivers_the_webhook(server: Any, receiver: Any,
                                                                   page: Any, shot: Any) -> None:
    sim = server
    _endpoint(sim, receiver)
    created = sim.client("clicpay").post(f"{W}/card-payment", json={
        "amount": 1500, "reference_description": "Pedido 4471", "first_name": "Ana", "last_name": "Muianga",
        "callback_url": receiver.url + "/return?order=4471"}).json()
    page.goto(created["checkout_url"])
    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("Security code").fill("123")
    page.get_by_label("Name on card").fill("ANA MUIANGA")
    shot("checkout")
    page.get_by_role("button", name="Pay 1500 MZN").click()
    page.wait_for_url(receiver.url + "/return*")
    assert f"resultIndicator={created['success_indicator']}" in page.url
    assert f"sessionId={created['session_id']}" in page.url and "order=4471" in page.url
    assert _status(sim, created["clicpay_reference"]) == "successful"
    [hook] = receiver.events("transaction.completed")
    assert hook["body"]["data"]["clicpay_reference"] == created["clicpay_reference"]


def test_declined_card_returns_another_indicator(server: Any, receiver: Any, page: Any) -> None:
    sim = server
    created = sim.client("clicpay").post(f"{W}/card-payment", json={
        "amount": 20, "reference_description": "Pedido 9", "callback_url": receiver.url + "/return"}).json()
    page.goto(created["checkout_url"])
    page.get_by_label("Card number").fill("4000000000000002")
    page.get_by_label("Expiry (MM/YY)").fill("01/29")
    page.get_by_label("Security code").fill("999")
    page.get_by_label("Name on card").fill("X")
    page.keyboard.press("Enter")
    page.wait_for_url(receiver.url + "/return*")
    assert "resultIndicator=" in page.url and created["success_indicator"] not in page.url
    assert _status(sim, created["clicpay_reference"]) == "failed"


def test_ussd_push_accepted_on_the_phone_page(server: Any, receiver: Any, page: Any,
                                              shot: Any) -> None:
    sim = server
    _endpoint(sim, receiver)
    created = sim.client("clicpay").post(f"{W}/c2b/mpesa", json={
        "amount": 250, "reference_description": "Fatura 12", "msisdn": "840000009"}).json()
    page.goto(sim.base_url + "/_sim/ui/pay/phone")
    shot("phones")
    page.get_by_role("link", name="840000009").click()
    page.get_by_label("PIN").fill("1234")
    shot("phone")
    page.get_by_role("button", name="Accept").click()
    assert "successful" in page.locator("#result").inner_text()
    assert _status(sim, created["clicpay_reference"]) == "successful"
    [hook] = receiver.events("transaction.completed")
    assert hook["body"]["data"]["msisdn"] == "840000009"


def test_dashboard_forces_an_outcome_and_resends_a_webhook(server: Any, receiver: Any, page: Any,
                                                           shot: Any) -> None:
    sim = server
    _endpoint(sim, receiver)
    created = sim.client("clicpay").post(f"{W}/c2b/emola", json={
        "amount": 75, "reference_description": "Recarga", "msisdn": "860000009"}).json()
    reference = created["clicpay_reference"]
    page.goto(sim.base_url + "/_sim/ui")
    shot("overview")
    page.get_by_role("link", name="Transactions").click()
    page.get_by_role("link", name=reference).click()
    shot("transaction")
    page.get_by_role("button", name="Force failed").click()
    page.wait_for_selector("#tx-state >> text=failed")
    assert _status(sim, reference) == "failed"
    assert len(receiver.events("transaction.failed")) == 1
    page.get_by_role("link", name="Webhooks").click()
    row = page.locator("tr[data-delivery]").first
    assert "delivered" in row.inner_text()
    row.get_by_role("button", name="Resend").click()
    expect(page.locator("tr[data-delivery]")).to_have_count(2)  # no wait_for_function: the page's CSP forbids eval
    shot("webhooks")
    assert len(receiver.events("transaction.failed")) == 2


def test_clock_advance_from_the_overview(server: Any, page: Any) -> None:
    sim = server
    before = sim.now()
    page.goto(sim.base_url + "/_sim/ui")
    page.get_by_role("button", name="+1 h").click()
    expect(page.locator("#clock-now")).not_to_have_text(before)
    assert page.locator("#clock-now").inner_text() == sim.now() != before


def test_request_journal_lists_and_details_requests(server: Any, page: Any, shot: Any) -> None:
    sim = server
    sim.client("clicpay").post(f"{W}/c2b/mpesa", json={"amount": 10})  # missing fields: a 400 with errors
    page.goto(sim.base_url + "/_sim/ui/requests")
    shot("requests")
    page.locator("#journal tbody a").first.click()
    shot("request")
    text = page.locator("main").inner_text()
    assert "400" in text and "reference_description" in text


def test_scenario_upload_shows_a_load_error(server: Any, page: Any, tmp_path: Any, shot: Any,
                                            console: Any) -> None:
    sim = server
    console.expected_statuses.add(400)  # the API's answer to a bad file, shown on the page
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: broken\nprovider: clicpay\nrules:\n  - match: {operation: c2b_mpesa}\n    bogus: 1\n")
    page.goto(sim.base_url + "/_sim/ui/scenarios")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Load").click()
    page.wait_for_selector("#load-error:not([hidden])")
    shot("scenarios")
    assert page.locator("#load-message").inner_text()


def _ig_hooks(sim: Any, receiver: Any) -> Any:
    account = sim.account("ideagateway")["id"]
    r = sim.control.put(f"/_sim/ideagateway/accounts/{account}/webhook", json={"url": receiver.url + "/ig"})
    assert r.status_code == 200, r.text
    return sim.client("ideagateway")


def test_pix_qr_page_pays_and_delivers_the_webhook(server: Any, receiver: Any, page: Any, shot: Any) -> None:
    sim = server
    ig = _ig_hooks(sim, receiver)
    created = ig.post("/pix", json={"amount": "1000", "customCode": "order-77"}).json()
    page.goto(f"{sim.base_url}/_sim/ui/pay/ideagateway/pix/{created['id']}")
    assert page.locator("#brcode").input_value() == created["qrCode"]
    assert page.locator(".qr svg").count() == 1
    shot("pix")
    page.get_by_role("button", name="Pagar com Pix").click()
    page.wait_for_selector("#status >> text=paid")
    assert ig.get(f"/pix/{created['id']}").json()["status"] == "paid"
    assert any(created["id"] in str(p["body"]) for p in receiver.posts)


def test_debit_card_bank_page_approves_and_returns(server: Any, receiver: Any, page: Any, shot: Any) -> None:
    sim = server
    ig = _ig_hooks(sim, receiver)
    r = ig.post("/debitCard", json={
        "amount": "2500", "customCode": "order-88", "isGift": False, "returnUrl": receiver.url + "/back",
        "customer": {"name": "Ana Muianga", "documentNumber": "52998224725", "email": "ana@example.com"},
        "card": {"cvv": "123", "number": "4111111111111111", "holder": "ANA MUIANGA", "expirationDate": "12/2030",
                 "brand": "visa"}})
    assert r.status_code == 201, r.text
    created = r.json()
    page.goto(created["redirectUrl"])
    shot("debit")
    page.get_by_role("button", name="Autorizar").click()
    page.wait_for_url(receiver.url + "/back*")
    assert ig.get(f"/debitCard/{created['id']}").json()["status"] == "paid"


def test_webpag_payment_link_paid_by_card(server: Any, receiver: Any, page: Any, shot: Any) -> None:
    sim = server
    wp = sim.client("webpag")
    r = wp.post("/api/payment-links/register", json={
        "accepted_methods": ["credit_card", "pix", "bankslip"], "name": "Caderno universitário",
        "description": "Caderno 10 matérias", "value": 1000, "validity": "2026-06-01 15:00", "validity_boleto": 3,
        "number_installments": 3, "notification_url": receiver.url + "/wp", "return_url": receiver.url + "/obrigado"})
    assert r.status_code == 200, r.text
    link = r.json()["data"]
    page.goto(link["url"])
    page.get_by_label("Nome", exact=True).fill("Maria")
    page.get_by_label("Sobrenome").fill("Souza")
    page.get_by_label("CPF ou CNPJ").fill("529.982.247-25")
    page.get_by_label("E-mail").fill("maria@example.com")
    page.get_by_label("Número do cartão").fill("4111 1111 1111 1111")
    page.get_by_label("Validade (MM/AA)").fill("12/30")
    page.get_by_label("CVV").fill("123")
    page.get_by_label("Nome impresso no cartão").fill("MARIA SOUZA")
    page.get_by_label("Parcelas").select_option("3")
    shot("webpag-link")
    page.get_by_role("button", name="Pagar R$ 10,00 com cartão").click()
    page.wait_for_url(receiver.url + "/obrigado")
    [payment] = wp.get("/api/payments").json()["data"]
    assert (payment["status"], payment["installments"], payment["amount"]) == (40, 3, 1000)
    [hook] = [p for p in receiver.posts if p["path"] == "/wp"]
    assert hook["body"]["id"] == payment["id"] and hook["body"]["status"] == 40
