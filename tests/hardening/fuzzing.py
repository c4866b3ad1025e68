"""Sending hostile cases and judging the answers: the quick subset (in process) and `make fuzz` (real server).

A case passes when the answer is not a 5xx and, where it says JSON, is standard JSON (UTF-8, no NaN or
Infinity, no lone surrogate). `HealthProbe` asks /_sim/health from another thread and records its longest
answer time; the server's own event-loop stalls are measured inside it (fuzz_server.py).
"""

from __future__ import annotations

import asyncio
import collections
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

import httpx

from hostile import Case


def is_standard_json(raw: bytes) -> bool:
    def refuse(name: str) -> Any:
        raise ValueError(name)
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=refuse)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    stack = [value]
    while stack:
        node = stack.pop()
        parts = list(node.items()) if isinstance(node, dict) else node if isinstance(node, list) else [node]
        for part in parts:
            for item in part if isinstance(part, tuple) else (part,):
                if isinstance(item, str):
                    try:
                        item.encode("utf-8")
                    except UnicodeEncodeError:
                        return False
                elif isinstance(item, (dict, list)):
                    stack.append(item)
    return True


@dataclass
class Tally:
    by_class: collections.Counter[str] = field(default_factory=collections.Counter)
    by_provider: collections.Counter[str] = field(default_factory=collections.Counter)
    server_errors: list[str] = field(default_factory=list)
    bad_json: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")

    def judge(self, case: Case, response: httpx.Response | None, seconds: float, error: str = "") -> None:
        self.by_class[case.kind] += 1
        self.by_provider[case.provider] += 1
        if seconds > self.slowest[0]:
            self.slowest = (seconds, case.label())
        if response is None:
            self.transport_errors.append(f"{case.label()} {case.path[:80]}: {error}")
            return
        if response.status_code >= 500:
            self.server_errors.append(f"{case.label()} {case.path[:80]} -> {response.status_code} "
                                      f"{response.text[:120]}")
        if case.method != "HEAD" and "json" in response.headers.get("content-type", "") and \
                not is_standard_json(response.content):
            self.bad_json.append(f"{case.label()} -> {response.content[:120]!r}")

    def summary(self) -> dict[str, Any]:
        return {"cases": sum(self.by_class.values()), "by_class": dict(self.by_class),
                "by_provider": dict(self.by_provider), "5xx": len(self.server_errors),
                "invalid_json": len(self.bad_json), "transport_errors": len(self.transport_errors),
                "slowest_request_ms": round(self.slowest[0] * 1000, 1), "slowest_case": self.slowest[1]}


async def send_all(client: httpx.AsyncClient, cases: Iterable[Case], tally: Tally, concurrency: int = 4) -> None:
    queue: asyncio.Queue[Case | None] = asyncio.Queue(maxsize=concurrency * 4)

    async def worker() -> None:
        while (case := await queue.get()) is not None:
            started = time.perf_counter()
            headers = {k: v.encode("utf-8") for k, v in case.headers.items()}
            try:
                response = await client.request(case.method, case.path, headers=headers, content=case.body)
            except httpx.HTTPError as exc:  # a refused header at the HTTP layer closes the connection
                tally.judge(case, None, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
                continue
            tally.judge(case, response, time.perf_counter() - started)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    for case in cases:
        await queue.put(case)
    for _ in workers:
        await queue.put(None)
    await asyncio.gather(*workers)


class HealthProbe(threading.Thread):
    """GET /_sim/health every `period` seconds from its own thread and connection; the longest answer time."""

    def __init__(self, base_url: str, period: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.base_url = base_url
        self.period = period
        self.longest = 0.0
        self.failures = 0
        self.count = 0
        self._halt = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            while not self._halt.is_set():
                started = time.perf_counter()
                try:
                    ok = client.get("/_sim/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.longest = max(self.longest, time.perf_counter() - started)
                self.count += 1
                self.failures += not ok
                self._halt.wait(self.period)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=35)
