"""Listening and running uvicorn for `provider-sim serve`.

The CLI binds the listening socket itself before it prints anything, so a port in use is one clear line and no
banner; uvicorn then serves on that socket (one worker in this process, or N worker processes sharing it).
"""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.types import ASGIApp

BACKLOG = 2048  # uvicorn's default


class BindError(Exception):
    """The address cannot be listened on; the message says which and why, in one line."""


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one), as uvicorn would open it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    shown = f"[{host}]:{port}" if family == socket.AF_INET6 else f"{host}:{port}"
    sock = socket.socket(family=family)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except socket.gaierror as exc:
        sock.close()
        raise BindError(f"cannot listen on {shown}: the host {host!r} is not known ({exc.strerror})") from exc
    except OSError as exc:
        sock.close()
        raise BindError(f"cannot listen on {shown}: {_why(exc, host, port)}") from exc
    sock.set_inheritable(True)
    return sock


def _why(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use (another provider-sim?); choose another with --port"
    if exc.errno == errno.EACCES:
        return f"permission denied (ports below 1024 need privileges); choose another with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine; use 127.0.0.1, or 0.0.0.0 for every interface"
    return exc.strerror or str(exc)


def run(app: ASGIApp | str, sock: socket.socket, workers: int, **options: Any) -> bool:
    """Serve `app` (an ASGI app, or an import string with factory=True for several workers) on `sock`.

    Returns False when the server could not start (uvicorn has logged why)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(app, host=host, port=port, workers=workers, **options)
    server = uvicorn.Server(config)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
            return True
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        return True
    finally:
        sock.close()
    return server.started
