"""The examples data of one provider (`specs/<key>/examples.yaml`), loaded into typed objects.

Unknown keys and wrong types are load errors naming the file, the example and the key (as scenario files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Mapping

import yaml

from simulator.examples import paths
from simulator.examples.paths import PathError, Token

FILE = "examples.yaml"
KINDS = ("request", "error", "request_only", "setup", "webhook")
RECEIVERS = ("account_webhook",)  # how the replay's webhook receiver is registered (set key `receiver`)
SOURCES = ("seed", "constructed", "catalog")
JSON_TYPES = ("null", "boolean", "number", "string", "array", "object")
ANY = "any"  # a `differ` type: nothing below that path is compared (its value, type and keys may all differ)
MISSING: Final = object()  # a request with no body

SET_KEYS = {"provider", "seed", "era", "era_reason", "credentials", "differ", "extra", "examples", "receiver"}
EXAMPLE_KEYS = {"id", "section", "operation", "kind", "source", "request", "response", "differ", "extra", "replace",
                "before", "account", "credentials", "known_failure", "contradiction", "note", "webhook"}
WEBHOOK_KEYS = {"match"}
REQUEST_KEYS = {"method", "path", "query", "headers", "json", "form", "raw", "basic"}
RESPONSE_KEYS = {"status", "headers", "body", "documented"}
STEP_KEYS = {"advance", "force"}


class ExampleError(Exception):
    """An examples file that cannot be loaded."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: object = MISSING  # the JSON body as the document writes it
    form: dict[str, str] | None = None
    raw: str | None = None
    basic: str | None = None  # "user:password" as curl's -u writes it

    def body_value(self) -> object:
        """The body as data (JSON value or form fields), None when there is none."""
        if self.json is not MISSING:
            return self.json
        return dict(self.form) if self.form is not None else None


@dataclass
class Response:
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: object = MISSING
    documented: bool = True  # False: the document shows no answer; this one is the simulator's stated choice


@dataclass
class Rule:
    path: tuple[Token, ...]
    why: str
    types: tuple[str, ...] = ()  # for `differ`: the JSON types the value may have instead of the document's
    pattern: str | None = None  # for `differ`: a text value must match this regular expression (whole)
    nullable: tuple[str, ...] = ()  # for `differ`: null may stand for a value of these types, and they for null


@dataclass
class Match:
    """A condition on a delivered webhook body: the value at `path` is `value`, or (when `source` is set) the value
    at `source_path` of an earlier example's answer."""
    path: tuple[Token, ...]
    value: object = None
    source: str | None = None
    source_path: tuple[Token, ...] = ()


@dataclass
class Example:
    id: str
    section: str
    operation: str  # for a webhook example: the event the simulator delivers (as /_sim/webhooks names it)
    kind: str
    request: Request | None  # None for a webhook example: an earlier example or its `before` steps make it
    response: Response
    source: str = "seed"
    differ: list[Rule] = field(default_factory=list)
    extra: list[Rule] = field(default_factory=list)
    replace: list[tuple[object, str, tuple[Token, ...]]] = field(default_factory=list)  # (target, example id, path)
    before: list[dict[str, Any]] = field(default_factory=list)
    account: int = 0
    credentials: str = "replaced"  # "as_written": send the document's placeholder credentials unchanged
    known_failure: str | None = None
    contradiction: str | None = None
    note: str | None = None
    match: list[Match] = field(default_factory=list)  # a webhook example: which delivered body it is


@dataclass
class ExampleSet:
    provider: str
    seed: str
    era: str
    era_reason: str
    credentials: dict[str, str]
    examples: list[Example]
    source: Path | None = None
    receiver: str | None = None  # account_webhook: the replay's receiver is each account's webhook URL

    @property
    def start_time(self) -> float:
        return datetime.fromisoformat(self.era.replace("Z", "+00:00")).timestamp()

    def example(self, example_id: str) -> Example:
        for e in self.examples:
            if e.id == example_id:
                return e
        raise KeyError(example_id)


