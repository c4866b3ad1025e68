"""The webhook outbox: each delivery is attempted on the clock, journalled, and retried on failure.

Retry schedules are per provider (behaviour.yaml `webhooks.retry_seconds`), so they compress with the
manual clock like everything else. An event whose attempts all fail stays listed as `failed` and can be resent.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import httpx

from simulator.engine.errors import SimError

if TYPE_CHECKING:
    from simulator.sim import Sim

ResultHook = Callable[["Sim", dict[str, Any]], None]


@dataclass
class Outgoing:
    provider: str
    event: str
    url: str
    body: bytes
    headers: dict[str, str]
    event_id: int | str = 0
    account: str = ""
    retry_seconds: list[float] = field(default_factory=list)
    on_result: ResultHook | None = None
    display_body: Any = None


class Outbox:
    def __init__(self, sim: "Sim", size: int = 10_000, timeout: float = 5.0) -> None:
        self.sim = sim
        self.deliveries: deque[dict[str, Any]] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._outgoing: dict[int, Outgoing] = {}

    def send(self, out: Outgoing, delay: float = 0.0) -> None:
        self.sim.scheduler.after(delay, lambda: self._attempt(out, 1), tag=f"webhook:{out.provider}")

    async def _attempt(self, out: Outgoing, attempt: int) -> dict[str, Any]:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout)
        status: int | None = None
        error: str | None = None
        started = time.perf_counter()
        try:
            response = await self._client.post(out.url, content=out.body, headers=out.headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"receiver answered {status}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        duration = round((time.perf_counter() - started) * 1000, 2)
        retries = out.retry_seconds
        if error is None:
            state = "delivered"
        elif attempt <= len(retries):
            state = "retrying"
            self.sim.scheduler.after(retries[attempt - 1], lambda: self._attempt(out, attempt + 1),
                                     tag=f"webhook:{out.provider}")
        else:
            state = "failed"
        delivery = {
            "id": next(self._ids), "event_id": out.event_id, "provider": out.provider, "account": out.account,
            "event": out.event, "url": out.url, "attempt": attempt, "at": self.sim.clock.now_iso(),
            "request_headers": dict(out.headers),
            "body": out.display_body if out.display_body is not None else out.body.decode("utf-8", "replace"),
            "status": status, "duration_ms": duration, "error": error, "state": state,
        }
        self.deliveries.append(delivery)
        self._outgoing[delivery["id"]] = out
        if out.on_result is not None:
            out.on_result(self.sim, delivery)
        return delivery

    async def resend(self, delivery_id: int) -> dict[str, Any]:
        out = self._outgoing.get(delivery_id)
        if out is None:
            raise SimError(404, f"no webhook delivery {delivery_id}")
        return await self._attempt(out, 1)

    async def deliver_now(self, out: Outgoing) -> dict[str, Any]:
        """One attempt right away (a provider's 'test webhook' operation); retries follow on the clock."""
        return await self._attempt(out, 1)

    def query(self, provider: str | None = None, state: str | None = None,
              event_id: str | None = None) -> list[dict[str, Any]]:
        out = []
        for d in self.deliveries:
            if provider and d["provider"] != provider:
                continue
            if state and d["state"] != state:
                continue
            if event_id and str(d["event_id"]) != event_id:
                continue
            out.append(d)
        return out

    def reset(self) -> None:
        self.deliveries.clear()
        self._outgoing.clear()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
