"""Idea Gateway's hooks: lookups by any of its ids (for the control API and the payer pages) and how each
resource is shown."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.providers.ideagateway import accounts, bankslip, cards, pix
from simulator.providers.ideagateway.base import INDEX, TRANSACTION_TYPES
from simulator.providers.ideagateway.lookup import transaction_shown
from simulator.records import JSON, Record


def present(env: ProviderEnv, kind: str, record: Record) -> JSON:
    if kind in pix.PIX_KINDS:
        return pix.shown(env, record)
    if kind in ("creditCard", "debitCard"):
        return cards.shown(env, record)
    if kind == "bankslip":
        return bankslip.present(env, record)
    if kind == accounts.ACC:
        return accounts.shown(env.records(record.meta.account), record)
    if kind == accounts.DOC:
        return {"id": record["id"], "type": record["type"], "status": record["status"]}
    if kind == "billPayment":
        return transaction_shown(env, kind, record)
    return {"id": record["id"], "amount": record["amount"], "status": record["status"]}


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    """The control API's lookup: a gateway id (any type), a digital account number or a document id, or a
    customCode (its most recent transaction)."""
    view = env.view
    hit = view.get(INDEX, ident)
    if hit is not None:
        return str(hit["kind"]), ident
    for kind in (accounts.ACC, accounts.DOC):
        if view.get(kind, ident) is not None:
            return kind, ident
    for kind in TRANSACTION_TYPES:
        matches = [r for r in view.all(kind) if str(r.get("customCode")) == ident]
        if matches:
            return kind, str(matches[-1]["id"])
    return None
