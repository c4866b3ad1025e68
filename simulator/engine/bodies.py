"""Request body parsing: JSON, and forms with PHP bracket arrays (`itens[0][descricao]=...`)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

_BRACKETS = re.compile(r"\[([^\]]*)\]")


class BodyError(Exception):
    """The body could not be read as its content type says."""


def parse_php_form(text: str) -> dict[str, Any]:
    """Parse a urlencoded body the way PHP fills $_POST: `a[b][0]=x` becomes {"a": {"b": {"0": "x"}}}.

    Keys that are all consecutive integers from 0 become lists.
    """
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        head, _, rest = key.partition("[")
        path = [head] + (_BRACKETS.findall("[" + rest) if rest else [])
        node: dict[str, Any] = root
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if part == "":
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return _listify(root)  # type: ignore[no-any-return]


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        converted = {k: _listify(v) for k, v in value.items()}
        if converted and all(k.isdigit() for k in converted):
            keys = sorted(converted, key=int)
            if [int(k) for k in keys] == list(range(len(keys))):
                return [converted[k] for k in keys]
        return converted
    return value


def parse_body(raw: bytes, content_type: str) -> Any:
    """The body as data, by its content type; an empty body is None."""
    if not raw:
        return None
    ctype = content_type.split(";", 1)[0].strip().lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError("the body is not UTF-8") from exc
    if ctype == "application/x-www-form-urlencoded":
        return parse_php_form(text)
    if ctype.endswith("json") or ctype in ("", "text/plain"):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise BodyError(f"malformed JSON: {exc}") from exc
    raise BodyError(f"unsupported content type {ctype!r}")
