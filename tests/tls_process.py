"""`provider-sim serve --tls` as a user runs it: a subprocess (real uvicorn) on two free ports of 127.0.0.1.

Shared by tests/tls (the HTTPS listener and host routing) and tests/sdk (official SDKs through the preload).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class TlsSimulator:
    http_port: int
    tls_port: int
    tls_dir: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def ca(self) -> Path:
        return self.tls_dir / "ca.pem"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def host_names(self) -> dict[str, str]:
        """{host name: provider key} from the banner's HTTPS section (what a user reads at start-up)."""
        names: dict[str, str] = {}
        lines = self.output().splitlines()
        start = next(i for i, line in enumerate(lines) if "HTTPS on https://" in line)
        for line in lines[start + 1:]:
            if not line.startswith("      ") or line.strip().startswith(("Node", "curl")):
                break
            key, _, hosts = line.strip().partition(" ")
            names.update((h.strip(), key) for h in hosts.split(","))
        return names

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.base}/_sim/requests", params=filters, timeout=10)
        answer.raise_for_status()
        entries: list[dict[str, Any]] = answer.json()["requests"]
        return entries

    def reset(self) -> None:
        httpx.post(f"{self.base}/_sim/reset", json={}, timeout=10).raise_for_status()


@contextlib.contextmanager
def tls_simulator(tls_dir: Path, *extra: str, start_timeout: float = 30.0) -> Iterator[TlsSimulator]:
    """`python -m simulator serve --tls` on free ports with its certificates in TLS_DIR; stopped at the end."""
    http_port, tls_port = free_port(), free_port()
    log = tls_dir.parent / f"serve-{tls_port}.log"
    cmd = [sys.executable, "-m", "simulator", "serve", "--port", str(http_port), "--tls", "--tls-port",
           str(tls_port), "--tls-dir", str(tls_dir), "--clock", "manual", *extra]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, PYTHONUNBUFFERED="1"))
    sim = TlsSimulator(http_port, tls_port, tls_dir, process, log)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve --tls exited with {process.returncode}:\n{sim.output()}")
            try:
                if httpx.get(f"{sim.base}/_sim/health", timeout=1).status_code == 200:
                    with socket.create_connection(("127.0.0.1", tls_port), timeout=1):
                        break
            except (httpx.HTTPError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve --tls did not start in {start_timeout} s:\n{sim.output()}")
            time.sleep(0.1)
        yield sim
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
