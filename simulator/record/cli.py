"""The `record`, `diff` and `scenario-from` commands (registered by simulator/cli.py through `add_parser`)."""

from __future__ import annotations

import argparse
import socket
import ssl
import sys
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from simulator.scenarios.loader import NAME


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The record, diff and scenario-from subcommands' arguments (cli.py runs them through COMMANDS)."""
    r = sub.add_parser("record", help="a recording proxy in front of the real provider (one redacted file per "
                                      "exchange)")
    r.add_argument("--provider", required=True, help="the provider's key (clicpay, webpag, widepay, ...)")
    r.add_argument("--upstream", required=True, help="the real provider's base URL, e.g. its sandbox")
    r.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    r.add_argument("--port", type=int, default=8001, help="the proxy's port (default 8001; 0 picks a free one)")
    r.add_argument("--out", type=Path, default=None, help="the cassette folder (default cassettes/KEY-TIME)")
    r.add_argument("--upstream-ca", type=Path, default=None, help="a PEM file of CA certificates to trust for "
                                                                  "an https upstream")
    r.add_argument("--webhook-port", type=int, default=None, help="also receive the provider's webhooks here")
    r.add_argument("--webhook-forward", default=None, help="and forward them to this base URL (your receiver)")
    r.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the upstream (default 30)")
    r.add_argument("--quiet", action="store_true", help="no line per exchange")

    d = sub.add_parser("diff", help="replay a cassette against a fresh simulator and list the differences")
    d.add_argument("cassette", type=Path, metavar="CASSETTE_DIR")
    d.add_argument("--format", choices=["text", "json", "junit"], default="text")
    d.add_argument("--out", default="-", help="a file to write (default: standard output)")
    d.add_argument("--fail-on-difference", action="store_true", help="exit 1 when there is any difference")
    d.add_argument("--settle", type=float, default=0.0,
                   help="seconds to run the simulator's clock past the last recorded entry before webhooks are "
                        "compared (default 0)")
    d.add_argument("--seed", type=int, default=0, help="the simulator's seed (default 0)")

    s = sub.add_parser("scenario-from", help="a scenario file answering the recorded requests with the recorded "
                                             "answers")
    s.add_argument("cassette", type=Path, metavar="CASSETTE_DIR")
    s.add_argument("--name", required=True, help="the scenario's name (letters, digits, '-', '_', '.')")
    s.add_argument("--out", default=None, help="the file to write (default NAME.yaml; '-' for standard output)")
    s.add_argument("--match-body", action="store_true", help="match the recorded body fields too")
    s.add_argument("--with-latency", action="store_true", help="answer after the recorded duration")


def _fail(command: str, message: str) -> int:
    print(f"provider-sim {command}: {message}", file=sys.stderr)
    return 2


def _write(out: str, payload: bytes) -> None:
    if out == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def run_record(args: argparse.Namespace) -> int:
    import uvicorn

    from simulator.record.cassette import CassetteError
    from simulator.record.facts import UnknownProvider, load_facts
    from simulator.record.proxy import PortDispatch, Recorder
    parts = urlsplit(args.upstream)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _fail("record", f"--upstream must be an http(s) URL, not {args.upstream!r}")
    if args.webhook_forward is not None:
        if args.webhook_port is None:
            return _fail("record", "--webhook-forward needs --webhook-port (where the provider's webhooks arrive)")
        if urlsplit(args.webhook_forward).scheme not in ("http", "https"):
            return _fail("record", f"--webhook-forward must be an http(s) URL, not {args.webhook_forward!r}")
    if args.upstream_ca is not None and not args.upstream_ca.is_file():
        return _fail("record", f"--upstream-ca {args.upstream_ca}: no such file")
    try:
        facts = load_facts(args.provider)
    except UnknownProvider as exc:
        return _fail("record", str(exc))
    out = args.out or Path("cassettes") / f"{facts.key}-{time.strftime('%Y%m%d-%H%M%S')}"
    sockets = []
    try:
        for port in [args.port] + ([args.webhook_port] if args.webhook_port is not None else []):
            sockets.append(_bind(args.host, port))
    except OSError as exc:
        for sock in sockets:
            sock.close()
        return _fail("record", f"cannot listen on {args.host}:{port}: {exc.strerror or exc}")
    try:
        recorder = Recorder(facts, out, args.upstream, upstream_ca=args.upstream_ca,
                            webhook_forward=args.webhook_forward, timeout=args.timeout,
                            log=None if args.quiet else lambda line: print(line, flush=True))
    except (ssl.SSLError, OSError, CassetteError) as exc:
        for sock in sockets:
            sock.close()
        return _fail("record", str(exc))
    ports = [int(s.getsockname()[1]) for s in sockets]
    apps = {ports[0]: recorder.proxy_app()}
    lines = [f"provider-sim record: {facts.name} through http://{args.host}:{ports[0]} -> {args.upstream}",
             f"  cassette {out}"]
    if len(ports) > 1:
        apps[ports[1]] = recorder.webhook_app()
        target = args.webhook_forward or "(acknowledged, not forwarded)"
        lines.append(f"  webhooks on http://{args.host}:{ports[1]} -> {target}")
    lines.append("  Ctrl-C stops")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        lines.append(f"  warning: listening on {args.host}: whoever reaches this address can call the upstream "
                     "through it")
    print("\n".join(lines), flush=True)
    config = uvicorn.Config(PortDispatch(apps), log_level="warning", lifespan="on", server_header=False,
                            date_header=False, access_log=False)
    try:
        uvicorn.Server(config).run(sockets=sockets)
    except KeyboardInterrupt:  # Ctrl-C: uvicorn has shut down cleanly and re-raises the signal
        pass
    print(f"provider-sim record: stopped; the cassette is {out}", flush=True)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from simulator.record.cassette import CassetteError
    from simulator.record.facts import UnknownProvider
    from simulator.record.replay import run
    from simulator.record.report import render
    try:
        report = run(args.cassette, settle=args.settle, seed=args.seed)
    except (CassetteError, UnknownProvider) as exc:
        return _fail("diff", str(exc))
    _write(args.out, render(report, args.format))
    total = len(report.differences)
    if args.out != "-" or args.format != "text":
        print(f"provider-sim diff: {sum(o.exchanges for o in report.operations.values())} exchange(s) replayed, "
              f"{total} difference(s)", file=sys.stderr)
    return 1 if args.fail_on_difference and total else 0


def run_scenario_from(args: argparse.Namespace) -> int:
    from simulator.record.cassette import CassetteError, read
    from simulator.record.facts import UnknownProvider, load_facts
    from simulator.record.scenario import write
    if not NAME.fullmatch(args.name):
        return _fail("scenario-from", f"--name {args.name!r}: use letters, digits, '-', '_' or '.' "
                                      "(no spaces or commas)")
    try:
        cassette = read(args.cassette)
        facts = load_facts(cassette.provider)
        text, notes = write(cassette, facts, args.name, match_body=args.match_body, latency=args.with_latency)
    except (CassetteError, UnknownProvider, ValueError) as exc:
        return _fail("scenario-from", str(exc))
    out = args.out or f"{args.name}.yaml"
    _write(out, text.encode("utf-8"))
    for note in notes:
        print(f"provider-sim scenario-from: {note}", file=sys.stderr)
    if out != "-":
        print(f"provider-sim scenario-from: wrote {out} ({text.count(chr(10) + '  - match:')} rule(s)); load it "
              f"with `provider-sim serve --scenario {out}`", file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "record": run_record, "diff": run_diff, "scenario-from": run_scenario_from}
