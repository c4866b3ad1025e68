"""Tests for simulator.brdata.cards: Luhn, brands, masking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.brdata import card_brand, last4, luhn_complete, luhn_is_valid, mask_card

SETTINGS = settings(max_examples=80, derandomize=True, deadline=None, database=None)


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111111",
        "5555555555554444",
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "378282246310005",
        "79927398713",
    ],
)
def test_luhn_valid(number: str) -> None:
    assert luhn_is_valid(number)


@pytest.mark.parametrize(
    "number", ["4111111111111112", "5555555555554445", "", "0", "4111x11111111111", "79927398710"]
)
def test_luhn_invalid(number: str) -> None:
    assert not luhn_is_valid(number)


def test_luhn_complete() -> None:
    assert luhn_complete("411111111111111") == "4111111111111111"
    assert luhn_complete("555555555555444") == "5555555555554444"
    assert luhn_complete("7992739871") == "79927398713"
    assert luhn_complete("0") == "00"
    with pytest.raises(ValueError):
        luhn_complete("41x")


@SETTINGS
@given(st.from_regex(r"[0-9]{1,18}", fullmatch=True), st.integers(1, 9))
def test_luhn_complete_round_trip(prefix: str, delta: int) -> None:
    number = luhn_complete(prefix)
    assert luhn_is_valid(number)
    tampered = number[:-1] + str((int(number[-1]) + delta) % 10)
    assert not luhn_is_valid(tampered)


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4111111111111111", "visa"),
        ("4012888888881881", "visa"),
        ("5555555555554444", "mastercard"),
        ("5105105105105100", "mastercard"),
        ("2221000000000009", "mastercard"),
        ("2720990000000000", "mastercard"),
        ("2220990000000000", None),
        ("2721000000000000", None),
        ("378282246310005", "amex"),
        ("341111111111111", "amex"),
        ("4011780000000000", "elo"),  # Elo BIN inside the Visa range
        ("4389350000000000", "elo"),
        ("5066990000000000", "elo"),
        ("5067780000000000", "elo"),
        ("5067790000000000", None),
        ("6362970000457013", "elo"),
        ("6500310000000000", "elo"),  # Elo BIN inside the Discover range
        ("6500340000000000", "discover"),
        ("6550200000000000", "discover"),
        ("6550580000000000", "elo"),
        ("6062825624254001", "hipercard"),
        ("3841001111222233334", "hipercard"),  # Hipercard inside Diners' 38
        ("38520000023237", "diners"),
        ("30569309025904", "diners"),
        ("36259600000004", "diners"),
        ("3060000000000000", None),
        ("6011111111111117", "discover"),
        ("6500000000000002", "discover"),
        ("9999999999999999", None),
        ("", None),
        ("4111-1111-1111-1111", "visa"),
        ("not a card", None),
    ],
)
def test_card_brand(number: str, brand: str | None) -> None:
    assert card_brand(number) == brand


def test_mask_and_last4() -> None:
    assert mask_card("4111111111111111") == "411111******1111"
    assert mask_card("4111 1111 1111 1111") == "411111******1111"
    assert mask_card("378282246310005") == "378282*****0005"
    assert mask_card("123456") == "**3456"
    assert mask_card("123") == "123"
    assert last4("5555 5555 5555 4444") == "4444"
    assert last4("12") == "12"
    with pytest.raises(ValueError):
        mask_card("4111x")


@SETTINGS
@given(st.from_regex(r"[0-9]{13,19}", fullmatch=True))
def test_mask_keeps_length_and_edges(number: str) -> None:
    masked = mask_card(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:] == last4(number)
    assert set(masked[6:-4]) == {"*"}
