"""Checks of specs/webpag/openapi.yaml, WebPag's OpenAPI 3.1 contract.

The contract is a conversion of the provider's OpenAPI 3.0.3 document (written by Scribe), kept as
shared/reference/webpag.openapi.reconstructed.yaml next to the repository. These tests check that the
conversion is valid 3.1, that nothing of the source was lost, and that the responses the simulator adds
(401/404/422, marked ``x-sim-added``) are there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "specs" / "webpag" / "openapi.yaml"
SOURCE_PATH = REPO_ROOT.parent / "shared" / "reference" / "webpag.openapi.reconstructed.yaml"

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# FIX(defect 7): the stray path parameter the source declared on a template that lacks it.
REMOVED_PARAMETERS = {("/api/installments/{installmentPlan_id}", "installmentPlan", "path")}
# The source's operations with `responses: { }` (FIX defects 4-6): every response there is added.
EMPTY_RESPONSES_IN_SOURCE = {
    ("post", "/api/webhook/lote"),
    ("delete", "/api/payers/{payerId}/creditcard/{cardId}/remove"),
    ("post", "/api/payments/recurrency/register"),
}
# FIX defects 1-3: `type: date` in request bodies became `type: string` + `format: date`.
DATE_FIELDS = {
    ("post", "/api/installments/register", "first_date"),
    ("post", "/api/payers/register", "birth_date"),
    ("put", "/api/payers/{id}/update", "birth_date"),
}


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spec(spec_text: str) -> dict[str, Any]:
    data = yaml.load(spec_text, Loader=_Loader)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def source() -> dict[str, Any]:
    if not SOURCE_PATH.is_file():
        pytest.skip(f"WebPag source document not found at {SOURCE_PATH} (shared/reference is outside the repo)")
    data = _load(SOURCE_PATH)
    # PyYAML reads the source's bare `200:` keys as integers.
    for item in data["paths"].values():
        for method, op in item.items():
            if method in METHODS:
                op["responses"] = {str(code): r for code, r in (op.get("responses") or {}).items()}
    return data


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op


def resolve(node: Any, doc: dict[str, Any]) -> Any:
    """Inline local $refs (the contract has no recursive ones)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {**resolve(target, doc), **resolve(siblings, doc)}
        return {k: resolve(v, doc) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, doc) for v in node]
    return node


def media_objects(op: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, media type object) of the request body and of every response."""
    for media in (op.get("requestBody") or {}).get("content", {}).values():
        yield "request", media
    for code, resp in op["responses"].items():
        for media in (resp.get("content") or {}).values():
            yield code, media


def all_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(operation label, where, resolved schema) for every parameter, body and response schema."""
    for path, item in doc["paths"].items():
        for p in item.get("parameters", []):
            yield path, f"path parameter {p['name']}", resolve(p["schema"], doc)
        for method, op in item.items():
            if method not in METHODS:
                continue
            label = f"{method.upper()} {path}"
            for p in op.get("parameters", []):
                yield label, f"parameter {p['name']}", resolve(p["schema"], doc)
            for where, media in media_objects(op):
                yield label, where, resolve(media["schema"], doc)


def subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(schema, dict):
        return
    yield schema
    for sub in schema.get("properties", {}).values():
        yield from subschemas(sub)
    for key in ("items", "additionalProperties", "not"):
        yield from subschemas(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            yield from subschemas(sub)


def names_in(node: Any, into: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """("property", name) for every schema property (recursively), ("example key", name) for every key
    of the examples the schemas carry."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties":
                into.update(("property", name) for name in value)
                for sub in value.values():
                    names_in(sub, into)
            elif key in ("example", "examples"):
                example_keys(value, into)
            elif key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf", "not"):
                names_in(value, into)
    elif isinstance(node, list):
        for sub in node:
            names_in(sub, into)
    return into


def example_keys(value: Any, into: set[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        into.update(("example key", name) for name in value)
        for sub in value.values():
            example_keys(sub, into)
    elif isinstance(value, list):
        for sub in value:
            example_keys(sub, into)


def is_secured(op: dict[str, Any], doc: dict[str, Any]) -> bool:
    requirements = op.get("security", doc.get("security", []))
    return any(req for req in requirements)


# --------------------------------------------------------------------------- (a) validity


def test_spec_is_a_valid_openapi_3_1_document(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_servers_target_the_simulator_mount(spec: dict[str, Any]) -> None:
    assert spec["servers"] == [{"url": "/webpag"}]
    assert {"url": "https://api.webpag.com.br"} in spec["x-original-servers"]


def test_every_schema_compiles_as_draft_2020_12(spec: dict[str, Any]) -> None:
    count = 0
    for _label, _where, schema in all_schemas(spec):
        Draft202012Validator.check_schema(schema)
        count += 1
    for schema in spec["components"].get("schemas", {}).values():
        Draft202012Validator.check_schema(resolve(schema, spec))
        count += 1
    assert count > 100


def test_response_examples_conform_to_their_schemas(spec: dict[str, Any]) -> None:
    """The simulator serves bodies shaped like these examples, so they must pass the response schemas."""
    failures: list[str] = []
    for method, path, op in operations(spec):
        for code, resp in op["responses"].items():
            for media in (resp.get("content") or {}).values():
                schema = resolve(media["schema"], spec)
                examples = [media["example"]] if "example" in media else []
                examples += [e["value"] for e in media.get("examples", {}).values()]
                checks = [(schema, e) for e in examples]
                checks += [(sub, e) for sub in subschemas(schema) for e in sub.get("examples", [])]
                for sub, example in checks:
                    for error in Draft202012Validator(sub).iter_errors(example):
                        failures.append(f"{method.upper()} {path} {code}: {error.message[:120]}")
    assert not failures, "\n".join(failures[:20])


def test_source_defects_are_fixed_and_marked(spec: dict[str, Any], spec_text: str) -> None:
    marked = sorted(set(re.findall(r"^\s*# FIX\(defect (\d+)\)", spec_text, re.M)))
    assert marked == [str(n) for n in range(1, 9)]
    assert not re.search(r"^\s*type: date\s*$", spec_text, re.M)
    for method, path, field in DATE_FIELDS:
        node = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        kind = node["properties"][field]["type"]  # optional fields are nullable (Laravel), required ones not
        assert kind == ("string" if field in node.get("required", []) else ["string", "null"])
        assert node["properties"][field]["format"] == "date"
    for method, path, op in operations(spec):
        assert op["responses"], f"{method.upper()} {path} has no responses"
        template = set(re.findall(r"{([^}]+)}", path))
        declared = {
            p["name"]
            for p in spec["paths"][path].get("parameters", []) + op.get("parameters", [])
            if p["in"] == "path"
        }
        assert declared == template, f"{method.upper()} {path}: path parameters {declared} != {template}"
    assert all(isinstance(tag.get("description"), str) for tag in spec["tags"])


# ------------------------------------------------------------------ (b) nothing lost


def test_every_source_path_and_method_is_kept(spec: dict[str, Any], source: dict[str, Any]) -> None:
    assert len(source["paths"]) == 24
    ours = {(m, p) for m, p, _ in operations(spec)}
    theirs = {(m, p) for m, p, _ in operations(source)}
    assert theirs <= ours
    assert set(source["paths"]) <= set(spec["paths"])


def test_every_source_parameter_is_kept(spec: dict[str, Any], source: dict[str, Any]) -> None:
    missing: list[str] = []
    for path, item in source["paths"].items():
        ours_item = spec["paths"][path]
        ours_path_level = {(p["name"], p["in"]) for p in ours_item.get("parameters", [])}
        for p in item.get("parameters", []):
            if (path, p["name"], p["in"]) in REMOVED_PARAMETERS:
                continue
            if (p["name"], p["in"]) not in ours_path_level:
                missing.append(f"{path}: path-level {p['in']} {p['name']}")
        for method, op in item.items():
            if method not in METHODS:
                continue
            ours_op = {(p["name"], p["in"]) for p in ours_item[method].get("parameters", [])}
            for p in op.get("parameters", []):
                if (p["name"], p["in"]) not in ours_op:
                    missing.append(f"{method.upper()} {path}: {p['in']} {p['name']}")
    assert not missing, "\n".join(missing)


def test_every_source_property_name_is_kept(spec: dict[str, Any], source: dict[str, Any]) -> None:
    missing: list[str] = []
    for method, path, op in operations(source):
        ours_op = spec["paths"][path][method]
        for part in ("requestBody", "responses"):
            theirs = names_in(_schemas_of(op, part), set())
            ours = names_in(_schemas_of(ours_op, part), set())
            for kind, name in sorted(theirs - ours):
                missing.append(f"{method.upper()} {path} {part}: {kind} {name}")
    assert not missing, "\n".join(missing)


def _schemas_of(op: dict[str, Any], part: str) -> list[Any]:
    if part == "requestBody":
        return [m.get("schema") for m in (op.get("requestBody") or {}).get("content", {}).values()]
    return [m.get("schema") for r in op["responses"].values() for m in (r.get("content") or {}).values()]


def _same_schema(theirs: Any, ours: Any, where: str, response: bool, problems: list[str],
                 optional: bool = False) -> None:
    """Each source schema node survives: type, description, required, example, properties, items. An optional
    request property also takes null (Laravel's `nullable`: the documented requests send null there)."""
    if not isinstance(theirs, dict):
        return
    if "anyOf" in ours and "anyOf" not in theirs:  # the source's 422 kept as first alternative
        ours = ours["anyOf"][0]
    src_type, our_type = theirs.get("type"), ours.get("type")
    nullable = response or optional
    if src_type == "date":
        ok = our_type in ("string", *((["string", "null"],) if optional else ())) and ours.get("format") == "date"
    else:
        ok = our_type == src_type or (nullable and our_type == [src_type, "null"])
        # A response field widened for the simulator (marked x-sim-widened with the reason in a comment):
        # the source typed it from a null example, or the simulator answers null where it is not set.
        ok = ok or (response and ours.get("x-sim-widened") is True and isinstance(our_type, list))
    if not ok:
        problems.append(f"{where}: type {src_type!r} became {our_type!r}")
    for key in ("description", "required", "format", "enum"):
        if theirs.get(key) != ours.get(key) and not (key == "format" and src_type == "date"):
            problems.append(f"{where}: {key} changed")
    if "example" in theirs and ours.get("examples") != [theirs["example"]]:
        problems.append(f"{where}: example changed")
    for name, sub in theirs.get("properties", {}).items():
        if name not in ours.get("properties", {}):
            problems.append(f"{where}: property {name} missing")
        else:
            _same_schema(sub, ours["properties"][name], f"{where}.{name}", response, problems,
                         not response and name not in (ours.get("required") or []))
    if "items" in theirs:
        _same_schema(theirs["items"], ours.get("items", {}), f"{where}[]", response, problems)


def test_every_source_schema_and_example_is_kept(spec: dict[str, Any], source: dict[str, Any]) -> None:
    problems: list[str] = []
    for method, path, op in operations(source):
        ours_op = spec["paths"][path][method]
        label = f"{method.upper()} {path}"
        for mt, media in (op.get("requestBody") or {}).get("content", {}).items():
            ours_media = ours_op["requestBody"]["content"][mt]
            _same_schema(media["schema"], ours_media["schema"], f"{label} request", False, problems)
        for code, resp in op["responses"].items():
            ours_resp = ours_op["responses"].get(code)
            if ours_resp is None:
                problems.append(f"{label}: response {code} missing")
                continue
            for mt, media in (resp.get("content") or {}).items():
                ours_media = ours_resp["content"][mt]
                _same_schema(media["schema"], ours_media["schema"], f"{label} {code}", True, problems)
        for key in ("summary", "tags", "security"):
            if key in op and op[key] != ours_op.get(key):
                problems.append(f"{label}: {key} changed")
        if "description" in op and " ".join(op["description"].split()) != " ".join(ours_op["description"].split()):
            problems.append(f"{label}: description changed")
    assert not problems, "\n".join(problems[:30])


# ------------------------------------------------------------------ (c) operation ids


def test_operation_ids_are_unique_snake_case(spec: dict[str, Any]) -> None:
    ids = [str(op.get("operationId")) for _, _, op in operations(spec)]
    assert len(ids) == 24
    assert all(SNAKE_CASE.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)


# ------------------------------------------------------------------ (d) security and added responses


def test_only_the_outbound_webhook_is_unsecured(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["default"] == {
        "type": "apiKey",
        "name": "auth-token",
        "in": "header",
        "description": "Contate o nosso suporte para conseguir uma chave API.",
    }
    assert spec["security"] == [{"default": []}]
    unsecured = {(m, p) for m, p, op in operations(spec) if not is_secured(op, spec)}
    assert unsecured == {("post", "/")}


def test_every_secured_operation_documents_401(spec: dict[str, Any]) -> None:
    for method, path, op in operations(spec):
        if not is_secured(op, spec):
            continue
        label = f"{method.upper()} {path}"
        assert "401" in op["responses"], f"{label} has no 401"
        media = op["responses"]["401"]["content"]["application/json"]
        schema = resolve(media["schema"], spec)
        assert schema["properties"]["message"]["type"] == "string", label
        example = media.get("example", (schema.get("examples") or [None])[0])
        assert example == {"message": "Unauthorized"}, label
        Draft202012Validator(schema).validate(example)


def test_error_responses_the_simulator_returns_are_documented(spec: dict[str, Any]) -> None:
    problems: list[str] = []
    for method, path, op in operations(spec):
        label = f"{method.upper()} {path}"
        responses = op["responses"]
        path_params = [p for p in spec["paths"][path].get("parameters", []) if p["in"] == "path"]
        if path_params and "404" not in responses:
            problems.append(f"{label}: no 404")
        if "requestBody" in op:
            if "422" not in responses:
                problems.append(f"{label}: no 422")
                continue
            schema = resolve(responses["422"]["content"]["application/json"]["schema"], spec)
            validator = Draft202012Validator(schema)
            if not validator.is_valid({"message": "The given data was invalid.", "errors": {"x": ["y"]}}):
                problems.append(f"{label}: 422 does not accept Laravel's validation body")
    process = spec["paths"]["/api/payments/process"]["post"]["responses"]["422"]
    processing = {
        "error": "Erro ao processar pagamento",
        "error_code": 20,
        "error_previous": "Erro ao processar pagamento",
    }
    Draft202012Validator(resolve(process["content"]["application/json"]["schema"], spec)).validate(processing)
    assert not problems, "\n".join(problems)


def test_added_responses_are_marked(spec: dict[str, Any], source: dict[str, Any]) -> None:
    problems: list[str] = []
    for method, path, op in operations(spec):
        theirs = source["paths"][path][method]["responses"]
        for code, resp in op["responses"].items():
            added = resp.get("x-sim-added") is True
            if code in theirs and added:
                problems.append(f"{method.upper()} {path} {code}: from the source but marked x-sim-added")
            if code not in theirs and not added:
                problems.append(f"{method.upper()} {path} {code}: added but not marked x-sim-added")
    for method, path in EMPTY_RESPONSES_IN_SOURCE:
        assert source["paths"][path][method]["responses"] == {}
        assert spec["paths"][path][method]["responses"]["200"]["x-sim-added"] is True
    assert not problems, "\n".join(problems)
