"""The scenario seam the pipeline calls. (Rules, files and effects are filled in by the scenarios work.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.context import Ctx
    from simulator.sim import Sim


@dataclass
class ScenarioMatch:
    name: str
    respond: dict[str, Any] | None = None
    latency_ms: float | None = None
    fault: str | None = None
    outcome: dict[str, Any] | None = None
    webhooks: dict[str, Any] = field(default_factory=dict)


class ScenarioEngine:
    def __init__(self, sim: "Sim") -> None:
        self.sim = sim
        self.active: list[Any] = []

    def known(self, name: str) -> bool:
        return False

    def match(self, ctx: "Ctx") -> ScenarioMatch | None:
        return None

    def describe(self) -> list[dict[str, Any]]:
        return []

    def load_text(self, text: str, source: str = "api") -> dict[str, Any]:
        from simulator.engine.errors import SimError
        raise SimError(400, "scenario loading is not available yet")

    def set_active(self, name: str, active: bool) -> dict[str, Any]:
        from simulator.engine.errors import SimError
        raise SimError(404, f"unknown scenario {name!r}")

    def reset(self) -> None:
        self.active = []
