"""Hostile input, generated per operation from the providers' own specs: what the fuzz suites send.

Each generator yields `Case`s: (class name, method, path, headers, body). The classes:
- `deep_json`: arrays and objects nested 10,000 deep; `json_constants`: NaN, Infinity, 1e309 and a lone
  surrogate in each field of the operation's body schema; `type_confusion`: each field given each JSON type;
- `php_brackets`: deep brackets, 20,000 `a[]` pairs and bracket soup as a form body;
- `path_segments`: each path parameter 10 KB long, in superscript digits, with NUL and odd escapes;
- `query_values`: each query parameter (and a few others) 5,000 digits long, `²`, `NaN`, `inf`, `-1`;
- `headers`: odd content types, odd auth headers, a 60 KB header;
- `random_json`: hypothesis-drawn JSON values as the body (in the property suite).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator

DEEP = 10_000


@dataclass
class Case:
    kind: str
    provider: str
    operation: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def label(self) -> str:
        return f"{self.kind}:{self.provider}:{self.operation}"


def fill_path(template: str, value: str = "1", only: str | None = None) -> str:
    """The path with every {param} set to "1", or `value` for the parameter `only` (every one if None)."""
    out = []
    for part in template.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            out.append(value if only in (None, name) else "1")
        else:
            out.append(part)
    return "/".join(out)


def _json(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


def _props(op: Any) -> list[str]:
    schema = op.spec.request_schema or {}
    return list((schema.get("properties") or {}).keys())[:12]


HOSTILE_NUMBERS = [b"NaN", b"Infinity", b"-Infinity", b"1e309", b"-1e309", b"1" * 5000]
HOSTILE_STRINGS = ['"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"' + "x" * 70_000 + '"',
                   '"javascript:alert(1)"', '"\u00b2"']
TYPES = ["null", "true", "[]", "{}", '"1"', "-1", "0", "1.5", "99999999999999999999999", '[[[[[]]]]]',
         '{"a":{"b":{"c":[1,2,{"d":null}]}}}']


def _auth_for(runtime: Any, op: Any, auth: dict[str, str]) -> dict[str, str]:
    """The account's headers for this operation: those of the API version serving its path (behaviour.yaml
    `versions:`, WidePay's v1), else the provider's; none stay none (the unauthenticated pass)."""
    version = runtime.config.version_of(op.spec.path) if auth and runtime.accounts else None
    return dict(runtime.accounts[0].versions[version.name]["headers"]) if version is not None else auth


def cases(app: Any, headers_of: dict[str, dict[str, str]], fast: bool = False) -> Iterator[Case]:
    """Every class of hostile input for every operation of every provider of the app's simulator."""
    for key, runtime in app.sim.providers.items():
        for op in runtime.operations.values():
            auth = _auth_for(runtime, op, headers_of.get(key, {}))
            base = f"/{key}" + fill_path(op.spec.path)
            method = op.spec.method
            yield from _body_cases(key, op, method, base, auth, fast)
            yield from _path_cases(key, op, method, auth)
            yield from _query_cases(key, op, method, base, auth, fast)
            yield from _header_cases(key, op, method, base, auth)


def _body_cases(key: str, op: Any, method: str, base: str, auth: dict[str, str], fast: bool) -> Iterator[Case]:
    js = {**auth, "content-type": "application/json"}
    form = {**auth, "content-type": "application/x-www-form-urlencoded"}
    yield Case("deep_json", key, op.id, method, base, js, b"[" * DEEP + b"]" * DEEP)
    yield Case("deep_json", key, op.id, method, base, js, b'{"a":' * DEEP + b"1" + b"}" * DEEP)
    yield Case("deep_json", key, op.id, method, base, js, b'{"a":' + b"[" * 70 + b"]" * 70 + b"}")
    props = _props(op) or ["amount"]
    for name in props[: 3 if fast else None]:
        for raw in (HOSTILE_NUMBERS + [s.encode() for s in HOSTILE_STRINGS])[: 4 if fast else None]:
            yield Case("json_constants", key, op.id, method, base, js, b'{"' + name.encode() + b'":' + raw + b"}")
        for raw in TYPES[: 3 if fast else None]:
            yield Case("type_confusion", key, op.id, method, base, js, b'{"' + name.encode() + b'":' + raw.encode() + b"}")
    yield Case("json_constants", key, op.id, method, base, js, b"NaN")
    yield Case("json_constants", key, op.id, method, base, js, b'"\\ud800"')
    yield Case("php_brackets", key, op.id, method, base, form, b"a" + b"[b]" * 5000 + b"=1")
    yield Case("php_brackets", key, op.id, method, base, form, b"&".join([b"a[]=1"] * 20_000))
    yield Case("php_brackets", key, op.id, method, base, form, b"a[=1&a]=2&[]=3&a[][x][]=4&a[\xc2\xb2]=5&%5B=6&a[0][=7")
    for name in props[:3]:
        yield Case("php_brackets", key, op.id, method, base, form,
                   name.encode() + b"[" * 200 + b"=1&" + name.encode() + b"[]=NaN&" + name.encode() + b"=%ED%A0%80")


