"""FEBRABAN bank slips (boletos de cobrança): barcode and linha digitável.

Barcode, 44 digits::

    BBB 9 D FFFF VVVVVVVVVV LLLLLLLLLLLLLLLLLLLLLLLLL
    bank, currency (9 = real), general check digit, due-date factor,
    amount in centavos, free field (25 digits, defined by the bank)

Linha digitável, 47 digits (what the payer types)::

    field 1: bank + currency + free[0:5]  + mod-10 digit  (10 digits)
    field 2: free[5:15]                   + mod-10 digit  (11 digits)
    field 3: free[15:25]                  + mod-10 digit  (11 digits)
    field 4: general check digit                          (1 digit)
    field 5: factor + amount                              (14 digits)

Only boletos de cobrança are covered; utility/tax slips (arrecadação, 48-digit
lines starting with 8) follow different rules and are rejected.
"""

from __future__ import annotations

import datetime
import random
from typing import Final

from .itf import barcode_svg, interleaved_2_of_5_bars

__all__ = [
    "barcode",
    "barcode_from_linha",
    "barcode_is_valid",
    "barcode_svg",
    "due_date_factor",
    "format_linha",
    "generate_boleto",
    "interleaved_2_of_5_bars",
    "linha_digitavel",
    "linha_is_valid",
]

FACTOR_BASE_DATE: Final = datetime.date(1997, 10, 7)
CURRENCY_REAL: Final = "9"
MAX_AMOUNT_CENTS: Final = 9_999_999_999

_DIGITS: Final = frozenset("0123456789")
_LINHA_SEPARATORS: Final = str.maketrans("", "", " .")


def _is_digits(s: str, length: int) -> bool:
    return len(s) == length and all(c in _DIGITS for c in s)


def due_date_factor(d: datetime.date) -> int:
    """The 4-digit due-date factor for ``d``: days since 1997-10-07.

    The factor reached 9999 on 2025-02-21 and restarted at 1000 on
    2025-02-22, cycling through 1000..9999 every 9000 days from then on
    (2026-11-23 -> 1639). Raises ``ValueError`` for dates on or before the
    base date, since factor 0000 means "no due date".
    """
    days = (d - FACTOR_BASE_DATE).days
    if days < 1:
        raise ValueError(f"due date {d.isoformat()} precedes the factor base date")
    if days < 1000:
        return days
    return (days - 1000) % 9000 + 1000


def _general_check_digit(digits43: str) -> int:
    """Mod 11 over the 43 barcode digits other than the check digit itself,
    weights 2..9 cycling from the right; results 0, 10 and 11 become 1."""
    total = sum(int(c) * (2 + i % 8) for i, c in enumerate(reversed(digits43)))
    digit = 11 - total % 11
    return 1 if digit in (0, 10, 11) else digit


def _mod10_check_digit(digits: str) -> int:
    """Mod 10 with weights 2,1 alternating from the right; two-digit products
    contribute the sum of their digits."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        product = int(c) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def barcode(bank: str, amount_cents: int, due: datetime.date | None, free_field: str) -> str:
    """Assemble the 44-digit barcode of a boleto.

    ``bank`` is the 3-digit bank code (``"001"``), ``amount_cents`` at most
    9 999 999 999 (0 lets the payer fill in the amount), ``due`` the due date
    (``None`` writes factor 0000, "no due date"), ``free_field`` 25 digits.
    Raises ``ValueError`` on malformed input.
    """
    if not _is_digits(bank, 3):
        raise ValueError(f"bank code must be 3 digits, got {bank!r}")
    if not 0 <= amount_cents <= MAX_AMOUNT_CENTS:
        raise ValueError(f"amount_cents out of range: {amount_cents}")
    if not _is_digits(free_field, 25):
        raise ValueError(f"free field must be 25 digits, got {free_field!r}")
    factor = 0 if due is None else due_date_factor(due)
    head = bank + CURRENCY_REAL
    tail = f"{factor:04d}{amount_cents:010d}{free_field}"
    return f"{head}{_general_check_digit(head + tail)}{tail}"


def barcode_is_valid(s: str) -> bool:
    """Whether ``s`` is a 44-digit boleto barcode in reais with a correct
    general check digit."""
    if not _is_digits(s, 44) or s[3] != CURRENCY_REAL:
        return False
    return int(s[4]) == _general_check_digit(s[:4] + s[5:])


def linha_digitavel(barcode: str) -> str:
    """The 47-digit linha digitável (digits only) for a 44-digit barcode.
    Raises ``ValueError`` if ``barcode`` is not 44 digits."""
    if not _is_digits(barcode, 44):
        raise ValueError(f"barcode must be 44 digits, got {barcode!r}")
    free = barcode[19:]
    fields = (barcode[:4] + free[:5], free[5:15], free[15:])
    checked = "".join(f + str(_mod10_check_digit(f)) for f in fields)
    return checked + barcode[4] + barcode[5:19]


def _clean_linha(s: str) -> str:
    return s.strip().translate(_LINHA_SEPARATORS)


def barcode_from_linha(linha: str) -> str:
    """Rebuild the 44-digit barcode from a linha digitável (digits, or the
    spaced/dotted form). Check digits are not verified; see
    :func:`linha_is_valid`. Raises ``ValueError`` if not 47 digits."""
    digits = _clean_linha(linha)
    if not _is_digits(digits, 47):
        raise ValueError(f"linha digitável must be 47 digits, got {linha!r}")
    return digits[:4] + digits[32] + digits[33:] + digits[4:9] + digits[10:20] + digits[21:31]


def linha_is_valid(s: str) -> bool:
    """Whether ``s`` (digits, or the spaced/dotted form) is a 47-digit linha
    digitável whose three field check digits and general check digit hold."""
    digits = _clean_linha(s)
    if not _is_digits(digits, 47):
        return False
    for start, end in ((0, 9), (10, 20), (21, 31)):
        if int(digits[end]) != _mod10_check_digit(digits[start:end]):
            return False
    return barcode_is_valid(barcode_from_linha(digits))


def format_linha(linha: str) -> str:
    """Render a linha digitável in its usual human form,
    ``00190.00009 01234.567890 12345.678901 2 16390000010000``.
    Raises ``ValueError`` if not 47 digits."""
    d = _clean_linha(linha)
    if not _is_digits(d, 47):
        raise ValueError(f"linha digitável must be 47 digits, got {linha!r}")
    return f"{d[:5]}.{d[5:10]} {d[10:15]}.{d[15:21]} {d[21:26]}.{d[26:32]} {d[32]} {d[33:]}"


def generate_boleto(
    rng: random.Random, bank: str, amount_cents: int, due: datetime.date | None
) -> tuple[str, str]:
    """A boleto with a random free field drawn from ``rng``; returns
    ``(barcode, linha_digitavel)``, both digits only."""
    free_field = "".join(str(rng.randrange(10)) for _ in range(25))
    code = barcode(bank, amount_cents, due, free_field)
    return code, linha_digitavel(code)
