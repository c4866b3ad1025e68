"""Static checks of specs/ideagateway/openapi.yaml and behaviour.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

ROOT = Path(__file__).resolve().parents[3] / "specs" / "ideagateway"
REAL = {"create_pix", "get_pix", "sandbox_gateway_webhook"}
EXPECTED = {
    "create_account": ("post", "/account"), "search_account": ("get", "/account"),
    "update_account_document": ("put", "/account/{accountNumber}/document/{documentId}"),
    "create_transfer": ("post", "/transfer"), "create_bankslip": ("post", "/bankslip"),
    "download_bankslip": ("get", "/bankslip/{id}/download"), "search_pix": ("get", "/pix"),
    "create_pix": ("post", "/pix"), "create_static_pix_infra": ("post", "/pix/static/infra"),
    "create_static_pix": ("post", "/pix/static"), "cancel_pix": ("post", "/pix/cancel"),
    "link_pix_split": ("post", "/pix/split/{id}"), "reenable_static_pix": ("post", "/pix/static/{id}/reenable"),
    "update_pix_metadata": ("put", "/pix/{id}/metadata"), "get_pix": ("get", "/pix/{id}"),
    "refund_pix": ("post", "/pix/{id}/refund"), "create_pix_transfer": ("post", "/pix/transfer"),
    "get_credit_card": ("get", "/creditCard/{id}"), "refund_credit_card": ("post", "/creditCard/{id}/refund"),
    "search_credit_card": ("get", "/creditCard"), "create_credit_card": ("post", "/creditCard"),
    "get_debit_card": ("get", "/debitCard/{id}"), "refund_debit_card": ("post", "/debitCard/{id}/refund"),
    "search_debit_card": ("get", "/debitCard"), "create_debit_card": ("post", "/debitCard"),
    "get_transaction": ("get", "/transaction/{id}"), "search_bill_payment": ("get", "/billPayment"),
    "get_bill_payment": ("get", "/billPayment/{id}"), "create_bill_payment": ("post", "/billPayment"),
    "sandbox_gateway_webhook": ("post", "/webhook/idea/gateway"),
}


def _load(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / name).read_text(encoding="utf-8")))


def _ops(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {op["operationId"]: (method, path, op) for path, item in spec["paths"].items()
            for method, op in item.items() if isinstance(op, dict) and "operationId" in op}


def test_spec_is_valid_openapi_31() -> None:
    spec = _load("openapi.yaml")
    assert spec["openapi"] == "3.1.0"
    assert not list(OpenAPIV31SpecValidator(spec).iter_errors())
    assert spec["components"]["securitySchemes"]["basicAuth"]["scheme"] == "basic"
    assert set(spec["webhooks"]) == {"bankslip", "pix", "creditCard", "debitCard"}


def test_operations_paths_and_provenance() -> None:
    ops = _ops(_load("openapi.yaml"))
    assert {k: (m, p) for k, (m, p, _) in ops.items()} == EXPECTED
    for op_id, (_, _, op) in ops.items():
        assert (op.get("x-provenance") == "proposed") == (op_id not in REAL), op_id
        assert "401" in op["responses"] or op.get("security") == [], op_id
        assert "404" in op["responses"], op_id
        if "requestBody" in op:
            assert {"400", "413"} <= set(op["responses"]), op_id


def test_behaviour_declares_lifecycles_and_two_accounts() -> None:
    behaviour = _load("behaviour.yaml")
    assert behaviour["auth"] == {"scheme": "basic", "password": "api_key"}
    assert behaviour["collapse_slashes"] is True
    assert len(behaviour["accounts"]) >= 2
    machines = behaviour["lifecycles"]
    assert machines["pix"]["transitions"]["pending"] == ["paid", "expired", "canceled"]
    for kind in ("pix", "pix_static", "bankslip", "creditCard", "debitCard", "digital_account", "account_document"):
        assert kind in machines
    assert behaviour["webhooks"]["retry_seconds"]
