"""Conventions several providers share: the resource-collection paginator and reading a path id the way a route
binding does (they are Laravel apps), and a minimal one-page PDF for the boletos a payer downloads (text lines in
Helvetica, no dependency needed)."""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar
from urllib.parse import urlencode

from simulator.engine.context import Ctx
from simulator.records import JSON

T = TypeVar("T")


def page_links(page: int, last_page: int, on_each_side: int = 3) -> list[int | None]:
    """The page numbers Laravel's paginator lists in `meta.links` (its UrlWindow), None where it writes "...":
    every page while there are fewer than 2 x on_each_side + 8, else the first pages, a window round the
    current one and the last two, so a list of a million items still answers a few dozen links."""
    if last_page < on_each_side * 2 + 8:
        return list(range(1, last_page + 1))
    window = on_each_side + 4
    if page <= window:
        return [*range(1, window + on_each_side + 1), None, last_page - 1, last_page]
    if page > last_page - window:
        return [1, 2, None, *range(last_page - (window + on_each_side - 1), last_page + 1)]
    return [1, 2, None, *range(page - on_each_side, page + on_each_side + 1), None, last_page - 1, last_page]


def paginate(ctx: Ctx, items: Sequence[T], per_page: int, page: int, path: str,
             query: dict[str, str], present: Callable[[T], JSON] | None = None) -> dict[str, JSON]:
    """Laravel's resource-collection paginator: {data, links, meta}; `present` shapes the page's items only."""
    total = len(items)
    last_page = max(1, -(-total // per_page))
    start = (page - 1) * per_page
    chunk: list[JSON] = list(items[start:start + per_page])
    if present is not None:
        chunk = [present(item) for item in items[start:start + per_page]]
    url = ctx.provider_url(path)

    def link(n: int) -> str:
        return f"{url}?{urlencode({**query, 'page': n})}"

    meta_links: list[dict[str, str | bool | None]] = [
        {"url": link(page - 1) if page > 1 else None, "label": "&laquo; Previous", "active": False}]
    meta_links += [{"url": None, "label": "...", "active": False} if n is None else
                   {"url": link(n), "label": str(n), "active": n == page} for n in page_links(page, last_page)]
    meta_links.append({"url": link(page + 1) if page < last_page else None, "label": "Next &raquo;",
                       "active": False})
    return {
        "data": chunk,
        "links": {"first": link(1), "last": link(last_page),
                  "prev": link(page - 1) if page > 1 else None,
                  "next": link(page + 1) if page < last_page else None},
        "meta": {"current_page": page, "from": start + 1 if chunk else None, "last_page": last_page,
                 "links": meta_links, "path": url, "per_page": per_page,
                 "to": start + len(chunk) if chunk else None, "total": total},
    }


def int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _escape(text: str) -> str:
    folded = text.encode("latin-1", "replace").decode("latin-1")
    return folded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: list[str], title: str = "Boleto") -> bytes:
    """A valid PDF 1.4 document whose single A4 page shows `lines` top to bottom."""
    ops = ["BT", "/F1 16 Tf", "50 790 Td", f"({_escape(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        ops += ["0 -22 Td", f"({_escape(line)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
