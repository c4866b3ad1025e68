"""Pix BR Code (EMV QRCPS "copia e cola" payloads, Banco Central do Brasil).

A BR Code is a flat sequence of TLV fields, ``ID(2) LEN(2) VALUE``, some of
whose values are themselves TLV sequences (26 merchant account, 62
additional data). The last field, ``63``, holds a CRC-16/CCITT-FALSE of the
whole payload up to and including ``6304``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["ascii_fold", "brcode", "brcode_is_valid", "crc16_ccitt_false", "parse_tlv"]

PIX_GUI: Final = "br.gov.bcb.pix"
MAX_NAME: Final = 25
MAX_CITY: Final = 15
NO_TXID: Final = "***"
MAX_AMOUNT_CENTS: Final = 999_999_999_999  # field 54 holds at most 13 characters

_TXID_RE: Final = re.compile(r"[A-Za-z0-9]{1,25}", re.ASCII)
_AMOUNT_RE: Final = re.compile(r"\d{1,13}(?:\.\d{1,2})?", re.ASCII)
_PRINTABLE_RE: Final = re.compile(r"[ -~]+", re.ASCII)
_CRC_RE: Final = re.compile(r"[0-9A-Fa-f]{4}", re.ASCII)


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no
    reflection, no final XOR (check value of ``b"123456789"`` is 0x29B1)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def ascii_fold(s: str) -> str:
    """Strip accents the way banks print names (``"São Paulo"`` ->
    ``"Sao Paulo"``): NFKD-decompose, then keep printable ASCII only, with
    runs of whitespace collapsed to one space."""
    decomposed = unicodedata.normalize("NFKD", s)
    kept = "".join(c if " " <= c <= "~" else " " if c.isspace() else "" for c in decomposed)
    return " ".join(kept.split())


def _tlv(field_id: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {field_id} longer than 99 characters: {value!r}")
    return f"{field_id}{len(value):02d}{value}"


def _fitted(text: str, limit: int, what: str) -> str:
    folded = ascii_fold(text)[:limit].rstrip()
    if not folded:
        raise ValueError(f"{what} is empty after ASCII folding: {text!r}")
    return folded


def brcode(
    *,
    key: str | None = None,
    location_url: str | None = None,
    amount_cents: int | None = None,
    merchant_name: str,
    merchant_city: str,
    txid: str | None = None,
    dynamic: bool = False,
) -> str:
    """Build a Pix BR Code payload.

    Exactly one of ``key`` (a Pix key: e-mail, phone, CPF/CNPJ or random
    EVP) and ``location_url`` (the payload URL of a dynamic charge, without
    scheme) must be given, as non-empty printable ASCII. ``amount_cents`` is
    optional, 1 to 999 999 999 999 (field 54 holds at most 13 characters).
    Name and city are ASCII-folded and truncated to 25 and 15 characters.
    ``txid`` is 1-25 ASCII letters/digits; ``None`` writes
    ``***``. ``dynamic`` sets field 01 to ``12`` (single use) instead of
    ``11``. Raises ``ValueError`` on malformed input.
    """
    if key is not None and location_url is None:
        account = _tlv("00", PIX_GUI) + _tlv("01", key)
    elif location_url is not None and key is None:
        account = _tlv("00", PIX_GUI) + _tlv("25", location_url)
    else:
        raise ValueError("give exactly one of key and location_url")
    if not _PRINTABLE_RE.fullmatch(key or location_url or ""):
        raise ValueError(f"key or location_url must be printable ASCII: {key or location_url!r}")
    if amount_cents is not None and not 0 < amount_cents <= MAX_AMOUNT_CENTS:
        raise ValueError(f"amount_cents out of range: {amount_cents}")
    if txid is not None and not _TXID_RE.fullmatch(txid):
        raise ValueError(f"txid must be 1-25 ASCII letters or digits, got {txid!r}")
    fields = [
        _tlv("00", "01"),
        _tlv("01", "12" if dynamic else "11"),
        _tlv("26", account),
        _tlv("52", "0000"),
        _tlv("53", "986"),
    ]
    if amount_cents is not None:
        fields.append(_tlv("54", f"{amount_cents // 100}.{amount_cents % 100:02d}"))
    fields += [
        _tlv("58", "BR"),
        _tlv("59", _fitted(merchant_name, MAX_NAME, "merchant_name")),
        _tlv("60", _fitted(merchant_city, MAX_CITY, "merchant_city")),
        _tlv("62", _tlv("05", txid or NO_TXID)),
        "6304",
    ]
    payload = "".join(fields)
    return f"{payload}{crc16_ccitt_false(payload.encode('utf-8')):04X}"


def parse_tlv(s: str) -> dict[str, str]:
    """Parse one level of ``ID(2) LEN(2) VALUE`` fields into an ordered dict.
    Nested templates (26, 62) stay as strings; parse them again. Raises
    ``ValueError`` on a truncated field, a non-numeric ID or length, or a
    repeated ID."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(s):
        field_id, length = s[pos : pos + 2], s[pos + 2 : pos + 4]
        if not (_is_2_digits(field_id) and _is_2_digits(length)):
            raise ValueError(f"malformed TLV header at offset {pos}: {s[pos:pos + 4]!r}")
        end = pos + 4 + int(length)
        if end > len(s):
            raise ValueError(f"field {field_id} at offset {pos} runs past the end")
        if field_id in fields:
            raise ValueError(f"field {field_id} repeated at offset {pos}")
        fields[field_id] = s[pos + 4 : end]
        pos = end
    return fields


def _is_2_digits(s: str) -> bool:
    return len(s) == 2 and s.isascii() and s.isdigit()


def brcode_is_valid(s: str) -> bool:
    """Whether ``s`` is a well-formed Pix BR Code: parseable TLV starting
    with ``000201`` and ending with field 63 whose CRC matches (hex case is
    not significant); merchant account 26 naming ``br.gov.bcb.pix`` with a
    key (01) or location (25); 52, 53=986, 58=BR, 59 and 60 present; 01, if
    present, is 11 or 12; 54, if present, is a decimal amount of at most
    13 characters."""
    try:
        fields = parse_tlv(s)
        account = parse_tlv(fields.get("26", ""))
    except ValueError:
        return False
    if not s.startswith("000201") or list(fields)[-1] != "63" or s[-8:-4] != "6304":
        return False
    crc = s[-4:]
    if not _CRC_RE.fullmatch(crc) or int(crc, 16) != crc16_ccitt_false(s[:-4].encode("utf-8")):
        return False
    if account.get("00", "").lower() != PIX_GUI or not ("01" in account or "25" in account):
        return False
    if fields.get("01", "11") not in ("11", "12"):
        return False
    amount = fields.get("54")
    if amount is not None and (len(amount) > 13 or not _AMOUNT_RE.fullmatch(amount)):
        return False
    required = ("52", "59", "60")
    return fields.get("53") == "986" and fields.get("58") == "BR" and all(fields.get(f) for f in required)
