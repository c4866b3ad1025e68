"""A transaction as WidePay shows it (the 16 keys of consultar and notificacao), and its `pagamento` block."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from simulator.providers.widepay.base import behaviour, cents, local_now, num, stamp, status_text, text
from simulator.sim import Sim
from simulator.store.base import Record

FIELDS = ("id", "tipo", "cliente", "itens", "desconto", "valor", "identificador", "notificacao", "redirecionamento",
          "vencimento", "criacao", "status", "cancelamento", "pagamento", "historico", "boleto")
CLIENTE = ("pessoa", "nome", "cpf", "cnpj", "email", "celular", "rua", "numero", "complemento", "bairro", "cep",
           "cidade", "estado")
DEFAULT_CARD = {"bandeira": "Visa", "final": 1111}  # INFERRED: the card a buyer uses on the simulated link page


def transacao(tx: Record) -> dict[str, Any]:
    return {name: tx.get(name) for name in FIELDS}


def _fees(sim: Sim) -> dict[str, Any]:
    return dict(behaviour(sim).get("fees") or {})


def payment(sim: Sim, tx: Record) -> dict[str, Any]:
    """The `pagamento` block when a transaction is paid now (boleto and card shapes differ, as documented)."""
    now = local_now(sim)
    valor = Decimal(str(tx["valor"]))
    if tx["tipo"] == "Boleto":
        fee = _fees(sim).get("boleto") or {}
        tarifa = Decimal(str(fee.get("tarifa", "1.95")))
        available = now + timedelta(days=int(fee.get("dias_disponivel", 3)))
        return {"data": now.strftime("%Y-%m-%d"), "valor": num(valor), "tarifa": num(tarifa),
                "disponivel": {"data": available.strftime("%Y-%m-%d"), "valor": num(valor - tarifa)}}
    fee = _fees(sim).get("cartao") or {}
    charged = Decimal(str(tx.get("_total") or tx["valor"]))
    interest = charged - valor
    buyer_pays = tx.get("_parcelamento") == "Comprador"
    received = charged if buyer_pays else valor
    recebimento = cents(received * Decimal(str(fee.get("percentual", 5))) / 100)
    parcelamento = Decimal(0) if buyer_pays else interest
    available = now + timedelta(days=int(fee.get("dias_disponivel", 30)))
    card = dict(tx.get("_cartao") or DEFAULT_CARD)
    return {"data": stamp(now), "valor": text(received), "parcelas": int(tx.get("_parcelas") or 1),
            "tarifa": {"recebimento": num(recebimento), "parcelamento": num(parcelamento)},
            "disponivel": {"data": available.strftime("%Y-%m-%d"),
                           "valor": num(received - recebimento - parcelamento)},
            "cartao": {"bandeira": card["bandeira"], "final": int(card["final"])}}


def on_transition(sim: Sim, provider: str, tx: Record, old: str, new: str, message: str | None) -> None:
    """Keep `status`, `historico`, `pagamento` and `cancelamento` in step with the state machine."""
    now = stamp(local_now(sim))
    tx["status"] = status_text(sim, new)
    tx.setdefault("historico", []).append({"status": tx["status"], "data": now})
    if new == "cancelada":
        tx["cancelamento"] = now
    elif tx.get("pagamento") is None:
        tx["pagamento"] = payment(sim, tx)
