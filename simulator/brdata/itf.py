"""Interleaved 2 of 5 (ITF), the symbology printed on boletos.

Each digit is five elements, two of them wide. Digits are taken in pairs: the
first digit of a pair is drawn by the five bars, the second by the five
spaces between them, interleaved bar, space, bar, space... The symbol starts
with ``nnnn`` (narrow bar, narrow space, narrow bar, narrow space) and stops
with ``Wnn`` (wide bar, narrow space, narrow bar).
"""

from __future__ import annotations

import struct
import zlib
from typing import Final

__all__ = ["barcode_png", "barcode_svg", "interleaved_2_of_5_bars"]

NARROW: Final = "n"
WIDE: Final = "W"
START: Final = "nnnn"
STOP: Final = "Wnn"
QUIET_ZONE_UNITS: Final = 10

_PATTERNS: Final = {
    "0": "nnWWn",
    "1": "WnnnW",
    "2": "nWnnW",
    "3": "WWnnn",
    "4": "nnWnW",
    "5": "WnWnn",
    "6": "nWWnn",
    "7": "nnnWW",
    "8": "WnnWn",
    "9": "nWnWn",
}


def interleaved_2_of_5_bars(digits: str) -> str:
    """The ITF element sequence for ``digits``, start and stop included.

    Format: one character per element, ``"n"`` narrow or ``"W"`` wide.
    Elements alternate bar and space, starting with a bar, so the element at
    an even index is a bar (dark) and at an odd index a space (light); the
    sequence always ends on a bar. A 44-digit boleto barcode gives
    4 + 44 * 5 + 3 = 227 elements. Raises ``ValueError`` unless ``digits``
    is a non-empty, even-length string of ASCII digits.
    """
    if not digits or len(digits) % 2 or any(c not in _PATTERNS for c in digits):
        raise ValueError(f"ITF needs an even number of digits, got {digits!r}")
    parts = [START]
    for i in range(0, len(digits), 2):
        bars, spaces = _PATTERNS[digits[i]], _PATTERNS[digits[i + 1]]
        parts.extend(b + s for b, s in zip(bars, spaces, strict=True))
    parts.append(STOP)
    return "".join(parts)


def barcode_svg(digits: str, height: int = 50) -> str:
    """A small inline SVG drawing the ITF barcode of ``digits``.

    Narrow elements are 1 user unit wide and wide ones 3, with a 10-unit
    quiet zone on each side; bars are black ``<rect>`` elements ``height``
    units tall on a transparent background. The SVG scales through its
    ``viewBox``; set CSS width/height on it to size the printout. Raises
    ``ValueError`` like :func:`interleaved_2_of_5_bars`, or if ``height`` is
    not positive.
    """
    if height <= 0:
        raise ValueError(f"height must be positive, got {height}")
    elements = interleaved_2_of_5_bars(digits)
    x = QUIET_ZONE_UNITS
    rects = []
    for i, element in enumerate(elements):
        width = 3 if element == WIDE else 1
        if i % 2 == 0:
            rects.append(f'<rect x="{x}" y="0" width="{width}" height="{height}"/>')
        x += width
    total = x + QUIET_ZONE_UNITS
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {height}" '
        f'width="{total}" height="{height}" shape-rendering="crispEdges" '
        f'role="img" aria-label="{digits}">'
        f'<g fill="#000">{"".join(rects)}</g></svg>'
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def barcode_png(digits: str, height: int = 50) -> bytes:
    """The ITF barcode of ``digits`` as a 1-bit grayscale PNG (black bars on white).

    Narrow elements are 1 pixel wide and wide ones 3, with a 10-pixel quiet
    zone on each side, as :func:`barcode_svg` draws them. Every row is the
    same, so the image compresses to a few hundred bytes. Raises
    ``ValueError`` like :func:`interleaved_2_of_5_bars`, or if ``height`` is
    not positive.
    """
    if height <= 0:
        raise ValueError(f"height must be positive, got {height}")
    pixels = [1] * QUIET_ZONE_UNITS  # 1 = white, 0 = black in a grayscale bit depth of 1
    for i, element in enumerate(interleaved_2_of_5_bars(digits)):
        pixels += [i % 2] * (3 if element == WIDE else 1)
    pixels += [1] * QUIET_ZONE_UNITS
    width = len(pixels)
    pixels += [1] * (-width % 8)
    row = b"\x00" + bytes(int("".join(map(str, pixels[i:i + 8])), 2) for i in range(0, len(pixels), 8))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(row * height, 9)) + _png_chunk(b"IEND", b""))
