"""WebPag basics every module shares: kinds, ids, labels, dates as WebPag prints them, money, lookups, errors."""

from __future__ import annotations

from datetime import datetime, timezone

from simulator.behaviour.money import two_decimals
from simulator.engine.context import Ctx
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.providers.common import int_or_none
from simulator.records import JSON, Record
from simulator.store.scope import Scope

PAYMENT = "payment"
PAYER = "payer"
CARD = "card"
PLAN = "installment_plan"
LINK = "payment_link"
RECURRENCE = "recurrence"

MODELS = {PAYMENT: "Payment", PAYER: "Payer", CARD: "CreditCard", PLAN: "InstallmentPlan", LINK: "PaymentLink",
          RECURRENCE: "Payment"}
MINUTE = "%Y-%m-%d %H:%M"  # payments and transactions (local time)
SECOND = "%Y-%m-%d %H:%M:%S"  # payers, plans, cards (local time)


def cfg(env: ProviderEnv, name: str) -> JSON:
    return env.config.section(name)


def new_id(env: ProviderEnv, scope: Scope, kind: str) -> int:
    """The next id of a kind, from its first value (behaviour.yaml `first_ids`)."""
    first = (cfg(env, "first_ids") or {}).get(kind, 1)
    return scope.new_id(kind, int(first))


def label(env: ProviderEnv, table: str, state: str) -> tuple[int, str]:
    code, text = cfg(env, table)[state]
    return int(code), str(text)


def minute(env: ProviderEnv, ts: float | None = None) -> str:
    """'2024-08-20 17:27'"""
    return env.time.stamp(MINUTE, ts)


def second(env: ProviderEnv, ts: float | None = None) -> str:
    """'2023-07-29 21:56:58'"""
    return env.time.stamp(SECOND, ts)


def micro_z(ts: float) -> str:
    """'2024-05-10T03:00:00.000000Z': boleto and Pix dates (UTC)."""
    return datetime.fromtimestamp(int(ts), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


MAX_AHEAD = 3650 * 86400.0  # INFERRED: dates more than ten years ahead are refused (keeps barcodes valid)


def too_far(env: ProviderEnv, ts: float) -> bool:
    return ts > env.clock.now() + MAX_AHEAD


def fee(env: ProviderEnv, method: str, cents: int) -> str:
    rule = (cfg(env, "fees") or {}).get(method) or {}
    value = round(cents * float(rule.get("percent", 0)) / 100 + int(rule.get("fixed_cents", 0)))
    return two_decimals(int(value))


def owned(ctx: Ctx, kind: str, raw: object) -> Record:
    """A record of the caller's account by its path id; otherwise Laravel's model-binding 404."""
    ident = int_or_none(raw)
    record = ctx.scope.get(kind, ident) if ident is not None else None
    if record is None:
        raise ProviderError("not_found", {"model": MODELS[kind], "id": raw})
    return record


def check(fields: dict[str, list[str]]) -> None:
    """Raise Laravel's 422 when any rule failed."""
    if fields:
        raise ValidationFailed(fields)


def payment_error(env: ProviderEnv, which: str, detail: str | None = None) -> ProviderError:
    """The documented 422 {error, error_code, error_previous}; `error_previous` is the error's text again (as
    documented) or the detail (the acquirer's answer, a reason), as behaviour.yaml `<which>.previous` says."""
    spec = cfg(env, which) or {}
    previous = detail if spec.get("previous") == "detail" and detail else spec.get("error")
    return ProviderError("payment_error", {"error": spec.get("error"), "error_code": spec.get("error_code"),
                                           "error_previous": previous, "detail": detail})


def digits(env: ProviderEnv, n: int, alphabet: str = "0123456789") -> str:
    rng = env.rng()
    return "".join(rng.choice(alphabet) for _ in range(n))


def business(env: ProviderEnv, account_id: str | None) -> dict[str, JSON]:
    account = env.account(account_id)
    return dict(account.extra.get("business") or {}) if account else {}
