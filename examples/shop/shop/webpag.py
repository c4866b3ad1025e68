"""WebPag: payers and Pix payments (amounts in centavos)."""

from __future__ import annotations

import httpx

from shop.orders import Order

PRODUCTION = "https://api.webpag.com.br"


class WebPag:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http  # base URL and the `auth-token` header already set

    @classmethod
    def connect(cls, auth_token: str, base_url: str = PRODUCTION) -> "WebPag":
        headers = {"auth-token": auth_token, "Accept": "application/json"}
        return cls(httpx.Client(base_url=base_url, headers=headers, timeout=30.0))

    def business_id(self) -> int:
        r = self.http.get("/api/me")
        r.raise_for_status()
        return int(r.json()["id"])

    def register_payer(self, first_name: str, last_name: str, cpf: str) -> int:
        r = self.http.post("/api/payers/register", json={
            "first_name": first_name, "last_name": last_name, "is_business": False, "cpf_cnpj": cpf})
        r.raise_for_status()
        return int(r.json()["data"]["id"])

    def charge_pix(self, order: Order, payer_id: int, notification_url: str) -> str:
        """Create the Pix charge; returns the code the customer pastes in their bank app."""
        r = self.http.post("/api/payments/process", json={
            "payer_id": payer_id, "name": f"Pedido {order.id}", "amount": order.amount_cents, "method": "pix",
            "order_id": order.id, "notification_url": notification_url})
        r.raise_for_status()
        payment = r.json()["data"]
        order.awaiting("webpag", str(payment["id"]))
        order.pix_code = str(payment["pix"]["qrcode_data"])
        return order.pix_code
