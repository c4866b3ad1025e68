"""Idea Gateway boleto (ops 5 and 6): a valid FEBRABAN line from Pinbank's bank 093, a bolepix QR, a PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from simulator.brdata.boleto import format_linha, generate_boleto
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.lifecycle import Plan
from simulator.providers.ideagateway.base import P, body, cents, new_uuid, owned, random_text, sequence, settings, start
from simulator.providers.ideagateway.pdf import text_pdf
from simulator.providers.ideagateway.pix import dynamic_qr
from simulator.sim import Sim
from simulator.store.base import Record

BRT = dt.timezone(dt.timedelta(hours=-3))  # boletos fall due at the end of the day, Brasília time


def _due(text: str, today: dt.date) -> dt.date:
    try:
        due = dt.date.fromisoformat(text[:10])
    except ValueError:
        due = None
    if due is None or due < today:  # INFERRED: the bank refuses a boleto already past due
        raise ValidationFailed({"dueDate": ["Data de vencimento inválida."]})
    return due


def create_bankslip(ctx: Ctx) -> Reply:
    data = body(ctx)
    sim = ctx.sim
    cfg = settings(sim, "bankslip")
    now = dt.datetime.fromtimestamp(sim.clock.now(), BRT)
    due = _due(str(data["dueDate"]), now.date())
    amount = cents(data["amount"])
    code, linha = generate_boleto(sim.rng(P), str(cfg.get("bank", "093")), amount, due)
    ends = dt.datetime.combine(due + dt.timedelta(days=int(cfg.get("expire_after_due_days", 1))),
                               dt.time(23, 59, 59), BRT)
    slip = {"id": new_uuid(sim), "amount": amount, "status": "pending", "customCode": data.get("customCode"),
            "payerData": data["payerData"], "instructions": data.get("instructions"), "barcode": code,
            "digitableLine": format_linha(linha), "dueDate": f"{due.isoformat()}T00:00:00.000Z",
            "referenceCode": f"09/{random_text(sim, 11, '0123456789')}-{random_text(sim, 1, '0123456789')}",
            "qrCode": dynamic_qr(sim, amount), "createdAt": sim.clock.now_iso(), "_seq": sequence(sim)}
    start(ctx, "bankslip", slip, Plan(to="expired", after_seconds=max(0.0, ends.timestamp() - sim.clock.now())))
    return Reply(201, {"id": slip["id"], "amount": amount, "digitableLine": slip["digitableLine"],
                       "dueDate": slip["dueDate"], "status": slip["status"]})


def pdf_lines(slip: Record) -> list[str]:
    payer: dict[str, Any] = slip.get("payerData") or {}
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


def present(sim: Sim, slip: Record) -> dict[str, Any]:
    return {"id": slip["id"], "amount": slip["amount"], "digitableLine": slip["digitableLine"],
            "dueDate": slip["dueDate"], "status": slip["status"]}
