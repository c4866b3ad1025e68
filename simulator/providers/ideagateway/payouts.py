"""Idea Gateway money out: bank transfer (op 4), pix-out to keys (op 17) and bill payment (ops 27-29).

Each debits the merchant balance when it is accepted ("Saldo insuficiente." when short) and the engine gives the
amount back if it fails (behaviour.yaml `balances.merchant`, simulator/engine/balances.py).
"""

from __future__ import annotations

import re
from typing import Callable

from simulator.brdata.boleto import barcode_is_valid, linha_is_valid
from simulator.brdata.documents import br_phone_is_valid, cnpj_is_valid, cpf_is_valid, email_is_valid, only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.behaviour.config import Plan
from simulator.providers.ideagateway.base import (by_custom_code, cents, debit, new_record, new_uuid, owned,
                                                  settings, start)
from simulator.engine.env import ProviderEnv
from simulator.records import JSON, Record

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _new(ctx: Ctx, amount: int, **fields: object) -> Record:
    return new_record(ctx, {"id": new_uuid(ctx.env), "amount": amount, "status": "pending",
                            "createdAt": ctx.env.clock.now_iso(), **fields})


def create_transfer(ctx: Ctx) -> Reply:
    data = ctx.data
    token = data.get("authToken")
    # the seed: "é necessário ter um token de authenticação (authToken)"; the token route is undocumented
    if not isinstance(token, str) or token in (settings(ctx.env, "transfer").get("invalid_tokens") or []):
        raise ProviderError("invalid_token")
    if not cpf_is_valid(str(data["holderCpf"])):
        raise ValidationFailed({"holderCpf": ["CPF inválido."]})
    amount = cents(ctx, data["amount"])
    record = _new(ctx, amount, holderCpf=only_digits(str(data["holderCpf"])))
    debit(ctx, amount, record)
    start(ctx, "transfer", record)
    return Reply(201, {"id": record["id"], "amount": amount, "status": record["status"]})


def _pix_key_ok(key: str, kind: str) -> bool:
    checks: dict[str, Callable[[str], bool]] = {
        "cpf": cpf_is_valid, "cnpj": cnpj_is_valid, "email": email_is_valid,
        "telefone": br_phone_is_valid,
        "chaveAleatoria": lambda k: bool(UUID_RE.match(k))}
    check = checks.get(kind)
    return check is not None and bool(check(key))


def create_pix_transfer(ctx: Ctx) -> Reply:
    data = ctx.data
    favored = data["favored"]
    key, kind = str(favored["pixKey"]), str(favored["pixType"])
    if not _pix_key_ok(key, kind):
        raise ValidationFailed({"favored.pixKey": ["Chave Pix inválida."]})
    amount = cents(ctx, data["amount"])
    plan = None
    if key in (settings(ctx.env, "pix_out").get("failing_keys") or []):
        plan = Plan.from_data(settings(ctx.env, "pix_out")["failing"])
    record = _new(ctx, amount, favored={"pixKey": key, "pixType": kind}, customCode=data.get("customCode"))
    debit(ctx, amount, record)
    start(ctx, "pixTransfer", record, plan)
    return Reply(201, {"id": record["id"], "amount": amount, "status": record["status"]})


def _bill_shown(env: ProviderEnv, bill: Record) -> dict[str, JSON]:
    return {"id": bill["id"], "amount": bill["amount"], "status": bill["status"],
            "provider": settings(env, "bill_payment").get("provider", "gerencianet"),
            "metadata": {"paymentId": bill["paymentId"]}, "createdAt": bill["createdAt"]}


def create_bill_payment(ctx: Ctx) -> Reply:
    data = ctx.data
    code = only_digits(str(data["barcode"]))
    amount = cents(ctx, data["amount"])
    plan = None
    # the seed's example barcode (34 zeros) is not a real one: only well-formed codes are checked
    if (len(code) == 44 and not barcode_is_valid(code)) or (len(code) == 47 and not linha_is_valid(code)):
        plan = Plan.from_data(settings(ctx.env, "bill_payment")["invalid_barcode"])
    record = _new(ctx, amount, barcode=code, customCode=data.get("customCode"), paymentId=new_uuid(ctx.env))
    debit(ctx, amount, record)
    start(ctx, "billPayment", record, plan)
    return Reply(201, {"id": record["id"], "amount": amount, "status": record["status"]})


def get_bill_payment(ctx: Ctx) -> Reply:
    _, bill = owned(ctx, ("billPayment",), ctx.params["id"], "transaction_not_found")
    return Reply(200, _bill_shown(ctx.env, bill))


def search_bill_payment(ctx: Ctx) -> Reply:
    code = ctx.query.get("customCode") or None
    return Reply(200, [_bill_shown(ctx.env, r) for _, r in by_custom_code(ctx, ("billPayment",), code)])

