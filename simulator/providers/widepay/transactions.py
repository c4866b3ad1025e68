"""Transactions: gerar (and the intro's recebimentos/transacoes/adicionar), consultar, cancelar, enviar,
comprovante and notificacao."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from simulator.behaviour.config import Plan
from simulator.behaviour.money import decimal_of, rounded
from simulator.brdata import barcode, format_linha, linha_digitavel
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.providers.widepay.base import (NOTE, TX, ids_of, local_now, message, new_id, num, owned, owned_all,
                                              stamp, status_text, text)
from simulator.providers.widepay.present import CLIENTE, transacao
from simulator.records import JSON, Record


def magic_plan(env: ProviderEnv, table: str, key: str) -> Plan | None:
    """A magic value's outcome (behaviour.yaml `magic_cards` / `magic_amounts`); a declined card is no plan."""
    magic = (env.config.section(table) or {}).get(key)
    if not magic or "declined" in magic:
        return None
    return Plan.from_data(magic)


def link(ctx: Ctx, ident: str) -> str:
    path = str((ctx.config.section("links") or {}).get("path", "/_sim/ui/pay/widepay/{id}"))
    return ctx.base_url + path.format(id=ident)


def _cliente(body: dict[str, JSON]) -> dict[str, str | None]:
    raw = body.get("cliente")
    if not isinstance(raw, dict):  # the intro's flat form: cliente=<name>, pessoa=<Física|Jurídica>
        raw = {"nome": raw, "pessoa": body.get("pessoa", "Física")}
    out: dict[str, str | None] = {name: (str(raw[name]) if raw.get(name) is not None else None) for name in CLIENTE}
    if out["pessoa"] != "Física":
        out["cpf"] = None
    if out["pessoa"] != "Jurídica":
        out["cnpj"] = None
    return out


def _itens(body: dict[str, JSON]) -> tuple[list[dict[str, str | int | float]], Decimal]:
    itens: list[dict[str, str | int | float]] = []
    total = Decimal(0)
    for item in body["itens"]:
        valor = decimal_of(item["valor"]) or Decimal(0)
        qty = int(decimal_of(item.get("quantidade", 1)) or 1)
        desconto = decimal_of(item.get("desconto")) or Decimal(0)
        itens.append({"descricao": str(item["descricao"]), "valor": num(valor), "quantidade": str(qty),
                      "desconto": num(desconto)})
        total += valor * qty - desconto
    return itens, rounded(total - (decimal_of(body.get("desconto")) or Decimal(0)))


def _boleto(ctx: Ctx, tx: Record, total: Decimal, due: date | None) -> dict[str, JSON]:
    cfg = dict(ctx.account.extra.get("boleto") or {}) if ctx.account else {}
    numero = ctx.scope.new_id(f"boleto_numero:{ctx.account_id}", int(cfg.get("primeiro_numero", 1)))
    # INFERRED: Santander's free field: 9 + beneficiary code (7) + nosso número (13) + IOS 0 + carteira (3)
    free = "9" + str(cfg["codigo"]).zfill(7)[-7:] + str(numero).zfill(13) + "0" + str(cfg["carteira"]).zfill(3)
    code = barcode(str(cfg["banco"]), int(total * 100), due, free)
    tx.private.update(barcode=code, linha=linha_digitavel(code), boleto_config=cfg)
    return {"beneficiario": cfg["beneficiario"], "banco": cfg["banco"], "agencia": cfg["agencia"],
            "codigo": cfg["codigo"], "carteira": cfg["carteira"], "numero": str(numero)}


def create(ctx: Ctx) -> Record:
    """A new transaction from a validated gerar/adicionar body, stored and started on its state machine."""
    body, env = ctx.data, ctx.env
    tipo = str(body["tipo"])
    itens, total = _itens(dict(body))
    now = stamp(local_now(env))
    due = date.fromisoformat(str(body["vencimento"])) if tipo == "Boleto" and body.get("vencimento") else None
    tx = ctx.scope.new({
        "id": new_id(env, ctx.scope), "tipo": tipo, "cliente": _cliente(dict(body)), "itens": itens,
        "desconto": num(decimal_of(body["desconto"]) or Decimal(0)) if "desconto" in body else None,
        "valor": text(total), "identificador": body.get("identificador"), "notificacao": body.get("notificacao"),
        "redirecionamento": body.get("redirecionamento") if tipo == "Cartão" else None,
        "vencimento": due.isoformat() if due else None, "criacao": now, "status": status_text(env, "aguardando"),
        "cancelamento": None, "pagamento": None,
        "historico": [{"status": status_text(env, "aguardando"), "data": now}], "boleto": None,
        "estado": "aguardando"})
    if tipo == "Boleto":
        tx["boleto"] = _boleto(ctx, tx, total, due)
        instrucoes = body.get("instrucoes")
        tx.private["instrucoes"] = instrucoes if isinstance(instrucoes, list) else [instrucoes] if instrucoes else []
    if body.get("enviar"):
        tx.private["envios"] = [{"tipo": "solicitacao", "canais": body["enviar"], "em": now}]
    env.enter(ctx.scope, TX, tx, ctx.plan or magic_plan(env, "magic_amounts", str(tx["valor"])))
    return tx


