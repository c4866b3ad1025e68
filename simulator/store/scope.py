"""Account scopes: how provider code reaches the store. Isolation is structural, as moto keys its backends by
account: a handler gets the scope of the request's account, and a record of another account is simply not
found (`get`, `require`, `all` and `delete` pass the account to the store, which filters as SQL would).

The engine's view of a provider (`Scope` with `account=None`) sees every account's records: the dashboard, the
force endpoint, scheduled jobs and the lookup of a payer page use it, and `of(account)` narrows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from simulator.engine.errors import ProviderError
from simulator.records import JSON, Meta, Record
from simulator.store.base import Store

Key = str | int


@dataclass(frozen=True)
class Tags:
    """What a request gives the records it creates: the scenarios it named or matched, and webhook chaos."""
    scenarios: tuple[str, ...] = ()
    chaos: dict[str, JSON] | None = None


NO_TAGS = Tags()


class Scope:
    """One provider's records as one account sees them (`account` None: the engine's provider-wide view)."""

    __slots__ = ("store", "provider", "account", "_now", "tags")

    def __init__(self, store: Store, provider: str, account: str | None, now: Callable[[], float],
                 tags: Tags = NO_TAGS) -> None:
        self.store = store
        self.provider = provider
        self.account = account
        self._now = now
        self.tags = tags

    # --- reading -----------------------------------------------------------------------------------------

    def get(self, kind: str, key: Key) -> Record | None:
        """The record with this key, if this scope's account owns it."""
        return self.store.get(self.provider, kind, str(key), self.account)

    def require(self, kind: str, key: Key, error: str, values: dict[str, JSON] | None = None) -> Record:
        """The record, or the provider's named error (a 404 of its own shape) when this account has none."""
        record = self.get(kind, key)
        if record is None:
            raise ProviderError(error, values)
        return record

    def all(self, kind: str) -> list[Record]:
        """This account's records of the kind (every account's in the provider-wide view), oldest first."""
        return self.store.all(self.provider, kind, self.account)

    def count(self, kind: str) -> int:
        return self.store.count(self.provider, kind, self.account)

    def taken(self, kind: str, key: Key) -> bool:
        """Whether any account holds this key (to choose a free one; reveals no data)."""
        return self.store.exists(self.provider, kind, str(key))

    # --- writing -----------------------------------------------------------------------------------------

    def new(self, fields: dict[str, JSON] | None = None) -> Record:
        """A new record of this account, tagged with the request's scenarios and chaos (not stored yet)."""
        now = self._now()
        meta = Meta(account=self.account, created=now, updated=now, scenarios=self.tags.scenarios,
                    chaos=dict(self.tags.chaos) if self.tags.chaos else None)
        return Record(fields or {}, meta=meta)

    def put(self, kind: str, key: Key, record: Record) -> None:
        """Store (insert or replace) a record of this account; a record is state only once it is put."""
        owner = record.meta.account
        if self.account is not None and owner is not None and owner != self.account:
            raise PermissionError(f"{self.provider} {kind} {key} belongs to another account")
        if owner is None:
            record.meta.account = self.account
        record.meta.updated = self._now()
        if not record.meta.created:
            record.meta.created = record.meta.updated
        self.store.put(self.provider, kind, str(key), record)

    def delete(self, kind: str, key: Key) -> bool:
        if self.get(kind, key) is None:
            return False
        return self.store.delete(self.provider, kind, str(key))

    def new_id(self, kind: str, start: int = 1) -> int:
        """The next number of a provider-wide counter (ids are unique across accounts, as in one database)."""
        return self.store.next_id(self.provider, kind, start)

    # --- other views -------------------------------------------------------------------------------------

    def of(self, account: str | None) -> "Scope":
        """Another account's scope: only the provider-wide view may narrow to any account."""
        if self.account is not None and account != self.account:
            raise PermissionError("an account scope cannot reach another account")
        return Scope(self.store, self.provider, account, self._now, self.tags)

    def tagged(self, tags: Tags) -> "Scope":
        return Scope(self.store, self.provider, self.account, self._now, tags)
