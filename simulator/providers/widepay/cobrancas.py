"""v1 cobranças (`/v1/recebimentos/cobrancas/...`): adicionar, boleto, pix, consultar, cancelar, manual and
notificacao, and the charge's expiry (`Vencido`) on the clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Sequence, TypeVar

from simulator.behaviour.config import Plan
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.jsonio import encoder
from simulator.providers.widepay import codes, objects
from simulator.providers.widepay.recebimentos import (AVISO, CARNE, COBRANCA, amount, cfg, due_date, echo,
                                                      execution, ids_of, link, message, money, new_hash, new_id,
                                                      overdue_at, stamp, state_of, status_text)
from simulator.records import JSON, Record
from simulator.store.scope import Scope

T = TypeVar("T")

TIMER = "vencimento"  # the provider's timer that makes an unpaid charge `Vencido` (hooks `timers`)
PAYER = ("cliente", "pessoa", "cpf", "cnpj", "email", "telefone")


def itens(body: dict[str, JSON]) -> tuple[list[dict[str, str | None]], Decimal]:
    """The items as v1 echoes them (the text sent; `quantidade` "1" and `desconto` "0" by default) and their
    total: sum of valor × quantidade − desconto."""
    out: list[dict[str, str | None]] = []
    total = Decimal(0)
    for item in body.get("itens") or []:
        qty = amount(item.get("quantidade", 1)) or Decimal(1)
        total += amount(item["valor"]) * qty - amount(item.get("desconto"))
        out.append({"descricao": str(item["descricao"]), "valor": echo(item["valor"]),
                    "quantidade": echo(item.get("quantidade"), "1"), "desconto": echo(item.get("desconto"), "0")})
    return out, total


def terms(body: dict[str, JSON]) -> dict[str, str]:
    """`desconto`, `multa` and `juros`: top-level (the table since 2022-11) or inside `boleto` (the docs' example
    and the official modules); both are accepted, the top-level value wins (catalog §4.1)."""
    boleto = body.get("boleto") if isinstance(body.get("boleto"), dict) else {}
    out: dict[str, str] = {}
    for name in ("desconto", "multa", "juros"):
        value = body.get(name, boleto.get(name) if isinstance(boleto, dict) else None)
        if value is not None:
            out[name] = echo(value) or "0"
    return out


def instrucoes(body: dict[str, JSON]) -> list[str]:
    boleto = body.get("boleto")
    lines = boleto.get("instrucoes") if isinstance(boleto, dict) else None
    if isinstance(lines, dict):
        lines = list(lines.values())
    return [str(x) for x in lines] if isinstance(lines, list) else [str(lines)] if lines else []


def payer(body: dict[str, JSON]) -> dict[str, str | None]:
    """The flat payer fields, echoed; only the document of the `pessoa` is kept."""
    out: dict[str, str | None] = {name: (None if body.get(name) is None else str(body[name])) for name in PAYER}
    if out["pessoa"] != "Física":
        out["cpf"] = None
    if out["pessoa"] != "Jurídica":
        out["cnpj"] = None
    return out


def build(env: ProviderEnv, scope: Scope, body: dict[str, JSON], items: Sequence[Mapping[str, object]], total: Decimal,
          vencimento: object, notificacao: object, carne: str | None = None) -> Record:
    """A new charge (not yet on its state machine) with its boleto and Pix codes."""
    now = stamp(env)
    waiting = status_text(env, COBRANCA, "aguardando")
    due = due_date(vencimento)
    charge = scope.new({
        "id": new_id(env, scope), "cobranca": None, "carne": carne, "assinatura": None, "forma": str(body["forma"]),
        **payer(body), "endereco": objects.endereco(body), "itens": items,
        "referencia": None if body.get("referencia") is None else str(body["referencia"]),
        "valor": money(total), "recebido": None, "tarifa": None,
        "notificacao": None if notificacao is None else str(notificacao),
        "vencimento": due.isoformat() if due else None, "recebimento": None, "compensacao": None, "criacao": now,
        "status": waiting, "detalhamento": None, "duplicado": None, "compensado": None,
        "historico": [{"status": waiting, "data": now}], "comentario": None, "favorito": None,
        "estado": "aguardando"})
    charge.private.update(hash=new_hash(env), termos=terms(body), instrucoes=instrucoes(body))
    endereco = body.get("endereco")
    if isinstance(endereco, dict) and endereco.get("coletar") is not None:
        charge.private["coletar"] = str(endereco["coletar"])
    if body.get("enviar"):
        charge.private["envios"] = [{"canal": str(body["enviar"]), "mensagem": body.get("mensagem"), "em": now}]
    formas = str(body["forma"]).split(",")
    if "Boleto" in formas:
        codes.add_boleto(env, scope, charge, total, due)
    if "Pix" in formas:
        codes.add_pix(env, charge, total)
    return charge


def magic_plan(env: ProviderEnv, valor: object) -> Plan | None:
    """A magic total's outcome (behaviour.yaml `v1.magic_amounts`)."""
    return env.config.plans("v1_magic_amounts").get(str(valor))


