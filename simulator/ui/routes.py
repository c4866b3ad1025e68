"""The route builder registered in the control API: dashboard pages, payer pages and their static files."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from simulator.sim import Sim
from simulator.ui import dashboard, pay_clicpay, pay_generic, pay_webpag
from simulator.ui.render import HERE

GROUPS = [dashboard.routes, pay_clicpay.routes, pay_webpag.routes, pay_generic.routes]  # specific before generic


def build_routes(sim: Sim) -> list[BaseRoute]:
    out: list[BaseRoute] = [Mount("/_sim/ui/static", app=StaticFiles(directory=str(HERE / "static")),
                                  name="ui-static")]
    for group in GROUPS:
        out.extend(group(sim))
    return out
