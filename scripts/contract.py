"""Contract check: schemathesis against every provider's spec, served by a real simulator on loopback.

Fails when any response is a 5xx, has a status the spec does not document, or breaks its response schema.
Per-provider options come from behaviour.yaml `contract:` (exclude_operations, max_examples). A provider that serves
a second API under a path prefix (behaviour.yaml `versions:`, WidePay's v1) is checked once per API, each with the
credentials /_sim/providers lists for it.
Usage: python scripts/contract.py [provider ...] [--max-examples N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/_sim/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the simulator did not start at {url}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("providers", nargs="*")
    ap.add_argument("--max-examples", type=int, default=25)
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PROVIDER_SIM_CONTRACT="1")
    server = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", str(port), "--clock", "manual", "--no-rate-limits"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    failed: list[str] = []
    try:
        wait_ready(base)
        providers = json.load(urllib.request.urlopen(base + "/_sim/providers"))["providers"]
        exe = Path(sys.executable).with_name("schemathesis")
        for p in providers:
            if args.providers and p["key"] not in args.providers:
                continue
            spec = ROOT / "specs" / p["key"] / "openapi.yaml"
            behaviour_file = ROOT / "specs" / p["key"] / "behaviour.yaml"
            behaviour = yaml.safe_load(behaviour_file.read_text()) if behaviour_file.exists() else {}
            contract = behaviour.get("contract") or {}
            account = p["accounts"][0] if p["accounts"] else {}
            versions = account.get("versions") or {}
            # one run per API: the provider's own paths with its headers, then each version's paths (a path
            # prefix with its own credentials, behaviour.yaml `versions:`) with that version's headers
            runs = [(p["key"], dict(account.get("headers") or {}),
                     [a for v in versions.values() for a in ("--exclude-path-regex", "^" + re.escape(v["prefix"]))])]
            runs += [(f"{p['key']} {name}", dict(v["headers"]), ["--include-path-regex", "^" + re.escape(v["prefix"])])
                     for name, v in versions.items()]
            # one worker: with two, Hypothesis describes strategies from two threads at once and CPython 3.11's
            # ast module sometimes fails under it ("AST constructor recursion depth mismatch"), an internal
            # error that is no finding about the provider
            for label, headers, only in runs:
                cmd = [str(exe), "run", str(spec), "--url", f"{base}/{p['key']}", "--checks", CHECKS,
                       "--phases", "examples,fuzzing,stateful", "--workers", "1",
                       "--max-examples", str(contract.get("max_examples", args.max_examples)),
                       "--seed", "1", "--no-color", *only]
                for name, value in headers.items():
                    cmd += ["-H", f"{name}: {value}"]
                for op in contract.get("exclude_operations") or []:
                    cmd += ["--exclude-operation-id", op]
                print(f"== schemathesis: {label}", flush=True)
                urllib.request.urlopen(urllib.request.Request(base + "/_sim/reset", data=b"{}", method="POST",
                                                              headers={"Content-Type": "application/json"}))
                if subprocess.run(cmd, cwd=ROOT).returncode != 0:
                    failed.append(label)
    finally:
        server.terminate()
        server.wait(10)
    print("contract: " + ("all providers conform" if not failed else f"FAILED for {failed}"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
