"""Properties of the parts that read client input: body parsers, the encoder, the router, validators, the
scenario loader, control inputs and the clock. Hypothesis draws the input (derandomized: the same examples
every run, so `make test` stays deterministic)."""

from __future__ import annotations

import asyncio
import json
import math
import re
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import START
from simulator.app import build_app
from simulator.control.inputs import finite_number, whole_number
from simulator.engine.bodies import BodyError, parse_body, parse_json, parse_php_form
from simulator.engine.errors import SimError
from simulator.engine.router import Router
from simulator.jsonio import ENCODERS, dumps_text
from simulator.limits import Limits
from simulator.scenarios.loader import ProviderFacts, ScenarioLoadError, load
from simulator.settings import Settings
from simulator.sim import Sim

FAST = settings(derandomize=True, max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SIM = Sim(Settings(clock="manual", start_time=START))

any_text = st.text(st.characters(codec=None), max_size=200)  # surrogates included
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                      any_text)
json_value = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(any_text, inner, max_size=5)), max_leaves=30)


def strict_loads(raw: bytes) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in the output")
    return json.loads(raw.decode("utf-8"), parse_constant=refuse)


def strings_of(value: Any) -> list[str]:
    out: list[str] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


# --- the encoder ---------------------------------------------------------------------------------------------

@FAST
@given(json_value)
def test_every_encoder_writes_standard_json_whatever_the_value(value):
    for encode in ENCODERS.values():
        out = strict_loads(encode(value))
        for text in strings_of(out):
            text.encode("utf-8")  # no lone surrogate survives
    strict_loads(dumps_text(value, indent=2).encode("utf-8"))


@FAST
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False,
                                                                                allow_infinity=False),
                              st.text(max_size=20)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=20))
def test_clean_values_encode_as_before(value):
    """The guard changes nothing for ordinary values: the same bytes as json.dumps."""
    assert ENCODERS["plain"](value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


# --- body parsers ----------------------------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=400), st.sampled_from(["application/json", "application/x-www-form-urlencoded", "",
                                                 "text/plain", "application/xml", "application/json; x=1"]))
def test_parse_body_gives_data_or_a_body_error(raw, ctype):
    try:
        value = parse_body(raw, ctype)
    except BodyError:
        return
    strict_loads(ENCODERS["php"](value))
    for text in strings_of(value):
        text.encode("utf-8")
    if isinstance(value, float):
        assert not math.isnan(value)


@FAST
@given(json_value)
def test_json_round_trips_within_the_depth_limit(value):
    text = json.dumps(value, allow_nan=True)
    try:
        parsed = parse_json(text, strict_unicode=False)
    except BodyError as exc:
        assert "not JSON" in str(exc)  # NaN / Infinity literals are refused
        assert re.search(r"NaN|Infinity", text)
        return
    for s in strings_of(parsed):
        s.encode("utf-8")


@FAST
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["[", "{\"a\":"]))
def test_depth_is_refused_exactly_past_the_limit(depth, opener):
    closer = "]" if opener == "[" else "}"
    text = opener * depth + ("1" if opener != "[" else "") + closer * depth
    try:
        parse_json(text, max_depth=64)
        assert depth <= 64
    except BodyError:
        assert depth > 64


NAME = st.text("abc", min_size=1, max_size=3)
INDEX = st.one_of(st.just(""), NAME, st.integers(0, 5).map(str))
FIELD = st.tuples(NAME, st.lists(INDEX, max_size=4), st.text("xyz", max_size=3))


def reference_php(pairs: list[tuple[str, list[str], str]]) -> Any:
    """PHP's $_POST for simple names (letters, brackets of letters, digits or nothing), written plainly."""
    root: dict[str, Any] = {}
    for base, indexes, value in pairs:
        path = [base] + indexes
        node = root
        for i, part in enumerate(path):
            if part == "" and i > 0:
                ints = [int(k) for k in node if re.fullmatch(r"0|[1-9][0-9]*", k)]
                part = str(max(ints) + 1 if ints else 0)
            if i == len(path) - 1:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]

    def listify(v: Any) -> Any:
        if isinstance(v, dict):
            v = {k: listify(x) for k, x in v.items()}
            if v and all(re.fullmatch(r"0|[1-9][0-9]*", k) for k in v) and \
                    sorted(int(k) for k in v) == list(range(len(v))):
                return [v[k] for k in sorted(v, key=int)]
        return v
    return listify(root)


@FAST
@given(st.lists(FIELD, max_size=12))
def test_php_form_matches_phps_rules(pairs):
    body = "&".join(base + "".join(f"[{i}]" for i in idx) + "=" + value for base, idx, value in pairs)
    assert parse_php_form(body) == reference_php(pairs)


