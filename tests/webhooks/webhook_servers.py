"""Real local servers for webhook tests: the receiver of simulator.testing, its fixtures, and a dead port."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from simulator.testing import WebhookReceiver as Receiver, webhook_receiver as receiver

__all__ = ["Receiver", "closed_port", "module_rx", "receiver", "rx"]


@pytest.fixture(scope="module")
def module_rx() -> Iterator[Receiver]:
    """One receiver for a test module (starting a server per test is slow)."""
    with receiver() as r:
        yield r


@pytest.fixture
def rx(module_rx: Receiver) -> Receiver:
    """The module's receiver, emptied for this test."""
    module_rx.clear()
    return module_rx


def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens (connections are refused)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port
