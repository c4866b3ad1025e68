"""One provider request, start to end, as a readable list of steps.

route -> rate limit -> scenario names -> body -> auth -> scenario rules -> operation (guard -> input cleaning ->
validation -> handler). Any step may raise ProviderError (rendered from the provider's error table) or end with
a Reply; every request is journalled.

The operation is one unit of work (simulator/store/units.py): it starts after the body is read and a scenario's
latency slept, and is committed before the answer is sent, the provider's own error answers included (a declined
card's failed payment is kept); an unexpected exception rolls it back (the 500 stores nothing).
"""

from __future__ import annotations

import logging
from itertools import chain
from asyncio import sleep  # a scenario's latency (tests replace pipeline.sleep)
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Iterable, MutableMapping
from urllib.parse import parse_qsl

from simulator.behaviour.config import Plan
from simulator.clock import Clock, Scheduler
from simulator.engine.bodies import BodyError, parse_body
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError, SimError
from simulator.engine.journal import Journal
from simulator.engine.operation import Operation
from simulator.engine.provider import ProviderRuntime
from simulator.jsonio import dumps
from simulator.limits import Limits
from simulator.records import JSON
from simulator.scenarios.engine import ScenarioEngine, ScenarioMatch
from simulator.scenarios.faults import apply as apply_fault
from simulator.store.units import READS, Units

log = logging.getLogger("provider_sim")
Scope = MutableMapping[str, JSON]
Receive = Callable[[], Awaitable[MutableMapping[str, JSON]]]
Send = Callable[[MutableMapping[str, JSON]], Awaitable[None]]
_JSON_TYPE = b"application/json"


