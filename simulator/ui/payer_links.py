"""The payer's pages that act on a record, linked from the dashboard's transaction detail."""

from __future__ import annotations

from simulator.sim import Sim
from simulator.store.base import Record
from simulator.ui.codes import find_boleto, find_brcode


def links(sim: Sim, provider: str, record: Record) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if provider == "clicpay":
        if record.get("session_id"):
            out.append(("Hosted checkout", f"/_sim/ui/pay/clicpay/checkout/{record['session_id']}"))
        elif record.get("msisdn") and record.get("type") in ("c2b", "c2b_direct"):
            out.append((f"Phone {record['msisdn']}", f"/_sim/ui/pay/phone/{record['msisdn']}"))
        return out
    kinds = [k for (p, k) in sim.lifecycles.machines if p == provider]
    key = next((str(record[sim.lifecycles.machine(provider, k).key_field]) for k in kinds
                if sim.lifecycles.machine(provider, k).key_field in record), None)
    if key is None:
        return out
    if find_brcode(record):
        out.append(("Pix", f"/_sim/ui/pay/{provider}/pix/{key}"))
    if find_boleto(record):
        out.append(("Boleto", f"/_sim/ui/pay/{provider}/boleto/{key}"))
    return out
