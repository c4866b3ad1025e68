"""The simulator's state and services in one object: the composition root every part reaches through."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from simulator.clock import Clock, Scheduler
from simulator.engine.journal import Journal
from simulator.engine.provider import ProviderRuntime
from simulator.lifecycle import Lifecycles
from simulator.scenarios import ScenarioEngine
from simulator.settings import Settings
from simulator.spec.loader import ProviderSpec, SpecError, discover
from simulator.store import MemoryStore, Store
from simulator.webhooks.events import Events
from simulator.webhooks.outbox import Outbox

if TYPE_CHECKING:
    from faker import Faker


SEEDED = "_seeded"  # a store kind: the marker that a provider's seed data is in the store


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


def provider_runtime(spec: ProviderSpec, seed: int) -> ProviderRuntime:
    """The provider built from its folder; behaviour data it cannot use is a SpecError naming the file."""
    try:
        return ProviderRuntime(spec, seed)
    except SpecError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        detail = f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc)
        raise SpecError(f"{spec.folder / 'behaviour.yaml'}: cannot build provider {spec.key!r}: {detail}") from exc


class Sim:
    def __init__(self, settings: Settings | None = None, specs: list[ProviderSpec] | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self.clock = Clock(s.clock, s.start_time)
        self.scheduler = Scheduler(self.clock)
        self.store: Store = make_store(s.store)
        self.scheduler.before_job = self.store.begin
        self.scheduler.max_jobs = s.limits.max_jobs_per_advance
        self.journal = Journal(s.limits)
        self.events = Events(self)
        self.outbox = Outbox(self, timeout=s.webhook_timeout_seconds)
        self.lifecycles = Lifecycles(self)
        self.scenarios = ScenarioEngine(self)
        self.providers: dict[str, ProviderRuntime] = {}
        for spec in specs if specs is not None else discover([s.specs_dir, *s.spec_dirs], s.providers):
            runtime = provider_runtime(spec, s.seed)
            self.providers[runtime.key] = runtime
            self.lifecycles.register(runtime.key, spec.behaviour.get("lifecycles") or {},
                                     runtime.hooks.transitions)
        self._rngs: dict[str, random.Random] = {}
        self._fakers: dict[str, Faker] = {}
        self.seed_state()
        if getattr(self.store, "persistent", False):  # state kept from an earlier run: its clock work goes on
            from simulator.store.outbox_state import restore as restore_outbox
            self.lifecycles.restore()
            restore_outbox(self)

    def rng(self, provider: str) -> random.Random:
        rng = self._rngs.get(provider)
        if rng is None:
            rng = self._rngs[provider] = random.Random(f"{self.settings.seed}:{provider}")
        return rng

    def faker(self, provider: str) -> "Faker":
        fake = self._fakers.get(provider)
        if fake is None:
            from faker import Faker
            runtime = self.providers.get(provider)
            locale = str((runtime.behaviour.get("faker_locale") if runtime else None) or "pt_BR")
            fake = Faker(locale)
            fake.seed_instance(f"{self.settings.seed}:{provider}")
            self._fakers[provider] = fake
        return fake

    def seed_state(self, provider: str | None = None) -> None:
        """Each provider's seed data, once per store (a persistent store keeps it, and what changed it)."""
        for key, runtime in self.providers.items():
            if provider in (None, key) and runtime.hooks.seed is not None:
                if self.store.get(key, SEEDED, "state") is not None:
                    continue
                runtime.hooks.seed(self, runtime)
                self.store.put(key, SEEDED, "state", {"seed": self.settings.seed})

    def reset(self, provider: str | None = None) -> None:
        """State, journals, loaded scenarios and clock offset back to start; credentials stay."""
        self.store.reset(provider)
        for key, runtime in self.providers.items():
            if provider in (None, key) and runtime.rate_limiter is not None:
                runtime.rate_limiter.reset()
        self.journal.reset(provider)
        for key in [k for k in self._rngs if provider in (None, k)]:
            del self._rngs[key]
        for key in [k for k in self._fakers if provider in (None, k)]:
            del self._fakers[key]
        if provider is None:
            self.scheduler.clear()
            self.lifecycles.reset()
            self.events.reset()
            self.outbox.reset()
            self.scenarios.reset()
            self.clock.reset()
        self.seed_state(provider)

    def describe(self) -> dict[str, Any]:
        return {"providers": [p.public() for p in self.providers.values()]}
