"""The simulator served by a real uvicorn on a free port of 127.0.0.1 (in a thread), for network faults."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

from simulator.testing import serve_app


@contextlib.contextmanager
def serve(app: Any, http: str = "auto") -> Iterator[str]:
    """The app (lifespan on) on a free port of 127.0.0.1, with uvicorn's `http` implementation."""
    with serve_app(app, lifespan="on", http=http, log_level="critical") as url:
        yield url


def raw_exchange(base_url: str, request: bytes, timeout: float = 5.0) -> tuple[bytes, str]:
    """Send raw bytes; return what came back and how the connection ended ('eof', 'reset' or 'timeout')."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return data, "eof"
                data += chunk
        except ConnectionResetError:
            return data, "reset"
        except socket.timeout:
            return data, "timeout"
