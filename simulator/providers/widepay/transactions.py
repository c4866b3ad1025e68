"""Transactions: gerar (and the intro's recebimentos/transacoes/adicionar), consultar, cancelar, enviar,
comprovante and notificacao."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from simulator.brdata import barcode, format_linha, linha_digitavel
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.lifecycle import Plan
from simulator.providers.common import base_url
from simulator.providers.widepay.base import (NOTE, TX, P, behaviour, cents, decimal_of, ids_of, local_now,
                                              message, new_id, num, owned, owned_all, stamp, status_text, text)
from simulator.providers.widepay.present import CLIENTE, transacao
from simulator.sim import Sim
from simulator.store.base import Record


def magic_plan(sim: Sim, table: str, key: str) -> Plan | None:
    """A magic value's outcome (behaviour.yaml `magic_cards` / `magic_amounts`)."""
    magic = (behaviour(sim).get(table) or {}).get(key)
    if not magic or "declined" in magic:
        return None
    if magic.get("never"):
        return Plan(to="cancelada", after_reads=10**9)  # no read counts here: it never moves by itself
    return Plan(to=str(magic["to"]), after_seconds=magic.get("after_seconds", 0), message=magic.get("message"))


def link(ctx: Ctx, ident: str) -> str:
    path = str((behaviour(ctx.sim).get("links") or {}).get("path", "/_sim/ui/pay/widepay/{id}"))
    return base_url(ctx) + path.format(id=ident)


def _cliente(body: dict[str, Any]) -> dict[str, Any]:
    raw = body.get("cliente")
    if not isinstance(raw, dict):  # the intro's flat form: cliente=<name>, pessoa=<Física|Jurídica>
        raw = {"nome": raw, "pessoa": body.get("pessoa", "Física")}
    out: dict[str, Any] = {name: (str(raw[name]) if raw.get(name) is not None else None) for name in CLIENTE}
    if out["pessoa"] != "Física":
        out["cpf"] = None
    if out["pessoa"] != "Jurídica":
        out["cnpj"] = None
    return out


def _itens(body: dict[str, Any]) -> tuple[list[dict[str, Any]], Decimal]:
    itens, total = [], Decimal(0)
    for item in body["itens"]:
        valor = decimal_of(item["valor"]) or Decimal(0)
        qty = int(decimal_of(item.get("quantidade", 1)) or 1)
        desconto = decimal_of(item.get("desconto")) or Decimal(0)
        itens.append({"descricao": str(item["descricao"]), "valor": num(valor), "quantidade": str(qty),
                      "desconto": num(desconto)})
        total += valor * qty - desconto
    return itens, cents(total - (decimal_of(body.get("desconto")) or Decimal(0)))


def _boleto(ctx: Ctx, tx: Record, total: Decimal, due: date | None) -> dict[str, Any]:
    cfg = dict(ctx.account.extra.get("boleto") or {}) if ctx.account else {}
    numero = ctx.sim.store.next_id(P, f"boleto_numero:{ctx.account_id}", int(cfg.get("primeiro_numero", 1)))
    # INFERRED: Santander's free field: 9 + beneficiary code (7) + nosso número (13) + IOS 0 + carteira (3)
    free = "9" + str(cfg["codigo"]).zfill(7)[-7:] + str(numero).zfill(13) + "0" + str(cfg["carteira"]).zfill(3)
    code = barcode(str(cfg["banco"]), int(total * 100), due, free)
    tx["_barcode"], tx["_linha"] = code, linha_digitavel(code)
    tx["_boleto_config"] = cfg
    return {"beneficiario": cfg["beneficiario"], "banco": cfg["banco"], "agencia": cfg["agencia"],
            "codigo": cfg["codigo"], "carteira": cfg["carteira"], "numero": str(numero)}


def create(ctx: Ctx) -> Record:
    """A new transaction from a validated gerar/adicionar body, stored and started on its state machine."""
    body, sim = ctx.body, ctx.sim
    tipo = str(body["tipo"])
    itens, total = _itens(body)
    now = stamp(local_now(sim))
    due = date.fromisoformat(str(body["vencimento"])) if tipo == "Boleto" and body.get("vencimento") else None
    tx: Record = ctx.tag({
        "id": new_id(sim), "tipo": tipo, "cliente": _cliente(body), "itens": itens,
        "desconto": num(decimal_of(body["desconto"]) or Decimal(0)) if "desconto" in body else None,
        "valor": text(total), "identificador": body.get("identificador"), "notificacao": body.get("notificacao"),
        "redirecionamento": body.get("redirecionamento") if tipo == "Cartão" else None,
        "vencimento": due.isoformat() if due else None, "criacao": now, "status": status_text(sim, "aguardando"),
        "cancelamento": None, "pagamento": None,
        "historico": [{"status": status_text(sim, "aguardando"), "data": now}], "boleto": None,
        "estado": "aguardando"})
    if tipo == "Boleto":
        tx["boleto"] = _boleto(ctx, tx, total, due)
        instrucoes = body.get("instrucoes")
        tx["_instrucoes"] = instrucoes if isinstance(instrucoes, list) else [instrucoes] if instrucoes else []
    if body.get("enviar"):
        tx["_envios"] = [{"tipo": "solicitacao", "canais": body["enviar"], "em": now}]
    sim.store.put(P, TX, tx["id"], tx)
    sim.lifecycles.enter(P, TX, tx, ctx.plan or magic_plan(sim, "magic_amounts", tx["valor"]))
    return tx


