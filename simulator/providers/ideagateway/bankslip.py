"""Idea Gateway boleto (ops 5 and 6): a valid FEBRABAN line from Pinbank's bank 093, a bolepix QR, a PDF."""

from __future__ import annotations

import datetime as dt

from simulator.behaviour.config import Plan
from simulator.brdata.boleto import format_linha, generate_boleto
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.providers.ideagateway.base import cents, new_record, new_uuid, owned, random_text, settings, start
from simulator.providers.common import text_pdf
from simulator.providers.ideagateway.pix import dynamic_qr
from simulator.records import JSON, Record


def _due(text: str, today: dt.date) -> dt.date:
    try:
        due = dt.date.fromisoformat(text[:10])
    except ValueError:
        due = None
    if due is None or due < today:  # INFERRED: the bank refuses a boleto already past due
        raise ValidationFailed({"dueDate": ["Data de vencimento inválida."]})
    return due


def create_bankslip(ctx: Ctx) -> Reply:
    data, env = ctx.data, ctx.env
    cfg = settings(env, "bankslip")
    due = _due(str(data["dueDate"]), env.time.today())  # boletos fall due at the end of the day, Brasília time
    amount = cents(ctx, data["amount"])
    code, linha = generate_boleto(env.rng(), str(cfg.get("bank", "093")), amount, due)
    last_day = due + dt.timedelta(days=int(cfg.get("expire_after_due_days", 1)))
    ends = env.time.day_start(last_day) + 86399
    slip = new_record(ctx, {
        "id": new_uuid(env), "amount": amount, "status": "pending", "customCode": data.get("customCode"),
        "payerData": data["payerData"], "instructions": data.get("instructions"), "barcode": code,
        "digitableLine": format_linha(linha), "dueDate": f"{due.isoformat()}T00:00:00.000Z",
        "referenceCode": f"09/{random_text(env, 11, '0123456789')}-{random_text(env, 1, '0123456789')}",
        "qrCode": dynamic_qr(env, amount), "createdAt": env.clock.now_iso()})
    start(ctx, "bankslip", slip, Plan(to="expired", after_seconds=max(0.0, ends - env.clock.now())))
    return Reply(201, {"id": slip["id"], "amount": amount, "digitableLine": slip["digitableLine"],
                       "dueDate": slip["dueDate"], "status": slip["status"]})


def pdf_lines(slip: Record) -> list[str]:
    payer: dict[str, JSON] = slip.get("payerData") or {}
    amount = int(slip["amount"])
    return [f"Linha digitavel: {slip['digitableLine']}",
            f"Codigo de barras: {slip['barcode']}",
            f"Valor: R$ {amount // 100},{amount % 100:02d}",
            f"Vencimento: {str(slip['dueDate'])[:10]}",
            f"Pagador: {payer.get('name', '')} - {payer.get('documentNumber', '')}",
            f"Nosso numero: {slip['referenceCode']}",
            f"Instrucoes: {slip.get('instructions') or ''}",
            f"Situacao: {slip['status']}"]


def download_bankslip(ctx: Ctx) -> Reply:
    _, slip = owned(ctx, ("bankslip",), ctx.params["id"], "bankslip_not_found")
    if slip["status"] in ("expired", "canceled"):
        raise ProviderError("bankslip_not_found")  # "não encontrado ou não disponível"
    pdf = text_pdf(pdf_lines(slip), title="Boleto bancario - Idea Maker")
    return Reply(200, None, {"content-disposition": f'attachment; filename="boleto-{slip["id"]}.pdf"'},
                 raw=pdf, content_type="application/pdf")


def present(env: ProviderEnv, slip: Record) -> dict[str, JSON]:
    return {"id": slip["id"], "amount": slip["amount"], "digitableLine": slip["digitableLine"],
            "dueDate": slip["dueDate"], "status": slip["status"]}
