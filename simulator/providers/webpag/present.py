"""How WebPag shows its resources: field order and labels as the documented examples print them."""

from __future__ import annotations

from simulator.behaviour.money import two_decimals
from simulator.engine.env import ProviderEnv
from simulator.providers.webpag.base import PAYER, PAYMENT, business, cfg, label
from simulator.records import JSON, Record

ADDRESS_ORDER = ("city", "state", "number", "street", "country", "district", "zip_code")


def payer(env: ProviderEnv, record: Record) -> dict[str, JSON]:
    address = record.get("address")
    shown = {k: (address or {}).get(k) for k in ADDRESS_ORDER} if isinstance(address, dict) else None
    status, text = label(env, "payer_status", record["state"])
    return {"id": record["id"], "cpf_cnpj": record["cpf_cnpj"], "is_business": record["is_business"],
            "email": record.get("email"), "first_name": record["first_name"], "last_name": record["last_name"],
            "gender": record.get("gender"), "phone_number": record.get("phone_number"),
            "birth_date": record.get("birth_date"), "address": shown, "use_boleto": record.get("use_boleto", False),
            "status": status, "status_label": text, "created_at": record["created_at"],
            "updated_at": record["updated_at"]}


def card(record: Record) -> dict[str, JSON]:
    return {"id": record["id"], "last_numbers": record["last_numbers"], "active": record["active"],
            "created_at": record["created_at"]}


# A payment has three documented shapes (the seed's examples, operation by operation):
# - LIST: GET /api/payments items and installment payments: with payer, amount_refunded, installments_paid,
#   next_recurrence_date and each transaction's refunded_amount; no splits.
# - PROCESS: the POST /api/payments/process answer: without those four keys and refunded_amount; with splits.
# - WEBHOOK: the "Retorno do Webhook" body: PROCESS without method_slug, its boleto without boleto_url and with
#   the amount as text ("50.00").
LIST, PROCESS, WEBHOOK = "list", "process", "webhook"
NOT_IN_PROCESS = ("payer", "amount_refunded", "installments_paid", "next_recurrence_date")


def transaction(record: dict[str, JSON], variant: str = LIST) -> dict[str, JSON]:
    shown = dict(record)
    if variant != LIST:  # the payments/process answer and the webhook list transactions without refunded_amount
        shown.pop("refunded_amount", None)
    return shown


def payment(env: ProviderEnv, record: Record, variant: str = LIST) -> dict[str, JSON]:
    """The payment object in one of its documented shapes (LIST, PROCESS, WEBHOOK)."""
    status, text = label(env, "payment_status", record["state"])
    method = cfg(env, "methods")[record["method"]]
    flag = record.get("card_flag")
    boleto = record.get("boleto")
    if isinstance(boleto, dict) and variant == WEBHOOK:
        boleto = {k: v for k, v in boleto.items() if k != "boleto_url"}
        boleto["amount"] = two_decimals(env.money.minor(boleto["amount"], "major"))
    pix = record.get("pix")
    if pix is not None:
        pix = dict(pix, status=status)
    shown: dict[str, JSON] = {
        "id": record["id"], "business": {k: business(env, record.meta.account).get(k) for k in ("id", "name")},
        "payer_id": record["payer_id"], "card_id": record.get("card_id")}
    if variant == LIST:
        owner = env.records(record.meta.account).get(PAYER, record["payer_id"])
        shown["payer"] = payer(env, owner) if owner else None
    shown.update({
        "name": record["name"], "amount": record["amount"], "amount_refunded": record.get("amount_refunded", 0),
        "fee_value": record.get("fee_value"), "installments": record.get("installments", 1),
        "is_recurrent": bool(record.get("recurrence_code")), "recurrence_code": record.get("recurrence_code"),
        "frequency": record.get("frequency"), "method": method[0], "method_label": method[1],
        "method_slug": method[2], "boleto": boleto, "notification_url": record.get("notification_url"),
        "pix": pix, "installments_paid": 1 if record["state"] == "paid" else 0, "spplited": False,
        "gateway": record.get("gateway"), "active": record["state"] not in ("cancelled", "expired"),
        "status": status, "status_label": text, "start_date": None, "next_date": None,
        "next_recurrence_date": None,
        "transactions": [transaction(t, variant) for t in record.get("transactions", [])]})
    if variant != LIST:
        for name in NOT_IN_PROCESS:
            shown.pop(name, None)
        shown["splits"] = []
    if variant == WEBHOOK:
        del shown["method_slug"]
    shown.update({
        "created_at": record["created_at"], "paid_at": record.get("paid_at"), "updated_at": record["updated_at"],
        "receipt_pdf_path": record["receipt_pdf_path"], "card_flag": flag[0] if flag else None,
        "card_flag_label": flag[1] if flag else None})
    return shown