def start(env: ProviderEnv, scope: Scope, charge: Record, plan: Plan | None) -> None:
    """Put the charge on its state machine, and plan its expiry the day after its due date."""
    env.enter(scope, COBRANCA, charge, plan)
    due = due_date(charge.get("vencimento"))
    if due is not None:
        env.at(overdue_at(env, due), TIMER, str(charge["id"]))


def adicionar(ctx: Ctx) -> Reply:
    body = dict(ctx.data)
    items, total = itens(body)
    charge = build(ctx.env, ctx.scope, body, items, total, body.get("vencimento"), body.get("notificacao"))
    start(ctx.env, ctx.scope, charge, ctx.plan or magic_plan(ctx.env, charge["valor"]))
    url = link(ctx, COBRANCA, charge)
    reply: dict[str, JSON] = {"sucesso": True, "id": charge["id"], "link": url, "pdf": url + ".pdf"}
    if "barcode" in charge.private:
        block = codes.boleto_block(ctx.env, charge)
        reply["boleto"] = {k: block[k] for k in ("parametros", "imagem", "codigo-barras", "linha-digitavel")}
    if "emv" in charge.private:
        reply["pix"] = codes.pix_block(charge)
    return Reply(200, reply)


# --- reading -------------------------------------------------------------------------------------------------

def one(ctx: Ctx) -> Record:
    """The charge `id` names, or `Cobrança não encontrada.` (a charge of another account is not found)."""
    ident = (ids_of(ctx.data.get("id")) or [""])[0]
    charge = ctx.scope.get(COBRANCA, ident)
    if charge is None:
        raise execution([(ident, message(ctx.env, "cobranca_nao_encontrada"))])
    return charge


def _yes(value: object) -> bool:
    return bool(value == "Sim")


def boleto(ctx: Ctx) -> Reply:
    charge = one(ctx)
    if "barcode" not in charge.private:
        raise execution([(str(charge["id"]), message(ctx.env, "sem_boleto"))])
    reply: dict[str, JSON] = {"sucesso": True, **codes.boleto_block(ctx.env, charge)}
    if _yes(ctx.data.get("html")):
        reply["html"] = codes.boleto_html(ctx.env, charge, carne=_yes(ctx.data.get("carne")),
                                          pix=_yes(ctx.data.get("pix")))
    return Reply(200, reply)


def pix(ctx: Ctx) -> Reply:
    charge = one(ctx)
    if "emv" not in charge.private:
        raise execution([(str(charge["id"]), message(ctx.env, "sem_pix"))])
    return Reply(200, {"sucesso": True, **codes.pix_block(charge)})


def listed(ctx: Ctx, kind: str) -> list[Record]:
    """The records `id` names (in that order), or without `id` the most recent (`v1.consultar.recentes`, or the
    `limite` some merchants send), newest first. Ids the account does not own are left out; none found is the
    execution error."""
    idents = ids_of(ctx.data.get("id"))  # blank ids (`id[0]=`) name nothing: the most recent then
    if idents:
        found = [(ident, ctx.scope.get(kind, ident)) for ident in idents]
        records = [r for _, r in found if r is not None]
        if not records:
            name = "cobranca_nao_encontrada" if kind == COBRANCA else "carne_nao_encontrado"
            raise execution([(ident, message(ctx.env, name)) for ident, _ in found])
        return records
    settings = cfg(ctx.env)["consultar"]
    limit = int(amount(ctx.data.get("limite")) or settings["recentes"])
    return list(reversed(ctx.scope.all(kind)))[:max(1, min(limit, int(settings["maximo"])))]


def within_budget(ctx: Ctx, items: list[T]) -> list[T]:
    """As many items as fit in `v1.consultar.max_bytes` once encoded, one at least (the official Node SDK reads only
    the first TLS record of an answer, about 16 KiB): `total` then counts the items returned, and the journal's
    `warnings` say what was left out (not a violation: the bound is the simulator's, INFERRED)."""
    budget = int(cfg(ctx.env)["consultar"]["max_bytes"]) - 64
    encode = encoder(ctx.config.json_style)
    out: list[T] = []
    for item in items:
        size = len(encode(item)) + 1
        if out and size > budget:
            ctx.warn(f"answer: {len(items) - len(out)} of {len(items)} objects left out to keep it within "
                     f"{budget + 64} bytes (v1.consultar.max_bytes: the official Node SDK reads one TLS record), "
                     "a bound the provider's documents do not state")
            break
        budget -= size
        out.append(item)
    return out


