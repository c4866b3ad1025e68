"""Idea Gateway credit and debit cards over HTTP: magic numbers, refunds, redirect, webhooks."""

from __future__ import annotations

import pytest

from ig_support import IG, card_body, ig, ig_app  # noqa: F401

DECLINED = {"4000000000000002": "05", "4000000000000010": "51", "4000000000000028": "57",
            "4000000000000036": "78", "5105105105105100": "77"}


@pytest.mark.parametrize("number", ["4111111111111111", "5555555555554444", "1234567812345678"])
async def test_documented_cards_are_captured(ig: IG, number: str) -> None:
    r = await ig.post("/creditCard", card_body(number))
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "paid" and body["provider"] == "cielo" and body["amount"] == 1000
    assert body["metadata"]["returnCode"] == "6" and body["metadata"]["returnMessage"] == "Operation Successful"
    assert len(body["metadata"]["autorizationCode"]) == 6 and "capturedDate" in body
    assert "refundedAmount" not in body and "documentNumber" not in body["customer"]


@pytest.mark.parametrize(("number", "code"), sorted(DECLINED.items()))
async def test_magic_cards_are_declined(ig: IG, number: str, code: str) -> None:
    body = (await ig.post("/creditCard", card_body(number))).json()
    assert body["status"] == "declined" and body["metadata"]["returnCode"] == code
    assert body["capturedDate"] is None and "refundedAmount" not in body  # op 21's shape: no refund fields


async def test_card_validation(ig: IG) -> None:
    r = await ig.post("/creditCard", {"amount": "1000", "customer": {"name": "A"}})
    assert r.status_code == 400 and r.json() == {"message": "O campo card é obrigatório."}
    body = card_body()
    body["card"] = {**body["card"], "expirationDate": "2030-12"}
    r = await ig.post("/creditCard", body)
    assert r.status_code == 400 and r.json() == {"message": "Dados do cartão inválidos."}


async def test_credit_refund_is_requested_then_completed_with_webhooks(ig: IG) -> None:
    await ig.receive_webhooks()
    card = (await ig.post("/creditCard", card_body())).json()
    r = await ig.post(f"/creditCard/{card['id']}/refund", {"amount": 500})
    assert r.status_code == 200
    assert r.json()["status"] == "refund_requested" and r.json()["refundedAmount"] == 500
    await ig.advance(599)
    assert (await ig.get(f"/creditCard/{card['id']}")).json()["status"] == "refund_requested"
    await ig.advance(1)
    assert (await ig.get(f"/creditCard/{card['id']}")).json()["status"] == "refunded"
    statuses = [h["event"]["data"]["creditCard"]["status"] for h in ig.hooks if h["event"]["type"] == "creditCard"]
    assert statuses == ["paid", "refund_requested", "refunded"]
    assert (await ig.post(f"/creditCard/{card['id']}/refund", {})).status_code == 422


async def test_refund_rules(ig: IG) -> None:
    declined = (await ig.post("/creditCard", card_body("4000000000000002"))).json()
    r = await ig.post(f"/creditCard/{declined['id']}/refund", {})
    assert r.status_code == 422 and r.json() == {"message": "Não foi possível processar o estorno."}
    card = (await ig.post("/creditCard", card_body())).json()
    assert (await ig.post(f"/creditCard/{card['id']}/refund", {"amount": 1001})).status_code == 400
    assert (await ig.post("/creditCard/missing/refund", {})).status_code == 404


async def test_search_credit_card_requires_custom_code(ig: IG) -> None:
    await ig.post("/creditCard", card_body(customCode="abc"))
    r = await ig.get("/creditCard")
    assert r.status_code == 400 and r.json() == {"message": "O campo customCode é obrigatório."}
    found = (await ig.get("/creditCard", params={"customCode": "abc"})).json()
    assert len(found) == 1 and "createdAt" in found[0]
    assert (await ig.get("/creditCard", params={"customCode": "abc", "providerName": "rede"})).json() == []
    assert (await ig.get("/creditCard/missing")).json() == {"message": "Transação não encontrada."}


