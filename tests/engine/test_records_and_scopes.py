"""Records round-trip through JSON (what a persistent store keeps), and account scopes make isolation structural:
a record of another account is simply not found, and cannot be written over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.errors import ProviderError
from simulator.records import Meta, Next, Record, Step
from simulator.store.memory import MemoryStore
from simulator.store.scope import Scope, Tags
from simulator.store.sqlite import SqliteStore

TEXT = st.text(max_size=8)
JSONS = st.recursive(st.none() | st.booleans() | st.integers(min_value=-10**9, max_value=10**9) | TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                     max_leaves=8)
TIMES = st.floats(min_value=0, max_value=4e9, allow_nan=False)
STEPS = st.builds(Step, st.none() | TEXT, TEXT, TIMES, TEXT, st.none() | TEXT)
NEXTS = st.none() | st.builds(Next, TEXT, st.none() | TEXT, st.none() | TIMES,
                              st.none() | st.integers(min_value=1, max_value=100))
METAS = st.builds(Meta, account=st.none() | TEXT, created=TIMES, updated=TIMES,
                  history=st.lists(STEPS, max_size=4).map(tuple), next=NEXTS,
                  reads=st.integers(min_value=0, max_value=50), scenarios=st.tuples(TEXT, TEXT),
                  chaos=st.none() | st.dictionaries(TEXT, st.booleans(), min_size=1, max_size=2),
                  message=st.none() | TEXT)


@given(st.dictionaries(TEXT, JSONS, max_size=5), METAS, st.none() | st.dictionaries(TEXT, JSONS, min_size=1,
                                                                                     max_size=3))
def test_a_record_round_trips_through_json(fields: dict[str, Any], meta: Meta, private: dict[str, Any] | None) -> None:
    record = Record(fields, meta=meta, private=private)
    again = Record.from_json(json.loads(json.dumps(record.to_json())))
    assert dict(again) == fields and again.meta == meta
    assert (again.private if private else {}) == (private or {})
    assert json.loads(json.dumps(record)) == fields  # the provider's fields alone are what it shows


def stores(tmp_path: Path) -> list[Any]:
    return [MemoryStore(), SqliteStore(tmp_path / "scopes.sqlite")]


@pytest.mark.parametrize("which", [0, 1])
def test_an_account_scope_finds_only_its_own_records(tmp_path: Path, which: int) -> None:
    store = stores(tmp_path)[which]
    now = [100.0]
    acme = Scope(store, "p", "acme", lambda: now[0], Tags(("slow",), {"drop": True}))
    globex = Scope(store, "p", "globex", lambda: now[0])
    record = acme.new({"id": 1, "status": "pending"})
    assert record.meta.account == "acme" and record.meta.scenarios == ("slow",) and record.meta.chaos == {"drop": True}
    acme.put("tx", 1, record)
    store.begin()
    assert acme.get("tx", 1) == {"id": 1, "status": "pending"} and globex.get("tx", 1) is None
    assert [dict(r) for r in acme.all("tx")] == [{"id": 1, "status": "pending"}] and globex.all("tx") == []
    assert globex.delete("tx", 1) is False and acme.get("tx", 1) is not None
    with pytest.raises(ProviderError) as err:
        globex.require("tx", 1, "not_found", {"id": 1})
    assert err.value.name == "not_found"
    stolen = acme.get("tx", 1)
    assert stolen is not None
    with pytest.raises(PermissionError):
        globex.put("tx", 1, stolen)
    assert globex.taken("tx", 1)  # the key is not free, though globex cannot see the record
    view = Scope(store, "p", None, lambda: now[0])
    assert [r.meta.account for r in view.all("tx")] == ["acme"]
    assert view.of("acme").get("tx", 1) is not None
    with pytest.raises(PermissionError):
        globex.of("acme")
    now[0] = 200.0
    acme.put("tx", 1, stolen)
    store.begin()
    again = acme.get("tx", 1)
    assert again is not None and (again.meta.created, again.meta.updated) == (100.0, 200.0)
    store.close()


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
           | st.sampled_from([0, 1, 1.0, -0.0, 0.0, True, False, "1", "CP123456789"]))


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c"]), SCALARS, max_size=3), min_size=1, max_size=6))
def test_the_memory_store_shows_each_value_as_it_was_put(rows: list[dict[str, Any]]) -> None:
    """The memory store holds repeated values once, and only equal values of one type (1, 1.0 and True stay apart)."""
    store = MemoryStore()
    for i, fields in enumerate(rows):
        store.put("p", "tx", str(i), Record(fields))
    for i, fields in enumerate(rows):
        record = store.get("p", "tx", str(i))
        assert record is not None and json.dumps(record) == json.dumps(fields)
        assert [type(v) for v in record.values()] == [type(v) for v in fields.values()]
