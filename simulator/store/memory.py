"""In-memory state: a dict per provider and kind, insertion-ordered. The records are the state itself."""

from __future__ import annotations

from simulator.records import Record


class MemoryStore:
    persistent = False

    def __init__(self) -> None:
        self._data: dict[str, dict[str, dict[str, Record]]] = {}
        self._ids: dict[tuple[str, str], int] = {}

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
        if provider is None:
            self._data.clear()
            self._ids.clear()
        else:
            self._data.pop(provider, None)
            for key in [k for k in self._ids if k[0] == provider]:
                del self._ids[key]

    def close(self) -> None:
        """Nothing to release."""
