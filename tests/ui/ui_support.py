"""Fixtures of the dashboard tests (imported by its test modules): a webhook receiver on 127.0.0.1, a real uvicorn
server of the app, and a real headless Chromium driven by Playwright.

Browser tests skip when Chromium is absent, except in CI (CI=true), where they must run.
Set PROVIDER_SIM_SCREENSHOTS=docs/screenshots to save a PNG of each page the browser tests visit.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.testing import ReceivedRequest, WebhookReceiver, webhook_receiver
from shared import START

CHROMIUM = os.environ.get("PROVIDER_SIM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


class Receiver(WebhookReceiver):
    """Records every request; answers POSTs (webhooks) with 200 and GETs (the shop's return page) with HTML."""

    def respond(self, request: ReceivedRequest) -> tuple[int, str, bytes]:
        if request.method == "GET":
            return 200, "text/html", b"<!doctype html><title>Shop</title><h1>Back at the shop</h1>"
        return super().respond(request)

    @property
    def posts(self) -> list[dict[str, Any]]:
        """The POSTs: path, headers and body (parsed JSON, else text)."""
        out = []
        for r in self.received:
            if r.method == "POST":
                try:
                    body = r.json()
                except ValueError:
                    body = r.text
                out.append({"path": r.path, "headers": r.headers, "body": body})
        return out

    def events(self, name: str) -> list[dict[str, Any]]:
        return [p for p in self.posts if isinstance(p["body"], dict) and p["body"].get("event") == name]


@pytest.fixture(scope="session")
def _ui_server() -> Iterator[Any]:
    from simulator.app import build_app
    from simulator.pytest_plugin import _served_sim
    from simulator.settings import Settings
    with _served_sim(build_app(Settings(clock="manual", start_time=START, seed=0))) as handle:
        yield handle


@pytest.fixture
def server(_ui_server: Any) -> Iterator[Any]:
    """A fresh simulator (manual clock) served by a real uvicorn on a free 127.0.0.1 port."""
    from simulator.pytest_plugin import _fresh
    yield from _fresh(_ui_server)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver(Receiver()) as r:
        yield r


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="module")  # sync Playwright keeps an event loop running: close it with its module
def browser() -> Iterator[Any]:
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not _chromium_available() and not in_ci:
        pytest.skip(f"no Chromium at {CHROMIUM} (install it with .ci/browser-deps.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright is not installed (install it with .ci/browser-deps.sh)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Console:
    """Errors the page logged; a test that provokes an error answer on purpose lists its status as expected."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.expected_statuses: set[int] = set()

    def unexpected(self) -> list[str]:
        allowed = [f"the server responded with a status of {s} " for s in self.expected_statuses]
        return [e for e in self.errors if not any(a in e for a in allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Any, console: Console) -> Iterator[Any]:
    """A fresh page; the test fails if the page logs a JavaScript error or an uncaught exception."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: console.errors.append(f"uncaught: {e}"))
    yield pg
    context.close()
    assert console.unexpected() == [], f"JavaScript console errors: {console.unexpected()}"


@pytest.fixture
def shot(page: Any) -> Any:
    """shot(name): save a screenshot of the page when PROVIDER_SIM_SCREENSHOTS names a folder."""
    folder = os.environ.get("PROVIDER_SIM_SCREENSHOTS")

    def save(name: str, full_page: bool = True) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)
    return save
