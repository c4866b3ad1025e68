"""The report: coverage per provider (operations, status codes, transitions, webhook events, documented examples),
violations and warnings (rules the provider's documents do not state: listed apart, they never fail a run), built from a running simulator's `/_sim/providers`, `/_sim/coverage`, `/_sim/requests` and
`/_sim/webhooks`, and the providers' documented examples (specs/<key>/examples.yaml)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import httpx

from simulator.records import JSON

if TYPE_CHECKING:
    from simulator.examples.coverage import ExampleCoverage
    from simulator.examples.model import ExampleSet


class SourceData(TypedDict):
    """What `fetch` reads from a running simulator."""
    providers: list[dict[str, JSON]]
    requests: list[dict[str, JSON]]
    deliveries: list[dict[str, JSON]]
    coverage: dict[str, JSON] | None


class OperationRow(TypedDict):
    id: str
    method: str
    path: str
    calls: int
    statuses: dict[str, int]


class WebhookRow(TypedDict):
    event: str
    declared: bool
    emitted: int
    delivered: int
    failed: int
    attempts: int


class ProviderReport(TypedDict):
    key: str
    name: str
    operations: list[OperationRow]
    operations_exercised: int
    operations_total: int
    unmatched_requests: int
    unmatched_statuses: dict[str, int]
    transitions: list[dict[str, JSON]]
    transitions_exercised: int
    transitions_total: int
    webhook_events: list[WebhookRow]
    violations: list[dict[str, JSON]]
    warnings: list[dict[str, JSON]]
    examples: ExampleCoverage


class Summary(TypedDict):
    providers: int
    requests: int
    operations_total: int
    operations_exercised: int
    examples_total: int
    examples_matched: int
    violations: int
    warnings: int


class Report(TypedDict):
    """The report (`provider-sim report`): JSON as built here, or rendered as HTML or JUnit XML."""
    source: str
    generated_at: str
    summary: Summary
    providers: list[ProviderReport]


class SourceError(Exception):
    """The simulator could not be read (not running, wrong URL, not a provider-sim)."""


def fetch(source: str, timeout: float = 30.0) -> SourceData:
    """Everything the report needs, read over HTTP from a running simulator."""
    base = source.rstrip("/")
    token = os.environ.get("PROVIDER_SIM_CONTROL_TOKEN")  # a server started with --control-token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=base, timeout=timeout, headers=headers) as client:
            def get(path: str) -> JSON:
                response = client.get(path)
                response.raise_for_status()
                return response.json()
            data: SourceData = {"providers": get("/_sim/providers")["providers"],
                                "requests": get("/_sim/requests")["requests"],
                                "deliveries": get("/_sim/webhooks")["deliveries"], "coverage": None}
            response = client.get("/_sim/coverage")
            data["coverage"] = response.json()["providers"] if response.status_code == 200 else None
            return data
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"cannot read a provider-sim at {base}: {exc}") from exc


def _calls_from_requests(requests: list[dict[str, JSON]], key: str) -> dict[str, dict[str, int]]:
    calls: dict[str, dict[str, int]] = {}
    for entry in requests:
        if entry.get("provider") == key:
            by_status = calls.setdefault(entry.get("operation") or "", {})
            status = str(entry.get("status"))
            by_status[status] = by_status.get(status, 0) + 1
    return calls


def _violation(entry: dict[str, JSON]) -> dict[str, JSON]:
    return {k: entry.get(k) for k in ("id", "at", "account", "operation", "method", "path", "status", "violations")}


def _warning(entry: dict[str, JSON]) -> dict[str, JSON]:
    return {k: entry.get(k) for k in ("id", "at", "account", "operation", "method", "path", "status", "warnings")}


def _webhooks(declared: list[dict[str, JSON]], deliveries: list[dict[str, JSON]], key: str) -> list[WebhookRow]:
    rows: dict[str, WebhookRow] = {}
    for item in declared:
        rows[item["event"]] = {"event": item["event"], "declared": item.get("declared", True),
                               "emitted": item.get("emitted", 0), "delivered": 0, "failed": 0, "attempts": 0}
    for d in deliveries:
        if d.get("provider") != key:
            continue
        row = rows.setdefault(str(d.get("event")), {"event": str(d.get("event")), "declared": False,
                                                    "emitted": 0, "delivered": 0, "failed": 0, "attempts": 0})
        row["attempts"] += 1
        if d.get("state") == "delivered":
            row["delivered"] += 1
        elif d.get("state") in ("failed", "dropped"):
            row["failed"] += 1
    return sorted(rows.values(), key=lambda r: str(r["event"]))


def load_examples(specs_dir: Path | None = None) -> dict[str, "ExampleSet"]:
    """The documented examples of every provider (none when the specs folder has no examples files)."""
    from simulator.examples import load_all
    from simulator.settings import Settings
    folder = specs_dir or Settings().specs_dir
    return {s.provider: s for s in load_all(folder)} if folder.is_dir() else {}


def _examples(examples: "ExampleSet | None", requests: list[dict[str, JSON]],
              deliveries: list[dict[str, JSON]]) -> ExampleCoverage:
    if examples is None:
        return {"total": 0, "matched": 0, "examples": []}
    from simulator.examples.coverage import coverage
    return coverage(examples, requests, deliveries)


def build(data: SourceData, source: str = "", examples: "dict[str, ExampleSet] | None" = None) -> Report:
    coverage = data.get("coverage") or {}
    providers: list[ProviderReport] = []
    total_violations = 0
    total_warnings = 0
    for p in data["providers"]:
        key: str = p["key"]
        cov = coverage.get(key) or {}
        calls = cov.get("calls") if "calls" in cov else _calls_from_requests(data["requests"], key)
        operations: list[OperationRow] = []
        for op in p["operations"]:
            statuses = dict(sorted((calls or {}).get(op["id"], {}).items()))
            operations.append({"id": op["id"], "method": op["method"], "path": op["path"],
                               "calls": sum(statuses.values()), "statuses": statuses})
        unknown = dict(sorted((calls or {}).get("", {}).items()))
        if "violations" in cov:
            violations = [_violation(e) for e in cov["violations"]]
        else:
            violations = [_violation(e) for e in data["requests"] if e.get("provider") == key and e.get("violations")]
        total_violations += len(violations)
        warnings = [_warning(e) for e in data["requests"] if e.get("provider") == key and e.get("warnings")]
        total_warnings += len(warnings)
        transitions = list(cov.get("transitions") or [])
        providers.append({
            "key": key, "name": p.get("name", key),
            "operations": operations,
            "operations_exercised": sum(1 for o in operations if o["calls"]),
            "operations_total": len(operations),
            "unmatched_requests": sum(unknown.values()), "unmatched_statuses": unknown,
            "transitions": transitions,
            "transitions_exercised": sum(1 for t in transitions if t["count"] and t.get("declared", True)),
            "transitions_total": sum(1 for t in transitions if t.get("declared", True)),
            "webhook_events": _webhooks(list(cov.get("events") or []), data["deliveries"], key),
            "violations": violations,
            "warnings": warnings,
            "examples": _examples((examples or {}).get(key), data["requests"], data["deliveries"]),
        })
    return {
        "source": source,
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": {"providers": len(providers),
                    "requests": sum(sum(o["calls"] for o in p["operations"]) + p["unmatched_requests"]
                                    for p in providers),
                    "operations_total": sum(p["operations_total"] for p in providers),
                    "operations_exercised": sum(p["operations_exercised"] for p in providers),
                    "examples_total": sum(p["examples"]["total"] for p in providers),
                    "examples_matched": sum(p["examples"]["matched"] for p in providers),
                    "violations": total_violations,
                    "warnings": total_warnings},
        "providers": providers,
    }
