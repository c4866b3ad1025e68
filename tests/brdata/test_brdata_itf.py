"""Tests for simulator.brdata.itf: Interleaved 2 of 5 elements and SVG."""

from __future__ import annotations

import datetime as dt
import random
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.brdata import barcode_svg, generate_boleto, interleaved_2_of_5_bars

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None)

PATTERNS = ["nnWWn", "WnnnW", "nWnnW", "WWnnn", "nnWnW", "WnWnn", "nWWnn", "nnnWW", "WnnWn", "nWnWn"]


def test_pair_encoding() -> None:
    # "1" in the bars (WnnnW), "2" in the spaces (nWnnW), interleaved.
    assert interleaved_2_of_5_bars("12") == "nnnn" + "WnnWnnnnWW" + "Wnn"


def test_boleto_barcode_element_count() -> None:
    code, _ = generate_boleto(random.Random(1), "001", 100, dt.date(2026, 11, 23))
    elements = interleaved_2_of_5_bars(code)
    assert len(elements) == 4 + 44 * 5 + 3
    assert elements.count("W") == 44 * 2 + 1


@pytest.mark.parametrize("bad", ["", "1", "123", "12a4", "١٢"])
def test_rejects_odd_or_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        interleaved_2_of_5_bars(bad)


def _decode(elements: str) -> str:
    assert elements.startswith("nnnn") and elements.endswith("Wnn")
    body = elements[4:-3]
    digits = []
    for i in range(0, len(body), 10):
        chunk = body[i : i + 10]
        digits.append(str(PATTERNS.index(chunk[0::2])))
        digits.append(str(PATTERNS.index(chunk[1::2])))
    return "".join(digits)


@SETTINGS
@given(st.from_regex(r"(?:[0-9]{2}){1,25}", fullmatch=True))
def test_elements_decode_back(digits: str) -> None:
    assert _decode(interleaved_2_of_5_bars(digits)) == digits


def test_svg() -> None:
    svg = barcode_svg("12", height=40)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    rects = root.findall(".//{http://www.w3.org/2000/svg}rect")
    # Bars: start 2, pair 5, stop 2.
    assert len(rects) == 9
    assert [r.get("width") for r in rects] == ["1", "1", "3", "1", "1", "1", "3", "3", "1"]
    assert all(r.get("height") == "40" for r in rects)
    # 10 quiet + 4 start + (2 digits * (2*3 + 3*1)) + 5 stop + 10 quiet
    assert root.get("viewBox") == "0 0 47 40"
    with pytest.raises(ValueError):
        barcode_svg("12", height=0)


def test_svg_of_boleto_is_well_formed() -> None:
    code, _ = generate_boleto(random.Random(2), "341", 123456, dt.date(2026, 1, 1))
    svg = barcode_svg(code)
    ET.fromstring(svg)
    assert len(re.findall(r"<rect ", svg)) == 2 + 44 * 5 // 2 + 2
