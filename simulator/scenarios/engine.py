"""The scenario engine the pipeline and the control routes call.

Scenarios come from three places: libraries (the built-in `<scenarios_dir>/<provider>/*.yaml` and each
`--scenarios DIR`, inactive until activated or named in `X-Sim-Scenario`), `--scenario` files (active; kept by
/_sim/reset) and POST /_sim/scenarios (active; dropped by /_sim/reset). A request is checked against its header's
scenarios first, then the active ones; in each, the first rule that holds applies, and the effects of all
applicable scenarios combine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from simulator.engine.errors import ProviderError, SimError
from simulator.scenarios.loader import ProviderFacts, ScenarioLoadError, load
from simulator.scenarios.model import Rule, Scenario

if TYPE_CHECKING:
    from simulator.engine.context import Ctx
    from simulator.sim import Sim

log = logging.getLogger("provider_sim")


class ScenarioFolderError(ValueError):
    """A --scenarios folder that cannot be a library (missing, or a subfolder named after no provider)."""


@dataclass
class ScenarioMatch:
    name: str
    respond: dict[str, Any] | None = None
    latency_ms: float | None = None
    fault: str | None = None
    outcome: dict[str, Any] | None = None
    webhooks: dict[str, Any] = field(default_factory=dict)
    timeout_seconds: float = 30.0  # how long a `timeout` fault holds the request at most


class ScenarioEngine:
    def __init__(self, sim: "Sim") -> None:
        self.sim = sim
        self._base: dict[str, Scenario] = {}  # built-in and --scenario files: survive /_sim/reset
        self._loaded: dict[str, Scenario] = {}  # POST /_sim/scenarios: dropped by /_sim/reset
        self._active_cache: list[Scenario] | None = None  # the active ones, rebuilt after any change
        self._ready = False
        self.library_errors: list[str] = []

    # --- loading ---------------------------------------------------------------------------------------

    def _ensure(self) -> None:
        """Load the built-in library (and settings' scenario files) once the providers exist."""
        if self._ready:
            return
        self._ready = True
        self._load_library(Path(self.sim.settings.scenarios_dir))
        for root in self.sim.settings.scenario_dirs:
            self._load_user_library(Path(root))
        if self.sim.settings.scenario_files:
            self.load_files(self.sim.settings.scenario_files)

    def _facts(self) -> dict[str, ProviderFacts]:
        facts = {}
        for key, runtime in self.sim.providers.items():
            states: set[str] = set()
            for (provider, _kind), machine in self.sim.lifecycles.machines.items():
                if provider == key:
                    states.update(machine.states())
            facts[key] = ProviderFacts(operations=set(runtime.operations), errors=set(runtime.errors),
                                       states=states, accounts=set(runtime.accounts_by_id))
        return facts

    def _load_library(self, root: Path) -> None:
        facts = self._facts()
        for provider in sorted(self.sim.providers):
            folder = root / provider
            if not folder.is_dir():
                continue
            for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
                try:
                    for scenario in self._read(path, facts):
                        if scenario.provider != provider:
                            raise ScenarioLoadError(str(path), 1, "provider",
                                                    f"a file in {folder} must be for {provider!r}")
                        if scenario.name in self._base:
                            raise ScenarioLoadError(str(path), 1, "name", f"{scenario.name!r} is already "
                                                    f"defined in {self._base[scenario.name].source}")
                        scenario.origin = "builtin"
                        self._base[scenario.name] = scenario
                except ScenarioLoadError as exc:
                    self.library_errors.append(str(exc))
                    log.error("provider-sim: skipped a built-in scenario: %s", exc)

    def _load_user_library(self, root: Path) -> None:
        """A `--scenarios DIR`: `DIR/<provider>/*.yaml` (each for that provider) and `DIR/*.yaml` (any provider).
        Its scenarios replace built-in ones of the same name; any bad file is a ScenarioLoadError."""
        if not root.is_dir():
            raise ScenarioFolderError(f"scenario folder {root} (--scenarios): no such folder")
        facts = self._facts()
        seen: dict[str, str] = {}
        entries = sorted(root.iterdir())
        for folder in (p for p in entries if p.is_dir() and not p.name.startswith((".", "_"))):
            if folder.name not in self.sim.providers:
                raise ScenarioFolderError(f"scenario folder {folder}: no provider {folder.name!r} (providers: "
                                          f"{', '.join(sorted(self.sim.providers))})")
        files = [p for p in entries if p.suffix in (".yaml", ".yml") and p.is_file()]
        files += [f for p in entries if p.is_dir() and p.name in self.sim.providers
                  for f in sorted([*p.glob("*.yaml"), *p.glob("*.yml")])]
        for path in files:
            for scenario in self._read(path, facts):
                if path.parent != root and scenario.provider != path.parent.name:
                    raise ScenarioLoadError(str(path), 1, "provider",
                                            f"a file in {path.parent} must be for {path.parent.name!r}")
                if scenario.name in seen:
                    raise ScenarioLoadError(str(path), 1, "name",
                                            f"{scenario.name!r} is already defined in {seen[scenario.name]}")
                seen[scenario.name] = str(path)
                scenario.origin = "library"
                self._base[scenario.name] = scenario

    def _read(self, path: Path, facts: dict[str, ProviderFacts]) -> list[Scenario]:
        limits = self.sim.settings.limits
        try:
            if path.stat().st_size > limits.max_scenario_bytes:
                raise ScenarioLoadError(str(path), 1, "", f"larger than {limits.max_scenario_bytes} bytes "
                                        "(max_scenario_bytes)")
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioLoadError(str(path), 1, "", f"cannot read the file: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise ScenarioLoadError(str(path), 1, "", "not UTF-8 text") from exc
        return load(text, str(path), facts, limits)

    def load_files(self, paths: Iterable[Path | str]) -> list[dict[str, Any]]:
        """`--scenario` files: active, kept across /_sim/reset. Raises ScenarioLoadError on a bad file."""
        self._active_cache = None
        self._ensure()
        facts = self._facts()
        loaded = []
        for path in paths:
            for scenario in self._read(Path(path), facts):
                scenario.origin = "file"
                scenario.active = scenario.initially_active = True
                self._loaded.pop(scenario.name, None)
                self._base[scenario.name] = scenario
                loaded.append(scenario.public())
        return loaded

    def load_text(self, text: str, source: str = "api") -> dict[str, Any]:
        """POST /_sim/scenarios: load (or replace) and activate; a bad file is a 400 naming line and key."""
        self._active_cache = None
        self._ensure()
        try:
            scenarios = load(text, source, self._facts(), self.sim.settings.limits)
        except ScenarioLoadError as exc:
            raise SimError(400, str(exc)) from exc
        for scenario in scenarios:
            scenario.origin = source
            scenario.active = True
            self._loaded[scenario.name] = scenario
        first = scenarios[0].public()
        first["loaded"] = [s.name for s in scenarios]
        return first

    # --- the control surface ---------------------------------------------------------------------------

    def _get(self, name: str) -> Scenario | None:
        return self._loaded.get(name) or self._base.get(name)

    def _all(self) -> list[Scenario]:
        merged = dict(self._base)
        merged.update(self._loaded)
        return list(merged.values())

    def known(self, name: str) -> bool:
        self._ensure()
        return self._get(name) is not None

    def describe(self) -> list[dict[str, Any]]:
        self._ensure()
        return [s.public() for s in self._all()]

    def set_active(self, name: str, active: bool) -> dict[str, Any]:
        self._active_cache = None
        self._ensure()
        scenario = self._get(name)
        if scenario is None:
            known = ", ".join(sorted(s.name for s in self._all()))
            raise SimError(404, f"unknown scenario {name!r}; known: {known}")
        scenario.active = active
        return scenario.public()

    def reset(self) -> None:
        """Loaded scenarios go; built-in and --scenario files return to their first state and counts."""
        self._active_cache = None
        self._loaded.clear()
        for scenario in self._base.values():
            scenario.restart()

    # --- matching --------------------------------------------------------------------------------------

    def match(self, ctx: "Ctx") -> ScenarioMatch | None:
        """Each applicable scenario's first rule that holds; their effects combine, the earlier one winning
        where two set the same effect (header scenarios in header order, then the active ones)."""
        self._ensure()
        if self._active_cache is None:
            self._active_cache = [s for s in self._all() if s.active]
        if not ctx.scenarios and not self._active_cache:
            return None  # the common case costs nothing more
        key = ctx.provider.key
        named = [s for s in (self._get(n) for n in ctx.scenarios) if s is not None]
        chosen = named + [s for s in self._active_cache if s.name not in ctx.scenarios]
        hits: list[ScenarioMatch] = []
        for scenario in chosen:
            if scenario.provider != key:
                continue
            rule = next((r for r in scenario.rules if r.applies(ctx)), None)
            if rule is not None:
                hits.append(self._effects(ctx, scenario, rule))
        if not hits:
            return None
        merged = hits[0]
        for hit in hits[1:]:
            merged.name += "," + hit.name
            for attr in ("respond", "latency_ms", "fault", "outcome"):
                if getattr(merged, attr) is None and getattr(hit, attr) is not None:
                    setattr(merged, attr, getattr(hit, attr))
                    if attr == "fault":
                        merged.timeout_seconds = hit.timeout_seconds
            merged.webhooks = {**hit.webhooks, **merged.webhooks}
        return merged

    @staticmethod
    def _effects(ctx: "Ctx", scenario: Scenario, rule: Rule) -> ScenarioMatch:
        respond = None
        if rule.respond is not None:
            respond = dict(rule.respond)
            if "error" in respond:
                status, body, headers = ctx.provider.error_reply(
                    ProviderError(str(respond.pop("error")), dict(respond.pop("values", {}))))
                respond.setdefault("status", status)
                respond.setdefault("body", body)
                respond["headers"] = {**headers, **respond.get("headers", {})}
        return ScenarioMatch(name=scenario.name, respond=respond, latency_ms=rule.latency_ms, fault=rule.fault,
                             outcome=dict(rule.outcome) if rule.outcome else None, webhooks=dict(rule.webhooks),
                             timeout_seconds=rule.timeout_seconds)
