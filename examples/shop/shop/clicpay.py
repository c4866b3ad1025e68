"""ClicPay v2: M-Pesa C2B (a USSD push to the customer's phone) and the webhook endpoint registration."""

from __future__ import annotations

import httpx

from shop.orders import Order

PRODUCTION = "https://api.clicpay.co.mz"  # the shop's production base URL (an assumption of this example)


class PaymentRefused(Exception):
    """ClicPay refused the request; `errors` is its {field: [messages]}."""

    def __init__(self, status: int, errors: dict[str, list[str]] | str) -> None:
        super().__init__(f"ClicPay answered {status}: {errors}")
        self.status, self.errors = status, errors


class ClicPay:
    def __init__(self, http: httpx.Client, wallet_id: int) -> None:
        self.http = http  # base URL and `Authorization: Bearer <token>` already set
        self.wallet_id = wallet_id

    @classmethod
    def connect(cls, token: str, wallet_id: int, base_url: str = PRODUCTION) -> "ClicPay":
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        return cls(httpx.Client(base_url=base_url, headers=headers, timeout=30.0), wallet_id)

    def charge_mpesa(self, order: Order, msisdn: str) -> str:
        """Ask the customer's phone to approve the payment; returns ClicPay's reference."""
        amount = order.amount_cents / 100  # ClicPay takes meticais
        body = {"msisdn": msisdn, "amount": int(amount) if amount.is_integer() else amount,
                "reference_description": f"Pedido {order.id}"}
        r = self.http.post(f"/api/v2/wallets/{self.wallet_id}/c2b/mpesa", json=body)
        if r.status_code != 200:
            payload = r.json()
            raise PaymentRefused(r.status_code, payload.get("errors") or payload.get("message", r.text))
        ref = str(r.json()["clicpay_reference"])
        order.awaiting("clicpay", ref)
        return ref

    def status(self, reference: str) -> str:
        r = self.http.get(f"/api/v2/transactions/{reference}/status")
        r.raise_for_status()
        return str(r.json()["status"])

    def register_webhook(self, url: str) -> str:
        """Subscribe `url` to both transaction events; returns the endpoint's signing secret."""
        r = self.http.post("/api/v2/webhooks", json={
            "url": url, "events_enabled": ["transaction.completed", "transaction.failed"],
            "wallet_ids": [self.wallet_id]})
        r.raise_for_status()
        return str(r.json()["data"]["secret"])
