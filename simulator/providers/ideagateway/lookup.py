"""Idea Gateway: any transaction by gateway id or customCode (op 26)."""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.providers.ideagateway.base import INDEX, TRANSACTION_TYPES, by_custom_code, settings
from simulator.records import JSON, Record

PROVIDERS = {"pix": "gerencianet", "bankslip": "pinbank", "creditCard": "cielo", "debitCard": "cielo",
             "transfer": "pinbank", "pixTransfer": "gerencianet", "billPayment": "gerencianet"}


def _metadata(kind: str, record: Record) -> dict[str, JSON]:
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


def transaction_shown(env: ProviderEnv, kind: str, record: Record) -> dict[str, JSON]:
    kind_type = TRANSACTION_TYPES[kind]
    customer = record.get("payerData") if kind == "bankslip" else record.get("customer")
    provider = PROVIDERS[kind_type]
    if kind_type == "bankslip":
        provider = str(settings(env, "bankslip").get("provider", provider))
    return {"id": record["id"], "customCode": record.get("customCode"), "amount": record["amount"],
            "amountPaid": record.get("amountPaid"), "status": record["status"], "createdAt": record["createdAt"],
            "paidAt": record.get("paidAt"), "provider": provider, "type": kind_type,
            "customer": customer or {}, "metadata": _metadata(kind, record)}


def get_transaction(ctx: Ctx) -> Reply:
    ident = ctx.params["id"]
    hit = ctx.scope.get(INDEX, ident)
    if hit is not None:
        record = ctx.scope.get(str(hit["kind"]), ident)
        if record is not None:
            return Reply(200, transaction_shown(ctx.env, str(hit["kind"]), record))
    found = by_custom_code(ctx, tuple(TRANSACTION_TYPES), ident)
    if not found:
        raise ProviderError("transaction_not_found")
    kind, record = found[-1]  # INFERRED: several transactions may share a customCode; the latest wins
    return Reply(200, transaction_shown(ctx.env, kind, record))
