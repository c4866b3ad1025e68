"""ClicPay's hooks (what data cannot say): seed wallets, balances on success, lookups by any of its ids, how a
transaction is shown, and the payer's pages a transaction has."""

from __future__ import annotations

from urllib.parse import quote

from simulator.engine.env import ProviderEnv
from simulator.lifecycle import Move
from simulator.providers.clicpay.transactions import SESSION, TX, WALLET, credit_wallet, status_body
from simulator.records import JSON, Record

PUSHED = ("c2b", "c2b_direct")  # B2C pays the customer out: no USSD prompt


def seed(env: ProviderEnv) -> None:
    """Each account's wallets, as behaviour.yaml declares them."""
    start = env.clock.now_iso()
    for account in env.accounts:
        scope = env.records(account.id)
        for wallet in account.extra.get("wallets") or []:
            record = scope.new(dict(wallet))
            record.setdefault("created_at", start)
            scope.put(WALLET, record["id"], record)


def on_transaction(env: ProviderEnv, move: Move) -> None:
    """A final state stamps completed_at; success moves the wallet's balance."""
    if move.target in move.decl.final:
        move.record["completed_at"] = env.clock.now_iso()
    if move.target in move.decl.paid:
        credit_wallet(env, move.scope, move.record)


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    """A transaction by clicpay_reference, transaction_id or card session id."""
    view = env.view
    if view.get(TX, ident) is not None:
        return TX, ident
    session = view.get(SESSION, ident)
    if session is not None:
        return TX, str(session["clicpay_reference"])
    for tx in view.all(TX):
        if str(tx["transaction_id"]) == ident:
            return TX, str(tx["clicpay_reference"])
    return None


def present(env: ProviderEnv, kind: str, tx: Record) -> JSON:
    return status_body(env, tx)


def payer_links(env: ProviderEnv, kind: str, tx: Record) -> list[tuple[str, str]]:
    """The hosted checkout of a card payment; the phone that gets a mobile-money collection's USSD prompt."""
    if tx.get("session_id"):
        return [("Hosted checkout", f"/_sim/ui/pay/clicpay/checkout/{quote(str(tx['session_id']))}")]
    if tx.get("msisdn") and tx.get("type") in PUSHED:
        return [(f"Phone {tx['msisdn']}", f"/_sim/ui/pay/phone/{quote(str(tx['msisdn']))}")]
    return []
