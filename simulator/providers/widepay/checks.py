"""WidePay's rules that data cannot say. The engine has cleaned the form (an empty value counts as not sent,
`input.empty: drop`), checked the schema and the spec's `x-rules` (check digits, CEP, e-mail and phone, dates
against the clock, card numbers and expiry, each with its `x-messages`); what is left is a sum over the items, a
contact a chosen channel needs, and a requirement that depends on a number. Fields are named as a PHP form names
them (`cliente[email]`, `itens[0][valor]`)."""

from __future__ import annotations

from decimal import Decimal

from simulator.behaviour.money import decimal_of
from simulator.engine.context import Ctx
from simulator.engine.operation import Check
from simulator.records import JSON

MAX_TOTAL = Decimal("99999999.99")  # a boleto's amount field holds 10 digits of centavos
Problems = list[tuple[str, str]]


def _free(refused: set[str], name: str) -> bool:
    """No error on this field or on any field inside it."""
    return not any(b == name or b.startswith(name + "[") for b in refused)


def _total(body: dict[str, JSON]) -> Decimal:
    total = Decimal(0)
    for item in body.get("itens") or []:
        qty = decimal_of(item.get("quantidade", 1)) or Decimal(1)
        total += (decimal_of(item.get("valor")) or Decimal(0)) * qty - (decimal_of(item.get("desconto")) or Decimal(0))
    return total - (decimal_of(body.get("desconto")) or Decimal(0))


def _choices(value: object) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def transaction(ctx: Ctx, refused: set[str]) -> Problems:
    """gerar and adicionar: the total of the items, the contact `enviar` needs; fields WidePay ignores for the
    tipo or pessoa are reported as violations."""
    body, out = dict(ctx.data), []
    if isinstance(body.get("itens"), list) and _free(refused, "itens"):
        total = _total(body)
        if total <= 0:
            out.append(("itens", "O valor total da transação deve ser maior que zero."))
        elif total > MAX_TOTAL:
            out.append(("itens", "O valor total da transação excede o máximo permitido."))
    for name, only in (("vencimento", "Boleto"), ("instrucoes", "Boleto"), ("redirecionamento", "Cartão")):
        if name in body and body.get("tipo") in ("Boleto", "Cartão") and body.get("tipo") != only:
            ctx.violations.append(f"{name}: only for tipo {only}; WidePay ignores it")
    cli = body.get("cliente")
    contact = cli if isinstance(cli, dict) else {}
    if contact and _free(refused, "cliente"):
        for name, pessoa in (("cpf", "Física"), ("cnpj", "Jurídica")):
            if name in contact and contact.get("pessoa") != pessoa:
                ctx.violations.append(f"cliente[{name}]: only for pessoa {pessoa}; WidePay ignores it")
    if "enviar" in body and _free(refused, "enviar"):
        for channel, needed in (("E-mail", "email"), ("SMS", "celular")):
            if channel in _choices(body["enviar"]) and needed not in contact:
                out.append(("enviar", f"Para enviar por {channel} informe cliente[{needed}]."))
    return out


def vender(ctx: Ctx, refused: set[str]) -> Problems:
    """A sale in more than one installment says who pays the interest."""
    parcelas = decimal_of(ctx.data.get("parcelas"))
    if parcelas is not None and "parcelas" not in refused and parcelas > 1 and "parcelamento" not in ctx.data:
        return [("parcelamento", "O campo parcelamento é obrigatório quando parcelas for maior que 1.")]
    return []


CHECKS: dict[str, Check] = {"transacoes_gerar": transaction, "recebimentos_transacoes_adicionar": transaction,
                            "transacoes_vender": vender}
