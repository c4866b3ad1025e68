"""Creating payments and moving them: the one place a payment record is built, started and charged.

Handlers, installment plans, payment links and recurrence charges all come through here, so every payment has
the same shape, the same lifecycle and the same webhooks.
"""

from __future__ import annotations

import json

from simulator.behaviour.config import Plan
from simulator.engine.env import ProviderEnv
from simulator.lifecycle import Move
from simulator.providers.webpag import instruments
from simulator.providers.webpag.base import PAYMENT, cfg, digits, fee, minute, new_id
from simulator.records import JSON, Record
from simulator.store.scope import Scope

DAY = 86400.0


def new_payment(env: ProviderEnv, scope: Scope, base: str, *, payer_id: int, name: str, amount: int, method: str,
                notification_url: str | None = None, installments: int = 1, order_id: str | None = None) -> Record:
    """A payment record in its initial state (not stored yet)."""
    now = minute(env)
    record = scope.new({
        "id": new_id(env, scope, PAYMENT), "payer_id": payer_id, "card_id": None, "name": name, "amount": amount,
        "amount_refunded": 0, "fee_value": fee(env, method, amount), "installments": installments,
        "recurrence_code": None, "frequency": None, "method": method, "boleto": None,
        "notification_url": notification_url, "pix": None,
        "gateway": (cfg(env, "gateways") or {}).get(method), "state": "waiting", "transactions": [],
        "created_at": now, "paid_at": None, "updated_at": now,
        "receipt_pdf_path": f"{base}/webpag/payments/{digits(env, 25, '0123456789abcdef')}/pdf",
        "card_flag": None, "order_id": order_id,
    })
    record.private["base"] = base
    return record


def expiry_plan(env: ProviderEnv, expires_ts: float) -> Plan:
    return Plan(to="expired", after_seconds=max(0.0, expires_ts - env.clock.now()))


def boleto_expiry(env: ProviderEnv, due_ts: float, accept_after: bool) -> float:
    e = cfg(env, "expiry") or {}
    days = int(e.get("after_due_days_accepted", 30) if accept_after else e.get("after_due_days", 0))
    return due_ts + DAY * (1 + days)


def attach_boleto(env: ProviderEnv, scope: Scope, record: Record, due_ts: float, accept_after: object) -> Plan:
    record["boleto"] = instruments.boleto(env, scope, str(record.private["base"]), record["id"], record["amount"],
                                          due_ts, accept_after)
    record["transactions"].append(instruments.transaction(env, scope, "approval", True, "OK", None))
    return expiry_plan(env, boleto_expiry(env, due_ts, bool(accept_after)))


def attach_pix(env: ProviderEnv, scope: Scope, record: Record, expires_ts: float) -> Plan:
    record["pix"] = instruments.pix(env, scope, record["id"], record["amount"], expires_ts)
    record["transactions"].append(instruments.transaction(env, scope, "approval", True, "OK", None))
    return expiry_plan(env, expires_ts)


def charge_card(env: ProviderEnv, scope: Scope, record: Record, number: str) -> dict[str, JSON]:
    """Authorize a stored, started card payment now by the magic-card table; returns the decision."""
    decision = instruments.card_decision(env, number)
    outcome = str(decision["outcome"])
    if outcome == "failed":
        previous = str(decision.get("previous") or "{}")
        try:
            answer = json.loads(previous)
            status = f"{answer.get('ReturnCode', '')} - {answer.get('ReturnMessage', '')}"
            message = str(answer.get("ReturnMessage", previous))
        except (ValueError, AttributeError):
            status, message = previous, previous
        record["transactions"].append(instruments.transaction(
            env, scope, "approval", False, status, instruments.acquirer_id(env), errors=message))
        scope.put(PAYMENT, record["id"], record)
        env.transition(scope, PAYMENT, record["id"], "failed", message, cause="acquirer")
    else:
        record["transactions"].append(instruments.transaction(
            env, scope, "approval", True, "6 - Operation Successful", instruments.acquirer_id(env)))
        scope.put(PAYMENT, record["id"], record)
        env.transition(scope, PAYMENT, record["id"], outcome, cause="acquirer")
    return decision


def on_payment(env: ProviderEnv, move: Move) -> None:
    """Timestamps follow the status; a boleto or Pix paid by the payer gets its settlement transaction."""
    record = move.record
    record["updated_at"] = minute(env)
    if move.target == "paid":
        record["paid_at"] = minute(env)
        if record["method"] != "credit_card":
            record["transactions"].append(instruments.transaction(env, move.scope, "approval", True, "OK",
                                                                  instruments.acquirer_id(env)))
    if move.target == "refunded" and record.get("amount_refunded", 0) < record["amount"]:
        record["amount_refunded"] = record["amount"]  # forced from the control API: a full refund
