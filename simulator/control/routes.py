"""The /_sim routes. Each is a thin adapter over the Sim's services; the dashboard calls the same ones."""

from __future__ import annotations

import asyncio
from typing import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.control.advance import advance as advance_clock
from simulator.control.advance import checked_seconds
from simulator.control.inputs import YAML_TYPES, content_type, is_json_type, json_body, read_limited, whole_number
from simulator.control.peers import merged
from simulator.engine.errors import SimError
from simulator.engine.provider import ProviderRuntime
from simulator.jsonio import JSONResponse, Shown, StreamedJSONResponse
from simulator.limits import Limits
from simulator.records import JSON, Record
from simulator.report.coverage import live
from simulator.surface import Simulator


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def provider_or_404(sim: Simulator, key: str) -> ProviderRuntime:
    runtime = sim.providers.get(key)
    if runtime is None:
        raise SimError(404, f"unknown provider {key!r}; known: {sorted(sim.providers)}")
    return runtime


def routes(sim: Simulator, limits: Limits) -> list[BaseRoute]:
    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def providers(request: Request) -> Response:
        return JSONResponse(sim.describe())

    async def reset(request: Request) -> Response:
        body = await json_body(request, limits)
        key = body.get("provider")
        if key is not None:
            provider_or_404(sim, str(key))
        sim.reset(str(key) if key is not None else None)
        return JSONResponse({"status": "reset", "provider": key, "clock": clock_state()})

    def clock_state() -> dict[str, str]:
        return {"now": sim.clock.now_iso(), "mode": sim.clock.mode}

    async def clock(request: Request) -> Response:
        return JSONResponse(clock_state())

    advancing = asyncio.Lock()

    async def advance(request: Request) -> Response:
        body = await json_body(request, limits, required=True)
        seconds = checked_seconds(sim.clock, limits, body)
        async with sim.units.outside():  # each job it runs is a unit of its own; others are answered meanwhile
            await advance_clock(sim.clock, sim.scheduler, limits, seconds, advancing)
        return JSONResponse(clock_state())

    async def requests(request: Request) -> Response:
        q = request.query_params
        limit = whole_number(q.get("limit"), "limit")
        everywhere = q.get("all_instances", "").lower() in ("true", "1", "yes")
        kept = sim.journal.select(provider=q.get("provider"), method=q.get("method"), path=q.get("path"),
                                  status=q.get("status"), operation=q.get("operation"),
                                  limit=None if everywhere else limit)
        peers = sim.peers() if everywhere else None
        if peers is None:  # one instance (or a store no other instance shares): its own journal
            return StreamedJSONResponse({"requests": Shown(kept, sim.journal.view)}, depth=2)
        entries = [sim.journal.view(e) for e in kept]
        params = [(k, v) for k, v in q.multi_items() if k != "all_instances"]
        async with sim.units.outside():  # no unit waits on the network
            body = await merged(entries, sim.instance_number(), peers, params,
                                request.headers.get("authorization"), limit)
        return StreamedJSONResponse(body, depth=2)

    async def webhooks(request: Request) -> Response:
        q = request.query_params
        deliveries = sim.outbox.query(q.get("provider"), q.get("state"), q.get("event_id"))
        peers = sim.peers() if q.get("all_instances", "").lower() in ("true", "1", "yes") else None
        if peers is None:
            return StreamedJSONResponse({"deliveries": deliveries}, depth=2)
        params = [(k, v) for k, v in q.multi_items() if k != "all_instances"]
        async with sim.units.outside():  # no unit waits on the network
            body = await merged(deliveries, sim.instance_number(), peers, params,
                                request.headers.get("authorization"), None, "/_sim/webhooks", "deliveries")
        return StreamedJSONResponse(body, depth=2)

    async def coverage(request: Request) -> Response:
        key = request.query_params.get("provider")
        if key is not None:
            provider_or_404(sim, key)
        return StreamedJSONResponse(live(sim, key), depth=5)

    async def resend(request: Request) -> Response:
        ident = whole_number(request.path_params["delivery_id"], "the delivery id", status=404)
        assert ident is not None
        return JSONResponse(await sim.outbox.resend(ident))

    async def force(request: Request) -> Response:
        runtime = provider_or_404(sim, request.path_params["provider"])
        body = await json_body(request, limits)
        ident = request.path_params["id"]
        found = runtime.hooks.find(runtime.env, ident) if runtime.hooks.find else None
        if found is None:
            raise SimError(404, f"no transaction {ident!r} at {runtime.key}")
        kind, key = found
        message = body.get("message")
        record = sim.lifecycles.transition(runtime.env.view, kind, key, request.path_params["outcome"],
                                           str(message) if message is not None else None)
        await sim.scheduler.run_due()
        shown = runtime.hooks.present(runtime.env, kind, record) if runtime.hooks.present else dict(record)
        return JSONResponse(shown)

    async def account_webhook(request: Request) -> Response:
        runtime = provider_or_404(sim, request.path_params["provider"])
        account = request.path_params["account"]
        if account not in runtime.accounts_by_id:
            raise SimError(404, f"no account {account!r} at {runtime.key}")
        body = await json_body(request, limits, required=True)
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise SimError(400, "url must be an http:// or https:// URL")
        runtime.env.records(account).put("account_webhook", account, Record({"url": url}))
        return JSONResponse({"provider": runtime.key, "account": account, "url": url})

    async def scenarios(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"scenarios": sim.scenarios.describe()})
        ctype = content_type(request)
        if ctype and not is_json_type(ctype) and ctype not in YAML_TYPES:
            raise SimError(415, f"a scenario is YAML ({', '.join(YAML_TYPES)}) or JSON (application/json), "
                                f"not {ctype!r}")
        raw = await read_limited(request, limits.max_scenario_bytes)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SimError(400, "a scenario file must be UTF-8 text") from None
        loaded = sim.scenarios.load_text(text, source="api")
        return JSONResponse(loaded, status_code=201)

    async def activate(request: Request) -> Response:
        on = request.path_params["action"] == "activate"
        return JSONResponse(sim.scenarios.set_active(request.path_params["name"], on))

    return [
        Route("/_sim/health", health, methods=["GET"]),
        Route("/_sim/providers", providers, methods=["GET"]),
        Route("/_sim/reset", reset, methods=["POST"]),
        Route("/_sim/clock", clock, methods=["GET"]),
        Route("/_sim/clock/advance", advance, methods=["POST"]),
        Route("/_sim/requests", requests, methods=["GET"]),
        Route("/_sim/webhooks", webhooks, methods=["GET"]),
        Route("/_sim/coverage", coverage, methods=["GET"]),
        Route("/_sim/webhooks/{delivery_id}/resend", resend, methods=["POST"]),
        Route("/_sim/scenarios", scenarios, methods=["GET", "POST"]),
        Route("/_sim/scenarios/{name}/{action:str}", activate, methods=["POST"]),
        Route("/_sim/{provider}/transactions/{id}/{outcome}", force, methods=["POST"]),
        Route("/_sim/{provider}/accounts/{account}/webhook", account_webhook, methods=["PUT"]),
    ]


def build_control(sim: Simulator, extra: list[BaseRoute] | None = None, *, limits: Limits | None = None,
                  link_base: Callable[[dict[str, str]], str] | None = None) -> Starlette:
    """The /_sim application: the control routes and `extra` route groups (the dashboard and payer pages),
    the extra ones first (their paths are more specific). `limits` bound what a client may send (bodies,
    scenario files, clock advances); `link_base` gives the base of links the pages show (--public-url or the
    request's checked Host), else the request's own."""
    limits = limits or Limits()
    async def sim_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SimError)
        return error(exc.status, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error(exc.status_code, str(exc.detail))

    all_routes = list(extra or []) + routes(sim, limits)
    app = Starlette(routes=all_routes, exception_handlers={SimError: sim_error, HTTPException: http_error})
    app.state.link_base = link_base  # the base of links the pages show (ui/render.py base_of)
    return app
