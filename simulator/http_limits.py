"""uvicorn's HTTP protocols with the header limits of simulator/limits.py, enforced as the bytes arrive.

httptools reads a request line and headers of any size into memory before the app sees them (a 64 MB header was
accepted); h11 stops at `h11_max_incomplete_event_size`. `BoundedHttpTools` counts the request target and
headers while they are parsed and answers 431 (or 414 for the target alone) once `max_header_bytes` or
`max_header_count` is passed, closing the connection, as a real front server (nginx, Apache) does before the
application: so the answer is `{"error"}`, not a provider's shape. The app checks the same limits itself for any
other server (simulator/engine/pipeline.py).

`serve` (simulator/cli.py) and simulator/testing.py's `serve_app` pass `http=PROTOCOL` and
`h11_max_incomplete_event_size=max_header_bytes`.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from simulator.jsonio import dumps
from simulator.limits import Limits

PROTOCOL = "simulator.http_limits:BoundedHttpTools"
SLACK = 65_536  # one read's worth of bytes past the limit before the raw count refuses


def limits_of(app: object) -> Limits:
    """The limits of the simulator app inside uvicorn's middleware wrappers (defaults for any other app)."""
    for _ in range(10):
        limits = getattr(app, "limits", None)
        if isinstance(limits, Limits):
            return limits
        app = getattr(app, "app", None)
        if app is None:
            break
    return Limits()


class _TooLarge(Exception):
    pass


class BoundedHttpTools(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = limits_of(self.app)
        self._max_bytes = limits.max_header_bytes
        self._max_count = limits.max_header_count
        self._seen = 0
        self._count = 0
        self._refusal: tuple[int, str] | None = None
        self._in_body = False
        self._pending = 0  # bytes received since the last request ended, while its headers are incomplete

    def data_received(self, data: bytes) -> None:
        # httptools buffers a header's value until it ends: count raw bytes too while the headers are incomplete
        if not self._in_body:
            self._pending += len(data)
        super().data_received(data)
        if not self._in_body and self._pending > self._max_bytes + SLACK and not self.transport.is_closing():
            self._refusal = (431, f"the request line and headers are larger than {self._max_bytes} bytes")
            self.send_400_response("")

    def on_message_begin(self) -> None:
        self._seen = 0
        self._count = 0
        self._refusal = None
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_body = True
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_body = False
        self._pending = 0
        super().on_message_complete()

    def on_url(self, url: bytes) -> None:
        self._seen += len(url)
        if self._seen > self._max_bytes:
            self._refusal = (414, f"the request target is longer than {self._max_bytes} bytes")
            raise _TooLarge()
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._seen += len(name) + len(value)
        self._count += 1
        if self._seen > self._max_bytes:
            self._refusal = (431, f"the request line and headers are larger than {self._max_bytes} bytes")
            raise _TooLarge()
        if self._count > self._max_count:
            self._refusal = (431, f"more than {self._max_count} request headers")
            raise _TooLarge()
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        if self._refusal is None:
            super().send_400_response(msg)
            return
        status, text = self._refusal
        body = dumps({"error": text})
        phrase = b"URI Too Long" if status == 414 else b"Request Header Fields Too Large"
        head = [b"HTTP/1.1 %d %s\r\n" % (status, phrase), b"content-type: application/json\r\n",
                b"content-length: %d\r\n" % len(body), b"connection: close\r\n", b"\r\n"]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
