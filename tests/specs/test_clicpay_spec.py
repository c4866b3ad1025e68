"""Static checks of specs/clicpay/openapi.yaml (ClicPay API v2 contract)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "clicpay" / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

W = "/api/v2/wallets/{wallet_id}"
EXPECTED_OPERATIONS = {
    "c2b_mpesa": ("post", f"{W}/c2b/mpesa"),
    "c2b_mpesa_direct": ("post", f"{W}/c2b/mpesa/direct"),
    "b2c_mpesa": ("post", f"{W}/b2c/mpesa"),
    "c2b_emola": ("post", f"{W}/c2b/emola"),
    "c2b_emola_direct": ("post", f"{W}/c2b/emola/direct"),
    "b2c_emola": ("post", f"{W}/b2c/emola"),
    "c2b_mkesh": ("post", f"{W}/c2b/mkesh"),
    "c2b_mkesh_direct": ("post", f"{W}/c2b/mkesh/direct"),
    "b2c_mkesh": ("post", f"{W}/b2c/mkesh"),
    "card_payment": ("post", f"{W}/card-payment"),
    "transaction_status": ("get", "/api/v2/transactions/{clicpay_reference}/status"),
    "split_collect": ("post", f"{W}/split/collect"),
    "list_wallets": ("get", "/api/v2/me/wallets"),
    "get_user": ("get", "/api/user"),
    "get_token": ("get", "/api/me/token"),
    "list_webhooks": ("get", "/api/v2/webhooks"),
    "create_webhook": ("post", "/api/v2/webhooks"),
    "get_webhook": ("get", "/api/v2/webhooks/{endpoint_id}"),
    "update_webhook": ("put", "/api/v2/webhooks/{endpoint_id}"),
    "delete_webhook": ("delete", "/api/v2/webhooks/{endpoint_id}"),
    "toggle_webhook": ("patch", "/api/v2/webhooks/{endpoint_id}/toggle"),
    "regenerate_webhook_secret": ("post", "/api/v2/webhooks/{endpoint_id}/regenerate-secret"),
    "test_webhook": ("post", "/api/v2/webhooks/{endpoint_id}/test"),
    "list_webhook_events": ("get", "/api/v2/webhooks/{endpoint_id}/events"),
    "get_webhook_event": ("get", "/api/v2/webhooks/{endpoint_id}/events/{event_id}"),
    "list_failed_webhook_events": ("get", "/api/v2/webhooks/{endpoint_id}/failed-events"),
    "toggle_webhook_event_type": ("patch", "/api/v2/webhooks/{endpoint_id}/events/{event_type}"),
}

MOBILE = {
    "mpesa": ["c2b_mpesa", "c2b_mpesa_direct", "b2c_mpesa"],
    "emola": ["c2b_emola", "c2b_emola_direct", "b2c_emola"],
    "mkesh": ["c2b_mkesh", "c2b_mkesh_direct", "b2c_mkesh"],
}
MOBILE_OPS = [op for ops in MOBILE.values() for op in ops]
WALLET_SCOPED = MOBILE_OPS + ["card_payment", "split_collect"]
REQUEST_SCHEMA_BY_OPERATOR = {
    "mpesa": "MpesaTransactionRequest",
    "emola": "EmolaTransactionRequest",
    "mkesh": "MkeshTransactionRequest",
}

# --- the provider's example bodies, copied from the catalog (shared/reference/clicpay.md) ---
UNAUTHENTICATED = {"message": "Unauthenticated."}
FORBIDDEN = {"message": "Acesso negado à carteira"}
STATUS_NOT_FOUND = {"message": "Transação não encontrada"}


def _mobile_200(transaction_id: int) -> dict[str, Any]:
    return {
        "message": "Transação iniciada com sucesso",
        "clicpay_reference": "CP123456789",
        "status": "pending",
        "transaction_id": transaction_id,
    }


MOBILE_400 = {"errors": {"msisdn": ["Número de telefone inválido"], "amount": ["Valor deve ser entre 1 e 50000"]}}
CARD_201 = {
    "message": "Sessão criada.",
    "clicpay_reference": "123456789",
    "status": "pending",
    "provider_reference": "123456789",
    "provider_response_code": "200",
    "provider_status_text": "Pending",
    "initiated_at": "2023-01-01T00:00:00Z",
    "completed_at": None,
    "transaction_id": 123,
    "checkout_url": "https://netshop.example.com/checkout/abc123",
    "session_id": "abc123",
    "success_indicator": "indicator123",
}
CARD_400 = {
    "message": "Erro ao criar a sessão.",
    "clicpay_reference": "123456789",
    "status": "failed",
    "transaction_id": 123,
    "provider_response_code": "400",
}
CARD_422 = {
    "errors": {
        "amount": ["O campo valor é obrigatório."],
        "reference_description": ["O campo descrição da referência é obrigatório."],
    }
}
STATUS_200 = {
    "clicpay_reference": "CP123456789",
    "status": "successful",
    "amount": 1000,
    "message": "Transação concluída com sucesso",
}
SPLIT_200 = {
    "message": "Transação encontrada",
    "clicpay_reference": "CP123456789",
    "status": "pending",
    "transaction_id": 124,
}
SPLIT_400 = {"errors": {"clicpay_reference": ["Referência ClicPay inválida"]}}
WALLETS_200 = {
    "data": [
        {
            "id": 1,
            "name": "Minha Carteira",
            "balance": 1000,
            "payment_method": {"id": 1, "name": "eMola", "slug": "emola"},
        }
    ],
    "links": {"first": "...", "last": "...", "prev": None, "next": None},
    "meta": {"current_page": 1, "from": 1, "last_page": 1, "per_page": 20, "to": 1, "total": 1},
}


def _seed_cases() -> list[tuple[str, str, Any]]:
    cases: list[tuple[str, str, Any]] = [(op, "401", UNAUTHENTICATED) for op in EXPECTED_OPERATIONS]
    cases += [(op, "403", FORBIDDEN) for op in WALLET_SCOPED]
    for operator, ops in MOBILE.items():
        for op in ops:
            cases.append((op, "200", _mobile_200(123 if operator == "emola" else 124)))
            cases.append((op, "400", MOBILE_400))
    cases += [
        ("card_payment", "201", CARD_201),
        ("card_payment", "400", CARD_400),
        ("card_payment", "422", CARD_422),
        ("transaction_status", "200", STATUS_200),
        ("transaction_status", "404", STATUS_NOT_FOUND),
        ("split_collect", "200", SPLIT_200),
        ("split_collect", "400", SPLIT_400),
        ("list_wallets", "200", WALLETS_200),
    ]
    return cases


# ------------------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _pointer(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    """Inline every local $ref (the spec has no recursive references). Siblings of $ref win."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = _resolve(doc, _pointer(doc, node["$ref"]))
            siblings = {k: _resolve(doc, v) for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            merged = dict(target) if isinstance(target, dict) else {"allOf": [target]}
            merged.update(siblings)
            return merged
        return {k: _resolve(doc, v) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(doc, v) for v in node]
    return node


def _operations(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                assert op["operationId"] not in found, op["operationId"]
                found[op["operationId"]] = (method, path, op)
    return found


def _example_values(media: dict[str, Any]) -> list[Any]:
    values = [ex["value"] for ex in media.get("examples", {}).values()]
    if "example" in media:
        values.append(media["example"])
    return values


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _media_types(op: dict[str, Any]):
    """Yield (label, media-type object) for the request body and every response of an operation."""
    body = op.get("requestBody")
    if body:
        for ctype, media in body["content"].items():
            yield f"request {ctype}", media
    for status, resp in op["responses"].items():
        for ctype, media in resp.get("content", {}).items():
            yield f"{status} {ctype}", media


# -------------------------------------------------------------------------------- tests
def test_spec_validates_as_openapi_31(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    errors = list(OpenAPIV31SpecValidator(spec).iter_errors())
    assert not errors, [str(e)[:300] for e in errors[:5]]
    assert spec["servers"] == [{"url": "/clicpay"}]
    assert spec["x-provider"] == {"key": "clicpay", "name": "ClicPay v2"}
    assert spec["security"] == [{"bearerAuth": []}]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }


def test_exact_operations(spec: dict[str, Any]) -> None:
    ops = _operations(spec)
    assert {k: (m, p) for k, (m, p, _) in ops.items()} == EXPECTED_OPERATIONS
    declared_tags = {t["name"] for t in spec["tags"]}
    for op_id, (_, _, op) in ops.items():
        assert op.get("tags") and set(op["tags"]) <= declared_tags, op_id


def test_status_codes_and_bodies(spec: dict[str, Any]) -> None:
    for op_id, (_, _, op) in _operations(spec).items():
        statuses = set(op["responses"])
        assert {"401", "404"} <= statuses, op_id
        assert not any(s.startswith("5") for s in statuses), op_id
        if op_id in WALLET_SCOPED:
            assert "403" in statuses, op_id
        body = op.get("requestBody")
        if body:
            assert set(body["content"]) == {"application/json"}, op_id
            assert "$ref" in body["content"]["application/json"]["schema"], op_id
            assert "413" in statuses, op_id
        for status, resp in op["responses"].items():
            resp = _resolve(spec, resp)
            assert set(resp["content"]) == {"application/json"}, (op_id, status)
            assert "schema" in resp["content"]["application/json"], (op_id, status)


def test_every_schema_compiles(spec: dict[str, Any]) -> None:
    for name, schema in spec["components"]["schemas"].items():
        Draft202012Validator.check_schema(_resolve(spec, schema))
    for op_id, (_, _, op) in _operations(spec).items():
        for param in op.get("parameters", []):
            Draft202012Validator.check_schema(_resolve(spec, param)["schema"])
        for label, media in _media_types(op):
            Draft202012Validator.check_schema(_resolve(spec, media["schema"]))


@pytest.mark.parametrize(("op_id", "status", "body"), _seed_cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_seed_example_present_and_valid(spec: dict[str, Any], op_id: str, status: str, body: Any) -> None:
    _, _, op = _operations(spec)[op_id]
    media = _resolve(spec, op["responses"][status])["content"]["application/json"]
    values = _example_values(media)
    assert body in values, f"{op_id} {status}: seed example missing"
    # exact key order/types too (e.g. no int/float or str/int drift)
    match = values[values.index(body)]
    assert repr(match) == repr(body), f"{op_id} {status}: example not verbatim"
    errors = list(_validator(media["schema"]).iter_errors(copy.deepcopy(body)))
    assert not errors, [e.message for e in errors]


def test_all_examples_validate_and_seed_outliers_do_not(spec: dict[str, Any]) -> None:
    for op_id, (_, _, op) in _operations(spec).items():
        for label, media in _media_types(op):
            media = _resolve(spec, media)
            validator = _validator(media["schema"])
            for value in _example_values(media):
                errors = list(validator.iter_errors(value))
                assert not errors, (op_id, label, [e.message for e in errors])
            if "x-seed-example" in media:  # provider's own example, set aside because it breaks the contract
                assert not validator.is_valid(media["x-seed-example"]), (op_id, label)


def test_request_properties_carry_messages(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for op_id, (_, _, op) in _operations(spec).items():
        if "requestBody" not in op:
            continue
        schema = _pointer(spec, op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        assert schema.get("additionalProperties", True) is not False, op_id
        for prop_name, prop in schema["properties"].items():
            messages = prop.get("x-messages")
            assert isinstance(messages, dict) and "default" in messages, (op_id, prop_name)
            if prop_name in schema.get("required", []):
                assert "required" in messages, (op_id, prop_name)
    mm = schemas["MpesaTransactionRequest"]["properties"]
    assert mm["msisdn"]["x-messages"]["default"] == "Número de telefone inválido"
    assert mm["amount"]["x-messages"]["default"] == "Valor deve ser entre 1 e 50000"
    card = schemas["CardPaymentRequest"]["properties"]
    assert card["amount"]["x-messages"]["required"] == "O campo valor é obrigatório."
    assert card["reference_description"]["x-messages"]["required"] == "O campo descrição da referência é obrigatório."
    assert schemas["SplitCollectRequest"]["properties"]["clicpay_reference"]["x-messages"]["required"] == (
        "Referência ClicPay inválida"
    )


def test_msisdn_operators_consistent_with_the_operator_checks(spec: dict[str, Any]) -> None:
    """The table of prefixes is the `msisdn_operator` check of each operator's schema (a rule the documents do
    not state: x-rules with `check`); the schema's pattern only wants a Mozambican mobile number."""
    table = spec["x-msisdn-operators"]
    assert table == {"mpesa": ["84", "85"], "emola": ["86", "87"], "mkesh": ["82", "83"]}
    schemas = spec["components"]["schemas"]
    for operator, name in REQUEST_SCHEMA_BY_OPERATOR.items():
        msisdn = schemas[name]["properties"]["msisdn"]
        assert msisdn["x-rules"] == [{"msisdn_mz": table[operator], "check": "msisdn_operator"}], operator
        pattern = re.compile(msisdn["pattern"])
        for prefixes in table.values():  # every operator's numbers are well-formed for every operator
            for number in (f"{prefixes[0]}1234567", f"258{prefixes[-1]}1234567", f"+258{prefixes[0]}7654321"):
                assert pattern.search(number), (operator, number)
        assert not pattern.search("84123456")
        assert not pattern.search("841234567 8")
        assert not pattern.search("811234567")
    # every mobile-money operation uses its operator's request schema
    ops = _operations(spec)
    for operator, op_ids in MOBILE.items():
        for op_id in op_ids:
            ref = ops[op_id][2]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == f"#/components/schemas/{REQUEST_SCHEMA_BY_OPERATOR[operator]}"
