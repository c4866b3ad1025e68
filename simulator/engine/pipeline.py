"""One provider request, start to end, as a readable list of steps.

route -> scenario names -> body -> auth -> scenario rules -> guard -> validation -> handler
Any step may raise ProviderError (rendered from the provider's error table) or end with a Reply.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, MutableMapping
from urllib.parse import parse_qsl

from simulator.engine.bodies import BodyError, parse_body
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError, SimError, ValidationFailed
from simulator.engine.journal import cut_headers, cut_text
from simulator.jsonio import dumps
from simulator.lifecycle import Plan
from simulator.spec.validation import coerce_form, coerce_query

if TYPE_CHECKING:
    from simulator.engine.provider import ProviderRuntime
    from simulator.sim import Sim

log = logging.getLogger("provider_sim")
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Fault(Exception):
    """A network fault a scenario asked for: the connection is not answered normally."""

    def __init__(self, kind: str, seconds: float = 30.0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.seconds = seconds  # how long a `timeout` holds the request at most


def step_route(ctx: Ctx) -> None:
    longest = ctx.sim.settings.limits.max_path_segment_bytes
    if len(ctx.path) > longest and any(len(part) > longest for part in ctx.path.split("/")):
        ctx.violations.append(f"path: a segment longer than {longest} bytes names no resource")
        raise ProviderError("route_not_found", {"method": ctx.method, "path": ctx.path.lstrip("/")[:longest]})
    hit = ctx.provider.router.match(ctx.method, ctx.path)
    if hit is None and ctx.method == "HEAD":
        hit = ctx.provider.router.match("GET", ctx.path)
    if hit is None:
        ctx.violations.append(f"unknown operation: {ctx.method} {ctx.path}")
        allowed = ctx.provider.router.allowed_methods(ctx.path)
        if allowed:
            raise ProviderError("method_not_allowed", {"method": ctx.method, "path": ctx.path.lstrip("/")},
                                headers={"Allow": ", ".join(allowed)})
        raise ProviderError("route_not_found", {"method": ctx.method, "path": ctx.path.lstrip("/")})
    ctx.op, ctx.params = hit


def step_rate_limit(ctx: Ctx) -> None:
    """The provider's request limit (behaviour.yaml `rate_limit:`), on matched routes, before auth (as Laravel)."""
    limiter = ctx.provider.rate_limiter
    if limiter is None or not ctx.sim.settings.rate_limits:
        return
    decision = limiter.hit(limiter.key_for(ctx.client, ctx.headers), ctx.sim.clock.now())
    ctx.response_headers.update(decision.headers)
    if not decision.allowed:
        raise ProviderError(limiter.rule.error, headers=decision.headers)


def step_scenario_names(ctx: Ctx) -> None:
    header = ctx.headers.get("x-sim-scenario")
    if not header:
        return
    names = [n.strip() for n in header.split(",") if n.strip()]
    unknown = [n for n in names if not ctx.sim.scenarios.known(n)]
    if unknown:
        raise SimError(400, f"unknown scenario(s) in X-Sim-Scenario: {', '.join(unknown)}")
    ctx.scenarios = names


def step_body(ctx: Ctx) -> None:
    assert ctx.op is not None
    ctype = ctx.headers.get("content-type", "")
    if ctx.raw_body and ctx.op.body_types:
        base = ctype.split(";", 1)[0].strip().lower()
        if base not in ctx.op.body_types:
            ctx.wrong_content_type = base or "none"
            ctx.violations.append(
                f"content-type: wrong content type {base or '(none)'}: this operation takes only "
                f"{' or '.join(ctx.op.body_types)}, so the provider does not read the body as it was meant "
                "(violations marked 'follows from the content type' come from this one)")
    try:
        ctx.body = parse_body(ctx.raw_body, ctype, ctx.sim.settings.limits, strict_unicode=ctx.provider.php_input,
                              notes=ctx.violations)
    except BodyError as exc:
        ctx.violations.append(f"body: {exc}")
        ctx.body = None


