"""The webhook outbox's pending attempts in a persistent store, so deliveries go on after a restart.

A delivery chain (one event to one URL) is written when its next attempt is scheduled and removed when it ends
(delivered or failed). On start-up `restore` schedules every stored chain again at its due time. What is not
kept: a provider's `on_result` callback (a closure; its bookkeeping misses the attempts made after a restart)
and chains held back by out-of-order chaos.
"""

from __future__ import annotations

import base64
import dataclasses
from typing import TYPE_CHECKING, Any, Awaitable, Callable

if TYPE_CHECKING:
    from simulator.sim import Sim
    from simulator.webhooks.outbox import Outgoing, _Chain

OWNER = "_sim"  # the store's "provider" for the simulator's own records
KIND = "outbox"


def _persistent(sim: "Sim") -> bool:
    return bool(getattr(sim.store, "persistent", False))


def _out(out: "Outgoing") -> dict[str, Any]:
    data = {f.name: getattr(out, f.name) for f in dataclasses.fields(out) if f.name not in ("on_result", "body")}
    data["body"] = base64.b64encode(out.body).decode("ascii")
    return data


def save(sim: "Sim", chain: "_Chain", due: float) -> None:
    """Keep (or update) the chain's next attempt, due at `due` on the simulator clock."""
    if not _persistent(sim):
        return
    if chain.stored is None:
        chain.stored = str(sim.store.next_id(OWNER, KIND))
    record = {"_key": chain.stored, "out": _out(chain.out), "clean": None if chain.clean is chain.out else _out(chain.clean),
              "labels": list(chain.labels), "attempts": chain.attempts, "due": due}
    sim.store.put(OWNER, KIND, chain.stored, record)


def forget(sim: "Sim", chain: "_Chain") -> None:
    if chain.stored is not None and _persistent(sim):
        sim.store.delete(OWNER, KIND, chain.stored)


def _load(data: dict[str, Any]) -> "Outgoing":
    from simulator.webhooks.outbox import Outgoing
    names = {f.name for f in dataclasses.fields(Outgoing)}
    values = {k: v for k, v in data.items() if k in names}
    values["body"] = base64.b64decode(data["body"])
    return Outgoing(**values)


def restore(sim: "Sim") -> int:
    """Schedule every stored chain's next attempt again (after a restart)."""
    from simulator.webhooks.outbox import _Chain
    count = 0
    for record in sim.store.all(OWNER, KIND):
        out = _load(record["out"])
        clean = _load(record["clean"]) if record.get("clean") else out
        chain = _Chain(out, clean, list(record.get("labels") or []), int(record.get("attempts", 0)))
        chain.stored = str(record["_key"])
        sim.scheduler.at(float(record["due"]), _attempt_job(sim, chain), tag=f"webhook:{out.provider}")
        count += 1
    return count


def _attempt_job(sim: "Sim", chain: "_Chain") -> Callable[[], Awaitable[dict[str, Any]]]:
    return lambda: sim.outbox._attempt(chain)
