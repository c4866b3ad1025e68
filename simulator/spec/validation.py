"""Compiled request validators with the provider's own field messages.

The fast path is a fastjsonschema function compiled once per operation at start-up. Only a request that
fails it pays for jsonschema's full error walk, which names every failing field. Messages come from the
`x-messages` map on each property (`required`, a keyword such as `maxLength`, or `default`), falling back on the
provider's templates (behaviour.yaml `validation.messages`).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

_DROP = {"example", "examples", "xml", "externalDocs", "discriminator", "deprecated", "readOnly", "writeOnly"}


def _for_fastjsonschema(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _for_fastjsonschema(v) for k, v in node.items()
                if not k.startswith("x-") and k not in _DROP and k != "$schema"}
    if isinstance(node, list):
        return [_for_fastjsonschema(v) for v in node]
    return node


MAX_ERRORS = 100  # field errors named at most, per request
_COMPILED: dict[str, Callable[[object], object] | None] = {}  # schema JSON -> fastjsonschema's function (or None)


@dataclass
class FieldMessages:
    required: str = "The {field} field is required."
    default: str = "The {field} field is invalid."
    by_keyword: dict[str, str] = field(default_factory=dict)


class Validator:
    """Validates one value against one schema; `errors()` gives {field: [messages]}."""

    def __init__(self, schema: dict[str, Any], messages: FieldMessages) -> None:
        self.schema = schema
        self.messages = messages
        self._compiled = False
        self._fast: Callable[[object], object] | None = None
        self._full_validator: Draft202012Validator | None = None

    def _compile(self) -> None:
        """Compile on first use (once per schema per process), so start-up pays nothing for unused operations."""
        key = json.dumps(self.schema, sort_keys=True, default=str)
        if key in _COMPILED:
            fast = _COMPILED[key]
        else:
            try:
                fast = fastjsonschema.compile(_for_fastjsonschema(self.schema), use_formats=True)
            except Exception:  # a construct fastjsonschema lacks: the slow path alone decides
                fast = None
            _COMPILED[key] = fast
        self._fast = fast
        self._compiled = True

    @property
    def _full(self) -> Draft202012Validator:
        if self._full_validator is None:
            self._full_validator = Draft202012Validator(self.schema, format_checker=FormatChecker())
        return self._full_validator

    def is_valid(self, value: object) -> bool:
        if not self._compiled:
            self._compile()
        if self._fast is not None:
            try:
                self._fast(value)
                return True
            except fastjsonschema.JsonSchemaException:
                return False
        return bool(self._full.is_valid(value))

    def errors(self, value: object) -> dict[str, list[str]]:
        infinite = non_finite_paths(value)
        if not infinite and self.is_valid(value):
            return {}
        out: dict[str, list[str]] = {}
        # a bounded number of errors: a body of 100,000 bad items must not cost a walk naming every one
        found = itertools.islice(self._full.iter_errors(value), MAX_ERRORS)
        for err in sorted(found, key=lambda e: list(e.absolute_path)):
            for name, message in self._describe(err):
                msgs = out.setdefault(name, [])
                if message not in msgs:
                    msgs.append(message)
        for path in infinite:  # JSON can carry 1e999 (inf); no provider takes a non-finite number
            name = ".".join(str(p) for p in path) or "body"
            own = self._messages_at(path)
            text = own.get("numeric") or own.get("type") or own.get("default") or \
                self.messages.by_keyword.get("type") or self.messages.default
            out.setdefault(name, []).append(text.format(field=name))
        if not out:
            return {"body": [self.messages.default.format(field="body")]}
        order = {name: i for i, name in enumerate((self.schema.get("properties") or {}))}
        return dict(sorted(out.items(), key=lambda kv: order.get(kv[0].split(".")[0], len(order))))

    def _describe(self, err: ValidationError) -> list[tuple[str, str]]:
        path = [str(p) for p in err.absolute_path]
        if err.validator == "required" and isinstance(err.instance, dict):
            props = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
            wanted = err.validator_value if isinstance(err.validator_value, list) else []
            missing = [r for r in wanted if r not in err.instance]
            out = []
            for name in missing:
                msgs = (props.get(name) or {}).get("x-messages") or {}
                full = ".".join(path + [name])
                out.append((full, msgs.get("required") or self.messages.required.format(field=full)))
            return out
        name = ".".join(path) or "body"
        schema = err.schema if isinstance(err.schema, dict) else {}
        msgs = schema.get("x-messages") or self._owner_messages(err)
        text = (msgs.get(str(err.validator)) or msgs.get("default")
                or self.messages.by_keyword.get(str(err.validator)) or self.messages.default)
        return [(name, text.format(field=name, **_limits(schema)))]

    def _owner_messages(self, err: ValidationError) -> dict[str, str]:
        """x-messages of the property that holds a failing nested keyword (e.g. inside anyOf or items)."""
        return self._messages_at(list(err.absolute_path))

    def _messages_at(self, path: list[str | int]) -> dict[str, str]:
        """x-messages of the innermost property on `path` that has them."""
        node: Any = self.schema
        found: dict[str, str] = {}
        for part in path:
            if not isinstance(node, dict):
                break
            if isinstance(part, int):
                node = node.get("items", {})
            else:
                node = (node.get("properties") or {}).get(part, {})
            if isinstance(node, dict) and node.get("x-messages"):
                found = node["x-messages"]
        return found


def non_finite_paths(value: object) -> list[list[str | int]]:
    """Paths to NaN or ±inf numbers in a value (iterative: hostile values are deep)."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [[]]
    if type(value) is dict:  # the usual body: a flat object of texts, integers, booleans and nulls
        for item in value.values():
            kind = type(item)
            if kind is not str and kind is not int and kind is not bool and item is not None:
                break
        else:
            return []
    out: list[list[str | int]] = []
    stack: list[tuple[object, list[str | int]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, item in items:
            if isinstance(item, float):
                if not math.isfinite(item):
                    out.append(path + [key])
            elif isinstance(item, (dict, list)):
                stack.append((item, path + [key]))
    return out


def _limits(schema: dict[str, Any]) -> dict[str, object]:
    keys = ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")
    return {k: schema[k] for k in keys if k in schema}


def coerce_query(params: list[dict[str, Any]], query: dict[str, str]) -> dict[str, str | int | float | bool]:
    """Query strings converted to the types their parameter schemas declare (for validation)."""
    out: dict[str, str | int | float | bool] = {}
    types = {p["name"]: (p.get("schema") or {}).get("type") for p in params}
    for key, value in query.items():
        kind = types.get(key)
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        out[key] = _coerce(value, kind)
    return out


def coerce_form(schema: object, value: object) -> object:
    """A form body's text values converted to the types the schema declares (the body as JSON would carry it)."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        return {k: coerce_form(props.get(k), v) for k, v in value.items()}
    if isinstance(value, list):
        return [coerce_form(schema.get("items"), v) for v in value]
    if isinstance(value, str):
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        return _coerce(value, kind)
    return value


def _coerce(value: str, kind: object) -> str | int | float | bool:
    if not value.isascii():  # int() and float() also read other scripts' digits; a client sends ASCII
        return value
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    return value


def query_schema(params: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not params:
        return None
    props = {}
    for p in params:
        prop = dict(p.get("schema") or {})
        if p.get("x-messages"):
            prop["x-messages"] = p["x-messages"]
        props[p["name"]] = prop
    required = [p["name"] for p in params if p.get("required")]
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema
