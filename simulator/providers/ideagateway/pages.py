"""Idea Gateway's payer page: the card issuer's authentication of a debit card (the `redirectUrl` it answers),
where the payer approves or denies, then goes back to the shop's `returnUrl`."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.engine.provider import ProviderRuntime
from simulator.ui import meaning
from simulator.ui.forms import form
from simulator.ui.payer import summary
from simulator.ui.render import not_found, page, provider_templates, redirect
from simulator.ui.settle import settle

DEBIT = "debitCard"


def pages(runtime: ProviderRuntime) -> list[BaseRoute]:
    env = runtime.env
    provider_templates(env.key, Path(__file__).resolve().parent / "templates")

    async def debit(request: Request) -> Response:
        ident = request.path_params["id"]
        card = env.view.get(DEBIT, ident)
        if card is None:
            return not_found(request, f"No payment {ident!r} at {runtime.key}.")
        back = meaning.return_url(runtime, DEBIT, card)
        if request.method == "POST":
            values = await form(request)
            approved = values.get("action") == "approve"
            await settle(env, DEBIT, card, approved, None if approved else values.get("message") or None)
            return redirect(back or str(request.url))
        return page(request, "ideagateway/debit.html", title=f"{runtime.name} debit", tx=summary(runtime, DEBIT, card),
                    ident=ident, provider_key=runtime.key, back=back)

    return [Route("/_sim/ui/pay/ideagateway/debit/{id}", debit, methods=["GET", "POST"])]
