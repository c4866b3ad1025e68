"""Network faults a scenario asks for, made real on the wire when uvicorn serves the app.

An ASGI app cannot close its connection: uvicorn answers 500 to an app that fails before
`http.response.start`. But uvicorn hands the app its request cycle's bound `send`, whose object holds the
asyncio transport. Through it:
- `connection_reset`: SO_LINGER 0 and abort -> the client gets a TCP RST ("connection reset by peer");
- `empty_reply`: close -> the client gets EOF before any byte ("server disconnected without a response");
- `timeout`: hold the request until the client gives up (uvicorn reports `http.disconnect`) or for at most
  `seconds`, then close as `empty_reply`.
The cycle is then marked disconnected so uvicorn sends nothing more. Served any other way (httpx's
ASGITransport in tests, other servers), the fault surfaces as the exception an httpx client would raise.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Protocol, cast

from starlette.types import Receive, Send


class _Cycle(Protocol):
    """What is used of uvicorn's RequestResponseCycle: its connection's transport, and whether it is closed."""
    transport: asyncio.Transport
    disconnected: bool


def _cycle(send: Send) -> _Cycle | None:
    """uvicorn's RequestResponseCycle behind `send`, if that is what it is."""
    owner = getattr(send, "__self__", None)
    if owner is not None and hasattr(owner, "transport") and hasattr(owner, "disconnected"):
        return cast(_Cycle, owner)  # it has both (checked above)
    return None


async def _wait_disconnect(receive: Receive, seconds: float) -> None:
    async def until_disconnect() -> None:
        while (await receive()).get("type") != "http.disconnect":
            pass
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(until_disconnect(), timeout=seconds)


def _close(cycle: _Cycle, reset: bool) -> None:
    transport = cycle.transport
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
    cycle.disconnected = True  # uvicorn must not answer (it would send a 500) nor write anything more


async def apply(kind: str, seconds: float, receive: Receive, send: Send) -> None:
    """End the exchange without a response, as the fault `kind` does on a real network."""
    cycle = _cycle(send)
    if kind == "timeout":
        await _wait_disconnect(receive, seconds)
    if cycle is not None:
        _close(cycle, reset=kind == "connection_reset")
        await asyncio.sleep(0)
        return
    import httpx  # served in process (tests): the exception an httpx client would raise
    if kind == "connection_reset":
        raise httpx.ReadError("[simulated] connection reset by peer")
    if kind == "timeout":
        raise httpx.ReadTimeout(f"[simulated] no answer within {seconds:g} s")
    raise httpx.RemoteProtocolError("[simulated] server disconnected without sending a response")
