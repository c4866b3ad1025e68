"""Reading a value at a dotted path in a JSON document (`customer.document`, `items.0.amount`).

One reader for the behaviour rules (`x-rules`) and the scenario matchers, so both name the same value the same way.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.digits import is_digits

MISSING: Any = object()  # no value at the path (unlike a JSON null, which is a value)


def lookup(data: Any, name: str) -> Any:
    """data[name], else the dotted path through objects and list indexes; MISSING when absent."""
    if isinstance(data, dict) and name in data:
        return data[name]
    if "." not in name:
        return MISSING
    current = data
    for part in name.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and is_digits(part) and int(part) < len(current):
            current = current[int(part)]
        else:
            return MISSING
    return current
