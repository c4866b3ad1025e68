"""Records made or moved at one moment share their history and planned move in memory (issue 15): each still keeps
a history of its own, in order, when one of them moves on and the others do not."""

from __future__ import annotations

import httpx

from simulator.app import build_app
from simulator.settings import Settings
from shared import START, account_headers, advance, force

PAY = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
HELD = {"msisdn": "840000009", "amount": 10, "reference_description": "Held"}  # holds until forced
PLAIN = {"msisdn": "841234567", "amount": 10, "reference_description": "Plain"}


async def test_records_made_together_keep_histories_of_their_own() -> None:
    app = build_app(Settings(clock="manual", start_time=START, seed=0))
    h = account_headers(app, "clicpay")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        held = [(await c.post(PAY, headers=h, json=HELD)).json()["clicpay_reference"] for _ in range(3)]
        plain = [(await c.post(PAY, headers=h, json=PLAIN)).json()["clicpay_reference"] for _ in range(2)]
        assert (await force(c, "clicpay", held[0], "failed", "Saldo insuficiente")).status_code == 200
        await advance(c, 60)
        statuses = {ref: (await c.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()["status"]
                    for ref in held + plain}
    assert statuses == {held[0]: "failed", held[1]: "pending", held[2]: "pending",
                        plain[0]: "successful", plain[1]: "successful"}

    def moves(ref: str) -> list[tuple[object, ...]]:
        record = app.sim.store.get("clicpay", "transaction", ref)
        assert record is not None
        return [tuple(step) for step in record.meta.history]

    assert moves(held[0]) == [(None, "pending", START, "created", None),
                              ("pending", "failed", START, "forced", "Saldo insuficiente")]
    assert moves(held[1]) == moves(held[2]) == [(None, "pending", START, "created", None)]
    assert moves(plain[0]) == moves(plain[1]) == [(None, "pending", START, "created", None),
                                                  ("pending", "successful", START + 5, "clock", None)]
