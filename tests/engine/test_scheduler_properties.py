"""Properties of the manual clock and the scheduler of due work (transitions and webhook attempts run on it)."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.clock import Clock, Scheduler

DELAYS = st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), max_size=20)
STEPS = st.lists(st.floats(min_value=0, max_value=400, allow_nan=False), min_size=1, max_size=8)


@given(DELAYS, STEPS, st.data())
def test_exactly_the_due_jobs_run_in_due_then_submission_order(delays: list[float], steps: list[float],
                                                                data: st.DataObject) -> None:
    clock = Clock("manual", start=1_000)
    scheduler = Scheduler(clock)
    ran: list[int] = []
    entries = [scheduler.after(d, lambda i=i: ran.append(i), tag=f"job:{i}") for i, d in enumerate(delays)]
    cancelled = set(data.draw(st.sets(st.sampled_from(range(len(delays)))) if delays else st.just(set())))
    for i in cancelled:
        scheduler.cancel(entries[i])
    for step in steps:
        clock.advance(step)
        asyncio.run(scheduler.run_due())
        now = clock.now()
        due = sorted((1_000 + d, i) for i, d in enumerate(delays) if 1_000 + d <= now and i not in cancelled)
        assert ran == [i for _, i in due]
        assert scheduler.has_due() is False
        pending = scheduler.pending("job:")
        assert sorted(tag for _, tag in pending) == sorted(
            f"job:{i}" for i, d in enumerate(delays) if 1_000 + d > now and i not in cancelled)


@given(st.lists(st.sampled_from([0.0, 0.0, 1.0, 30.0]), min_size=1, max_size=6))
def test_jobs_scheduled_by_due_jobs_run_in_the_same_pass_when_due(chain: list[float]) -> None:
    """A transition that plans another one already due (after 0 s) runs it before run_due returns; a later one
    waits for the clock."""
    clock = Clock("manual", start=0)
    scheduler = Scheduler(clock)
    ran: list[int] = []

    def link(i: int) -> None:
        ran.append(i)
        if i + 1 < len(chain):
            scheduler.after(chain[i + 1], lambda: link(i + 1))

    scheduler.after(chain[0], lambda: link(0))
    clock.advance(chain[0])
    asyncio.run(scheduler.run_due())
    waiting = next((i for i, d in enumerate(chain) if i > 0 and d > 0), len(chain))
    assert ran == list(range(waiting))


@given(STEPS)
def test_the_manual_clock_stands_still_and_moves_only_forward(steps: list[float]) -> None:
    clock = Clock("manual", start=5_000)
    total = 0.0
    for step in steps:
        before = clock.now()
        assert clock.now() == before  # no wall-clock drift
        clock.advance(step)
        total += step
        assert clock.now() == pytest.approx(5_000 + total)
    with pytest.raises(ValueError):
        clock.advance(-0.001)
    clock.reset()
    assert clock.now() == 5_000


async def test_async_jobs_are_awaited() -> None:
    clock = Clock("manual", start=0)
    scheduler = Scheduler(clock)
    ran: list[str] = []

    async def job() -> None:
        await asyncio.sleep(0)
        ran.append("async")

    scheduler.after(1, job)
    clock.advance(1)
    assert await scheduler.run_due() == 1 and ran == ["async"]
