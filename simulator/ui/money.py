"""Amounts as money, per provider: behaviour.yaml `money: {currency, unit}` says how the provider stores them
(`cents`: integer minor units; `major`: a decimal in the currency's unit)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from simulator.sim import Sim

# currency -> (before, after) the number; both print with "." thousands and "," decimals
SIGNS = {"BRL": ("R$ ", ""), "MZN": ("", " MZN")}


def money(sim: Sim, provider: str, value: Any) -> str | None:
    """'R$ 10,00' for 1000 centavos; the value as stored when the provider declares no money or it is no number."""
    if value is None:
        return None
    runtime = sim.providers.get(provider)
    spec = (runtime.behaviour.get("money") if runtime is not None else None) or {}
    if not spec or isinstance(value, bool):
        return str(value)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    if spec.get("unit") == "cents":
        amount = amount / 100
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    currency = str(spec.get("currency", ""))
    before, after = SIGNS.get(currency, ("", f" {currency}" if currency else ""))
    return f"{before}{text}{after}"
