"""Redaction: what is masked, how the masks keep each value's shape, and where credentials are looked for (the
provider's `auth:` declaration)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from simulator.brdata import br_phone_is_valid, card_brand, cnpj_is_valid, cpf_is_valid, email_is_valid, \
    luhn_is_valid, moz_operator
from simulator.record.facts import load_facts
from simulator.record.redact import Redactor


def exchange(headers: dict[str, str], body: Any = None, encoding: str = "json", response: Any = None,
             path: str = "/api/x", query: list[list[str]] | None = None) -> dict[str, Any]:
    return {"kind": "exchange", "request": {"method": "POST", "path": path, "query": query or [], "headers": headers,
                                            "body_encoding": encoding if body is not None else "none", "body": body},
            "response": {"status": 200, "headers": {"content-type": "application/json"}, "body_encoding": "json",
                         "body": response}}


def test_documents_cards_emails_and_phones_keep_their_shape() -> None:
    r = Redactor(load_facts("webpag"))
    body = {"cpf_cnpj": "52998224725", "formatted": "529.982.247-25", "cnpj": "11.222.333/0001-81",
            "note": "Cliente 529.982.247-25, cartão 4111 1111 1111 1111, fone (41) 99999-8888",
            "card": {"number": "5555555555554444", "security_code": "123", "expiration_year": "2030"},
            "email": "joao.silva@example.com.br", "phone_number": "41999998888", "msisdn": "+258 84 123 4567",
            "amount": 1500, "status": 10, "created_at": "2026-01-01 10:00:00", "id": 132095}
    e = r.entry(exchange({}, body))
    out = e["request"]["body"]
    assert out["cpf_cnpj"] != "52998224725" and cpf_is_valid(out["cpf_cnpj"]) and len(out["cpf_cnpj"]) == 11
    assert out["formatted"] != "529.982.247-25" and cpf_is_valid(out["formatted"])
    assert out["formatted"][3] == "." and out["formatted"][-3] == "-"
    assert out["cnpj"] != "11.222.333/0001-81" and cnpj_is_valid(out["cnpj"]) and len(out["cnpj"]) == 18
    number = out["card"]["number"]
    assert number != "5555555555554444" and luhn_is_valid(number) and number[:6] == "555555"
    assert card_brand(number) == "mastercard" and len(number) == 16
    assert out["card"]["security_code"] != "123" and out["card"]["security_code"].isdigit()
    assert out["email"] != "joao.silva@example.com.br" and email_is_valid(out["email"])
    assert len(out["email"]) == len("joao.silva@example.com.br") and out["email"].endswith(".br")
    assert out["phone_number"] != "41999998888" and br_phone_is_valid(out["phone_number"])
    assert out["phone_number"][:3] == "419"
    assert out["msisdn"] != "+258 84 123 4567" and moz_operator(out["msisdn"].replace(" ", "")[4:]) == "mpesa"
    assert "529.982.247-25" not in out["note"] and "4111 1111 1111 1111" not in out["note"]
    assert "99999-8888" not in out["note"] and out["note"].startswith("Cliente ") and len(out["note"]) == len(
        body["note"])
    assert out["note"][8:22] == out["formatted"]  # the same CPF gets the same mask everywhere
    for untouched in ("amount", "status", "created_at", "id"):
        assert out[untouched] == body[untouched]
    assert out["card"]["expiration_year"] == "2030"
    assert set(e["redacted"]["request.body"]) == {
        "$.cpf_cnpj", "$.formatted", "$.cnpj", "$.note", "$.card.number", "$.card.security_code", "$.email",
        "$.phone_number", "$.msisdn"}


def test_bearer_token_is_masked_in_its_header_and_wherever_it_is_echoed() -> None:
    r = Redactor(load_facts("clicpay"))
    token = "8914a095e32673fc500ec43eae52027bd6083ffd530d68e42ef94fdf88104703"
    e = r.entry(exchange({"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                         response={"token": token, "token_type": "Bearer", "echo": f"your key is {token}."}))
    masked = e["request"]["headers"]["Authorization"]
    assert masked.startswith("Bearer ") and len(masked) == len(token) + 7 and token not in masked
    assert all(c in "0123456789abcdef" for c in masked[7:])  # a hex token stays hex
    body = e["response"]["body"]
    assert body["token"] == masked[7:] and body["echo"] == f"your key is {masked[7:]}."
    assert e["request"]["headers"]["Content-Type"] == "application/json"


def test_basic_credentials_and_form_fields_get_the_same_masks() -> None:
    """WidePay takes HTTP Basic `conta:token` or the ws-conta/ws-token form fields: one account, one identity."""
    r = Redactor(load_facts("widepay"))
    basic = "Basic " + base64.b64encode(b"1001-2:6521b8d89884e9b532d257a85eada23e").decode()
    first = r.entry(exchange({"authorization": basic}, [["id", "abc"]], "form"))
    second = r.entry(exchange({}, [["ws-conta", "1001-2"], ["ws-token", "6521b8d89884e9b532d257a85eada23e"],
                                   ["cliente[nome]", "Lays Pontarolo"], ["cliente[cpf]", "529.982.247-25"]], "form"))
    user, _, password = base64.b64decode(first["request"]["headers"]["authorization"][6:]).decode().partition(":")
    assert user != "1001-2" and len(user) == 6 and user[4] == "-"
    assert password != "6521b8d89884e9b532d257a85eada23e" and len(password) == 32
    fields = dict(second["request"]["body"])
    assert (fields["ws-conta"], fields["ws-token"]) == (user, password)
    assert fields["cliente[nome]"] != "Lays Pontarolo" and len(fields["cliente[nome]"]) == 14
    assert cpf_is_valid(fields["cliente[cpf]"]) and fields["cliente[cpf]"] != "529.982.247-25"
    assert first["request"]["body"] == [["id", "abc"]]


def test_masks_are_per_session() -> None:
    facts = load_facts("clicpay")
    a, b = Redactor(facts), Redactor(facts)
    assert a.text("joao@example.com") == a.text("joao@example.com") != b.text("joao@example.com")


def test_credential_places_come_from_the_auth_declaration(tmp_path: Path) -> None:
    """A provider whose key travels in `X-Shop-Key` (declared, not known to the code) has that header masked."""
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: Shop, version: '1'}\npaths:\n  /orders/{order_ref}:\n"
        "    get:\n      operationId: get_order\n      responses: {'200': {description: ok}}\n")
    (folder / "behaviour.yaml").write_text(
        "auth: {scheme: header, name: X-Shop-Key, credential: shop_key}\n"
        "accounts: [{id: a, credentials: {shop_key: {length: 20}}}]\n")
    facts = load_facts("shop", tmp_path)
    assert facts.credential_headers == {"x-shop-key"} and "order_ref" in facts.id_names
    e = Redactor(facts).entry(exchange({"X-Shop-Key": "k3y-0f-the-sh0p-1234", "X-Trace": "k3y-0f-the-sh0p-1234"},
                                       response={"shop_key": "other-value-9"}))
    assert e["request"]["headers"]["X-Shop-Key"] != "k3y-0f-the-sh0p-1234"
    assert e["request"]["headers"]["X-Trace"] == e["request"]["headers"]["X-Shop-Key"]  # echoed: same mask
    assert e["response"]["body"]["shop_key"] != "other-value-9"  # the credential's own name


def test_urls_paths_and_queries_are_scanned() -> None:
    r = Redactor(load_facts("ideagateway"))
    e = r.entry(exchange({}, {"returnUrl": "https://shop.example/back?token=abc123secret&order=42"},
                         path="/account/52998224725", query=[["cpf", "52998224725"], ["page", "2"]]))
    assert "52998224725" not in json.dumps(e)
    assert e["request"]["query"][1] == ["page", "2"]
    url = e["request"]["body"]["returnUrl"]
    assert "abc123secret" not in url and url.startswith("https://shop.example/back?token=") and "order=42" in url


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00Z", "CP123456789", "order-42", "10.50", "Pedido 42",
                                   "00190000090312855796848800572173913170000001500"])
def test_ordinary_values_are_left_alone(value: str) -> None:
    """References, dates, amounts, texts and a boleto's linha digitável (47 digits) are not personal data."""
    assert Redactor(load_facts("webpag")).text(value, "reference") == value
