"""The outbox for every provider: its behaviour.yaml retry schedule, chaos and resend, with a real receiver."""

from __future__ import annotations

import json

import pytest
from webhook_servers import Receiver, module_rx, receiver, rx  # noqa: F401 (fixtures)

from simulator.settings import DEFAULT_SPECS
from simulator.webhooks.outbox import Outgoing

import yaml

PROVIDERS = sorted(p.name for p in DEFAULT_SPECS.iterdir() if (p / "behaviour.yaml").is_file())


def schedule(provider: str) -> list[float]:
    data = yaml.safe_load((DEFAULT_SPECS / provider / "behaviour.yaml").read_text(encoding="utf-8"))
    return [float(s) for s in ((data.get("webhooks") or {}).get("retry_seconds") or [])]



def outgoing(provider: str, url: str) -> Outgoing:
    body = json.dumps({"event": "test"}).encode()
    return Outgoing(provider=provider, event="test.event", url=url, body=body,
                    headers={"Content-Type": "application/json", "X-Signature": "abcdef0123456789"},
                    event_id=7, signature_header="X-Signature")


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_retries_follow_the_providers_schedule(app, client, rx, provider):
    retries = schedule(provider)
    if provider not in app.sim.providers or not retries:
        pytest.skip(f"{provider} declares no webhook retry schedule")
    rx.plan = [500] * (len(retries) + 1)
    app.sim.outbox.send(outgoing(provider, rx.url))
    await client.post("/_sim/clock/advance", json={"seconds": 0})
    for wait in retries:
        await client.post("/_sim/clock/advance", json={"seconds": wait - 1})
        assert len(rx.received) == retries.index(wait) + 1
        await client.post("/_sim/clock/advance", json={"seconds": 1})
    journal = (await client.get("/_sim/webhooks", params={"provider": provider})).json()["deliveries"]
    assert [d["state"] for d in journal] == ["retrying"] * len(retries) + ["failed"]
    r = await client.post(f"/_sim/webhooks/{journal[-1]['id']}/resend")
    assert r.json()["state"] == "delivered" and r.json()["attempt"] == len(retries) + 2


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_chaos_applies_to_any_providers_deliveries(app, client, rx, provider):
    if provider not in app.sim.providers:
        pytest.skip(f"{provider} is not loaded")
    app.sim.outbox.send(outgoing(provider, rx.url), chaos={"duplicate": 2, "bad_signature": True})
    await client.post("/_sim/clock/advance", json={"seconds": 0})
    assert len(rx.received) == 3
    assert {r.headers["x-signature"] for r in rx.received} == {"abcdef01deadbeef"}
