"""The provider contract (`ProviderHooks`: what a provider package registers) and a provider at run time
(`ProviderRuntime`: its env, accounts, auth, routes, operations and error table).

A provider package has one fixed layout (docs/architecture.md "A provider package"): `__init__.py` exposes
`HOOKS = ProviderHooks(...)`; handlers are registered by operation id; the other hooks are the few things data
cannot say. Every hook gets the provider's env (never the whole simulator).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from simulator.behaviour.config import ProviderConfig
from simulator.behaviour.load import load as load_behaviour
from simulator.behaviour.load import module_of
from simulator.behaviour.schema import Schema
from simulator.engine.accounts import Account
from simulator.engine.auth import Authenticator
from simulator.engine.context import Ctx, Reply
from simulator.engine.env import ProviderEnv, TimerHook
from simulator.engine.errors import BUILTIN_ERRORS, ProviderError, ValidationFailed, render
from simulator.engine.operation import Check, Guard, Handler, Operation
from simulator.engine.ratelimit import RateLimiter
from simulator.engine.rules import Rules
from simulator.engine.router import Router
from simulator.jsonio import Encoder, encoder
from simulator.lifecycle import Move
from simulator.records import JSON, Record
from simulator.spec.loader import OpenAPI, SpecError, read_openapi
from simulator.spec.validation import FieldMessages, Validator, query_schema
from simulator.webhooks.events import Event
from simulator.webhooks.outbox import Delivery, Outgoing

if TYPE_CHECKING:
    from starlette.routing import BaseRoute


@dataclass(frozen=True)
class PaymentCodes:
    """What a payer pays a record with: a Pix copy-and-paste code (BR Code), a boleto (barcode or linha)."""
    pix: str | None = None
    boleto: str | None = None


@dataclass
class ProviderHooks:
    """What a provider package registers: handlers by operation id and the few behaviours data cannot say."""

    handlers: dict[str, Handler]
    guards: dict[str, Guard] = field(default_factory=dict)  # op id -> check before validation
    checks: dict[str, Check] = field(default_factory=dict)  # op id -> rules a schema cannot say
    transitions: dict[str, Callable[[ProviderEnv, Move], None]] = field(default_factory=dict)  # kind -> hook
    webhooks: Callable[[ProviderEnv, Event], list[Outgoing]] | None = None  # an event's deliveries
    webhook_result: Callable[[ProviderEnv, Delivery], None] | None = None  # each attempt of a `notify` delivery
    seed: Callable[[ProviderEnv], None] | None = None  # the provider's seed records (once per store)
    find: Callable[[ProviderEnv, str], tuple[str, str] | None] | None = None  # any provider id -> (kind, key)
    present: Callable[[ProviderEnv, str, Record], JSON] | None = None  # a resource as the provider shows it
    codes: Callable[[ProviderEnv, str, Record], PaymentCodes] | None = None  # payment codes of a record
    payer_links: Callable[[ProviderEnv, str, Record], list[tuple[str, str]]] | None = None  # (label, URL)
    pages: "Callable[[ProviderRuntime], list[BaseRoute]] | None" = None  # the provider's own payer pages
    timers: dict[str, TimerHook] = field(default_factory=dict)  # work the provider schedules (env.at)
    restore: Callable[[ProviderEnv], None] | None = None  # its timers again, at start on a persistent store
    behaviour_schema: dict[str, Schema] = field(default_factory=dict)  # its behaviour.yaml sections


def load_hooks(key: str, module: str | None, folder: Path) -> ProviderHooks:
    """The provider's HOOKS: `module` from behaviour.yaml (a `<module>.py` in the spec folder, else an importable
    module, which must import), else `simulator.providers.<key>` if it exists; a provider without code has handlers
    for nothing (every operation answers its `not_implemented` error)."""
    name = module or f"simulator.providers.{key}"
    where = folder / "behaviour.yaml"
    local = folder / f"{name}.py"
    try:
        if module is not None and local.is_file():
            unique = f"provider_sim_local_{key}_{name}"
            spec = importlib.util.spec_from_file_location(unique, local)
            assert spec is not None and spec.loader is not None
            loaded = importlib.util.module_from_spec(spec)
            sys.modules[unique] = loaded
            spec.loader.exec_module(loaded)
        else:
            loaded = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if module is not None:
            raise SpecError(f"{where}: module {name!r} cannot be imported ({exc}; is it on the Python path?)") from exc
        if exc.name != name:
            raise
        return ProviderHooks(handlers={})
    except Exception as exc:  # the user's module failed while importing
        if module is None:
            raise
        raise SpecError(f"{where}: importing module {name!r} failed: {type(exc).__name__}: {exc}") from exc
    hooks = getattr(loaded, "HOOKS", None)
    if not isinstance(hooks, ProviderHooks):
        raise SpecError(f"{where}: module {name!r} has no HOOKS = ProviderHooks(...)")
    return hooks


def load_provider(folder: Path, key: str | None = None) -> tuple[ProviderConfig, OpenAPI, ProviderHooks]:
    """A provider folder's declarations: its behaviour (checked against the engine's schema and the sections its
    package registers), its OpenAPI document, and its package's hooks."""
    key = key or folder.name
    path = folder / "behaviour.yaml"
    hooks = load_hooks(key, module_of(path), folder)
    config = load_behaviour(path, key, hooks.behaviour_schema)
    return config, read_openapi(folder), hooks


