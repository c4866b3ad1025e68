"""Test utilities for integrators' suites: serve an ASGI app on a real port, and receive webhooks.

- `serve_app(app)`: a context manager that runs any ASGI app with uvicorn in a daemon thread on a free port of
  127.0.0.1 and yields its base URL (`http://127.0.0.1:PORT`); the server is stopped when the block ends.
- `WebhookReceiver`: an ASGI app that records every request it gets (`received`) and answers the statuses queued
  in `plan`, then `status` (200).
- `webhook_receiver()`: a context manager yielding a started `WebhookReceiver` whose `url` is its base URL.

The pytest plugin's `webhook_receiver` fixture gives the same receiver per test. Requests are recorded from the
server's thread; read them from the test's thread (deliveries that `advance()` triggers have arrived when it
returns; with a real clock, use `wait_for`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ContextManager, Literal, TypeVar, overload
from urllib.parse import parse_qsl

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from simulator.http_limits import PROTOCOL, limits_of

__all__ = ["ReceivedRequest", "WebhookReceiver", "serve_app", "webhook_receiver"]


@contextlib.contextmanager
def serve_app(app: ASGIApp, *, lifespan: Literal["auto", "on", "off"] = "off", port: int = 0, http: str = "bounded",
              log_level: str = "warning", start_timeout: float = 15.0) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a daemon thread on 127.0.0.1; yield its base URL.

    `port=0` picks a free port. `lifespan="on"` runs the app's startup and shutdown (the simulator's app needs it
    for its ticker); `http` is uvicorn's HTTP implementation ("auto", "h11", "httptools"), or "bounded" (the
    default): httptools with the simulator's header limits (simulator/http_limits.py), as `provider-sim serve`.
    Waits until the server accepts connections (RuntimeError after `start_timeout` seconds) and stops it when the
    block ends.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    bound = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=bound, log_level=log_level, lifespan=lifespan,
                            http=PROTOCOL if http == "bounded" else http,
                            h11_max_incomplete_event_size=limits_of(app).max_header_bytes)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"serve-app-{bound}")
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{bound}")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass(frozen=True)
class ReceivedRequest:
    """One request a WebhookReceiver got. `headers` has lower-case names (repeated ones joined by ", ")."""
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON (ValueError when it is not JSON)."""
        return jsonlib.loads(self.body)

    def form(self) -> dict[str, str]:
        """The body parsed as application/x-www-form-urlencoded (for a repeated key, its last value)."""
        return dict(parse_qsl(self.text, keep_blank_values=True))


@dataclass
class WebhookReceiver:
    """An ASGI app that records every request and answers the statuses in `plan` (first in, first out), then
    `status`. The answer body is `{"ok": true}` (JSON); subclasses may override `respond`.

    `url` is set by `webhook_receiver()` (the base URL; any path is accepted and recorded).
    """
    url: str = ""
    received: list[ReceivedRequest] = field(default_factory=list)
    plan: list[int] = field(default_factory=list)
    status: int = 200

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        request = ReceivedRequest(scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"),
                                  headers, b"".join(chunks))
        self.received.append(request)
        status, content_type, body = self.respond(request)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type.encode("latin-1")),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def next_status(self) -> int:
        """The next planned status (taken from `plan`), else `status`."""
        return self.plan.pop(0) if self.plan else self.status

    def respond(self, request: ReceivedRequest) -> tuple[int, str, bytes]:
        """The answer to a recorded request: (status, content type, body)."""
        return self.next_status(), "application/json", b'{"ok": true}'

    def clear(self) -> None:
        """Forget the received requests and the plan; answer 200 again."""
        self.received.clear()
        self.plan.clear()
        self.status = 200

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedRequest]:
        """Block until at least `count` requests arrived (for a real clock); AssertionError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} request(s) within {timeout} s, got {len(self.received)}")
            time.sleep(0.01)
        return list(self.received)

    async def wait_for_async(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedRequest]:
        """`wait_for` for async tests: polls without blocking the event loop."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} request(s) within {timeout} s, got {len(self.received)}")
            await asyncio.sleep(0.01)
        return list(self.received)


R = TypeVar("R", bound=WebhookReceiver)


@overload
def webhook_receiver(receiver: None = None, *, log_level: str = "warning") -> ContextManager[WebhookReceiver]: ...


@overload
def webhook_receiver(receiver: R, *, log_level: str = "warning") -> ContextManager[R]: ...


def webhook_receiver(receiver: WebhookReceiver | None = None, *,
                     log_level: str = "warning") -> ContextManager[WebhookReceiver]:
    """Serve a WebhookReceiver (a new one, or the one given, e.g. a subclass) on a free port of 127.0.0.1;
    yields it with `url` set to its base URL, and stops it when the block ends."""
    return _served(receiver if receiver is not None else WebhookReceiver(), log_level)


@contextlib.contextmanager
def _served(receiver: R, log_level: str) -> Iterator[R]:
    with serve_app(receiver, log_level=log_level) as url:
        receiver.url = url
        yield receiver
