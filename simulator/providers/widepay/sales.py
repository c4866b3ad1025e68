"""Card sales for mobile apps (transacoes/vender) and the installment calculator (transacoes/parcelamento)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulator.brdata import card_brand
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.providers.widepay.base import (TX, P, behaviour, cents, decimal_of, local_now, new_id, num, stamp,
                                              status_text, text)
from simulator.providers.widepay.present import CLIENTE, payment
from simulator.providers.widepay.transactions import magic_plan
from simulator.sim import Sim

BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "elo": "Elo", "hipercard": "Hipercard",
          "amex": "American Express", "diners": "Diners", "discover": "Discover"}


def installment_total(sim: Sim, valor: Decimal, parcelas: int) -> Decimal:
    rates = (behaviour(sim).get("parcelamento") or {}).get("juros") or [0]
    rate = Decimal(str(rates[min(parcelas, len(rates)) - 1]))
    return cents(valor * (1 + rate / 100))


def parcelamento(ctx: Ctx) -> Reply:
    valor = decimal_of(ctx.body["valor"]) or Decimal(0)
    cfg = behaviour(ctx.sim).get("parcelamento") or {}
    minimum = Decimal(str(cfg.get("parcela_minima", 5)))
    table: list[dict[str, Any]] = []
    for n in range(1, len(cfg.get("juros") or [0]) + 1):
        total = installment_total(ctx.sim, valor, n)
        each = cents(total / n)
        if n > 1 and each < minimum:
            break
        table.append({"parcela": n, "valor": num(each), "total": num(total)})
    return Reply(200, {"success": True, "parcelamento": table})


def vender(ctx: Ctx) -> Reply:
    body, sim = ctx.body, ctx.sim
    numero = str(body["numero"])
    magic = (behaviour(sim).get("magic_cards") or {}).get(numero) or {}
    if "declined" in magic and ctx.plan is None:
        raise ProviderError("card_declined", {"message": magic["declined"]})
    valor = cents(decimal_of(body["valor"]) or Decimal(0))
    parcelas = int(decimal_of(body["parcelas"]) or 1)
    now = stamp(local_now(sim))
    waiting, clearing = status_text(sim, "aguardando"), status_text(sim, "em_compensacao")
    tx = ctx.tag({
        "id": new_id(sim), "tipo": "Cartão", "cliente": {name: None for name in CLIENTE},
        "itens": [{"descricao": str(body["descricao"]), "valor": num(valor), "quantidade": "1", "desconto": 0}],
        "desconto": None, "valor": text(valor), "identificador": body.get("identificador"), "notificacao": None,
        "redirecionamento": None, "vencimento": None, "criacao": now, "status": clearing, "cancelamento": None,
        "pagamento": None, "historico": [{"status": waiting, "data": now}, {"status": clearing, "data": now}],
        "boleto": None, "estado": "em_compensacao",
        "_cartao": {"bandeira": BRANDS.get(card_brand(numero) or "", "Visa"), "final": int(numero[-4:])},
        "_parcelas": parcelas, "_parcelamento": body.get("parcelamento") if parcelas > 1 else None,
        "_total": text(installment_total(sim, valor, parcelas))})
    tx["pagamento"] = payment(sim, tx)
    sim.store.put(P, TX, tx["id"], tx)
    sim.lifecycles.enter(P, TX, tx, ctx.plan or magic_plan(sim, "magic_cards", numero))
    return Reply(200, {"success": True, "id": tx["id"], "status": tx["status"]})
