"""Validation the way WidePay reports it: one list of `{id: field, erro: message}` for every failing field.

The schema (with each property's `x-messages`) is checked first; then the rules a schema cannot say: check
digits (CPF, CNPJ), CEP, e-mail and phone, dates against the clock, card numbers, conditional requirements.
Fields are named as a PHP form sends them (`cliente[cpf]`, `itens[0][valor]`). Empty form values count as
not sent (INFERRED: PHP's empty()).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable

from simulator.brdata import (br_phone_is_valid, card_brand, cep_is_valid, cnpj_is_valid, cpf_is_valid,
                              email_is_valid, luhn_is_valid)
from simulator.engine.context import Ctx
from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError
from simulator.providers.widepay.base import decimal_of, local_now

MAX_TOTAL = Decimal("99999999.99")  # a boleto's amount field holds 10 digits of centavos
Problems = list[tuple[str, str]]
Check = Callable[[Ctx, dict[str, Any], set[str]], Problems]


def bracket(dotted: str) -> str:
    head, *rest = dotted.split(".")
    return head + "".join(f"[{part}]" for part in rest)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v != ""}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def guard(check: Check | None = None) -> Callable[[Ctx], None]:
    """The operation's guard: schema errors and provider rules, raised together as `validation`."""

    def run(ctx: Ctx) -> None:
        body = _clean(ctx.body) if isinstance(ctx.body, dict) else {}
        ctx.body = body
        problems: Problems = []
        validator = ctx.op.body_validator if ctx.op is not None else None
        if validator is not None:
            for name, msgs in validator.errors(body).items():
                problems += [(bracket(name), m) for m in msgs]
        if check is not None:
            problems += check(ctx, body, {name for name, _ in problems})
        if problems:
            ctx.violations += [f"schema: {name}: {msg}" for name, msg in problems]
            raise ProviderError("validation", {"validacao": [{"id": n, "erro": m} for n, m in problems]})

    return run


def _free(bad: set[str], name: str) -> bool:
    """No schema error on this field or on any field inside it."""
    return not any(b == name or b.startswith(name + "[") for b in bad)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if len(str(value)) == 10 else None
    except ValueError:
        return None


def cliente(cli: Any, bad: set[str], prefix: str = "cliente") -> Problems:
    if not isinstance(cli, dict):
        return []
    out: Problems = []
    rules = (("cpf", cpf_is_valid, "O CPF informado é inválido."),
             ("cnpj", cnpj_is_valid, "O CNPJ informado é inválido."),
             ("email", email_is_valid, "O e-mail informado é inválido."),
             ("celular", br_phone_is_valid, "O telefone informado é inválido."),
             ("cep", cep_is_valid, "O CEP informado é inválido."))
    for name, valid, text in rules:
        field = f"{prefix}[{name}]" if prefix else name
        if name in cli and _free(bad, field) and not valid(str(cli[name])):
            out.append((field, text))
    return out


def _items(body: dict[str, Any], bad: set[str]) -> Problems:
    out: Problems = []
    items = body.get("itens")
    if not isinstance(items, list) or not _free(bad, "itens"):
        return out
    total = Decimal(0)
    for i, item in enumerate(items):
        valor = decimal_of(item.get("valor"))
        if valor is not None and valor <= 0:
            out.append((f"itens[{i}][valor]", "O valor do item deve ser maior que zero."))
        qty = decimal_of(item.get("quantidade", 1))
        if qty is None or qty != qty.to_integral_value() or not 1 <= qty <= 99999:
            out.append((f"itens[{i}][quantidade]", "A quantidade deve ser um número entre 1 e 99999."))
            qty = Decimal(1)
        total += (valor or Decimal(0)) * qty - (decimal_of(item.get("desconto")) or Decimal(0))
    total -= decimal_of(body.get("desconto")) or Decimal(0)
    if not out and total <= 0:
        out.append(("itens", "O valor total da transação deve ser maior que zero."))
    elif not out and total > MAX_TOTAL:
        out.append(("itens", "O valor total da transação excede o máximo permitido."))
    return out


