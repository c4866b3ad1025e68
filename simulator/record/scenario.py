"""`provider-sim scenario-from`: a scenario file whose rules answer the recorded requests with the recorded answers.

One rule per recorded exchange, matching its operation, its path (when the path has parameters) and its query
(masked values left out), optionally its body fields (`match_body`); it answers the recorded status, headers (but
those the simulator adds to every answer of the provider anyway) and body. The same request recorded several times
gets its answers in the recorded order: every rule but the last of such a group answers once (`calls: {from: 1,
to: 1}` counts only the requests that reach that rule, so each answers one request and hands the next to the
following rule), and the last keeps answering. More specific rules come first, so a request with a query never
uses up the answers of the same path without it. An upstream that gave no answer becomes a `fault` (timeout or
connection_reset). Answers that are not JSON cannot be scenario bodies and are left out (listed as notes), as are
the recorded webhooks (a scenario cannot send a webhook of its own).
"""

from __future__ import annotations

import json
from typing import Any, Required, TypedDict
from urllib.parse import unquote

import yaml

from simulator.record.cassette import Cassette, form_to_data
from simulator.record.facts import ProviderFacts

NOT_REPLAYED_HEADERS = frozenset({"content-type", "content-length", "transfer-encoding", "connection", "keep-alive",
                                  "content-encoding", "date", "server", "set-cookie", "trailer", "upgrade"})


class Match(TypedDict, total=False):
    """A rule's `match:` as the scenario file writes it."""
    operation: Required[str]
    path: str
    query: dict[str, str]
    body: dict[str, object]
    calls: dict[str, int]


class Respond(TypedDict, total=False):
    status: Required[int]
    headers: dict[str, str]
    body: object


class Rule(TypedDict, total=False):
    """One scenario rule written from a recorded exchange."""
    match: Required[Match]
    fault: str
    respond: Respond
    latency_ms: int


def _flat(data: object, prefix: str = "") -> dict[str, object]:
    """Scalar leaves as dotted names (`customer.document`), lists left out."""
    out: dict[str, object] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                out.update(_flat(value, name))
            elif not isinstance(value, list):
                out[name] = value
    return out


def _body_match(entry: dict[str, Any], facts: ProviderFacts) -> dict[str, object]:
    req = entry["request"]
    masked = set((entry.get("redacted") or {}).get("request.body") or [])
    encoding = req.get("body_encoding")
    if encoding == "form":
        pairs = [[k, v] for k, v in req["body"] if k not in masked and k not in facts.form_fields]
        return _flat(form_to_data(pairs))
    if encoding == "json" and isinstance(req.get("body"), dict):
        flat = _flat(req["body"])
        skip = {p[2:] for p in masked if p.startswith("$.")}
        return {k: v for k, v in flat.items() if k not in skip and k not in facts.form_fields}
    return {}


def _rule(entry: dict[str, Any], facts: ProviderFacts, match_body: bool, latency: bool) -> Rule | str:
    """A rule, or why the exchange cannot be one."""
    req, resp = entry["request"], entry.get("response")
    path = unquote(str(req["path"]))
    hit = facts.match(str(req["method"]), path)
    if hit is None:
        return "its path is none of the provider's operations (the simulator answers 404 before scenarios)"
    op, params = hit
    match: Match = {"operation": op.id}
    if params:
        match["path"] = path.split("?", 1)[0]
    masked_query = set((entry.get("redacted") or {}).get("request.query") or [])
    query = {k: v for k, v in req.get("query") or [] if k not in masked_query}
    if query:
        match["query"] = query
    if match_body:
        body = _body_match(entry, facts)
        if body:
            match["body"] = body
    rule: Rule = {"match": match}
    if resp is None:
        kind = (entry.get("error") or {}).get("kind")
        rule["fault"] = "timeout" if kind == "timeout" else "connection_reset"
    else:
        encoding = resp.get("body_encoding")
        if encoding not in ("json", "none"):
            return f"its answer is not JSON ({encoding}), which a scenario cannot give"
        respond: Respond = {"status": int(resp["status"])}
        headers = {k: str(v) for k, v in (resp.get("headers") or {}).items() if k.lower() not in NOT_REPLAYED_HEADERS
                   and facts.response_headers.get(k.lower()) != str(v)}  # what the simulator adds anyway
        if headers:
            respond["headers"] = headers
        if encoding == "json":
            respond["body"] = resp["body"]
        rule["respond"] = respond
    if latency and entry.get("duration_ms"):
        rule["latency_ms"] = round(float(entry["duration_ms"]))
    return rule


def _specificity(rule: Rule) -> int:
    match = rule["match"]
    return ("path" in match) + len(match.get("query") or {}) + len(match.get("body") or {})


def write(cassette: Cassette, facts: ProviderFacts, name: str, *, match_body: bool = False,
          latency: bool = False) -> tuple[str, list[str]]:
    """The scenario file's text and notes on what was left out."""
    notes: list[str] = []
    rules: list[tuple[dict[str, Any], Rule]] = []
    for entry in cassette.exchanges:
        rule = _rule(entry, facts, match_body, latency)
        if isinstance(rule, str):
            notes.append(f"{entry['file']}: left out: {rule}")
        else:
            rules.append((entry, rule))
    hooks = len(cassette.webhooks)
    if hooks:
        notes.append(f"{hooks} recorded webhook(s) left out: a scenario cannot send webhooks of its own")
    if not rules:
        raise ValueError(f"{cassette.folder}: no recorded exchange can be a scenario rule"
                         + ("".join(f"\n  {n}" for n in notes)))
    groups: dict[str, list[int]] = {}
    for index, (_, rule) in enumerate(rules):
        groups.setdefault(json.dumps(rule["match"], sort_keys=True), []).append(index)
    labels: dict[int, str] = {}
    for members in groups.values():
        for position, index in enumerate(members):
            if position < len(members) - 1:
                rules[index][1]["match"]["calls"] = {"from": 1, "to": 1}
            if len(members) > 1:
                labels[index] = f" (answer {position + 1} of {len(members)}" + \
                    (", then kept)" if position == len(members) - 1 else ")")
    order = sorted(range(len(rules)), key=lambda i: -_specificity(rules[i][1]))
    upstream = cassette.meta.get("upstream") or "the upstream"
    sessions = cassette.meta.get("sessions") or [{}]
    recorded = str(sessions[0].get("started_at", ""))[:10]
    head = {"name": name, "provider": cassette.provider,
            "description": f"The answers {upstream} gave on {recorded or 'record'} ({len(rules)} exchange(s) "
                           f"of cassette {cassette.folder.name})."}
    lines = [f"# Written by `provider-sim scenario-from {cassette.folder}`: each rule answers a recorded request",
             "# with the recorded answer (masked values as recorded).",
             yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=110).rstrip(), "rules:"]
    for index in order:
        entry, rule = rules[index]
        req = entry["request"]
        status = entry["response"]["status"] if entry.get("response") else "no answer"
        lines.append(f"  # {entry['file']}: {req['method']} {req['path']} -> {status}{labels.get(index, '')}")
        dumped = yaml.safe_dump([rule], allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
        lines.extend(f"  {line}" for line in dumped.rstrip().splitlines())
    return "\n".join(lines) + "\n", notes