async def test_debit_with_return_url_waits_for_the_payer(ig: IG) -> None:
    await ig.receive_webhooks()
    r = await ig.post("/debitCard", card_body(returnUrl="https://shop.example/back"))
    body = r.json()
    assert r.status_code == 201 and body["status"] == "pending"
    assert body["redirectUrl"] == f"http://sim.test/_sim/ui/pay/ideagateway/debit/{body['id']}"
    await ig.advance(1)
    assert ig.hooks == []
    assert (await ig.force(body["id"], "paid")).json()["status"] == "paid"
    assert ig.hooks[-1]["event"]["type"] == "debitCard"
    assert ig.hooks[-1]["event"]["data"]["debitCard"]["status"] == "paid"


async def test_debit_authenticated_in_the_browser_is_authorized_once_paid(ig: IG) -> None:
    """Ops 22-25: refund and capture fields are null until they happen; redirectUrl only in the create answer;
    the charge gets its authorization code when the payer authenticates (or a decline's code when refused)."""
    body = (await ig.post("/debitCard", card_body(returnUrl="https://shop.example/back", customCode="b1"))).json()
    assert (body["refundedDate"], body["refundedAmount"], body["capturedDate"]) == (None, None, None)
    assert body["metadata"]["autorizationCode"] is None and body["redirectUrl"]
    await ig.force(body["id"], "paid")
    got = (await ig.get(f"/debitCard/{body['id']}")).json()
    assert "redirectUrl" not in got and got["status"] == "paid" and got["capturedDate"]
    assert got["metadata"]["returnCode"] == "6" and len(got["metadata"]["autorizationCode"]) == 6
    assert (got["refundedDate"], got["refundedAmount"]) == (None, None)
    [found] = (await ig.get("/debitCard", params={"customCode": "b1"})).json()
    assert "redirectUrl" not in found and found["metadata"] == got["metadata"]
    refunded = (await ig.post(f"/debitCard/{body['id']}/refund", {"amount": 500})).json()
    assert refunded["refundedAmount"] == 500 and refunded["refundedDate"] and "redirectUrl" not in refunded
    denied = (await ig.post("/debitCard", card_body(returnUrl="https://shop.example/back"))).json()
    await ig.force(denied["id"], "declined")
    got = (await ig.get(f"/debitCard/{denied['id']}")).json()
    assert got["metadata"]["returnCode"] == "05" and got["metadata"]["autorizationCode"] is None


async def test_a_return_url_that_is_no_url_is_served_with_a_warning(ig: IG) -> None:
    """The document's example sends returnUrl "string": served (a journal warning); the payer is not sent there."""
    body = (await ig.post("/debitCard", card_body(returnUrl="string"))).json()
    assert body["status"] == "pending"
    [entry] = (await ig.http.get("/_sim/requests", params={"operation": "create_debit_card"})).json()["requests"]
    assert entry["violations"] == [] and "check return_url" in entry["warnings"][0]
    page = (await ig.http.get(body["redirectUrl"].removeprefix("http://sim.test"))).text
    assert 'href="string"' not in page


async def test_debit_authentication_abandoned_is_canceled(ig: IG) -> None:
    body = (await ig.post("/debitCard", card_body(returnUrl="https://shop.example/back"))).json()
    await ig.advance(900)
    assert (await ig.get(f"/debitCard/{body['id']}")).json()["status"] == "canceled"


async def test_debit_without_return_url_settles_and_notifies(ig: IG) -> None:
    await ig.receive_webhooks()
    body = (await ig.post("/debitCard", card_body(customCode="d1"))).json()
    assert body["status"] == "paid" and "redirectUrl" not in body
    await ig.advance(1)
    assert ig.hooks[-1]["event"]["data"]["debitCard"]["id"] == body["id"]
    r = await ig.post(f"/debitCard/{body['id']}/refund", {})
    assert r.status_code == 200 and r.json()["status"] == "refunded" and r.json()["refundedAmount"] == 1000
    assert [c["id"] for c in (await ig.get("/debitCard", params={"customCode": "d1"})).json()] == [body["id"]]


async def test_failed_deliveries_are_retried_on_the_schedule(ig: IG) -> None:
    await ig.receive_webhooks(status=500)
    await ig.post("/creditCard", card_body())
    await ig.advance(1)
    assert [d["state"] for d in await ig.deliveries()] == ["retrying"]
    await ig.advance(60)
    deliveries = await ig.deliveries()
    assert [d["attempt"] for d in deliveries] == [1, 2]
    assert "signature" not in str(deliveries[0]["request_headers"]).lower()
