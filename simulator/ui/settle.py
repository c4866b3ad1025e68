"""Where a payer's answer moves a record: the states its lifecycle declares for the payer's `pay` and `deny`
(behaviour.yaml `outcomes:`), when its machine allows them from where the record is."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.records import Record


def target(env: ProviderEnv, kind: str, record: Record, success: bool) -> str | None:
    decl = env.machine(kind)
    wanted = decl.pay if success else decl.deny
    if wanted is None or wanted not in decl.allowed(str(record.get(decl.field, ""))):
        return None
    return wanted


async def settle(env: ProviderEnv, kind: str, record: Record, success: bool, message: str | None = None
                 ) -> Record | None:
    """Move the record as the payer decided (the force endpoint's transition), then run due work (webhooks)."""
    to = target(env, kind, record, success)
    if to is None:
        return None
    decl = env.machine(kind)
    moved = env.transition(env.view, kind, str(record[decl.key]), to, message, cause="payer")
    await env.settle()
    return moved
