"""The webhook outbox: each delivery is attempted on the clock, journalled, and retried on failure.

Retry schedules are per provider (`Outgoing.retry_seconds`, else behaviour.yaml `webhooks.retry_seconds`), so they
compress with the manual clock like everything else. Every attempt is one journal entry (GET /_sim/webhooks); an
event whose attempts all fail stays listed as `failed` and can be resent (one more attempt, now, unaltered by
chaos). Chaos from scenarios (simulator/webhooks/chaos.py) duplicates, reorders, delays, drops or mis-signs.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import itertools
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from simulator.behaviour.config import WebhookDecl
from simulator.clock import Clock, Scheduler
from simulator.engine.errors import SimError
from simulator.records import JSON
from simulator.security import webhook_allowed
from simulator.store.outbox_state import PendingDeliveries
from simulator.store.units import Units
from simulator.webhooks.chaos import Chaos, bad_signature_headers

if TYPE_CHECKING:  # imported on the first delivery: serving starts without it
    import httpx

log = logging.getLogger("provider_sim")
RESPONSE_BODY_LIMIT = 2000
Delivery = dict[str, JSON]  # one attempt, as GET /_sim/webhooks lists it


@dataclass
class Outgoing:
    provider: str
    event: str
    url: str
    body: bytes
    headers: dict[str, str]
    event_id: int | str = 0
    account: str = ""
    retry_seconds: list[float] | None = None  # None: the provider's `webhooks.retry_seconds`; []: no retries
    notify: bool = False  # tell the provider of every attempt (its `webhook_result` hook; not of drops)
    display_body: JSON = None
    signature_header: str | None = None  # None: the provider's `webhooks.signature_header`, if any
    resource: str = ""  # "kind:key" of the resource the event is about (set by Events)

    def to_json(self) -> dict[str, JSON]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "body"}
        data["body"] = base64.b64encode(self.body).decode("ascii")
        return data

    @classmethod
    def from_json(cls, data: dict[str, JSON]) -> "Outgoing":
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["body"] = base64.b64decode(str(data["body"]))
        return cls(**values)


@dataclass
class Chain:
    """One delivery of an event to one URL: its attempts so far."""
    out: Outgoing  # what goes on the wire (chaos applied)
    clean: Outgoing  # what a resend sends
    labels: list[str] = field(default_factory=list)
    attempts: int = 0
    stored: str | None = None  # its key among the pending deliveries of a persistent store

    def to_json(self, due: float) -> dict[str, JSON]:
        return {"out": self.out.to_json(), "clean": None if self.clean is self.out else self.clean.to_json(),
                "labels": list(self.labels), "attempts": self.attempts, "due": due}

    @classmethod
    def from_json(cls, key: str, data: dict[str, JSON]) -> tuple["Chain", float]:
        out = Outgoing.from_json(data["out"])
        clean = Outgoing.from_json(data["clean"]) if data.get("clean") else out
        chain = cls(out, clean, list(data.get("labels") or []), int(data.get("attempts", 0)), key)
        return chain, float(data["due"])


def _no_result(provider: str, delivery: Delivery) -> None:
    """No provider wants attempt results yet."""


async def _head_of(response: httpx.Response, limit: int) -> str:
    """The first `limit` characters of a receiver's answer, reading no more of it than that."""
    data = b""
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) >= limit * 4:
            break
    return data.decode("utf-8", "replace")[:limit]