@FAST
@given(st.lists(st.sampled_from(list("ab[]=&%2B.  ") + ["%5B", "%5D", "\u00b2", "%ED%A0%80"]), max_size=300)
       .map("".join))
def test_php_form_takes_any_text(text):
    value = parse_php_form(text, max_vars=50, max_nesting=4)
    strict_loads(ENCODERS["php"](value))


def test_php_form_limits_behave_as_php():
    assert len(parse_php_form("&".join(f"k{i}=1" for i in range(1500)))) == 1000
    assert parse_php_form("a" + "[x]" * 64 + "=1")["a"]  # 64 levels: kept
    assert parse_php_form("a" + "[x]" * 65 + "=1&b=2") == {"b": "2"}  # 65: the whole variable is dropped


# --- the router -----------------------------------------------------------------------------------------------------

ROUTER: Router[str] = Router()
for _m, _p in [("GET", "/a/{id}"), ("POST", "/a/{id}/b"), ("GET", "/a/b"), ("DELETE", "/x/{p}/{q}")]:
    ROUTER.add(_m, _p, f"{_m} {_p}")


@FAST
@given(st.sampled_from(["GET", "POST", "DELETE", "PATCH", "\u00b2"]), any_text)
def test_the_router_answers_any_path(method, path):
    hit = ROUTER.match(method, path)
    assert hit is None or isinstance(hit[0], str)
    ROUTER.allowed_methods(path)


# --- validators -----------------------------------------------------------------------------------------------------

OPERATIONS = [op for p in SIM.providers.values() for op in p.operations.values() if op.body_validator is not None]


@FAST
@given(st.sampled_from(OPERATIONS), json_value)
def test_validators_name_fields_for_any_body(op, body):
    assert op.body_validator is not None
    errors = op.body_validator.errors(body if isinstance(body, dict) else {"value": body})
    assert all(isinstance(k, str) and all(isinstance(m, str) for m in v) for k, v in errors.items())


@FAST
@given(st.sampled_from(OPERATIONS), st.sampled_from([math.inf, -math.inf, math.nan, 1e308]))
def test_validators_refuse_non_finite_numbers(op, number):
    assert op.body_validator is not None
    props = list((op.spec.request_schema or {}).get("properties") or {})
    if not props:
        return
    errors = op.body_validator.errors({props[0]: number})
    if not math.isfinite(number):
        assert props[0] in errors


# --- the scenario loader ----------------------------------------------------------------------------------------

FACTS = {"clicpay": ProviderFacts(operations={"c2b_mpesa"}, errors={"validation"}, states={"failed"})}
YAML_BITS = st.sampled_from(["[", "]", "{", "}", "- ", ": ", "a", "&x ", "*x", "\n", "  ", "name", "rules",
                             "provider", "clicpay", "'", '"', "#", "!!python/object:os.system", "<<: *x", ",",
                             "regex: '(a+)+b'", "match", "respond"])


@FAST
@given(st.lists(YAML_BITS, max_size=80).map("".join))
def test_the_loader_gives_scenarios_or_a_load_error(text):
    try:
        load(text, "t.yaml", FACTS, Limits())
    except ScenarioLoadError as exc:
        assert exc.line >= 1


@FAST
@given(any_text)
def test_the_loader_takes_any_text(text):
    try:
        load(text, "t.yaml", FACTS, Limits())
    except ScenarioLoadError:
        pass


# --- control inputs and the clock ---------------------------------------------------------------------------------

@FAST
@given(any_text)
def test_whole_numbers_are_ascii_digits_or_a_4xx(text):
    try:
        value = whole_number(text, "n")
    except SimError as exc:
        assert 400 <= exc.status < 500
        return
    assert value is not None and str(value) == text.lstrip("0") or text.strip("0") == ""


@FAST
@given(json_value)
def test_finite_numbers_or_a_400(value):
    try:
        n = finite_number(value, "seconds", 0, 100)
    except SimError as exc:
        assert exc.status == 400
        return
    assert 0 <= n <= 100 and math.isfinite(n)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(st.lists(st.one_of(json_value, st.sampled_from(["NaN", "Infinity", "1e309", "-0", "1e12"])), max_size=6))
def test_the_clock_only_moves_forward_and_always_answers(steps):
    async def run() -> None:
        app = build_app(Settings(clock="manual", start_time=START))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
            last = app.sim.clock.now()
            for step in steps:
                raw = step if isinstance(step, str) and step[:1] in "N-I1" else json.dumps(step, allow_nan=True)
                r = await c.post("/_sim/clock/advance", content=b'{"seconds": ' + raw.encode() + b"}",
                                 headers={"content-type": "application/json"})
                assert r.status_code in (200, 400), r.text
                now = app.sim.clock.now()
                assert now >= last and (r.status_code == 200 or now == last)
                last = now
                assert (await c.get("/_sim/clock")).status_code == 200
    asyncio.run(run())
