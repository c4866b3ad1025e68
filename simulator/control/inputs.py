"""Reading what a `/_sim/` client sends: bodies, numbers and ids, each checked strictly (a 4xx, never a 500).

- Bodies are JSON objects sent as `application/json` (or any `+json` type); a body with another content type is
  refused with 415. Browsers send cross-site requests without a preflight only with `text/plain`, forms and
  multipart bodies, so refusing those keeps a web page from writing here even before the Origin check.
  A scenario upload may also be YAML (`application/yaml`, `application/x-yaml`, `text/yaml`, `text/x-yaml`).
  A body without a content type is read as JSON (or YAML for a scenario): curl without `-H` and old scripts.
- Numbers are ASCII digits only (`str.isdigit` also takes "²" and other digits `int` refuses), with a bound on
  their length; JSON numbers must be finite.
"""

from __future__ import annotations

import math
import re

from starlette.requests import Request

from simulator.engine.bodies import BodyError, parse_json
from simulator.engine.errors import SimError
from simulator.limits import Limits
from simulator.records import JSON

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
_DIGITS = re.compile(r"[0-9]{1,18}")


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def is_json_type(ctype: str) -> bool:
    return ctype in JSON_TYPES or ctype.endswith("+json")


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with 413 past `limit` bytes (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and len(declared) < 19 and int(declared) > limit:
        raise SimError(413, f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise SimError(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request, limits: Limits, required: bool = False) -> dict[str, JSON]:
    """A JSON object body ({} when empty and not required), within `limits` (size, depth)."""
    raw = await read_limited(request, limits.max_body_bytes)
    if not raw.strip():
        if required:
            raise SimError(400, "a JSON object body is required")
        return {}
    ctype = content_type(request)
    if ctype and not is_json_type(ctype):
        raise SimError(415, f"the body must be JSON: send Content-Type: application/json, not {ctype!r}")
    try:
        data = parse_json(raw.decode("utf-8"), limits.max_json_depth, strict_unicode=True)
    except UnicodeDecodeError:
        raise SimError(400, "the body is not UTF-8") from None
    except BodyError as exc:
        raise SimError(400, f"the body is not standard JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise SimError(400, "the body must be a JSON object")
    return data


def whole_number(text: str | None, name: str, status: int = 400) -> int | None:
    """An ASCII whole number (up to 18 digits) or None when absent; anything else is `status`."""
    if text is None:
        return None
    if _DIGITS.fullmatch(text) is None:
        raise SimError(status, f"{name} must be a whole number of up to 18 digits, not {text[:40]!r}")
    return int(text)


def finite_number(value: object, name: str, low: float, high: float) -> float:
    """A JSON number (not a boolean), finite and within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SimError(400, f"{name} must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise SimError(400, f"{name} must be a finite number")
    if not low <= value <= high:
        raise SimError(400, f"{name} must be from {low:g} to {high:g}, not {str(value)[:40]}")
    return float(value)
