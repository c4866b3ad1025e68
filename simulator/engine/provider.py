"""A provider at run time: its spec, accounts, auth, routes, validators and the code data cannot say."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from simulator.engine.accounts import Account, build_accounts
from simulator.engine.auth import Authenticator
from simulator.engine.errors import BUILTIN_ERRORS, ProviderError, ValidationFailed, render
from simulator.engine.ratelimit import RateLimit, RateLimiter
from simulator.engine.router import Router
from simulator.jsonio import Encoder, encoder
from simulator.spec.loader import OperationSpec, ProviderSpec, SpecError
from simulator.spec.validation import FieldMessages, Validator, query_schema

if TYPE_CHECKING:
    from simulator.engine.context import Ctx, Reply
    from simulator.lifecycle import TransitionHook
    from simulator.sim import Sim
    from simulator.store.base import Record
    from simulator.webhooks.events import Event
    from simulator.webhooks.outbox import Outgoing

Handler = Callable[["Ctx"], "Reply | Awaitable[Reply]"]


@dataclass
class ProviderHooks:
    """What a provider module registers: handlers by operation id and the few behaviours data cannot say."""

    handlers: dict[str, Handler]
    transitions: dict[str, "TransitionHook"] = field(default_factory=dict)
    webhooks: "Callable[[Sim, Event], list[Outgoing]] | None" = None
    seed: "Callable[[Sim, ProviderRuntime], None] | None" = None
    guards: "dict[str, Callable[[Ctx], None]]" = field(default_factory=dict)  # run before validation
    find: "Callable[[Sim, str], tuple[str, str] | None] | None" = None  # provider id -> (kind, key)
    present: "Callable[[Sim, str, Record], Any] | None" = None  # a resource as the provider shows it


@dataclass
class Operation:
    spec: OperationSpec
    handler: Handler
    body_validator: Validator | None
    query_validator: Validator | None
    validation_error: str
    body_types: list[str]

    @property
    def id(self) -> str:
        return self.spec.id


class ProviderRuntime:
    def __init__(self, spec: ProviderSpec, seed: int) -> None:
        self.spec = spec
        self.key = spec.key
        self.name = spec.name
        b = spec.behaviour
        self.behaviour = b
        self.encode: Encoder = encoder(str(b.get("json_style", "plain")))
        self.php_input = b.get("json_style") == "php"  # a PHP server: json_decode refuses lone surrogates
        self.accounts: list[Account] = build_accounts(spec.key, b, seed)
        self.accounts_by_id = {a.id: a for a in self.accounts}
        self.auth = Authenticator(b.get("auth") or {}, self.accounts)
        self.errors: dict[str, dict[str, Any]] = dict(b.get("errors") or {})
        self.response_headers: list[tuple[bytes, bytes]] = [
            (k.lower().encode(), str(v).encode()) for k, v in (b.get("response_headers") or {}).items()]
        self.hooks = self._load_hooks(b)
        rule = RateLimit.from_data(b.get("rate_limit"))
        self.rate_limiter: RateLimiter | None = RateLimiter(rule) if rule is not None else None
        self.router: Router[Operation] = Router(collapse_slashes=bool(b.get("collapse_slashes", False)),
                                                aliases=tuple(str(a).rstrip("/") for a in b.get("path_aliases") or ()))
        self.operations: dict[str, Operation] = {}
        validation = b.get("validation") or {}
        messages = FieldMessages(**(validation.get("messages") or {}))
        per_op = validation.get("operations") or {}
        for op in spec.operations:
            handler = self.hooks.handlers.get(op.id) or _not_implemented(op.id)
            body_v = Validator(op.request_schema, messages) if op.request_schema else None
            q_schema = query_schema(op.query_params)
            query_v = Validator(q_schema, messages) if q_schema else None
            operation = Operation(op, handler, body_v, query_v, str(per_op.get(op.id, "validation")),
                                  op.body_types)
            self.operations[op.id] = operation
            self.router.add(op.method, op.path, operation)
        missing = [op.id for op in spec.operations if op.id not in self.hooks.handlers]
        self.unimplemented = missing

    def _load_hooks(self, b: dict[str, Any]) -> ProviderHooks:
        """The provider's module: behaviour.yaml `module:` (which must import), else simulator.providers.<key>
        if it exists; with none, every operation answers the provider's `not_implemented` error."""
        declared = b.get("module")
        module_name = str(declared or f"simulator.providers.{self.key}")
        where = self.spec.folder / "behaviour.yaml"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if declared:
                raise SpecError(f"{where}: module {module_name!r} cannot be imported ({exc}; is it on the "
                                "Python path?)") from exc
            if exc.name != module_name:
                raise
            return ProviderHooks(handlers={})
        except Exception as exc:  # the user's module failed while importing
            if not declared:
                raise
            raise SpecError(f"{where}: importing module {module_name!r} failed: {type(exc).__name__}: "
                            f"{exc}") from exc
        hooks = getattr(module, "HOOKS", None)
        if not isinstance(hooks, ProviderHooks):
            raise SpecError(f"{where}: module {module_name!r} has no HOOKS = ProviderHooks(...)")
        return hooks

    def error_reply(self, err: ProviderError) -> tuple[int, Any, dict[str, str]]:
        spec = self.errors.get(err.name) or BUILTIN_ERRORS.get(err.name) or self.errors.get("default") or {
            "status": 500, "body": {"message": err.name}}
        values = dict(spec.get("values") or {})
        values.update(err.values)
        if isinstance(err, ValidationFailed):
            values["summary"] = self._summary(err.fields)
        headers = dict(spec.get("headers") or {})
        headers.update(err.headers)
        return int(spec.get("status", 400)), render(spec.get("body"), values), headers

    def _summary(self, fields: dict[str, list[str]]) -> str:
        """Laravel's 422 `message`: the first message, and how many more there are."""
        messages = [m for msgs in fields.values() for m in msgs]
        if not messages:
            return ""
        more = len(messages) - 1
        forms = (self.behaviour.get("validation") or {}).get("more_errors") or {
            "one": " (and {count} more error)", "many": " (and {count} more errors)"}
        if more == 0:
            return messages[0]
        return messages[0] + str(forms["one" if more == 1 else "many"]).format(count=more)

    def public(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "base_path": f"/{self.key}",
                "operations": [{"id": o.id, "method": o.spec.method, "path": o.spec.path}
                               for o in self.operations.values()],
                "accounts": [a.public() for a in self.accounts]}


def _not_implemented(op_id: str) -> Handler:
    def handler(ctx: "Ctx") -> "Reply":
        raise ProviderError("not_implemented", {"operation": op_id})
    return handler
