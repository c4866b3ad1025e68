"""Every route of /_sim/ui: static files, the dashboard, each provider's own payer pages (its `pages` hook),
then the generic payer pages (their paths are the least specific, so they come last)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from simulator.surface import Simulator
from simulator.ui import dashboard, payer
from simulator.ui.render import HERE


def build_routes(sim: Simulator) -> list[BaseRoute]:
    out: list[BaseRoute] = [Mount("/_sim/ui/static", app=StaticFiles(directory=str(HERE / "static")),
                                  name="ui-static")]
    out.extend(dashboard.routes(sim))
    for runtime in sim.providers.values():
        if runtime.hooks.pages is not None:
            out.extend(runtime.hooks.pages(runtime))
    out.extend(payer.routes(sim))
    return out
