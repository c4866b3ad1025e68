"""WidePay basics shared by its modules: kinds, local time, money as WidePay prints it, ids and lookups."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from simulator.behaviour.money import rounded
from simulator.engine.context import Ctx
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.records import JSON, Record
from simulator.store.scope import Scope

TX = "transacao"
NOTE = "notificacao"


def local_now(env: ProviderEnv) -> datetime:
    """The simulator clock in the provider's time zone (UTC-3), naive, as WidePay prints it."""
    return env.time.at().replace(tzinfo=None)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def num(value: Decimal | float) -> int | float:
    """A number as PHP 5 json_encode printed a float: 50 for 50.0, 48.05 otherwise."""
    q = rounded(Decimal(str(value)))
    return int(q) if q == q.to_integral_value() else float(q)


def text(value: Decimal) -> str:
    """Money as a string with two decimals ("50.00"), as the transaction's `valor`."""
    return f"{rounded(value):.2f}"


def new_id(env: ProviderEnv, scope: Scope) -> str:
    """16 hex digits that no transaction or notification of any account has."""
    rng = env.rng()
    while True:
        ident = "".join(rng.choice("0123456789abcdef") for _ in range(16))
        if not scope.taken(TX, ident) and not scope.taken(NOTE, ident):
            return ident


def status_text(env: ProviderEnv, slug: str) -> str:
    return str((env.config.section("statuses") or {}).get(slug, slug))


def message(env: ProviderEnv, name: str) -> str:
    return str((env.config.section("messages") or {}).get(name, name))


def ids_of(value: object) -> list[str]:
    """One id or several (`id=a`, `id[]=a&id[]=b`, `id[0]=a`, a JSON list), in order, without repeats."""
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
    out: list[str] = []
    for item in items:
        ident = str(item).strip().lower()
        if ident and ident not in out:
            out.append(ident)
    return out


def owned(ctx: Ctx, ident: str) -> Record | None:
    return ctx.scope.get(TX, ident.lower())


def owned_all(ctx: Ctx, idents: list[str]) -> list[Record]:
    """The caller's transactions for these ids; any id it does not own is the execution error."""
    found = [(ident, owned(ctx, ident)) for ident in idents]
    missing = [{"id": ident, "erro": message(ctx.env, "not_found")} for ident, tx in found if tx is None]
    if missing:
        raise ProviderError("execution", {"detalhes": missing})
    return [tx for _, tx in found if tx is not None]