def gerar(ctx: Ctx) -> Reply:
    tx = create(ctx)
    reply: dict[str, Any] = {"success": True, "id": tx["id"], "link": link(ctx, tx["id"])}
    if tx["boleto"] is not None:
        reply["boleto"] = tx["boleto"]
    return Reply(200, reply)


def adicionar(ctx: Ctx) -> Reply:
    """The intro example's call: the id in upper case and the boleto with its linha digitável."""
    tx = create(ctx)
    ident = tx["id"].upper()
    reply: dict[str, Any] = {"success": True, "id": ident, "link": link(ctx, ident)}
    if tx["boleto"] is not None:
        cfg = tx["_boleto_config"]
        reply["boleto"] = {"numero": tx["boleto"]["numero"], "codigo": format_linha(tx["_linha"]),
                           "configuracoes": {k: cfg[k] for k in ("banco", "agencia", "codigo", "carteira",
                                                                 "empresa", "cnpj")}}
    return Reply(200, reply)


def consultar(ctx: Ctx) -> Reply:
    ids = ids_of(ctx.body.get("id")) if "id" in ctx.body else []
    txs = owned_all(ctx, ids) if ids else ctx.sim.store.all(P, TX, ctx.account_id)
    for tx in txs:  # a read counts for plans declared `after_reads`
        ctx.sim.lifecycles.read(P, TX, tx)
    return Reply(200, {"success": True, "total": len(txs), "transacoes": [transacao(tx) for tx in txs]})


def cancelar(ctx: Ctx) -> Reply:
    found = [(ident, owned(ctx, ident)) for ident in ids_of(ctx.body["id"])]
    txs = [tx for _, tx in found if tx is not None]
    refused = [{"id": ident, "erro": message(ctx.sim, _refusal(tx))} for ident, tx in found if _refusal(tx)]
    if refused:
        raise ProviderError("execution", {"detalhes": refused})
    for tx in txs:
        ctx.sim.lifecycles.transition(P, TX, tx["id"], "cancelada", cause="api")
    return Reply(200, {"success": True, "total": len(txs)})


def _refusal(tx: Record | None) -> str:
    """Why this transaction cannot be cancelled ("" when it can)."""
    if tx is None:
        return "not_found"
    return {"cancelada": "already_cancelled", "compensada": "not_cancellable"}.get(str(tx["estado"]), "")


def _send(ctx: Ctx, kind: str, states: tuple[str, ...], refusal: str) -> Reply:
    tx = owned_all(ctx, ids_of(ctx.body["id"])[:1])[0]
    if tx["estado"] not in states:
        raise ProviderError("execution", {"detalhes": [{"id": tx["id"], "erro": message(ctx.sim, refusal)}]})
    tx.setdefault("_envios", []).append({"tipo": kind, "email": ctx.body.get("email"),
                                         "celular": ctx.body.get("celular"), "em": stamp(local_now(ctx.sim))})
    ctx.sim.store.put(P, TX, tx["id"], tx)
    return Reply(200, {"success": True})


def enviar(ctx: Ctx) -> Reply:
    return _send(ctx, "solicitacao", ("aguardando",), "not_awaiting")


def comprovante(ctx: Ctx) -> Reply:
    return _send(ctx, "comprovante", ("em_compensacao", "compensada"), "not_paid")


def notificacao(ctx: Ctx) -> Reply:
    """The transaction a notification id points to (a transaction id is accepted too: INFERRED)."""
    ident = str(ctx.body["id"]).strip().lower()
    note = ctx.sim.store.get(P, NOTE, ident)
    if note is not None and note.get("_account") == ctx.account_id:
        ident = str(note["transacao"])
    tx = owned(ctx, ident)
    if tx is None:
        raise ProviderError("execution", {"detalhes": [{"id": ident, "erro": message(ctx.sim, "not_found")}]})
    ctx.sim.lifecycles.read(P, TX, tx)
    return Reply(200, {"success": True, "transacao": transacao(tx)})


def find(sim: Sim, ident: str) -> tuple[str, str] | None:
    """A transaction by its id (either case) or by the id of one of its notifications."""
    key = ident.strip().lower()
    if sim.store.get(P, TX, key) is not None:
        return TX, key
    note = sim.store.get(P, NOTE, key)
    return (TX, str(note["transacao"])) if note is not None else None


def present(sim: Sim, kind: str, tx: Record) -> dict[str, Any]:
    return transacao(tx)