def gerar(ctx: Ctx) -> Reply:
    tx = create(ctx)
    reply: dict[str, JSON] = {"success": True, "id": tx["id"], "link": link(ctx, str(tx["id"]))}
    if tx["boleto"] is not None:
        reply["boleto"] = tx["boleto"]
    return Reply(200, reply)


def adicionar(ctx: Ctx) -> Reply:
    """The intro example's call: the id in upper case and the boleto with its linha digitável."""
    tx = create(ctx)
    ident = str(tx["id"]).upper()
    reply: dict[str, JSON] = {"success": True, "id": ident, "link": link(ctx, ident)}
    if tx["boleto"] is not None:
        cfg = tx.private["boleto_config"]
        reply["boleto"] = {"numero": tx["boleto"]["numero"], "codigo": format_linha(str(tx.private["linha"])),
                           "configuracoes": {k: cfg[k] for k in ("banco", "agencia", "codigo", "carteira",
                                                                 "empresa", "cnpj")}}
    return Reply(200, reply)


def consultar(ctx: Ctx) -> Reply:
    ids = ids_of(ctx.data.get("id")) if "id" in ctx.data else []
    txs = owned_all(ctx, ids) if ids else ctx.scope.all(TX)
    for tx in txs:  # a read counts for plans declared `after_reads`
        ctx.env.lifecycles.read(ctx.scope, TX, tx)
    return Reply(200, {"success": True, "total": len(txs), "transacoes": [transacao(tx) for tx in txs]})


def cancelar(ctx: Ctx) -> Reply:
    found = [(ident, owned(ctx, ident)) for ident in ids_of(ctx.data["id"]) or [""]]  # only blank ids: not found
    txs = [tx for _, tx in found if tx is not None]
    refused = [{"id": ident, "erro": message(ctx.env, _refusal(tx))} for ident, tx in found if _refusal(tx)]
    if refused:
        raise ProviderError("execution", {"detalhes": refused})
    for tx in txs:
        ctx.env.transition(ctx.scope, TX, tx["id"], "cancelada", cause="api")
    return Reply(200, {"success": True, "total": len(txs)})


def _refusal(tx: Record | None) -> str:
    """Why this transaction cannot be cancelled ("" when it can)."""
    if tx is None:
        return "not_found"
    return {"cancelada": "already_cancelled", "compensada": "not_cancellable"}.get(str(tx["estado"]), "")


def _send(ctx: Ctx, kind: str, states: tuple[str, ...], refusal: str) -> Reply:
    tx = owned_all(ctx, ids_of(ctx.data["id"])[:1])[0]
    if tx["estado"] not in states:
        raise ProviderError("execution", {"detalhes": [{"id": tx["id"], "erro": message(ctx.env, refusal)}]})
    tx.private.setdefault("envios", []).append({"tipo": kind, "email": ctx.data.get("email"),
                                                "celular": ctx.data.get("celular"), "em": stamp(local_now(ctx.env))})
    ctx.scope.put(TX, tx["id"], tx)
    return Reply(200, {"success": True})


def enviar(ctx: Ctx) -> Reply:
    return _send(ctx, "solicitacao", ("aguardando",), "not_awaiting")


def comprovante(ctx: Ctx) -> Reply:
    return _send(ctx, "comprovante", ("em_compensacao", "compensada"), "not_paid")


def notificacao(ctx: Ctx) -> Reply:
    """The transaction a notification id points to (a transaction id is accepted too: INFERRED)."""
    ident = str(ctx.data["id"]).strip().lower()
    note = ctx.scope.get(NOTE, ident)
    if note is not None:
        ident = str(note["transacao"])
    tx = owned(ctx, ident)
    if tx is None:
        raise ProviderError("execution", {"detalhes": [{"id": ident, "erro": message(ctx.env, "not_found")}]})
    ctx.env.lifecycles.read(ctx.scope, TX, tx)
    return Reply(200, {"success": True, "transacao": transacao(tx)})
