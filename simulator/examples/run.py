"""One provider's examples replayed against a simulator built in process at a given time (the document's era for
the acceptance test, today's date for the table's first column), with a real webhook receiver when the examples
include documented webhook bodies."""

from __future__ import annotations

import contextlib

import httpx

from simulator.app import build_app
from simulator.examples.model import ExampleSet
from simulator.examples.replay import Outcome, Replayer
from simulator.settings import Settings
from simulator.testing import WebhookReceiver, webhook_receiver


async def replay_in_process(examples: ExampleSet, mode: str = "replaced", start_time: float | None = None,
                            seed: int = 0) -> dict[str, Outcome]:
    """Every example's outcome by id; the simulator runs the manual clock from `start_time` (default: the era)."""
    start = examples.start_time if start_time is None else start_time
    app = build_app(Settings(clock="manual", start_time=start, seed=seed, providers=[examples.provider]))
    with contextlib.ExitStack() as stack:
        receiver: WebhookReceiver | None = None
        if examples.receiver is not None and any(e.kind == "webhook" for e in examples.examples):
            receiver = stack.enter_context(webhook_receiver())
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
            outcomes = await Replayer(client, examples, mode, receiver).run()
        await app.sim.outbox.close()
    return {o.example.id: o for o in outcomes}