def _path_cases(key: str, op: Any, method: str, auth: dict[str, str]) -> Iterator[Case]:
    names = [p[1:-1] for p in op.spec.path.split("/") if p.startswith("{")]
    for name in names:
        for value in ("9" * 10_000, "1" * 4400, "\u00b2", "%C2%B2", "%00", "%ED%A0%80", "..", "%2F..%2F", "-1",
                      "1e309", "NaN", "x" * 300):
            yield Case("path_segments", key, op.id, method, f"/{key}" + fill_path(op.spec.path, value, name), auth)


def _query_cases(key: str, op: Any, method: str, base: str, auth: dict[str, str], fast: bool) -> Iterator[Case]:
    names = [p["name"] for p in op.spec.query_params] + ["page", "limit", "per_page"]
    for name in names[: 3 if fast else None]:
        for value in ("9" * 5000, "%C2%B2", "NaN", "inf", "-1", "1e309", "%ED%A0%80", "%00"):
            yield Case("query_values", key, op.id, method, f"{base}?{name}={value}", auth)


def _header_cases(key: str, op: Any, method: str, base: str, auth: dict[str, str]) -> Iterator[Case]:
    body = b'{"amount": 1}'
    for ctype in ("text/plain", "application/json; charset=latin-1", "multipart/form-data; boundary=x",
                  "application/xml", "application/x-www-form-urlencoded"):
        yield Case("headers", key, op.id, method, base, {**auth, "content-type": ctype}, body)
    for name, value in (("authorization", "Bearer \u00b2"), ("authorization", "Basic ****"),
                        ("authorization", "Basic " + "A" * 5000), ("auth-token", "x" * 5000),
                        ("x-sim-scenario", ",,," + "x" * 500), ("x-big", "b" * 60_000)):
        yield Case("headers", key, op.id, method, base, {**auth, name: value}, b"")


def random_json(rng: Any, depth: int = 0) -> Any:
    """A JSON value drawn from a seeded random.Random: type confusion in bulk."""
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        return rng.choice([None, True, False, 0, -1, 1.5, 10 ** rng.randint(1, 30), rng.uniform(-1e6, 1e6), "",
                           "x" * rng.randint(1, 300), "\u00b2", "javascript:alert(1)", "841234567", "2026-01-01",
                           "<script>alert(1)</script>", "'; DROP TABLE x; --", "%s%n", "\u202e", "\x00"])
    if roll < 0.7:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {rng.choice(["amount", "msisdn", "id", "a", "", "__proto__", "valor", "cliente"]) + str(rng.randint(0, 3)):
            random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def random_cases(app: Any, headers_of: dict[str, dict[str, str]], per_operation: int, seed: int = 0) -> Iterator[Case]:
    """`per_operation` random JSON bodies (and the same as forms) for every operation."""
    import random
    from urllib.parse import urlencode
    rng = random.Random(seed)
    for key, runtime in app.sim.providers.items():
        for op in runtime.operations.values():
            auth = _auth_for(runtime, op, headers_of.get(key, {}))
            base = f"/{key}" + fill_path(op.spec.path)
            props = _props(op) or ["amount"]
            for i in range(per_operation):
                body = {p: random_json(rng) for p in props if rng.random() < 0.7}
                if i % 3 == 2:
                    flat = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in body.items()}
                    yield Case("random_json", key, op.id, op.spec.method, base,
                               {**auth, "content-type": "application/x-www-form-urlencoded"},
                               urlencode(flat).encode())
                else:
                    yield Case("random_json", key, op.id, op.spec.method, base,
                               {**auth, "content-type": "application/json"}, json.dumps(body).encode())
