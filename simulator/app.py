"""build_app(settings) -> the ASGI application: every provider under its key, the control API under /_sim."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import parse_qsl

from starlette.routing import Route
from starlette.types import Message

from simulator import gctune
from simulator.control.routes import build_control
from simulator.engine.errors import ProviderError
from simulator.engine.pipeline import Receive, Scope, Send
from simulator.jsonio import dumps
from simulator.security import COOKIE, Guard, Verdict, login_page, response_headers, safe_next
from simulator.settings import Settings
from simulator.sim import Sim
from simulator.store.units import writes
from simulator.ui.routes import build_routes as ui_routes

log = logging.getLogger("provider_sim")


class SimulatorApp:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.limits = sim.settings.limits  # also read by http_limits.py inside uvicorn's wrappers
        pages = ui_routes(sim)
        self.control = build_control(sim, pages, limits=self.limits, link_base=sim.link_base)
        # payer pages a provider serves on its own base, as the real one does (WebPag's payment links): the
        # literal start of each such route's path; these requests go to the pages, not to the provider's API
        self.page_paths = tuple(sorted({r.path.split("{", 1)[0] for r in pages if isinstance(r, Route)
                                        and not r.path.startswith("/_sim")}))
        self.root = sim.providers.get(sim.settings.provider) if sim.settings.provider else None
        # With --tls, the providers' real host names (from their specs' servers) are served: a request whose Host
        # is one of them goes to that provider at the root, as the real host would answer it.
        self.host_names: dict[str, str] = {}  # host name -> provider key
        if sim.settings.tls:
            from simulator.tls import provider_hosts
            self.host_names = provider_hosts({key: p.openapi.document for key, p in sim.providers.items()})
        self._by_host = {name: sim.providers[key] for name, key in self.host_names.items()}
        # the providers' real host names (--tls) are names this server answers to, beside loopback ones
        self.guard = Guard(sim.settings, extra_hosts=list(self.host_names), page_paths=self.page_paths)
        self._ticker: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if self.sim.shared is not None:
                self.sim.sync()  # several instances: what the others changed (simulator/shared.py)
            path: str = scope["path"]
            verdict = self.guard.check_scope(scope)
            if verdict is not None:
                await self._refuse(verdict, path, scope, receive, send)
                return
            if self.page_paths and path.startswith(self.page_paths):
                await self._control(scope, receive, with_safety_headers(send))
                return
            if path.startswith("/_sim"):
                if path == "/_sim/ui/login" and self.guard.token is not None:
                    await login(self.guard, scope, receive, send)
                    return
                await self._control(scope, receive, with_safety_headers(send))
                return
            if self._by_host:
                runtime = self._by_host.get(request_host(scope))
                if runtime is not None:
                    await self.sim.pipeline.serve(runtime, path, scope, receive, send)
                    return
            key, _, rest = path[1:].partition("/")
            runtime = self.sim.providers.get(key)
            if runtime is not None:
                await self.sim.pipeline.serve(runtime, "/" + rest, scope, receive, send)
                return
            if self.root is not None:
                await self.sim.pipeline.serve(self.root, path, scope, receive, send)
                return
            await _not_found(send, sorted(self.sim.providers))
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        else:  # websocket: not served
            await self.control(scope, receive, send)

    async def _control(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A control, dashboard or payer-page request as one unit of work: its body is read first (up to the
        largest it may be), the unit is committed when the answer starts (rolled back on a 5xx or an exception),
        and an advance of the clock leaves it so that each job it runs is a unit of its own."""
        units = self.sim.units
        write = writes(str(scope["method"]))
        if write:
            receive = await buffered(receive, max(self.limits.max_body_bytes, self.limits.max_scenario_bytes))

        async def committing(message: Message) -> None:
            if message["type"] == "http.response.start":
                units.end(int(message["status"]) < 500)
            await send(message)

        await units.begin(write)
        try:
            await self.control(scope, receive, committing)
        finally:
            units.end(False)  # an exception before any answer (committing already ended a unit that answered)

    async def _refuse(self, verdict: Verdict, path: str, scope: Scope, receive: Receive, send: Send) -> None:
        """A request the guard (simulator/security.py) stops: the provider's `bad_request` on its paths."""
        if not path.startswith("/_sim") and not (self.page_paths and path.startswith(self.page_paths)):
            key, _, rest = path[1:].partition("/")
            runtime = self.sim.providers.get(key)
            if runtime is None:
                runtime, rest = self.root, path[1:]
            if runtime is not None:
                status, body, extra = runtime.error_reply(ProviderError("bad_request"), "/" + rest)
                await respond(send, status, runtime.encode(body), b"application/json",
                              [(k.lower().encode(), str(v).encode()) for k, v in extra.items()])
                return
        if verdict.login:
            await respond(send, 401, login_page(next_path=safe_next(path)), b"text/html; charset=utf-8",
                          response_headers(b"text/html") + [(k.encode(), v.encode()) for k, v in verdict.headers])
            return
        await respond(send, verdict.status, dumps({"error": verdict.message}), b"application/json",
                      response_headers(b"application/json") + [(k.encode(), v.encode()) for k, v in verdict.headers])

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.sim.advertise()  # several instances: where the others reach this one
                self._ticker = asyncio.create_task(self._tick())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._ticker is not None:
                    self._ticker.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self._ticker
                await self.sim.outbox.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _tick(self) -> None:
        """Run due transitions and webhook attempts while no request comes in."""
        while True:
            await asyncio.sleep(0.05)
            gctune.maintain()  # a full collection, when the frozen objects may have doubled
            try:
                self.sim.sync()  # several instances: one that is not asked still takes its share of due work
                if self.sim.scheduler.has_due():
                    await self.sim.scheduler.run_due()
            except Exception:  # keep ticking: one failing job (or a lost database connection) must not stop it
                log.exception("scheduled job failed")


