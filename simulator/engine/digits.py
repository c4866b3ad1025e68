"""Digits as a client sends them: ASCII 0-9 only.

`str.isdigit` is also true of "²", "١" and other characters `int()` refuses or reads differently, so a check
with it followed by `int()` turns odd input into a 500. Client text is checked with these instead.
"""

from __future__ import annotations

from typing import Any


MAX_DIGITS = 64  # longer runs of digits are no id, card or barcode; int() refuses past 4,300 of them


def is_digits(text: str) -> bool:
    """True when `text` is 1 to MAX_DIGITS ASCII digits (so `int(text)` is safe)."""
    return len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()


def small_int(value: Any, digits: int = 18) -> int | None:
    """An id or count from client text: ASCII digits (at most `digits`), else None."""
    text = str(value) if value is not None else ""
    return int(text) if is_digits(text) and len(text) <= digits else None
