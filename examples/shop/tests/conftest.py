"""The shop's fixtures on top of provider-sim's pytest plugin (provider_sim, provider_sim_server, webhook_receiver)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shop import OrderBook
from shop.clicpay import ClicPay
from shop.webpag import WebPag


@pytest.fixture
def book() -> OrderBook:
    return OrderBook()


@pytest.fixture
def clicpay(provider_sim) -> ClicPay:
    """The shop's ClicPay client on the in-process simulator: its httpx client carries the account's token."""
    wallet = provider_sim.account("clicpay")["wallets"][0]  # the account's M-Pesa wallet
    return ClicPay(provider_sim.client("clicpay"), wallet_id=wallet)


@pytest.fixture
def webpag(provider_sim_server) -> Iterator[WebPag]:
    """The shop's WebPag client built as in production, from a base URL and a token, on a real server."""
    token = provider_sim_server.account("webpag")["credentials"]["auth_token"]
    client = WebPag.connect(token, base_url=f"{provider_sim_server.base_url}/webpag")
    yield client
    client.http.close()
