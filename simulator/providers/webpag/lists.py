"""WebPag lists: Laravel paginators ({data, links, meta}), as the provider's public clients read them.

The documented examples show only `data`; `links` and `meta` come from the public clients (Laravel
resource collections) and sit beside it, so a client reading only `data` is unaffected.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from simulator.engine.context import Ctx
from simulator.providers.common import int_or_none, paginate
from simulator.records import JSON

T = TypeVar("T")


def page_of(ctx: Ctx, items: Sequence[T], path: str, present: Callable[[T], JSON] | None = None) -> dict[str, JSON]:
    """One page of `items` (`present` shapes only the page's items, not the whole list)."""
    default = int(ctx.config.section("per_page") or 15)
    page = int_or_none(ctx.query.get("page")) or 1
    per_page = int_or_none(ctx.query.get("per_page")) or default
    page = max(1, page)
    per_page = min(max(1, per_page), 100)
    query = {k: v for k, v in ctx.query.items() if k != "page"}
    return paginate(ctx, items, per_page, page, path, query, present)
