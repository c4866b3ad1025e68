"""A stored resource: the provider's fields, the engine's metadata and the provider's private data, apart.

- `Record` is a mapping of the provider's own fields, exactly what the provider shows (nothing to filter out).
- `record.meta` (`Meta`) is the engine's: the owning account, created/updated times, the history of moves on
  the state machine, the next planned move, status reads, the scenarios and webhook chaos of the request that
  made it, and the last transition's message. Provider code reads it; only the engine writes it.
- `record.private` is the provider's own data that the provider never shows (a card number, a boleto's barcode,
  a base URL), a dict created on first use.

A record round-trips through JSON (`to_json` / `from_json`) so persistent stores can keep it, and it holds no
closures. A record is state only once it is `put` (a store may keep another, compact form and hand out copies).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, NamedTuple

JSON = Any  # a JSON value: dict, list, str, int, float, bool or None


class Step(NamedTuple):
    """One move of a record on its state machine (`source` None: the record was created in `target`)."""
    source: str | None
    target: str
    at: float  # simulator clock, epoch seconds
    cause: str  # created | clock | reads | forced | payer | api | a provider's word
    message: str | None = None


class Next(NamedTuple):
    """The move planned for a record: at a time on the clock (`due`) or after a number of status reads."""
    target: str
    message: str | None = None
    due: float | None = None
    after_reads: int | None = None


@dataclass(slots=True)
class Meta:
    """What the engine keeps about a record (JSON: `to_json` / `from_json`)."""
    account: str | None = None
    created: float = 0.0
    updated: float = 0.0
    history: tuple[Step, ...] = ()  # never changed in place: a move makes a new tuple (records may share one)
    next: Next | None = None
    reads: int = 0
    scenarios: tuple[str, ...] = ()
    chaos: dict[str, JSON] | None = None  # webhook chaos of the request that made it (webhooks/chaos.py)
    message: str | None = None  # the message of the last transition that carried one

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"a": self.account, "c": self.created, "u": self.updated,
                                "h": [list(step) for step in self.history]}
        if self.next is not None:
            out["n"] = list(self.next)
        if self.reads:
            out["r"] = self.reads
        if self.scenarios:
            out["s"] = list(self.scenarios)
        if self.chaos:
            out["x"] = self.chaos
        if self.message is not None:
            out["m"] = self.message
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, JSON]) -> "Meta":
        nxt = data.get("n")
        return cls(account=data.get("a"), created=float(data.get("c", 0.0)), updated=float(data.get("u", 0.0)),
                   history=tuple(Step(*step) for step in data.get("h") or ()), next=Next(*nxt) if nxt else None,
                   reads=int(data.get("r", 0)), scenarios=tuple(data.get("s") or ()), chaos=data.get("x"),
                   message=data.get("m"))


class Record(dict[str, JSON]):
    """The provider's fields (this mapping), with `meta` (the engine's) and `private` (the provider's)."""

    __slots__ = ("meta", "_private")

    def __init__(self, fields: Mapping[str, JSON] | Iterable[tuple[str, JSON]] = (), *, meta: Meta | None = None,
                 private: dict[str, JSON] | None = None) -> None:
        super().__init__(fields)
        self.meta = meta if meta is not None else Meta()
        self._private = private

    @property
    def private(self) -> dict[str, JSON]:
        """The provider's data it never shows (created on first use)."""
        if self._private is None:
            self._private = {}
        return self._private

    @property
    def has_private(self) -> bool:
        return bool(self._private)

    @property
    def account(self) -> str | None:
        return self.meta.account

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"f": dict(self), "m": self.meta.to_json()}
        if self._private:
            out["p"] = self._private
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, JSON]) -> "Record":
        return cls(data.get("f") or {}, meta=Meta.from_json(data.get("m") or {}), private=data.get("p"))

    def __repr__(self) -> str:
        return f"Record({dict.__repr__(self)}, account={self.meta.account!r})"
