"""The documented examples replayed against a real server, then `provider-sim report` finds every one of them:
request examples in the request journal, documented webhook bodies in the deliveries that reached a receiver."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from simulator.app import build_app
from simulator.cli import main
from simulator.examples import load_all
from simulator.examples.replay import Outcome, Replayer
from simulator.settings import Settings
from simulator.testing import serve_app, webhook_receiver


async def _replay(base: str, provider: str) -> list[Outcome]:
    examples = load_all(Settings().specs_dir, [provider])[0]
    with webhook_receiver() as receiver:
        async with httpx.AsyncClient(base_url=base) as client:
            return await Replayer(client, examples, mode="replaced", receiver=receiver).run()


def _served_report(tmp_path: Path, provider: str) -> tuple[list[Outcome], dict[str, Any]]:
    """The provider's examples replayed against a real server at their era (ClicPay beside it, untouched), then
    the report read from that server."""
    examples = load_all(Settings().specs_dir, [provider])[0]
    app = build_app(Settings(clock="manual", start_time=examples.start_time, providers=["clicpay", provider]))
    out = tmp_path / "report.json"
    with serve_app(app, lifespan="on") as base:
        outcomes = asyncio.run(_replay(base, provider))
        assert main(["report", "--from", base, "--out", str(out)]) == 0
    assert all(o.ok for o in outcomes), [o.report() for o in outcomes if not o.ok]
    report = json.loads(out.read_text())
    return outcomes, {p["key"]: p["examples"] for p in report["providers"]}


def test_the_report_matches_each_example_a_real_server_answered(tmp_path: Path) -> None:
    outcomes, providers = _served_report(tmp_path, "widepay")
    widepay = {row["id"]: row for row in providers["widepay"]["examples"]}
    assert set(widepay) == {o.example.id for o in outcomes if o.example.kind != "setup"}  # setups are not docs
    assert all(row["matched"] >= 1 for row in widepay.values()), [i for i, r in widepay.items() if not r["matched"]]
    assert providers["clicpay"]["matched"] == 0 < providers["clicpay"]["total"]


def test_the_report_matches_the_documented_webhooks_the_receiver_got(tmp_path: Path) -> None:
    outcomes, providers = _served_report(tmp_path, "ideagateway")
    rows = {row["id"]: row for row in providers["ideagateway"]["examples"]}
    assert set(rows) == {o.example.id for o in outcomes if o.example.kind != "setup"}
    assert all(row["matched"] >= 1 for row in rows.values()), [i for i, r in rows.items() if not r["matched"]]
    hooks = [row for row in rows.values() if row["kind"] == "webhook"]
    assert [row["operation"] for row in hooks] == ["bankslip", "pix", "creditCard", "debitCard"]
    assert all(str(row["requests"][0]).startswith("webhook ") for row in hooks)
