"""A transaction as WidePay shows it (the 16 keys of consultar and notificacao), and its `pagamento` block."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal

from simulator.behaviour.money import rounded
from simulator.engine.env import ProviderEnv
from simulator.lifecycle import Move
from simulator.providers.widepay.base import local_now, num, stamp, status_text, text
from simulator.records import JSON, Record

FIELDS = ("id", "tipo", "cliente", "itens", "desconto", "valor", "identificador", "notificacao", "redirecionamento",
          "vencimento", "criacao", "status", "cancelamento", "pagamento", "historico", "boleto")
CLIENTE = ("pessoa", "nome", "cpf", "cnpj", "email", "celular", "rua", "numero", "complemento", "bairro", "cep",
           "cidade", "estado")
DEFAULT_CARD = {"bandeira": "Visa", "final": 1111}  # INFERRED: the card a buyer uses on the simulated link page


def transacao(tx: Record) -> dict[str, JSON]:
    """A copy: an answer (and its journal entry) never changes with the stored record's later moves."""
    return copy.deepcopy({name: tx.get(name) for name in FIELDS})


def _fees(env: ProviderEnv) -> dict[str, JSON]:
    return dict(env.config.section("fees") or {})


def payment(env: ProviderEnv, tx: Record) -> dict[str, JSON]:
    """The `pagamento` block when a transaction is paid now (boleto and card shapes differ, as documented)."""
    now = local_now(env)
    valor = Decimal(str(tx["valor"]))
    if tx["tipo"] == "Boleto":
        fee = _fees(env).get("boleto") or {}
        tarifa = Decimal(str(fee.get("tarifa", "1.95")))
        available = now + timedelta(days=int(fee.get("dias_disponivel", 3)))
        return {"data": now.strftime("%Y-%m-%d"), "valor": num(valor), "tarifa": num(tarifa),
                "disponivel": {"data": available.strftime("%Y-%m-%d"), "valor": num(valor - tarifa)}}
    fee = _fees(env).get("cartao") or {}
    private = tx.private
    charged = Decimal(str(private.get("total") or tx["valor"]))
    interest = charged - valor
    buyer_pays = private.get("parcelamento") == "Comprador"
    received = charged if buyer_pays else valor
    recebimento = rounded(received * Decimal(str(fee.get("percentual", 5))) / 100)
    parcelamento = Decimal(0) if buyer_pays else interest
    available = now + timedelta(days=int(fee.get("dias_disponivel", 30)))
    card = dict(private.get("cartao") or DEFAULT_CARD)
    return {"data": stamp(now), "valor": text(received), "parcelas": int(private.get("parcelas") or 1),
            "tarifa": {"recebimento": num(recebimento), "parcelamento": num(parcelamento)},
            "disponivel": {"data": available.strftime("%Y-%m-%d"),
                           "valor": num(received - recebimento - parcelamento)},
            "cartao": {"bandeira": card["bandeira"], "final": int(card["final"])}}


def on_transition(env: ProviderEnv, move: Move) -> None:
    """Keep `status`, `historico`, `pagamento` and `cancelamento` in step with the state machine."""
    tx = move.record
    now = stamp(local_now(env))
    tx["status"] = status_text(env, move.target)
    tx.setdefault("historico", []).append({"status": tx["status"], "data": now})
    if move.target in move.decl.failed:
        tx["cancelamento"] = now
    elif tx.get("pagamento") is None:
        tx["pagamento"] = payment(env, tx)
