"""In-memory state: a dict per provider and kind, insertion-ordered. The records are the state itself.

Short texts and numbers that records repeat (a payer's msisdn, a description, an amount) are held once: a record
put is given the equal value another record already holds, from a bounded table of those put last.
"""

from __future__ import annotations

from simulator.records import Record

SHARED_VALUES = 4096  # values the table holds (emptied when full)
SHARED_TEXT = 32  # the longest text shared (longer ones are seldom repeated)
SHARED_INT = 1 << 62  # integers shared: within ±this


class Values:
    """One object per repeated short text or integer among stored records' fields. Only equal values of the same
    type are shared (a bool, a float or a `str` subclass is left as it is), so what a record shows is unchanged."""

    __slots__ = ("_table",)

    def __init__(self) -> None:
        self._table: dict[str | int, str | int] = {}  # one table: no text equals an integer

    def share(self, record: Record) -> None:
        table = self._table
        for name, value in record.items():
            kind = type(value)
            if kind is str:
                if len(value) > SHARED_TEXT:
                    continue
            elif kind is not int or not -SHARED_INT < value < SHARED_INT:
                continue
            held = table.get(value)
            if held is None:
                if len(table) >= SHARED_VALUES:
                    table.clear()
                table[value] = value
            elif held is not value:
                record[name] = held  # a key it has: the record keeps its size and order


class MemoryStore:
    persistent = False

    def __init__(self) -> None:
        self._data: dict[str, dict[str, dict[str, Record]]] = {}
        self._ids: dict[tuple[str, str], int] = {}
        self._values = Values()

    def begin(self, write: bool = False) -> None:
        """Nothing to do: the memory store is the state itself (units of one process are serialised by Units)."""

    def commit(self) -> None:
        """Nothing to do: every change is already the state."""

    def rollback(self) -> None:
        """Nothing can be undone: engine code checks before it writes."""

    def lock(self, name: str) -> None:
        """Nothing to wait for: one process, and its units run one at a time."""

    def instance(self) -> int:
        return 1

    def _kind(self, provider: str, kind: str) -> dict[str, Record]:
        return self._data.setdefault(provider, {}).setdefault(kind, {})

    def get(self, provider: str, kind: str, key: str, account: str | None = None) -> Record | None:
        record = self._data.get(provider, {}).get(kind, {}).get(key)
        if record is None or (account is not None and record.meta.account != account):
            return None
        return record

    def put(self, provider: str, kind: str, key: str, record: Record) -> None:
        self._values.share(record)
        self._kind(provider, kind)[key] = record

    def delete(self, provider: str, kind: str, key: str) -> bool:
        return self._kind(provider, kind).pop(key, None) is not None

    def all(self, provider: str, kind: str, account: str | None = None) -> list[Record]:
        records = self._data.get(provider, {}).get(kind, {}).values()
        if account is None:
            return list(records)
        return [r for r in records if r.meta.account == account]

    def exists(self, provider: str, kind: str, key: str) -> bool:
        return key in self._data.get(provider, {}).get(kind, {})

    def next_id(self, provider: str, kind: str, start: int = 1) -> int:
        value = self._ids.get((provider, kind), start - 1) + 1
        self._ids[(provider, kind)] = value
        return value

    def count(self, provider: str, kind: str, account: str | None = None) -> int:
        if account is None:
            return len(self._data.get(provider, {}).get(kind, {}))
        return len(self.all(provider, kind, account))

    def reset(self, provider: str | None = None) -> None:
        self._values = Values()
        if provider is None:
            self._data.clear()
            self._ids.clear()
        else:
            self._data.pop(provider, None)
            for key in [k for k in self._ids if k[0] == provider]:
                del self._ids[key]

    def close(self) -> None:
        """Nothing to release."""