def step_auth(ctx: Ctx) -> None:
    assert ctx.op is not None
    if not ctx.op.spec.secured:
        return
    ctx.account = ctx.provider.auth.identify(ctx.headers, ctx.body)
    if ctx.account is None:
        ctx.violations.append("auth: missing or unknown credentials")
        raise ProviderError("unauthenticated")


async def step_scenarios(ctx: Ctx) -> Reply | None:
    match = ctx.sim.scenarios.match(ctx)
    if match is None:
        return None
    ctx.scenario_applied = match.name
    if match.latency_ms:
        await asyncio.sleep(match.latency_ms / 1000)
    if match.fault:
        raise Fault(match.fault, match.timeout_seconds)
    if match.outcome:
        o = match.outcome
        ctx.plan = Plan(to=str(o["status"]), after_seconds=o.get("after_seconds", 0),
                        after_reads=o.get("after_reads"), message=o.get("message"))
    if match.webhooks:
        ctx.webhook_chaos = dict(match.webhooks)
    if match.respond is not None:
        r = match.respond
        return Reply(int(r.get("status", 200)), r.get("body"), dict(r.get("headers") or {}))
    return None


def step_guard(ctx: Ctx) -> None:
    """Provider checks that come before validation (e.g. ClicPay's wallet ownership, a 403)."""
    assert ctx.op is not None
    guard = ctx.provider.hooks.guards.get(ctx.op.id)
    if guard is not None:
        guard(ctx)


def step_validate(ctx: Ctx) -> None:
    op = ctx.op
    assert op is not None
    fields: dict[str, list[str]] = {}
    body_fields: dict[str, list[str]] = {}
    if op.query_validator is not None and ctx.query:
        fields.update(op.query_validator.errors(coerce_query(op.spec.query_params, ctx.query)))
    if op.body_validator is not None:
        body = ctx.body if isinstance(ctx.body, dict) else {}
        if ctx.body is not None and not isinstance(ctx.body, dict):
            ctx.violations.append("body: not an object")
        body_fields = op.body_validator.errors(body)
        fields.update(body_fields)
    if fields:
        caused = _from_content_type(ctx, body_fields) if body_fields else set()
        for name, msgs in fields.items():
            note = " (follows from the content type)" if name in caused else ""
            ctx.violations.append(f"schema: {name}: {'; '.join(msgs)}{note}")
        raise ValidationFailed(fields, op.validation_error)


def _from_content_type(ctx: Ctx, fields: dict[str, list[str]]) -> set[str]:
    """The failing fields that a body sent with the operation's own content type would not fail: all of them when
    the body could not be read, else those whose form text would pass as the JSON types the schema declares."""
    op = ctx.op
    if ctx.wrong_content_type is None or op is None or op.body_validator is None:
        return set()
    if ctx.body is None:
        return set(fields)  # the body could not be read at all
    if not isinstance(ctx.body, dict) or ctx.wrong_content_type != "application/x-www-form-urlencoded":
        return set()  # read as JSON all the same: its values have their own types
    as_meant = op.body_validator.errors(coerce_form(op.body_validator.schema, ctx.body))
    return {name for name, msgs in fields.items() if as_meant.get(name) != msgs}


async def step_handler(ctx: Ctx) -> Reply:
    assert ctx.op is not None
    result = ctx.op.handler(ctx)
    if inspect.isawaitable(result):
        result = await result
    assert isinstance(result, Reply)
    return result


async def run_pipeline(ctx: Ctx) -> Reply:
    step_route(ctx)
    step_rate_limit(ctx)
    step_scenario_names(ctx)
    step_body(ctx)
    step_auth(ctx)
    early = await step_scenarios(ctx)
    if early is not None:
        return early
    step_guard(ctx)
    step_validate(ctx)
    return await step_handler(ctx)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _oversized(ctx: Ctx, scope: Scope, qs: str) -> ProviderError | None:
    """The request-line and header limits (simulator/limits.py), checked before the body is read."""
    limits = ctx.sim.settings.limits
    raw_headers = scope["headers"]
    if len(raw_headers) > limits.max_header_count:
        ctx.violations.append(f"headers: more than {limits.max_header_count}")
        return ProviderError("headers_too_large")
    if sum(len(k) + len(v) for k, v in raw_headers) > limits.max_header_bytes:
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


