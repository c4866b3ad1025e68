"""Tests for simulator.brdata.msisdn: Mozambican numbers and operators."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.brdata import MOZ_OPERATORS, moz_operator, msisdn_belongs_to, normalize_moz_msisdn

SETTINGS = settings(max_examples=80, derandomize=True, deadline=None, database=None)


@pytest.mark.parametrize(
    ("raw", "national"),
    [
        ("841234567", "841234567"),
        ("258841234567", "841234567"),
        ("+258841234567", "841234567"),
        ("00258841234567", "841234567"),
        ("+258 84 123 4567", "841234567"),
        ("84-123-4567", "841234567"),
        ("(+258) 84 123 4567", "841234567"),
        ("741234567", None),
        ("84123456", None),
        ("8412345678", None),
        ("+27841234567", None),
        ("258 74 123 4567", None),
        ("84123456x", None),
        ("", None),
    ],
)
def test_normalize(raw: str, national: str | None) -> None:
    assert normalize_moz_msisdn(raw) == national


@pytest.mark.parametrize(
    ("msisdn", "operator"),
    [
        ("841234567", "mpesa"),
        ("851234567", "mpesa"),
        ("258861234567", "emola"),
        ("+258871234567", "emola"),
        ("821234567", "mkesh"),
        ("831234567", "mkesh"),
        ("811234567", None),
        ("881234567", None),
        ("12345", None),
    ],
)
def test_moz_operator(msisdn: str, operator: str | None) -> None:
    assert moz_operator(msisdn) == operator


def test_belongs_to() -> None:
    assert msisdn_belongs_to("841234567", "mpesa")
    assert not msisdn_belongs_to("871234567", "mpesa")
    assert msisdn_belongs_to("871234567", "emola")
    assert not msisdn_belongs_to("841234567", "unknown")
    assert not msisdn_belongs_to("garbage", "mpesa")


def test_custom_operator_table() -> None:
    table = {"mpesa": ["84"], "newco": "88"}  # a bare string is a single prefix
    assert moz_operator("881234567", table) == "newco"
    assert moz_operator("851234567", table) is None
    assert msisdn_belongs_to("881234567", "newco", table)
    assert not msisdn_belongs_to("841234567", "newco", table)
    assert not msisdn_belongs_to("801234567", "newco", table)


def test_default_table_is_read_only() -> None:
    assert dict(MOZ_OPERATORS) == {"mpesa": ("84", "85"), "emola": ("86", "87"), "mkesh": ("82", "83")}
    with pytest.raises(TypeError):
        MOZ_OPERATORS["x"] = ("89",)  # type: ignore[index]


@SETTINGS
@given(
    st.sampled_from(sorted(MOZ_OPERATORS)),
    st.data(),
    st.from_regex(r"[0-9]{7}", fullmatch=True),
    st.sampled_from(["", "258", "+258", "+258 "]),
)
def test_operator_round_trip(operator: str, data: st.DataObject, rest: str, prefix: str) -> None:
    national = data.draw(st.sampled_from(MOZ_OPERATORS[operator])) + rest
    raw = prefix + national
    assert normalize_moz_msisdn(raw) == national
    assert moz_operator(raw) == operator
    assert msisdn_belongs_to(raw, operator)
    assert [op for op in MOZ_OPERATORS if msisdn_belongs_to(raw, op)] == [operator]
