"""Recording sessions for the record/diff tests, without the internet.

The upstream is a second simulator (a real uvicorn server, seed 1, so its credentials, references and ids differ
from the seed-0 simulator `diff` replays against), in front of it the recording proxy and the webhook relay, and
behind the relay the integrator's receiver. Drifts are injected with upstream scenarios (loaded on the upstream
directly, so they are not recorded) and, for webhooks, with a relay that rewrites the provider's payload on its way.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

import httpx
import uvicorn
import yaml

from simulator.app import SimulatorApp, build_app
from simulator.record.facts import load_facts
from simulator.record.proxy import Recorder
from simulator.record.replay import DiffReport
from simulator.settings import Settings
from simulator.testing import WebhookReceiver, serve_app, webhook_receiver

START = 1_767_225_600  # 2026-01-01T00:00:00Z


@dataclass
class Session:
    provider: str
    upstream: SimulatorApp
    upstream_url: str  # the upstream server's root
    proxy: str  # where the integrator points its client
    hooks: str  # where the integrator tells the provider to send webhooks
    receiver: WebhookReceiver  # the integrator's own webhook receiver
    folder: Path

    def headers(self, account: int = 0) -> dict[str, str]:
        return dict(self.upstream.sim.providers[self.provider].accounts[account].headers)

    def credentials(self, account: int = 0) -> dict[str, str]:
        return dict(self.upstream.sim.providers[self.provider].accounts[account].credentials)

    def client(self, account: int | None = 0) -> httpx.Client:
        """The integrator's client, through the recording proxy."""
        return httpx.Client(base_url=self.proxy, headers={} if account is None else self.headers(account))

    def direct(self, account: int = 0) -> httpx.Client:
        """Straight to the upstream (not recorded): to look at what it would answer."""
        return httpx.Client(base_url=f"{self.upstream_url}/{self.provider}", headers=self.headers(account))

    def advance(self, seconds: float) -> None:
        """Time passes at the provider (its transitions and webhooks happen); nothing is recorded."""
        r = httpx.post(f"{self.upstream_url}/_sim/clock/advance", json={"seconds": seconds})
        assert r.status_code == 200, r.text

    def drift(self, name: str, rules: list[dict[str, Any]]) -> None:
        """Make the upstream answer differently from now on (a scenario loaded on the upstream)."""
        text = yaml.safe_dump({"name": name, "provider": self.provider, "rules": rules}, allow_unicode=True)
        r = httpx.post(f"{self.upstream_url}/_sim/scenarios", content=text.encode(),
                       headers={"content-type": "application/yaml"})
        assert r.is_success, r.text


class Relay:
    """Between the provider's webhooks and the recorder: rewrites each payload (JSON, or a form as a dict) with
    `change`."""

    def __init__(self, target: str, change: Callable[[Any], Any]) -> None:
        self.target = target
        self.change = change

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode(): v.decode() for k, v in scope["headers"] if k.decode() not in ("host", "content-length")}
        if "json" in headers.get("content-type", ""):
            body = json.dumps(self.change(json.loads(body))).encode()
        elif "form" in headers.get("content-type", ""):
            body = urlencode(self.change(dict(parse_qsl(body.decode())))).encode()
        async with httpx.AsyncClient() as client:
            r = await client.post(self.target + scope["path"], content=body, headers=headers)
        await send({"type": "http.response.start", "status": r.status_code,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": r.content})


@contextlib.contextmanager
def recording(provider: str, folder: Path, *, seed: int = 1,
              relay: Callable[[Any], Any] | None = None) -> Iterator[Session]:
    """A recording session against an upstream simulator; the recorder's clock is the upstream's."""
    upstream = build_app(Settings(clock="manual", start_time=START, seed=seed, providers=[provider]))
    with serve_app(upstream, lifespan="on") as upstream_url, webhook_receiver() as receiver:
        recorder = Recorder(load_facts(provider), folder, f"{upstream_url}/{provider}", clock=upstream.sim.clock.now,
                            webhook_forward=receiver.url)
        with serve_app(recorder.proxy_app(), lifespan="on") as proxy, \
                serve_app(recorder.webhook_app(), lifespan="on") as hooks:
            with contextlib.ExitStack() as stack:
                if relay is not None:
                    hooks = stack.enter_context(serve_app(Relay(hooks, relay)))
                yield Session(provider, upstream, upstream_url, proxy, hooks, receiver, folder)


def found(report: DiffReport) -> set[tuple[str, str, str, str]]:
    """Each difference as (operation, kind, where, path)."""
    return {(d.operation, d.kind, d.where, d.path) for d in report.differences}


def cassette_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def assert_nothing_leaks(s: Session, *personal: str) -> None:
    """No credential of any upstream account (raw, in its header, base64 or not) and none of `personal` is in
    any file of the cassette, in any spelling JSON may give it."""
    text = cassette_text(s.folder)
    raw = text.encode("utf-8").decode("unicode_escape", "ignore").replace("\\/", "/")
    forbidden = list(personal)
    for account in s.upstream.sim.providers[s.provider].accounts:
        forbidden += [v for v in account.credentials.values() if len(v) >= 4]
        forbidden += [v.split(" ", 1)[-1] for v in account.headers.values()]
    for value in forbidden:
        assert value not in text and value not in raw, f"{value!r} reached the cassette"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_tls(app: Any, certfile: Path, keyfile: Path) -> Iterator[str]:
    """An ASGI app over HTTPS on a free port of 127.0.0.1 (uvicorn in a thread); yields https://localhost:PORT."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                            ssl_certfile=str(certfile), ssl_keyfile=str(keyfile))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the TLS server did not start"
            time.sleep(0.01)
        yield f"https://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def wait_until_up(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            host, port = url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {url}")
