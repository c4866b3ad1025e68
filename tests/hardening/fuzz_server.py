"""The simulator as `make fuzz` and `make soak` serve it: a separate process, one port, and a stall monitor.

`python tests/hardening/fuzz_server.py PORT [--journal-bytes N]` serves every provider (manual clock, rate limits
off, the header limits of `provider-sim serve`) with two extra routes outside the simulator: `GET /_fuzz/stats`
(`{"longest_stall_ms", "longest_busy_ms", "longest_gc_ms", "rss_mb"}`) and `POST /_fuzz/reset-stall`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from simulator.app import build_app  # noqa: E402
from simulator.cli import tune_gc  # noqa: E402
from simulator.http_limits import PROTOCOL  # noqa: E402
from simulator.limits import Limits  # noqa: E402
from simulator.settings import Settings  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


GC = {"longest": 0.0, "started": 0.0}


def _gc_timer(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        GC["started"] = time.perf_counter()
    else:
        GC["longest"] = max(GC["longest"], time.perf_counter() - GC["started"])


class Monitored:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.longest = 0.0
        self.busiest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        """Wall-clock lateness of a 5 ms sleep (includes the OS giving the CPU to other processes), and the CPU
        time the loop's thread spent meanwhile (the work that held the loop: what the simulator controls)."""
        while True:
            started, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.005)
            self.longest = max(self.longest, time.perf_counter() - started - 0.005)
            self.busiest = max(self.busiest, time.thread_time() - cpu)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._watch())
        if scope["type"] == "http" and scope["path"].startswith("/_fuzz/"):
            if scope["path"] == "/_fuzz/reset-stall":
                self.longest = self.busiest = GC["longest"] = 0.0
            body = json.dumps({"longest_stall_ms": round(self.longest * 1000, 1),
                               "longest_busy_ms": round(self.busiest * 1000, 1), "rss_mb": round(rss_mb(), 1),
                               "longest_gc_ms": round(GC["longest"] * 1000, 1)})
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body.encode()})
            return
        await self.app(scope, receive, send)


def main() -> None:
    port = int(sys.argv[1])
    limits = Limits()
    if "--journal-bytes" in sys.argv:
        limits = limits.replace(journal_bytes=int(sys.argv[sys.argv.index("--journal-bytes") + 1]))
    app = build_app(Settings(clock="manual", rate_limits=False, port=port, limits=limits))
    tune_gc()
    gc.callbacks.append(_gc_timer)
    uvicorn.run(Monitored(app), host="127.0.0.1", port=port, log_level="error", lifespan="on", http=PROTOCOL,
                h11_max_incomplete_event_size=limits.max_header_bytes, server_header=False)


if __name__ == "__main__":
    main()
