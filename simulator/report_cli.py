"""The `provider-sim report` command (contract coverage and violations from a running simulator's journal)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.jsonio import dumps_text

if TYPE_CHECKING:
    from simulator.report.model import Report


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The `report` subcommand's arguments (cli.py registers `run` for it)."""
    r = sub.add_parser("report", help="coverage and violations from a running simulator")
    r.add_argument("--from", dest="source", default="http://127.0.0.1:8000", help="the simulator's base URL")
    r.add_argument("--format", choices=["json", "junit", "html"], default="json")
    r.add_argument("--out", default="-", help="a file to write (default: standard output)")
    r.add_argument("--fail-on-violation", action="store_true",
                   help="exit 1 when any request broke a contract (warnings never fail)")
    r.add_argument("--specs", type=Path, default=None,
                   help="the specs folder whose examples.yaml files give the documented examples (default: the package's)")


def render(report: "Report", fmt: str) -> bytes:
    if fmt == "junit":
        from simulator.report import junit
        return junit.render(report)
    if fmt == "html":
        from simulator.report import html
        return html.render(report)
    return (dumps_text(report, indent=2) + "\n").encode("utf-8")


def run(args: argparse.Namespace) -> int:
    from simulator.examples import ExampleError
    from simulator.report.model import SourceError, build, fetch, load_examples
    try:
        examples = load_examples(args.specs)
    except ExampleError as exc:
        print(f"provider-sim report: {exc}", file=sys.stderr)
        return 2
    try:
        report = build(fetch(args.source), args.source, examples)
    except SourceError as exc:
        print(f"provider-sim report: {exc}", file=sys.stderr)
        return 2
    payload = render(report, args.format)
    if args.out == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(payload)
    s = report["summary"]
    print(f"provider-sim report: {s['requests']} request(s), {s['operations_exercised']}/{s['operations_total']} "
          f"operations exercised, {s['examples_matched']}/{s['examples_total']} documented examples matched, "
          f"{s['violations']} violation(s), {s['warnings']} warning(s)", file=sys.stderr)
    if args.fail_on_violation and s["violations"]:
        return 1
    return 0
