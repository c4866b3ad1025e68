"""Scenario files -> Scenario objects, strictly: an unknown key or a bad value names the file, line and key.

The format is /work/shared/reference/control-api.md "Scenario files"; docs/scenarios.md documents it for users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from simulator.limits import Limits
from simulator.scenarios.model import (
    OPERATORS, Match, Matcher, OutcomeSpec, RegexError, RespondSpec, Rule, Scenario, compile_matcher, compile_regex,
    is_operator_map,
)
from simulator.spec.marked import MarkedDict, MarkedList, MarkedYAMLError, parse

FAULTS = ("connection_reset", "empty_reply", "timeout")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
TOP_KEYS = ("name", "provider", "description", "rules")
RULE_KEYS = ("match", "respond", "latency_ms", "fault", "timeout_seconds", "outcome", "webhooks")
MATCH_KEYS = ("operation", "method", "path", "account", "body", "query", "headers", "calls")
RESPOND_KEYS = ("status", "headers", "body", "error", "values")
OUTCOME_KEYS = ("status", "after_seconds", "after_reads", "message")
CHAOS_KEYS = ("duplicate", "out_of_order", "delay_seconds", "drop", "bad_signature")


class ScenarioLoadError(Exception):
    def __init__(self, source: str, line: int, key: str, message: str) -> None:
        super().__init__(f"scenario file {source}, line {line}, key {key!r}: {message}")
        self.source, self.line, self.key, self.message = source, line, key, message


@dataclass
class ProviderFacts:
    """What a scenario may name for one provider."""
    operations: set[str]
    errors: set[str]
    states: set[str]
    accounts: set[str] = field(default_factory=set)


class _Reader:
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits

    def fail(self, line: int, key: str, message: str) -> ScenarioLoadError:
        return ScenarioLoadError(self.source, line, key, message)

    def mapping(self, value: object, line: int, key: str, allowed: tuple[str, ...]) -> MarkedDict:
        if not isinstance(value, MarkedDict):
            raise self.fail(line, key, f"must be a mapping, not {_kind(value)}")
        for name in value:
            if name not in allowed:
                raise self.fail(value.line_of(name), f"{key}.{name}" if key else name,
                                f"unknown key; expected one of {', '.join(allowed)}")
        return value

    def text(self, value: object, line: int, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(line, key, f"must be a non-empty string, not {_kind(value)}")
        return value

    def number(self, value: object, line: int, key: str, low: float = 0, high: float = 86_400 * 365) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise self.fail(line, key, f"must be a number from {low:g} to {high:g}, not {value!r}")
        return float(value)

    def integer(self, value: object, line: int, key: str, low: int = 1, high: int = 10**9) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(line, key, f"must be a whole number from {low} to {high}, not {value!r}")
        return value

    def flag(self, value: object, line: int, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(line, key, f"must be true or false, not {value!r}")
        return value


def _kind(value: object) -> str:
    return {dict: "a mapping", MarkedDict: "a mapping", list: "a list", MarkedList: "a list",
            str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(type(value), "null")


def load(text: str, source: str, facts: dict[str, ProviderFacts], limits: Limits | None = None) -> list[Scenario]:
    """Every scenario document in the text (usually one)."""
    lim = limits or Limits()
    try:
        docs = parse(text, lim)
    except MarkedYAMLError as exc:
        raise ScenarioLoadError(source, exc.line, exc.key or "", exc.message) from exc
    if not docs:
        raise ScenarioLoadError(source, 1, "", "the file holds no scenario")
    return [_scenario(_Reader(source, lim), doc, facts) for doc in docs]


def _scenario(r: _Reader, doc: object, facts: dict[str, ProviderFacts]) -> Scenario:
    doc = r.mapping(doc, getattr(doc, "line", 1), "", TOP_KEYS)
    for required in ("name", "provider", "rules"):
        if required not in doc:
            raise r.fail(doc.line, required, "is required")
    name = r.text(doc["name"], doc.line_of("name"), "name")
    if not NAME.fullmatch(name):
        raise r.fail(doc.line_of("name"), "name", "use letters, digits, '-', '_' or '.' (no spaces or commas)")
    provider = r.text(doc["provider"], doc.line_of("provider"), "provider")
    if provider not in facts:
        raise r.fail(doc.line_of("provider"), "provider", f"unknown provider {provider!r}; known: {sorted(facts)}")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise r.fail(doc.line_of("description"), "description", "must be a string")
    rules = doc["rules"]
    if not isinstance(rules, MarkedList) or not rules:
        raise r.fail(doc.line_of("rules"), "rules", "must be a non-empty list of rules")
    parsed = [_rule(r, item, rules.line_of(i), f"rules[{i}]", facts[provider]) for i, item in enumerate(rules)]
    return Scenario(name=name, provider=provider, description=description.strip(), source=r.source, rules=parsed)


def _rule(r: _Reader, item: object, line: int, key: str, facts: ProviderFacts) -> Rule:
    d = r.mapping(item, line, key, RULE_KEYS)
    rule = Rule(match=_match(r, d.get("match"), d.line_of("match"), f"{key}.match", facts), line=d.line)
    if "respond" in d:
        rule.respond = _respond(r, d["respond"], d.line_of("respond"), f"{key}.respond", facts)
    if "latency_ms" in d:
        rule.latency_ms = r.number(d["latency_ms"], d.line_of("latency_ms"), f"{key}.latency_ms", 0, 600_000)
    if "fault" in d:
        if d["fault"] not in FAULTS:
            raise r.fail(d.line_of("fault"), f"{key}.fault", f"must be one of {', '.join(FAULTS)}, not {d['fault']!r}")
        rule.fault = str(d["fault"])
    if "timeout_seconds" in d:
        rule.timeout_seconds = r.number(d["timeout_seconds"], d.line_of("timeout_seconds"),
                                        f"{key}.timeout_seconds", 0.001, 3600)
    if "outcome" in d:
        rule.outcome = _outcome(r, d["outcome"], d.line_of("outcome"), f"{key}.outcome", facts)
    if "webhooks" in d:
        rule.webhooks = _chaos(r, d["webhooks"], d.line_of("webhooks"), f"{key}.webhooks")
    return rule


def _match(r: _Reader, value: object, line: int, key: str, facts: ProviderFacts) -> Match:
    if value is None:
        return Match()
    d = r.mapping(value, line, key, MATCH_KEYS)
    m = Match()
    if "operation" in d:
        line, ops = d.line_of("operation"), d["operation"]
        names = [r.text(op, line, f"{key}.operation") for op in (ops if isinstance(ops, list) and ops else [ops])]
        for op in names:
            if op not in facts.operations:
                raise r.fail(line, f"{key}.operation",
                             f"unknown operation {op!r}; known: {', '.join(sorted(facts.operations))}")
        m.operations = tuple(names)
    if "method" in d:
        m.method = r.text(d["method"], d.line_of("method"), f"{key}.method").upper()
    if "path" in d:
        m.path = r.text(d["path"], d.line_of("path"), f"{key}.path")
        if not m.path.startswith("/"):
            raise r.fail(d.line_of("path"), f"{key}.path", "must start with / (relative to the provider's base)")
    if "account" in d:
        m.account = r.text(d["account"], d.line_of("account"), f"{key}.account")
        if facts.accounts and m.account not in facts.accounts:
            raise r.fail(d.line_of("account"), f"{key}.account",
                         f"unknown account {m.account!r}; known: {', '.join(sorted(facts.accounts))}")
    if "body" in d:
        m.body = _values(r, d["body"], d.line_of("body"), f"{key}.body")
    if "query" in d:
        m.query = _values(r, d["query"], d.line_of("query"), f"{key}.query")
    if "headers" in d:
        m.headers = _values(r, d["headers"], d.line_of("headers"), f"{key}.headers", lower=True)
    if "calls" in d:
        c = r.mapping(d["calls"], d.line_of("calls"), f"{key}.calls", ("from", "to"))
        if "from" in c:
            m.calls_from = r.integer(c["from"], c.line_of("from"), f"{key}.calls.from")
        if "to" in c:
            m.calls_to = r.integer(c["to"], c.line_of("to"), f"{key}.calls.to")
        if m.calls_from is not None and m.calls_to is not None and m.calls_to < m.calls_from:
            raise r.fail(c.line_of("to"), f"{key}.calls.to", "must not be less than `from`")
    m.__post_init__()
    return m


def _values(r: _Reader, value: object, line: int, key: str, lower: bool = False) -> dict[str, Matcher]:
    if not isinstance(value, MarkedDict):
        raise r.fail(line, key, f"must be a mapping of names to values, not {_kind(value)}")
    out = {}
    for name, spec in value.items():
        _check_spec(r, spec, value.line_of(name), f"{key}.{name}")
        out[name.lower() if lower else name] = compile_matcher(spec)
    return out


def _check_spec(r: _Reader, spec: object, line: int, key: str) -> None:
    if not isinstance(spec, dict):
        return
    ops = [k for k in spec if k in OPERATORS]
    if ops and not is_operator_map(spec):
        others = [k for k in spec if k not in OPERATORS]
        raise r.fail(line, f"{key}.{others[0]}", f"cannot mix matchers ({', '.join(ops)}) with field names")
    if not ops:
        for name, inner in spec.items():
            _check_spec(r, inner, spec.line_of(name) if isinstance(spec, MarkedDict) else line, f"{key}.{name}")
        return
    for op, arg in spec.items():
        sub = spec.line_of(op) if isinstance(spec, MarkedDict) else line
        if op == "regex":
            pattern = str(arg)
            if len(pattern.encode("utf-8")) > r.limits.max_regex_bytes:
                raise r.fail(sub, f"{key}.regex", f"longer than {r.limits.max_regex_bytes} bytes (max_regex_bytes)")
            try:
                compile_regex(pattern)
            except RegexError as exc:
                raise r.fail(sub, f"{key}.regex", f"not a valid regular expression: {exc}") from exc
        elif op in ("gte", "lte", "gt", "lt"):
            r.number(arg, sub, f"{key}.{op}", -1e18, 1e18)
        elif op == "in" and not isinstance(arg, list):
            raise r.fail(sub, f"{key}.in", "must be a list of values")
        elif op == "exists":
            r.flag(arg, sub, f"{key}.exists")
        elif op == "not":
            _check_spec(r, arg, sub, f"{key}.not")


def _respond(r: _Reader, value: object, line: int, key: str, facts: ProviderFacts) -> RespondSpec:
    d = r.mapping(value, line, key, RESPOND_KEYS)
    out: RespondSpec = {}
    if "error" in d:
        out["error"] = r.text(d["error"], d.line_of("error"), f"{key}.error")
        if out["error"] not in facts.errors:
            raise r.fail(d.line_of("error"), f"{key}.error",
                         f"unknown error name {out['error']!r}; known: {', '.join(sorted(facts.errors))}")
    elif "status" not in d:
        raise r.fail(d.line, f"{key}.status", "is required (or name one of the provider's errors with `error`)")
    if "status" in d:
        out["status"] = r.integer(d["status"], d.line_of("status"), f"{key}.status", 100, 599)
    if "headers" in d:
        h = d["headers"]
        if not isinstance(h, dict) or any(isinstance(v, (dict, list)) or v is None for v in h.values()):
            raise r.fail(d.line_of("headers"), f"{key}.headers", "must map header names to text values")
        out["headers"] = {str(k): str(v) for k, v in h.items()}
    if "values" in d:
        if not isinstance(d["values"], dict):
            raise r.fail(d.line_of("values"), f"{key}.values", "must be a mapping")
        out["values"] = dict(d["values"])
    if "body" in d:
        out["body"] = _plain(d["body"])
    return out


def _outcome(r: _Reader, value: object, line: int, key: str, facts: ProviderFacts) -> OutcomeSpec:
    d = r.mapping(value, line, key, OUTCOME_KEYS)
    if "status" not in d:
        raise r.fail(d.line, f"{key}.status", "is required")
    status = r.text(d["status"], d.line_of("status"), f"{key}.status")
    if facts.states and status not in facts.states:
        raise r.fail(d.line_of("status"), f"{key}.status",
                     f"unknown status {status!r}; the provider's states are {', '.join(sorted(facts.states))}")
    out: OutcomeSpec = {"status": status}
    if "after_seconds" in d:
        out["after_seconds"] = r.number(d["after_seconds"], d.line_of("after_seconds"), f"{key}.after_seconds")
    if "after_reads" in d:
        out["after_reads"] = r.integer(d["after_reads"], d.line_of("after_reads"), f"{key}.after_reads")
    if "message" in d:
        out["message"] = r.text(d["message"], d.line_of("message"), f"{key}.message")
    return out


def _chaos(r: _Reader, value: object, line: int, key: str) -> dict[str, int | float | bool]:
    d = r.mapping(value, line, key, CHAOS_KEYS)
    out: dict[str, int | float | bool] = {}
    if "duplicate" in d:
        v = d["duplicate"]
        out["duplicate"] = 1 if v is True else r.integer(v, d.line_of("duplicate"), f"{key}.duplicate", 1, 10)
    for name in ("out_of_order", "drop", "bad_signature"):
        if name in d:
            out[name] = r.flag(d[name], d.line_of(name), f"{key}.{name}")
    if "delay_seconds" in d:
        out["delay_seconds"] = r.number(d["delay_seconds"], d.line_of("delay_seconds"), f"{key}.delay_seconds")
    return {k: v for k, v in out.items() if v is not False}


def _plain(value: object) -> object:
    """Marked containers back to plain dicts and lists (JSON-able bodies)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
