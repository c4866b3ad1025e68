"""Helpers every provider's handlers share."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from simulator import security
from simulator.engine.context import Ctx


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A record without the simulator's own `_` bookkeeping keys."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def base_url(ctx: Ctx) -> str:
    """The scheme and host of links the provider returns: --public-url, else the (checked) Host this request
    came through (simulator/security.py)."""
    return security.base_url(ctx.sim.settings, ctx.headers)


def provider_url(ctx: Ctx, path: str) -> str:
    return f"{base_url(ctx)}/{ctx.provider.key}{path}"


def paginate(ctx: Ctx, items: list[Any], per_page: int, page: int, path: str,
             query: dict[str, Any]) -> dict[str, Any]:
    """Laravel's resource-collection paginator: {data, links, meta}."""
    total = len(items)
    last_page = max(1, -(-total // per_page))
    start = (page - 1) * per_page
    chunk = items[start:start + per_page]
    url = provider_url(ctx, path)

    def link(n: int) -> str:
        return f"{url}?{urlencode({**query, 'page': n})}"

    meta_links = [{"url": link(page - 1) if page > 1 else None, "label": "&laquo; Previous", "active": False}]
    meta_links += [{"url": link(n), "label": str(n), "active": n == page} for n in range(1, last_page + 1)]
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


def int_or_none(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