class ProviderRuntime:
    def __init__(self, env: ProviderEnv, openapi: OpenAPI, hooks: ProviderHooks) -> None:
        config = env.config
        self.env = env
        self.config: ProviderConfig = config
        self.key = config.key
        self.name = config.name
        self.openapi = openapi
        self.folder = openapi.folder
        self.hooks = hooks
        self.encode: Encoder = encoder(config.json_style)
        self.php_input = config.json_style == "php"  # a PHP server: json_decode refuses lone surrogates
        self.auth = Authenticator(config.auth, env.accounts)
        self.version_auth = {v.name: Authenticator(v.auth, env.accounts) for v in config.versions if v.auth}
        self.response_headers: list[tuple[bytes, bytes]] = [
            (k.lower().encode(), v.encode()) for k, v in config.response_headers.items()]
        self.rate_limiter: RateLimiter | None = RateLimiter(config.rate_limit) if config.rate_limit else None
        self.router: Router[Operation] = Router(collapse_slashes=config.collapse_slashes,
                                                aliases=tuple(a.rstrip("/") for a in config.path_aliases))
        self.operations: dict[str, Operation] = {}
        msgs = dict(config.validation.messages)
        messages = FieldMessages(required=msgs.pop("required", FieldMessages.required),
                                 default=msgs.pop("default", FieldMessages.default), by_keyword=msgs)
        checks_used: set[str] = set()
        for op in openapi.operations:
            handler = hooks.handlers.get(op.id) or _not_implemented(op.id)
            body_v = Validator(op.request_schema, messages) if op.request_schema else None
            q_schema = query_schema(op.query_params)
            query_v = Validator(q_schema, messages) if q_schema else None
            rules = Rules(op.request_schema, config.validation.messages, config.validation.checks) if (
                op.request_schema) else None
            checks_used |= rules.check_names if rules is not None else set()
            operation = Operation(op, handler, body_v, query_v, config.validation.operations.get(op.id, "validation"),
                                  config.input, config.validation.field_names, hooks.guards.get(op.id),
                                  hooks.checks.get(op.id), rules if rules is not None and rules.fields else None)
            self.operations[op.id] = operation
            self.router.add(op.method, op.path, operation)
        self.unimplemented = [op.id for op in openapi.operations if op.id not in hooks.handlers]
        unused = sorted(set(config.validation.checks) - checks_used)
        if unused:
            raise ValueError(f"validation.checks names {unused}, which no x-rules rule of the spec uses "
                             f"(its checks: {sorted(checks_used) or 'none'})")

    @property
    def accounts(self) -> list[Account]:
        return self.env.accounts

    @property
    def accounts_by_id(self) -> dict[str, Account]:
        return self.env.accounts_by_id

    def authenticator(self, path: str) -> Authenticator:
        """Who may call this provider-relative path: the auth of the version serving it, else the provider's."""
        version = self.config.version_of(path) if self.version_auth else None
        return self.version_auth.get(version.name, self.auth) if version is not None else self.auth

    def error_reply(self, err: ProviderError, path: str = "") -> tuple[int, JSON, dict[str, str]]:
        """The provider's answer for a named error: the `errors:` of the version serving `path` (behaviour.yaml
        `versions:`), else behaviour.yaml `errors:`, else the engine's own limits' errors (engine/errors.py
        BUILTIN_ERRORS), else the provider's `default`."""
        errors = self.config.errors
        version = self.config.version_of(path) if path and self.config.versions else None
        spec = (version.errors.get(err.name) if version is not None else None) or errors.get(err.name) or \
            BUILTIN_ERRORS.get(err.name) or (version.errors.get("default") if version is not None else None) or \
            errors.get("default")
        if spec is None:
            return 500, {"message": err.name}, dict(err.headers)
        values = dict(spec.values)
        values.update(err.values)
        if isinstance(err, ValidationFailed):
            values["summary"] = self._summary(err.fields)
            item = self.config.validation.list_item
            if item:
                values["list"] = [{k: t.format(field=name, message=m) for k, t in item.items()}
                                  for name, msgs in err.fields.items() for m in msgs]
        headers = dict(spec.headers)
        headers.update(err.headers)
        return spec.status, render(spec.body, values), headers

    def _summary(self, fields: dict[str, list[str]]) -> str:
        """Laravel's 422 `message`: the first message, and how many more there are."""
        messages = [m for msgs in fields.values() for m in msgs]
        if not messages:
            return ""
        more = len(messages) - 1
        if more == 0:
            return messages[0]
        v = self.config.validation
        return messages[0] + (v.more_one if more == 1 else v.more_many).format(count=more)

    def context(self, account: Account | None, body: JSON, host: str, path: str = "/",
                method: str = "POST") -> Ctx:
        """A context for a provider page that acts through one of the API's operations as `account`."""
        return Ctx(self.env, method, path, {}, {"host": host}, b"", body=body, account=account)

    async def call(self, op_id: str, ctx: Ctx) -> Reply:
        """Run an operation (guard, cleaning, validation, handler) for a provider page, as a request would."""
        operation = self.operations[op_id]
        ctx.op = operation.spec
        return await operation.run(ctx)

    def public(self) -> dict[str, JSON]:
        return {"key": self.key, "name": self.name, "base_path": f"/{self.key}",
                "operations": [{"id": o.id, "method": o.spec.method, "path": o.spec.path}
                               for o in self.operations.values()],
                "accounts": [a.public() for a in self.accounts]}


def _not_implemented(op_id: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        raise ProviderError("not_implemented", {"operation": op_id})
    return handler
