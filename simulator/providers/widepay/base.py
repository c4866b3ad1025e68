"""WidePay basics shared by its modules: names, local time, money as WidePay prints it, ids and lookups."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from simulator.engine.context import Ctx
from simulator.engine.errors import ProviderError
from simulator.sim import Sim
from simulator.store.base import Record

P = "widepay"
TX = "transacao"
NOTE = "notificacao"
CENT = Decimal("0.01")


def behaviour(sim: Sim) -> dict[str, Any]:
    return sim.providers[P].behaviour


def local_now(sim: Sim) -> datetime:
    """The simulator clock in Brazil's time (UTC-3 by default), naive, as WidePay prints it."""
    hours = float(behaviour(sim).get("utc_offset_hours", -3))
    return datetime.fromtimestamp(sim.clock.now(), tz=timezone(timedelta(hours=hours))).replace(tzinfo=None)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def decimal_of(value: Any) -> Decimal | None:
    """A request's decimal (number or numeric string), or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def num(value: Decimal | float) -> int | float:
    """A number as PHP 5 json_encode printed a float: 50 for 50.0, 48.05 otherwise."""
    q = cents(Decimal(str(value)))
    return int(q) if q == q.to_integral_value() else float(q)


def text(value: Decimal) -> str:
    """Money as a string with two decimals ("50.00"), as the transaction's `valor`."""
    return f"{cents(value):.2f}"


def new_id(sim: Sim) -> str:
    rng = sim.rng(P)
    while True:
        ident = "".join(rng.choice("0123456789abcdef") for _ in range(16))
        if sim.store.get(P, TX, ident) is None and sim.store.get(P, NOTE, ident) is None:
            return ident


def status_text(sim: Sim, slug: str) -> str:
    return str((behaviour(sim).get("statuses") or {}).get(slug, slug))


def message(sim: Sim, name: str) -> str:
    return str((behaviour(sim).get("messages") or {}).get(name, name))


def ids_of(value: Any) -> list[str]:
    """One id or several (`id=a`, `id[]=a&id[]=b`, `id[0]=a`, a JSON list), in order, without repeats."""
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
    out: list[str] = []
    for item in items:
        ident = str(item).strip().lower()
        if ident and ident not in out:
            out.append(ident)
    return out


def owned(ctx: Ctx, ident: str) -> Record | None:
    tx = ctx.sim.store.get(P, TX, ident.lower())
    return tx if tx is not None and tx.get("_account") == ctx.account_id else None


def owned_all(ctx: Ctx, idents: list[str]) -> list[Record]:
    """The caller's transactions for these ids; any id it does not own is the execution error."""
    found = [(ident, owned(ctx, ident)) for ident in idents]
    missing = [{"id": ident, "erro": message(ctx.sim, "not_found")} for ident, tx in found if tx is None]
    if missing:
        raise ProviderError("execution", {"detalhes": missing})
    return [tx for _, tx in found if tx is not None]
