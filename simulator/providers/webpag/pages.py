"""WebPag's payment-link page, at the link's `url` (`<base>/webpag/payment-link/<id>/<hash>`, the documented shape
on the simulator's host; also `<base>/_sim/ui/pay/webpag/link/<id>` for the dashboard): the payer pays with one
of the link's accepted methods. The payer (when the link names none) and the payment are made by the API's own
operations (`register_payer`, `process_payment`: their rules, lifecycle and webhooks), then the page shows the
result, or sends the payer on to the Pix or boleto page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.brdata import only_digits
from simulator.engine.errors import ProviderError
from simulator.engine.provider import ProviderRuntime
from simulator.providers.webpag.base import LINK, PAYER, PAYMENT, label
from simulator.records import Record
from simulator.ui.forms import form, is_http_url
from simulator.ui.meaning import tone
from simulator.ui.render import not_found, page, provider_templates, redirect
from simulator.engine.digits import is_digits

DAY = 86400.0
METHODS = {"credit_card": "credit_card", "pix": "pix", "bankslip": "bank_slip"}  # link slug -> payment method
METHOD_NAMES = {"credit_card": "Cartão de crédito", "pix": "Pix", "bankslip": "Boleto"}
# the API's field names -> the page's inputs
FIELDS = {"card.number": "number", "card.expiration_month": "expiry", "card.expiration_year": "expiry",
          "card.security_code": "cvv", "card.name": "holder", "cpf_cnpj": "cpf_cnpj", "first_name": "first_name",
          "last_name": "last_name", "email": "email", "installments": "installments"}


def accepted(link: Record) -> list[str]:
    """The link's accepted methods as link slugs (credit_card, pix, bankslip), in that order."""
    flags = {"credit_card": "credit_enabled", "pix": "pix_enabled", "bankslip": "boleto_enabled"}
    return [slug for slug, flag in flags.items() if link.get(flag)]


def _card(values: dict[str, str]) -> dict[str, str]:
    """The page's card inputs as the API's `card` object (expiry MM/AA or MM/AAAA)."""
    m = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{2}|\d{4})", values.get("expiry", ""))
    month, year = (m.group(1).zfill(2), m.group(2) if len(m.group(2)) == 4 else "20" + m.group(2)) if m else ("", "")
    return {"number": re.sub(r"[\s-]", "", values.get("number", "")), "expiration_month": month,
            "expiration_year": year, "security_code": values.get("cvv", ""), "name": values.get("holder", "")}


def _refusal(err: ProviderError) -> str:
    """The acquirer's refusal as the payer reads it (its ReturnMessage), else the error's text."""
    previous = err.values.get("detail") or err.values.get("error_previous")
    try:
        answer = json.loads(str(previous))
        return str(answer.get("ReturnMessage") or previous) if isinstance(answer, dict) else str(previous)
    except ValueError:
        return str(previous or err.values.get("error") or err.name)


def _field_errors(err: ProviderError) -> tuple[dict[str, str], list[str]]:
    by_input: dict[str, str] = {}
    other: list[str] = []
    for name, messages in (err.values.get("errors") or {}).items():
        text = str((messages or [""])[0])
        if name in FIELDS:
            by_input.setdefault(FIELDS[name], text)
        else:
            other.append(text)
    return by_input, other


