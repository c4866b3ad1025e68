"""Test utilities every suite shares: the start of the manual clock, account headers, clock advances and the
control API's journals, over HTTP (an httpx client on the app, in process or on a real server)."""

from __future__ import annotations

from typing import Any

import httpx

START = 1_767_225_600  # 2026-01-01T00:00:00Z (2025-12-31 21:00:00 in Brazil)
START_ISO = "2026-01-01T00:00:00Z"


def account_headers(app: Any, provider: str, index: int = 0) -> dict[str, str]:
    """The headers that authenticate the provider's index-th account of an in-process app."""
    return dict(app.sim.providers[provider].accounts[index].headers)


async def advance(client: httpx.AsyncClient, seconds: float) -> dict[str, Any]:
    """POST /_sim/clock/advance: every transition and webhook due by then has run when it returns."""
    r = await client.post("/_sim/clock/advance", json={"seconds": seconds})
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


async def force(client: httpx.AsyncClient, provider: str, ident: str | int, outcome: str,
                message: str | None = None) -> httpx.Response:
    """POST /_sim/{provider}/transactions/{id}/{outcome} (the answer is returned, whatever its status)."""
    body = {"message": message} if message is not None else {}
    return await client.post(f"/_sim/{provider}/transactions/{ident}/{outcome}", json=body)


async def deliveries(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """GET /_sim/webhooks with filters."""
    r = await client.get("/_sim/webhooks", params=params)
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["deliveries"]
    return found


async def set_account_webhook(client: httpx.AsyncClient, provider: str, account: str, url: str) -> None:
    r = await client.put(f"/_sim/{provider}/accounts/{account}/webhook", json={"url": url})
    assert r.status_code == 200, r.text
