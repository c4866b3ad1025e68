"""Request body parsing: JSON, and forms with PHP bracket arrays (`itens[0][descricao]=...`).

Both parsers are linear in the body's size and bounded by `simulator/limits.py`:
- JSON: standard JSON only. `NaN`/`Infinity` (which Python's json accepts) make the body unreadable, as they do
  for PHP's json_decode and Node's JSON.parse; nesting deeper than `max_json_depth` too. A number too large for a
  double becomes ±inf, as PHP's json_decode gives INF (validators refuse non-finite numbers). A lone UTF-16
  surrogate escape (`"\\ud800"`) makes the body unreadable where the server is PHP (`strict_unicode`: PHP's
  JSON_ERROR_UTF16) and becomes U+FFFD elsewhere (JSON.parse keeps it; nothing downstream could store it).
- Forms: as PHP fills $_POST (php_register_variable_ex): at most `max_input_vars` fields are read and the rest
  dropped; a field with more than `max_input_nesting_level` brackets is dropped whole; `a[]` appends at the next
  free integer index; an unclosed `[` in the top-level name becomes `_`, as do spaces and dots there; text after a
  closing bracket that does not open another is ignored. PHP arrays whose keys are 0..n-1 read as lists.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_plus

from simulator.limits import Limits

_DEFAULT = Limits()
_SURROGATE = re.compile("[\ud800-\udfff]")
_INT_KEY = re.compile(r"0|-?[1-9][0-9]{0,17}")  # PHP turns these keys into integers (within PHP_INT_MAX)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class BodyError(Exception):
    """The body could not be read as its content type says."""


def _no_constants(name: str) -> Any:
    raise BodyError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constants)  # json.loads(text, parse_constant=...), built once


def _depth_over(value: Any, limit: int) -> bool:
    """True when arrays/objects nest deeper than `limit` (iterative: no recursion on hostile input)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


def _fix_surrogates(value: Any, strict: bool) -> Any:
    """Strings (keys too) with a lone surrogate: refused when strict, else each one becomes U+FFFD.
    Called on values already within the depth limit, so recursion is bounded."""
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value
        if strict:
            raise BodyError("a lone UTF-16 surrogate in a string")
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_fix_surrogates(k, strict): _fix_surrogates(v, strict) for k, v in value.items()}
    if isinstance(value, list):
        return [_fix_surrogates(v, strict) for v in value]
    return value


def parse_json(text: str, max_depth: int = _DEFAULT.max_json_depth, strict_unicode: bool = False) -> Any:
    """Standard JSON within the depth limit (BodyError otherwise)."""
    try:
        value = _DECODER.decode(text) if not text.startswith("\ufeff") else json.loads(text)  # loads refuses a BOM
    except RecursionError:
        raise BodyError(f"nested deeper than {max_depth} levels") from None
    except ValueError as exc:
        raise BodyError(f"malformed JSON: {exc}") from exc
    if text.count("[") + text.count("{") > max_depth and _depth_over(value, max_depth):
        raise BodyError(f"nested deeper than {max_depth} levels")
    if _SURROGATE_ESCAPE.search(text) is not None:
        value = _fix_surrogates(value, strict_unicode)
    return value


_UNSEEN: Any = object()


def _unquote(text: str) -> str:
    return unquote_plus(text) if "%" in text or "+" in text else text


def _field_path(name: str, max_nesting: int) -> list[str] | None:
    """A form field name as PHP splits it: [base, index, ...] ("" where it appends); None when dropped."""
    name = name.lstrip(" ")
    open_at = name.find("[")
    base = name if open_at < 0 else name[:open_at]
    indexes: list[str] = []
    if open_at >= 0:
        pos = open_at
        while pos < len(name) and name[pos] == "[":
            close = name.find("]", pos + 1)
            if close < 0:
                if not indexes:  # PHP: an unclosed first bracket is part of the name, as "_"
                    base = name[:open_at] + "_" + name[open_at + 1:]
                break
            if len(indexes) >= max_nesting:
                return None  # PHP drops the whole variable past max_input_nesting_level
            indexes.append(name[pos + 1:close])
            pos = close + 1
    base = base.translate(_NAME_FIXES)
    if not base:
        return None
    return [base] + indexes


_NAME_FIXES = str.maketrans({" ": "_", ".": "_", "[": "_"})


def parse_php_form(text: str, max_vars: int = _DEFAULT.max_input_vars,
                   max_nesting: int = _DEFAULT.max_input_nesting_level,
                   notes: list[str] | None = None) -> dict[str, Any]:
    """A urlencoded body as PHP fills $_POST; `a[b][0]=x` becomes {"a": {"b": ["x"]}}."""
    root: dict[str, Any] = {}
    next_index: dict[int, tuple[dict[str, Any], int]] = {}  # id(array) -> (array, PHP's next free integer key)
    read = 0
    paths: dict[str, Any] = {}  # a field name's path, parsed once per body
    for pair in text.split("&"):
        if not pair:
            continue
        if read >= max_vars:
            if notes is not None:
                notes.append(f"form: more than {max_vars} fields; PHP (max_input_vars) drops the rest")
            break
        read += 1
        raw_name, _, raw_value = pair.partition("=")
        path = paths.get(raw_name, _UNSEEN)
        if path is _UNSEEN:
            path = paths[raw_name] = _field_path(_unquote(raw_name), max_nesting)
            if path is None and notes is not None and "[" in raw_name:
                notes.append(f"form: a field nested deeper than {max_nesting} levels is dropped "
                             "(PHP's max_input_nesting_level)")
        if path is None:
            continue
        if len(path) == 1:
            root[path[0]] = _unquote(raw_value)
        else:
            _assign(root, path, _unquote(raw_value), next_index)
    return _listify(root)  # type: ignore[no-any-return]


def _assign(root: dict[str, Any], path: list[str], value: str,
            next_index: dict[int, tuple[dict[str, Any], int]]) -> None:
    node = root
    for i, part in enumerate(path):
        # the array is kept beside its counter: an id is unique only while its object lives
        if part == "" and i > 0:
            part = str(next_index.get(id(node), (node, 0))[1])
        if i > 0 and _INT_KEY.fullmatch(part):
            n = int(part)
            if n >= next_index.get(id(node), (node, 0))[1]:
                next_index[id(node)] = (node, n + 1)
        if i == len(path) - 1:
            node[part] = value
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        converted = {k: _listify(v) for k, v in value.items()}
        if converted and all(_INT_KEY.fullmatch(k) for k in converted):
            keys = sorted(converted, key=int)
            if keys[0] == "0" and keys[-1] == str(len(keys) - 1):
                return [converted[k] for k in keys]
        return converted
    return value


def parse_body(raw: bytes, content_type: str, limits: Limits | None = None, *, strict_unicode: bool = False,
               notes: list[str] | None = None) -> Any:
    """The body as data, by its content type; an empty body is None. BodyError when it cannot be read."""
    if not raw:
        return None
    lim = limits or _DEFAULT
    ctype = content_type.split(";", 1)[0].strip().lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if ctype != "application/x-www-form-urlencoded":
            raise BodyError("the body is not UTF-8") from exc
        text = raw.decode("latin-1")  # PHP reads bytes; the percent-escapes are decoded as UTF-8 below
    if ctype == "application/x-www-form-urlencoded":
        return parse_php_form(text, lim.max_input_vars, lim.max_input_nesting_level, notes)
    if ctype.endswith("json") or ctype in ("", "text/plain"):
        return parse_json(text, lim.max_json_depth, strict_unicode)
    raise BodyError(f"unsupported content type {ctype!r}")
