"""WebPag's hooks: lookups by any of its ids (payment, its Pix txid or boleto nosso número, recurrence code),
and how a resource is shown."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.providers.webpag import present
from simulator.providers.webpag.base import PAYMENT, RECURRENCE
from simulator.records import JSON, Record


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    """A payment by id (or its Pix txid / boleto nosso número), or a recurrence by recurrence_code."""
    view = env.view
    if view.get(PAYMENT, ident) is not None:
        return PAYMENT, ident
    if view.get(RECURRENCE, ident) is not None:
        return RECURRENCE, ident
    for record in view.all(PAYMENT):
        if (record.get("pix") or {}).get("txid") == ident or (record.get("boleto") or {}).get("nosso_numero") == ident:
            return PAYMENT, str(record["id"])
    return None


def present_resource(env: ProviderEnv, kind: str, record: Record) -> JSON:
    if kind == RECURRENCE:
        return present.recurrence(env, record)
    return present.payment(env, record)
