"""Comparing a recorded answer with the simulator's: shapes and types always, texts where they are error texts.

Values that legitimately differ (generated ids, timestamps, references, amounts the state decides) are never
compared: only which keys exist (by JSON path), what type each value has, and, in error answers, the texts.
Arrays are compared by the shape of their items merged (`$.data[*].id`), so their length and order do not matter.
`null` against a value is a type difference; inside arrays, items that are null in one answer and not in another
count as the same type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, TypedDict

from simulator.record.redact import jpath


class DifferenceJSON(TypedDict):
    """A difference as the JSON report lists it."""
    kind: str
    where: str
    path: str
    recorded: object
    simulated: object
    exchange: str
    operation: str
    message: str


@dataclass
class Difference:
    kind: str  # status | missing_key | extra_key | type | text | header | body | webhook_missing | webhook_extra
    where: str  # response.status | response.headers | response.body | webhook.headers | webhook.body | webhook
    path: str = ""  # a JSON path, a header name, or ""
    recorded: object = None
    simulated: object = None
    exchange: str = ""  # the cassette file
    operation: str = ""

    def detail(self) -> str:
        """What differs, without the path."""
        if self.kind == "missing_key":
            return f"the simulator lacks this key (recorded: {self.recorded})"
        if self.kind == "extra_key":
            return f"the simulator adds this key ({self.simulated}); not recorded"
        if self.kind in ("text", "header"):
            return f"recorded {self.recorded!r}, simulated {self.simulated!r}"
        if self.kind == "webhook_missing":
            return f"the provider sent this webhook ({self.recorded}); the simulator sent none to match it"
        if self.kind == "webhook_extra":
            return f"the simulator sent a webhook ({self.simulated}) the provider did not"
        return f"recorded {self.recorded}, simulated {self.simulated}"

    def describe(self) -> str:
        return f"{self.path}: {self.detail()}" if self.path else self.detail()

    def public(self) -> DifferenceJSON:
        return {"kind": self.kind, "where": self.where, "path": self.path, "recorded": self.recorded,
                "simulated": self.simulated, "exchange": self.exchange, "operation": self.operation,
                "message": self.describe()}


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass
class Shape:
    types: set[str] = field(default_factory=set)
    keys: dict[str, "Shape"] = field(default_factory=dict)  # when an object
    items: "Shape | None" = None  # when a non-empty array

    def add(self, value: object) -> "Shape":
        self.types.add(type_name(value))
        if isinstance(value, dict):
            for k, v in value.items():
                self.keys.setdefault(k, Shape()).add(v)
        elif isinstance(value, list):
            for item in value:
                if self.items is None:
                    self.items = Shape()
                self.items.add(item)
        return self


def shape(value: object) -> Shape:
    return Shape().add(value)


def _label(types: set[str]) -> str:
    return "|".join(sorted(types))


def compare_shapes(recorded: Shape, simulated: Shape, path: str = "$", where: str = "response.body",
                   in_array: bool = False) -> list[Difference]:
    out: list[Difference] = []
    r_types, s_types = recorded.types, simulated.types
    if in_array:  # null and a value among an array's items are one type
        r_types = (r_types - {"null"}) or r_types
        s_types = (s_types - {"null"}) or s_types
    if r_types != s_types:
        out.append(Difference("type", where, path, _label(recorded.types), _label(simulated.types)))
        if not (r_types & s_types):
            return out
    if "object" in r_types and "object" in s_types:
        for key, sub in recorded.keys.items():
            child = jpath(path, key)
            if key not in simulated.keys:
                out.append(Difference("missing_key", where, child, _label(sub.types), None))
            else:
                out.extend(compare_shapes(sub, simulated.keys[key], child, where, in_array))
        for key, sub in simulated.keys.items():
            if key not in recorded.keys:
                out.append(Difference("extra_key", where, jpath(path, key), None, _label(sub.types)))
    if recorded.items is not None and simulated.items is not None:
        out.extend(compare_shapes(recorded.items, simulated.items, f"{path}[*]", where, True))
    return out


def compare_texts(recorded: object, simulated: object, path: str = "$", where: str = "response.body",
                  mapped: Callable[[str], str] = lambda s: s, skip: frozenset[str] = frozenset()) -> list[Difference]:
    """Every string both answers hold at the same place (arrays item by item), compared after the recorded one's
    ids are mapped; paths in `skip` (masked when recorded) are left out."""
    if path in skip:
        return []
    if isinstance(recorded, dict) and isinstance(simulated, dict):
        out = []
        for key, value in recorded.items():
            if key in simulated:
                out.extend(compare_texts(value, simulated[key], jpath(path, key), where, mapped, skip))
        return out
    if isinstance(recorded, list) and isinstance(simulated, list):
        out = []
        for i, (r, s) in enumerate(zip(recorded, simulated)):
            out.extend(compare_texts(r, s, jpath(path, i), where, mapped, skip))
        return out
    if isinstance(recorded, str) and isinstance(simulated, str) and mapped(recorded) != simulated:
        return [Difference("text", where, path, recorded, simulated)]
    return []
