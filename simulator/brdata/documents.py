"""Brazilian identity documents and contact data: CPF, CNPJ, CEP, e-mail, phone.

CPF (11 digits) and CNPJ (14 digits) each end in two mod-11 check digits. For
every check digit the preceding digits are multiplied by descending weights
(CPF: 10..2 then 11..2; CNPJ: 5,4,3,2,9,8,7,6,5,4,3,2 then 6,5,4,3,2,9,...,2),
the products are summed, and a remainder ``r = sum % 11`` below 2 gives 0,
otherwise ``11 - r``. Numbers whose digits are all equal pass the arithmetic
but are invalid by rule.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Final

__all__ = [
    "br_phone_is_valid",
    "cep_is_valid",
    "cnpj_is_valid",
    "cpf_is_valid",
    "email_is_valid",
    "format_cnpj",
    "format_cpf",
    "generate_cnpj",
    "generate_cpf",
    "only_digits",
]

_ASCII_DIGITS: Final = frozenset("0123456789")

_CPF_RE: Final = re.compile(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", re.ASCII)
_CNPJ_RE: Final = re.compile(r"\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}", re.ASCII)
_CEP_RE: Final = re.compile(r"\d{5}-?\d{3}", re.ASCII)

_CPF_WEIGHTS_1: Final = tuple(range(10, 1, -1))
_CPF_WEIGHTS_2: Final = tuple(range(11, 1, -1))
_CNPJ_WEIGHTS_1: Final = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS_2: Final = (6, *_CNPJ_WEIGHTS_1)

_EMAIL_LOCAL: Final = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_EMAIL_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_RE: Final = re.compile(
    rf"(?P<local>{_EMAIL_LOCAL})@(?:{_EMAIL_LABEL}\.)+[A-Za-z]{{2,63}}", re.ASCII
)

_PHONE_PUNCTUATION: Final = str.maketrans("", "", " ()-.")


def only_digits(s: str) -> str:
    """Return the ASCII digits of ``s`` in order, dropping everything else."""
    return "".join(c for c in s if c in _ASCII_DIGITS)


def _mod11_digit(digits: Sequence[int], weights: Sequence[int]) -> int:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def _check_digits(base: Sequence[int], w1: Sequence[int], w2: Sequence[int]) -> tuple[int, int]:
    first = _mod11_digit(base, w1)
    second = _mod11_digit([*base, first], w2)
    return first, second


def _has_valid_check_digits(number: str, w1: Sequence[int], w2: Sequence[int]) -> bool:
    digits = [int(c) for c in number]
    if len(set(digits)) == 1:
        return False
    return _check_digits(digits[:-2], w1, w2) == (digits[-2], digits[-1])


def cpf_is_valid(s: str) -> bool:
    """Whether ``s`` is a valid CPF, as digits (``52998224725``) or punctuated
    (``529.982.247-25``). Surrounding whitespace is ignored."""
    s = s.strip()
    if not _CPF_RE.fullmatch(s):
        return False
    return _has_valid_check_digits(only_digits(s), _CPF_WEIGHTS_1, _CPF_WEIGHTS_2)


def cnpj_is_valid(s: str) -> bool:
    """Whether ``s`` is a valid (numeric) CNPJ, as digits (``11222333000181``)
    or punctuated (``11.222.333/0001-81``). Surrounding whitespace is ignored."""
    s = s.strip()
    if not _CNPJ_RE.fullmatch(s):
        return False
    return _has_valid_check_digits(only_digits(s), _CNPJ_WEIGHTS_1, _CNPJ_WEIGHTS_2)


def format_cpf(digits: str) -> str:
    """Punctuate an 11-digit CPF as ``000.000.000-00``."""
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"


def format_cnpj(digits: str) -> str:
    """Punctuate a 14-digit CNPJ as ``00.000.000/0000-00``."""
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"


def _random_base(rng: random.Random, length: int) -> list[int]:
    while True:
        base = [rng.randrange(10) for _ in range(length)]
        if len(set(base)) > 1:
            return base


def generate_cpf(rng: random.Random, formatted: bool = False) -> str:
    """A random valid CPF drawn from ``rng``; punctuated when ``formatted``."""
    base = _random_base(rng, 9)
    digits = "".join(map(str, [*base, *_check_digits(base, _CPF_WEIGHTS_1, _CPF_WEIGHTS_2)]))
    return format_cpf(digits) if formatted else digits


def generate_cnpj(rng: random.Random, formatted: bool = False) -> str:
    """A random valid CNPJ drawn from ``rng`` for a head office (branch
    ``0001``); punctuated when ``formatted``."""
    base = [*_random_base(rng, 8), 0, 0, 0, 1]
    digits = "".join(map(str, [*base, *_check_digits(base, _CNPJ_WEIGHTS_1, _CNPJ_WEIGHTS_2)]))
    return format_cnpj(digits) if formatted else digits


def cep_is_valid(s: str) -> bool:
    """Whether ``s`` is a CEP (postal code): 8 digits, optionally written
    ``01310-100``. The all-zero code is rejected."""
    s = s.strip()
    return bool(_CEP_RE.fullmatch(s)) and only_digits(s) != "00000000"


def email_is_valid(s: str) -> bool:
    """Pragmatic e-mail check: dot-atom local part (at most 64 characters),
    ``@``, at least two DNS labels with an alphabetic TLD, at most 254
    characters overall. Quoted local parts and IP literals are rejected."""
    if len(s) > 254:
        return False
    match = _EMAIL_RE.fullmatch(s)
    return match is not None and len(match.group("local")) <= 64


def br_phone_is_valid(s: str) -> bool:
    """Whether ``s`` is a Brazilian phone number with area code (DDD).

    Spaces, parentheses, hyphens and dots are ignored; an optional ``+55``
    (or bare ``55`` on a 12-13 digit number) country code is stripped. What
    remains must be 10 digits (landline, subscriber starting 2-8) or 11
    digits (mobile, subscriber starting 9), after a DDD whose two digits are
    both 1-9 (no Brazilian area code contains a 0).
    """
    s = s.strip().translate(_PHONE_PUNCTUATION)
    if s.startswith("+"):
        if not s.startswith("+55"):
            return False
        s = s[3:]
    elif len(s) in (12, 13) and s.startswith("55"):
        s = s[2:]
    if not s or any(c not in _ASCII_DIGITS for c in s):
        return False
    if len(s) not in (10, 11) or "0" in s[:2]:
        return False
    first = s[2]
    return first == "9" if len(s) == 11 else first in "2345678"
