"""Form bodies of the payer's pages (urlencoded, parsed here so no multipart library is needed)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request


async def form(request: Request) -> dict[str, str]:
    raw = (await request.body()).decode("utf-8", "replace")
    return {k: v.strip() for k, v in parse_qsl(raw, keep_blank_values=True)}


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` appended to its query string (keeping what it already has)."""
    parts = urlsplit(url)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def is_http_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))
