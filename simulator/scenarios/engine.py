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
from typing import Callable, Iterable

from simulator.engine.context import Ctx
from simulator.engine.errors import SimError
from simulator.limits import Limits
from simulator.records import JSON
from simulator.scenarios.loader import ProviderFacts, ScenarioLoadError, load
from simulator.scenarios.model import Rule, Scenario, ScenarioInfo

log = logging.getLogger("provider_sim")


class ScenarioFolderError(ValueError):
    """A --scenarios folder that cannot be a library (missing, or a subfolder named after no provider)."""


@dataclass
class ScenarioMatch:
    name: str
    respond: dict[str, JSON] | None = None  # {status, headers, body} or {error, values, ...}: the pipeline renders
    latency_ms: float | None = None
    fault: str | None = None
    outcome: dict[str, JSON] | None = None
    webhooks: dict[str, JSON] = field(default_factory=dict)
    timeout_seconds: float = 30.0  # how long a `timeout` fault holds the request at most


class ScenarioEngine:
    def __init__(self, library: Path, files: Iterable[Path], facts: Callable[[], dict[str, ProviderFacts]],
                 limits: Limits | None = None, libraries: Iterable[Path] = ()) -> None:
        self.library = library  # <library>/<provider>/*.yaml, the built-in scenarios
        self.libraries = [Path(p) for p in libraries]  # --scenarios folders: more libraries
        self.files = list(files)  # --scenario files
        self.facts = facts  # what each provider's scenarios may name (known once the providers are built)
        self.limits = limits or Limits()  # sizes of scenario files and patterns (simulator/limits.py)
        self._base: dict[str, Scenario] = {}  # built-in and --scenario files: survive /_sim/reset
        self._loaded: dict[str, Scenario] = {}  # POST /_sim/scenarios: dropped by /_sim/reset
        self._active_cache: list[Scenario] | None = None  # the active ones, rebuilt after any change
        self._ready = False
        self.library_errors: list[str] = []
        # several instances (simulator/shared.py): told of each control change, to log it for the others
        self.on_change: Callable[[str, str, str], None] | None = None

    # --- loading ---------------------------------------------------------------------------------------

    def _ensure(self) -> None:
        """Load the built-in library (and settings' scenario files) once the providers exist."""
        if self._ready:
            return
        self._ready = True
        self._load_library(self.library)
        for root in self.libraries:
            self._load_user_library(root)
        if self.files:
            self.load_files(self.files)

    def _load_library(self, root: Path) -> None:
        facts = self.facts()
        for provider in sorted(facts):
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
        facts = self.facts()
        seen: dict[str, str] = {}
        entries = sorted(root.iterdir())
        for folder in (p for p in entries if p.is_dir() and not p.name.startswith((".", "_"))):
            if folder.name not in facts:
                raise ScenarioFolderError(f"scenario folder {folder}: no provider {folder.name!r} (providers: "
                                          f"{', '.join(sorted(facts))})")
        files = [p for p in entries if p.suffix in (".yaml", ".yml") and p.is_file()]
        files += [f for p in entries if p.is_dir() and p.name in facts
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
        limits = self.limits
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

    def load_files(self, paths: Iterable[Path | str]) -> list[ScenarioInfo]:
        """`--scenario` files: active, kept across /_sim/reset. Raises ScenarioLoadError on a bad file."""
        self._active_cache = None
        self._ensure()
        facts = self.facts()
        loaded = []
        for path in paths:
            for scenario in self._read(Path(path), facts):
                scenario.origin = "file"
                scenario.active = scenario.initially_active = True
                self._loaded.pop(scenario.name, None)
                self._base[scenario.name] = scenario
                loaded.append(scenario.public())
        return loaded

    def load_text(self, text: str, source: str = "api") -> ScenarioInfo:
        """POST /_sim/scenarios: load (or replace) and activate; a bad file is a 400 naming line and key."""
        self._active_cache = None
        self._ensure()
        try:
            scenarios = load(text, source, self.facts(), self.limits)
        except ScenarioLoadError as exc:
            raise SimError(400, str(exc)) from exc
        for scenario in scenarios:
            scenario.origin = source
            scenario.active = True
            self._loaded[scenario.name] = scenario
        first = scenarios[0].public()
        first["loaded"] = [s.name for s in scenarios]
        if self.on_change is not None:
            self.on_change("load", source, text)
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

    def describe(self) -> list[ScenarioInfo]:
        self._ensure()
        return [s.public() for s in self._all()]

    def set_active(self, name: str, active: bool) -> ScenarioInfo:
        self._active_cache = None
        self._ensure()
        scenario = self._get(name)
        if scenario is None:
            known = ", ".join(sorted(s.name for s in self._all()))
            raise SimError(404, f"unknown scenario {name!r}; known: {known}")
        scenario.active = active
        if self.on_change is not None:
            self.on_change("activate" if active else "deactivate", name, "")
        return scenario.public()

    def reset(self) -> None:
        """Loaded scenarios go; built-in and --scenario files return to their first state and counts."""
        self._active_cache = None
        self._loaded.clear()
        for scenario in self._base.values():
            scenario.restart()

    # --- matching --------------------------------------------------------------------------------------

    def match(self, ctx: Ctx) -> ScenarioMatch | None:
        """Each applicable scenario's first rule that holds; their effects combine, the earlier one winning
        where two set the same effect (header scenarios in header order, then the active ones)."""
        if not self._ready:
            self._ensure()
        if self._active_cache is None:
            self._active_cache = [s for s in self._all() if s.active]
        if not ctx.scenarios and not self._active_cache:
            return None  # the common case costs nothing more
        key = ctx.env.key
        named = [s for s in (self._get(n) for n in ctx.scenarios) if s is not None]
        chosen = named + [s for s in self._active_cache if s.name not in ctx.scenarios]
        hits: list[ScenarioMatch] = []
        for scenario in chosen:
            if scenario.provider != key:
                continue
            rule = next((r for r in scenario.rules if r.applies(ctx)), None)
            if rule is not None:
                hits.append(self._effects(scenario, rule))
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
    def _effects(scenario: Scenario, rule: Rule) -> ScenarioMatch:
        respond = dict(rule.respond) if rule.respond is not None else None
        return ScenarioMatch(name=scenario.name, respond=respond, latency_ms=rule.latency_ms, fault=rule.fault,
                             outcome=dict(rule.outcome) if rule.outcome else None, webhooks=dict(rule.webhooks),
                             timeout_seconds=rule.timeout_seconds)
