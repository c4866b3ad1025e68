"""v1 carnês (`/v1/recebimentos/carnes/...`): adicionar (the carnê and one charge per installment, due monthly on
the same day), montar (a carnê of existing charges), consultar, cancelar and notificacao. A carnê's status follows
its parcels (objects.follow)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime
from decimal import Decimal

from simulator.behaviour.config import Plan
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ValidationFailed
from simulator.providers.widepay import cobrancas, objects
from simulator.providers.widepay.recebimentos import (CARNE, COBRANCA, amount, cfg, due_date, execution, ids_of, link,
                                                      message, money, new_hash, new_id, stamp, state_of,
                                                      status_text)
from simulator.records import JSON, Record
from simulator.store.scope import Scope


def monthly(first: date, index: int) -> date:
    """The due date `index` months after `first`, on the same day (the month's last day when it is shorter)."""
    month = first.month - 1 + index
    year, month = first.year + month // 12, month % 12 + 1
    return date(year, month, min(first.day, monthrange(year, month)[1]))


def shares(total: Decimal, parcelas: int, dividir: bool) -> list[Decimal]:
    """Each installment's amount: the whole total each (`dividir=Não`), or the total divided to the cent with the
    remainder on the first installment (`dividir=Sim`; INFERRED, the docs are silent on rounding)."""
    if not dividir:
        return [total] * parcelas
    cents = int((total * 100).to_integral_value())
    each, rest = divmod(cents, parcelas)
    return [Decimal(each + (rest if i == 0 else 0)) / 100 for i in range(parcelas)]


def due_plan(env: ProviderEnv, due: date) -> Plan:
    """An installment is paid on its due date at noon (INFERRED; never less than a minute from now)."""
    noon = datetime(due.year, due.month, due.day, 12, tzinfo=env.time.tz).timestamp()
    return Plan(to="recebido", after_seconds=max(60.0, noon - env.clock.now()))


def _booklet(ctx: Ctx, fields: dict[str, JSON], ident: str) -> Record:
    now = stamp(ctx.env)
    active = status_text(ctx.env, CARNE, "ativo")
    booklet = ctx.scope.new({"id": ident, **fields, "criacao": now, "status": active,
                             "historico": [{"status": active, "data": now}], "comentario": None, "favorito": None,
                             "estado": "ativo"})
    booklet.private["hash"] = new_hash(ctx.env)
    return booklet


def adicionar(ctx: Ctx) -> Reply:
    env, body = ctx.env, dict(ctx.data)
    items, total = cobrancas.itens(body)
    count = int(amount(body["parcelas"]))
    divide = body.get("dividir") == "Sim"
    first = due_date(body["vencimento"])
    assert first is not None  # validated
    ident = new_id(env, ctx.scope)
    notify = body.get("notificacao") if cfg(env)["notificacoes"]["parcelas"] else None
    parcels: list[Record] = []
    for i, value in enumerate(shares(total, count, divide)):
        due = monthly(first, i)
        parcel_items = items if not divide else [{"descricao": f"Parcela {i + 1}/{count}", "valor": money(value),
                                                  "quantidade": "1", "desconto": "0"}]
        charge = cobrancas.build(env, ctx.scope, body, parcel_items, value, due.isoformat(), notify, carne=ident)
        cobrancas.start(env, ctx.scope, charge,
                        ctx.plan or cobrancas.magic_plan(env, charge["valor"]) or due_plan(env, due))
        parcels.append(charge)
    booklet = _booklet(ctx, {**cobrancas.payer(body), "endereco": objects.endereco(body), "itens": items,
                             "referencia": body.get("referencia"), "valor": money(total),
                             "dividir": "Sim" if divide else "Não", "parcelas": str(count),
                             "notificacao": body.get("notificacao"), "vencimento": first.isoformat(),
                             "cobrancas": [c["id"] for c in parcels]}, ident)
    booklet.private["forma"] = str(body["forma"])
    env.enter(ctx.scope, CARNE, booklet)
    return Reply(200, {"sucesso": True, "id": ident, "link": link(ctx, CARNE, booklet),
                       "cobrancas": list(booklet["cobrancas"])})


def _assemblable(ctx: Ctx, ident: str) -> tuple[Record | None, str | None]:
    """A charge montar may take (INFERRED: this account's, in no other carnê, not paid nor cancelled)."""
    charge = ctx.scope.get(COBRANCA, ident)
    if charge is None:
        return None, "cobranca_nao_encontrada"
    if charge.get("carne"):
        return charge, "ja_em_carne"
    if state_of(ctx.env, COBRANCA, charge) not in ("aguardando", "vencido"):
        return charge, "nao_aguardando"
    return charge, None


def montar(ctx: Ctx) -> Reply:
    """A carnê of existing charges; any charge it cannot take refuses the whole call (INFERRED). The carnê shows
    one item per charge, their sum as `valor` (`dividir` Sim) and the earliest due date."""
    idents = ids_of(ctx.data.get("cobrancas"))
    if len(idents) < 2:  # the same id twice, or blank ones, leave fewer than two charges
        raise ValidationFailed({"cobrancas": [ctx.message("cobrancas", "default")]})
    checked = [(ident, *_assemblable(ctx, ident)) for ident in idents]
    refused = [(ident, message(ctx.env, reason)) for ident, _, reason in checked if reason]
    if refused:
        raise execution(refused)
    charges = [charge for _, charge, _ in checked if charge is not None]
    first = charges[0]
    ident = new_id(ctx.env, ctx.scope)
    dues = sorted(str(c["vencimento"]) for c in charges if c.get("vencimento"))
    items: list[dict[str, object]] = [{"descricao": f"Cobrança {c['id']}", "valor": c["valor"], "quantidade": "1",
                          "desconto": "0"} for c in charges]
    booklet = _booklet(ctx, {**{name: first.get(name) for name in cobrancas.PAYER}, "endereco": first["endereco"],
                             "itens": items, "referencia": ctx.data.get("referencia"),
                             "valor": money(sum((amount(c["valor"]) for c in charges), Decimal(0))),
                             "dividir": "Sim", "parcelas": str(len(charges)),
                             "notificacao": ctx.data.get("notificacao"), "vencimento": dues[0] if dues else None,
                             "cobrancas": [c["id"] for c in charges]}, ident)
    booklet.private["forma"] = str(first["forma"])
    for charge in charges:
        charge["carne"] = ident
        ctx.scope.put(COBRANCA, charge["id"], charge)
    ctx.env.enter(ctx.scope, CARNE, booklet)
    return Reply(200, {"sucesso": True, "id": ident, "link": link(ctx, CARNE, booklet)})


def consultar(ctx: Ctx) -> Reply:
    shown = cobrancas.within_budget(ctx, [objects.carne(ctx.env, b) for b in cobrancas.listed(ctx, CARNE)])
    return Reply(200, {"sucesso": True, "total": str(len(shown)), "carnes": shown})


REFUSALS = {"cancelado": "carne_ja_cancelado", "finalizado": "carne_finalizado"}


def cancelar(ctx: Ctx) -> Reply:
    """Cancel each carnê `id` names, and its parcels still awaiting payment or overdue (INFERRED: docs silent);
    `total` counts the carnês; none cancellable is the execution error."""
    env, moved, refused = ctx.env, 0, []
    for ident in ids_of(ctx.data.get("id")) or [""]:  # only blank ids: not found
        booklet = ctx.scope.get(CARNE, ident)
        reason = "carne_nao_encontrado" if booklet is None else REFUSALS.get(state_of(env, CARNE, booklet))
        if reason or booklet is None:
            refused.append((ident, message(env, reason or "carne_nao_encontrado")))
            continue
        env.transition(ctx.scope, CARNE, ident, "cancelado", cause="api")
        for charge_id in booklet.get("cobrancas") or []:
            _cancel_parcel(env, ctx.scope, str(charge_id))
        moved += 1
    if not moved:
        raise execution(refused)
    return Reply(200, {"sucesso": True, "total": moved})


def _cancel_parcel(env: ProviderEnv, scope: Scope, ident: str) -> None:
    charge = scope.get(COBRANCA, ident)
    if charge is not None and state_of(env, COBRANCA, charge) in ("aguardando", "vencido"):
        env.transition(scope, COBRANCA, ident, "cancelado", cause="carne cancelado")


def notificacao(ctx: Ctx) -> Reply:
    return Reply(200, {"sucesso": True, "carne": objects.carne(ctx.env, cobrancas.notice(ctx, CARNE))})

