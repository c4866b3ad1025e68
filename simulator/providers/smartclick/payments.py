"""SmartClick's side-effecting GETs (Gerar Boleto, Pedido de Saque) and the state machines behind them.

A divida's boleto is made once by `pagamento/boleto/{pgm_id}` and moves on the clock (behaviour.yaml
`lifecycles.boleto`, magic amounts included); paying it pays the divida, and a paid divida pays its pedido.
A saque is sent by `saques/sacar/{saq_id}` (pendente -> processando) and is paid out on the clock.
"""

from __future__ import annotations

import datetime

from simulator.behaviour.config import Plan
from simulator.brdata import generate_boleto
from simulator.brdata.documents import only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv
from simulator.lifecycle import Move
from simulator.providers.smartclick.columns import mysql_time, resource
from simulator.providers.smartclick.resources import find_row, row_body
from simulator.records import JSON, Record

BOLETO = "boleto"


def boleto_body(boleto: Record) -> dict[str, JSON]:
    return dict(boleto)


def gerar_boleto(ctx: Ctx) -> Reply:
    res = resource(ctx, "dividas")
    divida = find_row(ctx, res, ctx.params.get("pgm_id"))
    key = divida["pgm_id"]
    env = ctx.env
    boleto = ctx.scope.get(BOLETO, key)
    if boleto is None:
        cfg = ctx.config.section("boleto") or {}
        valor = float(divida.get("pgm_valor") or 0)
        due = env.time.today() + datetime.timedelta(days=int(cfg.get("due_days", 3)))
        barcode, linha = generate_boleto(env.rng(), str(cfg.get("bank", "341")), env.money.minor(valor), due)
        path = str(cfg.get("url_path", "/_sim/ui/pay/smartclick/boleto/{pgm_id}")).format(pgm_id=key)
        boleto = ctx.scope.new({"pgm_id": divida["pgm_id"], "status": "pendente", "valor": round(valor, 2),
                                "vencimento": due.isoformat(), "linha_digitavel": linha, "codigo_barras": barcode,
                                "url": ctx.base_url + path, "pago_em": None})
        divida.update({"pgm_metodo": "boleto", "pgm_boleto_url": boleto["url"], "pgm_boleto_digitavel": linha})
        ctx.scope.put("divida", key, divida)
        env.enter(ctx.scope, BOLETO, boleto, ctx.plan)
    return Reply(200, {**row_body(res, divida), "boleto": boleto_body(boleto)})


def pedido_de_saque(ctx: Ctx) -> Reply:
    res = resource(ctx, "saques")
    saque = find_row(ctx, res, ctx.params.get("saq_id"))
    if saque["saq_status"] == "pendente":
        env = ctx.env
        saque = env.transition(ctx.scope, "saque", saque["saq_id"], "processando", cause="sacar")
        stored = saque.private.pop("plan", None) if saque.has_private else None
        plan = ctx.plan or (Plan.from_data(stored) if stored else None)
        if plan is not None:
            env.lifecycles.replan(ctx.scope, "saque", saque, plan)
    return Reply(200, row_body(res, saque))


def on_boleto(env: ProviderEnv, move: Move) -> None:
    boleto = move.record
    if move.target == "pago":
        boleto["pago_em"] = mysql_time(env)
        env.move_if_allowed(move.scope, "divida", boleto["pgm_id"], "pago", "boleto pago")
    elif move.target == "vencido":
        env.move_if_allowed(move.scope, "divida", boleto["pgm_id"], "vencido", "boleto vencido")


def on_divida(env: ProviderEnv, move: Move) -> None:
    if move.target != "pago":
        return
    divida = move.record
    divida["pgm_pago_em"] = mysql_time(env)
    divida["pgm_parcelas_pagas"] = divida.get("pgm_parcelas") or 1
    env.move_if_allowed(move.scope, BOLETO, divida["pgm_id"], "pago", "divida paga")
    env.move_if_allowed(move.scope, "pedido", divida.get("pgm_pedido"), "pago", "divida paga")


def on_saque(env: ProviderEnv, move: Move) -> None:
    if move.target == "pago":
        move.record["saq_pago_em"] = mysql_time(env)
