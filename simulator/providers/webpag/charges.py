"""Creating payments and moving them: the one place a payment record is built, started and charged.

Handlers, installment plans and recurrence charges all come through here, so every payment has the same
shape, the same lifecycle and the same webhooks.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.lifecycle import Plan
from simulator.providers.webpag import instruments
from simulator.providers.webpag.base import P, PAYMENT, cfg, digits, fee, minute, new_id
from simulator.sim import Sim
from simulator.store.base import Record

DAY = 86400.0


def new_payment(sim: Sim, account: str, base: str, *, payer_id: int, name: str, amount: int, method: str,
                notification_url: str | None = None, installments: int = 1, order_id: str | None = None,
                scenarios: list[str] | None = None) -> Record:
    """A payment record in its initial state (not stored yet)."""
    now = minute(sim)
    record: Record = {
        "id": new_id(sim, PAYMENT), "payer_id": payer_id, "card_id": None, "name": name, "amount": amount,
        "amount_refunded": 0, "fee_value": fee(sim, method, amount), "installments": installments,
        "recurrence_code": None, "frequency": None, "method": method, "boleto": None,
        "notification_url": notification_url, "pix": None,
        "gateway": (cfg(sim, "gateways") or {}).get(method), "state": "waiting", "transactions": [],
        "created_at": now, "paid_at": None, "updated_at": now,
        "receipt_pdf_path": f"{base}/webpag/payments/{digits(sim.rng(P), 25, '0123456789abcdef')}/pdf",
        "card_flag": None, "order_id": order_id, "_account": account, "_base": base,
    }
    if scenarios:
        record["_scenarios"] = list(scenarios)
    return record


def expiry_plan(sim: Sim, expires_ts: float) -> Plan:
    return Plan(to="expired", after_seconds=max(0.0, expires_ts - sim.clock.now()))


def boleto_expiry(sim: Sim, due_ts: float, accept_after: bool) -> float:
    e = cfg(sim, "expiry") or {}
    days = int(e.get("after_due_days_accepted", 30) if accept_after else e.get("after_due_days", 0))
    return due_ts + DAY * (1 + days)


def attach_boleto(sim: Sim, record: Record, due_ts: float, accept_after: bool | None) -> Plan:
    record["boleto"] = instruments.boleto(sim, record["_base"], record["id"], record["amount"], due_ts, accept_after)
    record["transactions"].append(instruments.transaction(sim, "approval", True, "OK", None))
    return expiry_plan(sim, boleto_expiry(sim, due_ts, bool(accept_after)))


def attach_pix(sim: Sim, record: Record, expires_ts: float) -> Plan:
    record["pix"] = instruments.pix(sim, record["_account"], record["id"], record["amount"], expires_ts)
    record["transactions"].append(instruments.transaction(sim, "approval", True, "OK", None))
    return expiry_plan(sim, expires_ts)


def start(sim: Sim, record: Record, plan: Plan | None) -> None:
    sim.store.put(P, PAYMENT, str(record["id"]), record)
    sim.lifecycles.enter(P, PAYMENT, record, plan)


def charge_card(sim: Sim, record: Record, number: str) -> dict[str, Any]:
    """Authorize a stored, started card payment now by the magic-card table; returns the decision."""
    decision = instruments.card_decision(sim, number)
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
            sim, "approval", False, status, instruments.acquirer_id(sim), errors=message))
        sim.store.put(P, PAYMENT, str(record["id"]), record)
        sim.lifecycles.transition(P, PAYMENT, str(record["id"]), "failed", message, cause="acquirer")
    else:
        record["transactions"].append(instruments.transaction(
            sim, "approval", True, "6 - Operation Successful", instruments.acquirer_id(sim)))
        sim.store.put(P, PAYMENT, str(record["id"]), record)
        sim.lifecycles.transition(P, PAYMENT, str(record["id"]), outcome, cause="acquirer")
    return decision


def on_transition(sim: Sim, provider: str, record: Record, old: str, new: str, message: str | None) -> None:
    """Timestamps follow the status; a boleto or Pix paid by the payer gets its settlement transaction."""
    record["updated_at"] = minute(sim)
    if new == "paid":
        record["paid_at"] = minute(sim)
        if record["method"] != "credit_card":
            record["transactions"].append(instruments.transaction(sim, "approval", True, "OK",
                                                                  instruments.acquirer_id(sim)))
    if new == "refunded" and record.get("amount_refunded", 0) < record["amount"]:
        record["amount_refunded"] = record["amount"]  # forced from the control API: a full refund
