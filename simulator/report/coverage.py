"""What `/_sim/coverage` answers: per provider, calls by operation and status (kept beyond the journal ring),
declared and exercised state-machine transitions (from records' history) and webhook events emitted."""

from __future__ import annotations

from typing import Sequence, TypedDict

from simulator.jsonio import Shown
from simulator.surface import Simulator

CREATED = "(created)"

# a declared or exercised move of a state machine (`from` is a keyword: the functional form)
TransitionRow = TypedDict("TransitionRow", {"kind": str, "from": str, "to": str, "count": int, "declared": bool})


class EventRow(TypedDict):
    event: str
    emitted: int
    declared: bool


class ProviderCoverage(TypedDict):
    calls: dict[str, dict[str, int]]  # operation ("" for none) -> status -> calls
    transitions: list[TransitionRow]
    events: list[EventRow]
    violations: Sequence[object]  # journal entries, as /_sim/requests shows them (built as they are sent)


def _transitions(sim: Simulator, provider: str) -> list[TransitionRow]:
    rows: list[TransitionRow] = []
    view = sim.providers[provider].env.view
    for kind in sim.lifecycles.kinds(provider):
        machine = sim.lifecycles.machine(provider, kind)
        counts: dict[tuple[str, str], int] = {(CREATED, machine.initial): 0}
        for source, targets in machine.transitions.items():
            for target in targets:
                counts[(source, target)] = 0
        declared = set(counts)
        for record in view.all(kind):
            for step in record.meta.history:
                pair = (CREATED if step.source is None else step.source, step.target)
                counts[pair] = counts.get(pair, 0) + 1
        rows.extend({"kind": kind, "from": a, "to": b, "count": n, "declared": (a, b) in declared}
                    for (a, b), n in counts.items())
    return rows


def _events(sim: Simulator, provider: str) -> list[EventRow]:
    declared: set[str] = set()
    for kind in sim.lifecycles.kinds(provider):
        declared.update(sim.lifecycles.machine(provider, kind).events.values())
    emitted: dict[str, int] = {name: 0 for name in declared}
    for event in sim.events.log:
        if event.provider == provider:
            emitted[event.name] = emitted.get(event.name, 0) + 1
    return [{"event": name, "emitted": n, "declared": name in declared} for name, n in sorted(emitted.items())]


def live(sim: Simulator, provider: str | None = None) -> dict[str, dict[str, ProviderCoverage]]:
    providers: dict[str, ProviderCoverage] = {}
    for key in sim.providers:
        if provider not in (None, key):
            continue
        calls: dict[str, dict[str, int]] = {}
        for (p, operation, status), n in sim.journal.counts.items():
            if p == key:
                by_status = calls.setdefault(operation or "", {})
                by_status[str(status)] = by_status.get(str(status), 0) + n
        providers[key] = {"calls": calls, "transitions": _transitions(sim, key), "events": _events(sim, key),
                          "violations": Shown(sim.journal.violations_of(key), sim.journal.view)}
    return {"providers": providers}
