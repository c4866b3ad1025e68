"""Scenarios as loaded: rules, their `match` conditions (value matchers) and their effects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, NotRequired, Protocol, TypedDict, TypeGuard

import re2  # type: ignore[import-untyped]

from simulator.engine.context import Ctx
from simulator.engine.dotted import MISSING, lookup

Matcher = Callable[[object], bool]


class Pattern(Protocol):
    """A compiled RE2 pattern (the `re2` module has no type hints)."""
    def fullmatch(self, text: str) -> object | None: ...


class RespondSpec(TypedDict, total=False):
    """A rule's `respond:` as loaded: a status, headers and body, or one of the provider's named errors."""
    error: str
    status: int
    headers: dict[str, str]
    values: dict[str, object]
    body: object


class OutcomeSpec(TypedDict):
    """A rule's `outcome:` as loaded (the fields of a Plan)."""
    status: str
    after_seconds: NotRequired[float]
    after_reads: NotRequired[int]
    message: NotRequired[str]


class ScenarioInfo(TypedDict):
    """A scenario as the control API lists it (`loaded`: the names a POST loaded)."""
    name: str
    provider: str
    description: str
    source: str
    active: bool
    origin: str
    rules: int
    loaded: NotRequired[list[str]]
OPERATORS = ("regex", "gte", "lte", "gt", "lt", "in", "exists", "not")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value is MISSING:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def equal(value: object, expected: object) -> bool:
    """Exact match, lenient across JSON and form bodies: 500 == "500" == 500.0, true == "true"."""
    if value is MISSING:
        return False
    if value == expected and type(value) is not bool and type(expected) is not bool:
        return True
    if isinstance(value, (dict, list)) or isinstance(expected, (dict, list)):
        return bool(value == expected)
    if isinstance(expected, bool) or isinstance(value, bool):
        return str(value).lower() == str(expected).lower()
    if expected is None or value is None:
        return value is None and expected is None
    a, b = _number(value), _number(expected)
    if a is not None and b is not None:
        return a == b
    return str(value) == str(expected)


def is_operator_map(spec: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(spec, dict) and bool(spec) and all(k in OPERATORS for k in spec)


def compile_matcher(spec: object) -> Matcher:
    """A value spec: an exact value, {regex|gte|lte|gt|lt|in|exists|not: ...}, or a mapping of nested specs."""
    if is_operator_map(spec):
        checks = [_operator(op, arg) for op, arg in spec.items()]
        return lambda value: all(check(value) for check in checks)
    if isinstance(spec, dict):
        nested = {k: compile_matcher(v) for k, v in spec.items()}
        return lambda value: isinstance(value, dict) and all(m(lookup(value, k)) for k, m in nested.items())
    return lambda value: equal(value, spec)


class RegexError(ValueError):
    """A `regex` matcher RE2 cannot compile (RE2 has no backreferences or lookaround)."""


def compile_regex(pattern: str) -> Pattern:
    """A `regex` matcher's pattern, compiled by RE2: matching is linear in the text, so no pattern can hang the
    server (`(a+)+b` included). Python `re` syntax without backreferences and lookaround."""
    options = re2.Options()
    options.log_errors = False
    try:
        compiled: Pattern = re2.compile(pattern, options)
        return compiled
    except re2.error as exc:
        message = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise RegexError(f"{message} (RE2 syntax: no backreferences or lookaround)") from None


def _operator(op: str, arg: Any) -> Matcher:
    if op == "regex":
        pattern = compile_regex(str(arg))
        return lambda v: v is not MISSING and v is not None and pattern.fullmatch(str(v)) is not None
    if op == "exists":
        return lambda v: (v is not MISSING) == bool(arg)
    if op == "in":
        options = list(arg)
        return lambda v: any(equal(v, o) for o in options)
    if op == "not":
        inner = compile_matcher(arg)
        return lambda v: v is not MISSING and not inner(v)
    bound = float(arg)
    compare: dict[str, Callable[[float], bool]] = {
        "gte": lambda n: n >= bound, "lte": lambda n: n <= bound,
        "gt": lambda n: n > bound, "lt": lambda n: n < bound}
    test = compare[op]

    def ranged(v: object) -> bool:
        n = _number(v)
        return n is not None and test(n)
    return ranged


def path_pattern(template: str) -> Pattern:
    """A provider-relative path, `{name}` segments matching any one segment (RE2: linear however it is cut)."""
    parts = re.split(r"(\{[^/{}]+\})", template.rstrip("/") or "/")
    regex = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return compile_regex(regex + "/?")


@dataclass
class Match:
    operations: tuple[str, ...] = ()
    method: str | None = None
    path: str | None = None
    account: str | None = None
    body: dict[str, Matcher] = field(default_factory=dict)
    query: dict[str, Matcher] = field(default_factory=dict)
    headers: dict[str, Matcher] = field(default_factory=dict)
    calls_from: int | None = None
    calls_to: int | None = None

    def __post_init__(self) -> None:
        self._path = path_pattern(self.path) if self.path else None

    def holds(self, ctx: Ctx) -> bool:
        """Everything but the call count."""
        if self.operations and (ctx.op is None or ctx.op.id not in self.operations):
            return False
        if self.method is not None and ctx.method.upper() != self.method:
            return False
        if self._path is not None and self.path is not None:
            template = ctx.op.path if ctx.op is not None else None
            if template != self.path and self._path.fullmatch(ctx.path) is None:
                return False
        if self.account is not None and (ctx.account is None or ctx.account.id != self.account):
            return False
        body = ctx.body if isinstance(ctx.body, dict) else {}
        if any(not m(lookup(body, k)) for k, m in self.body.items()):
            return False
        if any(not m(ctx.query.get(k, MISSING)) for k, m in self.query.items()):
            return False
        return all(m(ctx.headers.get(k, MISSING)) for k, m in self.headers.items())

    def in_range(self, call: int) -> bool:
        if self.calls_from is not None and call < self.calls_from:
            return False
        return self.calls_to is None or call <= self.calls_to


@dataclass
class Rule:
    match: Match
    line: int
    respond: RespondSpec | None = None
    latency_ms: float | None = None
    fault: str | None = None
    timeout_seconds: float = 30.0
    outcome: OutcomeSpec | None = None
    webhooks: dict[str, int | float | bool] = field(default_factory=dict)  # webhook chaos
    calls: int = 0  # requests that met `match` (all but `calls`), counted from load

    def applies(self, ctx: Ctx) -> bool:
        if not self.match.holds(ctx):
            return False
        self.calls += 1
        return self.match.in_range(self.calls)


@dataclass
class Scenario:
    name: str
    provider: str
    description: str
    source: str
    rules: list[Rule]
    origin: str = "api"  # builtin | file | api
    active: bool = False
    initially_active: bool = False

    def public(self) -> ScenarioInfo:
        return {"name": self.name, "provider": self.provider, "description": self.description,
                "source": self.source, "active": self.active, "origin": self.origin, "rules": len(self.rules)}

    def restart(self) -> None:
        self.active = self.initially_active
        for rule in self.rules:
            rule.calls = 0
