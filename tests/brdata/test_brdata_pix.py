"""Tests for simulator.brdata.pix: CRC, TLV parsing, BR Code build and validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.brdata import ascii_fold, brcode, brcode_is_valid, crc16_ccitt_false, parse_tlv

SETTINGS = settings(max_examples=60, derandomize=True, deadline=None, database=None)

# The static example of the Banco Central BR Code manual.
BCB_EXAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


def test_bcb_example_is_valid() -> None:
    assert brcode_is_valid(BCB_EXAMPLE)
    assert brcode_is_valid(BCB_EXAMPLE[:-4] + BCB_EXAMPLE[-4:].lower())
    fields = parse_tlv(BCB_EXAMPLE)
    assert list(fields) == ["00", "26", "52", "53", "58", "59", "60", "62", "63"]
    assert parse_tlv(fields["26"]) == {"00": "br.gov.bcb.pix", "01": "123e4567-e12b-12d1-a456-426655440000"}
    assert parse_tlv(fields["62"]) == {"05": "***"}


def test_static_brcode_fields() -> None:
    code = brcode(
        key="123e4567-e12b-12d1-a456-426655440000",
        amount_cents=None,
        merchant_name="Fulano de Tal",
        merchant_city="BRASILIA",
        txid=None,
        dynamic=False,
    )
    assert brcode_is_valid(code)
    assert code.startswith("000201010211")
    # Identical to the manual's example apart from field 01 and hence the CRC.
    assert code[12:-4] == BCB_EXAMPLE[6:-4]


def test_dynamic_brcode_with_amount_and_location() -> None:
    code = brcode(
        location_url="pix.example.com/qr/v2/9d36b84f-c70b-478f-b95c-12729b90ca25",
        amount_cents=1234,
        merchant_name="Loja",
        merchant_city="Recife",
        txid=None,
        dynamic=True,
    )
    fields = parse_tlv(code)
    assert fields["01"] == "12"
    assert fields["54"] == "12.34"
    assert parse_tlv(fields["26"])["25"].startswith("pix.example.com/")
    assert brcode_is_valid(code)


def test_names_are_folded_and_truncated() -> None:
    code = brcode(
        key="fulano@example.com",
        amount_cents=5,
        merchant_name="Padaria São João & Açaí Comércio Ltda",
        merchant_city="São José dos Campos",
        txid="PEDIDO42",
        dynamic=False,
    )
    fields = parse_tlv(code)
    assert fields["59"] == "Padaria Sao Joao & Acai C"
    assert fields["60"] == "Sao Jose dos Ca"
    assert fields["54"] == "0.05"
    assert parse_tlv(fields["62"]) == {"05": "PEDIDO42"}
    assert code.isascii()


def test_ascii_fold() -> None:
    assert ascii_fold("São Paulo") == "Sao Paulo"
    assert ascii_fold("  Ação\tÇÃO  ﬁm ") == "Acao CAO fim"
    assert ascii_fold("日本") == ""


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"key": "k", "location_url": "pix.example.com/x"},
        {"key": "k", "amount_cents": 0},
        {"key": "k", "amount_cents": 10**12},
        {"key": "k", "txid": "has-dash"},
        {"key": "k", "txid": "A" * 26},
        {"key": "k", "merchant_name": "日本"},
        {"key": "k" * 78},
        {"key": ""},
        {"key": "chave-çã"},
    ],
)
def test_brcode_rejects_bad_input(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"merchant_name": "Loja", "merchant_city": "Recife", **kwargs}
    with pytest.raises(ValueError):
        brcode(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        BCB_EXAMPLE[:-1],
        BCB_EXAMPLE[:-4] + "1D3E",
        BCB_EXAMPLE.replace("Fulano", "Fulana"),
        BCB_EXAMPLE[6:],
        "0002016304FFFF",
    ],
)
def test_brcode_is_valid_rejects(bad: str) -> None:
    assert not brcode_is_valid(bad)


def _with_crc(payload_without_crc: str) -> str:
    payload = payload_without_crc + "6304"
    return payload + f"{crc16_ccitt_false(payload.encode()):04X}"


def test_brcode_is_valid_checks_structure_not_only_crc() -> None:
    body = BCB_EXAMPLE[:-8]
    assert brcode_is_valid(_with_crc(body))
    assert not brcode_is_valid(_with_crc(body.replace("5303986", "5303840")))
    assert not brcode_is_valid(_with_crc(body.replace("br.gov.bcb.pix", "br.gov.bcb.xyz")))
    assert not brcode_is_valid(_with_crc(body.replace("5802BR", "5802US")))


@pytest.mark.parametrize("bad", ["0", "00", "0002", "00020", "0005abc", "AB02xx", "000201000201"])
def test_parse_tlv_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_tlv(bad)


pix_inputs = st.fixed_dictionaries(
    {
        "key": st.from_regex(r"[a-z0-9.]{1,30}@[a-z]{1,20}\.com(\.br)?", fullmatch=True),
        "amount_cents": st.none() | st.integers(min_value=1, max_value=999_999_999_999),
        "merchant_name": st.text(min_size=1, max_size=40).filter(lambda s: ascii_fold(s) != ""),
        "merchant_city": st.sampled_from(
            ["São Paulo", "Florianópolis", "Belo Horizonte", "Maputo", "Macapá"]
        ),
        "txid": st.none() | st.from_regex(r"[A-Za-z0-9]{1,25}", fullmatch=True),
        "dynamic": st.booleans(),
    }
)


@SETTINGS
@given(pix_inputs)
def test_generated_brcode_round_trips(kwargs: dict[str, object]) -> None:
    code = brcode(**kwargs)  # type: ignore[arg-type]
    assert brcode_is_valid(code)
    fields = parse_tlv(code)
    amount = kwargs["amount_cents"]
    if amount is None:
        assert "54" not in fields
    else:
        assert isinstance(amount, int)
        assert round(float(fields["54"]) * 100) == amount
        assert fields["54"] == f"{amount // 100}.{amount % 100:02d}"
    assert parse_tlv(fields["26"])["01"] == kwargs["key"]
    assert parse_tlv(fields["62"])["05"] == (kwargs["txid"] or "***")
    assert len(fields["59"]) <= 25 and len(fields["60"]) <= 15
    assert fields["63"] == code[-4:] and fields["63"] == fields["63"].upper()


@SETTINGS
@given(pix_inputs, st.data())
def test_corrupted_brcode_fails(kwargs: dict[str, object], data: st.DataObject) -> None:
    code = brcode(**kwargs)  # type: ignore[arg-type]
    position = data.draw(st.integers(0, len(code) - 5))
    alphabet = st.sampled_from("0123456789ABCXYZabcxyz.*")
    replacement = data.draw(alphabet.filter(lambda c: c != code[position]))
    assert not brcode_is_valid(code[:position] + replacement + code[position + 1 :])
