"""Every limit on what a client may send, in one typed object; each is a `serve` flag of the same name.

A limit is what keeps one request from crashing, hanging or poisoning the simulator. What happens past a limit
is chosen per limit and written beside it (and in docs/control-api.md "Limits and safety"): a provider request
gets the provider's own error (its `errors:` table in behaviour.yaml), a `/_sim/` request a 4xx `{"error"}`.

The flags are built from this table (`add_arguments`), so a limit added here is a flag and a documented default
at once. `Settings.limits` holds the values in force.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

KIB = 1024
MIB = 1024 * KIB
YEAR = 365 * 86_400

T = TypeVar("T", int, float)


def _limit(default: T, help_text: str) -> T:
    return field(default=default, metadata={"help": help_text})


@dataclass
class Limits:
    # --- the HTTP request ---------------------------------------------------------------------------------
    max_body_bytes: int = _limit(
        MIB, "request body size; larger bodies get the provider's `payload_too_large` (413) unread")
    max_header_bytes: int = _limit(
        64 * KIB, "request line and headers together; larger get 431 (at the HTTP server, before any provider)")
    max_header_count: int = _limit(
        100, "number of request headers (Apache's LimitRequestFields); more get 431")
    max_url_bytes: int = _limit(
        8190, "request target, path and query (Apache's LimitRequestLine); longer get `uri_too_long` (414)")
    max_path_segment_bytes: int = _limit(
        1024, "one path segment; a longer one names no resource: the provider's `route_not_found` (404)")
    # --- bodies ---------------------------------------------------------------------------------------------
    max_json_depth: int = _limit(
        64, "nesting of arrays and objects in a JSON body; deeper bodies are unreadable (as malformed JSON)")
    max_input_vars: int = _limit(
        1000, "form fields read from a urlencoded body (PHP's max_input_vars): the rest are dropped, as PHP does")
    max_input_nesting_level: int = _limit(
        64, "brackets in one form field name (PHP's max_input_nesting_level): a deeper field is dropped, as PHP does")
    # --- the journal ----------------------------------------------------------------------------------------
    journal_entries: int = _limit(10_000, "request journal entries kept (a ring: the oldest go first)")
    journal_bytes: int = _limit(
        64 * MIB, "bytes the request journal holds in all (bodies and headers as sent); the oldest go first")
    journal_entry_bytes: int = _limit(
        64 * KIB, "bytes of one journalled body, response body or set of headers; longer ones are kept cut, with a marker")
    # --- scenarios ------------------------------------------------------------------------------------------
    max_scenario_bytes: int = _limit(256 * KIB, "a scenario file (upload or --scenario); larger are refused (413)")
    max_yaml_depth: int = _limit(64, "nesting of a scenario file; deeper files are refused before parsing")
    max_yaml_aliases: int = _limit(100, "YAML aliases (*name) in a scenario file; more are refused (alias bombs)")
    max_yaml_nodes: int = _limit(
        100_000, "values a scenario file stands for once its aliases are followed; more are refused")
    max_regex_bytes: int = _limit(
        1000, "a scenario `regex` matcher's pattern; matching is linear-time (RE2), so only its size is bounded")
    # --- the clock ------------------------------------------------------------------------------------------
    clock_horizon_seconds: float = _limit(
        10 * YEAR, "the most one /_sim/clock/advance may move the clock (10 years); more is a 400")
    max_jobs_per_advance: int = _limit(
        100_000, "transitions and webhook attempts one advance may run; past it the advance stops with 422")

    def replace(self, **changes: Any) -> "Limits":
        return dataclasses.replace(self, **changes)


def describe() -> list[tuple[str, str, Any, str]]:
    """(flag, field name, default, help) for every limit: the documentation table and the CLI."""
    out = []
    for f in dataclasses.fields(Limits):
        out.append(("--" + f.name.replace("_", "-"), f.name, f.default, str(f.metadata.get("help", ""))))
    return out


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a finite number > 0, not {text!r}")
        return value
    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("limits (each bounds what one client may send)")
    for flag, name, default, help_text in describe():
        kind = type(default)
        group.add_argument(flag, dest=f"limit_{name}", type=_positive(kind), default=None,
                           metavar="N", help=f"{help_text} (default: {default:g})" if kind is float else
                           f"{help_text} (default: {default})")


def from_args(args: argparse.Namespace, base: Limits | None = None) -> Limits:
    changes = {name: getattr(args, f"limit_{name}") for _, name, _, _ in describe()
               if getattr(args, f"limit_{name}", None) is not None}
    return (base or Limits()).replace(**changes)
