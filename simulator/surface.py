"""What the top layer (the control API, the dashboard and payer pages, the app) reads of a simulator: its
services, as `simulator.sim.Sim` provides them. Typed as a protocol so those modules do not import the
composition root."""

from __future__ import annotations

from typing import Protocol

from simulator.clock import Clock, Scheduler
from simulator.engine.journal import Journal
from simulator.engine.pipeline import Pipeline
from simulator.engine.provider import ProviderRuntime
from simulator.lifecycle import Lifecycles
from simulator.records import JSON
from simulator.scenarios.engine import ScenarioEngine
from simulator.store.units import Units
from simulator.webhooks.events import Events
from simulator.webhooks.outbox import Outbox


class Simulator(Protocol):
    clock: Clock
    scheduler: Scheduler
    journal: Journal
    outbox: Outbox
    events: Events
    lifecycles: Lifecycles
    scenarios: ScenarioEngine
    pipeline: Pipeline
    providers: dict[str, ProviderRuntime]
    units: Units

    def reset(self, provider: str | None = None) -> None: ...

    def describe(self) -> dict[str, JSON]: ...
