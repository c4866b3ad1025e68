"""WidePay's hooks: lookups by any of its ids, how a transaction is shown, and its payment codes (the boleto's
barcode is the provider's private data: WidePay never shows it in its answers)."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.engine.provider import PaymentCodes
from simulator.providers.widepay.base import NOTE, TX
from simulator.providers.widepay.present import transacao
from simulator.records import JSON, Record


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    """A transaction by its id (either case) or by the id of one of its notifications."""
    key = ident.strip().lower()
    if env.view.get(TX, key) is not None:
        return TX, key
    note = env.view.get(NOTE, key)
    return (TX, str(note["transacao"])) if note is not None else None


def present(env: ProviderEnv, kind: str, tx: Record) -> JSON:
    return transacao(tx)


def codes(env: ProviderEnv, kind: str, tx: Record) -> PaymentCodes:
    barcode = tx.private.get("barcode") if tx.has_private else None
    return PaymentCodes(boleto=str(barcode) if barcode else None)
