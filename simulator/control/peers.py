"""GET /_sim/requests?all_instances=true and GET /_sim/webhooks?all_instances=true: the request journals (or the
webhook delivery journals) of every instance sharing a PostgreSQL store, merged. Each journal stays in its
instance's memory (it is the hot path); the instance asked fetches the others' at the URLs they advertise in the
store (simulator/shared.py) and merges them by time. Every entry carries the `instance` that made it (a delivery's
`id` is its instance's: resend it there); `instances` says which were asked and which could not be reached."""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict
from urllib.parse import urlencode

import httpx

from simulator.records import JSON

PEER_TIMEOUT_SECONDS = 5.0


class InstanceStatus(TypedDict):
    """An instance asked for its entries (`instances` of the merged answer)."""
    instance: int
    url: str | None
    reachable: bool
    error: str | None


async def _fetch(client: httpx.AsyncClient, number: int, url: str, path: str, key: str,
                 params: list[tuple[str, str]], headers: dict[str, str]) -> tuple[list[dict[str, Any]], InstanceStatus]:
    try:
        query = f"?{urlencode(params)}" if params else ""
        r = await client.get(f"{url}{path}{query}", headers=headers)
        if r.status_code != 200:
            return [], {"instance": number, "url": url, "reachable": False, "error": f"answered {r.status_code}"}
        entries = r.json().get(key) or []
    except (httpx.HTTPError, ValueError) as exc:
        return [], {"instance": number, "url": url, "reachable": False, "error": type(exc).__name__}
    return [{**e, "instance": number} for e in entries if isinstance(e, dict)], \
        {"instance": number, "url": url, "reachable": True, "error": None}


async def merged(own: list[dict[str, Any]], me: int, peers: list[tuple[int, str]], params: list[tuple[str, str]],
                 authorization: str | None, limit: int | None, path: str = "/_sim/requests",
                 key: str = "requests") -> dict[str, JSON]:
    """This instance's entries and its peers' (`key` of the answer of `path`), oldest first (at most `limit`,
    the latest)."""
    headers = {"host": "localhost"}  # a loopback name every instance answers (security.Guard)
    if authorization:
        headers["authorization"] = authorization  # the same control token on every instance
    entries = [{**e, "instance": me} for e in own]
    asked: list[InstanceStatus] = [{"instance": me, "url": None, "reachable": True, "error": None}]
    async with httpx.AsyncClient(timeout=PEER_TIMEOUT_SECONDS, follow_redirects=False) as client:
        results = await asyncio.gather(*(_fetch(client, n, url, path, key, params, headers) for n, url in peers))
    for found, status in results:
        entries.extend(found)
        asked.append(status)
    entries.sort(key=lambda e: (str(e.get("at")), int(e.get("instance") or 0), int(e.get("id") or 0)))
    if limit is not None and limit >= 0:
        entries = entries[-limit:] if limit else []
    return {key: entries, "instances": asked}
