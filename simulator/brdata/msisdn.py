"""Mozambican mobile numbers (msisdns) and their mobile-money operators.

A national mobile number is 9 digits starting with ``8``; the next digit
names the operator. The operator table is data: providers pass their own
(from their behaviour file) through the ``operators`` argument, and
:data:`MOZ_OPERATORS` is only the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Final

__all__ = ["MOZ_OPERATORS", "moz_operator", "msisdn_belongs_to", "normalize_moz_msisdn"]

MOZ_OPERATORS: Final[Mapping[str, Sequence[str]]] = MappingProxyType(
    {
        "mpesa": ("84", "85"),  # Vodacom
        "emola": ("86", "87"),  # Movitel
        "mkesh": ("82", "83"),  # Tmcel
    }
)

COUNTRY_CODE: Final = "258"
_SEPARATORS: Final = str.maketrans("", "", " -.()")
_PREFIXES: Final = ("+" + COUNTRY_CODE, "00" + COUNTRY_CODE, COUNTRY_CODE)


def _matches(national: str, prefixes: Sequence[str]) -> bool:
    # A bare string ("84") is one prefix, not a sequence of one-digit ones.
    if isinstance(prefixes, str):
        prefixes = (prefixes,)
    return any(national.startswith(p) for p in prefixes)


def normalize_moz_msisdn(s: str) -> str | None:
    """The 9-digit national number in ``s``, or ``None``.

    Spaces, hyphens, dots and parentheses are ignored, and a country prefix
    ``258``, ``+258`` or ``00258`` is stripped. The result must be 9 digits
    starting with ``8``: ``"+258 84 123 4567"`` -> ``"841234567"``.
    """
    if len(s) == 9 and s[0] == "8" and s.isascii() and s.isdigit():
        return s  # already a national number: nothing to strip or remove
    digits = s.strip().translate(_SEPARATORS)
    if len(digits) != 9:  # 9 already: no prefix to strip (each would leave fewer)
        for prefix in _PREFIXES:
            if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
                digits = digits[len(prefix) :]
                break
    if len(digits) != 9 or digits[0] != "8" or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def moz_operator(
    msisdn: str, operators: Mapping[str, Sequence[str]] | None = None
) -> str | None:
    """The operator key (``"mpesa"``, ``"emola"``, ``"mkesh"`` with the
    default table) whose prefixes match ``msisdn``, or ``None`` if the number
    is malformed or matches none. ``operators`` maps operator keys to
    national-number prefixes and defaults to :data:`MOZ_OPERATORS`; the first
    matching entry wins."""
    national = normalize_moz_msisdn(msisdn)
    if national is None:
        return None
    table = MOZ_OPERATORS if operators is None else operators
    for operator, prefixes in table.items():
        if _matches(national, prefixes):
            return operator
    return None


def msisdn_belongs_to(
    msisdn: str, operator: str, operators: Mapping[str, Sequence[str]] | None = None
) -> bool:
    """Whether ``msisdn`` is a well-formed number of ``operator`` according
    to ``operators`` (default :data:`MOZ_OPERATORS`)."""
    national = normalize_moz_msisdn(msisdn)
    if national is None:
        return False
    table = MOZ_OPERATORS if operators is None else operators
    return _matches(national, table.get(operator, ()))