class Fault(Exception):
    """A network fault a scenario asked for: the connection is not answered normally."""

    def __init__(self, kind: str, seconds: float = 30.0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.seconds = seconds  # how long a `timeout` holds the request at most


@dataclass
class Pipeline:
    """What the request path uses: the clock and its due work, the scenarios, the journal and the limits."""
    clock: Clock
    scheduler: Scheduler
    scenarios: ScenarioEngine
    journal: Journal
    limits: Limits = field(default_factory=Limits)
    rate_limits: bool = True
    units: Units | None = None  # None: no units of work (a pipeline without a store's transactions)

    async def run(self, ctx: Ctx, runtime: ProviderRuntime) -> Reply:
        operation = step_route(ctx, runtime, self.limits)
        if self.rate_limits and runtime.rate_limiter is not None:
            step_rate_limit(ctx, runtime, self.clock.now())
        if "x-sim-scenario" in ctx.headers:
            step_scenario_names(ctx, self.scenarios)
        step_body(ctx, runtime, self.limits)
        step_auth(ctx, runtime)
        match = self.scenarios.match(ctx)
        if match is not None:
            early = await step_scenarios(ctx, runtime, match)
            if early is not None:
                return early
        if self.units is not None:
            await self.units.begin(ctx.method not in READS)  # ended by serve, before the answer is sent
        return await operation.run(ctx)

    async def serve(self, runtime: ProviderRuntime, path: str, scope: Scope, receive: Receive,
                    send: Send) -> None:
        """Answer one HTTP request for a provider and journal it."""
        if self.scheduler.has_due():
            await self.scheduler.run_due()
        headers = _decoded(scope["headers"])
        qs = scope.get("query_string", b"").decode("latin-1")
        ctx = Ctx(runtime.env, scope["method"], path, dict(parse_qsl(qs, keep_blank_values=True)) if qs else {},
                  headers, b"")
        ctx.client = str((scope.get("client") or ("",))[0] or "")
        ctx.scheme = str(scope.get("scheme") or "http")
        try:
            reply = await self._reply(runtime, ctx, scope, receive, qs)
        except Fault as fault:
            self._journal(ctx, 0, b"", qs)
            await apply_fault(fault.kind, fault.seconds, receive, send)
            return
        payload = reply.raw if reply.raw is not None else runtime.encode(reply.body)
        ctype = reply.content_type
        head = [(b"content-type", _JSON_TYPE if ctype == "application/json" else ctype.encode()),
                (b"content-length", str(len(payload)).encode())]
        head.extend(runtime.response_headers)
        if ctx.response_headers or reply.headers:
            extra = {k.lower(): str(v) for k, v in ctx.response_headers.items()}
            extra.update((k.lower(), str(v)) for k, v in reply.headers.items())
            head.extend((k.encode(), v.encode()) for k, v in extra.items())
        await send({"type": "http.response.start", "status": reply.status, "headers": head})
        await send({"type": "http.response.body", "body": b"" if ctx.method == "HEAD" else payload})
        self._journal(ctx, reply.status, payload, qs, reply.raw is not None)

    async def _reply(self, runtime: ProviderRuntime, ctx: Ctx, scope: Scope, receive: Receive, qs: str) -> Reply:
        """The request's answer, its unit of work committed (or rolled back when it raised); a Fault goes up."""
        try:
            refused = _oversized(ctx, scope, qs, self.limits)
            if refused is not None:
                raise refused
            raw = await _read_body(receive, self.limits.max_body_bytes)
            if raw is None:
                ctx.violations.append(f"body: larger than {self.limits.max_body_bytes} bytes")
                raise ProviderError("payload_too_large")
            ctx.raw_body = raw
            reply = await self.run(ctx, runtime)
            if self.units is not None:
                self.units.end(True)  # durable before the answer is sent
            return reply
        except ProviderError as err:  # the provider's own answer: what it stored on the way is kept (a declined
            self._keep()                # card's failed payment), as the real provider's database keeps it
            status, body, extra = runtime.error_reply(err, ctx.path)
            return Reply(status, body, extra)
        except SimError as err:
            self._keep()
            reply = Reply(err.status, {"error": err.message})
            reply.raw = dumps(reply.body)
            return reply
        except Fault:
            raise
        except Exception:  # a simulator bug must still answer in the provider's shape (rolled back below)
            log.exception("unhandled error in %s %s", ctx.method, ctx.path)
            status, body, extra = runtime.error_reply(ProviderError("server_error"), ctx.path)
            return Reply(status, body, extra)
        finally:  # a bug, a Fault or a cancel (the client went away): a unit still open is rolled back
            if self.units is not None:
                self.units.end(False)

    def _keep(self) -> None:
        """Commit this request's unit of work, if it has one open."""
        if self.units is not None:
            self.units.end(True)

    def _journal(self, ctx: Ctx, status: int, payload: bytes, qs: str, as_text: bool = False) -> None:
        """One journal entry: what was asked and the bytes answered (simulator/engine/journal.py)."""
        self.journal.record(self.clock.now(), ctx.env.key, ctx.op.id if ctx.op else None,
                            ctx.account.id if ctx.account else None, ctx.method, ctx.path, qs, ctx.headers,
                            ctx.body, ctx.raw_body, status, payload, as_text, ctx.scenario_applied, ctx.violations,
                            ctx.warnings)


def step_route(ctx: Ctx, runtime: ProviderRuntime, limits: Limits) -> Operation:
    longest = limits.max_path_segment_bytes
    if len(ctx.path) > longest and any(len(part) > longest for part in ctx.path.split("/")):
        ctx.violations.append(f"path: a segment longer than {longest} bytes names no resource")
        raise ProviderError("route_not_found", {"method": ctx.method, "path": ctx.path.lstrip("/")[:longest]})
    hit = runtime.router.match(ctx.method, ctx.path)
    if hit is None and ctx.method == "HEAD":
        hit = runtime.router.match("GET", ctx.path)
    if hit is None:
        ctx.violations.append(f"unknown operation: {ctx.method} {ctx.path}")
        allowed = runtime.router.allowed_methods(ctx.path)
        if allowed:
            raise ProviderError("method_not_allowed", {"method": ctx.method, "path": ctx.path.lstrip("/")},
                                headers={"Allow": ", ".join(allowed)})
        raise ProviderError("route_not_found", {"method": ctx.method, "path": ctx.path.lstrip("/")})
    operation, ctx.params = hit
    ctx.op = operation.spec
    return operation


def step_rate_limit(ctx: Ctx, runtime: ProviderRuntime, now: float) -> None:
    """The provider's request limit (behaviour.yaml `rate_limit:`), on matched routes, before auth (as Laravel)."""
    limiter = runtime.rate_limiter
    if limiter is None:
        return
    decision = limiter.hit(limiter.key_for(ctx.client, ctx.headers), now)
    ctx.response_headers.update(decision.headers)
    if not decision.allowed:
        raise ProviderError(limiter.rule.error, headers=decision.headers)


def step_scenario_names(ctx: Ctx, scenarios: ScenarioEngine) -> None:
    header = ctx.headers.get("x-sim-scenario")
    if not header:
        return
    names = [n.strip() for n in header.split(",") if n.strip()]
    unknown = [n for n in names if not scenarios.known(n)]
    if unknown:
        raise SimError(400, f"unknown scenario(s) in X-Sim-Scenario: {', '.join(unknown)}")
    ctx.scenarios = names


def step_body(ctx: Ctx, runtime: ProviderRuntime, limits: Limits) -> None:
    assert ctx.op is not None
    if not ctx.raw_body:
        ctx.body = None  # nothing sent (parse_body's answer for an empty body)
        return
    base = ctx.headers.get("content-type", "").split(";", 1)[0].strip().lower()  # as parse_body reads it
    if ctx.op.body_types and base not in ctx.op.body_types:
        ctx.wrong_content_type = base or "none"
        ctx.violations.append(
            f"content-type: wrong content type {base or '(none)'}: this operation takes only "
            f"{' or '.join(ctx.op.body_types)}, so the provider does not read the body as it was meant "
            "(violations marked 'follows from the content type' come from this one)")
    try:
        ctx.body = parse_body(ctx.raw_body, base, limits, strict_unicode=runtime.php_input, notes=ctx.violations)
        if runtime.php_input and ctx.body == []:
            ctx.body = {}  # PHP decodes [] and {} to the same empty array: no input (WebPag's client sends [])
    except BodyError as exc:
        ctx.violations.append(f"body: {exc}")
        ctx.body = None


def step_auth(ctx: Ctx, runtime: ProviderRuntime) -> None:
    assert ctx.op is not None
    if not ctx.op.secured:
        return
    auth = runtime.authenticator(ctx.path) if runtime.version_auth else runtime.auth
    ctx.account = auth.identify(ctx.headers, ctx.body)
    if ctx.account is None:
        ctx.violations.append("auth: missing or unknown credentials")
        raise ProviderError("unauthenticated")


async def step_scenarios(ctx: Ctx, runtime: ProviderRuntime, match: ScenarioMatch) -> Reply | None:
    """What the scenario rules that matched the request do (ScenarioEngine.match)."""
    ctx.scenario_applied = match.name
    if match.latency_ms:
        await sleep(match.latency_ms / 1000)
    if match.fault:
        raise Fault(match.fault, match.timeout_seconds)
    if match.outcome:
        o = match.outcome
        ctx.plan = Plan.from_data({**o, "after_seconds": o.get("after_seconds", 0)})
    if match.webhooks:
        ctx.webhook_chaos = dict(match.webhooks)
    if match.respond is not None:
        r = dict(match.respond)
        headers = dict(r.get("headers") or {})
        if "error" in r:
            status, body, error_headers = runtime.error_reply(
                ProviderError(str(r["error"]), dict(r.get("values") or {})), ctx.path)
            r.setdefault("status", status)
            r.setdefault("body", body)
            headers = {**error_headers, **headers}
        return Reply(int(r.get("status", 200)), r.get("body"), headers)
    return None


_HEADERS: dict[tuple[bytes, bytes], tuple[str, str]] = {}  # raw header -> (name lower-cased, value), decoded once
HEADER_CACHE = 1024  # distinct headers remembered (a client sends the same few every time; others are decoded)
HEADER_CACHED_BYTES = 512  # a longer header (name and value) is decoded each time, never remembered


def _decoded(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """The request's headers as text: names lower-cased, the last of a repeated name kept."""
    headers: dict[str, str] = {}
    cache = _HEADERS
    for pair in raw:
        known = cache.get(pair) if type(pair) is tuple else None
        if known is None:
            name, value = pair
            known = (name.decode("latin-1").lower(), value.decode("latin-1"))
            if type(pair) is tuple and len(cache) < HEADER_CACHE and len(name) + len(value) <= HEADER_CACHED_BYTES:
                cache[pair] = known
        headers[known[0]] = known[1]
    return headers


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    message = await receive()
    chunk = message.get("body", b"")
    if not message.get("more_body", False):  # the whole body in one message (the usual case)
        return chunk if len(chunk) <= limit else None
    if len(chunk) > limit:
        return None
    chunks: list[bytes] = [chunk]
    size = len(chunk)
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _oversized(ctx: Ctx, scope: Scope, qs: str, limits: Limits) -> ProviderError | None:
    """The request-line and header limits (simulator/limits.py), checked before the body is read."""
    raw_headers = scope["headers"]
    if len(raw_headers) > limits.max_header_count:
        ctx.violations.append(f"headers: more than {limits.max_header_count}")
        return ProviderError("headers_too_large")
    if sum(map(len, chain.from_iterable(raw_headers))) > limits.max_header_bytes:
        ctx.violations.append(f"headers: more than {limits.max_header_bytes} bytes")
        return ProviderError("headers_too_large")
    if len(scope.get("raw_path") or scope["path"]) + len(qs) > limits.max_url_bytes:
        ctx.violations.append(f"url: longer than {limits.max_url_bytes} bytes")
        return ProviderError("uri_too_long")
    declared = ctx.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > limits.max_body_bytes):
        ctx.violations.append(f"body: larger than {limits.max_body_bytes} bytes")
        return ProviderError("payload_too_large")
    return None
