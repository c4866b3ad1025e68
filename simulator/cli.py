"""provider-sim serve | report (also `python -m simulator ...`).

Every refusal at start-up is one line on standard error, `provider-sim: ...`, and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from simulator import __version__, limits, report_cli, reset_cli, security
from simulator.limits import Limits
from simulator.settings import DEFAULT_SPECS, Settings

if TYPE_CHECKING:
    from simulator.sim import Sim

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"report": report_cli.run, "reset": reset_cli.run}
REFUSED = 2  # the exit status of every refusal at start-up

SERVE_EXAMPLES = """\
examples:
  provider-sim serve
      every provider on http://127.0.0.1:8000 (real clock, in-memory state)
  provider-sim serve --clock manual --seed 7 --provider clicpay --scenario my-failures.yaml
      time stands still until POST /_sim/clock/advance; ClicPay also at the root; a scenario active from the start
  provider-sim serve --specs ./my-specs --scenarios ./my-scenarios --store sqlite:sim.sqlite
      your own provider folders and scenario library; state kept in a file across restarts
"""


class Refused(Exception):
    """A start-up refusal: the message is printed as one line and the exit status is REFUSED."""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=110)


def _start_time(text: str) -> float:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None


def _builtin_keys() -> list[str]:
    return sorted(p.name for p in DEFAULT_SPECS.iterdir() if (p / "openapi.yaml").is_file())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="provider-sim", formatter_class=_HelpFormatter,
        description="A local, stateful simulator of payment providers, for contract testing.",
        epilog="`provider-sim COMMAND --help` describes a command's flags.")
    p.add_argument("--version", action="version", version=f"provider-sim {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    keys = ", ".join(_builtin_keys())
    s = sub.add_parser(
        "serve", help="serve every provider and the /_sim/ control API", formatter_class=_HelpFormatter,
        description=f"Serve every provider under /<key>/ and the control API under /_sim/.\n"
                    f"Provider keys: {keys} (and those of --specs folders).",
        epilog=SERVE_EXAMPLES)
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on; 0.0.0.0 accepts other machines (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port to listen on; 0 picks a free one (default: 8000)")
    s.add_argument("--clock", choices=["real", "manual"], default="real",
                   help="real follows the wall clock; manual stands still until /_sim/clock/advance "
                        "(default: real)")
    s.add_argument("--start-time", type=_start_time, default=None, metavar="ISO8601",
                   help="where the simulated clock starts (default: the wall-clock second of start-up)")
    s.add_argument("--seed", type=int, default=0,
                   help="seed of generated data and credentials; the same seed gives the same values (default: 0)")
    s.add_argument("--provider", default=None, metavar="KEY",
                   help=f"also serve this provider at the root, one of: {keys} (default: none)")
    s.add_argument("--scenario", action="append", default=[], type=Path, metavar="FILE",
                   help="a scenario file, active from the start; repeatable (default: none)")
    s.add_argument("--scenarios", action="append", default=[], type=Path, metavar="DIR", dest="scenario_dirs",
                   help="a scenario library, DIR/<key>/*.yaml or DIR/*.yaml, inactive until activated or named "
                        "in X-Sim-Scenario; repeatable (default: the built-in library only)")
    s.add_argument("--specs", action="append", default=[], type=Path, metavar="DIR", dest="spec_dirs",
                   help="provider folders DIR/<key>/openapi.yaml + behaviour.yaml, added to the built-in ones or "
                        "replacing the one of the same key; repeatable (default: the built-in providers only)")
    s.add_argument("--store", default=os.environ.get("PROVIDER_SIM_STORE") or "memory",
                   metavar="memory|sqlite:PATH|postgresql://USER:PASS@HOST:PORT/DB",
                   help="where state lives: in memory, a SQLite file kept across restarts, or a PostgreSQL "
                        "database several instances share (docs/deploy.md); also PROVIDER_SIM_STORE "
                        "(default: memory)")
    s.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes; more than 1 needs a shared store such as sqlite:PATH (default: 1)")
    s.add_argument("--log-requests", action="store_true",
                   help="log every request (default: off, nothing is logged per request)")
    s.add_argument("--no-rate-limits", dest="rate_limits", action="store_false",
                   help="ignore the providers' request limits (e.g. SmartClick's 60 a minute), for fuzzing "
                        "(default: limits on)")
    s.add_argument("--tls", action="store_true",
                   help="also serve HTTPS, with a local CA and a certificate for the providers' real host names "
                        "(api.widepay.com, ...), each served at the root when a client asks for it by name "
                        "(default: off)")
    s.add_argument("--tls-port", type=int, default=None,
                   help="the HTTPS port; implies --tls (default: 8443)")
    s.add_argument("--tls-dir", type=Path, default=None, metavar="DIR",
                   help="where the CA (ca.pem) and certificate are kept and reused across runs; implies --tls "
                        "(default: the cache folder's tls/)")
    security.add_arguments(s)
    limits.add_arguments(s)
    report_cli.add_parser(sub)
    reset_cli.add_parser(sub)
    from simulator.record import cli as record_cli  # record, diff, scenario-from (imported when asked for)
    record_cli.add_parser(sub)
    COMMANDS.update(record_cli.COMMANDS)
    return p


def settings_from_args(a: argparse.Namespace) -> Settings:
    s = Settings(host=a.host, port=a.port, clock=a.clock, start_time=a.start_time, seed=a.seed,
                 scenario_files=list(a.scenario), provider=a.provider, store=a.store,
                 spec_dirs=list(a.spec_dirs), scenario_dirs=list(a.scenario_dirs),
                 log_requests=a.log_requests, rate_limits=a.rate_limits,
                 tls=a.tls or a.tls_port is not None or a.tls_dir is not None,
                 tls_port=8443 if a.tls_port is None else a.tls_port, tls_dir=a.tls_dir)
    security.apply_arguments(a, s)
    s.limits = limits.from_args(a)
    return s


def _path_field(f: dataclasses.Field[object]) -> str | None:
    kind = str(f.type).replace(" ", "")
    return "list" if kind == "list[Path]" else "one" if kind in ("Path", "Path|None") else None


def settings_to_env(s: Settings) -> str:
    data: dict[str, object] = {}
    for f in dataclasses.fields(Settings):
        value = getattr(s, f.name)
        kind = _path_field(f)
        if isinstance(value, Limits):
            value = dataclasses.asdict(value)
        data[f.name] = [str(v) for v in value] if kind == "list" else str(value) if kind and value else value
    return json.dumps(data)


def settings_from_env() -> Settings:
    raw = json.loads(os.environ.get("PROVIDER_SIM_SETTINGS", "{}"))
    s = Settings()
    for f in dataclasses.fields(Settings):
        if f.name not in raw:
            continue
        value, kind, current = raw[f.name], _path_field(f), getattr(s, f.name)
        if isinstance(current, Limits) and isinstance(value, dict):
            value = Limits(**value)
        setattr(s, f.name, [Path(v) for v in value] if kind == "list" else Path(value) if kind and value else value)
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
    """Server processes only: keep the collector's sweeps of long-lived objects off the request path
    (simulator/gctune.py: what start-up built and what survives each young collection is frozen)."""
    from simulator import gctune
    gctune.install()


def check_serve_args(s: Settings, workers: int) -> None:
    """What can be refused before anything is loaded: workers, store, provider key, spec folders."""
    from simulator.spec.loader import SpecError, provider_folders
    if workers < 1:
        raise Refused(f"--workers {workers}: needs at least 1")
    if workers > 1 and s.store == "memory":
        raise Refused(f"--workers {workers} needs a shared store: with --store memory each worker would keep its "
                      "own state (ids, balances, transactions); use --store sqlite:PATH or one worker")
    try:
        keys = list(provider_folders([s.specs_dir, *s.spec_dirs]))
    except SpecError as exc:
        raise Refused(str(exc)) from exc
    for folder in s.scenario_dirs:
        if not folder.is_dir():
            raise Refused(f"scenario folder {folder} (--scenarios): no such folder")
    if s.provider is not None and s.provider not in keys:
        close = [k for k in keys if k.lower() == s.provider.lower()] or difflib.get_close_matches(s.provider, keys, 1)
        hint = f"; did you mean {close[0]!r}? (keys are case-sensitive)" if close else ""
        raise Refused(f"--provider {s.provider}: unknown provider key{hint}; keys: {', '.join(keys)}")


def one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def serve(a: argparse.Namespace) -> int:
    from simulator import http_limits, serving
    from simulator.app import build_app
    from simulator.sim import Sim
    s = settings_from_args(a)
    try:
        check_serve_args(s, a.workers)
        try:
            sim = Sim(s)
            sim.scenarios.load_files(s.scenario_files)
        except Exception as exc:  # a bad spec, behaviour, scenario file or store stops start-up with its message
            raise Refused(one_line(exc)) from exc
        if s.tls:
            return serve_tls(sim, a.workers)  # binds its HTTP and HTTPS sockets itself, before its banner
        sock = serving.listen(s.host, s.port)
    except (Refused, serving.BindError) as exc:
        print(f"provider-sim: {exc}", file=sys.stderr)
        return REFUSED
    s.port = int(sock.getsockname()[1])  # --port 0: the port the system chose
    print(banner(sim, s), flush=True)
    for warning in security.startup_warnings(s):
        print(f"provider-sim: warning: {warning}", file=sys.stderr, flush=True)
    tune_gc()
    log_level = "info" if s.log_requests else "warning"
    # no "server: uvicorn" header: a provider's answer carries only the headers its spec gives it
    options: dict[str, Any] = {"log_level": log_level, "access_log": s.log_requests, "server_header": False,
                               "http": http_limits.PROTOCOL,
                               "h11_max_incomplete_event_size": s.limits.max_header_bytes}
    if a.workers > 1:
        os.environ["PROVIDER_SIM_SETTINGS"] = settings_to_env(s)
        started = serving.run("simulator.asgi:create", sock, a.workers, factory=True, **options)
    else:
        started = serving.run(build_app(sim=sim), sock, 1, **options)
    return 0 if started else 1


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
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:  # `provider-sim` alone: what it can do
        p.print_help()
        return 0
    return COMMANDS[args.command](args)
