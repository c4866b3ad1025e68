"""Real local servers for webhook tests: the receiver of simulator.testing, and a port where nothing listens."""

from __future__ import annotations

import socket

from simulator.testing import WebhookReceiver as Receiver, webhook_receiver as receiver

__all__ = ["Receiver", "closed_port", "receiver"]


def closed_port() -> int:
    """A port of 127.0.0.1 where nothing listens (connections are refused)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port
