"""The recording proxy and the webhook relay (ASGI apps), and what they write.

`Recorder.proxy_app()` forwards every request to the upstream (the provider's sandbox) and answers with the
upstream's answer; `Recorder.webhook_app()` receives the provider's callbacks and forwards them to the integrator's
receiver, answering the provider with the receiver's answer. Each exchange is redacted and written to the cassette
before the answer goes back, so a file exists for every answer a client has seen.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote

import httpx
from starlette.types import Receive, Scope, Send

from simulator.record.cassette import CassetteWriter, encode_body, headers_dict, iso_ms, safe_url
from simulator.record.facts import ProviderFacts
from simulator.record.redact import Redactor


MAX_BODY = 16 * 1024 * 1024
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "trailers", "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding"})
NOT_RELAYED = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding",
                         "upgrade", "trailer"})


def version() -> str:
    try:
        from importlib.metadata import version as dist_version
        return f"provider-sim {dist_version('provider-sim')}"
    except Exception:  # not installed as a distribution
        return "provider-sim"


def tls_context(ca_file: Path | None) -> ssl.SSLContext | bool:
    """Verification against `ca_file` (a PEM bundle), else the system's default trust."""
    if ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(ca_file))


class Recorder:
    """One recording session: the cassette writer, the redactor, and where requests and webhooks go."""

    def __init__(self, facts: ProviderFacts, folder: Path, upstream: str, *, upstream_ca: Path | None = None,
                 webhook_forward: str | None = None, clock: Callable[[], float] = time.time,
                 timeout: float = 30.0, log: Callable[[str], None] | None = None,
                 redactor: Redactor | None = None) -> None:
        self.facts = facts
        self.upstream = upstream.rstrip("/")
        self.webhook_forward = webhook_forward.rstrip("/") if webhook_forward else None
        self.clock = clock
        self.timeout = timeout
        self.verify = tls_context(upstream_ca)
        self.log = log
        self.redactor = redactor or Redactor(facts)
        self.writer = CassetteWriter(folder, facts.key, upstream, version(), clock())
        self._lock = threading.Lock()

    def proxy_app(self) -> "Forwarder":
        return Forwarder(self, "exchange")

    def webhook_app(self) -> "Forwarder":
        return Forwarder(self, "webhook")

    def save(self, entry: dict[str, Any]) -> Path:
        with self._lock:  # masks are shared state; files are written whole
            self.redactor.entry(entry)
            path = self.writer.write(entry)
        if self.log is not None:
            req, resp = entry["request"], entry.get("response")
            answer = resp["status"] if resp else f"error ({entry['error']['kind']})"
            arrow = "<-" if entry["kind"] == "webhook" else "->"
            self.log(f"{entry['seq']:04d} {req['method']} {req['path']} {arrow} {answer} "
                     f"({entry['duration_ms']:.0f} ms)  {path.name}")
        return path


class Forwarder:
    """An ASGI app relaying each request to a base URL and recording the exchange."""

    def __init__(self, recorder: Recorder, kind: str) -> None:
        self.recorder = recorder
        self.kind = kind
        self._client: httpx.AsyncClient | None = None

    @property
    def target(self) -> str | None:
        return self.recorder.upstream if self.kind == "exchange" else self.recorder.webhook_forward

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, [self])
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        r = self.recorder
        at = r.clock()
        seq = r.writer.next_seq()
        body = await _read(receive)
        if body is None:
            await _answer(send, 413, {"error": f"provider-sim record: bodies over {MAX_BODY} bytes are not relayed"})
            return
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        in_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        headers = headers_dict(in_headers)
        encoding, value = encode_body(body, headers.get("content-type", ""))
        entry: dict[str, Any] = {"kind": self.kind, "seq": seq, "provider": r.facts.key}
        if self.kind == "exchange":
            entry["operation"] = r.facts.operation_id(scope["method"], unquote(raw_path))
        entry.update({"at": iso_ms(at), "duration_ms": 0.0,
                      "request": {"method": scope["method"], "path": raw_path,
                                  "query": [[k, v] for k, v in parse_qsl(query, keep_blank_values=True)],
                                  "headers": headers, "body_encoding": encoding, "body": value},
                      "response": None, "error": None})
        target = self.target
        if self.kind == "webhook":
            entry["forwarded_to"] = safe_url(target) if target else None
        started = time.perf_counter()
        if target is None:  # a webhook with nowhere to go: acknowledge it
            status, out_headers, out_body = 200, [("content-type", "application/json")], b'{"received": true}'
        else:
            url = target + raw_path + (f"?{query}" if query else "")
            forward = [(k, v) for k, v in in_headers if k.lower() not in HOP_BY_HOP]
            forward.append(("accept-encoding", "identity"))
            try:
                upstream = await self._http_client().request(scope["method"], url, headers=forward, content=body)
            except httpx.TimeoutException as exc:
                entry["error"] = {"kind": "timeout", "message": f"{type(exc).__name__}: {exc}"}
            except httpx.HTTPError as exc:
                entry["error"] = {"kind": "connection", "message": f"{type(exc).__name__}: {exc}"}
            if entry["error"] is not None:
                entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
                r.save(entry)
                where = "the upstream" if self.kind == "exchange" else "the webhook receiver"
                await _answer(send, 504 if entry["error"]["kind"] == "timeout" else 502,
                              {"error": f"provider-sim record: {where} {safe_url(target)} failed: "
                                        f"{entry['error']['message']}"})
                return
            status, out_body = upstream.status_code, upstream.content
            out_headers = [(k, v) for k, v in upstream.headers.multi_items() if k.lower() not in NOT_RELAYED]
        entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        kept = headers_dict(out_headers)
        encoding, value = encode_body(out_body, kept.get("content-type", ""))
        entry["response"] = {"status": status, "headers": kept, "body_encoding": encoding, "body": value}
        r.save(entry)
        head = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in out_headers]
        head.append((b"content-length", str(len(out_body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": head})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else out_body})

    def _http_client(self) -> httpx.AsyncClient:
        if self._client is None:  # made in the serving event loop, on the first request
            self._client = httpx.AsyncClient(verify=self.recorder.verify, timeout=self.recorder.timeout,
                                             follow_redirects=False)
        return self._client


class PortDispatch:
    """One ASGI app for a server listening on several ports: each port's requests go to its app."""

    def __init__(self, by_port: dict[int, Forwarder]) -> None:
        self.by_port = by_port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, list(self.by_port.values()))
            return
        if scope["type"] != "http":
            return
        port = int((scope.get("server") or ("", 0))[1])
        app = self.by_port.get(port) or next(iter(self.by_port.values()))
        await app(scope, receive, send)


async def _lifespan(receive: Receive, send: Send, apps: list[Forwarder]) -> None:
    """Start at once; at shutdown close each app's upstream client."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            for app in apps:
                await app.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _answer(send: Send, status: int, body: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
