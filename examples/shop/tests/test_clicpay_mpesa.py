"""M-Pesa C2B through ClicPay, against the in-process simulator (provider_sim)."""

from __future__ import annotations

import pytest

from shop.clicpay import PaymentRefused
from shop.webhooks import ClicPayWebhooks

CUSTOMER = "841234567"  # any valid M-Pesa number approves after 5 s


def test_order_is_paid_when_the_signed_webhook_arrives(provider_sim, webhook_receiver, book, clicpay):
    hooks = ClicPayWebhooks(book, clicpay.register_webhook(webhook_receiver.url + "/webhooks/clicpay"))
    order = book.new("1001", 50_000)  # 500,00 MZN
    ref = clicpay.charge_mpesa(order, CUSTOMER)
    assert clicpay.status(ref) == "pending" and order.status == "awaiting_payment"

    provider_sim.advance(5)  # the customer approves the USSD push; the webhook is delivered before this returns

    [delivery] = webhook_receiver.received
    assert delivery.path == "/webhooks/clicpay"
    assert hooks.handle(delivery.headers, delivery.body) == 200
    assert order.status == "paid" and book.shipped == ["1001"]
    assert clicpay.status(ref) == "successful"
    assert provider_sim.violations() == []  # every request the shop sent keeps ClicPay's contract


def test_customer_rejecting_the_push_fails_the_order(provider_sim, webhook_receiver, book, clicpay):
    hooks = ClicPayWebhooks(book, clicpay.register_webhook(webhook_receiver.url))
    provider_sim.scenario("clicpay-customer-rejects")  # built-in: C2B payments fail after 20 s
    order = book.new("1002", 25_000)
    clicpay.charge_mpesa(order, CUSTOMER)

    provider_sim.advance(20)

    for delivery in webhook_receiver.received:
        hooks.handle(delivery.headers, delivery.body)
    assert order.status == "failed"
    assert order.failure == "Cliente rejeitou o pedido USSD"


def test_the_shops_own_scenario_fails_only_large_orders(provider_sim, webhook_receiver, book, clicpay):
    hooks = ClicPayWebhooks(book, clicpay.register_webhook(webhook_receiver.url))
    provider_sim.scenario("shop-mpesa-large-orders-fail")  # from tests/scenarios (ini: provider_sim_scenarios)
    small, large = book.new("1003", 5_000), book.new("1004", 1_500_000)
    clicpay.charge_mpesa(small, CUSTOMER)
    clicpay.charge_mpesa(large, CUSTOMER)

    provider_sim.advance(20)

    for delivery in webhook_receiver.received:
        assert hooks.handle(delivery.headers, delivery.body) == 200
    assert (small.status, large.status) == ("paid", "failed") and book.shipped == ["1003"]
    assert large.failure == "Saldo insuficiente na conta do cliente"


def test_a_forged_webhook_is_refused_and_changes_nothing(provider_sim, webhook_receiver, book, clicpay):
    hooks = ClicPayWebhooks(book, clicpay.register_webhook(webhook_receiver.url))
    provider_sim.scenario("clicpay-webhook-bad-signature")  # built-in: a wrong X-ClicPay-Signature
    order = book.new("1005", 10_000)
    clicpay.charge_mpesa(order, CUSTOMER)

    provider_sim.advance(5)

    [delivery] = webhook_receiver.received
    assert hooks.handle(delivery.headers, delivery.body) == 401
    assert order.status == "awaiting_payment" and book.shipped == []


def test_a_repeated_delivery_is_applied_once(provider_sim, webhook_receiver, book, clicpay):
    hooks = ClicPayWebhooks(book, clicpay.register_webhook(webhook_receiver.url))
    webhook_receiver.plan = [503]  # the shop is down for the first attempt: ClicPay retries 60 s later
    order = book.new("1006", 10_000)
    clicpay.charge_mpesa(order, CUSTOMER)

    provider_sim.advance(5)
    provider_sim.advance(60)

    first, retry = webhook_receiver.received
    assert first.body == retry.body
    assert [hooks.handle(d.headers, d.body) for d in (first, retry)] == [200, 200]
    assert order.status == "paid" and book.shipped == ["1006"]  # shipped once
    assert [d["state"] for d in provider_sim.webhooks(provider="clicpay")] == ["retrying", "delivered"]


def test_a_number_that_is_no_mozambican_mobile_is_refused_with_clicpays_errors(book, clicpay):
    order = book.new("1007", 10_000)
    with pytest.raises(PaymentRefused) as refused:
        clicpay.charge_mpesa(order, "84123456")  # eight digits: no Mozambican mobile number
    assert refused.value.status == 400
    assert refused.value.errors == {"msisdn": ["Número de telefone inválido"]}
    assert order.status == "new"


def test_a_number_of_another_operator_is_served_with_a_journal_warning(provider_sim, book, clicpay):
    """ClicPay's documents state no operator prefixes, so an e-Mola number sent to M-Pesa is served; the journal
    warns, which a suite can assert to catch the mix-up before the real provider does."""
    clicpay.charge_mpesa(book.new("1008", 10_000), "861234567")
    [entry] = provider_sim.warnings(provider="clicpay")
    assert "msisdn_operator" in entry["warnings"][0]
    assert provider_sim.violations() == []
