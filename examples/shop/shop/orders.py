"""Orders and their payment state."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Order:
    id: str
    amount_cents: int
    status: str = "new"  # new -> awaiting_payment -> paid | failed | expired
    provider: str | None = None
    provider_ref: str | None = None  # ClicPay's clicpay_reference, WebPag's payment id
    failure: str | None = None
    pix_code: str | None = None  # the Pix "copia e cola" code shown to the customer

    def awaiting(self, provider: str, ref: str) -> None:
        self.status, self.provider, self.provider_ref = "awaiting_payment", provider, ref

    def settle(self, status: str, failure: str | None = None) -> bool:
        """Move on from awaiting_payment; a final state never changes again. True when it changed."""
        if self.status != "awaiting_payment":
            return False
        self.status, self.failure = status, failure
        return True


@dataclass
class OrderBook:
    orders: dict[str, Order] = field(default_factory=dict)
    shipped: list[str] = field(default_factory=list)  # order ids handed to the warehouse, once each

    def paid(self, order: Order) -> None:
        """The payment is confirmed: settle the order and ship it (only the first confirmation ships)."""
        if order.settle("paid"):
            self.shipped.append(order.id)

    def new(self, order_id: str, amount_cents: int) -> Order:
        order = self.orders[order_id] = Order(order_id, amount_cents)
        return order

    def by_ref(self, provider: str, ref: str) -> Order | None:
        return next((o for o in self.orders.values() if o.provider == provider and o.provider_ref == ref), None)
