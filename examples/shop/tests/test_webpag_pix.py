"""Pix through WebPag, against a real simulator server (provider_sim_server) and the shop's production client."""

from __future__ import annotations

from shop.webhooks import WebPagWebhooks

CPF = "82110880023"


def test_pix_paid_by_the_customer_pays_the_order(provider_sim_server, webhook_receiver, book, webpag):
    hooks = WebPagWebhooks(book, webpag.business_id())
    payer = webpag.register_payer("Ana", "Souza", CPF)
    order = book.new("2001", 1_500)  # R$ 15,00
    code = webpag.charge_pix(order, payer, webhook_receiver.url + "/webhooks/webpag")
    assert code.startswith("000201") and "br.gov.bcb.pix" in code  # a BR Code the bank app reads

    provider_sim_server.force("webpag", order.provider_ref, "paid")  # the customer pays in the bank app

    [notification] = webhook_receiver.wait_for(1)  # a real server: the delivery may land a moment later
    assert notification.path == "/webhooks/webpag"
    assert hooks.handle(notification.headers, notification.body) == 200
    assert order.status == "paid" and book.shipped == ["2001"]
    assert provider_sim_server.violations(provider="webpag") == []


def test_unpaid_pix_expires_after_an_hour(provider_sim_server, webhook_receiver, book, webpag):
    hooks = WebPagWebhooks(book, webpag.business_id())
    order = book.new("2002", 4_990)
    webpag.charge_pix(order, webpag.register_payer("Bruno", "Lima", CPF), webhook_receiver.url)

    provider_sim_server.advance(3600)  # WebPag's documented default: a Pix charge lives 60 minutes

    [notification] = webhook_receiver.received
    assert hooks.handle(notification.headers, notification.body) == 200
    assert order.status == "expired" and book.shipped == []


def test_late_payment_notified_twice_is_applied_once(provider_sim_server, webhook_receiver, book, webpag):
    hooks = WebPagWebhooks(book, webpag.business_id())
    provider_sim_server.scenario("shop-pix-paid-late-twice")  # the shop's own scenario
    order = book.new("2003", 12_000)
    webpag.charge_pix(order, webpag.register_payer("Carla", "Dias", CPF), webhook_receiver.url)

    provider_sim_server.advance(599)
    assert webhook_receiver.received == [] and order.status == "awaiting_payment"
    provider_sim_server.advance(1)

    first, second = webhook_receiver.received
    assert first.body == second.body
    assert [hooks.handle(n.headers, n.body) for n in (first, second)] == [200, 200]
    assert order.status == "paid" and book.shipped == ["2003"]  # shipped once


def test_a_notification_for_another_business_is_refused(provider_sim_server, webhook_receiver, book, webpag):
    hooks = WebPagWebhooks(book, webpag.business_id())
    other = provider_sim_server.client("webpag", account=1)  # a second WebPag account, another business
    payer = other.post("/api/payers/register", json={
        "first_name": "Davi", "last_name": "Rocha", "is_business": False, "cpf_cnpj": CPF}).json()["data"]["id"]
    payment = other.post("/api/payments/process", json={
        "payer_id": payer, "name": "Pedido alheio", "amount": 1_000, "method": "pix",
        "notification_url": webhook_receiver.url}).json()["data"]

    provider_sim_server.force("webpag", payment["id"], "paid")

    [notification] = webhook_receiver.wait_for(1)
    assert hooks.handle(notification.headers, notification.body) == 403
    assert book.orders == {}
