"""Scenario files: loading through /_sim/scenarios and files, and load errors naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import cli
from simulator.scenarios.loader import ScenarioLoadError
from simulator.settings import DEFAULT_SCENARIOS

GOOD = """\
name: my-rejects
provider: clicpay
description: The customer rejects.
rules:
  - match:
      operation: c2b_mpesa
      body: {msisdn: "840000002"}
    outcome: {status: failed, after_seconds: 20, message: Rejeitado}
"""


async def post_yaml(client, text):
    return await client.post("/_sim/scenarios", content=text.encode(), headers={"Content-Type": "application/yaml"})


async def test_posted_scenario_is_loaded_active_and_listed(client):
    r = await post_yaml(client, GOOD)
    assert r.status_code == 201
    assert r.json()["name"] == "my-rejects" and r.json()["active"] is True
    listed = {s["name"]: s for s in (await client.get("/_sim/scenarios")).json()["scenarios"]}
    entry = listed["my-rejects"]
    assert (entry["provider"], entry["description"], entry["source"], entry["active"]) == (
        "clicpay", "The customer rejects.", "api", True)


async def test_json_body_loads_too(client):
    r = await client.post("/_sim/scenarios", json={
        "name": "as-json", "provider": "clicpay",
        "rules": [{"match": {"operation": "get_user"}, "respond": {"status": 503, "body": {"message": "x"}}}]})
    assert r.status_code == 201 and r.json()["name"] == "as-json"


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    (GOOD.replace("      operation:", "      operaton:"), 6, "rules[0].match.operaton", "unknown key"),
    (GOOD.replace("after_seconds: 20", "after_seconds: soon"), 8, "rules[0].outcome.after_seconds", "number"),
    (GOOD.replace("operation: c2b_mpesa", "operation: c2b_pix"), 6, "rules[0].match.operation",
     "unknown operation 'c2b_pix'"),
    (GOOD.replace("provider: clicpay", "provider: payzen"), 2, "provider", "unknown provider"),
    (GOOD.replace("status: failed", "status: exploded"), 8, "rules[0].outcome.status", "unknown status"),
    (GOOD + "    fault: meltdown\n", 9, "rules[0].fault", "connection_reset"),
    (GOOD + "    webhooks: {dupicate: 2}\n", 9, "rules[0].webhooks.dupicate", "unknown key"),
    (GOOD + "    respond: {error: no_such_error}\n", 9, "rules[0].respond.error", "unknown error name"),
    (GOOD + "    respond: {body: {}}\n", 9, "rules[0].respond.status", "required"),
    (GOOD.replace('body: {msisdn: "840000002"}', "body: {msisdn: {regex: '[0-9'}}"), 7,
     "rules[0].match.body.msisdn.regex", "regular expression"),
    (GOOD.replace('body: {msisdn: "840000002"}', "calls: {from: 3, to: 1}"), 7, "rules[0].match.calls.to",
     "less than"),
    (GOOD.replace("description: The customer rejects.", "name: again"), 3, "name", "duplicate key"),
    (GOOD.replace("rules:\n", "rules: []\n").split("  - match")[0], 4, "rules", "non-empty"),
    (GOOD.replace("name: my-rejects\n", ""), 1, "name", "required"),
    ("name: [unclosed\n", 2, "", "not valid YAML"),
])
async def test_bad_files_name_the_line_and_the_key(client, text, line, key, words):
    r = await post_yaml(client, text)
    assert r.status_code == 400
    message = r.json()["error"]
    assert f"line {line}," in message and f"key {key!r}" in message and words in message, message


async def test_reset_drops_loaded_scenarios_and_keeps_the_library_inactive(client):
    await post_yaml(client, GOOD)
    await client.post("/_sim/scenarios/clicpay-slow-api/activate")
    await client.post("/_sim/reset")
    listed = {s["name"]: s for s in (await client.get("/_sim/scenarios")).json()["scenarios"]}
    assert "my-rejects" not in listed
    assert listed["clicpay-slow-api"]["active"] is False


async def test_activating_an_unknown_scenario_is_404(client):
    r = await client.post("/_sim/scenarios/nope/activate")
    assert r.status_code == 404 and "nope" in r.json()["error"]


def test_the_built_in_library_loads_without_errors_and_inactive(app):
    scenarios = {s["name"]: s for s in app.sim.scenarios.describe()}
    assert app.sim.scenarios.library_errors == []
    files = [p for p in DEFAULT_SCENARIOS.glob("*/*.yaml") if p.parent.name in app.sim.providers]
    assert len([s for s in scenarios.values() if s["origin"] == "builtin"]) == len(files)
    assert all(not s["active"] for s in scenarios.values())
    per_provider = {p: sum(1 for s in scenarios.values() if s["provider"] == p) for p in ("clicpay",)}
    assert per_provider["clicpay"] >= 5


def test_scenario_files_are_active_and_survive_reset(app, tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    app.sim.scenarios.load_files([path])
    app.sim.reset()
    entry = {s["name"]: s for s in app.sim.scenarios.describe()}["my-rejects"]
    assert entry["active"] is True and entry["source"] == str(path)


def test_a_bad_file_raises_naming_the_file(app, tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("latency", "x").replace("    outcome:", "    outcom:"))
    with pytest.raises(ScenarioLoadError) as info:
        app.sim.scenarios.load_files([path])
    assert str(path) in str(info.value) and "line 8" in str(info.value) and "rules[0].outcom" in str(info.value)


def test_serve_with_a_bad_scenario_file_exits_non_zero_with_the_message(tmp_path: Path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("      body:", "      bodie:"))
    code = cli.main(["serve", "--clock", "manual", "--scenario", str(path)])
    assert code != 0
    err = capsys.readouterr().err
    assert str(path) in err and "line 7" in err and "rules[0].match.bodie" in err
