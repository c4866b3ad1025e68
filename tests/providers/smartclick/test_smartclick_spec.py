"""Static checks of specs/smartclick/openapi.yaml against the catalogue's 26 operations and their HEAD variants."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

ROOT = Path(__file__).resolve().parents[3]
SPEC = yaml.safe_load((ROOT / "specs" / "smartclick" / "openapi.yaml").read_text(encoding="utf-8"))
KEYS = {"carteiras": "wal_id", "dividas": "pgm_id", "itens": "oit_id", "pedidos": "ord_id",
        "recebimentos": "prc_id", "saques": "saq_id"}


def _operations():
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            yield method, path, op


def test_spec_is_valid_openapi_31():
    errors = list(OpenAPIV31SpecValidator(SPEC).iter_errors())
    assert errors == []


def test_every_documented_route_and_head_variant_is_there():
    pairs = {(m.upper(), p) for m, p, _ in _operations()}
    expected = set()
    for res, key in KEYS.items():
        base = f"/api/v1/{res}"
        expected |= {("DELETE", f"{base}/delete/{{{key}}}"), ("POST", f"{base}/criar"), ("POST", f"{base}/atualizar"),
                     ("GET", f"{base}/{{{key}}}"), ("HEAD", f"{base}/{{{key}}}")}
    expected |= {("GET", "/api/v1/pagamento/boleto/{pgm_id}"), ("HEAD", "/api/v1/pagamento/boleto/{pgm_id}"),
                 ("GET", "/api/v1/saques/sacar/{saq_id}"), ("HEAD", "/api/v1/saques/sacar/{saq_id}")}
    assert pairs == expected and len(pairs) == 34


def test_auth_throttle_and_head_answers_are_declared():
    scheme = SPEC["components"]["securitySchemes"]["smartToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    for method, path, op in _operations():
        assert {"403", "429"} <= set(op["responses"]), (method, path)
        if method == "head":
            assert all("content" not in r for r in op["responses"].values()), path


def test_every_request_property_has_laravel_messages():
    for name, schema in SPEC["components"]["schemas"].items():
        if name.endswith(("Criar", "Atualizar")):
            for prop, sub in schema["properties"].items():
                msgs = sub["x-messages"]
                assert msgs["required"] == f"The {prop.replace('_', ' ')} field is required."
                assert "default" in msgs
