"""Properties of the body parsers: PHP bracket forms (as WidePay's clients send them) and JSON, by content type."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.bodies import BodyError, parse_body, parse_php_form

KEY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=6)
TEXT = st.text(max_size=10).filter(lambda s: "\x00" not in s)
# what a PHP form can carry: text leaves, mappings with non-numeric keys, lists (0..n-1 keys)
FORM_VALUE = st.recursive(TEXT, lambda inner: st.one_of(
    st.dictionaries(KEY, inner, min_size=1, max_size=3), st.lists(inner, min_size=1, max_size=3)), max_leaves=10)
FORMS = st.dictionaries(KEY, FORM_VALUE, max_size=4)


def encode(value: Any, prefix: str) -> list[str]:
    """The urlencoded pairs a PHP client (http_build_query) sends for a nested value."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in encode(v, f"{prefix}[{k}]")]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in encode(v, f"{prefix}[{i}]")]
    return [f"{quote(prefix, safe='')}={quote(value, safe='')}"]


def build_query(form: dict[str, Any]) -> str:
    return "&".join(pair for k, v in form.items() for pair in encode(v, k))


@given(FORMS)
def test_bracket_forms_round_trip_into_nested_data(form: dict[str, Any]) -> None:
    assert parse_php_form(build_query(form)) == form


@given(KEY, st.lists(TEXT, min_size=1, max_size=5))
def test_empty_brackets_append_in_order(name: str, values: list[str]) -> None:
    query = "&".join(f"{name}[]={quote(v, safe='')}" for v in values)
    assert parse_php_form(query) == {name: values}


@given(FORMS)
def test_a_form_body_parses_by_its_content_type(form: dict[str, Any]) -> None:
    raw = build_query(form).encode()
    expected = form if raw else None
    assert parse_body(raw, "application/x-www-form-urlencoded; charset=UTF-8") == expected


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | TEXT, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                    max_leaves=10)


@given(JSON, st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", "",
                              "application/vnd.api+json"]))
def test_json_bodies_round_trip(value: Any, content_type: str) -> None:
    assert parse_body(json.dumps(value).encode(), content_type) == value


@given(st.binary(max_size=60), st.sampled_from(["application/json", "application/x-www-form-urlencoded",
                                                "application/xml", "multipart/form-data", "text/plain"]))
def test_any_bytes_give_data_or_a_body_error_never_another_exception(raw: bytes, content_type: str) -> None:
    try:
        parse_body(raw, content_type)
    except BodyError:
        pass


def test_an_empty_body_is_no_body_whatever_its_type() -> None:
    for content_type in ("application/json", "application/x-www-form-urlencoded", "application/xml"):
        assert parse_body(b"", content_type) is None
    with pytest.raises(BodyError):
        parse_body(b"\xff", "application/json")
