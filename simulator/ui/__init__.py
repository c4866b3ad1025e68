"""The web dashboard (/_sim/ui) and the payer's pages (/_sim/ui/pay/...), served by the simulator itself.

Importing this package registers its route builder in the control API's EXTRA_ROUTES (once).
"""

from simulator.control.routes import EXTRA_ROUTES
from simulator.ui.routes import build_routes

if build_routes not in EXTRA_ROUTES:
    EXTRA_ROUTES.append(build_routes)

__all__ = ["build_routes"]
