"""Fixtures and helpers of the WidePay tests: the simulator with WidePay only, form posts, a notification receiver."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings

START = 1_767_225_600  # 2026-01-01T00:00:00Z = 2025-12-31 21:00:00 in Brazil
API = "/widepay/api"


@pytest.fixture
def app() -> SimulatorApp:
    return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["widepay"]))


@pytest.fixture
async def client(app: SimulatorApp) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as c:
        yield c


def auth(app: SimulatorApp, index: int = 0) -> dict[str, str]:
    return dict(app.sim.providers["widepay"].accounts[index].headers)


async def post(client: httpx.AsyncClient, app: SimulatorApp, action: str, data: Any = None, account: int = 0,
               **kw: Any) -> dict[str, Any]:
    """POST a form (a dict of bracket keys, or a list of pairs) and return the JSON answer (always 200)."""
    headers = {**auth(app, account), **kw.pop("headers", {})}
    if isinstance(data, list):  # repeated keys (id[]=a&id[]=b) in order
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        kw["content"], data = urlencode(data), None
    r = await client.post(f"{API}/{action}", data=data, headers=headers, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-length"] == str(len(r.content))
    body: dict[str, Any] = r.json()
    return body


def boleto_form(**extra: str) -> dict[str, str]:
    form = {"tipo": "Boleto", "vencimento": "2026-01-10", "cliente[pessoa]": "Física",
            "cliente[nome]": "Lays Pontarolo", "itens[0][descricao]": "Produto", "itens[0][valor]": "50"}
    form.update(extra)
    return form


async def advance(client: httpx.AsyncClient, seconds: float) -> None:
    r = await client.post("/_sim/clock/advance", json={"seconds": seconds})
    assert r.status_code == 200


def errors(body: dict[str, Any]) -> dict[str, list[str]]:
    assert body["success"] is False
    out: dict[str, list[str]] = {}
    for item in body.get("validacao") or body.get("detalhes") or []:
        out.setdefault(item["id"], []).append(item["erro"])
    return out


class Receiver:
    """A notification receiver on 127.0.0.1 that records each POST and answers `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, bytes]] = []
        self.status = 200
        self.server: asyncio.AbstractServer | None = None
        self.url = ""

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/widepay/notificacao"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        match = re.search(r"content-length:\s*(\d+)", head, re.I)
        body = await reader.readexactly(int(match.group(1))) if match else b""
        self.requests.append((head, body))
        writer.write(f"HTTP/1.1 {self.status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".encode())
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    await r.start()
    yield r
    assert r.server is not None
    r.server.close()
    await r.server.wait_closed()
