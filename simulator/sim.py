"""The composition root: builds the clock, the store, the journals, the state machines, the outbox, the scenario
engine and each provider (its behaviour, env, hooks and runtime), and wires them together. Every part receives
what it uses; only the top layer (the app, the control API, the dashboard) holds the Sim.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from simulator import security
from simulator.behaviour.config import WebhookDecl
from simulator.clock import Clock, Scheduler
from simulator.engine.accounts import build_accounts
from simulator.engine.env import ProviderEnv
from simulator.engine.journal import Journal
from simulator.engine.pipeline import Pipeline
from simulator.engine.provider import ProviderRuntime, load_provider
from simulator.lifecycle import Lifecycles, Move
from simulator.records import JSON, Record
from simulator.scenarios import ScenarioEngine
from simulator.scenarios.loader import ProviderFacts
from simulator.settings import Settings
from simulator.spec.loader import SpecError, provider_folders, select
from simulator.store import MemoryStore, Store
from simulator.store.outbox_state import PendingDeliveries
from simulator.store.units import Units
from simulator.webhooks.events import Events
from simulator.webhooks.outbox import Delivery, Outbox

SEEDED = "_seeded"  # a store kind: the marker that a provider's seed data is in the store
NO_WEBHOOKS = WebhookDecl()


class StoreError(ValueError):
    """A --store that cannot be used; the message names it and says why."""


def make_store(spec: str) -> Store:
    if spec == "memory":
        return MemoryStore()
    if spec.startswith("sqlite:"):
        import sqlite3

        from simulator.store.sqlite import SqliteStore, open_error
        path = spec[len("sqlite:"):]
        if not path.strip():
            raise StoreError("--store sqlite:PATH needs a file path, e.g. sqlite:sim.sqlite")
        try:
            store: Store = SqliteStore(path)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(open_error(path, exc)) from exc
        return store
    raise StoreError(f"unknown store {spec!r}: use memory or sqlite:PATH")


class Sim:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self.clock = Clock(s.clock, s.start_time)
        self.scheduler = Scheduler(self.clock)
        self.store: Store = make_store(s.store)
        self.units = Units(self.store)  # one request, job or control write at a time per process (store/units.py)
        self.scheduler.unit = functools.partial(self.units.unit, True)
        self.scheduler.max_jobs = s.limits.max_jobs_per_advance
        # the base of generated links: --public-url, else the request's checked Host (simulator/security.py)
        self.link_base: Callable[[dict[str, str]], str] = functools.partial(security.base_url, s)
        self.journal = Journal(s.limits)
        self.outbox = Outbox(self.clock, self.scheduler, PendingDeliveries(self.store), self._webhook_settings,
                             timeout=s.webhook_timeout_seconds, allow=s.webhook_allow, units=self.units)
        self.events = Events(self.clock, self.outbox)
        self.lifecycles = Lifecycles(self.store, self.clock, self.scheduler)
        self.lifecycles.on_move = self._on_move
        self.lifecycles.on_event = self._on_event
        self.outbox.on_result = self._on_result
        self.providers: dict[str, ProviderRuntime] = {}
        for key, folder in select(provider_folders([s.specs_dir, *s.spec_dirs]), s.providers).items():
            self.providers[key] = self._provider(key, folder)
        self.scenarios = ScenarioEngine(s.scenarios_dir, s.scenario_files, self._facts, s.limits,
                                        libraries=s.scenario_dirs)
        self.pipeline = Pipeline(self.clock, self.scheduler, self.scenarios, self.journal, s.limits,
                                 s.rate_limits, self.units)
        self.seed_state()
        if self.store.persistent:  # state kept from an earlier run: its clock work goes on
            self.lifecycles.restore()
            self.outbox.restore()
            for runtime in self.providers.values():  # the work providers scheduled themselves (env.at)
                if runtime.hooks.restore is not None:
                    runtime.hooks.restore(runtime.env)

    # --- building --------------------------------------------------------------------------------------

    def _provider(self, key: str, folder: Path) -> ProviderRuntime:
        """The provider built from its folder; behaviour data it cannot use is a SpecError naming the file."""
        try:
            return self._build(key, folder)
        except SpecError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            detail = f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc)
            raise SpecError(f"{folder / 'behaviour.yaml'}: cannot build provider {key!r}: {detail}") from exc

    def _build(self, key: str, folder: Path) -> ProviderRuntime:
        config, openapi, hooks = load_provider(folder, key)
        accounts = build_accounts(key, config.auth, config.accounts, self.settings.seed, config.versions)
        env = ProviderEnv(config, accounts, self.store, self.clock, self.scheduler, self.lifecycles, self.outbox,
                          self.settings.seed)
        env.timers = dict(hooks.timers)
        env.link_base = self.link_base
        self.lifecycles.register(key, config.lifecycles)
        if hooks.webhooks is not None:
            build = hooks.webhooks
            self.events.builders[key] = lambda event: build(env, event)
        return ProviderRuntime(env, openapi, hooks)

    def _webhook_settings(self, provider: str) -> WebhookDecl:
        runtime = self.providers.get(provider)
        return runtime.config.webhooks if runtime is not None else NO_WEBHOOKS

    def _on_move(self, move: Move) -> None:
        runtime = self.providers.get(move.scope.provider)
        if runtime is not None:
            runtime.env.balances.on_move(move)  # a failed debit gives its money back
        hook = runtime.hooks.transitions.get(move.kind) if runtime is not None else None
        if runtime is not None and hook is not None:
            hook(runtime.env, move)

    def _on_event(self, move: Move, name: str) -> None:
        self.events.emit(move.scope.provider, name, move.kind, move.key, move.record)

    def _on_result(self, provider: str, delivery: Delivery) -> None:
        runtime = self.providers.get(provider)
        if runtime is not None and runtime.hooks.webhook_result is not None:
            runtime.hooks.webhook_result(runtime.env, delivery)

    def _facts(self) -> dict[str, ProviderFacts]:
        facts = {}
        for key, runtime in self.providers.items():
            states: set[str] = set()
            for kind in self.lifecycles.kinds(key):
                states.update(self.lifecycles.machine(key, kind).states())
            facts[key] = ProviderFacts(operations=set(runtime.operations), errors=set(runtime.config.errors),
                                       states=states, accounts=set(runtime.accounts_by_id))
        return facts

    # --- state -----------------------------------------------------------------------------------------

    def seed_state(self, provider: str | None = None) -> None:
        """Each provider's seed data, once per store (a persistent store keeps it, and what changed it)."""
        for key, runtime in self.providers.items():
            if provider in (None, key) and runtime.hooks.seed is not None:
                if self.store.get(key, SEEDED, "state") is not None:
                    continue
                runtime.hooks.seed(runtime.env)
                self.store.put(key, SEEDED, "state", Record({"seed": self.settings.seed}))

    def reset(self, provider: str | None = None) -> None:
        """State, journals, loaded scenarios and clock offset back to start; credentials stay."""
        self.store.reset(provider)
        for key, runtime in self.providers.items():
            if provider in (None, key):
                runtime.env.reset()
                if runtime.rate_limiter is not None:
                    runtime.rate_limiter.reset()
        self.journal.reset(provider)
        if provider is None:
            self.scheduler.clear()
            self.lifecycles.reset()
            self.events.reset()
            self.outbox.reset()
            self.scenarios.reset()
            self.clock.reset()
        self.seed_state(provider)

    def describe(self) -> dict[str, JSON]:
        return {"providers": [p.public() for p in self.providers.values()]}

