"""Large `/_sim/` answers are streamed, and their items (journal entries) are built as they are sent."""

import asyncio
import json

from hypothesis import given, strategies as st

from simulator.jsonio import Shown, stream_json

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                                        max_size=4), max_leaves=20)


async def _collect(value: object, depth: int) -> bytes:
    return b"".join([chunk async for chunk in stream_json(value, depth)])


@given(st.lists(json_values, max_size=30), st.integers(0, 5))
def test_shown_items_stream_as_the_list_of_them_does(items: list[object], depth: int) -> None:
    wrapped = {"requests": Shown(items, lambda item: {"item": item})}
    expected = {"requests": [{"item": item} for item in items]}
    assert json.loads(asyncio.run(_collect(wrapped, depth + 2))) == expected


def test_items_are_built_only_as_the_stream_reaches_them() -> None:
    built: list[int] = []

    def show(n: int) -> dict[str, int]:
        built.append(n)
        return {"n": n, "pad": "x" * 40_000}

    async def first_chunk() -> bytes:
        stream = stream_json({"requests": Shown(list(range(1000)), show)}, depth=2)
        return await stream.__anext__()

    asyncio.run(first_chunk())
    assert 0 < len(built) < 10  # the first 64 KiB needed two entries, not the thousand
    assert Shown([1, 2, 3], lambda n: n * 10)[1:][0] == 20 and list(Shown([1], str)) == ["1"]
