"""Declared state machines (behaviour.yaml `lifecycles:`), driven by the clock.

```yaml
lifecycles:
  transaction:                       # the store kind it governs
    key: clicpay_reference           # the record field that is its key
    field: status                    # the record field that holds the state
    initial: pending
    transitions: {pending: [successful, failed, cancelled]}
    auto: [{from: pending, to: successful, after_seconds: 5}]   # or after_reads: N; `when: {field: values}`
    events: {successful: transaction.completed, failed: transaction.failed}
    paid: [successful]                # what the dashboard, the payer pages and the report read
    failed: [failed, cancelled]
    outcomes: {pay: successful, deny: failed}
```
A plan (from a magic value, a scenario, a provider rule or a test) replaces the automatic move out of the state a
record enters; `Plan.holding()` keeps it there until forced. Every move is kept in `record.meta.history`, then the
provider's transition hook runs (`on_move`), the next move is planned, the record is stored, and the state's
event is emitted (`on_event`). The planned move lives in `record.meta.next`, so a persistent store's records
are enough to schedule it again after a restart (`restore`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from simulator.behaviour.config import LifecycleDecl, Plan
from simulator.clock import Clock, Scheduler, Entry
from simulator.engine.errors import SimError
from simulator.records import Next, Record, Step
from simulator.store.base import Store
from simulator.store.scope import Scope

__all__ = ["Lifecycles", "Move", "Plan"]


@dataclass(frozen=True)
class Move:
    """A transition that has just happened (the record already carries its new state)."""
    scope: Scope  # the record's account
    decl: LifecycleDecl
    key: str
    record: Record
    source: str
    target: str
    message: str | None
    cause: str

    @property
    def kind(self) -> str:
        return self.decl.kind


class _Mover:
    """The job of every timed move of one machine (one object per machine, not per record): the scheduler's
    entry carries the record's key and the time it was due."""

    __slots__ = ("lifecycles", "provider", "kind")

    def __init__(self, lifecycles: "Lifecycles", provider: str, kind: str) -> None:
        self.lifecycles, self.provider, self.kind = lifecycles, provider, kind

    def __call__(self, key: str, due: float) -> None:
        self.lifecycles.fire(self.provider, self.kind, key, due)


def _ignore_move(move: Move) -> None:
    """No listener yet."""


def _ignore_event(move: Move, name: str) -> None:
    """No listener yet."""


