"""Conventions several providers share (they are Laravel apps): the resource-collection paginator, and reading
a path id the way a route binding does."""

from __future__ import annotations

from urllib.parse import urlencode

from simulator.engine.context import Ctx
from simulator.records import JSON


def paginate(ctx: Ctx, items: list[JSON], per_page: int, page: int, path: str,
             query: dict[str, str]) -> dict[str, JSON]:
    """Laravel's resource-collection paginator: {data, links, meta}."""
    total = len(items)
    last_page = max(1, -(-total // per_page))
    start = (page - 1) * per_page
    chunk = items[start:start + per_page]
    url = ctx.provider_url(path)

    def link(n: int) -> str:
        return f"{url}?{urlencode({**query, 'page': n})}"

    meta_links: list[JSON] = [{"url": link(page - 1) if page > 1 else None, "label": "&laquo; Previous",
                               "active": False}]
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


def int_or_none(value: JSON) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
