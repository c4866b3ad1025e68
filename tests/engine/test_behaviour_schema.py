"""behaviour.yaml is checked at load like a scenario file: an unknown key or a wrong type stops start-up naming
the file, the line and the key; the provider's own sections are checked against the schema it registers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.behaviour.load import BehaviourError
from simulator.settings import DEFAULT_SPECS, Settings
from simulator.sim import Sim


def spec_copy(tmp_path: Path, key: str, edit: tuple[str, str]) -> Path:
    root = tmp_path / "specs"
    shutil.copytree(DEFAULT_SPECS / key, root / key)
    path = root / key / "behaviour.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    return root


def load_error(root: Path, key: str) -> BehaviourError:
    with pytest.raises(BehaviourError) as caught:
        Sim(Settings(clock="manual", specs_dir=root, providers=[key]))
    return caught.value


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_every_built_in_behaviour_file_keeps_its_schema() -> None:
    sim = Sim(Settings(clock="manual"))
    assert sorted(sim.providers) == ["clicpay", "ideagateway", "smartclick", "webpag", "widepay"]


def test_a_misspelt_engine_key_names_file_line_and_key(tmp_path: Path) -> None:
    root = spec_copy(tmp_path, "clicpay", ("      - {from: pending, to: successful, after_seconds: 5,",
                                           "      - {from: pending, to: successful, after_secs: 5,"))
    err = load_error(root, "clicpay")
    path = root / "clicpay" / "behaviour.yaml"
    assert err.source == str(path) and err.line == line_of(path, "after_secs")
    assert err.key == "lifecycles.transaction.auto[0].after_secs" and "unknown key" in err.message
    assert f"behaviour file {path}, line {err.line}, key 'lifecycles.transaction.auto[0].after_secs'" in str(err)


def test_a_wrong_type_names_the_key(tmp_path: Path) -> None:
    root = spec_copy(tmp_path, "webpag", ("utc_offset_hours: -3", "utc_offset_hours: minus three"))
    err = load_error(root, "webpag")
    assert err.key == "utc_offset_hours" and "must be a number, not str" in err.message
    assert err.line == line_of(root / "webpag" / "behaviour.yaml", "utc_offset_hours")


def test_a_providers_own_section_is_checked_against_the_schema_it_registers(tmp_path: Path) -> None:
    root = spec_copy(tmp_path, "clicpay", ('"0000005": {to: successful, after_seconds: 120}',
                                           '"0000005": {to: successful, after_seconds: 120, colour: red}'))
    err = load_error(root, "clicpay")
    assert err.key == "magic_msisdns.0000005.colour" and "unknown key" in err.message


def test_a_state_the_lifecycle_does_not_have_is_refused(tmp_path: Path) -> None:
    root = spec_copy(tmp_path, "widepay", ("outcomes: {pay: compensada,", "outcomes: {pay: compensado,"))
    err = load_error(root, "widepay")
    assert err.key == "lifecycles.transacao.outcomes.pay" and "unknown state 'compensado'" in err.message


def test_serve_with_a_bad_behaviour_file_stops_with_file_line_and_key(tmp_path: Path) -> None:
    import subprocess
    import sys
    root = spec_copy(tmp_path, "smartclick", ("rate_limit: {requests: 60,", "rate_limit: {requests: sixty,"))
    done = subprocess.run([sys.executable, "-m", "simulator", "serve", "--specs", str(root), "--port", "1"],
                          capture_output=True, text=True, timeout=60)
    path = root / "smartclick" / "behaviour.yaml"
    assert done.returncode == 2 and done.stdout == ""
    assert (f"behaviour file {path}, line {line_of(path, 'requests: sixty')}, key 'rate_limit.requests': "
            "must be a whole number, not str") in done.stderr
