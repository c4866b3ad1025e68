"""Named errors raised anywhere in a request, turned into the provider's own body in one place.

Provider code raises `ProviderError("wallet_forbidden")`; the provider's behaviour.yaml `errors:` table says which
status and body that name has. Validation failures carry their field messages.
"""

from __future__ import annotations

from typing import Any

from simulator.behaviour.config import ErrorDecl

# What the engine answers for its own limits (simulator/limits.py) when a provider's `errors:` table does not name
# them. A provider declares the same names in behaviour.yaml to answer in its own shape.
BUILTIN_ERRORS: dict[str, ErrorDecl] = {
    "bad_request": ErrorDecl(400, {"message": "Bad Request"}),
    "payload_too_large": ErrorDecl(413, {"message": "Payload Too Large"}),
    "uri_too_long": ErrorDecl(414, {"message": "URI Too Long"}),
    "headers_too_large": ErrorDecl(431, {"message": "Request Header Fields Too Large"}),
}


class ProviderError(Exception):
    """An error the provider documents, by the name its behaviour file gives it."""

    def __init__(self, name: str, values: dict[str, Any] | None = None, *,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(name)
        self.name = name
        self.values = values or {}
        self.headers = headers or {}


class ValidationFailed(ProviderError):
    """The request broke the operation's schema: `fields` maps a field to its messages."""

    def __init__(self, fields: dict[str, list[str]], name: str = "validation") -> None:
        first = next(iter(fields.values()), [""])[0] if fields else ""
        super().__init__(name, {"errors": fields, "message": first})
        self.fields = fields


class SimError(Exception):
    """An error of the simulator's own control surface: `{"error": message}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def render(template: Any, values: dict[str, Any]) -> Any:
    """Fill a body template: a string "$name" is replaced by the value; "{name}" inside text is formatted."""
    if isinstance(template, str):
        if template.startswith("$") and template[1:] in values:
            return values[template[1:]]
        if "{" in template:
            try:
                return template.format_map(values)
            except (KeyError, IndexError, ValueError):
                return template
        return template
    if isinstance(template, dict):
        return {k: render(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [render(v, values) for v in template]
    return template
