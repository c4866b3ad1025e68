"""WidePay's hooks: lookups by any of its ids, how its resources are shown, and their payment codes (the boleto's
barcode and the Pix code are the provider's private data: the draft never shows them, v1 only through its
boleto and pix operations)."""

from __future__ import annotations

import re

from simulator.engine.env import ProviderEnv
from simulator.engine.provider import PaymentCodes
from simulator.providers.widepay import objects
from simulator.providers.widepay.base import NOTE, TX
from simulator.providers.widepay.present import transacao
from simulator.providers.widepay.recebimentos import AVISO, CARNE, COBRANCA
from simulator.records import JSON, Record

LINK = re.compile(r"(?:(cobranca|carne)/)?[0-9]+-([0-9]+)-[0-9a-f]{8}(?:\.pdf)?")


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    """A draft transaction by its id (either case) or by one of its notification ids; a v1 charge or carnê by its
    numeric id, its link (`<carteira>-<id>-<hash>`) or one of its notification ids."""
    key = ident.strip().lower()
    if env.view.get(TX, key) is not None:
        return TX, key
    note = env.view.get(NOTE, key)
    if note is not None:
        return TX, str(note["transacao"])
    linked = LINK.fullmatch(key)
    if linked:
        key = linked.group(2)
    for kind in (COBRANCA, CARNE):
        if env.view.get(kind, key) is not None:
            return kind, key
    aviso = env.view.get(AVISO, key) if not linked else None
    return (str(aviso["objeto"]), str(aviso["chave"])) if aviso is not None else None


def present(env: ProviderEnv, kind: str, record: Record) -> JSON:
    if kind == COBRANCA:
        return objects.cobranca(env, record)
    if kind == CARNE:
        return objects.carne(env, record)
    return transacao(record)


def codes(env: ProviderEnv, kind: str, record: Record) -> PaymentCodes:
    if not record.has_private:
        return PaymentCodes()
    barcode, emv = record.private.get("barcode"), record.private.get("emv")
    return PaymentCodes(pix=str(emv) if emv else None, boleto=str(barcode) if barcode else None)
