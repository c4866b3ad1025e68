"""Declared state machines (behaviour.yaml `lifecycles:`), driven by the clock.

```yaml
lifecycles:
  transaction:                       # the store kind it governs
    field: status
    initial: pending
    transitions: {pending: [successful, failed, cancelled]}
    auto: [{from: pending, to: successful, after_seconds: 5}]   # or after_reads: N
    events: {successful: transaction.completed, failed: transaction.failed}
```
A plan (from a magic value, a scenario or a test) replaces the automatic move out of the initial state.
Every transition is recorded in the record's `_history`, runs the provider's hook, and emits its event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from simulator.clock import iso
from simulator.engine.errors import SimError
from simulator.store.base import Record

if TYPE_CHECKING:
    from simulator.sim import Sim

TransitionHook = Callable[["Sim", str, Record, str, str, "str | None"], None]


@dataclass
class Machine:
    kind: str
    field: str
    initial: str
    transitions: dict[str, list[str]]
    auto: list[dict[str, Any]]
    events: dict[str, str]
    key_field: str = "id"

    @classmethod
    def from_data(cls, kind: str, data: dict[str, Any]) -> "Machine":
        return cls(kind=kind, field=str(data.get("field", "status")), initial=str(data["initial"]),
                   transitions={str(k): [str(x) for x in v] for k, v in (data.get("transitions") or {}).items()},
                   auto=list(data.get("auto") or []), events=dict(data.get("events") or {}),
                   key_field=str(data.get("key", "id")))

    def allowed(self, current: str) -> list[str]:
        return self.transitions.get(current, [])

    def states(self) -> list[str]:
        names = {self.initial, *self.transitions}
        for targets in self.transitions.values():
            names.update(targets)
        return sorted(names)


def _holds(when: Any, record: Record | None) -> bool:
    """A rule's `when: {field: value or [values]}` condition on the record."""
    if not when:
        return True
    if record is None:
        return False
    for name, expected in when.items():
        value = record.get(name)
        if isinstance(expected, list) and value not in expected:
            return False
        if not isinstance(expected, list) and value != expected:
            return False
    return True


@dataclass
class Plan:
    to: str
    after_seconds: float | None = None
    after_reads: int | None = None
    message: str | None = None


