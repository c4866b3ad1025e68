"""ClicPay's payer pages: the NetShop hosted checkout (card form) and the phone that answers USSD pushes.

Both move the transaction as the force endpoint does (its state machine), then run the due work so the webhook
is delivered before the payer is redirected.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.behaviour.config import PlanData
from simulator.brdata.cards import card_brand, last4, luhn_is_valid
from simulator.brdata.msisdn import normalize_moz_msisdn
from simulator.engine.digits import is_digits
from simulator.engine.env import ProviderEnv
from simulator.engine.provider import ProviderRuntime
from simulator.providers.clicpay.transactions import SESSION, TX, WALLET
from simulator.records import Record
from simulator.ui.forms import form, is_http_url, with_query
from simulator.ui.meaning import tone
from simulator.ui.render import not_found, page, provider_templates, redirect

MOBILE = ("mpesa", "emola", "mkesh")
PUSHED = ("c2b", "c2b_direct")  # B2C pays the customer out: no USSD prompt
CHANNEL_NAMES = {"mpesa": "M-Pesa", "emola": "e-Mola", "mkesh": "mKesh", "card": "NetShop"}
# The same words as behaviour.yaml's magic msisdns for the same outcomes
REJECTED = "Cliente rejeitou o pedido USSD"
EXPIRED = "Tempo de resposta do cliente esgotado"
CANCELLED = "Pagamento cancelado pelo cliente"


def _session_tx(env: ProviderEnv, session_id: str) -> Record | None:
    session = env.view.get(SESSION, session_id)
    return env.view.get(TX, str(session["clicpay_reference"])) if session else None


def _merchant(env: ProviderEnv, tx: Record) -> dict[str, str]:
    account = env.account(tx.meta.account)
    wallet = env.view.get(WALLET, tx["wallet_id"])
    return {"name": account.name if account else "", "wallet": wallet.get("name", "") if wallet else ""}


def _card_errors(values: dict[str, str], now_iso: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    number = re.sub(r"[\s-]", "", values.get("number", ""))
    if not is_digits(number) or not 12 <= len(number) <= 19 or not luhn_is_valid(number):
        errors["number"] = "Enter a valid card number."
    m = re.fullmatch(r"(\d{2})\s*/\s*(\d{2})", values.get("expiry", ""))
    if m is None or not 1 <= int(m.group(1)) <= 12:
        errors["expiry"] = "Enter the expiry date as MM/YY."
    elif (2000 + int(m.group(2)), int(m.group(1))) < (int(now_iso[:4]), int(now_iso[5:7])):
        errors["expiry"] = "This card has expired."
    if not re.fullmatch(r"\d{3,4}", values.get("cvc", "")):
        errors["cvc"] = "Enter the 3 or 4 digit security code."
    if not values.get("name"):
        errors["name"] = "Enter the name on the card."
    return errors


def _failure_indicator(env: ProviderEnv, tx: Record) -> str:
    while True:
        value = "".join(env.rng().choice("0123456789abcdef") for _ in range(16))
        if value != tx.get("success_indicator"):
            return value


async def _finish(env: ProviderEnv, tx: Record, to: str, message: str | None) -> Record:
    record = env.transition(env.view, TX, str(tx["clicpay_reference"]), to, message, cause="payer")
    await env.settle()
    return record


def _pushes(env: ProviderEnv) -> list[Record]:
    """Pending ClicPay mobile-money collections: each is a USSD prompt on the payer's phone."""
    return [tx for tx in env.view.all(TX) if tx.get("status") == "pending"
            and tx.get("channel") in MOBILE and tx.get("type") in PUSHED and tx.get("msisdn")]


def pages(runtime: ProviderRuntime) -> list[BaseRoute]:
    env = runtime.env
    provider_templates(env.key, Path(__file__).resolve().parent / "templates")
    cards: dict[str, PlanData] = dict((env.config.section("card") or {}).get("magic_cards") or {})
    decl = env.machine(TX)

    async def checkout(request: Request) -> Response:
        session_id = request.path_params["session_id"]
        tx = _session_tx(env, session_id)
        if tx is None:
            return not_found(request, f"No checkout session {session_id}.")
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        if request.method == "POST" and tx["status"] == "pending":
            values = await form(request)
            if values.get("action") == "cancel":
                return await _leave(tx, "cancelled", CANCELLED)
            errors = _card_errors(values, env.clock.now_iso())
            if not errors:
                number = re.sub(r"[\s-]", "", values["number"])
                tx.private["card"] = {"brand": card_brand(number), "last4": last4(number)}
                outcome = cards.get(number) or {}
                return await _leave(tx, str(outcome.get("to", "successful")), outcome.get("message"))
        return page(request, "clicpay/checkout.html", status=422 if errors else 200, title="Checkout", tx=tx,
                    merchant=_merchant(env, tx), values=values, errors=errors, magic=cards, session_id=session_id,
                    tone=tone(decl, str(tx["status"])))

    async def _leave(tx: Record, to: str, message: str | None) -> Response:
        await _finish(env, tx, to, message)
        indicator = tx["success_indicator"] if to == "successful" else _failure_indicator(env, tx)
        callback = tx.get("callback_url")
        if is_http_url(callback):
            return redirect(with_query(str(callback), {"resultIndicator": str(indicator),
                                                       "sessionId": str(tx["session_id"])}))
        return redirect(f"/_sim/ui/pay/clicpay/checkout/{tx['session_id']}")

    async def phone_index(request: Request) -> Response:
        typed = request.query_params.get("msisdn")
        if typed:
            return redirect(f"/_sim/ui/pay/phone/{normalize_moz_msisdn(typed) or typed}")
        counts: dict[str, int] = {}
        for tx in _pushes(env):
            counts[str(tx["msisdn"])] = counts.get(str(tx["msisdn"]), 0) + 1
        return page(request, "clicpay/phones.html", title="Phone", counts=counts)

    async def phone(request: Request) -> Response:
        msisdn = request.path_params["msisdn"]
        pending = [tx for tx in _pushes(env) if str(tx["msisdn"]) == msisdn]
        done_ref = request.query_params.get("done")
        done = env.view.get(TX, done_ref) if done_ref else None
        error = ""
        if request.method == "POST":
            values = await form(request)
            tx = env.view.get(TX, values.get("reference", ""))
            if tx is None or tx not in pending:
                return not_found(request, "That request is no longer waiting for an answer.")
            action = values.get("action")
            if action == "accept" and not re.fullmatch(r"\d{4}", values.get("pin", "")):
                error = "The PIN has 4 digits."
            elif action in ("accept", "reject", "expire"):
                to, message = {"accept": ("successful", None), "reject": ("failed", REJECTED),
                               "expire": ("failed", EXPIRED)}[action]
                await _finish(env, tx, to, message)
                return redirect(f"/_sim/ui/pay/phone/{msisdn}?done={tx['clicpay_reference']}")
        return page(request, "clicpay/phone.html", status=422 if error else 200, title=f"Phone {msisdn}",
                    msisdn=msisdn, pending=[(tx, _merchant(env, tx)) for tx in pending], done=done,
                    done_tone=tone(decl, str(done["status"])) if done else "", error=error,
                    channels=CHANNEL_NAMES)

    return [
        Route("/_sim/ui/pay/clicpay/checkout/{session_id}", checkout, methods=["GET", "POST"]),
        Route("/_sim/ui/pay/phone", phone_index, methods=["GET"]),
        Route("/_sim/ui/pay/phone/{msisdn}", phone, methods=["GET", "POST"]),
    ]
