"""The one JSON encoder: as each provider's server writes it, and never anything but standard JSON.

PHP's json_encode (Laravel) escapes non-ASCII characters and forward slashes; other servers write UTF-8.
The style is data (behaviour.yaml `json_style`), chosen once per provider at start-up.

Whatever a value holds, the output is RFC 8259 JSON: NaN and ±Infinity become null, a lone UTF-16 surrogate
becomes U+FFFD, and anything that is not JSON data (bytes, sets, objects) its text. The fast path is one C-encoder
call; only a value that fails it pays for the cleaning walk. Every answer of the simulator goes through here:
provider responses, `/_sim/` (`JSONResponse` below), webhooks' display bodies and `provider-sim report`.
"""

from __future__ import annotations

import asyncio
import json
import math
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder, encode_basestring, encode_basestring_ascii)
import re
import time
from typing import AsyncIterator, Callable, Generic, Iterable, Iterator, NoReturn, Sequence, TypeVar, overload

from starlette.responses import JSONResponse as _StarletteJSON
from starlette.responses import StreamingResponse

Encoder = Callable[[object], bytes]

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\ud[89a-f]", re.IGNORECASE)


def clean(value: object, _depth: int = 0) -> object:
    """The value with only JSON data left in it: non-finite numbers -> None, lone surrogates -> U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if _depth > 200:  # past any real document: its text instead of more recursion
        return "…"
    if isinstance(value, dict):
        return {clean(str(k) if not isinstance(k, str) else k): clean(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v, _depth + 1) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return clean(bytes(value).decode("utf-8", "replace"))
    return clean(str(value))


def _not_json(value: object) -> NoReturn:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _c_encoders() -> dict[bool, Callable[[object, int], Iterable[str]]]:
    """json.dumps(value, ensure_ascii=flag, allow_nan=False, separators=(",", ":"))'s own C encoders, built once
    and called without json.dumps' Python layers (each gives the text in pieces); none without the C module.
    No check for cycles: one ends in RecursionError, cleaned as any failure."""
    if c_make_encoder is None:
        return {}
    return {flag: c_make_encoder(None, _not_json, encode_basestring_ascii if flag else encode_basestring, None,
                                 ":", ",", False, False, False) for flag in (False, True)}


_C_ENCODERS = _c_encoders()
_PY_ENCODERS: dict[bool, Callable[[object], str]] = {
    flag: json.JSONEncoder(ensure_ascii=flag, allow_nan=False, separators=(",", ":")).encode for flag in (False, True)}


def _dump(value: object, ascii_only: bool) -> str:
    try:
        text = "".join(_C_ENCODERS[ascii_only](value, 0)) if _C_ENCODERS else _PY_ENCODERS[ascii_only](value)
    except (ValueError, TypeError, RecursionError):
        return json.dumps(clean(value), ensure_ascii=ascii_only, allow_nan=False, separators=(",", ":"))
    if ascii_only and "\\ud" in text and _has_lone_escape(text):  # json.dumps writes lower-case hex
        return json.dumps(clean(value), ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text


def _has_lone_escape(text: str) -> bool:
    """A `\\udXXX` escape that is not half of a pair (json.dumps writes pairs for astral characters)."""
    for m in _ESCAPED_SURROGATE.finditer(text):
        start = m.start()
        high = text[start + 3].lower() in "89ab"
        if high:
            if not _ESCAPED_SURROGATE.match(text, start + 6) or text[start + 9].lower() not in "cdef":
                return True
        elif start < 6 or not _ESCAPED_SURROGATE.match(text, start - 6) or text[start - 3].lower() not in "89ab":
            return True
    return False


def _plain(value: object) -> bytes:
    try:
        return _dump(value, False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: cleaned
        return json.dumps(clean(value), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


def _php(value: object) -> bytes:
    return _dump(value, True).replace("/", "\\/").encode("ascii")


ENCODERS: dict[str, Encoder] = {"plain": _plain, "php": _php}


def encoder(style: str) -> Encoder:
    try:
        return ENCODERS[style]
    except KeyError:
        raise ValueError(f"unknown json_style {style!r}; one of {sorted(ENCODERS)}") from None


def dumps(value: object) -> bytes:
    return _plain(value)


def dumps_text(value: object, indent: int | None = None, separators: tuple[str, str] | None = None) -> str:
    """Standard JSON text (UTF-8 characters kept), optionally indented: for pages and reports."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, separators=separators)
        text.encode("utf-8")
        return text
    except (ValueError, TypeError, RecursionError, UnicodeEncodeError):
        return json.dumps(clean(value), ensure_ascii=False, allow_nan=False, indent=indent, separators=separators)


class JSONResponse(_StarletteJSON):
    """Starlette's JSONResponse through the one encoder (Starlette's own raises on NaN: a 500)."""

    def render(self, content: object) -> bytes:
        return dumps(content)


T = TypeVar("T")


class Shown(Sequence[object], Generic[T]):
    """Items shown one at a time as they are used: streamed (`stream_json`), each is built when its turn comes,
    so a journal of 10,000 entries is not built in one piece (about 100 ms holding the server) before the first
    byte goes out."""

    __slots__ = ("_items", "_show")

    def __init__(self, items: Sequence[T], show: Callable[[T], object]) -> None:
        self._items = items
        self._show = show

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> object: ...

    @overload
    def __getitem__(self, index: slice) -> "Shown[T]": ...

    def __getitem__(self, index: int | slice) -> object:
        if isinstance(index, slice):
            return Shown(self._items[index], self._show)
        return self._show(self._items[index])

    def __iter__(self) -> Iterator[object]:
        return map(self._show, self._items)


def _pieces(value: object, depth: int) -> Iterator[bytes]:
    """The value's JSON in pieces: containers down to `depth` opened item by item, the rest encoded whole."""
    if depth > 0 and isinstance(value, dict):
        yield b"{"
        for i, (key, item) in enumerate(value.items()):
            yield (b"," if i else b"") + dumps(str(key)) + b":"
            yield from _pieces(item, depth - 1)
        yield b"}"
    elif depth > 0 and isinstance(value, (list, tuple, Shown)):
        yield b"["
        for i, item in enumerate(value):
            if i:
                yield b","
            yield from _pieces(item, depth - 1)
        yield b"]"
    else:
        yield dumps(value)


CHUNK_BYTES = 65_536
SLICE_SECONDS = 0.005


async def stream_json(value: object, depth: int = 4) -> AsyncIterator[bytes]:
    """The value's JSON as chunks, giving the event loop back every few milliseconds: a 30 MB journal is sent
    without holding the server for the second its encoding takes."""
    buffer: list[bytes] = []
    size = 0
    started = time.perf_counter()
    for piece in _pieces(value, depth):
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES or time.perf_counter() - started > SLICE_SECONDS:
            yield b"".join(buffer)
            buffer, size = [], 0
            await asyncio.sleep(0)
            started = time.perf_counter()
    if buffer:
        yield b"".join(buffer)


class StreamedJSONResponse(StreamingResponse):
    """A large `/_sim/` answer (journals, coverage), encoded as it is sent (chunked, no Content-Length)."""

    def __init__(self, content: object, status_code: int = 200, depth: int = 4) -> None:
        super().__init__(stream_json(content, depth), status_code=status_code, media_type="application/json")
