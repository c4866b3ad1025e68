"""Idea Gateway: any transaction by gateway id or customCode (op 26), and resources as the control API shows
them."""

from __future__ import annotations

from typing import Any

from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.providers.ideagateway import accounts, bankslip, cards, pix
from simulator.providers.ideagateway.base import INDEX, P, TRANSACTION_TYPES, by_custom_code, settings
from simulator.sim import Sim
from simulator.store.base import Record

PROVIDERS = {"pix": "gerencianet", "bankslip": "pinbank", "creditCard": "cielo", "debitCard": "cielo",
             "transfer": "pinbank", "pixTransfer": "gerencianet", "billPayment": "gerencianet"}


def _metadata(kind: str, record: Record) -> dict[str, Any]:
    if kind == "bankslip":
        return {"dueDate": record["dueDate"], "referenceCode": record["referenceCode"],
                "digitableLine": record["digitableLine"]}
    if kind in ("pix", "pix_static"):
        return {"paymentId": record["paymentId"], "nsu": record.get("nsu", ""), "qrCode": record["qrCode"]}
    if kind in ("creditCard", "debitCard"):
        return {k: record.get(k) for k in ("paymentId", "returnCode", "returnMessage", "autorizationCode")}
    if kind == "transfer":
        return {"holderCpf": record["holderCpf"]}
    if kind == "pixTransfer":
        return {"favored": record["favored"]}
    return {"paymentId": record.get("paymentId"), "barcode": record.get("barcode")}


def transaction_shown(sim: Sim, kind: str, record: Record) -> dict[str, Any]:
    kind_type = TRANSACTION_TYPES[kind]
    customer = record.get("payerData") if kind == "bankslip" else record.get("customer")
    provider = PROVIDERS[kind_type]
    if kind_type == "bankslip":
        provider = str(settings(sim, "bankslip").get("provider", provider))
    return {"id": record["id"], "customCode": record.get("customCode"), "amount": record["amount"],
            "amountPaid": record.get("amountPaid"), "status": record["status"], "createdAt": record["createdAt"],
            "paidAt": record.get("paidAt"), "provider": provider, "type": kind_type,
            "customer": customer or {}, "metadata": _metadata(kind, record)}


def get_transaction(ctx: Ctx) -> Reply:
    ident = ctx.params["id"]
    hit = ctx.sim.store.get(P, INDEX, ident)
    if hit is not None and hit.get("_account") == ctx.account_id:
        record = ctx.sim.store.get(P, str(hit["kind"]), ident)
        if record is not None:
            return Reply(200, transaction_shown(ctx.sim, str(hit["kind"]), record))
    found = by_custom_code(ctx, tuple(TRANSACTION_TYPES), ident)
    if not found:
        raise ProviderError("transaction_not_found")
    kind, record = found[-1]  # INFERRED: several transactions may share a customCode; the latest wins
    return Reply(200, transaction_shown(ctx.sim, kind, record))


def present(sim: Sim, kind: str, record: Record) -> Any:
    if kind in ("pix", "pix_static"):
        return pix.shown(sim, record)
    if kind in ("creditCard", "debitCard"):
        return cards.shown(sim, record)
    if kind == "bankslip":
        return bankslip.present(sim, record)
    if kind == "digital_account":
        return accounts.shown(sim, record)
    if kind == "account_document":
        return {"id": record["id"], "type": record["type"], "status": record["status"]}
    if kind == "billPayment":
        return transaction_shown(sim, kind, record)
    return {"id": record["id"], "amount": record["amount"], "status": record["status"]}
