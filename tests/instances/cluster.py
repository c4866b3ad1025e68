"""Several `provider-sim serve` processes on one PostgreSQL database (tests/multi): start, stop, kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx

from pgserver import free_port

START_ISO = "2026-01-01T00:00:00Z"


@dataclass
class Instance:
    base: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL: no shutdown, no last commit."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Cluster:
    url: str
    instances: list[Instance] = field(default_factory=list)

    def start(self, count: int, *extra: str, env: dict[str, str] | None = None) -> list[Instance]:
        started = []
        for _ in range(count):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--store", self.url, "--clock", "manual", "--start-time", START_ISO, "--seed", "0", *extra],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
            started.append(Instance(f"http://127.0.0.1:{port}", process))
        for instance in started:
            _wait_healthy(instance)
        self.instances.extend(started)
        return started

    def stop(self) -> None:
        for instance in self.instances:
            if instance.alive:
                instance.process.terminate()
        for instance in self.instances:
            try:
                instance.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                instance.kill()


def _wait_healthy(instance: Instance, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if not instance.alive:
            err = instance.process.stderr.read().decode() if instance.process.stderr else ""
            raise RuntimeError(f"instance {instance.base} exited: {err[-2000:]}")
        try:
            if httpx.get(instance.base + "/_sim/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"instance {instance.base} did not start")
        time.sleep(0.1)
