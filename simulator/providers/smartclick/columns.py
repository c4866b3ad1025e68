"""SmartClick column values: the checks JSON Schema cannot make, and storage types.

The engine has already cleaned the input as Laravel's global middleware does (behaviour.yaml `input:`) and the
spec's schemas refused wrong types and shapes (422); what is left here is what a schema cannot say: check
digits (CPF, CNPJ), real calendar dates, minimum amounts, references to other rows, and the conversion of form
strings to what the database would store (int, money, 0/1).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from simulator.behaviour.config import ProviderConfig
from simulator.brdata import cnpj_is_valid, cpf_is_valid
from simulator.engine.context import Ctx
from simulator.engine.env import ProviderEnv
from simulator.records import JSON

MANAGED = ("status", "datetime")  # set by the simulator, never from a request


@dataclass(frozen=True)
class Resource:
    name: str  # the path segment: carteiras, dividas, ...
    kind: str  # the store kind: carteira, divida, ...
    model: str  # the Laravel model, named in the 404 message
    key: str
    columns: dict[str, str]
    required: tuple[str, ...]
    references: dict[str, str]
    minimum: dict[str, float]
    created_at: str | None

    @property
    def writable(self) -> dict[str, str]:
        return {c: t for c, t in self.columns.items() if t not in MANAGED}


_RESOURCES: dict[tuple[int, str], Resource] = {}


def _resource(config: ProviderConfig, name: str) -> Resource:
    cached = _RESOURCES.get((id(config), name))
    if cached is not None:
        return cached
    raw = config.section("resources")[name]
    made = _RESOURCES[(id(config), name)] = Resource(name=name, kind=str(raw["kind"]), model=str(raw["model"]), key=str(raw["key"]),
                    columns={str(k): str(v) for k, v in raw["columns"].items()},
                    required=tuple(raw.get("required") or ()), references=dict(raw.get("references") or {}),
                    minimum={str(k): float(v) for k, v in (raw.get("min") or {}).items()},
                    created_at=raw.get("created_at"))
    return made


def resource(ctx: Ctx, name: str) -> Resource:
    return _resource(ctx.config, name)


def label(field: str) -> str:
    """Laravel's attribute name in messages: underscores become spaces."""
    return field.replace("_", " ")


def _valid_date(text: str) -> bool:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            datetime.datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False


def convert(field: str, kind: str, value: object) -> tuple[JSON, str | None]:
    """The stored value of a column, or the Laravel message why it is refused."""
    if value is None:
        return None, None
    name = label(field)
    if kind == "int":
        try:
            number = int(str(value))
        except ValueError:
            return None, f"The {name} must be an integer."
        if not -2147483648 <= number <= 2147483647:
            return None, f"The {name} may not be greater than 2147483647."
        return number, None
    if kind == "money":
        try:
            amount = float(str(value))
        except ValueError:
            return None, f"The {name} must be a number."
        if not math.isfinite(amount):
            return None, f"The {name} must be a number."
        if abs(amount) > 99999999.99:
            return None, f"The {name} may not be greater than 99999999.99."
        return round(amount, 2), None
    if kind == "bool":
        return (1 if value in (True, 1, "1") and value is not False else 0), None
    if kind == "cpf" and not cpf_is_valid(str(value)):
        return None, f"The {name} is invalid."
    if kind == "cnpj" and not cnpj_is_valid(str(value)):
        return None, f"The {name} is invalid."
    if kind == "date" and not _valid_date(str(value)):
        return None, f"The {name} is not a valid date."
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return str(value), None


def clean_values(ctx: Ctx, res: Resource, body: dict[str, JSON]) -> tuple[dict[str, JSON], dict[str, list[str]]]:
    """The writable columns sent in `body`, converted, and the messages of those refused."""
    values: dict[str, JSON] = {}
    errors: dict[str, list[str]] = {}
    for field, kind in res.writable.items():
        if field not in body:
            continue
        value, problem = convert(field, kind, body[field])
        if problem is None and value is not None and field in res.minimum and value < res.minimum[field]:
            problem = f"The {label(field)} must be at least {res.minimum[field]:g}."
        if problem is None and value is not None and field in res.references:
            if ctx.scope.get(res.references[field], value) is None:
                problem = f"The selected {label(field)} is invalid."
        if problem is not None:
            errors.setdefault(field, []).append(problem)
        else:
            values[field] = value
    return values, errors


def mysql_time(env: ProviderEnv) -> str:
    """Now as MySQL writes a DATETIME, in the provider's time zone (UTC: behaviour.yaml has no offset)."""
    return env.time.stamp("%Y-%m-%d %H:%M:%S")
