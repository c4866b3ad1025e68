"""SmartClick's side-effecting GETs (Gerar Boleto, Pedido de Saque) and the state machines behind them.

A divida's boleto is made once by `pagamento/boleto/{pgm_id}` and moves on the clock (behaviour.yaml
`lifecycles.boleto`, magic amounts included); paying it pays the divida, and a paid divida pays its pedido.
A saque is sent by `saques/sacar/{saq_id}` (pendente -> processando) and is paid out on the clock.
"""

from __future__ import annotations

import datetime
from typing import Any

from simulator.brdata import generate_boleto
from simulator.brdata.documents import only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.lifecycle import Plan
from simulator.providers.common import base_url, public
from simulator.providers.smartclick.columns import P, mysql_time, resource
from simulator.providers.smartclick.resources import find_row, row_body
from simulator.sim import Sim
from simulator.store.base import Record

BOLETO = "boleto"
KIND_ALIASES = {"divida": "divida", "dividas": "divida", "boleto": BOLETO, "boletos": BOLETO,
                "saque": "saque", "saques": "saque", "pedido": "pedido", "pedidos": "pedido"}


def boleto_body(boleto: Record) -> dict[str, Any]:
    return public(boleto)


def gerar_boleto(ctx: Ctx) -> Reply:
    res = resource(ctx, "dividas")
    divida = find_row(ctx, res, ctx.params.get("pgm_id"))
    key = str(divida["pgm_id"])
    sim = ctx.sim
    boleto = sim.store.get(P, BOLETO, key)
    if boleto is None:
        cfg = ctx.provider.behaviour.get("boleto") or {}
        valor = float(divida.get("pgm_valor") or 0)
        today = datetime.datetime.fromtimestamp(int(sim.clock.now()), tz=datetime.timezone.utc).date()
        due = today + datetime.timedelta(days=int(cfg.get("due_days", 3)))
        barcode, linha = generate_boleto(sim.rng(P), str(cfg.get("bank", "341")), round(valor * 100), due)
        path = str(cfg.get("url_path", "/_sim/ui/pay/smartclick/boleto/{pgm_id}")).format(pgm_id=key)
        boleto = ctx.tag({"pgm_id": divida["pgm_id"], "status": "pendente", "valor": round(valor, 2),
                          "vencimento": due.isoformat(), "linha_digitavel": linha, "codigo_barras": barcode,
                          "url": base_url(ctx) + path, "pago_em": None})
        sim.store.put(P, BOLETO, key, boleto)
        divida.update({"pgm_metodo": "boleto", "pgm_boleto_url": boleto["url"], "pgm_boleto_digitavel": linha})
        sim.store.put(P, "divida", key, divida)
        sim.lifecycles.enter(P, BOLETO, boleto, ctx.plan)
    return Reply(200, {**row_body(res, divida), "boleto": boleto_body(boleto)})


def pedido_de_saque(ctx: Ctx) -> Reply:
    res = resource(ctx, "saques")
    saque = find_row(ctx, res, ctx.params.get("saq_id"))
    if saque["saq_status"] == "pendente":
        sim = ctx.sim
        saque = sim.lifecycles.transition(P, "saque", str(saque["saq_id"]), "processando", cause="sacar")
        stored = saque.pop("_plan", None)
        plan = ctx.plan or (Plan(to=str(stored["to"]), after_seconds=stored.get("after_seconds"),
                                 after_reads=stored.get("after_reads"), message=stored.get("message"))
                            if stored else None)
        if plan is not None:
            sim.lifecycles.replan(P, "saque", saque, plan)
    return Reply(200, row_body(res, saque))


def _move(sim: Sim, kind: str, key: Any, to: str, cause: str) -> None:
    """Move a related record if it exists and its machine allows it (otherwise leave it)."""
    if key is None:
        return
    record = sim.store.get(P, kind, str(key))
    if record is None:
        return
    machine = sim.lifecycles.machine(P, kind)
    if to in machine.allowed(str(record[machine.field])):
        sim.lifecycles.transition(P, kind, str(key), to, cause=cause)


def on_boleto(sim: Sim, provider: str, boleto: Record, old: str, new: str, message: str | None) -> None:
    if new == "pago":
        boleto["pago_em"] = mysql_time(sim.clock.now())
        _move(sim, "divida", boleto["pgm_id"], "pago", "boleto pago")
    elif new == "vencido":
        _move(sim, "divida", boleto["pgm_id"], "vencido", "boleto vencido")


def on_divida(sim: Sim, provider: str, divida: Record, old: str, new: str, message: str | None) -> None:
    if new != "pago":
        return
    divida["pgm_pago_em"] = mysql_time(sim.clock.now())
    divida["pgm_parcelas_pagas"] = divida.get("pgm_parcelas") or 1
    _move(sim, BOLETO, divida["pgm_id"], "pago", "divida paga")
    _move(sim, "pedido", divida.get("pgm_pedido"), "pago", "divida paga")


def on_saque(sim: Sim, provider: str, saque: Record, old: str, new: str, message: str | None) -> None:
    if new == "pago":
        saque["saq_pago_em"] = mysql_time(sim.clock.now())


def find(sim: Sim, ident: str) -> tuple[str, str] | None:
    """`divida-1`, `boleto-1`, `saque-1`, `pedido-1` (plural or `:` also work), a boleto's linha digitável or
    barcode, or a bare number (a divida's pgm_id)."""
    text = ident.strip()
    for sep in ("-", ":"):
        prefix, found, rest = text.partition(sep)
        if found and prefix.lower() in KIND_ALIASES and is_digits(rest):
            kind = KIND_ALIASES[prefix.lower()]
            key = str(int(rest))
            return (kind, key) if sim.store.get(P, kind, key) is not None else None
    digits = only_digits(text)
    if len(digits) in (44, 47) and len(digits) >= len(text.replace(".", "").replace(" ", "")):
        field = "codigo_barras" if len(digits) == 44 else "linha_digitavel"
        for boleto in sim.store.all(P, BOLETO):
            if boleto.get(field) == digits:
                return BOLETO, str(boleto["pgm_id"])
        return None
    if is_digits(text) and sim.store.get(P, "divida", str(int(text))) is not None:
        return "divida", str(int(text))
    return None


def present(sim: Sim, kind: str, record: Record) -> Any:
    if kind == BOLETO:
        return boleto_body(record)
    names = {"divida": "dividas", "saque": "saques", "pedido": "pedidos"}
    raw = sim.providers[P].behaviour["resources"][names[kind]]
    key = str(raw["key"])
    shown = public(record)
    return {key: shown[key], **{c: shown.get(c) for c in raw["columns"]}}
