"""Fixtures and helpers of the WidePay tests: the simulator with WidePay only, form posts, a notification receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from simulator.app import SimulatorApp, build_app
from simulator.settings import Settings
from simulator.testing import WebhookReceiver, webhook_receiver
from shared import START, advance

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


def errors(body: dict[str, Any]) -> dict[str, list[str]]:
    assert body["success"] is False
    out: dict[str, list[str]] = {}
    for item in body.get("validacao") or body.get("detalhes") or []:
        out.setdefault(item["id"], []).append(item["erro"])
    return out


class Receiver(WebhookReceiver):
    """A notification receiver on 127.0.0.1 (simulator.testing) that answers `status`; `requests` gives each POST
    as (request head as text, body)."""

    @property
    def requests(self) -> list[tuple[str, bytes]]:
        out = []
        for r in self.received:
            target = f"{r.path}?{r.query}" if r.query else r.path
            head = f"{r.method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in r.headers.items())
            out.append((head + "\r\n", r.body))
        return out


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver(Receiver()) as r:
        r.url += "/widepay/notificacao"
        yield r


# --- v1 (/v1/recebimentos/...) -------------------------------------------------------------------------------

V1 = "/widepay/v1/recebimentos"


def v1_auth(app: SimulatorApp, index: int = 0) -> dict[str, str]:
    """The v1 headers of an account (Basic carteira:token), as /_sim/providers lists them."""
    return dict(app.sim.providers["widepay"].accounts[index].versions["v1"]["headers"])


async def v1(client: httpx.AsyncClient, app: SimulatorApp, action: str, data: Any = None, account: int = 0,
             json: Any = None, **kw: Any) -> dict[str, Any]:
    """POST a v1 call (a form dict of bracket keys, a list of pairs, or `json=`) and return its JSON answer."""
    headers = {**v1_auth(app, account), **kw.pop("headers", {})}
    if isinstance(data, list):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        kw["content"], data = urlencode(data), None
    r = await client.post(f"{V1}/{action}", data=data, json=json, headers=headers, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-length"] == str(len(r.content)) and r.content
    body: dict[str, Any] = r.json()
    return body


def charge_form(**extra: str) -> dict[str, str]:
    """The docs' minimal charge (form), due 2026-01-10 (the test clock starts on 2025-12-31 in Brazil)."""
    form = {"forma": "Boleto,Pix", "cliente": "Lívia Pontarolo Almeida", "pessoa": "Física",
            "cpf": "463.384.662-02", "itens[0][descricao]": "Descrição item 1", "itens[0][valor]": "22.50",
            "vencimento": "2026-01-10"}
    form.update(extra)
    return form


def v1_errors(body: dict[str, Any]) -> dict[str, list[str]]:
    assert body["sucesso"] is False and isinstance(body["erro"], str)
    out: dict[str, list[str]] = {}
    for item in body.get("validacao") or body.get("execucao") or []:
        out.setdefault(item["id"], []).append(item["erro"])
    return out
