"""pytest plugin (registered through the pytest11 entry point): fixtures provider_sim, provider_sim_server and
webhook_receiver.

`provider_sim` is a simulator in process (manual clock, seed from `--provider-sim-seed`), reached by sync
`httpx.Client`s through a transport that runs the ASGI app on one long-lived event loop in a thread (an anyio
blocking portal), so the app's scheduled work (transitions, webhook attempts, the lifespan ticker) keeps working.
`provider_sim_server` is the same simulator as a real uvicorn server on a free port of 127.0.0.1, for clients
in any language. Both are built once per session and reset before every test that uses them.
`webhook_receiver` is a `simulator.testing.WebhookReceiver` served on a free port of 127.0.0.1 for one test.

This module is loaded by every pytest run where the package is installed: it imports only pytest at import time
and defines nothing but options, ini keys (`--provider-sim-seed`, `--provider-sim-specs`,
`--provider-sim-scenarios`; `provider_sim_specs`, `provider_sim_scenarios`) and fixtures.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    import httpx
    from anyio.from_thread import BlockingPortal

    from simulator.app import SimulatorApp
    from simulator.testing import WebhookReceiver

IN_PROCESS_BASE = "http://provider-sim.test"


class ProviderSimError(Exception):
    """A control call the simulator refused: its status and `{"error": ...}` message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class ProviderSim:
    """The control client both fixtures give: provider clients, the clock, outcomes, scenarios, journals."""

    def __init__(self, base_url: str, app: "SimulatorApp", transport: "httpx.BaseTransport | None" = None) -> None:
        import httpx
        self.base_url = base_url
        self.app = app
        self.sim = app.sim  # the in-process Sim (also for the server fixture, which runs in this process)
        self._transport = transport
        self._clients: list[httpx.Client] = []
        self.control = self._new_client(base_url, {})

    def _new_client(self, base_url: str, headers: dict[str, str]) -> "httpx.Client":
        import httpx
        client = httpx.Client(base_url=base_url, headers=headers, transport=self._transport, timeout=30.0)
        self._clients.append(client)
        return client

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.control.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                message = str(response.json().get("error", response.text))
            except ValueError:
                message = response.text
            raise ProviderSimError(response.status_code, message)
        return response.json()

    def account(self, provider: str, index: int | str = 0) -> dict[str, Any]:
        """The public account entry of /_sim/providers (`id`, `headers`, `credentials`, extras)."""
        runtime = self.sim.providers.get(provider)
        if runtime is None:
            raise ProviderSimError(404, f"unknown provider {provider!r}; known: {sorted(self.sim.providers)}")
        accounts = runtime.accounts
        if isinstance(index, str):
            found = [a for a in accounts if a.id == index]
            if not found:
                raise ProviderSimError(404, f"no account {index!r} at {provider}")
            return found[0].public()
        return accounts[index].public()

    def client(self, provider: str, account: int | str | None = 0, version: str | None = None) -> "httpx.Client":
        """A sync httpx.Client on the provider's base path with that account's headers (None: no auth); with
        `version` (WidePay's "v1"), the headers of that API version (`versions` of /_sim/providers)."""
        entry = self.account(provider, account) if account is not None else {}
        headers = dict((entry.get("versions") or {})[version]["headers"] if version else entry.get("headers") or {})
        return self._new_client(f"{self.base_url}/{provider}", headers)

    def advance(self, seconds: float) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/_sim/clock/advance", json={"seconds": seconds})
        return result

    def now(self) -> str:
        return str(self._call("GET", "/_sim/clock")["now"])

    def force(self, provider: str, id: str | int, outcome: str, message: str | None = None) -> Any:
        body = {"message": message} if message is not None else {}
        return self._call("POST", f"/_sim/{provider}/transactions/{id}/{outcome}", json=body)

    def scenario(self, name_or_yaml: str) -> Any:
        """Activate a built-in or loaded scenario by name, or load a scenario file's YAML (active at once)."""
        text = name_or_yaml.strip()
        if "\n" not in text and ":" not in text:
            return self._call("POST", f"/_sim/scenarios/{text}/activate")
        return self._call("POST", "/_sim/scenarios", content=text.encode(),
                          headers={"Content-Type": "application/yaml"})

    def requests(self, **filters: object) -> list[dict[str, Any]]:
        params = {k: str(v) for k, v in filters.items() if v is not None}
        return list(self._call("GET", "/_sim/requests", params=params)["requests"])

    def webhooks(self, **filters: object) -> list[dict[str, Any]]:
        params = {k: str(v) for k, v in filters.items() if v is not None}
        return list(self._call("GET", "/_sim/webhooks", params=params)["deliveries"])

    def violations(self, **filters: object) -> list[dict[str, Any]]:
        """The journal entries that broke the provider's contract."""
        return [e for e in self.requests(**filters) if e.get("violations")]

    def warnings(self, **filters: object) -> list[dict[str, Any]]:
        """The journal entries with warnings: rules the provider's documents do not state (served all the same)."""
        return [e for e in self.requests(**filters) if e.get("warnings")]

    def reset(self) -> None:
        self._call("POST", "/_sim/reset")

    def close_clients(self) -> None:
        for client in self._clients[1:]:
            client.close()
        del self._clients[1:]

    def close(self) -> None:
        self.close_clients()
        self.control.close()


