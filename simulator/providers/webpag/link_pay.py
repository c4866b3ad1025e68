"""Paying a payment link from its payer page: the link's payer (or one registered from the page's form) and a
payment made by `process_payment` itself, so it has the same rules, shape, lifecycle and webhooks as the API's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.brdata import only_digits
from simulator.engine.context import Ctx
from simulator.engine.errors import ProviderError
from simulator.providers.webpag import payers, payments
from simulator.providers.webpag.base import PAYER, P, PAYMENT, local
from simulator.sim import Sim
from simulator.store.base import Record

METHODS = {"credit_card": "credit_card", "pix": "pix", "bankslip": "bank_slip"}  # link slug -> payment method
DAY = 86400.0


@dataclass
class Outcome:
    payment: Record | None  # the payment made (a refused card's payment too), None when the input was refused
    error: ProviderError | None = None


def accepted(link: Record) -> list[str]:
    """The link's accepted methods as link slugs (credit_card, pix, bankslip), in that order."""
    flags = {"credit_card": "credit_enabled", "pix": "pix_enabled", "bankslip": "boleto_enabled"}
    return [slug for slug, flag in flags.items() if link.get(flag)]


def _ctx(sim: Sim, link: Record, host: str, body: dict[str, Any]) -> Ctx:
    runtime = sim.providers[P]
    return Ctx(sim, runtime, "POST", "/api/payments/process", {}, {"host": host}, b"", body=body,
               account=runtime.accounts_by_id[str(link["_account"])])


def _payer_id(sim: Sim, link: Record, host: str, payer: dict[str, Any]) -> int:
    """The link's own payer, else the account's payer with that CPF/CNPJ, else one registered now."""
    if link.get("payer_id") is not None:
        return int(link["payer_id"])
    doc = only_digits(str(payer.get("cpf_cnpj", "")))
    for record in sim.store.all(P, PAYER, str(link["_account"])):
        if record["cpf_cnpj"] == doc and record["state"] == "active":
            return int(record["id"])
    body = {"cpf_cnpj": doc, "is_business": len(doc) == 14, "first_name": payer.get("first_name", ""),
            "last_name": payer.get("last_name", ""), "email": payer.get("email") or None}
    reply = payers.register_payer(_ctx(sim, link, host, body))
    return int(reply.body["data"]["id"])


def pay_link(sim: Sim, link: Record, host: str, method: str, payer: dict[str, Any],
             card: dict[str, Any] | None = None, installments: int = 1) -> Outcome:
    """Pay `link` with one of its accepted methods (a link slug). Validation and card refusals come back as
    the ProviderError the API would answer; the payment a refused card leaves (30 Falhou) comes back too."""
    if method not in accepted(link):
        return Outcome(None, ProviderError("validation", {"errors": {"method": ["invalid"]}}))
    try:
        payer_id = _payer_id(sim, link, host, payer)
    except ProviderError as err:
        return Outcome(None, err)
    body: dict[str, Any] = {"payer_id": payer_id, "name": str(link["name"]), "amount": int(link["value"]),
                            "method": METHODS[method], "payment_link_id": int(link["id"]),
                            "notification_url": link.get("_notification_url")}
    if method == "bankslip":
        due = sim.clock.now() + DAY * int(link.get("due_date_boleto") or 1)
        body["due_date"] = local(sim, due).date().isoformat()
        body["accept_after_due_date"] = bool(link.get("accept_after_due_date"))
    elif method == "credit_card":
        body["card"] = dict(card or {})
        body["installments"] = installments
    before = {str(r["id"]) for r in sim.store.all(P, PAYMENT, str(link["_account"]))}
    try:
        reply = payments.process_payment(_ctx(sim, link, host, body))
    except ProviderError as err:
        made = [r for r in sim.store.all(P, PAYMENT, str(link["_account"])) if str(r["id"]) not in before]
        return Outcome(made[-1] if made else None, err)
    return Outcome(sim.store.get(P, PAYMENT, str(reply.body["data"]["id"])))
