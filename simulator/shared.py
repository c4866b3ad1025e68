"""Several instances on one PostgreSQL store: what they share beside the records, and who runs due work.

- **Due work** (a record's timed move, a webhook chain's next attempt, a provider timer) lives in the store only:
  its time is the `due` column of its row. `Scheduler.run_due` asks `next_due` (the earliest row no unit holds)
  and `run_next` claims one row with `SELECT ... FOR UPDATE SKIP LOCKED` inside a write unit, runs its job and
  commits: another instance polling at the same moment skips the row, so each job runs once. A crashed
  instance's claim ends with its connection (the server rolls its transaction back) and the next poll of any
  instance takes the row; one that hangs loses it after `LEASE_SECONDS` idle in its transaction.
- **The clock**: start, wall time at start and offset are one row (`shared`); an advance adds to the offset in
  the database (`ClockLink`), and every instance takes the row before each request (`sync`).
- **Resets**: `POST /_sim/reset` on one instance clears the store and bumps an epoch; the others see the new
  epoch at their next request and drop what they keep in memory (journals, scenario state, rate limits).
- **Scenarios** loaded or switched through the control API are appended to `scenario_log`; each instance
  replays the entries it has not seen. A scenario's match counters stay per instance.
- The request journal and the webhook delivery journal stay per instance (they are the hot path): each instance
  advertises where it answers (`advertise`, a heartbeat from its ticker) and `GET /_sim/requests?all_instances=true`
  fetches the others' journals there and merges them (simulator/control/peers.py).
"""

from __future__ import annotations

import logging
import time
from typing import Callable, Mapping

from simulator.clock import Clock, Scheduler
from simulator.engine.env import TIMER_KIND, TIMER_OWNER
from simulator.engine.provider import ProviderRuntime
from simulator.lifecycle import Lifecycles
from simulator.scenarios import ScenarioEngine
from simulator.store.outbox_state import KIND as OUTBOX_KIND
from simulator.store.outbox_state import OWNER as OUTBOX_OWNER
from simulator.store.postgres import PostgresStore
from simulator.store.units import Units
from simulator.webhooks.outbox import Outbox

log = logging.getLogger("provider_sim")
HEARTBEAT_SECONDS = 5.0  # an instance not seen for three of these is left out of merged journals


def _no_reset(provider: str | None) -> None:
    """No Sim attached yet."""


class SharedState:
    """The link between one instance (the parts of its Sim) and what the instances share in a PostgreSQL store."""

    def __init__(self, store: PostgresStore, units: Units, clock: Clock, scheduler: Scheduler, scenarios: ScenarioEngine,
                 lifecycles: Lifecycles, outbox: Outbox, providers: Mapping[str, ProviderRuntime]) -> None:
        self.store = store
        self.units = units
        self.clock = clock
        self.scenarios = scenarios
        self.lifecycles = lifecycles
        self.outbox = outbox
        self.providers = providers
        self._replaying = False
        self._beat = 0.0
        self._polled: float | None = None  # the next due time read by `sync`, for the scheduler's first question
        self._fresh = False
        self._writes = 0  # the store's due_writes when it was read
        start, wall_start, offset = store.clock_start(clock.start, clock.wall_start)
        clock.follow(start, wall_start, offset)
        self._epoch = store.shared_row().epoch
        self._scenario_seq = 0  # a new instance replays every scenario change since the last reset
        clock.link = self
        scheduler.shared = self
        scenarios.on_change = self._log_scenario
        self.reset_local: Callable[[str | None], None] = _no_reset  # the Sim's: drop what it keeps in memory

    # --- ClockLink ---------------------------------------------------------------------------------------

    def add(self, seconds: float) -> float:
        return self.store.clock_add(seconds)

    def restart(self, wall_start: float) -> None:
        self.store.clock_reset(wall_start)

    # --- before each request -----------------------------------------------------------------------------

    def sync(self) -> None:
        """Take what other instances changed: the clock, a reset, scenarios loaded or switched."""
        self.heartbeat()
        row = self.store.shared_row()
        if row.clock_start is not None and row.wall_start is not None:
            self.clock.follow(row.clock_start, row.wall_start, row.clock_offset)
        if row.epoch != self._epoch:
            one = row.epoch == self._epoch + 1  # one reset since: of its provider; more: of everything
            self._epoch = row.epoch
            self.reset_local(row.reset_provider if one else None)
        if row.scenario_seq > self._scenario_seq:
            self._replay()
        self._polled, self._fresh, self._writes = row.next_due, True, self.store.due_writes

    def advertise(self, url: str) -> None:
        self.store.advertise(url)
        self._beat = time.monotonic()

    def heartbeat(self) -> None:
        """From the ticker: this instance is alive (at most every HEARTBEAT_SECONDS)."""
        if time.monotonic() - self._beat >= HEARTBEAT_SECONDS:
            self._beat = time.monotonic()
            self.store.heartbeat()

    def peers(self) -> list[tuple[int, str]]:
        return self.store.peers(3 * HEARTBEAT_SECONDS)

    @property
    def instance(self) -> int:
        return self.store.instance()

    def reset_done(self, provider: str | None) -> None:
        """This instance reset the store (one provider's state, or all): tell the others."""
        self._epoch = self.store.new_epoch(provider)
        if provider is None:
            self._scenario_seq = 0

    def _log_scenario(self, action: str, name: str, body: str) -> None:
        if not self._replaying:
            self._scenario_seq = max(self._scenario_seq, self.store.log_scenario(action, name, body))

    def _replay(self) -> None:
        scenarios = self.scenarios
        self._replaying = True
        try:
            for seq, action, name, body in self.store.scenario_entries(self._scenario_seq):
                self._scenario_seq = seq
                try:
                    if action == "load" and body is not None:
                        scenarios.load_text(body, source=name or "api")
                    elif action in ("activate", "deactivate") and name:
                        scenarios.set_active(name, action == "activate")
                except Exception:  # one instance's scenario that this one cannot take must not stop it
                    log.exception("provider-sim: could not replay a shared scenario change (%s %s)", action, name)
        finally:
            self._replaying = False

    # --- SharedWork ----------------------------------------------------------------------------------------

    def next_due(self) -> float | None:
        if self._fresh:  # just read with the shared row (one round trip per request, not two)
            self._fresh = False
            if self._writes == self.store.due_writes:  # nothing due written since
                return self._polled
        return self.store.next_due()

    async def run_next(self, now: float) -> bool:
        """One due job as a unit of work (joining the task's open unit: a payer page settling). The claim is a
        row lock plus a lease on the row, so a webhook attempt, which leaves the unit around its POST, stays
        claimed while it waits for the receiver; the job's own write (the next attempt, a move) ends the lease."""
        async with self.units.unit(True):
            claim = self.store.claim_due(now)
            if claim is None:
                return False
            await self._run(*claim)
            self.store.settle_due(*claim)
        return True

    async def _run(self, provider: str, kind: str, key: str, due: float) -> None:
        if provider == OUTBOX_OWNER and kind == OUTBOX_KIND:
            await self.outbox.attempt_stored(key)
        elif provider == TIMER_OWNER and kind == TIMER_KIND:
            record = self.store.get(provider, kind, key)
            self.store.delete(provider, kind, key)
            runtime = self.providers.get(str(record["provider"])) if record is not None else None
            if record is not None and runtime is not None:
                runtime.env.run_timer(str(record["timer"]), str(record["key"]), float(record["due"]))
        elif self.lifecycles.has(provider, kind):
            self.lifecycles.fire(provider, kind, key, due)