class PortalTransport:
    """A sync httpx transport that runs the ASGI app on the portal's event loop (one loop for the session)."""

    def __init__(self, portal: "BlockingPortal", app: "SimulatorApp") -> None:
        import httpx
        self._portal = portal
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: "httpx.Request") -> "httpx.Response":
        import httpx
        content = request.read()

        async def run() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            inner = httpx.Request(request.method, request.url, headers=request.headers, content=content)
            response = await self._asgi.handle_async_request(inner)
            body = await response.aread()
            return response.status_code, response.headers.raw, body

        status, headers, body = self._portal.call(run)
        return httpx.Response(status, headers=headers, content=body, request=request)

    def close(self) -> None:
        pass

    def __enter__(self) -> "PortalTransport":
        return self

    def __exit__(self, *args: object) -> None:
        pass


def _folders(config: pytest.Config, name: str) -> list["Path"]:
    """The ini key's folders (relative to the ini file), then the command line's (relative to where pytest ran)."""
    from pathlib import Path
    here = Path(config.invocation_params.dir)
    from_ini = [Path(p) for p in config.getini(name)]
    from_cli = [here / p for p in config.getoption(name) or []]
    return from_ini + from_cli


def _build_app(config: pytest.Config) -> "SimulatorApp":
    from simulator.app import build_app
    from simulator.settings import Settings
    return build_app(Settings(clock="manual", seed=int(config.getoption("provider_sim_seed")),
                              spec_dirs=_folders(config, "provider_sim_specs"),
                              scenario_dirs=_folders(config, "provider_sim_scenarios")))


@contextlib.contextmanager
def _running_lifespan(app: "SimulatorApp") -> Iterator["BlockingPortal"]:
    """A blocking portal whose event loop runs the app's lifespan (startup, ticker, shutdown)."""
    import anyio
    from anyio.from_thread import start_blocking_portal
    from starlette.types import Message

    with start_blocking_portal() as portal:
        send_in, receive_in = anyio.create_memory_object_stream[Message](10)
        send_out, receive_out = anyio.create_memory_object_stream[Message](10)

        async def send(message: Message) -> None:
            await send_out.send(dict(message))

        async def lifespan() -> None:
            await app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive_in.receive, send)

        future = portal.start_task_soon(lifespan)
        portal.call(send_in.send, {"type": "lifespan.startup"})
        portal.call(receive_out.receive)
        try:
            yield portal
        finally:
            portal.call(send_in.send, {"type": "lifespan.shutdown"})
            portal.call(receive_out.receive)
            future.result(timeout=10)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("provider-sim")
    group.addoption("--provider-sim-seed", type=int, default=0,
                    help="seed of the provider_sim fixtures' simulator (generated data and credentials)")
    group.addoption("--provider-sim-specs", action="append", default=[], metavar="DIR",
                    help="provider folders DIR/<key>/openapi.yaml + behaviour.yaml, added to the built-in ones or "
                         "replacing the one of the same key (repeatable; also the ini key provider_sim_specs)")
    group.addoption("--provider-sim-scenarios", action="append", default=[], metavar="DIR",
                    help="a scenario library, DIR/<key>/*.yaml or DIR/*.yaml (repeatable; also the ini key "
                         "provider_sim_scenarios)")
    parser.addini("provider_sim_specs", type="paths", default=[],
                  help="provider-sim: provider folders added to (or replacing) the built-in ones")
    parser.addini("provider_sim_scenarios", type="paths", default=[],
                  help="provider-sim: scenario libraries beside the built-in one")


def pytest_configure(config: pytest.Config) -> None:
    """A folder given to the plugin that does not exist is a usage error, before any test runs."""
    for name, flag in (("provider_sim_specs", "--provider-sim-specs"),
                       ("provider_sim_scenarios", "--provider-sim-scenarios")):
        for folder in _folders(config, name):
            if not folder.is_dir():
                raise pytest.UsageError(f"provider-sim: {flag} / {name} folder {folder}: no such folder")


@contextlib.contextmanager
def _served_sim(app: "SimulatorApp") -> Iterator[ProviderSim]:
    """The app (lifespan on) served by uvicorn on a free port of 127.0.0.1, and its ProviderSim handle."""
    from simulator.testing import serve_app
    with serve_app(app, lifespan="on") as base_url:
        handle = ProviderSim(base_url, app)
        try:
            yield handle
        finally:
            handle.close()


def _fresh(handle: ProviderSim) -> Iterator[ProviderSim]:
    """The body of a per-test fixture over a session handle: reset before the test, close its clients after."""
    handle.reset()
    yield handle
    handle.close_clients()


@pytest.fixture(scope="session")
def _provider_sim_session(request: pytest.FixtureRequest) -> Iterator[ProviderSim]:
    app = _build_app(request.config)
    with _running_lifespan(app) as portal:
        handle = ProviderSim(IN_PROCESS_BASE, app, PortalTransport(portal, app))  # type: ignore[arg-type]
        try:
            yield handle
        finally:
            handle.close()


@pytest.fixture(scope="session")
def _provider_sim_server_session(request: pytest.FixtureRequest) -> Iterator[ProviderSim]:
    with _served_sim(_build_app(request.config)) as handle:
        yield handle


@pytest.fixture
def provider_sim(_provider_sim_session: ProviderSim) -> Iterator[ProviderSim]:
    """A fresh in-process simulator (manual clock) for this test, reached through an httpx transport."""
    yield from _fresh(_provider_sim_session)


@pytest.fixture
def provider_sim_server(_provider_sim_server_session: ProviderSim) -> Iterator[ProviderSim]:
    """A fresh simulator (manual clock) served by uvicorn on a free port of 127.0.0.1 for this test."""
    yield from _fresh(_provider_sim_server_session)


@pytest.fixture
def webhook_receiver() -> Iterator["WebhookReceiver"]:
    """A started WebhookReceiver on 127.0.0.1 for this test: point a webhook URL at `webhook_receiver.url`."""
    from simulator.testing import webhook_receiver as served_receiver
    with served_receiver() as receiver:
        yield receiver
