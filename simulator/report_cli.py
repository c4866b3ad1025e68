"""The `provider-sim report` command (contract coverage and violations from a running simulator's journal)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    r = sub.add_parser("report", help="coverage and violations from a running simulator")
    r.add_argument("--from", dest="source", default="http://127.0.0.1:8000")
    r.add_argument("--format", choices=["json", "junit", "html"], default="json")
    r.add_argument("--out", default="-")
    r.add_argument("--fail-on-violation", action="store_true")
    from simulator import cli
    cli.COMMANDS["report"] = run


def run(args: argparse.Namespace) -> int:
    print("provider-sim report: not available yet")
    return 2
