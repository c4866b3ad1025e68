"""What the README promises a new user stays true: the seed-0 credentials and the scenario example."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.sim import Sim
from simulator.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_credentials_table_matches_seed_zero() -> None:
    sim = Sim(Settings(clock="manual", seed=0))
    rows = re.findall(r"^\| (\w+) \| `(\w+)` \| (.+?) \|", README, re.M)
    listed = {(provider, account): cells for provider, account, cells in rows if provider in sim.providers}
    expected = {(key, acc.id): acc.credentials for key, rt in sim.providers.items() for acc in rt.accounts}
    assert set(listed) == set(expected), "every account, and only those, is in the README"
    for (provider, account), creds in expected.items():
        for name, value in creds.items():
            assert f"`{value}`" in listed[(provider, account)], (provider, account, name)


def test_scenario_example_loads() -> None:
    example = re.search(r"```yaml\n(name: .*?)```", README, re.S)
    assert example is not None
    sim = Sim(Settings(clock="manual"))
    loaded = sim.scenarios.load_text(example.group(1))
    assert loaded["provider"] == "clicpay" and loaded["rules"] == 1
