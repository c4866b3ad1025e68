"""An ASGI factory for multi-worker servers: settings come from PROVIDER_SIM_SETTINGS (set by the CLI)."""

from __future__ import annotations

from simulator.app import SimulatorApp, build_app
from simulator.cli import settings_from_env, tune_gc


def create() -> SimulatorApp:
    settings = settings_from_env()
    app = build_app(settings)
    load = getattr(app.sim.scenarios, "load_files", None)
    if load is not None:
        load(settings.scenario_files)
    tune_gc()
    return app
