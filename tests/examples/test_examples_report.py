"""The documented examples replayed against a real server, then `provider-sim report` finds every one of them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from simulator.app import build_app
from simulator.cli import main
from simulator.examples import load_all
from simulator.examples.replay import Outcome, Replayer
from simulator.settings import Settings
from simulator.testing import serve_app


async def _replay(base: str, provider: str) -> list[Outcome]:
    examples = load_all(Settings().specs_dir, [provider])[0]
    async with httpx.AsyncClient(base_url=base) as client:
        return await Replayer(client, examples, mode="replaced").run()


def test_the_report_matches_each_example_a_real_server_answered(tmp_path: Path) -> None:
    examples = load_all(Settings().specs_dir, ["widepay"])[0]
    app = build_app(Settings(clock="manual", start_time=examples.start_time, providers=["clicpay", "widepay"]))
    out = tmp_path / "report.json"
    with serve_app(app, lifespan="on") as base:
        outcomes = asyncio.run(_replay(base, "widepay"))
        assert main(["report", "--from", base, "--out", str(out)]) == 0
    assert all(o.ok for o in outcomes), [o.report() for o in outcomes if not o.ok]
    report = json.loads(out.read_text())
    providers = {p["key"]: p["examples"] for p in report["providers"]}
    widepay = {row["id"]: row for row in providers["widepay"]["examples"]}
    assert set(widepay) == {o.example.id for o in outcomes if o.example.kind != "setup"}  # setups are not docs
    assert all(row["matched"] >= 1 for row in widepay.values()), [i for i, r in widepay.items() if not r["matched"]]
    assert providers["clicpay"]["matched"] == 0 < providers["clicpay"]["total"]
