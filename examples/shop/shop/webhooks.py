"""The shop's webhook endpoint, whatever web framework serves it: `handle(headers, body) -> HTTP status`.

ClicPay signs each delivery (hex HMAC-SHA256 of the raw body with the endpoint's secret, `X-ClicPay-Signature`);
WebPag does not sign, so its notifications are accepted only for the shop's own business id and an order it knows
with the same amount. Deliveries can repeat (retries, duplicates): each is applied once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

from shop.orders import OrderBook

WEBPAG_STATUS = {40: "paid", 30: "failed", 60: "expired"}  # WebPag payment status codes the shop acts on


class ClicPayWebhooks:
    def __init__(self, book: OrderBook, secret: str) -> None:
        self.book, self.secret = book, secret
        self.seen: set[str] = set()

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        headers = {k.lower(): v for k, v in headers.items()}
        expected = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("x-clicpay-signature", "")):
            return 401
        delivery = headers.get("x-clicpay-delivery", "")
        if delivery in self.seen:
            return 200
        event = json.loads(body)
        data = event.get("data") or {}
        order = self.book.by_ref("clicpay", str(data.get("clicpay_reference")))
        if order is not None:
            if event.get("event") == "transaction.completed":
                self.book.paid(order)
            elif event.get("event") == "transaction.failed":
                order.settle("failed", data.get("message"))
        self.seen.add(delivery)
        return 200


class WebPagWebhooks:
    def __init__(self, book: OrderBook, business_id: int) -> None:
        self.book, self.business_id = book, business_id

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        try:
            payment = json.loads(body)
        except ValueError:
            return 400
        if (payment.get("business") or {}).get("id") != self.business_id:
            return 403
        order = self.book.by_ref("webpag", str(payment.get("id")))
        if order is None or payment.get("amount") != order.amount_cents:
            return 404
        status = WEBPAG_STATUS.get(payment.get("status"))
        if status == "paid":
            self.book.paid(order)
        elif status is not None:
            order.settle(status)
        return 200