def pages(runtime: ProviderRuntime) -> list[BaseRoute]:
    env = runtime.env
    provider_templates(env.key, Path(__file__).resolve().parent / "templates")

    async def payer_id(link: Record, host: str, values: dict[str, str]) -> int:
        """The link's own payer, else the account's active payer with that CPF/CNPJ, else one registered now."""
        if link.get("payer_id") is not None:
            return int(link["payer_id"])
        scope = env.records(link.meta.account)
        doc = only_digits(values.get("cpf_cnpj", ""))
        for record in scope.all(PAYER):
            if record["cpf_cnpj"] == doc and record["state"] == "active":
                return int(record["id"])
        body = {"cpf_cnpj": doc, "is_business": len(doc) == 14, "first_name": values.get("first_name", ""),
                "last_name": values.get("last_name", ""), "email": values.get("email") or None}
        ctx = runtime.context(env.account(link.meta.account), _sent(body), host, "/api/payers/register")
        reply = await runtime.call("register_payer", ctx)
        return int(reply.body["data"]["id"])

    async def pay(link: Record, host: str, method: str, values: dict[str, str]) -> tuple[Record | None,
                                                                                          ProviderError | None]:
        """Pay `link` with one of its accepted methods; a refusal comes back as the API's error, with the payment
        a refused card leaves (30 Falhou) when there is one."""
        if method not in accepted(link):
            return None, ProviderError("validation", {"errors": {"method": ["invalid"]}})
        try:
            payer = await payer_id(link, host, values)
        except ProviderError as err:
            return None, err
        body: dict[str, object] = {"payer_id": payer, "name": str(link["name"]), "amount": int(link["value"]),
                                 "method": METHODS[method], "payment_link_id": str(link["id"]),
                                 "notification_url": link.private.get("notification_url")}
        if method == "bankslip":
            due = env.clock.now() + DAY * int(link.get("due_date_boleto") or 1)
            body["due_date"] = env.time.at(due).date().isoformat()
            body["accept_after_due_date"] = bool(link.get("accept_after_due_date"))
        elif method == "credit_card":
            body["card"] = _card(values)
            body["installments"] = int(values["installments"]) if is_digits(values.get("installments", "")) else 1
        scope = env.records(link.meta.account)
        before = {str(r["id"]) for r in scope.all(PAYMENT)}
        ctx = runtime.context(env.account(link.meta.account), _sent(body), host, "/api/payments/process")
        try:
            reply = await runtime.call("process_payment", ctx)
        except ProviderError as err:
            made = [r for r in scope.all(PAYMENT) if str(r["id"]) not in before]
            return (made[-1] if made else None), err
        return scope.get(PAYMENT, reply.body["data"]["id"]), None

    def result(link: Record, raw: str | None) -> dict[str, object] | None:
        payment = env.records(link.meta.account).get(PAYMENT, raw) if raw else None
        if payment is None or payment.get("payment_link_id") != link["id"]:
            return None
        code, text = label(env, "payment_status", str(payment["state"]))
        return {"id": payment["id"], "state": payment["state"], "code": code, "label": text,
                "tone": tone(env.machine(PAYMENT), str(payment["state"]))}

    async def link_page(request: Request) -> Response:
        ident = request.path_params["id"]
        link = env.view.get(LINK, ident)
        given = request.path_params.get("hash")
        if link is None or (given is not None and given != link.private.get("hash")):
            return not_found(request, f"No payment link {ident!r} at WebPag.")
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        general: list[str] = []
        refused: dict[str, object] | None = None
        expired = str(link.private.get("validity", ""))[:19] <= env.clock.now_iso()[:19]
        if request.method == "POST" and not expired:
            values = await form(request)
            method = values.get("method", "")
            payment, err = await pay(link, request.headers.get("host", "127.0.0.1"), method, values)
            await env.settle()
            if err is None and payment is not None:
                return _after(link, method, payment, request.url.path)
            if err is not None and payment is not None:
                refused = {"id": payment["id"], "message": _refusal(err), "error": err.values.get("error")}
            elif err is not None:
                errors, general = _field_errors(err)
        account = env.account(link.meta.account)
        return page(request, "webpag/link.html", status=422 if errors or general or refused else 200,
                    title="WebPag link", link=link, amount=env.money.printed(link["value"]),
                    merchant=account.name if account else "", methods=accepted(link), names=METHOD_NAMES,
                    values=values, errors=errors, general=general, refused=refused, expired=expired,
                    result=result(link, request.query_params.get("payment")),
                    installments=range(1, int(link.get("number_installments") or 1) + 1),
                    magic=(env.config.section("magic_cards") or {}))

    return [Route(f"/{env.key}/payment-link/{{id}}/{{hash}}", link_page, methods=["GET", "POST"]),
            Route("/_sim/ui/pay/webpag/link/{id}", link_page, methods=["GET", "POST"])]


def _sent(body: dict[str, object]) -> dict[str, object]:
    """A body as a client would send it: the fields that have a value."""
    return {k: v for k, v in body.items() if v is not None}


def _after(link: Record, method: str, payment: Record, here: str) -> Response:
    """Pix and boleto go to their pages; a card goes back to the shop (return_url) or to the result."""
    if method == "pix":
        return redirect(f"/_sim/ui/pay/webpag/pix/{payment['id']}")
    if method == "bankslip":
        return redirect(f"/_sim/ui/pay/webpag/boleto/{payment['id']}")
    if is_http_url(link.get("return_url")):
        return redirect(str(link["return_url"]))
    return redirect(f"{here}?payment={payment['id']}")
