"""Money a provider holds (behaviour.yaml `balances:`, simulator/engine/balances.py): payouts reserve what they take
when they are accepted, never more than the balance holds, however many arrive at once, and a failed one gives its
amount back. Runs on both stores (make test-sqlite)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from simulator.app import SimulatorApp
from simulator.behaviour.load import load
from simulator.spec.loader import SpecError
from shared import account_headers, advance

WALLET = 144365  # acme's M-Pesa wallet: 25,000 MZN
TOKEN = "6f3a0e5c-7b0a-4a8e-9d8e-2b1f4c5d6e7f"


def payout(amount: float, msisdn: str = "841234567") -> dict[str, object]:
    return {"amount": amount, "msisdn": msisdn, "reference_description": "Pagamento"}


async def wallet_balance(client: httpx.AsyncClient, h: dict[str, str], wallet: int = WALLET) -> float:
    wallets = (await client.get("/clicpay/api/v2/me/wallets", headers=h, params={"per_page": 50})).json()["data"]
    return {w["id"]: w["balance"] for w in wallets}[wallet]


async def status(client: httpx.AsyncClient, h: dict[str, str], ref: str) -> dict[str, object]:
    return (await client.get(f"/clicpay/api/v2/transactions/{ref}/status", headers=h)).json()


async def test_concurrent_b2c_payouts_never_overdraw_the_wallet(app: SimulatorApp, client: httpx.AsyncClient) -> None:
    h = account_headers(app, "clicpay")
    answers = await asyncio.gather(*[client.post(f"/clicpay/api/v2/wallets/{WALLET}/b2c/mpesa", headers=h,
                                                 json=payout(500)) for _ in range(200)])
    assert all(r.status_code == 200 and r.json()["status"] == "pending" for r in answers)  # every payout is answered
    assert await wallet_balance(client, h) == 0, "the 50 payouts the wallet holds are reserved at once"
    await advance(client, 10)
    final = [await status(client, h, r.json()["clicpay_reference"]) for r in answers]
    successful = [s for s in final if s["status"] == "successful"]
    failed = [s for s in final if s["status"] == "failed"]
    assert len(successful) == 50 and len(failed) == 150
    assert {s["message"] for s in failed} == {"Saldo insuficiente na carteira"}
    assert await wallet_balance(client, h) == 0  # 25,000 paid out exactly, never below zero


async def test_a_failed_payout_gives_its_amount_back(app: SimulatorApp, client: httpx.AsyncClient) -> None:
    h = account_headers(app, "clicpay")
    path = f"/clicpay/api/v2/wallets/{WALLET}/b2c/mpesa"
    rejected = (await client.post(path, headers=h, json=payout(20000, "840000001"))).json()  # fails after 20 s
    assert await wallet_balance(client, h) == 5000, "reserved while pending"
    short = (await client.post(path, headers=h, json=payout(6000))).json()
    await advance(client, 30)
    assert (await status(client, h, rejected["clicpay_reference"]))["status"] == "failed"
    assert (await status(client, h, short["clicpay_reference"]))["message"] == "Saldo insuficiente na carteira"
    assert await wallet_balance(client, h) == 25000, "the rejected payout's 20,000 came back; the short one took none"
    paid = (await client.post(path, headers=h, json=payout(24999.5))).json()
    await advance(client, 10)
    assert (await status(client, h, paid["clicpay_reference"]))["status"] == "successful"
    assert await wallet_balance(client, h) == 0.5


async def test_a_forced_failure_of_an_accepted_payout_gives_it_back_once(app: SimulatorApp,
                                                                        client: httpx.AsyncClient) -> None:
    h = account_headers(app, "clicpay")
    ref = (await client.post(f"/clicpay/api/v2/wallets/{WALLET}/b2c/mpesa", headers=h,
                             json=payout(1000, "840000009"))).json()["clicpay_reference"]  # held pending
    assert await wallet_balance(client, h) == 24000
    assert (await client.post(f"/_sim/clicpay/transactions/{ref}/failed")).status_code == 200
    assert await wallet_balance(client, h) == 25000
    assert (await client.post(f"/_sim/clicpay/transactions/{ref}/cancelled")).status_code != 200  # final
    assert await wallet_balance(client, h) == 25000


async def test_concurrent_idea_gateway_transfers_take_exactly_what_the_balance_holds(
        app: SimulatorApp, client: httpx.AsyncClient) -> None:
    h = account_headers(app, "ideagateway")  # hipercap: R$ 5.000,00 = 500,000 centavos
    body = {"amount": 5000, "holderCpf": "76430473910", "authToken": TOKEN}
    answers = await asyncio.gather(*[client.post("/ideagateway/transfer", headers=h, json=body)
                                     for _ in range(120)])
    accepted = [r for r in answers if r.status_code == 201]
    refused = [r for r in answers if r.status_code == 422]
    assert len(accepted) == 100 and len(refused) == 20
    assert {r.json()["message"] for r in refused} == {"Saldo insuficiente."}
    assert len({r.json()["id"] for r in accepted}) == 100
    pix_out = {"amount": 1, "favored": {"pixKey": "failed@pix.test", "pixType": "email"}}
    assert (await client.post("/ideagateway/pix/transfer", headers=h, json=pix_out)).status_code == 422


def write_behaviour(tmp_path: Path, balances: str) -> Path:
    path = tmp_path / "behaviour.yaml"
    path.write_text("provider: {key: acmepay, name: AcmePay}\nbalances:\n" + balances, encoding="utf-8")
    return path


def test_balances_are_declared_and_checked_like_every_behaviour_key(tmp_path: Path) -> None:
    config = load(write_behaviour(tmp_path, "  purse: {kind: purse, opening: funds, short: {error: broke}}\n"),
                  "acmepay")
    purse = config.balances["purse"]
    assert (purse.kind, purse.field, purse.opening, purse.error, purse.plan) == ("purse", "balance", "funds", "broke",
                                                                                 None)
    for bad in ("  purse: {kind: purse}\n",  # what a short debit gets is required
                "  purse: {kind: purse, short: {error: broke, plan: {to: failed}}}\n",
                "  purse: {kind: purse, short: {error: broke}, currency: BRL}\n"):
        with pytest.raises(SpecError):
            load(write_behaviour(tmp_path, bad), "acmepay")
