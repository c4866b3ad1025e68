"""Card sales for mobile apps (transacoes/vender) and the installment calculator (transacoes/parcelamento)."""

from __future__ import annotations

from decimal import Decimal

from simulator.behaviour.money import decimal_of, rounded
from simulator.brdata import card_brand
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.providers.widepay.base import TX, local_now, new_id, num, stamp, status_text, text
from simulator.providers.widepay.present import CLIENTE, payment
from simulator.providers.widepay.transactions import magic_plan

BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "elo": "Elo", "hipercard": "Hipercard",
          "amex": "American Express", "diners": "Diners", "discover": "Discover"}


def installment_total(env: ProviderEnv, valor: Decimal, parcelas: int) -> Decimal:
    rates = (env.config.section("parcelamento") or {}).get("juros") or [0]
    rate = Decimal(str(rates[min(parcelas, len(rates)) - 1]))
    return rounded(valor * (1 + rate / 100))


def parcelamento(ctx: Ctx) -> Reply:
    valor = decimal_of(ctx.data["valor"]) or Decimal(0)
    cfg = ctx.config.section("parcelamento") or {}
    minimum = Decimal(str(cfg.get("parcela_minima", 5)))
    table: list[dict[str, int | float]] = []
    for n in range(1, len(cfg.get("juros") or [0]) + 1):
        total = installment_total(ctx.env, valor, n)
        each = rounded(total / n)
        if n > 1 and each < minimum:
            break
        table.append({"parcela": n, "valor": num(each), "total": num(total)})
    return Reply(200, {"success": True, "parcelamento": table})


def vender(ctx: Ctx) -> Reply:
    body, env = ctx.data, ctx.env
    numero = str(body["numero"])
    magic = (env.config.section("magic_cards") or {}).get(numero) or {}
    if "declined" in magic and ctx.plan is None:
        raise ProviderError("card_declined", {"message": magic["declined"]})
    valor = rounded(decimal_of(body["valor"]) or Decimal(0))
    parcelas = int(decimal_of(body["parcelas"]) or 1)
    now = stamp(local_now(env))
    waiting, clearing = status_text(env, "aguardando"), status_text(env, "em_compensacao")
    tx = ctx.scope.new({
        "id": new_id(env, ctx.scope), "tipo": "Cartão", "cliente": {name: None for name in CLIENTE},
        "itens": [{"descricao": str(body["descricao"]), "valor": num(valor), "quantidade": "1", "desconto": 0}],
        "desconto": None, "valor": text(valor), "identificador": body.get("identificador"), "notificacao": None,
        "redirecionamento": None, "vencimento": None, "criacao": now, "status": clearing, "cancelamento": None,
        "pagamento": None, "historico": [{"status": waiting, "data": now}, {"status": clearing, "data": now}],
        "boleto": None, "estado": "em_compensacao"})
    tx.private.update(cartao={"bandeira": BRANDS.get(card_brand(numero) or "", "Visa"), "final": int(numero[-4:])},
                      parcelas=parcelas, parcelamento=body.get("parcelamento") if parcelas > 1 else None,
                      total=text(installment_total(env, valor, parcelas)))
    tx["pagamento"] = payment(env, tx)
    env.enter(ctx.scope, TX, tx, ctx.plan or magic_plan(env, "magic_cards", numero))
    return Reply(200, {"success": True, "id": tx["id"], "status": tx["status"]})
