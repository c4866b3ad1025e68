"""What recording and comparing need to know about a provider, read from its spec folder (the spec loader).

- where its credentials travel: behaviour.yaml `auth:` (a header, HTTP Basic, form fields) and the names of the
  credentials themselves;
- its operations: which recorded request is which operation, and which path segments are parameters;
- which names carry identifiers: every path parameter of its OpenAPI document and each lifecycle's `key:`;
- what its error answers look like: behaviour.yaml `errors:` (an HTTP status >= 400, or a 2xx body that carries an
  error template's fixed values, such as WidePay's `success: false`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from simulator.behaviour.config import ProviderConfig
from simulator.engine.provider import load_provider
from simulator.settings import DEFAULT_SPECS
from simulator.spec.loader import OpenAPI, SpecError, provider_folders

_PARAM = re.compile(r"\{([^/{}]+)\}")


class UnknownProvider(Exception):
    """No spec folder for that provider key."""


@dataclass(frozen=True)
class OperationInfo:
    id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    params: tuple[str, ...]

    @property
    def literal_segments(self) -> int:
        return self.template.count("/") - len(self.params)


def _compile(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    parts = re.split(r"(\{[^/{}]+\})", template.rstrip("/") or "/")
    regex = "".join("([^/]+)" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile(regex + "/?"), tuple(_PARAM.findall(template))


class ErrorFacts(TypedDict):
    """One of the provider's named errors: its status and its body template."""
    status: int
    body: object


def _literals(template: object) -> dict[str, object]:
    """The fixed non-text values of an error body template (e.g. `success: false`), by top-level key."""
    if not isinstance(template, dict):
        return {}
    return {k: v for k, v in template.items() if isinstance(v, (bool, int, float)) or v is None}


class ProviderFacts:
    def __init__(self, config: ProviderConfig, openapi: OpenAPI) -> None:
        self.key = config.key
        self.name = config.name
        auth = config.auth
        self.auth = auth
        self.scheme = auth.scheme
        self.collapse_slashes = config.collapse_slashes
        self.aliases = tuple(a.rstrip("/") for a in config.path_aliases)  # base paths also served
        self.operations: list[OperationInfo] = []
        for op in openapi.operations:
            pattern, params = _compile(op.path)
            self.operations.append(OperationInfo(op.id, op.method, op.path, pattern, params))
        # literal segments win over parameters (`/pix/static` before `/pix/{id}`)
        self._ordered = sorted(self.operations, key=lambda o: (len(o.params), -o.literal_segments, o.template))
        self.credential_headers: set[str] = set()
        if self.scheme in ("bearer", "basic"):
            self.credential_headers.add("authorization")
        elif self.scheme in ("header", "constant"):
            self.credential_headers.add(auth.name.lower())
        self.form_fields: list[str] = list(auth.form_fields)
        # the credentials' own names (`token`, `auth_token`, `conta`, `api_key`): secret wherever they appear
        self.credential_names: set[str] = {n for n in (auth.credential if auth.scheme != "basic" else None,
                                                       auth.username, auth.password) if n}
        hooks = config.webhooks
        self.signature_header = (hooks.signature_header or "").lower() or None
        self.event_header = str(hooks.extra.get("event_header") or "").lower() or None
        # headers the simulator adds to every answer of this provider (behaviour.yaml `response_headers:`)
        self.response_headers = {k.lower(): v for k, v in config.response_headers.items()}
        self.id_names: set[str] = {p for op in self.operations for p in op.params}
        for machine in config.lifecycles.values():
            self.id_names.add(machine.key)
        self.errors: dict[str, ErrorFacts] = {
            name: {"status": e.status, "body": e.body} for name, e in config.errors.items()}

    # --- operations -----------------------------------------------------------------------------------------

    def match(self, method: str, path: str) -> tuple[OperationInfo, dict[str, str]] | None:
        """The operation a provider-relative request path is, with its path parameters."""
        if self.collapse_slashes:
            path = re.sub(r"/{2,}", "/", path)
        for alias in self.aliases:
            if path.startswith(alias) and path[len(alias):len(alias) + 1] in ("", "/"):
                path = path[len(alias):] or "/"
                break
        method = method.upper()
        for wanted in (method, "GET") if method == "HEAD" else (method,):
            for op in self._ordered:
                if op.method != wanted:
                    continue
                hit = op.pattern.fullmatch(path)
                if hit is not None:
                    return op, dict(zip(op.params, hit.groups()))
        return None

    def operation_id(self, method: str, path: str) -> str | None:
        hit = self.match(method, path)
        return hit[0].id if hit else None

    # --- answers --------------------------------------------------------------------------------------------

    def is_error_answer(self, status: int, body: object) -> bool:
        """An HTTP error, or a 2xx body carrying the fixed values of one of the provider's error templates."""
        if status >= 400:
            return True
        if not isinstance(body, dict):
            return False
        for spec in self.errors.values():
            if int(spec.get("status", 400)) >= 400:
                continue
            fixed = _literals(spec.get("body"))
            if fixed and all(k in body and body[k] == v and type(body[k]) is type(v) for k, v in fixed.items()):
                return True
        return False

    def rejects_credentials(self, status: int, body: object) -> bool:
        """Whether an answer is the provider's `unauthenticated` error (its status, and its fixed texts)."""
        spec = self.errors.get("unauthenticated")
        if spec is None:
            return status == 401
        if status != int(spec.get("status", 401)):
            return False
        template = spec.get("body")
        if status >= 400 or not isinstance(template, dict) or not isinstance(body, dict):
            return status >= 400
        texts = {k: v for k, v in template.items() if isinstance(v, str) and "$" not in v and "{" not in v}
        return bool(texts) and all(body.get(k) == v for k, v in texts.items())


def load_facts(provider: str, specs_dir: Path | None = None) -> ProviderFacts:
    """The facts of one provider from `specs_dir` (default: the built-in specs)."""
    root = specs_dir or DEFAULT_SPECS
    folder = root / provider
    if not (folder / "openapi.yaml").exists():
        try:
            known = sorted(provider_folders(root))
        except (OSError, SpecError):
            known = []
        raise UnknownProvider(f"unknown provider {provider!r}; known: {', '.join(known)}")
    config, openapi, _ = load_provider(folder, provider)
    return ProviderFacts(config, openapi)
