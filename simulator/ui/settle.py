"""Which state a payer's answer leads to, for any provider's state machine: the allowed target whose name
means success (paid, approved, ...) or failure (denied, failed, ...)."""

from __future__ import annotations

from simulator.sim import Sim
from simulator.store.base import Record

SUCCESS = ("paid", "pago", "approved", "aprovado", "successful", "success", "succeeded", "confirmed",
           "completed", "concluida", "captured", "authorized", "autorizado", "received", "settled")
FAILURE = ("denied", "negado", "declined", "recusado", "refused", "failed", "falhou", "not_authorized",
           "rejected", "cancelled", "canceled", "cancelado", "expired", "expirado")


def target(sim: Sim, provider: str, kind: str, record: Record, success: bool) -> str | None:
    machine = sim.lifecycles.machine(provider, kind)
    allowed = machine.allowed(str(record.get(machine.field, "")))
    by_name = {a.lower(): a for a in allowed}
    for word in SUCCESS if success else FAILURE:
        if word in by_name:
            return by_name[word]
    return None


async def settle(sim: Sim, provider: str, kind: str, record: Record, success: bool,
                 message: str | None = None) -> Record | None:
    """Move the record as the payer decided (the force endpoint's code), then run due work (webhooks)."""
    to = target(sim, provider, kind, record, success)
    if to is None:
        return None
    machine = sim.lifecycles.machine(provider, kind)
    moved = sim.lifecycles.transition(provider, kind, str(record[machine.key_field]), to, message, cause="payer")
    await sim.scheduler.run_due()
    return moved