def consultar(ctx: Ctx) -> Reply:
    charges = listed(ctx, COBRANCA)
    for charge in charges:  # a read counts for plans declared `after_reads`
        ctx.env.lifecycles.read(ctx.scope, COBRANCA, charge)
    shown = within_budget(ctx, [objects.cobranca(ctx.env, c) for c in charges])
    return Reply(200, {"sucesso": True, "total": str(len(shown)), "cobrancas": shown})


# --- changing ------------------------------------------------------------------------------------------------

REFUSALS: dict[str, dict[str, str]] = {  # operation -> state -> message name (states not listed are allowed)
    "cancelar": {"cancelado": "ja_cancelada", "recebido": "ja_recebida", "recebido_manualmente": "ja_recebida",
                 "em_analise": "em_analise"},
    "manual": {"cancelado": "cancelada", "recebido": "ja_recebida", "recebido_manualmente": "ja_recebida_manualmente",
               "em_analise": "em_analise"},
}


def change(ctx: Ctx, action: str, target: str) -> Reply:
    """Move each charge `id` names to `target`; `total` counts those moved. When none could be, the execution
    error lists why per id (catalog §2.3); when some could, the others are left as they are (INFERRED)."""
    moved, refused = 0, []
    for ident in ids_of(ctx.data.get("id")) or [""]:  # only blank ids: not found
        charge = ctx.scope.get(COBRANCA, ident)
        reason = "cobranca_nao_encontrada" if charge is None else REFUSALS[action].get(state_of(ctx.env, COBRANCA,
                                                                                             charge))
        if reason:
            refused.append((ident, message(ctx.env, reason)))
            continue
        ctx.env.transition(ctx.scope, COBRANCA, ident, target, cause="api")
        moved += 1
    if not moved:
        raise execution(refused)
    return Reply(200, {"sucesso": True, "total": moved})


def cancelar(ctx: Ctx) -> Reply:
    return change(ctx, "cancelar", "cancelado")


def manual(ctx: Ctx) -> Reply:
    return change(ctx, "manual", "recebido_manualmente")


def notice(ctx: Ctx, kind: str) -> Record:
    """The object a notification id points to (this account's, about a `kind`), as it is now."""
    ident = (ids_of(ctx.data.get("id")) or [""])[0]
    note = ctx.scope.get(AVISO, ident)
    found = ctx.scope.get(kind, str(note["chave"])) if note is not None and note["objeto"] == kind else None
    if found is None:
        raise execution([(ident, message(ctx.env, "notificacao_nao_encontrada"))])
    ctx.env.lifecycles.read(ctx.scope, kind, found)
    return found


def notificacao(ctx: Ctx) -> Reply:
    return Reply(200, {"sucesso": True, "cobranca": objects.cobranca(ctx.env, notice(ctx, COBRANCA))})


# --- the clock -----------------------------------------------------------------------------------------------

def restore(env: ProviderEnv) -> None:
    """On a persistent store kept from an earlier run: the expiry of every charge still awaiting payment, and each
    carnê brought up to date with its parcels."""
    for charge in env.view.all(COBRANCA):
        due = due_date(charge.get("vencimento"))
        if due is not None and state_of(env, COBRANCA, charge) == "aguardando":
            env.at(overdue_at(env, due), TIMER, str(charge["id"]))
    for booklet in env.view.all(CARNE):
        env.at(env.clock.now(), objects.CARNE_TIMER, str(booklet["id"]))


def expire(env: ProviderEnv, key: str, due: float) -> None:
    """The day after its due date an unpaid charge becomes `Vencido`; a payment planned for later still comes
    (then paid late, with `multa` and `juros`)."""
    charge = env.view.get(COBRANCA, key)
    if charge is None or state_of(env, COBRANCA, charge) != "aguardando":
        return
    vencimento = due_date(charge.get("vencimento"))
    if vencimento is None or overdue_at(env, vencimento) != due:
        return
    pending = charge.meta.next
    scope = env.records(charge.meta.account)
    moved = env.transition(scope, COBRANCA, key, "vencido", cause="clock")
    if pending is not None and pending.target in env.machine(COBRANCA).allowed("vencido"):
        later = None if pending.due is None else max(0.0, pending.due - env.clock.now())
        env.lifecycles.replan(scope, COBRANCA, moved, Plan(to=pending.target, after_seconds=later,
                                                           after_reads=pending.after_reads,
                                                           message=pending.message))