def _choices(value: Any) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def transaction(ctx: Ctx, body: dict[str, Any], bad: set[str], due_required: bool = True) -> Problems:
    """gerar (and the intro's adicionar, where `vencimento` may be left out)."""
    out: Problems = []
    boleto = body.get("tipo") == "Boleto"
    if boleto and due_required and "vencimento" not in body and _free(bad, "vencimento"):
        out.append(("vencimento", "O campo vencimento é obrigatório para o tipo Boleto."))
    if "vencimento" in body and _free(bad, "vencimento"):
        due = _date(body["vencimento"])
        if due is None:
            out.append(("vencimento", "A data de vencimento é inválida."))
        elif due < local_now(ctx.sim).date():
            out.append(("vencimento", "A data de vencimento não pode ser anterior à data atual."))
        elif due.year > local_now(ctx.sim).year + 10:  # INFERRED: a boleto's due-date factor spans 9000 days
            out.append(("vencimento", "A data de vencimento é inválida."))
    for name, only in (("vencimento", "Boleto"), ("instrucoes", "Boleto"), ("redirecionamento", "Cartão")):
        if name in body and body.get("tipo") in ("Boleto", "Cartão") and body.get("tipo") != only:
            ctx.violations.append(f"{name}: only for tipo {only}; WidePay ignores it")
    cli = body.get("cliente")
    out += cliente(cli, bad)
    if isinstance(cli, dict) and _free(bad, "cliente"):
        for name, pessoa in (("cpf", "Física"), ("cnpj", "Jurídica")):
            if name in cli and cli.get("pessoa") != pessoa:
                ctx.violations.append(f"cliente[{name}]: only for pessoa {pessoa}; WidePay ignores it")
    out += _items(body, bad)
    if "enviar" in body and _free(bad, "enviar"):
        contact = cli if isinstance(cli, dict) else {}
        for channel, needed in (("E-mail", "email"), ("SMS", "celular")):
            if channel in _choices(body["enviar"]) and needed not in contact:
                out.append(("enviar", f"Para enviar por {channel} informe cliente[{needed}]."))
    return out


def adicionar(ctx: Ctx, body: dict[str, Any], bad: set[str]) -> Problems:
    return transaction(ctx, body, bad, due_required=False)


def _digits(value: Any) -> str:
    return str(value) if not isinstance(value, bool) else ""


def vender(ctx: Ctx, body: dict[str, Any], bad: set[str]) -> Problems:
    out: Problems = []
    valor = decimal_of(body.get("valor"))
    if valor is not None and _free(bad, "valor") and valor < 1:
        out.append(("valor", "O valor mínimo é 1,00."))
    parcelas = decimal_of(body.get("parcelas"))
    if parcelas is not None and _free(bad, "parcelas"):
        if parcelas != parcelas.to_integral_value() or not 1 <= parcelas <= 12:
            out.append(("parcelas", "O número de parcelas deve ser entre 1 e 12."))
        elif parcelas > 1 and "parcelamento" not in body:
            out.append(("parcelamento", "O campo parcelamento é obrigatório quando parcelas for maior que 1."))
    numero = _digits(body.get("numero"))
    if "numero" in body and _free(bad, "numero"):
        if not (is_digits(numero) and 14 <= len(numero) <= 19 and luhn_is_valid(numero)):
            out.append(("numero", "O número do cartão é inválido."))
        elif card_brand(numero) is None:
            out.append(("numero", "A bandeira do cartão não é aceita."))
    validade = _digits(body.get("validade"))
    if "validade" in body and _free(bad, "validade"):
        now = local_now(ctx.sim)
        current = now.year * 100 + now.month
        month = int(validade) % 100 if is_digits(validade) else 0
        if not (is_digits(validade) and len(validade) == 6 and 1 <= month <= 12):
            out.append(("validade", "A validade do cartão é inválida (use AAAAMM)."))
        elif int(validade) < current:
            out.append(("validade", "O cartão está vencido."))
        elif int(validade) > current + 1000:
            out.append(("validade", "A validade do cartão é inválida (máximo de 10 anos)."))
    codigo = _digits(body.get("codigo"))
    if "codigo" in body and _free(bad, "codigo") and not (is_digits(codigo) and 3 <= len(codigo) <= 4):
        out.append(("codigo", "O código de segurança é inválido."))
    return out


def parcelamento(ctx: Ctx, body: dict[str, Any], bad: set[str]) -> Problems:
    valor = decimal_of(body.get("valor"))
    if valor is not None and _free(bad, "valor") and valor <= 0:
        return [("valor", "O valor deve ser maior que zero.")]
    return []


def contato(ctx: Ctx, body: dict[str, Any], bad: set[str]) -> Problems:
    """enviar and comprovante: e-mail or celular (at least one), each valid."""
    if "email" not in body and "celular" not in body:
        return [("email", "O campo email é obrigatório se não existir o parametro celular.")]
    return cliente(body, bad, prefix="")


CHECKS: dict[str, Check] = {"transacoes_gerar": transaction, "recebimentos_transacoes_adicionar": adicionar,
                            "transacoes_vender": vender, "transacoes_parcelamento": parcelamento,
                            "transacoes_enviar": contato, "transacoes_comprovante": contato}