@dataclass
class Lifecycles:
    sim: "Sim"
    machines: dict[tuple[str, str], Machine] = field(default_factory=dict)
    hooks: dict[tuple[str, str], TransitionHook] = field(default_factory=dict)
    _scheduled: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def register(self, provider: str, data: dict[str, Any], hooks: dict[str, TransitionHook]) -> None:
        for kind, spec in data.items():
            self.machines[(provider, kind)] = Machine.from_data(kind, spec)
        for kind, hook in hooks.items():
            self.hooks[(provider, kind)] = hook

    def machine(self, provider: str, kind: str) -> Machine:
        return self.machines[(provider, kind)]

    def default_plan(self, provider: str, kind: str, state: str, record: Record | None = None) -> Plan | None:
        for rule in self.machine(provider, kind).auto:
            if str(rule.get("from")) == state and _holds(rule.get("when"), record):
                return Plan(to=str(rule["to"]), after_seconds=rule.get("after_seconds"),
                            after_reads=rule.get("after_reads"), message=rule.get("message"))
        return None

    def enter(self, provider: str, kind: str, record: Record, plan: Plan | None = None) -> None:
        """Start a stored record on its machine: schedule its next move (the plan, else the default)."""
        machine = self.machine(provider, kind)
        state = str(record[machine.field])
        record.setdefault("_history", []).append({"from": None, "to": state, "at": self.sim.clock.now_iso(),
                                                  "cause": "created"})
        self._schedule(provider, machine, record, plan or self.default_plan(provider, kind, state, record))

    def replan(self, provider: str, kind: str, record: Record, plan: Plan | None) -> None:
        """Replace a stored record's next move by `plan` (a scenario's or magic value's), or the default if None."""
        machine = self.machine(provider, kind)
        state = str(record[machine.field])
        self._schedule(provider, machine, record, plan or self.default_plan(provider, kind, state, record))

    def _schedule(self, provider: str, machine: Machine, record: Record, plan: Plan | None) -> None:
        key = str(record[machine.key_field])
        old = self._scheduled.pop((provider, machine.kind, key), None)
        if old is not None:
            self.sim.scheduler.cancel(old)
        record.pop("_next", None)
        if plan is not None and plan.to == str(record[machine.field]):
            plan = None  # a plan to stay where it is: no move until forced
        if plan is not None:
            record["_next"] = {"to": plan.to, "message": plan.message}
            if plan.after_reads is not None:
                record["_next"]["after_reads"] = plan.after_reads
                record["_reads"] = 0
            else:
                due = self.sim.clock.now() + float(plan.after_seconds or 0)
                record["_next"]["at"] = iso(due)
                record["_next"]["due"] = due
                self._at(provider, machine.kind, key, due, plan)
        # the record is state only once written back (a persistent store keeps copies, not this dict)
        self.sim.store.put(provider, machine.kind, key, record)

    def _at(self, provider: str, kind: str, key: str, due: float, plan: Plan) -> None:
        entry = self.sim.scheduler.at(due, lambda: self._fire(provider, kind, key, plan),
                                      tag=f"{provider}:{kind}:{key}")
        self._scheduled[(provider, kind, key)] = entry

    def restore(self) -> int:
        """Re-schedule the timed moves of stored records (a persistent store after a restart)."""
        count = 0
        for (provider, kind), machine in self.machines.items():
            for record in self.sim.store.all(provider, kind):
                nxt = record.get("_next")
                if not nxt or "after_reads" in nxt or "due" not in nxt:
                    continue
                plan = Plan(to=str(nxt["to"]), message=nxt.get("message"))
                self._at(provider, kind, str(record[machine.key_field]), float(nxt["due"]), plan)
                count += 1
        return count

    def _fire(self, provider: str, kind: str, key: str, plan: Plan) -> None:
        self._scheduled.pop((provider, kind, key), None)
        record = self.sim.store.get(provider, kind, key)
        if record is None:
            return
        machine = self.machine(provider, kind)
        if plan.to in machine.allowed(str(record[machine.field])):
            self.transition(provider, kind, key, plan.to, plan.message, cause="clock")

    def read(self, provider: str, kind: str, record: Record) -> None:
        """Count a status read; fires a transition declared `after_reads`."""
        nxt = record.get("_next")
        if not nxt or "after_reads" not in nxt:
            return
        record["_reads"] = int(record.get("_reads", 0)) + 1
        machine = self.machine(provider, kind)
        key = str(record[machine.key_field])
        self.sim.store.put(provider, kind, key, record)
        if record["_reads"] >= int(nxt["after_reads"]):
            moved = self.transition(provider, kind, key, str(nxt["to"]), nxt.get("message"), cause="reads")
            if moved is not record:  # a copying store: show the caller the moved record
                record.clear()
                record.update(moved)

    def transition(self, provider: str, kind: str, key: str, to: str, message: str | None = None,
                   cause: str = "forced") -> Record:
        machine = self.machine(provider, kind)
        record = self.sim.store.get(provider, kind, key)
        if record is None:
            raise SimError(404, f"no {kind} {key!r} at {provider}")
        current = str(record[machine.field])
        if to not in machine.allowed(current):
            allowed = machine.allowed(current)
            raise SimError(409, f"{kind} {key} is {current!r}; its state machine allows "
                                f"{allowed or 'no further transition'}, not {to!r}")
        record[machine.field] = to
        record.setdefault("_history", []).append({"from": current, "to": to, "at": self.sim.clock.now_iso(),
                                                  "cause": cause, "message": message})
        if message is not None:
            record["_message"] = message
        hook = self.hooks.get((provider, kind))
        if hook is not None:
            hook(self.sim, provider, record, current, to, message)
        self._schedule(provider, machine, record, self.default_plan(provider, kind, to, record))  # and puts it
        event = machine.events.get(to)
        if event:
            self.sim.events.emit(provider, str(record.get("_account", "")), event, kind, key)
        return record

    def reset(self) -> None:
        self._scheduled.clear()
