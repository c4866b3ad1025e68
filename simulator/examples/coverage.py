"""Which documented examples a journal's requests matched: the report's examples coverage.

A journalled request matches an example when it called the example's operation, got the example's status, and
sent at least the example's fields: every key path of its body (`customer.address.street`, `itens[].valor`) and
every query parameter name. Values do not matter: a suite that creates its own payer with the documented fields
exercises the documented register example. `setup` requests are the replay's own, not documentation: left out.
A webhook example (a body the provider documents sending) is matched by each delivery of its event that reached
its receiver (`/_sim/webhooks`, state `delivered`) and holds the example's literal `webhook.match` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict
from urllib.parse import parse_qsl, urlencode

from simulator.engine.bodies import BodyError, parse_body
from simulator.examples import paths
from simulator.examples.model import Example, ExampleSet

SHOWN_REQUESTS = 5  # request ids listed per example


class ExampleRow(TypedDict):
    """One documented example in the report: how many journalled requests (or deliveries) matched it."""
    id: str
    kind: str
    operation: str
    section: str
    status: int | None
    matched: int
    requests: list[object]  # the first few matching request ids (`webhook <id>` for a delivery)


class ExampleCoverage(TypedDict):
    total: int
    matched: int
    examples: list[ExampleRow]


def key_paths(body: object, query: Iterable[str] = ()) -> frozenset[str]:
    """The fields a request sends: body key paths (lists as `[]`) and `?name` for query parameters."""
    out: set[str] = {f"?{name}" for name in query}

    def walk(node: object, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                path = f"{prefix}.{key}" if prefix else str(key)
                out.add(path)
                walk(value, path)
        elif isinstance(node, list):
            for value in node:
                walk(value, prefix + "[]")

    walk(body, "")
    return frozenset(out)


def example_fields(example: Example) -> frozenset[str]:
    req = example.request
    if req is None:
        return frozenset()
    body = req.body_value()
    if req.form is not None:  # as the simulator reads it: PHP-style bracket keys become nested fields
        try:
            body = parse_body(urlencode(list(req.form.items())).encode(), "application/x-www-form-urlencoded")
        except BodyError:
            pass
    return key_paths(body, req.query)


def entry_fields(entry: Mapping[str, object]) -> frozenset[str]:
    query = [name for name, _ in parse_qsl(str(entry.get("query") or ""), keep_blank_values=True)]
    body = entry.get("body")
    return key_paths(body if isinstance(body, (dict, list)) else None, query)


def coverage(examples: ExampleSet, requests: Iterable[Mapping[str, object]],
             deliveries: Iterable[Mapping[str, object]] = ()) -> ExampleCoverage:
    """Per example of one provider: how many journalled requests matched it, and the first few of their ids."""
    documented = [e for e in examples.examples if e.kind != "setup"]
    wanted = {e.id: example_fields(e) for e in documented}
    hits: dict[str, list[object]] = {e.id: [] for e in documented}
    by_operation: dict[str, list[Example]] = {}
    for e in documented:
        if e.kind != "webhook":
            by_operation.setdefault(e.operation, []).append(e)
    _deliveries(examples, [e for e in documented if e.kind == "webhook"], deliveries, hits)
    for entry in requests:
        if entry.get("provider") != examples.provider:
            continue
        candidates = by_operation.get(str(entry.get("operation")), [])
        if not candidates:
            continue
        sent = entry_fields(entry)
        for e in candidates:
            if e.response.status is not None and entry.get("status") != e.response.status:
                continue
            if wanted[e.id] <= sent:
                hits[e.id].append(entry.get("id"))
    rows: list[ExampleRow] = [{"id": e.id, "kind": e.kind, "operation": e.operation, "section": e.section,
             "status": e.response.status, "matched": len(hits[e.id]), "requests": hits[e.id][:SHOWN_REQUESTS]}
            for e in documented]
    return {"total": len(rows), "matched": sum(1 for r in rows if r["matched"]), "examples": rows}


def _deliveries(examples: ExampleSet, webhooks: list[Example], deliveries: Iterable[Mapping[str, object]],
                hits: dict[str, list[object]]) -> None:
    """A delivered webhook of the example's event whose body holds the example's literal `match` values."""
    if not webhooks:
        return
    for delivery in deliveries:
        if delivery.get("provider") != examples.provider or delivery.get("state") != "delivered":
            continue
        for e in webhooks:
            if delivery.get("event") == e.operation and all(
                    _at(delivery.get("body"), m.path) == m.value for m in e.match if m.source is None):
                hits[e.id].append(f"webhook {delivery.get('id')}")


def _at(body: object, path: tuple[paths.Token, ...]) -> object:
    try:
        return paths.get(body, path)
    except KeyError:
        return KeyError
