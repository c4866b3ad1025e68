"""Payer pages for any provider, located through its HOOKS.find: Pix (QR + copy-paste), boleto (printable),
bank authentication of a debit card (approve/deny, back to the return URL) and payment links."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.sim import Sim
from simulator.store.base import Record
from simulator.ui.codes import find_boleto, find_brcode, itf_svg, qr_svg
from simulator.ui.data import AMOUNT_FIELDS
from simulator.ui.forms import form, is_http_url
from simulator.ui.money import money
from simulator.ui.render import find_value, not_found, page, public, redirect
from simulator.ui.settle import settle, target

RETURN_FIELDS = ("returnUrl", "return_url", "redirect_url", "callback_url", "url_retorno")
DESCRIPTION_FIELDS = ("description", "descricao", "reference_description", "instructions", "name")
PAGES = {"pix": "pay/pix.html", "boleto": "pay/boleto.html", "debit": "pay/debit.html", "link": "pay/link.html"}


def locate(sim: Sim, provider: str, ident: str) -> tuple[str, Record] | None:
    """(kind, record) of a provider's id through its own find hook, if it lives on a state machine."""
    runtime = sim.providers.get(provider)
    if runtime is None or runtime.hooks.find is None:
        return None
    found = runtime.hooks.find(sim, ident)
    if found is None or (provider, found[0]) not in sim.lifecycles.machines:
        return None
    record = sim.store.get(provider, found[0], found[1])
    return (found[0], record) if record is not None else None


def summary(sim: Sim, provider: str, kind: str, record: Record) -> dict[str, Any]:
    machine = sim.lifecycles.machine(provider, kind)
    account = sim.providers[provider].accounts_by_id.get(str(record.get("_account")))
    return {"provider": sim.providers[provider].name, "key": str(record.get(machine.key_field)),
            "status": str(record.get(machine.field)),
            "amount": money(sim, provider, find_value(record, AMOUNT_FIELDS)),
            "description": find_value(record, DESCRIPTION_FIELDS), "merchant": account.name if account else "",
            "can_pay": target(sim, provider, kind, record, True) is not None,
            "can_deny": target(sim, provider, kind, record, False) is not None}


def routes(sim: Sim) -> list[BaseRoute]:
    def endpoint(which: str) -> Any:
        async def handle(request: Request) -> Response:
            provider, ident = request.path_params["provider"], request.path_params["id"]
            found = locate(sim, provider, ident)
            if found is None and which == "link":
                return _static_link(request, sim, provider, ident)
            if found is None:
                return not_found(request, f"No payment {ident!r} at {provider}.")
            kind, record = found
            extra: dict[str, Any] = {}
            if which == "pix":
                code = find_brcode(record)
                if code is None:
                    return not_found(request, f"{provider} {ident} has no Pix code.")
                extra = {"brcode": code, "qr": qr_svg(code)}
            elif which == "boleto":
                boleto = find_boleto(record)
                if boleto is None:
                    return not_found(request, f"{provider} {ident} has no boleto.")
                extra = {"boleto": boleto, "bars": itf_svg(boleto["barcode"])}
            elif which == "link":
                extra = {"brcode": find_brcode(record), "boleto": find_boleto(record)}
            if request.method == "POST":
                values = await form(request)
                success = values.get("action") in ("pay", "approve")
                await settle(sim, provider, kind, record, success,
                             None if success else values.get("message") or None)
                back = find_value(record, RETURN_FIELDS)
                if which == "debit" and is_http_url(back):
                    return redirect(str(back))
                return redirect(str(request.url))
            info = summary(sim, provider, kind, record)
            return page(request, PAGES[which], title=f"{info['provider']} {which}", tx=info, ident=ident,
                        provider_key=provider, fields=public(record), back=find_value(record, RETURN_FIELDS),
                        **extra)
        return handle

    out: list[BaseRoute] = [Route(f"/_sim/ui/pay/{{provider}}/{which}/{{id}}", endpoint(which),
                                  methods=["GET", "POST"]) for which in PAGES]
    # a provider's own payment page (WidePay's <base>/_sim/ui/pay/widepay/<id>): Pix, boleto or pay
    out.append(Route("/_sim/ui/pay/{provider}/{id}", endpoint("link"), methods=["GET", "POST"]))
    return out


def _static_link(request: Request, sim: Sim, provider: str, ident: str) -> Response:
    """A payment link that is not itself on a state machine (WebPag's): what the payer is asked to pay."""
    record = next((sim.store.get(provider, kind, ident) for kind in ("link", "payment_link")
                   if sim.store.get(provider, kind, ident) is not None), None)
    if record is None or sim.providers.get(provider) is None:
        return not_found(request, f"No payment link {ident!r} at {provider}.")
    account = sim.providers[provider].accounts_by_id.get(str(record.get("_account")))
    info = {"provider": sim.providers[provider].name, "key": ident, "status": "active",
            "amount": money(sim, provider, find_value(record, AMOUNT_FIELDS)),
            "description": find_value(record, DESCRIPTION_FIELDS),
            "merchant": account.name if account else "", "can_pay": False, "can_deny": False}
    return page(request, "pay/link.html", title=f"{info['provider']} link", tx=info, ident=ident,
                provider_key=provider, fields=public(record), back=find_value(record, RETURN_FIELDS),
                brcode=None, boleto=None)
