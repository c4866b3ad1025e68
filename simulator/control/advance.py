"""POST /_sim/clock/advance: move the clock, running every job that falls due, in order, within bounds.

- `seconds` is a finite number, 0 <= N <= `Limits.clock_horizon_seconds`, and the clock never passes LATEST
  (datetime's year 9999 less a margin for what jobs schedule after it); anything else is a 400 and the clock
  does not move.
- At most `Limits.max_jobs_per_advance` jobs run; past that the advance stops where it got to (the jobs that ran
  stay run) with a 422 that names the bound and the time reached.
- The event loop is given back every few milliseconds, so /_sim/health and other clients are answered during a
  long advance; one advance runs at a time.
"""

from __future__ import annotations

import asyncio
import time
from simulator.clock import Clock, Scheduler, iso
from simulator.control.inputs import finite_number
from simulator.engine.errors import SimError
from simulator.limits import Limits
from simulator.records import JSON

LATEST = 253_402_300_799 - 100 * 366 * 86_400  # 9899-12-31: jobs may schedule up to a century past the clock
BATCH = 200  # jobs between checks of the time slice
SLICE_SECONDS = 0.01  # the longest the advance holds the event loop at once

def checked_seconds(clock: Clock, limits: Limits, body: dict[str, JSON]) -> float:
    horizon = float(limits.clock_horizon_seconds)
    seconds = finite_number(body.get("seconds"), "seconds", 0, horizon)
    if clock.now() + seconds > LATEST:
        raise SimError(400, f"the clock cannot go past {iso(LATEST)}")
    return seconds


async def advance(clock: Clock, scheduler: Scheduler, limits: Limits, seconds: float, lock: asyncio.Lock) -> None:
    """Move the clock by `seconds` (checked), one advance at a time (`lock`)."""
    bound = int(limits.max_jobs_per_advance)
    async with lock:
        target = clock.now() + seconds
        ran = 0
        slice_start = time.perf_counter()
        while True:
            due = scheduler.next_due()
            if due is None or due > target:
                break
            if due > clock.now():
                clock.advance(due - clock.now())
            ran += await scheduler.run_due(limit=min(BATCH, bound - ran + 1))
            if ran > bound:
                raise SimError(422, f"the advance stopped after {bound} jobs (max_jobs_per_advance, the "
                                    f"--max-jobs-per-advance flag) at {clock.now_iso()}; advance in "
                                    "smaller steps or raise the bound")
            if time.perf_counter() - slice_start > SLICE_SECONDS:
                await asyncio.sleep(0)
                slice_start = time.perf_counter()
        if target > clock.now():
            clock.advance(target - clock.now())
        ran += await scheduler.run_due(limit=bound - ran + 1)
        if ran > bound:
            raise SimError(422, f"the advance stopped after {bound} jobs (max_jobs_per_advance) at "
                                f"{clock.now_iso()}")