class Outbox:
    def __init__(self, clock: Clock, scheduler: Scheduler, pending: PendingDeliveries,
                 settings: Callable[[str], WebhookDecl], size: int = 10_000, timeout: float = 5.0,
                 allow: list[str] | None = None, units: Units | None = None) -> None:
        self.clock = clock
        self.units = units  # a POST is never awaited inside a unit of work (it is left, then resumed)
        self.allow = list(allow or [])  # --webhook-allow patterns (empty: any target)
        self.scheduler = scheduler
        self.pending = pending
        self._settings = settings  # a provider's webhook settings (behaviour.yaml `webhooks:`)
        self.on_result: Callable[[str, Delivery], None] = _no_result  # a provider's webhook_result hook
        self.deliveries: deque[Delivery] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._timeout = timeout
        self.client: httpx.AsyncClient | None = None  # made on first use; tests may give their own
        self._chains: dict[int, Chain] = {}
        self._held: dict[tuple[str, str], list[Chain]] = {}

    # --- sending -----------------------------------------------------------------------------------------

    def send(self, out: Outgoing, delay: float = 0.0, chaos: dict[str, JSON] | None = None) -> None:
        """Schedule a delivery (with its copies when chaos duplicates it)."""
        c = Chaos.from_data(chaos)
        wire = out
        if c.bad_signature:
            header = out.signature_header or self._settings(out.provider).signature_header
            changed = bad_signature_headers(out.headers, header)
            if changed is not None:
                wire = dataclasses.replace(out, headers=changed)
        copies = [Chain(wire, out, c.labels() + (["copy"] if i else [])) for i in range(1 + c.duplicate)]
        if c.out_of_order:
            key = (out.provider, out.account)
            self._held.setdefault(key, []).extend(copies)
            self.scheduler.after(delay + c.hold_seconds, functools.partial(self._release, key, copies),
                                 tag=f"webhook:{out.provider}")
            return
        for chain in copies:
            self._schedule_first(chain, delay + c.delay_seconds, c.drop)

    def release_held(self, provider: str, account: str, delay: float = 0.0) -> None:
        """Send what out-of-order chaos held back for this provider and account (after what is already due)."""
        for chain in self._held.pop((provider, account), []):
            self._schedule_first(chain, delay, "drop" in chain.labels)

    def _release(self, key: tuple[str, str], chains: list[Chain]) -> None:
        """The hold of out-of-order chains ran out with no later event: send those still held."""
        held = self._held.get(key, [])
        mine = [c for c in held if any(c is x for x in chains)]
        self._held[key] = [c for c in held if not any(c is x for x in chains)]
        for chain in mine:
            self._schedule_first(chain, 0.0, "drop" in chain.labels)

    def _schedule_first(self, chain: Chain, delay: float, drop: bool) -> None:
        if drop:
            self.scheduler.after(delay, functools.partial(self._dropped, chain), tag=f"webhook:{chain.out.provider}")
        else:
            self._schedule(chain, self.clock.now() + delay)

    def _schedule(self, chain: Chain, due: float) -> None:
        """The chain's next attempt at `due`, kept among the pending deliveries of a persistent store (several
        instances: only there, and the instance that claims it runs it: `attempt_stored`)."""
        if self.scheduler.shared is None:
            self.scheduler.at(due, functools.partial(self._attempt, chain), tag=f"webhook:{chain.out.provider}")
        chain.stored = self.pending.save(chain.stored, chain.to_json(due))

    async def attempt_stored(self, key: str) -> Delivery | None:
        """The next attempt of a pending delivery kept in the shared store (claimed by this instance)."""
        data = self.pending.get(key)
        if data is None:
            return None
        chain, _ = Chain.from_json(key, data)
        return await self._attempt(chain)

    def restore(self) -> int:
        """Schedule every pending delivery of a persistent store again (after a restart)."""
        if self.scheduler.shared is not None:
            return 0  # the shared store is the schedule
        count = 0
        for key, data in self.pending.load():
            chain, due = Chain.from_json(key, data)
            self.scheduler.at(due, functools.partial(self._attempt, chain), tag=f"webhook:{chain.out.provider}")
            count += 1
        return count

    def _dropped(self, chain: Chain) -> Delivery:
        chain.attempts += 1
        return self._journal(chain, chain.out, status=None, duration=0.0, error="dropped by scenario chaos",
                             state="dropped", response_body=None)

    def _retries(self, out: Outgoing) -> list[float]:
        if out.retry_seconds is not None:
            return [float(s) for s in out.retry_seconds]
        return list(self._settings(out.provider).retry_seconds)

    def _timeout_for(self, provider: str) -> float:
        return self._settings(provider).timeout_seconds or self._timeout

    async def _post(self, out: Outgoing) -> tuple[int | None, str | None, str | None, float]:
        import httpx
        if self.client is None:
            self.client = httpx.AsyncClient(follow_redirects=False)
        started = time.perf_counter()
        if not webhook_allowed(out.url, self.allow):
            return None, "target not allowed by --webhook-allow (not sent)", None, 0.0
        if self.units is None:
            return await self._post_now(self.client, out, started)
        async with self.units.outside():  # the receiver may call this simulator back meanwhile
            return await self._post_now(self.client, out, started)

    async def _post_now(self, client: httpx.AsyncClient, out: Outgoing, started: float
                        ) -> tuple[int | None, str | None, str | None, float]:
        import httpx
        status: int | None = None
        error: str | None = None
        text: str | None = None
        try:
            async with client.stream("POST", out.url, content=out.body, headers=out.headers,
                                     timeout=self._timeout_for(out.provider)) as response:
                status = response.status_code
                text = await _head_of(response, RESPONSE_BODY_LIMIT)
            if not 200 <= status < 300:
                error = f"receiver answered {status}"
        except httpx.TimeoutException as exc:
            error = f"timeout: {type(exc).__name__}"
        except Exception as exc:  # a refused connection, a bad URL, a broken receiver: all failed attempts
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return status, error, text, round((time.perf_counter() - started) * 1000, 2)

    async def _attempt(self, chain: Chain, retry: bool = True, resend_of: int | None = None) -> Delivery:
        out = chain.clean if resend_of is not None else chain.out
        chain.attempts += 1
        status, error, text, duration = await self._post(out)
        retries = self._retries(out) if retry else []
        if error is None:
            state = "delivered"
        elif chain.attempts <= len(retries):
            state = "retrying"
            self._schedule(chain, self.clock.now() + retries[chain.attempts - 1])
        else:
            state = "failed"
        if state != "retrying":
            self.pending.forget(chain.stored)
            chain.stored = None
        delivery = self._journal(chain, out, status, duration, error, state, text, resend_of)
        if out.notify:
            try:
                self.on_result(out.provider, delivery)
            except Exception:  # the provider's bookkeeping must not stop the outbox
                log.exception("webhook result hook failed for %s", out.provider)
        return delivery

    def _journal(self, chain: Chain, out: Outgoing, status: int | None, duration: float, error: str | None,
                 state: str, response_body: str | None, resend_of: int | None = None) -> Delivery:
        ident = next(self._ids)
        delivery: Delivery = {
            "id": ident, "event_id": out.event_id, "provider": out.provider, "account": out.account,
            "event": out.event, "url": out.url, "attempt": chain.attempts, "at": self.clock.now_iso(),
            "request_headers": dict(out.headers),
            "body": out.display_body if out.display_body is not None else out.body.decode("utf-8", "replace"),
            "status": status, "duration_ms": duration, "error": error, "state": state,
            "response_body": response_body, "chaos": [] if resend_of is not None else list(chain.labels),
            "resend_of": resend_of,
        }
        if self.deliveries.maxlen is not None and len(self.deliveries) == self.deliveries.maxlen:
            self._chains.pop(int(self.deliveries[0]["id"]), None)
        self.deliveries.append(delivery)
        self._chains[ident] = chain
        return delivery

    # --- control ---------------------------------------------------------------------------------------

    async def resend(self, delivery_id: int) -> Delivery:
        """POST /_sim/webhooks/{id}/resend: that delivery's event again, now, as the provider built it."""
        chain = self._chains.get(delivery_id)
        if chain is None:
            raise SimError(404, f"no webhook delivery {delivery_id}")
        return await self._attempt(chain, retry=False, resend_of=delivery_id)

    async def deliver_now(self, out: Outgoing) -> Delivery:
        """One attempt right away (a provider's 'test webhook' operation); retries follow on the clock."""
        return await self._attempt(Chain(out, out))

    def query(self, provider: str | None = None, state: str | None = None,
              event_id: str | None = None) -> list[Delivery]:
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
        self._chains.clear()
        self._held.clear()
        self._ids = itertools.count(1)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None