class Lifecycles:
    def __init__(self, store: Store, clock: Clock, scheduler: Scheduler) -> None:
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        self.machines: dict[tuple[str, str], LifecycleDecl] = {}
        self.on_move: Callable[[Move], None] = _ignore_move  # the provider's transition hook (composition root)
        self.on_event: Callable[[Move, str], None] = _ignore_event  # events -> webhooks (composition root)
        self._scheduled: dict[tuple[str, str], dict[str, Entry]] = {}  # (provider, kind) -> key -> its job
        self._tags: dict[tuple[str, str], str] = {}  # one shared tag text per machine
        self._movers: dict[tuple[str, str], _Mover] = {}  # one shared job per machine
        # the last history made and the one it was made from, and the last planned move: records made or moved
        # together (one moment, one move) share them (histories and planned moves are immutable tuples)
        self._last_history: tuple[tuple[Step, ...], tuple[Step, ...]] = ((), ())
        self._last_next: Next | None = None

    # --- declarations ------------------------------------------------------------------------------------

    def register(self, provider: str, decls: dict[str, LifecycleDecl]) -> None:
        for kind, decl in decls.items():
            self.machines[(provider, kind)] = decl

    def machine(self, provider: str, kind: str) -> LifecycleDecl:
        return self.machines[(provider, kind)]

    def has(self, provider: str, kind: str) -> bool:
        return (provider, kind) in self.machines

    def kinds(self, provider: str) -> list[str]:
        """The record kinds of a provider that live on a state machine, sorted."""
        return sorted(kind for (p, kind) in self.machines if p == provider)

    # --- moving records ----------------------------------------------------------------------------------

    def enter(self, scope: Scope, kind: str, record: Record, plan: Plan | None = None) -> None:
        """Start a new record on its machine: record its creation, plan its next move (the plan, else the
        declared default) and store it."""
        decl = self.machines[(scope.provider, kind)]
        state = str(record[decl.field])
        record.meta.history = self._extend(record.meta.history, Step(None, state, self.clock.now(), "created"))
        self._schedule(scope, decl, record, plan or decl.default_plan(state, record))

    def replan(self, scope: Scope, kind: str, record: Record, plan: Plan | None) -> None:
        """Replace a record's next move by `plan` (None: the declared default) and store it."""
        decl = self.machine(scope.provider, kind)
        self._schedule(scope, decl, record, plan or decl.default_plan(str(record[decl.field]), record))

    def read(self, scope: Scope, kind: str, record: Record) -> None:
        """Count a status read; a move planned `after_reads` happens on its last read."""
        nxt = record.meta.next
        if nxt is None or nxt.after_reads is None:
            return
        decl = self.machine(scope.provider, kind)
        key = str(record[decl.key])
        # reads of one record are counted one at a time across processes and instances: the record is read again
        # under the lock (a shared store hands out what another instance made of it since; memory: the same one)
        self.store.lock(f"{scope.provider}:{kind}:{key}")
        fresh = scope.get(kind, key)
        if fresh is not None and fresh is not record:
            record.clear()
            record.update(fresh)
            record.meta = fresh.meta
            nxt = record.meta.next
        limit = nxt.after_reads if nxt is not None else None
        if nxt is None or limit is None:
            return  # moved or replanned meanwhile
        record.meta.reads += 1
        scope.put(kind, key, record)
        if record.meta.reads >= limit:
            moved = self.transition(scope, kind, key, nxt.target, nxt.message, cause="reads")
            if moved is not record:  # a copying store: show the caller the moved record
                record.clear()
                record.update(moved)
                record.meta = moved.meta

    def transition(self, scope: Scope, kind: str, key: str, to: str, message: str | None = None,
                   cause: str = "forced") -> Record:
        """Move the record now, if its machine allows it (else a 409; a record the scope cannot see is a 404)."""
        decl = self.machine(scope.provider, kind)
        record = scope.get(kind, key)
        if record is None:
            raise SimError(404, f"no {kind} {key!r} at {scope.provider}")
        current = str(record[decl.field])
        allowed = decl.allowed(current)
        if to not in allowed:
            raise SimError(409, f"{kind} {key} is {current!r}; its state machine allows "
                                f"{list(allowed) or 'no further transition'}, not {to!r}")
        record[decl.field] = to
        record.meta.history = self._extend(record.meta.history, Step(current, to, self.clock.now(), cause, message))
        if message is not None:
            record.meta.message = message
        own = scope if scope.account is not None else scope.of(record.meta.account)
        move = Move(own, decl, key, record, current, to, message, cause)
        self.on_move(move)
        self._schedule(own, decl, record, decl.default_plan(to, record))
        event = decl.events.get(to)
        if event:
            self.on_event(move, event)
        return record

    def _schedule(self, scope: Scope, decl: LifecycleDecl, record: Record, plan: Plan | None) -> None:
        key = str(record[decl.key])
        scheduled = self._scheduled.get((scope.provider, decl.kind))
        old = scheduled.pop(key, None) if scheduled else None
        if old is not None:
            self.scheduler.cancel(old)
        record.meta.next = None
        if plan is not None and plan.to is not None and not plan.staying(str(record[decl.field])):
            if plan.after_reads is not None:
                record.meta.next = self._share(Next(plan.to, plan.message, None, plan.after_reads))
                record.meta.reads = 0
            else:
                due = self.clock.now() + float(plan.after_seconds or 0)
                nxt = self._share(Next(plan.to, plan.message, due))
                record.meta.next = nxt
                self._at(scope.provider, decl.kind, key, nxt.due or due)  # the shared one's due when shared
        # the record is state only once written back (a persistent store keeps copies, not this object)
        scope.put(decl.kind, key, record)

    def _extend(self, history: tuple[Step, ...], step: Step) -> tuple[Step, ...]:
        """`history` with `step` added: the last one made when it is the same move from the same history."""
        before, made = self._last_history
        if history is before and made and made[-1] == step:
            return made
        made = (*history, step)
        self._last_history = (history, made)
        return made

    def _share(self, nxt: Next) -> Next:
        """The last planned move made when it equals `nxt`."""
        if nxt == self._last_next and self._last_next is not None:
            return self._last_next
        self._last_next = nxt
        return nxt

    def _at(self, provider: str, kind: str, key: str, due: float) -> None:
        if self.scheduler.shared is not None:
            return  # several instances: the stored record's `meta.next.due` is the schedule (simulator/shared.py)
        tag = self._tags.get((provider, kind)) or self._tags.setdefault((provider, kind), f"{provider}:{kind}")
        mover = self._movers.get((provider, kind)) or self._movers.setdefault((provider, kind),
                                                                             _Mover(self, provider, kind))
        entry = self.scheduler.at(due, mover, tag=tag, key=key)
        scheduled = self._scheduled.get((provider, kind))
        if scheduled is None:
            scheduled = self._scheduled[(provider, kind)] = {}
        scheduled[key] = entry

    def fire(self, provider: str, kind: str, key: str, due: float) -> None:
        """A timed move falls due: make it, unless the record moved or was replanned since."""
        self._scheduled.get((provider, kind), {}).pop(key, None)
        view = Scope(self.store, provider, None, self.clock.now)
        record = view.get(kind, key)
        nxt = record.meta.next if record is not None else None
        if record is None or nxt is None or nxt.due != due:
            return  # replanned or moved since
        decl = self.machine(provider, kind)
        if nxt.target in decl.allowed(str(record[decl.field])):
            self.transition(view, kind, key, nxt.target, nxt.message, cause="clock")

    # --- the engine's housekeeping -----------------------------------------------------------------------

    def restore(self) -> int:
        """Schedule again the timed moves of stored records (a persistent store after a restart)."""
        count = 0
        for (provider, kind), decl in self.machines.items():
            for record in self.store.all(provider, kind):
                nxt = record.meta.next
                if nxt is not None and nxt.due is not None:
                    self._at(provider, kind, str(record[decl.key]), nxt.due)
                    count += 1
        return count

    def reset(self) -> None:
        self._scheduled.clear()
