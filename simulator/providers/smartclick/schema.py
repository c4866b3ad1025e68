"""The schema of SmartClick's own behaviour.yaml sections (the engine checks the file against it at load)."""

from __future__ import annotations

from simulator.behaviour.schema import NAME, STR, Schema, closed

COLUMN_TYPES = ["int", "money", "bool", "string", "email", "date", "datetime", "status", "cpf", "cnpj"]

RESOURCE: Schema = closed({
    "kind": NAME, "model": NAME, "key": NAME,
    "required": {"type": "array", "items": NAME},
    "references": {"type": "object", "additionalProperties": NAME},
    "min": {"type": "object", "additionalProperties": {"type": "number"}},
    "created_at": NAME,
    "columns": {"type": "object", "additionalProperties": {"enum": COLUMN_TYPES}},
}, ["kind", "model", "key", "columns"])

BEHAVIOUR: dict[str, Schema] = {
    "resources": {"type": "object", "additionalProperties": RESOURCE},
    "boleto": closed({"bank": STR, "due_days": {"type": "integer", "minimum": 0}, "url_path": STR}),
}
