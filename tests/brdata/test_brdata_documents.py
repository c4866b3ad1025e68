"""Tests for simulator.brdata.documents: CPF, CNPJ, CEP, e-mail, phone."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.brdata import (
    br_phone_is_valid,
    cep_is_valid,
    cnpj_is_valid,
    cpf_is_valid,
    email_is_valid,
    generate_cnpj,
    generate_cpf,
    only_digits,
)

SETTINGS = settings(max_examples=60, derandomize=True, deadline=None, database=None)


@pytest.mark.parametrize("cpf", ["529.982.247-25", "52998224725", " 529.982.247-25 ", "52998224725"])
def test_known_valid_cpf(cpf: str) -> None:
    assert cpf_is_valid(cpf)


@pytest.mark.parametrize(
    "cpf",
    [
        "111.111.111-11",
        "00000000000",
        "529.982.247-24",
        "529.982.247-52",
        "5299822472",
        "529982247250",
        "529-982-247.25",
        "529a982b247c25",
        "",
        "٥٢٩٩٨٢٢٤٧٢٥",  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_invalid_cpf(cpf: str) -> None:
    assert not cpf_is_valid(cpf)


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-81", "11222333000181"])
def test_known_valid_cnpj(cnpj: str) -> None:
    assert cnpj_is_valid(cnpj)


@pytest.mark.parametrize(
    "cnpj",
    ["11.222.333/0001-80", "11.111.111/1111-11", "00000000000000", "1122233300018", "11.222.333-0001/81"],
)
def test_invalid_cnpj(cnpj: str) -> None:
    assert not cnpj_is_valid(cnpj)


def test_generated_documents_are_deterministic_and_formatted() -> None:
    assert generate_cpf(random.Random(7)) == generate_cpf(random.Random(7))
    cpf = generate_cpf(random.Random(7), formatted=True)
    assert len(cpf) == 14 and cpf[3] == "." and cpf[7] == "." and cpf[11] == "-"
    cnpj = generate_cnpj(random.Random(7), formatted=True)
    assert len(cnpj) == 18 and cnpj[2] == "." and cnpj[10] == "/" and cnpj[15] == "-"
    assert only_digits(cnpj)[8:12] == "0001"


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32), formatted=st.booleans())
def test_generated_cpf_is_valid(seed: int, formatted: bool) -> None:
    cpf = generate_cpf(random.Random(seed), formatted=formatted)
    assert cpf_is_valid(cpf)
    assert len(only_digits(cpf)) == 11


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32), formatted=st.booleans())
def test_generated_cnpj_is_valid(seed: int, formatted: bool) -> None:
    cnpj = generate_cnpj(random.Random(seed), formatted=formatted)
    assert cnpj_is_valid(cnpj)
    assert len(only_digits(cnpj)) == 14


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32), position=st.integers(9, 10), delta=st.integers(1, 9))
def test_changing_a_cpf_check_digit_invalidates_it(seed: int, position: int, delta: int) -> None:
    # Only check-digit changes are always caught: the "remainder < 2 gives 0"
    # rule lets some single changes in the body through.
    digits = list(generate_cpf(random.Random(seed)))
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not cpf_is_valid("".join(digits))


def test_changing_a_known_cpf_body_digit_invalidates_it() -> None:
    assert not cpf_is_valid("529.982.248-25")
    assert not cnpj_is_valid("11.222.334/0001-81")


def test_only_digits() -> None:
    assert only_digits("11.222.333/0001-81") == "11222333000181"
    assert only_digits("a²٣b") == ""


@pytest.mark.parametrize(("cep", "ok"), [("01310-100", True), ("01310100", True), ("0131-0100", False),
                                         ("0131010", False), ("00000-000", False), ("01310-10a", False)])
def test_cep(cep: str, ok: bool) -> None:
    assert cep_is_valid(cep) is ok


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("fulano@example.com", True),
        ("fulano.de.tal+pix@mail.example.com.br", True),
        ("a@b.co", True),
        ("fulano@example", False),
        ("fulano@@example.com", False),
        (".fulano@example.com", False),
        ("fulano..tal@example.com", False),
        ("fulano@-example.com", False),
        ("fulano@example.c", False),
        ("fulano example@example.com", False),
        ("x" * 65 + "@example.com", False),
        ("fulano@" + "a" * 250 + ".com", False),
    ],
)
def test_email(email: str, ok: bool) -> None:
    assert email_is_valid(email) is ok


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("(11) 98765-4321", True),
        ("11987654321", True),
        ("+55 11 98765-4321", True),
        ("5511987654321", True),
        ("(21) 3456-7890", True),
        ("+55 (99) 2345-6789", True),
        ("(11) 88765-4321", False),  # 11 digits but not a mobile 9
        ("(10) 98765-4321", False),  # DDD 10 does not exist
        ("(20) 3456-7890", False),  # no DDD contains a 0
        ("(01) 3456-7890", False),
        ("(21) 0456-7890", False),
        ("+1 11 98765-4321", False),
        ("987654321", False),
        ("119876543210", False),
        ("(11) 9876S-4321", False),
    ],
)
def test_br_phone(phone: str, ok: bool) -> None:
    assert br_phone_is_valid(phone) is ok
