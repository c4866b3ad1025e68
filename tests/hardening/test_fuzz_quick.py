"""The short deterministic subset of the HTTP fuzz suite (`make fuzz` runs all of it on a real server): every
class of hostile input against one operation of each kind per provider, in process."""

from __future__ import annotations

import httpx

from conftest import START
from fuzzing import Tally, send_all
from hostile import cases, random_cases
from simulator.app import build_app
from simulator.settings import Settings


async def test_hostile_input_gets_4xx_and_standard_json_from_every_provider():
    app = build_app(Settings(clock="manual", start_time=START, rate_limits=False))
    headers = {key: dict(p.accounts[0].headers) for key, p in app.sim.providers.items()}
    picked: set[tuple[str, str, str]] = set()

    def sample():  # the first operation of each (provider, method, class)
        for case in [*cases(app, headers, fast=True), *random_cases(app, headers, per_operation=3)]:
            key = (case.provider, case.method, case.kind)
            if key not in picked or case.kind in ("deep_json", "php_brackets"):
                picked.add(key)
                yield case

    tally = Tally()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        await send_all(client, sample(), tally, concurrency=1)
        for path in ("/_sim/requests", "/_sim/coverage", "/_sim/webhooks"):
            assert (await client.get(path)).status_code == 200
    summary = tally.summary()
    assert summary["cases"] > 500 and set(summary["by_provider"]) == set(app.sim.providers)
    assert tally.server_errors == [] and tally.bad_json == [] and tally.transport_errors == []