def recurrence(env: ProviderEnv, record: Record) -> dict[str, JSON]:
    """A recurrence is shown as a payment object (the recurrence examples)."""
    status, text = label(env, "recurrence_status", record["state"])
    method = cfg(env, "methods")["credit_card"]
    flag = record.get("card_flag")
    return {
        "id": record["id"], "payer_id": record["payer_id"], "card_id": record["card_id"], "name": record["name"],
        "amount": record["amount"], "amount_refunded": 0, "fee_value": record["fee_value"],
        "installments": record.get("installments"), "is_recurrent": True,
        "recurrence_code": record["recurrence_code"], "frequency": record["frequency"], "method": method[0],
        "method_label": method[1], "method_slug": method[2], "boleto": None, "notification_url": None,
        "installments_paid": record.get("installments_paid", 0), "spplited": False,
        "gateway": record["gateway"], "active": record["state"] == "active", "status": status,
        "status_label": text, "start_date": record["start_date"], "next_date": record.get("next_date"),
        "next_recurrence_date": record.get("next_date") if record["state"] == "active" else None,
        "transactions": [], "created_at": record["created_at"], "paid_at": record.get("paid_at"),
        "updated_at": record["updated_at"], "receipt_pdf_path": record["receipt_pdf_path"],
        "card_flag": flag[0] if flag else None, "card_flag_label": flag[1] if flag else None,
    }


def link(record: Record) -> dict[str, JSON]:
    keys = ("id", "payer_id", "name", "description", "value", "is_recurrence", "frequency", "pix_enabled",
            "credit_enabled", "boleto_enabled", "due_date_boleto", "accept_after_due_date", "number_installments",
            "recurrence_time", "url", "return_url")
    return {k: record.get(k) for k in keys}


def plan(env: ProviderEnv, record: Record) -> dict[str, JSON]:
    """An installment plan; each installment's status follows its payment's."""
    scope = env.records(record.meta.account)
    installments: list[dict[str, object]] = []
    states = []
    for item in record["installments"]:
        pay = scope.get(PAYMENT, item["payment_id"])
        state = pay["state"] if pay else "waiting"
        states.append(state)
        code, text = label(env, "installment_status", state)
        installments.append({
            "id": item["id"], "installment_plan_id": record["id"], "payment_id": item["payment_id"],
            "code": item["code"], "due_date": item["due_date"],
            "liquidation_date": pay.get("paid_at") if pay and state == "paid" else None, "payment_info": None,
            "number": item["number"], "amount": item["amount"], "status": code, "status_label": text,
            "payment": payment(env, pay) if pay else None})
    state = "cancelled" if record.get("cancelled") else "settled" if states and all(
        s in ("paid", "refunded") for s in states) else "active"
    code, text = label(env, "plan_status", state)
    kind, kind_label = cfg(env, "plan_type")
    owner = scope.get(PAYER, record["payer_id"])
    return {"id": record["id"], "name": record["name"], "business_id": record["business_id"],
            "payer_id": record["payer_id"], "number_installments": record["number_installments"],
            "amount_original": record["amount_original"], "first_date": record["first_date"], "type": kind,
            "type_label": kind_label, "status": code, "status_label": text,
            "accept_after_due_date": record.get("accept_after_due_date"), "created_at": record["created_at"],
            "updated_at": record["updated_at"], "payer": payer(env, owner) if owner else None,
            "installments": installments}
