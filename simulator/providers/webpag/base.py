"""WebPag helpers every module shares: behaviour data, ids, money and the provider's date formats."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from simulator.engine.context import Ctx
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.providers.common import int_or_none
from simulator.sim import Sim
from simulator.store.base import Record

P = "webpag"
PAYMENT = "payment"
PAYER = "payer"
CARD = "card"
PLAN = "installment_plan"
LINK = "payment_link"
RECURRENCE = "recurrence"

MODELS = {PAYMENT: "Payment", PAYER: "Payer", CARD: "CreditCard", PLAN: "InstallmentPlan", LINK: "PaymentLink",
          RECURRENCE: "Payment"}


def cfg(sim: Sim, name: str) -> Any:
    return sim.providers[P].behaviour.get(name)


def new_id(sim: Sim, kind: str) -> int:
    first = (cfg(sim, "first_ids") or {}).get(kind, 1)
    return sim.store.next_id(P, kind, int(first))


def label(sim: Sim, table: str, state: str) -> tuple[int, str]:
    code, text = cfg(sim, table)[state]
    return int(code), str(text)


# --- time -------------------------------------------------------------------------------------------------

def tz(sim: Sim) -> timezone:
    return timezone(timedelta(hours=float(cfg(sim, "timezone_offset_hours") or 0)))


def local(sim: Sim, ts: float | None = None) -> datetime:
    return datetime.fromtimestamp(sim.clock.now() if ts is None else ts, tz=tz(sim))


def minute(sim: Sim, ts: float | None = None) -> str:
    """'2024-08-20 17:27': payments, transactions (local time)."""
    return local(sim, ts).strftime("%Y-%m-%d %H:%M")


def second(sim: Sim, ts: float | None = None) -> str:
    """'2023-07-29 21:56:58': payers, plans, cards (local time)."""
    return local(sim, ts).strftime("%Y-%m-%d %H:%M:%S")


def micro_z(ts: float) -> str:
    """'2024-05-10T03:00:00.000000Z': boleto and Pix dates (UTC)."""
    return datetime.fromtimestamp(int(ts), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def parse_local(sim: Sim, text: Any) -> float | None:
    """'Y-m-d', 'Y-m-d H:i' or 'Y-m-d H:i:s' in local time, as epoch seconds; None if it is none of these."""
    if not isinstance(text, str):
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=tz(sim)).timestamp()
        except ValueError:
            continue
    return None


MAX_AHEAD = 3650 * 86400.0  # INFERRED: dates more than ten years ahead are refused (keeps barcodes valid)


def too_far(sim: Sim, ts: float) -> bool:
    return ts > sim.clock.now() + MAX_AHEAD


def add_months(sim: Sim, ts: float, months: int) -> float:
    d = local(sim, ts)
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30,
            31, 30, 31][month - 1]
    return d.replace(year=year, month=month, day=min(d.day, days)).timestamp()


# --- money ------------------------------------------------------------------------------------------------

def reais(cents: int) -> str:
    """Centavos as the decimal string in reais the provider prints ('50.00')."""
    return f"{cents // 100}.{cents % 100:02d}"


def fee(sim: Sim, method: str, cents: int) -> str:
    rule = (cfg(sim, "fees") or {}).get(method) or {}
    value = round(cents * float(rule.get("percent", 0)) / 100 + int(rule.get("fixed_cents", 0)))
    return reais(int(value))


# --- lookups and errors -----------------------------------------------------------------------------------

def owned(ctx: Ctx, kind: str, raw: Any) -> Record:
    """A record of the caller's account by its path id; otherwise Laravel's model-binding 404."""
    ident = int_or_none(raw)
    record = ctx.sim.store.get(P, kind, str(ident)) if ident is not None else None
    if record is None or record.get("_account") != ctx.account_id:
        raise ProviderError("not_found", {"model": MODELS[kind], "id": raw})
    return record


def check(fields: dict[str, list[str]]) -> None:
    """Raise Laravel's 422 when any rule failed."""
    if fields:
        raise ValidationFailed(fields)


def payment_error(sim: Sim, which: str, previous: str | None = None) -> ProviderError:
    spec = cfg(sim, which) or {}
    return ProviderError("payment_error", {"error": spec.get("error"), "error_code": spec.get("error_code"),
                                           "error_previous": previous or spec.get("error")})


def digits(rng: Any, n: int, alphabet: str = "0123456789") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def business(sim: Sim, account_id: str) -> dict[str, Any]:
    account = sim.providers[P].accounts_by_id.get(account_id)
    data = dict(account.extra.get("business") or {}) if account else {}
    return data
