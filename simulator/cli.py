"""provider-sim serve | report (also `python -m simulator ...`)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from simulator import limits, report_cli, security
from simulator.settings import Settings

if TYPE_CHECKING:
    from simulator.sim import Sim

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"report": report_cli.run}


def _start_time(text: str) -> float:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="provider-sim", description="A local, stateful payment-provider simulator.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve every provider (and the /_sim control API)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--clock", choices=["real", "manual"], default="real")
    s.add_argument("--start-time", type=_start_time, default=None, help="ISO 8601 start of the simulated clock")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--scenario", action="append", default=[], type=Path, help="a scenario file (repeatable)")
    s.add_argument("--provider", default=None, help="also serve this provider at the root")
    s.add_argument("--specs", action="append", default=[], type=Path, metavar="DIR", dest="spec_dirs",
                   help="provider folders DIR/<key>/openapi.yaml + behaviour.yaml, added to the built-in ones or "
                        "replacing the one of the same key; repeatable (default: the built-in providers only)")
    s.add_argument("--store", default="memory", help="memory | sqlite:PATH")
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--log-requests", action="store_true", help="log every request (off by default)")
    s.add_argument("--no-rate-limits", dest="rate_limits", action="store_false",
                   help="ignore the providers' request limits (e.g. SmartClick's 60 a minute), for fuzzing")
    s.add_argument("--tls", action="store_true",
                   help="also serve HTTPS, with a local CA and a certificate for the providers' real host names "
                        "(api.widepay.com, ...), each served at the root when a client asks for it by name")
    s.add_argument("--tls-port", type=int, default=None, help="the HTTPS port (default 8443; implies --tls)")
    s.add_argument("--tls-dir", type=Path, default=None,
                   help="where the CA (ca.pem) and certificate are kept and reused across runs (implies --tls)")
    security.add_arguments(s)
    limits.add_arguments(s)
    report_cli.add_parser(sub)
    from simulator.record import cli as record_cli  # record, diff, scenario-from (imported when asked for)
    record_cli.add_parser(sub)
    COMMANDS.update(record_cli.COMMANDS)
    return p


def settings_from_args(a: argparse.Namespace) -> Settings:
    s = Settings(host=a.host, port=a.port, clock=a.clock, start_time=a.start_time, seed=a.seed,
                 scenario_files=list(a.scenario), provider=a.provider, store=a.store,
                 spec_dirs=list(a.spec_dirs), log_requests=a.log_requests, rate_limits=a.rate_limits,
                 tls=a.tls or a.tls_port is not None or a.tls_dir is not None,
                 tls_port=8443 if a.tls_port is None else a.tls_port, tls_dir=a.tls_dir)
    security.apply_arguments(a, s)
    s.limits = limits.from_args(a)
    return s


def settings_to_env(s: Settings) -> str:
    data: dict[str, Any] = {k: (str(v) if isinstance(v, Path) else v) for k, v in s.__dict__.items()}
    data["scenario_files"] = [str(p) for p in s.scenario_files]
    data["spec_dirs"] = [str(p) for p in s.spec_dirs]
    data["limits"] = dataclasses.asdict(s.limits)
    return json.dumps(data)


def settings_from_env() -> Settings:
    raw = json.loads(os.environ.get("PROVIDER_SIM_SETTINGS", "{}"))
    s = Settings()
    for key, value in raw.items():
        if key in ("specs_dir", "scenarios_dir") or (key == "tls_dir" and value is not None):
            value = Path(value)
        if key in ("scenario_files", "spec_dirs"):
            value = [Path(v) for v in value]
        if key == "limits":
            value = limits.Limits(**value)
        setattr(s, key, value)
    return s


def banner(sim: Sim, s: Settings) -> str:
    base = s.public_url.rstrip("/") if s.public_url else f"http://{s.host}:{s.port}"
    lines = [f"provider-sim on {base}  (clock {s.clock}, seed {s.seed}, store {s.store})",
             f"  control API {base}/_sim/   dashboard {base}/_sim/ui"]
    for p in sim.providers.values():
        lines.append(f"  {p.name:<14} {base}/{p.key}/")
        for acc in p.accounts:
            creds = ", ".join(f"{k}={v}" for k, v in acc.credentials.items())
            ids = {k: v for k, v in acc.public().items() if isinstance(v, list) and v and not isinstance(v[0], dict)}
            extra = "".join(f"  {k}={','.join(map(str, v))}" for k, v in ids.items())
            lines.append(f"      account {acc.id:<8} {creds}{extra}")
    return "\n".join(lines)


def tune_gc() -> None:
    """Server processes only: keep the collector's full sweeps off the request path.

    What start-up built (specs, validators, routes) is frozen out of collection, and the young generation is
    collected less often; requests make little cyclic garbage, so this trades nothing for a much lower p99.
    """
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def serve(a: argparse.Namespace) -> int:
    import uvicorn

    from simulator import http_limits
    from simulator.app import build_app
    from simulator.sim import Sim
    s = settings_from_args(a)
    try:
        sim = Sim(s)
        load = getattr(sim.scenarios, "load_files", None)
        if load is not None:
            load(s.scenario_files)
    except Exception as exc:  # a bad spec or scenario file stops start-up with its message
        print(f"provider-sim: {exc}", file=sys.stderr)
        return 2
    if s.tls:
        return serve_tls(sim, a.workers)
    print(banner(sim, s), flush=True)
    for warning in security.startup_warnings(s):
        print(f"provider-sim: warning: {warning}", file=sys.stderr, flush=True)
    tune_gc()
    log_level = "info" if s.log_requests else "warning"
    if a.workers > 1:
        os.environ["PROVIDER_SIM_SETTINGS"] = settings_to_env(s)
        uvicorn.run("simulator.asgi:create", factory=True, host=s.host, port=s.port, workers=a.workers,
                    log_level=log_level, access_log=s.log_requests, server_header=False,
                    http=http_limits.PROTOCOL, h11_max_incomplete_event_size=s.limits.max_header_bytes)
    else:  # no "server: uvicorn" header: a provider's answer carries only the headers its spec gives it
        uvicorn.run(build_app(sim=sim), host=s.host, port=s.port, log_level=log_level,
                    access_log=s.log_requests, server_header=False,
                    http=http_limits.PROTOCOL, h11_max_incomplete_event_size=s.limits.max_header_bytes)
    return 0


def serve_tls(sim: Sim, workers: int) -> int:
    """`serve --tls`: HTTP and HTTPS in one process (simulator/tls.py)."""
    from simulator import tls
    from simulator.app import build_app
    s = sim.settings
    try:
        if workers > 1:
            raise tls.TlsError("--tls serves in one process: drop --workers, or put a TLS proxy in front")
        app = build_app(sim=sim)
        serving = tls.TlsServing.prepare(s.host, s.port, s.tls_port, s.tls_dir, app.host_names)
    except tls.TlsError as exc:
        print(f"provider-sim: {exc}", file=sys.stderr)
        return 2
    print(banner(sim, s), *tls.trust_help(serving.files, app.host_names, s.host, s.tls_port), sep="\n", flush=True)
    for warning in security.startup_warnings(s):
        print(f"provider-sim: warning: {warning}", file=sys.stderr, flush=True)
    tune_gc()
    serving.run(app, log_level="info" if s.log_requests else "warning", access_log=s.log_requests)
    return 0


COMMANDS["serve"] = serve


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return COMMANDS[args.command](args)
