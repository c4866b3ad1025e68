"""Payers (pagadores) and their saved credit cards. Their validation rules and messages are the spec's
(`x-rules`, `x-messages`); the one rule data cannot say here is a document in use by another payer."""

from __future__ import annotations

from simulator.brdata import card_brand, only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError
from simulator.providers.webpag import present
from simulator.providers.webpag.base import CARD, PAYER, new_id, owned, second
from simulator.providers.webpag.lists import page_of
from simulator.providers.common import int_or_none
from simulator.records import JSON, Record


def _phone(raw: str) -> str:
    d = only_digits(raw)
    if len(d) in (12, 13) and d.startswith("55"):
        d = d[2:]
    return f"+55 ({d[:2]}) {d[2:-4]}-{d[-4:]}"


def unique_document(ctx: Ctx, refused: set[str]) -> list[tuple[str, str]]:
    """A CPF/CNPJ is one payer's per business (`unique`; an update keeps its own)."""
    if "cpf_cnpj" in refused:
        return []
    doc = only_digits(str(ctx.data.get("cpf_cnpj", "")))
    own = int_or_none(ctx.params.get("id"))
    if any(p["cpf_cnpj"] == doc and p["id"] != own for p in ctx.scope.all(PAYER)):
        return [("cpf_cnpj", ctx.message("cpf_cnpj", "unique"))]
    return []


def _fill(ctx: Ctx, record: Record, body: dict[str, JSON]) -> None:
    record["cpf_cnpj"] = only_digits(str(body["cpf_cnpj"]))
    record["is_business"] = bool(body["is_business"])
    record["first_name"] = str(body["first_name"])
    record["last_name"] = str(body["last_name"])
    for name in ("email", "gender", "birth_date"):  # optional fields are nullable: null is as not sent
        if body.get(name) is not None:
            record[name] = body[name]
    if body.get("phone_number") is not None:
        record["phone_number"] = _phone(str(body["phone_number"]))
    if isinstance(body.get("address"), dict):
        record["address"] = {k: (str(v) if v is not None else None) for k, v in body["address"].items()}
    record["updated_at"] = second(ctx.env)


def list_payers(ctx: Ctx) -> Reply:
    payers = sorted(ctx.scope.all(PAYER), key=lambda r: -int(r["id"]))
    return Reply(200, page_of(ctx, payers, "/api/payers", lambda p: present.payer(ctx.env, p)))


def get_payer(ctx: Ctx) -> Reply:
    return Reply(200, {"data": present.payer(ctx.env, owned(ctx, PAYER, ctx.params["payer_id"]))})


def register_payer(ctx: Ctx) -> Reply:
    now = second(ctx.env)
    record = ctx.scope.new({"id": new_id(ctx.env, ctx.scope, PAYER), "email": None, "gender": None,
                            "phone_number": None, "birth_date": None, "address": None, "use_boleto": False,
                            "state": "active", "created_at": now})
    _fill(ctx, record, dict(ctx.data))
    ctx.scope.put(PAYER, record["id"], record)
    return Reply(200, {"data": present.payer(ctx.env, record)})


def update_payer(ctx: Ctx) -> Reply:
    record = owned(ctx, PAYER, ctx.params["id"])
    _fill(ctx, record, dict(ctx.data))
    ctx.scope.put(PAYER, record["id"], record)
    return Reply(200, {"data": present.payer(ctx.env, record)})


def inactivate_payer(ctx: Ctx) -> Reply:
    record = owned(ctx, PAYER, ctx.params["payer_id"])
    record["state"] = "inactive"
    record["updated_at"] = second(ctx.env)
    ctx.scope.put(PAYER, record["id"], record)
    return Reply(200, {"data": present.payer(ctx.env, record)})


def save_card(ctx: Ctx, payer_id: int, number: str) -> Record:
    """A card saved for a payer (the card number and brand are WebPag's, never shown)."""
    digits = only_digits(number)
    record = ctx.scope.new({"id": new_id(ctx.env, ctx.scope, CARD), "payer_id": payer_id,
                            "last_numbers": digits[-4:], "active": True, "created_at": second(ctx.env)})
    record.private.update(number=digits, brand=card_brand(digits))
    ctx.scope.put(CARD, record["id"], record)
    return record


def save_payer_card(ctx: Ctx) -> Reply:
    owner = owned(ctx, PAYER, ctx.params["id"])
    return Reply(200, {"data": present.card(save_card(ctx, owner["id"], str(ctx.data["number"])))})


def remove_payer_card(ctx: Ctx) -> Reply:
    owner = owned(ctx, PAYER, ctx.params["payerId"])
    record = owned(ctx, CARD, ctx.params["cardId"])
    if record["payer_id"] != owner["id"]:
        raise ProviderError("not_found", {"model": "CreditCard", "id": ctx.params["cardId"]})
    record["active"] = False
    ctx.scope.put(CARD, record["id"], record)
    return Reply(200, {"data": present.card(record)})
