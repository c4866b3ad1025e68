"""v1's rules that data cannot say. The schema and its `x-rules` (with the docs' two messages, "O preenchimento do
campo é obrigatório." and "O CPF informado é inválido.", and INFERRED ones in their style) check each field;
what is left is arithmetic over the items and the discounts. Fields are named as a PHP form names them
(`itens[0][desconto]`, `boleto[desconto]`)."""

from __future__ import annotations

from decimal import Decimal

from simulator.behaviour.money import decimal_of
from simulator.engine.context import Ctx
from simulator.engine.operation import Check, Guard
from simulator.providers.widepay.recebimentos import message
from simulator.records import JSON

MAX_TOTAL = Decimal("99999999.99")  # a boleto's amount field holds 10 digits of centavos
Problems = list[tuple[str, str]]


def _listed(value: JSON) -> JSON:
    """A PHP array whose keys are integers not numbered from 0 (`itens[1]...itens[n]`, as the OpenCart module
    sends them) in key order, as PHP's foreach reads it."""
    if isinstance(value, dict) and value and all(str(k).isdigit() for k in value):
        return [value[k] for k in sorted(value, key=lambda k: int(str(k)))]
    return value


def _no_nulls(value: JSON) -> JSON:
    """JSON nulls as PHP's isset() reads them: not sent (a client library sends `null` for every unset field)."""
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value]
    return value


def php_input(*lists: str) -> Guard:
    """v1 reads its input as PHP does: a null as not sent, and the named PHP arrays numbered from 1 as lists."""
    def guard(ctx: Ctx) -> None:
        if isinstance(ctx.body, dict):
            body = _no_nulls(ctx.body)
            for name in lists:
                if name in body:
                    body[name] = _listed(body[name])
            ctx.body = body
    return guard


def _free(refused: set[str], name: str) -> bool:
    """No error on this field or on any field inside it."""
    return not any(r == name or r.startswith(name + "[") for r in refused)


def _num(value: object) -> Decimal:
    return decimal_of(value) or Decimal(0)


def _items(ctx: Ctx, refused: set[str], out: Problems) -> Decimal | None:
    """Each item's discount within its value; the items' total (None when an item was refused)."""
    body = ctx.data
    items = body.get("itens")
    if not isinstance(items, list) or not _free(refused, "itens"):
        return None
    total = Decimal(0)
    for i, item in enumerate(items):
        gross = _num(item.get("valor")) * (_num(item.get("quantidade", 1)) or Decimal(1))
        discount = _num(item.get("desconto"))
        if discount > max(gross, Decimal(0)):
            out.append((f"itens[{i}][desconto]", message(ctx.env, "desconto_item")))
        total += gross - discount
    if total <= 0:
        out.append(("itens", message(ctx.env, "total_minimo")))
    elif total > MAX_TOTAL:
        out.append(("itens", message(ctx.env, "total_maximo")))
    return total


def _discount(ctx: Ctx, refused: set[str], out: Problems, total: Decimal | None, names: tuple[str, ...],
              share: int, text: str) -> None:
    if total is None or total <= 0:
        return
    boleto = ctx.data.get("boleto") if isinstance(ctx.data.get("boleto"), dict) else {}
    for name in names:
        value = ctx.data.get(name) if name == "desconto" else (boleto or {}).get("desconto")
        if value is not None and _free(refused, name) and _num(value) > total * share / 100:
            out.append((name, message(ctx.env, text)))
            return


def cobranca(ctx: Ctx, refused: set[str]) -> Problems:
    """cobrancas/adicionar: the items' total, each item's discount, and the charge's discount within 90 % of it
    (top-level `desconto`, or `boleto[desconto]` as the docs' example and the modules send it)."""
    out: Problems = []
    total = _items(ctx, refused, out)
    _discount(ctx, refused, out, total, ("desconto", "boleto[desconto]"), 90, "desconto_cobranca")
    return out


def carne(ctx: Ctx, refused: set[str]) -> Problems:
    """carnes/adicionar: as a charge, with `boleto[desconto]` within 50 % of an installment."""
    out: Problems = []
    total = _items(ctx, refused, out)
    if total is not None and ctx.data.get("dividir") == "Sim":
        count = _num(ctx.data.get("parcelas"))
        total = total / count if count > 0 else total
    _discount(ctx, refused, out, total, ("boleto[desconto]",), 50, "desconto_carne")
    return out


V1 = ("cobrancas_adicionar", "cobrancas_boleto", "cobrancas_pix", "cobrancas_consultar", "cobrancas_cancelar",
      "cobrancas_manual", "cobrancas_notificacao", "carnes_adicionar", "carnes_montar", "carnes_consultar",
      "carnes_cancelar", "carnes_notificacao")
GUARDS: dict[str, Guard] = {**{op: php_input() for op in V1}, "cobrancas_adicionar": php_input("itens"),
                            "carnes_adicionar": php_input("itens"), "carnes_montar": php_input("cobrancas")}
CHECKS: dict[str, Check] = {"cobrancas_adicionar": cobranca, "carnes_adicionar": carne}
