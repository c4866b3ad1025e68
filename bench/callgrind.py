#!/usr/bin/env python3
"""In-process instruction counts per request (not a test): provider-sim's app alone, called as ASGI, beside the
ceiling (bench/ceiling.py), for validated ClicPay creates and status reads.

Each app is built (provider-sim with a manual clock and its journal's ring full after the warm-up), given the
servers' collector tuning (simulator/gctune.py, as bench/run.py serves both), warmed up, then asked `n` times
inside one functools.reduce call; valgrind's callgrind counts only that call (--toggle-collect), so start-up,
imports and warm-up are left out, and its instructions divided by `n` are the cost of one request. Counts are
deterministic (PYTHONHASHSEED=0): a busy machine changes how long it takes, not the figures.

    python bench/callgrind.py [--n 1000] [--warmup 600] [--only sim|ceiling] [--op create|read]
    python bench/callgrind.py --profile create                # cProfile of n requests (where), no valgrind
    python bench/callgrind.py --once sim create 600 1000      # one run as valgrind is given it

Needs valgrind (apt-get install -y valgrind); about two minutes per figure under callgrind.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Awaitable, Callable, MutableMapping

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CREATE_PATH = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
CREATE_BODY = b'{"msisdn":"841234567","amount":500,"reference_description":"Bench"}'

JOURNAL = 1000
App = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]


def build(which: str) -> tuple[App, list[tuple[bytes, bytes]]]:
    sys.path.insert(0, str(ROOT))
    from simulator.app import build_app
    from simulator.limits import Limits
    from simulator.settings import Settings
    # a journal ring of JOURNAL entries, full after the warm-up: each request measured also drops the oldest entry,
    # as a long-running server's does (the ring's size changes nothing per request, only how long valgrind runs)
    sim_app = build_app(Settings(clock="manual", limits=Limits(journal_entries=JOURNAL)))
    h = sim_app.sim.providers["clicpay"].accounts[0].headers
    headers = [(k.lower().encode(), v.encode()) for k, v in h.items()]
    headers = [(b"host", b"127.0.0.1:8000")] + headers + [(b"user-agent", b"wrk"), (b"accept", b"*/*")]
    if which == "sim":
        return sim_app, headers
    sys.path.insert(0, str(HERE))
    import ceiling
    token = h["Authorization"].split(" ", 1)[1]
    return ceiling.build({token}), headers


async def drive(app: App, headers: list[tuple[bytes, bytes]], op: str, warmup: int, n: int) -> None:
    """`warmup` creates and reads, then `n` of `op` inside one functools.reduce call (what callgrind counts)."""
    sent: list[Any] = []

    def receiver(body: bytes) -> Any:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}
        return receive

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    base = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "http",
            "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 40000), "root_path": "", "query_string": b""}
    cheaders = headers + [(b"content-type", b"application/json"), (b"content-length", str(len(CREATE_BODY)).encode())]
    create = {**base, "method": "POST", "path": CREATE_PATH, "raw_path": CREATE_PATH.encode(), "headers": cheaders}
    await app(dict(create), receiver(CREATE_BODY), send)
    ref = json.loads(sent[-1]["body"])["clicpay_reference"]
    read_path = f"/clicpay/api/v2/transactions/{ref}/status"
    read = {**base, "method": "GET", "path": read_path, "raw_path": read_path.encode(), "headers": headers}
    empty = receiver(b"")
    for _ in range(warmup):
        await app(dict(create), receiver(CREATE_BODY), send)
        await app(dict(read), empty, send)
        sent.clear()
    scope = create if op == "create" else read
    receive = receiver(CREATE_BODY) if op == "create" else empty

    def one(_: None, __: int) -> None:
        # the request runs to its end without waiting (nothing it awaits suspends), so it is driven by hand,
        # inside this task: inside the reduce call that callgrind's --toggle-collect counts
        call: Any = app(dict(scope), receive, send)  # a coroutine
        try:
            call.send(None)
        except StopIteration:
            return
        raise RuntimeError("the request waited on something")

    sent.clear()
    functools.reduce(one, range(n), None)
    if n:
        assert sent[-2]["status"] == 200, sent[-2:]
        assert len(sent) == 2 * n, len(sent)
    sent.clear()


def once(which: str, op: str, warmup: int, n: int) -> None:
    app, headers = build(which)
    from simulator.cli import tune_gc  # both servers' collector tuning (bench/run.py serves them so)
    tune_gc()
    asyncio.run(drive(app, headers, op, warmup, n))


def instructions(which: str, op: str, warmup: int, n: int) -> int:
    """Instructions of `n` requests (only the reduce call is counted: start-up and warm-up are not)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--collect-atstart=no",
                        "--toggle-collect=functools_reduce", sys.executable, __file__,
                        "--once", which, op, str(warmup), str(n)], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        m = re.search(r"^summary:\s+(\d+)", out.read_text(errors="replace"), re.M)
        assert m
        return int(m.group(1))


def profile(which: str, op: str, warmup: int, n: int) -> None:
    import cProfile
    import pstats
    app, headers = build(which)
    asyncio.run(drive(app, headers, op, warmup, 0))
    prof = cProfile.Profile()
    prof.enable()
    asyncio.run(drive(app, headers, op, 0, n))
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(40)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=600)
    p.add_argument("--only", choices=["sim", "ceiling"])
    p.add_argument("--op", choices=["create", "read"])
    p.add_argument("--profile", choices=["create", "read"])
    p.add_argument("--once", nargs=4, metavar=("APP", "OP", "WARMUP", "N"))
    a = p.parse_args()
    if a.once:
        once(a.once[0], a.once[1], int(a.once[2]), int(a.once[3]))
        return 0
    if a.profile:
        profile(a.only or "sim", a.profile, a.warmup, a.n)
        return 0
    results: dict[str, dict[str, int]] = {}
    for which in [a.only] if a.only else ["sim", "ceiling"]:
        for op in [a.op] if a.op else ["create", "read"]:
            results.setdefault(which, {})[op] = round(instructions(which, op, a.warmup, a.n) / a.n)
            print(which, op, f"{results[which][op]:,} instructions per request", flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
