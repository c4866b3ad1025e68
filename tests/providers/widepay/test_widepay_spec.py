"""Static checks of specs/widepay/openapi.yaml and behaviour.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator

from simulator.brdata import luhn_is_valid
from simulator.spec.loader import resolve_refs

SPECS = Path(__file__).resolve().parents[3] / "specs" / "widepay"
OPERATIONS = {
    "recebimentos_transacoes_adicionar": "/api/recebimentos/transacoes/adicionar",
    **{f"transacoes_{a}": f"/api/transacoes/{a}" for a in
       ("consultar", "gerar", "vender", "parcelamento", "enviar", "comprovante", "cancelar", "notificacao")},
}
V1_OPERATIONS = {
    **{f"cobrancas_{a}": f"/v1/recebimentos/cobrancas/{a}" for a in
       ("adicionar", "boleto", "pix", "consultar", "cancelar", "manual", "notificacao")},
    **{f"carnes_{a}": f"/v1/recebimentos/carnes/{a}" for a in
       ("adicionar", "montar", "consultar", "cancelar", "notificacao")},
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load((SPECS / "openapi.yaml").read_text(encoding="utf-8"))


def _ops(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: {"path": path, "method": m, **op}
            for path, item in spec["paths"].items() for m, op in item.items()}


def test_valid_openapi_31_with_the_draft_nine_paths_and_v1_twelve(spec):
    assert spec["openapi"] == "3.1.0"
    assert not [str(e)[:200] for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    ops = _ops(spec)
    assert {k: (v["method"], v["path"]) for k, v in ops.items()} == {
        k: ("post", p) for k, p in {**OPERATIONS, **V1_OPERATIONS}.items()}
    assert spec["components"]["securitySchemes"]["basicAuth"]["scheme"] == "basic"
    assert all(ops[k]["security"] == [{"basicAuthV1": []}] for k in V1_OPERATIONS)


def test_every_answer_is_documented_200_json_and_examples_conform(spec):
    resolved = resolve_refs(spec, spec)
    for op_id, op in _ops(resolved).items():
        assert set(op["responses"]) == {"200"}, op_id
        media = op["responses"]["200"]["content"]["application/json"]
        validator = Draft202012Validator(media["schema"])
        assert media.get("examples"), op_id
        for name, example in media["examples"].items():
            assert not [e.message for e in validator.iter_errors(example["value"])], (op_id, name)
        body = op["requestBody"]["content"]
        assert set(body) == {"application/x-www-form-urlencoded", "application/json"}, op_id
        for example in body["application/x-www-form-urlencoded"].get("examples", {}).values():
            request = Draft202012Validator(body["application/json"]["schema"])
            assert not list(request.iter_errors(example["value"])), op_id


def test_request_properties_carry_messages(spec):
    resolved = resolve_refs(spec, spec)
    for op_id, op in _ops(resolved).items():
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        for name, prop in schema["properties"].items():
            assert "default" in prop.get("x-messages", {}), (op_id, name)
            if name in schema.get("required", []):
                assert "required" in prop["x-messages"], (op_id, name)


def test_magic_cards_are_luhn_valid_and_not_the_documented_examples():
    behaviour = yaml.safe_load((SPECS / "behaviour.yaml").read_text(encoding="utf-8"))
    cards = behaviour["magic_cards"]
    assert all(luhn_is_valid(number) for number in cards)
    assert not {"4111111111111111", "5555555555554444"} & set(cards)
