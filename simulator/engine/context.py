"""What a handler gets (Ctx) and what it gives back (Reply).

A handler reads the request (`method`, `path`, `params`, `query`, `headers`, `body`, `account`), reaches its
account's records through `ctx.scope` (a record of another account is not found), and the provider's services
through `ctx.env` (declarations, clock in the provider's time zone, money, randomness, state machines, outbox).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.behaviour.config import Plan, ProviderConfig
from simulator.engine.accounts import Account
from simulator.engine.env import ProviderEnv
from simulator.engine.rules import fill, property_messages
from simulator.records import JSON
from simulator.spec.loader import OperationSpec
from simulator.store.scope import NO_TAGS, Scope, Tags

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(init=False, slots=True)
class Reply:
    status: int
    body: JSON
    headers: dict[str, str]
    raw: bytes | None  # a body already encoded (HTML, PDF, plain text)
    content_type: str

    def __init__(self, status: int, body: JSON, headers: dict[str, str] | None = None, raw: bytes | None = None,
                 content_type: str = "application/json") -> None:
        self.status = status
        self.body = body
        self.headers = {} if headers is None else headers
        self.raw = raw
        self.content_type = content_type


@dataclass(init=False, slots=True)
class Ctx:
    env: ProviderEnv
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_body: bytes
    op: OperationSpec | None
    params: dict[str, str]
    body: JSON
    account: Account | None
    scenarios: list[str]
    plan: Plan | None  # an outcome a scenario set for what this request creates
    webhook_chaos: dict[str, JSON]
    violations: list[str]
    warnings: list[str]  # journalled beside violations; never change the answer
    refused: dict[str, list[str]]  # fields a guard refused before validation
    wrong_content_type: str | None  # the body's media type when the operation does not take it
    scenario_applied: str | None
    client: str  # the client's address (scope["client"] host)
    scheme: str  # the scheme the request came in with (https through `serve --tls`)
    response_headers: dict[str, str]  # added to whatever answer is given
    _scope: Scope | None

    def __init__(self, env: ProviderEnv, method: str, path: str, query: dict[str, str], headers: dict[str, str],
                 raw_body: bytes, op: OperationSpec | None = None, params: dict[str, str] | None = None,
                 body: JSON = None, account: Account | None = None, scenarios: list[str] | None = None,
                 plan: Plan | None = None, webhook_chaos: dict[str, JSON] | None = None,
                 violations: list[str] | None = None, warnings: list[str] | None = None,
                 refused: dict[str, list[str]] | None = None, wrong_content_type: str | None = None,
                 scenario_applied: str | None = None, client: str = "", scheme: str = "http",
                 response_headers: dict[str, str] | None = None, _scope: Scope | None = None) -> None:
        # written out rather than generated: one context per request, and no default factory called per field
        self.env = env
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.raw_body = raw_body
        self.op = op
        self.params = {} if params is None else params
        self.body = body
        self.account = account
        self.scenarios = [] if scenarios is None else scenarios
        self.plan = plan
        self.webhook_chaos = {} if webhook_chaos is None else webhook_chaos
        self.violations = [] if violations is None else violations
        self.warnings = [] if warnings is None else warnings
        self.refused = {} if refused is None else refused
        self.wrong_content_type = wrong_content_type
        self.scenario_applied = scenario_applied
        self.client = client
        self.scheme = scheme
        self.response_headers = {} if response_headers is None else response_headers
        self._scope = _scope

    @property
    def config(self) -> ProviderConfig:
        return self.env.config

    @property
    def scope(self) -> Scope:
        """The records of the request's account, tagged with its scenarios and chaos (an unauthenticated
        operation, such as a provider's inbound notification, sees the provider-wide view)."""
        if self._scope is None:
            tags = Tags(tuple(self.scenarios), dict(self.webhook_chaos) or None) if (
                self.scenarios or self.webhook_chaos) else NO_TAGS
            self._scope = self.env.records(self.account.id if self.account is not None else None, tags)
        return self._scope

    @property
    def account_id(self) -> str:
        assert self.account is not None, "this operation is not authenticated"
        return self.account.id

    @property
    def data(self) -> "Mapping[str, JSON]":
        """The body as a mapping ({} when it is none)."""
        return self.body if isinstance(self.body, dict) else {}

    def message(self, field: str, rule: str, **values: JSON) -> str:
        """The provider's message for a field that broke a rule: the property's `x-messages[rule]` in the
        operation's request schema, else the provider's template (behaviour.yaml `validation.messages`)."""
        own = property_messages(self.op.request_schema if self.op else None, field)
        templates = self.config.validation.messages
        template = own.get(rule) or templates.get(rule) or own.get("default") or templates.get(
            "default", "The {field} field is invalid.")
        return fill(template, {"field": field, **values})

    def warn(self, text: str) -> None:
        """Note in the journal that the request broke a rule the provider's documents do not state (it is served
        all the same): `warnings` beside `violations`, listed apart by the report and the dashboard."""
        if text not in self.warnings:
            self.warnings.append(text)

    def input(self, name: str, default: JSON = None) -> JSON:
        """A request value from the body, else the query string (as Laravel's $request->input)."""
        if isinstance(self.body, dict) and name in self.body:
            return self.body[name]
        return self.query.get(name, default)

    @property
    def base_url(self) -> str:
        """The scheme and host of links the provider returns: --public-url, else the (checked) Host this
        request came through."""
        if self.scheme == "https" and "x-forwarded-proto" not in self.headers:
            return self.env.link_base({**self.headers, "x-forwarded-proto": "https"})
        return self.env.link_base(self.headers)

    def provider_url(self, path: str) -> str:
        return f"{self.base_url}/{self.env.key}{path}"
