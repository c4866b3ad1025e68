"""v1 objects as WidePay shows them: the charge (`cobranca`, 29 keys) and the carnê (`carne`, 22 keys), and how
a status change shows on them (`historico`, and the payment fields when a charge is paid)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from simulator.engine.env import ProviderEnv
from simulator.lifecycle import Move
from simulator.providers.widepay.recebimentos import (CARNE, COBRANCA, V1Fee, amount, cfg, due_date, local_now,
                                                      money, settings, stamp, status_text)
from simulator.records import JSON, Record

COBRANCA_FIELDS = ("id", "cobranca", "carne", "assinatura", "forma", "cliente", "pessoa", "cpf", "cnpj", "email",
                   "telefone", "endereco", "itens", "referencia", "valor", "recebido", "tarifa", "notificacao",
                   "vencimento", "recebimento", "compensacao", "criacao", "status", "detalhamento", "duplicado",
                   "compensado", "historico", "comentario", "favorito")
CARNE_FIELDS = ("id", "cliente", "pessoa", "cpf", "cnpj", "email", "telefone", "endereco", "itens", "referencia",
                "valor", "dividir", "parcelas", "notificacao", "vencimento", "criacao", "status", "cobrancas",
                "historico", "comentario", "favorito")
ENDERECO = ("rua", "numero", "complemento", "bairro", "cep", "cidade", "estado")
CARNE_TIMER = "carne"  # the provider's timer that brings a carnê up to date with its parcels (hooks `timers`)
PAID = ("em_analise", "recebido")  # states where the payer's money came in (manual receipts carry no amounts)


def cobranca(env: ProviderEnv, charge: Record) -> dict[str, JSON]:
    """The charge object of consultar and notificacao. `compensado` reads "Sim" once the clock has reached the
    settlement date (`compensacao`), "Não" before (INFERRED: the field is undocumented)."""
    out = copy.deepcopy({name: charge.get(name) for name in COBRANCA_FIELDS})  # the answer shares no list
    settles = charge.get("compensacao")
    if isinstance(settles, str) and charge.get("recebido") is not None:
        out["compensado"] = "Sim" if env.time.today().isoformat() >= settles else "Não"
    return out


def parcela(charge: Record) -> dict[str, JSON]:
    """A carnê's `cobrancas[]` entry (since 2021-02): payment date without the time."""
    paid = charge.get("recebimento")
    return {"id": charge["id"], "status": charge["status"], "recebimento": paid[:10] if isinstance(paid, str) else None,
            "vencimento": charge.get("vencimento"), "valor": charge["valor"], "recebido": charge.get("recebido")}


def carne(env: ProviderEnv, booklet: Record) -> dict[str, JSON]:
    scope = env.records(booklet.meta.account)
    charges = [scope.get(COBRANCA, ident) for ident in booklet.get("cobrancas") or []]
    parcels: list[dict[str, JSON]] = [parcela(c) for c in charges if c is not None]
    return {name: parcels if name == "cobrancas" else copy.deepcopy(booklet.get(name)) for name in CARNE_FIELDS}


def endereco(body: dict[str, JSON]) -> dict[str, str | None]:
    """Every address key, null when not sent (the object never shows `coletar`)."""
    raw = body.get("endereco")
    given = raw if isinstance(raw, dict) else {}
    return {name: (None if given.get(name) is None else str(given[name])) for name in ENDERECO}


# --- status changes ------------------------------------------------------------------------------------------

def _received(env: ProviderEnv, charge: Record) -> Decimal:
    """What the payer pays now: the discount (`desconto`) until the due date; after it the late fee (`multa`, %)
    and the monthly interest (`juros`, %, pro rata by day), the wallet's defaults where the charge set none."""
    valor = amount(charge["valor"])
    terms = dict(charge.private.get("termos") or {})
    due = due_date(charge.get("vencimento"))
    today = env.time.today()
    if due is None or today <= due:
        return max(valor - amount(terms.get("desconto")), Decimal("0.01"))
    defaults = dict(settings(env, charge.meta.account).get("padroes") or {})
    multa = amount(terms.get("multa", defaults.get("multa")))
    juros = amount(terms.get("juros", defaults.get("juros")))
    late_days = (today - due).days
    return valor + valor * multa / 100 + valor * juros / 100 * late_days / 30


def pay(env: ProviderEnv, charge: Record) -> None:
    """Fill `recebido`, `tarifa`, `recebimento`, `compensacao` and `detalhamento` when the money comes in: a boleto
    is credited on the day (`YYYY-MM-DD 00:00:00`, as the docs' example), a Pix at the minute it is paid."""
    forma = str(charge.private.get("paga_com") or str(charge["forma"]).split(",")[0])
    fee = cast(V1Fee, dict((cfg(env)["tarifas"]).get(forma) or {}))
    now = local_now(env)
    charge["recebido"] = money(_received(env, charge))
    charge["tarifa"] = str(fee.get("fixa", "0.00"))
    charge["recebimento"] = now.strftime("%Y-%m-%d 00:00:00") if forma == "Boleto" else now.strftime("%Y-%m-%d %H:%M:%S")
    settles: date = now.date() + timedelta(days=int(fee.get("compensacao_dias", 1)))
    charge["compensacao"] = settles.isoformat()
    charge["detalhamento"] = {"tarifa": {"fixa": charge["tarifa"]}}


def on_cobranca(env: ProviderEnv, move: Move) -> None:
    """`status` and `historico` follow the state machine; a payment fills the payment fields once; a parcel's
    carnê follows."""
    charge = move.record
    charge["status"] = status_text(env, COBRANCA, move.target)
    charge.setdefault("historico", []).append({"status": charge["status"], "data": stamp(env)})
    if move.target in PAID and charge.get("recebido") is None:
        pay(env, charge)
    if charge.get("carne"):
        follow(env, move)


def carne_state(states: list[str]) -> str:
    """A carnê's state from its parcels' (INFERRED from the docs' meanings): `finalizado` when every parcel not
    cancelled is received, `pendente` while one is overdue, `ativo` otherwise; `cancelado` when all are."""
    live = [s for s in states if s != "cancelado"]
    if not live:
        return "cancelado"
    if all(s in ("recebido", "recebido_manualmente") for s in live):
        return "finalizado"
    return "pendente" if "vencido" in live else "ativo"


def follow(env: ProviderEnv, move: Move) -> None:
    """A parcel moved: its carnê is brought up to date right after (once the parcel's own move, with its
    notification, is done), by the provider's `carne` timer."""
    env.at(env.clock.now(), CARNE_TIMER, str(move.record["carne"]))


def settle_carne(env: ProviderEnv, key: str, due: float) -> None:
    """The carnê moves to the state its parcels now give (a cancelled carnê stays cancelled)."""
    booklet = env.view.get(CARNE, key)
    if booklet is None:
        return
    scope = env.records(booklet.meta.account)
    decl = env.machine(CARNE)
    field = env.machine(COBRANCA).field
    parcels = [scope.get(COBRANCA, ident) for ident in booklet.get("cobrancas") or []]
    target = carne_state([str(p[field]) for p in parcels if p is not None])
    if target != booklet[decl.field] and target in decl.allowed(str(booklet[decl.field])):
        env.transition(scope, CARNE, key, target, cause="cobrancas")


def on_carne(env: ProviderEnv, move: Move) -> None:
    booklet = move.record
    booklet["status"] = status_text(env, CARNE, move.target)
    booklet.setdefault("historico", []).append({"status": booklet["status"], "data": stamp(env)})
