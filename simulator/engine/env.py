"""What a provider's code may use, in a request or outside one: its declarations, accounts, the clock in its time
zone, money, seeded randomness, its records (through account scopes), the state machines and the outbox.

One `ProviderEnv` per provider, built by the composition root (sim.py). A handler reaches it as `ctx.env` and its
account's records as `ctx.scope`; the hooks that run outside a request (transitions, webhooks, seed, find,
present, pages, timers) are given the env. Nothing here reaches another provider or the control surface.
"""

from __future__ import annotations

import functools
import random
from typing import TYPE_CHECKING, Callable

from simulator.behaviour.config import LifecycleDecl, Plan, ProviderConfig
from simulator.behaviour.money import Money
from simulator.clock import Clock, LocalTime, Scheduler
from simulator.engine.accounts import Account
from simulator.engine.balances import Balances
from simulator.lifecycle import Lifecycles
from simulator.records import Record
from simulator.store.base import Store
from simulator.store.scope import NO_TAGS, Scope, Tags
from simulator.webhooks.outbox import Delivery, Outbox, Outgoing

if TYPE_CHECKING:
    from faker import Faker

TimerHook = Callable[["ProviderEnv", str, float], None]  # (env, key, due): work a provider scheduled


def request_base(headers: dict[str, str]) -> str:
    """The scheme and host a request came through (the composition root gives the checked one, with
    --public-url: simulator/security.py)."""
    scheme = headers.get("x-forwarded-proto", "http")
    return f"{scheme if scheme in ('http', 'https') else 'http'}://{headers.get('host', '127.0.0.1:8000')}"


class ProviderEnv:
    def __init__(self, config: ProviderConfig, accounts: list[Account], store: Store, clock: Clock,
                 scheduler: Scheduler, lifecycles: Lifecycles, outbox: Outbox, seed: int) -> None:
        self.config = config
        self.key = config.key
        self.name = config.name
        self.accounts = accounts
        self.accounts_by_id = {a.id: a for a in accounts}
        self.clock = clock
        self.scheduler = scheduler
        self.lifecycles = lifecycles
        self.outbox = outbox
        self.time = LocalTime(clock, config.utc_offset_hours)
        self.money: Money = config.money
        self.timers: dict[str, TimerHook] = {}  # the provider's `timers` hooks (composition root)
        self.link_base: Callable[[dict[str, str]], str] = request_base  # the base of generated links
        self._store = store
        self._seed = seed
        self._rng: random.Random | None = None
        self._faker: Faker | None = None
        self.view = Scope(store, self.key, None, clock.now)  # every account's records: the engine's view
        self.balances = Balances(self.key, config.balances, store, self.accounts_by_id)  # behaviour.yaml balances:

    # --- records -----------------------------------------------------------------------------------------

    def records(self, account: str | None, tags: Tags = NO_TAGS) -> Scope:
        """An account's records (None: the provider-wide view)."""
        return Scope(self._store, self.key, account, self.clock.now, tags)

    def account(self, ident: str | None) -> Account | None:
        return self.accounts_by_id.get(ident) if ident is not None else None

    # --- state machines ----------------------------------------------------------------------------------

    def machine(self, kind: str) -> LifecycleDecl:
        return self.lifecycles.machine(self.key, kind)

    def enter(self, scope: Scope, kind: str, record: Record, plan: Plan | None = None) -> None:
        self.lifecycles.enter(scope, kind, record, plan)

    def transition(self, scope: Scope, kind: str, key: str | int, to: str, message: str | None = None,
                   cause: str = "forced") -> Record:
        return self.lifecycles.transition(scope, kind, str(key), to, message, cause)

    def move_if_allowed(self, scope: Scope, kind: str, key: str | int | None, to: str, cause: str) -> None:
        """Move a related record when it exists and its machine allows the move (otherwise leave it)."""
        if key is None:
            return
        record = scope.get(kind, key)
        decl = self.machine(kind)
        if record is not None and to in decl.allowed(str(record[decl.field])):
            self.transition(scope, kind, key, to, cause=cause)

    # --- time and randomness -----------------------------------------------------------------------------

    def at(self, due: float, timer: str, key: str) -> None:
        """Run the provider's `timers[timer]` hook for `key` when the clock reaches `due`."""
        self.scheduler.at(due, functools.partial(self._timer, timer, key, due), tag=f"{self.key}:{timer}:{key}")

    def _timer(self, timer: str, key: str, due: float) -> None:
        self.timers[timer](self, key, due)

    def rng(self) -> random.Random:
        """The provider's seeded random generator (the same seed gives the same data). Its stream is seeded by
        (--seed, the store's instance number), so the processes and instances sharing a store draw different ids;
        instance 1 (one process on a fresh store) draws the ids it always drew."""
        if self._rng is None:
            instance = self._store.instance()
            self._rng = random.Random(f"{self._seed}:{self.key}" if instance == 1
                                      else f"{self._seed}:{self.key}:{instance}")
        return self._rng

    def faker(self) -> "Faker":
        """The provider's seeded faker in its declared locale."""
        if self._faker is None:
            from faker import Faker
            fake = Faker(self.config.faker_locale)
            fake.seed_instance(f"{self._seed}:{self.key}")
            self._faker = fake
        return self._faker

    def reset(self) -> None:
        """Randomness back to its seed (state is reset by the store)."""
        self._rng = None
        self._faker = None

    # --- webhooks ----------------------------------------------------------------------------------------

    async def deliver_now(self, out: Outgoing) -> Delivery:
        """One attempt right away (a 'test webhook' operation); retries follow on the clock."""
        return await self.outbox.deliver_now(out)

    async def settle(self) -> None:
        """Run the work now due (transitions, webhook attempts): a payer's page does before it redirects."""
        await self.scheduler.run_due()
