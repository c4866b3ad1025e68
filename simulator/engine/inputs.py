"""Input as the provider's framework prepares it before validation, declared in behaviour.yaml `input:`:
Laravel's TrimStrings and ConvertEmptyStringsToNull (`trim: true, empty: null`), PHP's empty() that treats an
empty form value as not sent (`empty: drop`). And the names a PHP form gives nested fields (`a[b][0]`)."""

from __future__ import annotations

from simulator.behaviour.config import InputDecl
from simulator.records import JSON


def clean_value(value: JSON, decl: InputDecl) -> JSON:
    if isinstance(value, str):
        if decl.trim:
            value = value.strip()
        if value == "" and decl.empty == "null":
            return None
        return value
    if isinstance(value, dict):
        return clean(value, decl)
    if isinstance(value, list):
        return [clean_value(v, decl) for v in value]
    return value


def clean(body: dict[str, JSON], decl: InputDecl) -> dict[str, JSON]:
    """A body cleaned as the declaration says (a new mapping)."""
    out: dict[str, JSON] = {}
    for name, value in body.items():
        cleaned = clean_value(value, decl)
        if decl.empty == "drop" and cleaned == "":
            continue
        out[name] = cleaned
    return out


def bracket(dotted: str) -> str:
    """`cliente.cpf` -> `cliente[cpf]`, `itens.0.valor` -> `itens[0][valor]` (a PHP form's field name)."""
    head, *rest = dotted.split(".")
    return head + "".join(f"[{part}]" for part in rest)
