"""Payers (pagadores) and their saved credit cards."""

from __future__ import annotations

from typing import Any

from simulator.brdata import (br_phone_is_valid, card_brand, cep_is_valid, cnpj_is_valid, cpf_is_valid,
                              email_is_valid, luhn_is_valid, only_digits)
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError
from simulator.providers.common import int_or_none
from simulator.providers.webpag import present
from simulator.providers.webpag.base import CARD, P, PAYER, check, new_id, owned, second
from simulator.providers.webpag.lists import page_of
from simulator.store.base import Record

UFS = set("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split())


def _phone(raw: str) -> str:
    d = only_digits(raw)
    if len(d) in (12, 13) and d.startswith("55"):
        d = d[2:]
    return f"+55 ({d[:2]}) {d[2:-4]}-{d[-4:]}"


def _rules(ctx: Ctx, body: dict[str, Any], own_id: int | None) -> dict[str, list[str]]:
    """The Laravel rules the field descriptions state (pt_BR messages)."""
    errors: dict[str, list[str]] = {}
    doc = only_digits(str(body.get("cpf_cnpj", "")))
    if not ((len(doc) == 11 and cpf_is_valid(doc)) or (len(doc) == 14 and cnpj_is_valid(doc))):
        errors["cpf_cnpj"] = ["O campo cpf_cnpj não é um CPF ou CNPJ válido."]
    elif any(p["cpf_cnpj"] == doc and p["id"] != own_id for p in ctx.sim.store.all(P, PAYER, ctx.account_id)):
        errors["cpf_cnpj"] = ["O valor informado para o campo cpf_cnpj já está em uso."]
    if body.get("email") is not None and not email_is_valid(str(body["email"])):
        errors["email"] = ["O campo email deve ser um endereço de e-mail válido."]
    if body.get("phone_number") is not None and not br_phone_is_valid(str(body["phone_number"])):
        errors["phone_number"] = ["O campo phone_number não é um telefone válido."]
    if body.get("gender") is not None and body["gender"] not in ("M", "F"):
        errors["gender"] = ["O campo gender selecionado é inválido."]
    for name in ("first_name", "last_name"):
        if not str(body.get(name, "")).strip():
            errors[name] = [f"O campo {name} é obrigatório."]
    address = body.get("address")
    if isinstance(address, dict):
        if address.get("zip_code") is not None and not cep_is_valid(str(address["zip_code"])):
            errors["address.zip_code"] = ["O campo address.zip_code não é um CEP válido."]
        if address.get("street") is not None and len(str(address["street"])) < 3:
            errors["address.street"] = ["O campo address.street deve ter pelo menos 3 caracteres."]
        if address.get("state") is not None and str(address["state"]).upper() not in UFS:
            errors["address.state"] = ["O campo address.state não é uma UF válida."]
        if address.get("country") is not None and len(str(address["country"])) > 3:
            errors["address.country"] = ["O campo address.country não pode ter mais de 3 caracteres."]
    return errors


def _fill(ctx: Ctx, record: Record, body: dict[str, Any]) -> None:
    record["cpf_cnpj"] = only_digits(str(body["cpf_cnpj"]))
    record["is_business"] = bool(body["is_business"])
    record["first_name"] = str(body["first_name"]).strip()
    record["last_name"] = str(body["last_name"]).strip()
    for name in ("email", "gender", "birth_date"):
        if name in body:
            record[name] = body[name]
    if "phone_number" in body:
        record["phone_number"] = _phone(str(body["phone_number"])) if body["phone_number"] is not None else None
    if isinstance(body.get("address"), dict):
        record["address"] = {k: (str(v) if v is not None else None) for k, v in body["address"].items()}
    record["updated_at"] = second(ctx.sim)


def list_payers(ctx: Ctx) -> Reply:
    payers = sorted(ctx.sim.store.all(P, PAYER, ctx.account_id), key=lambda r: -int(r["id"]))
    return Reply(200, page_of(ctx, [present.payer(ctx.sim, p) for p in payers], "/api/payers"))


def get_payer(ctx: Ctx) -> Reply:
    return Reply(200, {"data": present.payer(ctx.sim, owned(ctx, PAYER, ctx.params["payer_id"]))})


def register_payer(ctx: Ctx) -> Reply:
    body = ctx.body
    check(_rules(ctx, body, None))
    now = second(ctx.sim)
    record = ctx.tag({"id": new_id(ctx.sim, PAYER), "email": None, "gender": None, "phone_number": None,
                      "birth_date": None, "address": None, "use_boleto": False, "state": "active",
                      "created_at": now})
    _fill(ctx, record, body)
    ctx.sim.store.put(P, PAYER, str(record["id"]), record)
    return Reply(200, {"data": present.payer(ctx.sim, record)})


def update_payer(ctx: Ctx) -> Reply:
    record = owned(ctx, PAYER, ctx.params["id"])
    check(_rules(ctx, ctx.body, int(record["id"])))
    _fill(ctx, record, ctx.body)
    ctx.sim.store.put(P, PAYER, str(record["id"]), record)
    return Reply(200, {"data": present.payer(ctx.sim, record)})


def inactivate_payer(ctx: Ctx) -> Reply:
    record = owned(ctx, PAYER, ctx.params["payer_id"])
    record["state"] = "inactive"
    record["updated_at"] = second(ctx.sim)
    ctx.sim.store.put(P, PAYER, str(record["id"]), record)
    return Reply(200, {"data": present.payer(ctx.sim, record)})


def card_rules(ctx: Ctx, card: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """A card the acquirer can tokenize: Luhn-valid number of a known brand, a future expiry, a CVV."""
    errors: dict[str, list[str]] = {}
    number = only_digits(str(card.get("number", "")))
    if not luhn_is_valid(number) or card_brand(number) not in (ctx.provider.behaviour.get("card_flags") or {}):
        errors[prefix + "number"] = [f"O campo {prefix}number não é um número de cartão válido."]
    month = int_or_none(card.get("expiration_month"))
    year = int_or_none(card.get("expiration_year"))
    if month is None or not 1 <= month <= 12:
        errors[prefix + "expiration_month"] = [f"O campo {prefix}expiration_month deve estar no formato MM."]
    if year is None or len(str(card.get("expiration_year", ""))) != 4:
        errors[prefix + "expiration_year"] = [f"O campo {prefix}expiration_year deve estar no formato YYYY."]
    elif month is not None and 1 <= month <= 12:
        from simulator.providers.webpag.base import local
        now = local(ctx.sim)
        if (year, month) < (now.year, now.month):
            errors[prefix + "expiration_year"] = ["O cartão está vencido."]
    cvv = str(card.get("security_code", ""))
    if not (is_digits(cvv) and 3 <= len(cvv) <= 4):
        errors[prefix + "security_code"] = [f"O campo {prefix}security_code deve ter entre 3 e 4 dígitos."]
    if len(str(card.get("name", "")).strip()) < (5 if prefix else 1):
        errors[prefix + "name"] = [f"O campo {prefix}name deve ter pelo menos 5 caracteres."]
    return errors


def save_payer_card(ctx: Ctx) -> Reply:
    owner = owned(ctx, PAYER, ctx.params["id"])
    check(card_rules(ctx, ctx.body))
    number = only_digits(str(ctx.body["number"]))
    record = ctx.tag({"id": new_id(ctx.sim, CARD), "payer_id": owner["id"], "last_numbers": number[-4:],
                      "active": True, "created_at": second(ctx.sim), "_number": number,
                      "_brand": card_brand(number)})
    ctx.sim.store.put(P, CARD, str(record["id"]), record)
    return Reply(200, {"data": present.card(record)})


def remove_payer_card(ctx: Ctx) -> Reply:
    owner = owned(ctx, PAYER, ctx.params["payerId"])
    record = owned(ctx, CARD, ctx.params["cardId"])
    if record["payer_id"] != owner["id"]:
        raise ProviderError("not_found", {"model": "CreditCard", "id": ctx.params["cardId"]})
    record["active"] = False
    ctx.sim.store.put(P, CARD, str(record["id"]), record)
    return Reply(200, {"data": present.card(record)})
