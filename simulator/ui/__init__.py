"""The web dashboard (/_sim/ui) and the payer's pages (/_sim/ui/pay/...), served by the simulator itself.

Generic machinery only: no module here imports a provider. Provider-specific pages come from each provider's
`pages` hook; the app registers every route group explicitly (`simulator.ui.routes.build_routes`).
"""