def _check_keys(data: object, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ExampleError(f"{where}: expected a mapping, got {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise ExampleError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    return data


def _text(data: Mapping[str, object], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise ExampleError(f"{where}: `{key}` must be a non-empty string")
    return value


def _strings(data: object, where: str) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, (str, int, float)) for v in data.values()):
        raise ExampleError(f"{where}: expected a mapping of names to text values")
    return {str(k): str(v) for k, v in data.items()}


def _path(text: object, where: str) -> tuple[Token, ...]:
    try:
        return paths.parse(str(text))
    except PathError as exc:
        raise ExampleError(f"{where}: {exc}") from None


def _rules(data: Any, where: str, typed: bool) -> list[Rule]:
    rules: list[Rule] = []
    for raw_path, spec in (data or {}).items():
        at = f"{where} {raw_path}"
        if isinstance(spec, str):
            rules.append(Rule(_path(raw_path, at), spec))
            continue
        if not typed or not isinstance(spec, dict):
            raise ExampleError(f"{at}: expected a reason (text)" + (" or {why, type}" if typed else ""))
        _check_keys(spec, {"why", "type", "pattern", "nullable"}, at)
        kinds = _types(spec.get("type"), at)
        nullable = _types(spec.get("nullable"), at)
        if ANY in nullable:
            raise ExampleError(f"{at}: `nullable` lists JSON types, not {ANY!r}")
        pattern = spec.get("pattern")
        if pattern is not None:
            try:
                re.compile(str(pattern))
            except re.error as exc:
                raise ExampleError(f"{at}: bad pattern: {exc}") from None
        rules.append(Rule(_path(raw_path, at), _text(spec, "why", at), tuple(kinds),
                          None if pattern is None else str(pattern), tuple(nullable)))
    return rules


def _types(value: Any, where: str) -> list[str]:
    kinds = [value] if isinstance(value, str) else list(value or [])
    bad = [k for k in kinds if k not in JSON_TYPES + (ANY,)]
    if bad:
        raise ExampleError(f"{where}: unknown JSON type(s) {bad}; use {list(JSON_TYPES)} or {ANY!r}")
    return kinds


def _request(data: object, where: str) -> Request:
    d = _check_keys(data, REQUEST_KEYS, where)
    bodies = [k for k in ("json", "form", "raw") if k in d]
    if len(bodies) > 1:
        raise ExampleError(f"{where}: give one of json, form or raw, not {bodies}")
    path = _text(d, "path", where)
    if not path.startswith("/"):
        raise ExampleError(f"{where}: `path` starts with '/' (provider-relative): {path!r}")
    form = d.get("form")
    if form is not None:
        form = _strings(form, f"{where} form")
    return Request(method=_text(d, "method", where).upper(), path=path, query=_strings(d.get("query"), where),
                   headers=_strings(d.get("headers"), where), json=d.get("json", MISSING), form=form,
                   raw=d.get("raw"), basic=d.get("basic"))


def _response(data: object, where: str) -> Response:
    d = _check_keys(data, RESPONSE_KEYS, where)
    status = d.get("status")
    if status is not None and not isinstance(status, int):
        raise ExampleError(f"{where}: `status` must be an integer")
    return Response(status=status, headers=_strings(d.get("headers"), where), body=d.get("body", MISSING),
                    documented=bool(d.get("documented", True)))


def _example(data: object, where: str, known: set[str], shared: tuple[list[Rule], list[Rule]]) -> Example:
    d = _check_keys(data, EXAMPLE_KEYS, where)
    ident = _text(d, "id", where)
    where = f"{where} ({ident})"
    kind = _text(d, "kind", where, "request")
    if kind not in KINDS:
        raise ExampleError(f"{where}: `kind` is one of {list(KINDS)}, not {kind!r}")
    source = _text(d, "source", where, "seed")
    if source not in SOURCES:
        raise ExampleError(f"{where}: `source` is one of {list(SOURCES)}, not {source!r}")
    replace = []
    for literal, ref in (d.get("replace") or {}).items():
        other, _, raw_path = str(ref).partition(":")
        if other not in known:
            raise ExampleError(f"{where}: replace {literal!r} refers to {other!r}, not an earlier example")
        if isinstance(literal, str) and literal.startswith("json:"):
            _path(literal[5:], f"{where} replace {literal!r}")
        replace.append((literal, other, _path(raw_path, f"{where} replace {literal!r}")))
    before = list(d.get("before") or [])
    for step in before:
        _check_keys(step, STEP_KEYS, f"{where} before")
    for key in ("known_failure", "contradiction", "note"):
        if key in d and (not isinstance(d[key], str) or not d[key]):
            raise ExampleError(f"{where}: `{key}` must be a non-empty text")
    credentials = _text(d, "credentials", where, "replaced")
    if credentials not in ("replaced", "as_written"):
        raise ExampleError(f"{where}: `credentials` is replaced or as_written")
    if kind == "webhook":
        if "request" in d:
            raise ExampleError(f"{where}: a webhook example sends no request (an earlier example or `before` does)")
        if "webhook" not in d:
            raise ExampleError(f"{where}: a webhook example says which delivery it is: webhook: {{match: {{...}}}}")
    elif "webhook" in d:
        raise ExampleError(f"{where}: `webhook` belongs to a webhook example (kind: webhook)")
    return Example(
        id=ident, section=_text(d, "section", where), operation=_text(d, "operation", where), kind=kind,
        request=None if kind == "webhook" else _request(d.get("request"), f"{where} request"),
        match=_matches(d.get("webhook"), f"{where} webhook", known) if kind == "webhook" else [],
        response=_response(d.get("response") or {}, f"{where} response"), source=source,
        differ=_rules(d.get("differ"), f"{where} differ", typed=True) + shared[0],
        extra=_rules(d.get("extra"), f"{where} extra", typed=False) + shared[1],
        replace=replace, before=before, account=int(d.get("account", 0)), credentials=credentials,
        known_failure=d.get("known_failure"), contradiction=d.get("contradiction"), note=d.get("note"))


def _matches(data: object, where: str, known: set[str]) -> list[Match]:
    d = _check_keys(data, WEBHOOK_KEYS, where)
    match = d.get("match")
    if not isinstance(match, dict) or not match:
        raise ExampleError(f"{where}: `match` maps JSON paths of the delivered body to values")
    out = []
    for raw_path, value in match.items():
        at = f"{where} match {raw_path}"
        if isinstance(value, dict):
            _check_keys(value, {"from"}, at)
            other, _, raw = str(value.get("from", "")).partition(":")
            if other not in known:
                raise ExampleError(f"{at}: `from` names an earlier example and a path (example:$.path)")
            out.append(Match(_path(raw_path, at), source=other, source_path=_path(raw, at)))
        else:
            out.append(Match(_path(raw_path, at), value))
    return out


def parse_set(data: object, where: str) -> ExampleSet:
    d = _check_keys(data, SET_KEYS, where)
    shared = (_rules(d.get("differ"), f"{where} differ", typed=True), _rules(d.get("extra"), f"{where} extra", typed=False))
    examples: list[Example] = []
    for i, raw in enumerate(d.get("examples") or []):
        example = _example(raw, f"{where} examples[{i}]", {e.id for e in examples}, shared)
        if any(e.id == example.id for e in examples):
            raise ExampleError(f"{where}: duplicate example id {example.id!r}")
        examples.append(example)
    era = _text(d, "era", where)
    try:
        datetime.fromisoformat(era.replace("Z", "+00:00"))
    except ValueError:
        raise ExampleError(f"{where}: `era` is not an ISO 8601 time: {era!r}") from None
    receiver = d.get("receiver")
    if receiver is not None and receiver not in RECEIVERS:
        raise ExampleError(f"{where}: `receiver` is one of {list(RECEIVERS)}, not {receiver!r}")
    if receiver is None and any(e.kind == "webhook" for e in examples):
        raise ExampleError(f"{where}: webhook examples need `receiver` (how the replay's receiver gets them)")
    return ExampleSet(provider=_text(d, "provider", where), seed=_text(d, "seed", where), era=era,
                      era_reason=_text(d, "era_reason", where, ""), credentials=_strings(d.get("credentials"), where),
                      examples=examples, receiver=receiver)


def load_set(file: Path) -> ExampleSet:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ExampleError(f"{file}: {exc}") from exc
    result = parse_set(data, str(file))
    result.source = file
    return result


def load_all(specs_dir: Path, only: list[str] | None = None) -> list[ExampleSet]:
    """Every provider's examples found under a specs folder (providers without an examples file are skipped)."""
    found = []
    for folder in sorted(p for p in specs_dir.iterdir() if (p / FILE).exists()):
        if only is None or folder.name in only:
            found.append(load_set(folder / FILE))
    return found
