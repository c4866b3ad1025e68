"""WebPag's payment-link page (`<base>/_sim/ui/pay/webpag/link/<id>`, the link's `url`): the payer pays with one
of the link's accepted methods. The payment is made by the provider's own process_payment (link_pay.pay_link),
so it has the API's rules, lifecycle and webhook; then the page shows the result, the Pix QR or the boleto."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError
from simulator.providers.webpag import link_pay
from simulator.providers.webpag.base import LINK, P, PAYMENT, label
from simulator.sim import Sim
from simulator.store.base import Record
from simulator.ui.forms import form, is_http_url
from simulator.ui.money import money
from simulator.ui.render import not_found, page, redirect

# the API's field names -> the page's inputs
FIELDS = {"card.number": "number", "card.expiration_month": "expiry", "card.expiration_year": "expiry",
          "card.security_code": "cvv", "card.name": "holder", "cpf_cnpj": "cpf_cnpj", "first_name": "first_name",
          "last_name": "last_name", "email": "email", "installments": "installments"}
METHOD_NAMES = {"credit_card": "Cartão de crédito", "pix": "Pix", "bankslip": "Boleto"}


def _card(values: dict[str, str]) -> dict[str, Any]:
    """The page's card inputs as the API's `card` object (expiry MM/AA or MM/AAAA)."""
    m = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{2}|\d{4})", values.get("expiry", ""))
    month, year = (m.group(1).zfill(2), m.group(2) if len(m.group(2)) == 4 else "20" + m.group(2)) if m else ("", "")
    return {"number": re.sub(r"[\s-]", "", values.get("number", "")), "expiration_month": month,
            "expiration_year": year, "security_code": values.get("cvv", ""), "name": values.get("holder", "")}


def _refusal(err: ProviderError) -> str:
    previous = err.values.get("error_previous")
    try:
        answer = json.loads(str(previous))
        return str(answer.get("ReturnMessage") or previous) if isinstance(answer, dict) else str(previous)
    except ValueError:
        return str(previous or err.values.get("error") or err.name)


def _field_errors(err: ProviderError) -> tuple[dict[str, str], list[str]]:
    by_input: dict[str, str] = {}
    other: list[str] = []
    for field, messages in (err.values.get("errors") or {}).items():
        text = str((messages or [""])[0])
        if field in FIELDS:
            by_input.setdefault(FIELDS[field], text)
        else:
            other.append(text)
    return by_input, other


def _expired(sim: Sim, link: Record) -> bool:
    return str(link.get("_validity", ""))[:19] <= sim.clock.now_iso()[:19]


def _result(sim: Sim, link: Record, raw: str | None) -> dict[str, Any] | None:
    payment = sim.store.get(P, PAYMENT, raw) if raw else None
    if payment is None or payment.get("payment_link_id") != link["id"]:
        return None
    code, text = label(sim, "payment_status", str(payment["state"]))
    return {"id": payment["id"], "state": payment["state"], "code": code, "label": text}


def routes(sim: Sim) -> list[BaseRoute]:
    async def link_page(request: Request) -> Response:
        ident = request.path_params["id"]
        link = sim.store.get(P, LINK, ident) if P in sim.providers else None
        if link is None:
            return not_found(request, f"No payment link {ident!r} at WebPag.")
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        general: list[str] = []
        refused: dict[str, Any] | None = None
        expired = _expired(sim, link)
        if request.method == "POST" and not expired:
            values = await form(request)
            method = values.get("method", "")
            installments = int(values["installments"]) if is_digits(values.get("installments", "")) else 1
            outcome = link_pay.pay_link(sim, link, request.headers.get("host", "127.0.0.1"), method, values,
                                        _card(values) if method == "credit_card" else None, installments)
            await sim.scheduler.run_due()
            payment, err = outcome.payment, outcome.error
            if err is None and payment is not None:
                return _after(link, method, payment)
            if err is not None and payment is not None:
                refused = {"id": payment["id"], "message": _refusal(err), "error": err.values.get("error")}
            elif err is not None:
                errors, general = _field_errors(err)
        account = sim.providers[P].accounts_by_id.get(str(link["_account"]))
        return page(request, "pay/webpag_link.html", status=422 if errors or general or refused else 200,
                    title="WebPag link", link=link, amount=money(sim, P, link["value"]),
                    merchant=account.name if account else "", methods=link_pay.accepted(link),
                    names=METHOD_NAMES, values=values, errors=errors, general=general, refused=refused,
                    expired=expired, result=_result(sim, link, request.query_params.get("payment")),
                    installments=range(1, int(link.get("number_installments") or 1) + 1),
                    magic=(sim.providers[P].behaviour.get("magic_cards") or {}))

    return [Route("/_sim/ui/pay/webpag/link/{id}", link_page, methods=["GET", "POST"])]


def _after(link: Record, method: str, payment: Record) -> Response:
    """Pix and boleto go to their pages; a card goes back to the shop (return_url) or to the result."""
    if method == "pix":
        return redirect(f"/_sim/ui/pay/webpag/pix/{payment['id']}")
    if method == "bankslip":
        return redirect(f"/_sim/ui/pay/webpag/boleto/{payment['id']}")
    if is_http_url(link.get("return_url")):
        return redirect(str(link["return_url"]))
    return redirect(f"/_sim/ui/pay/webpag/link/{link['id']}?payment={payment['id']}")
