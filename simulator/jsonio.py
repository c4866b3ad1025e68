"""JSON encoding as each provider's server writes it.

PHP's json_encode (Laravel) escapes non-ASCII characters and forward slashes; other servers write UTF-8.
The style is data (behaviour.yaml `json_style`), chosen once per provider at start-up.
"""

from __future__ import annotations

import json
from typing import Any, Callable

Encoder = Callable[[Any], bytes]


def _plain(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _php(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode("ascii")


ENCODERS: dict[str, Encoder] = {"plain": _plain, "php": _php}


def encoder(style: str) -> Encoder:
    try:
        return ENCODERS[style]
    except KeyError:
        raise ValueError(f"unknown json_style {style!r}; one of {sorted(ENCODERS)}") from None


def dumps(value: Any) -> bytes:
    return _plain(value)
