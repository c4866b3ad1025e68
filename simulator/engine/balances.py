"""Money a provider holds for an account (behaviour.yaml `balances:`): one mechanism for every provider.

A debit (a payout, a transfer, a refund the merchant pays) is lock -> read -> check -> write inside the unit of
work (simulator/store/base.py): the account's money lock (`Store.lock("{provider}:{account}")`) is taken before the
balance is read, so no two units of any process or instance spend the same money, and a balance never goes below
zero. A debit made for a record is marked on it (`record.private["reserved"]`) and given back, once, when that
record fails (one of its machine's `failed` states: `on_move`, called by the composition root on every transition);
success keeps it. A debit larger than the balance gets the balance's declared `short` answer: the provider's
named error (nothing is stored) or a plan the record follows (accepted, then failed: nothing is reserved).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping

from simulator.behaviour.config import BalanceDecl, Plan
from simulator.engine.accounts import Account
from simulator.engine.errors import ProviderError
from simulator.records import JSON, Record
from simulator.store.base import Store
from simulator.store.scope import Key, Scope

if TYPE_CHECKING:
    from simulator.lifecycle import Move

RESERVED = "reserved"  # record.private key: [balance name, holder key, amount] of the debit made for the record


class Balances:
    def __init__(self, provider: str, decls: Mapping[str, BalanceDecl], store: Store,
                 accounts: Mapping[str, Account]) -> None:
        self.provider = provider
        self.decls = dict(decls)
        self.store = store
        self.accounts = accounts

    def decl(self, name: str) -> BalanceDecl:
        found = self.decls.get(name)
        if found is None:
            raise KeyError(f"{self.provider} declares no balance {name!r} (behaviour.yaml balances:)")
        return found

    # --- the one read-check-write ----------------------------------------------------------------------

    def holder(self, scope: Scope, name: str, key: Key, account: str | None = None) -> tuple[Scope, Record] | None:
        """The record holding the money, with the account's money lock held to the end of the unit (a missing
        one is opened with the account's declared `opening` amount); None when there is none."""
        decl = self.decl(name)
        owner = scope.account or account
        if owner is None:
            raise ValueError("a balance is reached through its account's scope or with its account")
        self.store.lock(f"{self.provider}:{owner}")
        mine = scope if scope.account is not None else scope.of(owner)
        record = mine.get(decl.kind, key)
        if record is None and decl.opening is not None:
            holder_account = self.accounts.get(owner)
            opening = holder_account.extra.get(decl.opening) if holder_account is not None else None
            record = mine.new({"id": str(key), decl.field: _number(opening)})
            mine.put(decl.kind, key, record)
        return None if record is None else (mine, record)

    def amount(self, scope: Scope, name: str, key: Key) -> float | int:
        """What the balance holds now (0 when there is no such record)."""
        found = self.holder(scope, name, key)
        return _number(found[1].get(self.decl(name).field)) if found is not None else 0

    def take(self, scope: Scope, name: str, key: Key, amount: float | int, account: str | None = None) -> bool:
        """Debit `amount` if the balance holds it (lock, read, check, write); whether it did."""
        found = self.holder(scope, name, key, account)
        if found is None or amount < 0:
            return False
        mine, record = found
        field = self.decl(name).field
        balance = _number(record.get(field))
        if amount > balance:
            return False
        record[field] = _sum(balance, -amount)
        mine.put(self.decl(name).kind, key, record)
        return True

    def give(self, scope: Scope, name: str, key: Key, amount: float | int, account: str | None = None) -> None:
        """Credit `amount` (a payment received, a failed debit given back)."""
        found = self.holder(scope, name, key, account)
        if found is None:
            return
        mine, record = found
        field = self.decl(name).field
        record[field] = _sum(_number(record.get(field)), amount)
        mine.put(self.decl(name).kind, key, record)

    # --- debits made for a record ------------------------------------------------------------------------

    def reserve(self, scope: Scope, name: str, key: Key, amount: float | int,
                record: Record | None = None) -> Plan | None:
        """Debit `amount` for `record` (a payout being accepted): None when reserved (marked on the record, given
        back if it fails; without a record the debit is final); when short, the balance's `short` plan for the
        record, or its named error raised."""
        if self.take(scope, name, key, amount):
            if record is not None:
                record.private[RESERVED] = [name, str(key), amount]
            return None
        decl = self.decl(name)
        if decl.error is not None or decl.plan is None:
            raise ProviderError(decl.error or "insufficient_balance")
        return decl.plan

    def reserved(self, record: Record) -> bool:
        return bool(record.private.get(RESERVED))

    def on_move(self, move: "Move") -> None:
        """A record that reserved money and now fails gives it back, once."""
        held = move.record.private.get(RESERVED) if move.target in move.decl.failed else None
        if not held or not isinstance(held, list):
            return
        name, key, amount = str(held[0]), str(held[1]), _number(held[2])
        del move.record.private[RESERVED]
        self.give(move.scope, name, key, amount, account=move.record.meta.account)


def _number(value: JSON) -> float | int:
    if isinstance(value, bool) or value is None:
        return 0
    try:
        number = float(value) if isinstance(value, (int, float)) else float(str(value))
    except ValueError:
        return 0
    if not math.isfinite(number):
        return 0
    if isinstance(value, int):
        return value
    return int(number) if number == int(number) else number


def _sum(a: float | int, b: float | int) -> float | int:
    """Money arithmetic in the provider's unit: whole numbers stay integers, fractions to the cent."""
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    total = round(float(a) + float(b), 2)
    return int(total) if total == int(total) else total
