"""The dashboard's pages. They only read; every button on them calls a /_sim JSON endpoint from ui.js."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.surface import Simulator
from simulator.ui import data, meaning
from simulator.ui.render import not_found, page, page_number, paginate

ADVANCES = [("+5 s", 5), ("+1 min", 60), ("+1 h", 3600), ("+1 day", 86400)]


def _filters(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    q = request.query_params
    return {n: q[n] for n in names if q.get(n)}


def routes(sim: Simulator) -> list[BaseRoute]:
    async def overview(request: Request) -> Response:
        providers = [p.public() for p in sim.providers.values()]
        return page(request, "overview.html", title="Overview", nav="overview", providers=providers,
                    clock={"now": sim.clock.now_iso(), "mode": sim.clock.mode}, advances=ADVANCES,
                    counts={p: {k: r.env.view.count(k) for k in data.machine_kinds(sim, p)}
                            for p, r in sim.providers.items()})

    async def transactions(request: Request) -> Response:
        f = _filters(request, ("provider", "kind", "account", "status"))
        if "|" in request.query_params.get("pk", ""):
            f["provider"], _, f["kind"] = request.query_params["pk"].partition("|")
        choices = [(p, k) for p in sim.providers for k in data.machine_kinds(sim, p)]
        if not choices:
            return page(request, "message.html", title="Transactions", nav="transactions",
                        message="No provider declares a state machine.")
        provider = f["provider"] if f.get("provider") in sim.providers else choices[0][0]
        kinds = data.machine_kinds(sim, provider) or [""]
        kind = f["kind"] if f.get("kind") in kinds else kinds[0]
        if not kind:
            return page(request, "message.html", title="Transactions", nav="transactions",
                        message=f"{provider} declares no state machine.")
        rows = data.rows(sim, provider, kind, f.get("account"), f.get("status"))
        return page(request, "transactions.html", title="Transactions", nav="transactions", choices=choices,
                    provider=provider, kind=kind, kinds=kinds, filters=f, accounts=data.accounts(sim, provider),
                    statuses=data.statuses(sim, provider, kind), pager=paginate(rows, page_number(request)))

    async def transaction(request: Request) -> Response:
        p = request.path_params
        record = data.record_of(sim, p["provider"], p["kind"], p["key"])
        if record is None:
            return not_found(request, f"No {p['kind']} {p['key']!r} at {p['provider']}.")
        runtime = sim.providers[p["provider"]]
        info = data.detail(sim, runtime, p["kind"], record)
        return page(request, "transaction.html", title=f"{p['provider']} {info['key']}", nav="transactions",
                    tx=info, payer_links=meaning.payer_links(runtime, p["kind"], record))

    async def requests(request: Request) -> Response:
        f = _filters(request, ("provider", "method", "path", "status", "operation"))
        entries = sim.journal.query(provider=f.get("provider"), method=f.get("method"), path=f.get("path"),
                                    status=f.get("status"), operation=f.get("operation"))
        entries.reverse()
        return page(request, "requests.html", title="Request journal", nav="requests", filters=f,
                    providers=sorted(sim.providers), pager=paginate(entries, page_number(request)))

    async def request_detail(request: Request) -> Response:
        raw = request.path_params["id"]
        entry = next((e for e in sim.journal.entries if str(e.get("id")) == raw), None)
        if entry is None:
            return not_found(request, f"No request {raw} in the journal (it keeps the latest entries).")
        return page(request, "request.html", title=f"Request {raw}", nav="requests", entry=entry)

    async def webhooks(request: Request) -> Response:
        f = _filters(request, ("provider", "state", "event_id"))
        deliveries = sim.outbox.query(f.get("provider"), f.get("state"), f.get("event_id"))
        deliveries.reverse()
        return page(request, "webhooks.html", title="Webhook deliveries", nav="webhooks", filters=f,
                    providers=sorted(sim.providers), states=["delivered", "retrying", "failed", "dropped"],
                    pager=paginate(deliveries, page_number(request)))

    async def scenarios(request: Request) -> Response:
        return page(request, "scenarios.html", title="Scenarios", nav="scenarios",
                    scenarios=sim.scenarios.describe())

    return [
        Route("/_sim/ui", overview, methods=["GET"]),
        Route("/_sim/ui/", overview, methods=["GET"]),
        Route("/_sim/ui/transactions", transactions, methods=["GET"]),
        Route("/_sim/ui/transactions/{provider}/{kind}/{key}", transaction, methods=["GET"]),
        Route("/_sim/ui/requests", requests, methods=["GET"]),
        Route("/_sim/ui/requests/{id}", request_detail, methods=["GET"]),
        Route("/_sim/ui/webhooks", webhooks, methods=["GET"]),
        Route("/_sim/ui/scenarios", scenarios, methods=["GET"]),
    ]

