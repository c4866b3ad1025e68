"""Payment codes found in a provider's record, and their pictures: Pix BR Code as a QR (segno), boleto as ITF."""

from __future__ import annotations

from typing import Any

import segno

from simulator.brdata.boleto import barcode_from_linha, barcode_is_valid, format_linha, linha_digitavel, \
    linha_is_valid
from simulator.brdata.itf import barcode_svg
from simulator.brdata.pix import brcode_is_valid
from simulator.brdata.documents import only_digits


def _strings(record: Any) -> list[str]:
    """Every string value in a record and its nested dicts and lists (bookkeeping keys skipped), in order."""
    out: list[str] = []
    stack: list[Any] = [record]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            stack.extend(v for k, v in item.items() if not str(k).startswith("_"))
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            out.append(item)
    return out


def find_brcode(record: Any) -> str | None:
    """The record's Pix copy-and-paste code: the first string that is a valid BR Code."""
    return next((s for s in _strings(record) if s.startswith("000201") and brcode_is_valid(s)), None)


def find_boleto(record: Any) -> dict[str, str] | None:
    """The record's boleto: barcode (44 digits), linha digitável (47) and its printed form."""
    for s in _strings(record):
        digits = only_digits(s)
        if len(digits) == 47 and linha_is_valid(digits):
            code = barcode_from_linha(digits)
            return {"barcode": code, "linha": digits, "printed": format_linha(digits)}
        if len(digits) == 44 and len(s.strip()) == 44 and barcode_is_valid(digits):
            linha = linha_digitavel(digits)
            return {"barcode": digits, "linha": linha, "printed": format_linha(linha)}
    return None


def qr_svg(text: str, scale: int = 5) -> str:
    """An inline SVG QR code (error correction M, like bank apps expect) of `text`."""
    qr = segno.make(text, error="m", micro=False)
    svg: str = qr.svg_inline(scale=scale, dark="#000", light="#fff", title="Pix QR code", omitsize=True)
    return svg


def itf_svg(barcode: str) -> str:
    return barcode_svg(barcode, height=50)
