"""Payment card numbers: Luhn check digit, brand by prefix, masking.

Card numbers may be written with spaces or hyphens (``4111 1111 1111 1111``);
every function here ignores them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["card_brand", "last4", "luhn_complete", "luhn_is_valid", "mask_card"]

_SEPARATORS: Final = str.maketrans("", "", " -")
_DIGITS: Final = frozenset("0123456789")

# Elo BINs (6-digit), as inclusive ranges. Checked before every other brand:
# several sit inside the Visa (4), Discover (65) ranges.
ELO_BIN_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (401178, 401179),
    (431274, 431274),
    (438935, 438935),
    (451416, 451416),
    (457393, 457393),
    (457631, 457632),
    (504175, 504175),
    (506699, 506778),
    (509000, 509999),
    (627780, 627780),
    (636297, 636297),
    (636368, 636368),
    (650031, 650033),
    (650035, 650051),
    (650405, 650439),
    (650485, 650538),
    (650541, 650598),
    (650700, 650718),
    (650720, 650727),
    (650901, 650920),
    (651652, 651679),
    (655000, 655019),
    (655021, 655058),
)

# (brand, prefixes), checked in order after Elo; Hipercard's 3841 must come
# before Diners' 38.
_PREFIX_BRANDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("hipercard", ("606282", "3841")),
    ("amex", ("34", "37")),
    ("diners", ("300", "301", "302", "303", "304", "305", "36", "38")),
    ("discover", ("6011", "65")),
    ("mastercard", ("51", "52", "53", "54", "55")),
    ("visa", ("4",)),
)


def _clean(number: str) -> str | None:
    digits = number.strip().translate(_SEPARATORS)
    return digits if digits and all(c in _DIGITS for c in digits) else None


def _luhn_sum(digits: str, double_first: bool) -> int:
    """Sum of Luhn contributions of ``digits`` read from the right, doubling
    the rightmost digit when ``double_first``."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if (i % 2 == 0) == double_first:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


def luhn_is_valid(number: str) -> bool:
    """Whether ``number`` (at least 2 digits) passes the Luhn check."""
    digits = _clean(number)
    return digits is not None and len(digits) >= 2 and _luhn_sum(digits, False) % 10 == 0


def luhn_complete(prefix_without_check_digit: str) -> str:
    """Append the Luhn check digit to ``prefix_without_check_digit``
    (separators dropped). Raises ``ValueError`` if it is not digits."""
    digits = _clean(prefix_without_check_digit)
    if digits is None:
        raise ValueError(f"not a card number prefix: {prefix_without_check_digit!r}")
    return digits + str((10 - _luhn_sum(digits, True) % 10) % 10)


def card_brand(number: str) -> str | None:
    """The brand of ``number`` by prefix: ``"elo"``, ``"hipercard"``,
    ``"amex"``, ``"diners"``, ``"discover"``, ``"mastercard"`` or
    ``"visa"``; ``None`` if unknown or not digits. The Luhn digit is not
    checked."""
    digits = _clean(number)
    if digits is None:
        return None
    if len(digits) >= 6:
        bin6 = int(digits[:6])
        if any(low <= bin6 <= high for low, high in ELO_BIN_RANGES):
            return "elo"
    for brand, prefixes in _PREFIX_BRANDS:
        if digits.startswith(prefixes):
            return brand
    if len(digits) >= 4 and 2221 <= int(digits[:4]) <= 2720:
        return "mastercard"
    return None


def last4(number: str) -> str:
    """The last four digits of ``number`` (fewer if it is shorter)."""
    return (_clean(number) or "")[-4:]


def mask_card(number: str) -> str:
    """Mask ``number`` for display and logs, keeping the length: the BIN
    (first 6) and last 4 digits stay visible (``411111******1111``). Numbers
    shorter than 13 digits show only the last 4. Raises ``ValueError`` if
    ``number`` is not digits."""
    digits = _clean(number)
    if digits is None:
        raise ValueError("not a card number")
    if len(digits) < 13:
        return "*" * max(len(digits) - 4, 0) + digits[-4:]
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