async def buffered(receive: Receive, limit: int) -> Receive:
    """`receive` with the request body read ahead (at most `limit` + 1 bytes, enough for a handler to refuse it
    as too large), so no unit of work waits on a slow client; later messages (a disconnect) come from `receive`."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more and size <= limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = bool(message.get("more_body", False))
    pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks),
                                                 "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()
    return replay


def request_host(scope: Scope) -> str:
    """The request's host name from its Host header: lower case, no port, no trailing dot ("" without one)."""
    for name, value in scope["headers"]:
        if name == b"host":
            host: str = value.decode("latin-1").strip().lower()
            if host.startswith("["):  # an IPv6 literal, "[::1]:8443"
                return host[1:host.find("]")] if "]" in host else host
            return host.rpartition(":")[0].rstrip(".") if ":" in host else host.rstrip(".")
    return ""


async def _not_found(send: Send, keys: list[str]) -> None:
    body = dumps({"error": f"no provider at this path; providers are served under /{{key}}/ for {keys}"})
    await respond(send, 404, body, b"application/json")


async def respond(send: Send, status: int, body: bytes, content_type: bytes,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    head = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    head += headers or []
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


def with_safety_headers(send: Send) -> Send:
    """`send` that adds simulator/security.py's headers to a /_sim/ answer."""
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            message["headers"] = headers + response_headers(ctype)
        await send(message)
    return wrapped


async def login(guard: Guard, scope: Scope, receive: Receive, send: Send) -> None:
    """GET /_sim/ui/login: the token form; POST: check the token, set the dashboard's cookie, go on."""
    if scope["method"] != "POST":
        await respond(send, 200, login_page(), b"text/html; charset=utf-8", response_headers(b"text/html"))
        return
    raw = b""
    more = True
    while more and len(raw) <= 8192:
        message = await receive()
        raw += message.get("body", b"")
        more = message.get("more_body", False)
    fields = dict(parse_qsl(raw[:8192].decode("utf-8", "replace"), keep_blank_values=True))
    if not guard.token_matches(fields.get("token", "")):
        await respond(send, 401, login_page("That is not this simulator's control token."),
                      b"text/html; charset=utf-8", response_headers(b"text/html"))
        return
    cookie = f"{COOKIE}={guard.cookie_value}; Path=/_sim; HttpOnly; SameSite=Strict"
    await respond(send, 303, b"", b"text/plain", [(b"location", safe_next(fields.get("next")).encode()),
                                                 (b"set-cookie", cookie.encode())])


def build_app(settings: Settings | None = None, sim: Sim | None = None, **overrides: object) -> SimulatorApp:
    if sim is None:
        s = settings or Settings()
        for key, value in overrides.items():
            setattr(s, key, value)
        sim = Sim(s)
    return SimulatorApp(sim)
