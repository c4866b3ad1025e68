"""behaviour.yaml -> ProviderConfig, strictly: the file is checked against the engine's schema and the provider's
own sections' schemas, and an unknown key or a wrong type stops start-up naming the file, the line and the key
(as scenario files do)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from simulator.behaviour.config import (AccountDecl, AuthDecl, AutoRule, BalanceDecl, Credential, ErrorDecl,
                                        FieldsDecl, InputDecl, LifecycleDecl, Plan, ProviderConfig, RateLimitDecl,
                                        ValidationDecl, VersionDecl, WebhookDecl)
from simulator.behaviour.money import Money
from simulator.behaviour.schema import ENGINE, WEBHOOKS, Schema, document_schema
from simulator.spec.loader import SpecError, cached
from simulator.spec.marked import MarkedDict, MarkedYAMLError, line_at, parse, plain


class BehaviourError(SpecError):
    """A behaviour file that does not keep the schema: where and why."""

    def __init__(self, source: str, line: int, key: str, message: str) -> None:
        super().__init__(f"behaviour file {source}, line {line}, key {key!r}: {message}")
        self.source, self.line, self.key, self.message = source, line, key, message


def read(path: Path) -> MarkedDict:
    """The file's mapping, with the line of every key."""
    source = str(path)
    try:
        docs = parse(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        raise BehaviourError(source, exc.line, exc.key or "", exc.message) from exc
    except OSError as exc:
        raise BehaviourError(source, 1, "", f"cannot read the file: {exc.strerror or exc}") from exc
    if len(docs) > 1:
        raise BehaviourError(source, 1, "", "a behaviour file holds one document")
    doc = docs[0] if docs else MarkedDict()
    if not isinstance(doc, MarkedDict):
        raise BehaviourError(source, getattr(doc, "line", 1), "", "the file must be a mapping of sections")
    return doc


def _key(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: ValidationError) -> tuple[list[str | int], str]:
    """(path of the offending key, message) of a schema error, in the words of the scenario loader."""
    path = list(err.absolute_path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    custom = schema.get("x-message")  # the schema's own words for a value of the wrong shape
    if isinstance(custom, str) and err.validator in ("type", "required"):
        return path, custom
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = list((schema.get("properties") or {}).keys())
        unknown = sorted(k for k in err.instance if k not in known)
        expected = f"expected one of {', '.join(known)}" if known else "no keys are allowed here"
        return path + unknown[:1], f"unknown key; {expected}"
    if err.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return path + missing[:1], "is required"
    if err.validator == "type":
        value = err.validator_value
        wanted = [str(t) for t in value] if isinstance(value, list) else [str(value)]
        return path, f"must be {' or '.join(_article(t) for t in wanted)}, not {_kind(err.instance)}"
    if err.validator == "enum":
        options = err.validator_value if isinstance(err.validator_value, list) else []
        return path, f"must be one of {', '.join(map(str, options))}, not {err.instance!r}"
    return path, err.message


def _article(t: str) -> str:
    return {"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
            "integer": "a whole number", "boolean": "true or false", "null": "null"}.get(t, t)


def _kind(value: object) -> str:
    """The type a value was read as, by its Python name (dict, list, str, int, float, bool), or null."""
    if value is None:
        return "null"
    for kind in (bool, int, float, str, dict, list):  # the marked YAML's own types are their base types
        if isinstance(value, kind):
            return kind.__name__
    return type(value).__name__


def check(doc: MarkedDict, source: str, sections: Mapping[str, Schema] | None = None) -> None:
    """Raise BehaviourError for the first (most relevant) way the document breaks its schema."""
    validator = Draft202012Validator(document_schema(dict(sections or {})))
    err = best_match(validator.iter_errors(doc))
    if err is None:
        return
    path, message = _describe(err)
    raise BehaviourError(source, line_at(doc, path), _key(path), message)


def _states_check(doc: Mapping[str, Any], source: str, marked: MarkedDict) -> None:
    """The states a lifecycle names (outcomes, paid, failed, final, auto rules) must be its own."""
    for kind, spec in (doc.get("lifecycles") or {}).items():
        names = {spec["initial"], *(spec.get("transitions") or {})}
        for targets in (spec.get("transitions") or {}).values():
            names.update(targets)
        named: list[tuple[list[str | int], str]] = []
        for group in ("paid", "failed", "final"):
            named += [([group, i], s) for i, s in enumerate(spec.get(group) or [])]
        named += [(["outcomes", k], s) for k, s in (spec.get("outcomes") or {}).items()]
        for i, rule in enumerate(spec.get("auto") or []):
            named += [(["auto", i, "from"], rule["from"]), (["auto", i, "to"], rule["to"])]
        named += [(["events", s], s) for s in (spec.get("events") or {})]
        for where, state in named:
            if state not in names:
                path = ["lifecycles", kind, *where]
                raise BehaviourError(source, line_at(marked, path), _key(path),
                                     f"unknown state {state!r}; the lifecycle's states are {', '.join(sorted(names))}")


def _key_check(doc: MarkedDict, source: str, folder_key: str) -> None:
    """The provider's key is its folder's name (a `provider.key` may only repeat it)."""
    provider = doc.get("provider")
    key = provider.get("key") if isinstance(provider, Mapping) else None
    if key is not None and str(key) != folder_key:
        raise BehaviourError(source, line_at(doc, ["provider", "key"]), "provider.key",
                             f"provider key {str(key)!r} differs from its folder's name {folder_key!r} (the "
                             "folder's name is the key)")


def _credential(data: Mapping[str, Any]) -> Credential:
    return Credential(length=int(data.get("length", 40)), prefix=str(data.get("prefix", "")),
                      alphabet=str(data.get("alphabet", "hex")),
                      value=None if data.get("value") is None else str(data["value"]),
                      sha1_of=None if data.get("sha1_of") is None else str(data["sha1_of"]))


def _lifecycle(kind: str, data: Mapping[str, Any]) -> LifecycleDecl:
    transitions = {str(k): tuple(str(x) for x in v) for k, v in (data.get("transitions") or {}).items()}
    auto = tuple(AutoRule(source=str(r["from"]), target=str(r["to"]), after_seconds=r.get("after_seconds"),
                          after_reads=r.get("after_reads"), message=r.get("message"),
                          when=tuple((str(n), tuple(v if isinstance(v, list) else [v]))
                                     for n, v in (r.get("when") or {}).items()))
                 for r in data.get("auto") or [])
    states = {str(data["initial"]), *transitions, *(s for t in transitions.values() for s in t)}
    final = frozenset(data["final"]) if "final" in data else frozenset(s for s in states if not transitions.get(s))
    outcomes = data.get("outcomes") or {}
    return LifecycleDecl(kind=kind, key=str(data.get("key", "id")), field=str(data.get("field", "status")),
                         initial=str(data["initial"]), transitions=transitions, auto=auto,
                         events={str(k): str(v) for k, v in (data.get("events") or {}).items()},
                         paid=frozenset(data.get("paid") or ()), failed=frozenset(data.get("failed") or ()),
                         final=final, pay=outcomes.get("pay"), deny=outcomes.get("deny"))


def _auth(auth: Mapping[str, Any]) -> AuthDecl:
    return AuthDecl(scheme=str(auth.get("scheme", "none")), credential=str(auth.get("credential", "token")),
                    name=str(auth.get("name", "Authorization")), username=auth.get("username"),
                    password=auth.get("password"), form_fields=tuple(auth.get("form_fields") or ()))


def _errors(errors: Mapping[str, Any]) -> dict[str, ErrorDecl]:
    return {str(n): ErrorDecl(status=int(e["status"]), body=e.get("body"), values=dict(e.get("values") or {}),
                              headers={str(k): str(v) for k, v in (e.get("headers") or {}).items()})
            for n, e in errors.items()}


def _versions(versions: Mapping[str, Any]) -> tuple[VersionDecl, ...]:
    """The APIs served under a path prefix with their own auth and errors, longest prefix first."""
    found = [VersionDecl(name=str(name), prefix=str(v["prefix"]),
                         auth=_auth(v["auth"]) if v.get("auth") else None, errors=_errors(v.get("errors") or {}))
             for name, v in versions.items()]
    return tuple(sorted(found, key=lambda v: -len(v.prefix)))


def build(doc: Mapping[str, Any], source: str, default_key: str) -> ProviderConfig:
    """The typed configuration of a checked document."""
    meta = doc.get("provider") or {}
    key = str(meta.get("key") or default_key)
    auth = doc.get("auth") or {}
    validation = doc.get("validation") or {}
    more = validation.get("more_errors") or {}
    money = doc.get("money") or {}
    hooks = doc.get("webhooks") or {}
    limit = doc.get("rate_limit")
    inp = doc.get("input") or {}
    return ProviderConfig(
        key=key, name=str(meta.get("name") or key), source=source, module=doc.get("module"),
        json_style=str(doc.get("json_style", "plain")),
        response_headers={str(k): str(v) for k, v in (doc.get("response_headers") or {}).items()},
        collapse_slashes=bool(doc.get("collapse_slashes", False)),
        path_aliases=tuple(str(a) for a in doc.get("path_aliases") or ()),
        faker_locale=str(doc.get("faker_locale", "pt_BR")),
        utc_offset_hours=float(doc.get("utc_offset_hours", 0)),
        money=Money(currency=str(money.get("currency", "")), unit=str(money.get("unit", "major")),
                    format=str(money.get("format", "{amount} {currency}")),
                    decimal_mark=str(money.get("decimal_mark", ",")),
                    thousands_mark=str(money.get("thousands_mark", "."))),
        auth=_auth(auth),
        accounts=tuple(AccountDecl(id=str(a["id"]), name=str(a.get("name", a["id"])),
                                   credentials={str(n): _credential(c) for n, c in (a.get("credentials") or {}).items()},
                                   extra={k: v for k, v in a.items() if k not in ("id", "name", "credentials")})
                       for a in doc.get("accounts") or []),
        errors=_errors(doc.get("errors") or {}),
        versions=_versions(doc.get("versions") or {}),
        validation=ValidationDecl(operations=dict(validation.get("operations") or {}),
                                  messages=dict(validation.get("messages") or {}),
                                  more_one=str(more.get("one", " (and {count} more error)")),
                                  more_many=str(more.get("many", " (and {count} more errors)")),
                                  field_names=str(validation.get("field_names", "dotted")),
                                  list_item=dict(validation.get("list_item") or {}),
                                  checks={str(k): str(v) for k, v in (validation.get("checks") or {}).items()}),
        input=InputDecl(trim=bool(inp.get("trim", False)), empty=str(inp.get("empty", "keep"))),
        rate_limit=None if not limit else RateLimitDecl(requests=int(limit["requests"]),
                                                        per_seconds=float(limit["per_seconds"]),
                                                        key=str(limit.get("key", "client")),
                                                        error=str(limit.get("error", "rate_limited"))),
        lifecycles={str(k): _lifecycle(str(k), v) for k, v in (doc.get("lifecycles") or {}).items()},
        fields={str(k): FieldsDecl(amount=v.get("amount"), amount_unit=v.get("amount_unit"),
                                   description=v.get("description"), return_url=v.get("return_url"),
                                   payer=v.get("payer"), summary=tuple(v.get("summary") or ()), pix=v.get("pix"),
                                   boleto=v.get("boleto"))
                for k, v in (doc.get("fields") or {}).items()},
        webhooks=WebhookDecl(retry_seconds=tuple(float(s) for s in hooks.get("retry_seconds") or ()),
                             signature_header=hooks.get("signature_header"),
                             timeout_seconds=hooks.get("timeout_seconds"), user_agent=hooks.get("user_agent"),
                             extra={k: v for k, v in hooks.items() if k not in WEBHOOKS}),
        balances={str(k): _balance(str(k), v) for k, v in (doc.get("balances") or {}).items()},
        sections={k: v for k, v in doc.items() if k not in ENGINE},
    )


def _balance(name: str, data: Mapping[str, Any]) -> BalanceDecl:
    short = data.get("short") or {}
    return BalanceDecl(name=name, kind=str(data["kind"]), field=str(data.get("field", "balance")),
                       opening=None if data.get("opening") is None else str(data["opening"]),
                       error=None if short.get("error") is None else str(short["error"]),
                       plan=Plan.from_data(short["plan"]) if short.get("plan") is not None else None)


_CODE: list[bytes] = []


def _code_version() -> bytes:
    """The behaviour package's own source: a cached config of an older build of these classes is not reused."""
    if not _CODE:
        here = Path(__file__).resolve().parent
        _CODE.append(hashlib.sha256(b"".join(p.read_bytes() for p in sorted(here.glob("*.py")))).digest())
    return _CODE[0]


def load(path: Path, default_key: str, sections: Mapping[str, Schema] | None = None) -> ProviderConfig:
    """Read, check and build a behaviour file (an absent file is an empty one). The typed result is cached by the
    file's content and the schema it was checked against (an edited file or schema is checked again)."""
    source = str(path)
    raw = path.read_bytes() if path.exists() else b""
    schema = json.dumps(document_schema(dict(sections or {})), sort_keys=True, default=str).encode()
    key = hashlib.sha256(b"\0".join([b"behaviour", _code_version(), source.encode(), default_key.encode(), raw,
                                      schema])).hexdigest()

    def checked() -> ProviderConfig:
        doc = read(path) if raw else MarkedDict()
        check(doc, source, sections)
        _states_check(doc, source, doc)
        _key_check(doc, source, default_key)
        return build(plain(doc), source, default_key)
    return cached(key, checked)


def module_of(path: Path) -> str | None:
    """The `module:` a behaviour file names (read before its provider's package gives the rest of its schema)."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^module:\s*([A-Za-z0-9_.]+)\s*(#.*)?$", text, flags=re.M)
    return found.group(1) if found else None
