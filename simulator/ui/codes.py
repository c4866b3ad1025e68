"""Pictures of payment codes: a Pix BR Code as a QR code (segno), a boleto's barcode as ITF bars."""

from __future__ import annotations

import segno

from simulator.brdata.itf import barcode_svg


def qr_svg(text: str, scale: int = 5) -> str:
    """An inline SVG QR code (error correction M, as bank apps expect) of `text`."""
    qr = segno.make(text, error="m", micro=False)
    svg: str = qr.svg_inline(scale=scale, dark="#000", light="#fff", title="Pix QR code", omitsize=True)
    return svg


def itf_svg(barcode: str) -> str:
    return barcode_svg(barcode, height=50)
