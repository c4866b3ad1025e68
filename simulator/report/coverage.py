"""What `/_sim/coverage` answers: per provider, calls by operation and status (kept beyond the journal ring),
declared and exercised state-machine transitions (from records' `_history`) and webhook events emitted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.sim import Sim

CREATED = "(created)"


def _transitions(sim: "Sim", provider: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for (key, kind), machine in sim.lifecycles.machines.items():
        if key != provider:
            continue
        counts: dict[tuple[str, str], int] = {(CREATED, machine.initial): 0}
        for source, targets in machine.transitions.items():
            for target in targets:
                counts[(source, target)] = 0
        declared = set(counts)
        for record in sim.store.all(provider, kind):
            for step in record.get("_history") or []:
                pair = (CREATED if step.get("from") is None else str(step["from"]), str(step.get("to")))
                counts[pair] = counts.get(pair, 0) + 1
        rows.extend({"kind": kind, "from": a, "to": b, "count": n, "declared": (a, b) in declared}
                    for (a, b), n in counts.items())
    return rows


def _events(sim: "Sim", provider: str) -> list[dict[str, Any]]:
    declared: set[str] = set()
    for (key, _kind), machine in sim.lifecycles.machines.items():
        if key == provider:
            declared.update(str(e) for e in machine.events.values())
    emitted: dict[str, int] = {name: 0 for name in declared}
    for event in sim.events.log:
        if event.provider == provider:
            emitted[event.name] = emitted.get(event.name, 0) + 1
    return [{"event": name, "emitted": n, "declared": name in declared} for name, n in sorted(emitted.items())]


def live(sim: "Sim", provider: str | None = None) -> dict[str, Any]:
    providers: dict[str, Any] = {}
    for key in sim.providers:
        if provider not in (None, key):
            continue
        calls: dict[str, dict[str, int]] = {}
        for (p, operation, status), n in sim.journal.counts.items():
            if p == key:
                by_status = calls.setdefault(operation or "", {})
                by_status[str(status)] = by_status.get(str(status), 0) + n
        providers[key] = {"calls": calls, "transitions": _transitions(sim, key), "events": _events(sim, key),
                          "violations": [e for e in sim.journal.violations if e["provider"] == key]}
    return {"providers": providers}
