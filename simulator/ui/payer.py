"""The payer's pages every provider gets from its declarations: a payment link (`/_sim/ui/pay/<key>/<id>`), the
Pix page (QR and copy-and-paste code) and the printable boleto. A record is found through the provider's `find`
hook, its amount and description through `fields:`, its codes through the `codes` hook (or declared `pix` and
`boleto` fields), and what the payer's buttons do through the lifecycle's `outcomes:`."""

from __future__ import annotations

from typing import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.engine.provider import ProviderRuntime
from simulator.records import JSON, Record
from simulator.surface import Simulator
from simulator.ui import meaning
from simulator.ui.codes import itf_svg, qr_svg
from simulator.ui.forms import form
from simulator.ui.render import not_found, page, redirect
from simulator.ui.settle import settle, target

Endpoint = Callable[[Request], Awaitable[Response]]


def locate(sim: Simulator, provider: str, ident: str) -> tuple[ProviderRuntime, str, Record] | None:
    """(runtime, kind, record) of a provider's id through its own find hook, if it lives on a state machine."""
    runtime = sim.providers.get(provider)
    if runtime is None or runtime.hooks.find is None:
        return None
    found = runtime.hooks.find(runtime.env, ident)
    if found is None or not sim.lifecycles.has(provider, found[0]):
        return None
    record = runtime.env.view.get(found[0], found[1])
    return (runtime, found[0], record) if record is not None else None


def summary(runtime: ProviderRuntime, kind: str, record: Record) -> dict[str, object]:
    """What every payer page shows: who is paid, how much, for what, and what the payer can do now."""
    decl = runtime.env.machine(kind)
    account = runtime.env.account(record.meta.account)
    state = str(record.get(decl.field, ""))
    return {"provider": runtime.name, "key": str(record.get(decl.key)), "status": state,
            "tone": meaning.tone(decl, state), "amount": meaning.amount(runtime, kind, record),
            "description": meaning.description(runtime, kind, record), "merchant": account.name if account else "",
            "can_pay": target(runtime.env, kind, record, True) is not None,
            "can_deny": target(runtime.env, kind, record, False) is not None}


def routes(sim: Simulator) -> list[BaseRoute]:
    def endpoint(which: str) -> Endpoint:
        async def handle(request: Request) -> Response:
            provider, ident = request.path_params["provider"], request.path_params["id"]
            found = locate(sim, provider, ident)
            if found is None:
                return not_found(request, f"No payment {ident!r} at {provider}.")
            runtime, kind, record = found
            codes = meaning.codes(runtime, kind, record)
            brcode, boleto = meaning.brcode(codes.pix), meaning.boleto(codes.boleto)
            extra: dict[str, JSON] = {}
            if which == "pix":
                if brcode is None:
                    return not_found(request, f"{provider} {ident} has no Pix code.")
                extra = {"brcode": brcode, "qr": qr_svg(brcode)}
            elif which == "boleto":
                if boleto is None:
                    return not_found(request, f"{provider} {ident} has no boleto.")
                extra = {"boleto": boleto, "bars": itf_svg(boleto["barcode"])}
            else:
                extra = {"brcode": brcode, "boleto": boleto}
            if request.method == "POST":
                values = await form(request)
                success = values.get("action") == "pay"
                await settle(runtime.env, kind, record, success, None if success else values.get("message") or None)
                return redirect(str(request.url))
            info = summary(runtime, kind, record)
            return page(request, f"pay/{which}.html", title=f"{info['provider']} {which}", tx=info, ident=ident,
                        provider_key=provider, fields=dict(record), back=meaning.return_url(runtime, kind, record),
                        **extra)
        return handle

    return [Route("/_sim/ui/pay/{provider}/pix/{id}", endpoint("pix"), methods=["GET", "POST"]),
            Route("/_sim/ui/pay/{provider}/boleto/{id}", endpoint("boleto"), methods=["GET", "POST"]),
            # a provider's own payment link (WidePay's `link`): Pix, boleto, or pay and cancel
            Route("/_sim/ui/pay/{provider}/{id}", endpoint("link"), methods=["GET", "POST"])]
