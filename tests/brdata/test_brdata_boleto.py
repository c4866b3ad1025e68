"""Tests for simulator.brdata.boleto: due-date factor, barcode, linha digitável."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.brdata import (
    barcode,
    barcode_from_linha,
    barcode_is_valid,
    due_date_factor,
    format_linha,
    generate_boleto,
    linha_digitavel,
    linha_is_valid,
)

SETTINGS = settings(max_examples=60, derandomize=True, deadline=None, database=None)

# Real-world pairs (a Caixa slip due 2022-05-10 and a Bradesco card bill without
# due date or amount).
KNOWN = [
    ("10499898100000214032006561000100040099726390", "10492006506100010004200997263900989810000021403"),
    ("23797000000000000004150090019801673500021140", "23794150099001980167035000211405700000000000000"),
]


@pytest.mark.parametrize(
    ("day", "factor"),
    [
        (dt.date(1997, 10, 8), 1),
        (dt.date(2000, 7, 3), 1000),
        (dt.date(2022, 5, 10), 8981),
        (dt.date(2025, 2, 21), 9999),
        (dt.date(2025, 2, 22), 1000),
        (dt.date(2025, 2, 23), 1001),
        (dt.date(2026, 11, 23), 1639),
        (dt.date(2049, 10, 13), 9999),  # the second rollover, 9000 days later
        (dt.date(2049, 10, 14), 1000),
    ],
)
def test_due_date_factor(day: dt.date, factor: int) -> None:
    assert due_date_factor(day) == factor


def test_due_date_factor_rejects_base_date_and_before() -> None:
    with pytest.raises(ValueError):
        due_date_factor(dt.date(1997, 10, 7))
    with pytest.raises(ValueError):
        due_date_factor(dt.date(1990, 1, 1))


@pytest.mark.parametrize(("code", "linha"), KNOWN)
def test_known_boletos(code: str, linha: str) -> None:
    assert barcode_is_valid(code)
    assert linha_is_valid(linha)
    assert linha_digitavel(code) == linha
    assert barcode_from_linha(linha) == code


def test_barcode_layout() -> None:
    code = barcode("001", 10000, dt.date(2026, 11, 23), "0000001234567890123456789")
    assert len(code) == 44
    assert code[:4] == "0019"
    assert code[5:9] == "1639"
    assert code[9:19] == "0000010000"
    assert code[19:] == "0000001234567890123456789"
    assert barcode_is_valid(code)
    assert barcode("001", 0, None, "0" * 25)[5:19] == "0" * 14


def test_general_check_digit_never_zero() -> None:
    digits = {barcode("341", n, dt.date(2026, 1, 1), "0" * 25)[4] for n in range(200)}
    assert "0" not in digits
    assert len(digits) > 5


@pytest.mark.parametrize(
    "args",
    [
        ("01", 100, dt.date(2026, 1, 1), "0" * 25),
        ("001", -1, dt.date(2026, 1, 1), "0" * 25),
        ("001", 10**10, dt.date(2026, 1, 1), "0" * 25),
        ("001", 100, dt.date(2026, 1, 1), "0" * 24),
        ("001", 100, dt.date(2026, 1, 1), "x" * 25),
    ],
)
def test_barcode_rejects_bad_input(args: tuple[str, int, dt.date, str]) -> None:
    with pytest.raises(ValueError):
        barcode(*args)


def test_format_linha() -> None:
    linha = KNOWN[0][1]
    formatted = format_linha(linha)
    assert formatted == "10492.00650 61000.100042 00997.263900 9 89810000021403"
    assert format_linha(formatted) == formatted
    assert linha_is_valid(formatted)
    assert barcode_from_linha(formatted) == KNOWN[0][0]


def test_malformed_inputs() -> None:
    assert not barcode_is_valid(KNOWN[0][0][:-1])
    assert not barcode_is_valid(KNOWN[0][0] + "0")
    assert not linha_is_valid(KNOWN[0][1][:-1])
    assert not linha_is_valid("1049-2006506100010004200997263900989810000021403")
    # A utility-bill (arrecadação) barcode is not a boleto de cobrança.
    assert not barcode_is_valid("83860000005096000190000008017823000034306271")
    for func in (barcode_from_linha, format_linha):
        with pytest.raises(ValueError):
            func("123")
    with pytest.raises(ValueError):
        linha_digitavel("123")


def test_generate_boleto_is_deterministic() -> None:
    due = dt.date(2026, 11, 23)
    first = generate_boleto(random.Random(3), "237", 1999, due)
    assert generate_boleto(random.Random(3), "237", 1999, due) == first


boleto_inputs = st.tuples(
    st.integers(min_value=0, max_value=2**32),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
    st.integers(min_value=0, max_value=9_999_999_999),
    st.dates(min_value=dt.date(2000, 7, 3), max_value=dt.date(2060, 12, 31)),
)


@SETTINGS
@given(boleto_inputs)
def test_generated_boleto_round_trips(inputs: tuple[int, str, int, dt.date]) -> None:
    seed, bank, amount, due = inputs
    code, linha = generate_boleto(random.Random(seed), bank, amount, due)
    assert barcode_is_valid(code)
    assert linha_is_valid(linha)
    assert linha_is_valid(format_linha(linha))
    assert barcode_from_linha(linha) == code
    assert linha_digitavel(code) == linha
    assert int(code[9:19]) == amount
    assert int(code[5:9]) == due_date_factor(due)


def _replace_digit(s: str, position: int, delta: int) -> str:
    return s[:position] + str((int(s[position]) + delta) % 10) + s[position + 1 :]


def test_known_linha_with_one_digit_changed_fails() -> None:
    code, linha = KNOWN[0]
    assert not linha_is_valid(_replace_digit(linha, 12, 1))
    assert not linha_is_valid(_replace_digit(linha, 32, 1))
    assert not barcode_is_valid(_replace_digit(code, 30, 1))


@SETTINGS
@given(boleto_inputs, st.integers(0, 32), st.integers(1, 9))
def test_modified_linha_digit_fails(inputs: tuple[int, str, int, dt.date], position: int, delta: int) -> None:
    """Every single-digit change in fields 1-4 is caught: the mod-10 digits
    catch all of them. (Field 5 is covered only by the mod-11 general digit,
    whose 0/10/11 -> 1 collapse lets a few single-digit changes through.)"""
    seed, bank, amount, due = inputs
    _, linha = generate_boleto(random.Random(seed), bank, amount, due)
    assert not linha_is_valid(_replace_digit(linha, position, delta))


@SETTINGS
@given(boleto_inputs, st.integers(1, 9))
def test_modified_general_check_digit_fails(inputs: tuple[int, str, int, dt.date], delta: int) -> None:
    seed, bank, amount, due = inputs
    code, linha = generate_boleto(random.Random(seed), bank, amount, due)
    assert not barcode_is_valid(_replace_digit(code, 4, delta))
    assert not linha_is_valid(_replace_digit(linha, 32, delta))


@SETTINGS
@given(boleto_inputs, st.integers(5, 43), st.integers(1, 9))
def test_modified_barcode_digit_mostly_fails(
    inputs: tuple[int, str, int, dt.date], position: int, delta: int
) -> None:
    """A changed digit goes unnoticed only when the new mod-11 remainder
    lands in the same collapsed class (0, 1, 10 -> check digit 1)."""
    seed, bank, amount, due = inputs
    code, _ = generate_boleto(random.Random(seed), bank, amount, due)
    tampered = _replace_digit(code, position, delta)
    if barcode_is_valid(tampered):
        assert code[4] == "1"
