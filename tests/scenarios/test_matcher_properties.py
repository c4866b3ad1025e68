"""Properties of the scenario value matchers (`match: body/query/headers`): exact values across JSON and form
encodings, ranges, sets, regular expressions, negation, presence and nested paths."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.dotted import MISSING, lookup
from simulator.scenarios.model import compile_matcher, equal

NUMBERS = st.integers(min_value=-10**6, max_value=10**6) | st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
SCALARS = NUMBERS | st.text(max_size=8) | st.booleans() | st.none()
KEYS = st.text(alphabet="abcdefgh_", min_size=1, max_size=5)


@given(SCALARS)
def test_every_value_matches_itself_and_its_form_text(value: Any) -> None:
    assert compile_matcher(value)(value)
    if value is not None:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        assert compile_matcher(value)(text)  # a form body carries every value as text
    assert not compile_matcher(value)(MISSING)


@given(SCALARS, SCALARS)
def test_exact_matching_is_symmetric(a: Any, b: Any) -> None:
    assert equal(a, b) == equal(b, a)


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_numbers_match_across_int_float_and_text(n: int) -> None:
    for spec in (n, float(n), str(n)):
        for value in (n, float(n), str(n)):
            assert compile_matcher(spec)(value)


@given(NUMBERS, NUMBERS, NUMBERS)
def test_ranges_are_inclusive_or_strict_as_named(value: float, low: float, high: float) -> None:
    assert compile_matcher({"gte": low, "lte": high})(value) == (low <= value <= high)
    assert compile_matcher({"gt": low, "lt": high})(value) == (low < value < high)
    assert compile_matcher({"gte": low})(str(value)) == (low <= float(str(value)))
    assert not compile_matcher({"gte": low})("not a number")
    assert not compile_matcher({"gte": low})(MISSING)


@given(st.lists(SCALARS, max_size=5), SCALARS)
def test_in_holds_when_any_option_is_equal(options: list[Any], value: Any) -> None:
    assert compile_matcher({"in": options})(value) == any(equal(value, o) for o in options)


@given(SCALARS, SCALARS)
def test_not_negates_for_present_values_and_never_holds_for_missing_ones(spec: Any, value: Any) -> None:
    assert compile_matcher({"not": spec})(value) == (not compile_matcher(spec)(value))
    assert not compile_matcher({"not": spec})(MISSING)


@given(st.booleans(), SCALARS)
def test_exists(flag: bool, value: Any) -> None:
    assert compile_matcher({"exists": flag})(value) is flag
    assert compile_matcher({"exists": flag})(MISSING) is (not flag)


@given(st.from_regex(r"[a-z]{1,3}[0-9]{0,3}", fullmatch=True), st.text(max_size=6))
def test_regex_must_match_the_whole_value(text: str, tail: str) -> None:
    pattern = r"[a-z]{1,3}[0-9]{0,3}"
    assert compile_matcher({"regex": pattern})(text)
    assert compile_matcher({"regex": pattern})(text + tail) == (re.fullmatch(pattern, text + tail) is not None)
    assert not compile_matcher({"regex": pattern})(None)


@given(st.lists(KEYS, min_size=1, max_size=4), SCALARS)
def test_nested_values_are_found_by_mapping_and_by_dotted_path(path: list[str], value: Any) -> None:
    data: Any = value
    for key in reversed(path):
        data = {key: data}
    assert lookup(data, ".".join(path)) == value or len(path) == 1 and lookup(data, path[0]) == value
    nested: Any = value
    for key in reversed(path[1:]):
        nested = {key: nested}
    assert compile_matcher({path[0]: nested})(data)
    assert lookup(data, ".".join(path + ["missing"])) is MISSING


@given(st.lists(SCALARS, min_size=1, max_size=4), st.integers(min_value=0, max_value=10))
def test_list_items_are_reached_by_index(items: list[Any], index: int) -> None:
    data = {"items": items}
    found = lookup(data, f"items.{index}")
    assert found == (items[index] if index < len(items) else MISSING) or (index < len(items) and found is items[index])