async def serve(sim: "Sim", runtime: "ProviderRuntime", path: str, scope: Scope, receive: Receive,
                send: Send) -> None:
    """Answer one HTTP request for a provider and journal it."""
    if sim.scheduler.has_due():
        await sim.scheduler.run_due()
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    qs = scope.get("query_string", b"").decode("latin-1")
    ctx = Ctx(sim, runtime, scope["method"], path, dict(parse_qsl(qs, keep_blank_values=True)) if qs else {},
              headers, b"")
    ctx.client = str((scope.get("client") or ("",))[0] or "")
    try:
        refused = _oversized(ctx, scope, qs)
        if refused is not None:
            raise refused
        raw = await _read_body(receive, sim.settings.limits.max_body_bytes)
        if raw is None:
            ctx.violations.append(f"body: larger than {sim.settings.limits.max_body_bytes} bytes")
            raise ProviderError("payload_too_large")
        ctx.raw_body = raw
        reply = await run_pipeline(ctx)
    except ProviderError as err:
        status, body, extra = runtime.error_reply(err)
        reply = Reply(status, body, extra)
    except SimError as err:
        reply = Reply(err.status, {"error": err.message})
        reply.raw = dumps(reply.body)
    except Fault as fault:
        _journal(ctx, 0, None, b"", qs)
        from simulator.scenarios.faults import apply
        await apply(fault.kind, fault.seconds, receive, send)
        return
    except Exception:  # a simulator bug must still answer in the provider's shape
        log.exception("unhandled error in %s %s", ctx.method, ctx.path)
        status, body, extra = runtime.error_reply(ProviderError("server_error"))
        reply = Reply(status, body, extra)
    payload = reply.raw if reply.raw is not None else runtime.encode(reply.body)
    head = [(b"content-type", reply.content_type.encode()), (b"content-length", str(len(payload)).encode())]
    head.extend(runtime.response_headers)
    extra = {k.lower(): str(v) for k, v in ctx.response_headers.items()}
    extra.update((k.lower(), str(v)) for k, v in reply.headers.items())
    head.extend((k.encode(), v.encode()) for k, v in extra.items())
    await send({"type": "http.response.start", "status": reply.status, "headers": head})
    await send({"type": "http.response.body", "body": b"" if ctx.method == "HEAD" else payload})
    _journal(ctx, reply.status, reply.body if reply.raw is None else payload.decode("utf-8", "replace"),
             payload, qs)


def _journal(ctx: Ctx, status: int, response_body: Any, payload: bytes, qs: str) -> None:
    """One journal entry, within the journal's byte limits (simulator/engine/journal.py)."""
    journal = ctx.sim.journal
    body, body_size, body_cut = journal.fit_body(ctx.body, ctx.raw_body)
    shown, response_size, response_cut = journal.fit_response(response_body, payload)
    headers, headers_cut = cut_headers(ctx.headers, journal.entry_bytes)
    path = ctx.path if len(ctx.path) <= journal.entry_bytes else cut_text(ctx.path, journal.entry_bytes)
    entry = {"at": ctx.sim.clock.now_iso(), "provider": ctx.provider.key,
             "operation": ctx.op.id if ctx.op else None, "account": ctx.account.id if ctx.account else None,
             "method": ctx.method, "path": path, "query": qs, "headers": headers, "body": body,
             "status": status, "response_body": shown,
             "scenario": ctx.scenario_applied, "violations": ctx.violations}
    if body_cut or response_cut or headers_cut:
        entry["truncated"] = [name for name, cut in (("body", body_cut), ("response_body", response_cut),
                                                     ("headers", headers_cut)) if cut]
    size = body_size + response_size + len(path) + len(qs) + sum(len(k) + len(v) for k, v in headers.items())
    journal.record(entry, size)
