"""The command line explains itself: help, version, and every refusal at start-up as one line, exit status 2.

Refusals are checked through `main()`; what needs a real process (binding, the banner) through a subprocess.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import simulator
from simulator import cli

KEYS = ["clicpay", "ideagateway", "smartclick", "webpag", "widepay"]


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run `provider-sim serve ARGV`; it must be refused: exit 2, nothing on stdout, one line on stderr."""
    code = cli.main(["serve", "--clock", "manual", *argv])
    out, err = capsys.readouterr()
    assert code == 2, (code, err)
    assert out == "", "nothing (no banner) is printed before a refusal"
    assert err.startswith("provider-sim: ") and err.endswith("\n") and err.count("\n") == 1, err
    return err


def run_cli(*argv: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_no_arguments_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: provider-sim") and "serve" in out and "report" in out


def test_version_comes_from_one_place(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"provider-sim {simulator.__version__}\n"
    assert importlib.metadata.version("provider-sim") == simulator.__version__


def test_serve_help_gives_every_default_the_keys_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    out = capsys.readouterr().out
    options = out.split("options:", 1)[1].split("examples:", 1)[0]
    blocks = re.split(r"\n(?=  -)", options.strip("\n"))  # one block per flag, its help wrapped under it
    flags = {b.split()[0].rstrip(","): b for b in blocks if not b.lstrip().startswith("-h")}
    assert {"--specs", "--scenarios", "--workers", "--store", "--provider", "--port", "--seed"} <= set(flags)
    for flag, block in flags.items():
        assert "(default" in " ".join(block.split()), f"{flag} does not state its default"
    assert f"Provider keys: {', '.join(KEYS)}" in out
    examples = out.split("examples:", 1)[1]
    assert examples.count("provider-sim serve") >= 2


@pytest.mark.parametrize("given", ["ClicPay", "CLICPAY", "clickpay"])
def test_an_unknown_provider_key_is_refused_with_the_keys(capsys: pytest.CaptureFixture[str], given: str) -> None:
    err = refused(capsys, "--provider", given)
    assert f"--provider {given}: unknown provider key" in err
    assert "did you mean 'clicpay'?" in err and ", ".join(KEYS) in err


def test_a_provider_key_of_a_users_spec_folder_is_accepted(acmepay_specs: Path) -> None:
    s = cli.settings_from_args(cli.parser().parse_args(["serve", "--specs", str(acmepay_specs),
                                                         "--provider", "acmepay"]))
    cli.check_serve_args(s, workers=1)  # no refusal
    args = cli.parser().parse_args(["serve", "--specs", str(acmepay_specs), "--provider", "AcmePay"])
    with pytest.raises(cli.Refused, match="did you mean 'acmepay'.*keys: acmepay, clicpay"):
        cli.check_serve_args(cli.settings_from_args(args), workers=1)


def test_several_workers_on_the_memory_store_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "--workers", "4")
    assert "--workers 4 needs a shared store" in err and "each worker would keep its own state" in err
    assert "--store sqlite:PATH" in err
    assert "at least 1" in refused(capsys, "--workers", "0")


def test_an_unusable_sqlite_store_names_the_path_and_the_reason(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert f"'{folder}'" in (err := refused(capsys, "--store", f"sqlite:{folder}")) and "it is a folder" in err
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just some text that is long enough to be read as a header " * 4)
    err = refused(capsys, "--store", f"sqlite:{text}")
    assert f"'{text}'" in err and "not a SQLite database" in err
    err = refused(capsys, "--store", f"sqlite:{text}/sim.sqlite")
    assert f"{text}/sim.sqlite" in err and f"{text} is a file, not a folder" in err
    assert "needs a file path" in refused(capsys, "--store", "sqlite:")
    assert "unknown store 'redis'" in refused(capsys, "--store", "redis")


def test_an_unreachable_postgresql_store_is_one_line_without_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    err = refused(capsys, "--store", f"postgresql://sim:s3cret@127.0.0.1:{port}/sim")
    assert f"cannot use 'postgresql://sim:***@127.0.0.1:{port}/sim' as the PostgreSQL store" in err
    assert "s3cret" not in err and len(err.strip().splitlines()) == 1


def test_bad_user_folders_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      acmepay_specs: Path) -> None:
    assert "no such folder" in refused(capsys, "--specs", str(tmp_path / "nope"))
    assert "no such folder" in refused(capsys, "--scenarios", str(tmp_path / "nope"))
    (acmepay_specs / "acmepay" / "behaviour.yaml").write_text("provider: {key: acmepay\n  auth: [\n")
    err = refused(capsys, "--specs", str(acmepay_specs))
    assert str(acmepay_specs / "acmepay" / "behaviour.yaml") in err and "line" in err
    lib = tmp_path / "lib" / "clicpay"
    lib.mkdir(parents=True)
    (lib / "bad.yaml").write_text("name: x\nprovider: clicpay\ndescription: d\nrules:\n  - mach: {}\n")
    err = refused(capsys, "--scenarios", str(tmp_path / "lib"))
    assert str(lib / "bad.yaml") in err and "line 5" in err and "mach" in err


def test_a_port_in_use_is_one_line_and_no_banner(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--clock", "manual", "--port", str(port), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == "", "the banner (with credentials) is printed only once the socket is bound"
    assert done.stderr == (f"provider-sim: cannot listen on 127.0.0.1:{port}: port {port} is already in use "
                           "(another provider-sim?); choose another with --port\n")


def serve_until_banner(tmp_path: Path, *argv: str) -> tuple[subprocess.Popen[str], int, list[str]]:
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--clock", "manual", "--port", "0", *argv],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("provider-sim on http://127.0.0.1:"), first + (proc.stderr.read() if proc.stderr else "")
    port = int(first.split("http://127.0.0.1:", 1)[1].split()[0])
    return proc, port, [first]


def test_the_banner_comes_once_the_port_is_bound_and_shows_the_real_port(tmp_path: Path) -> None:
    proc, port, _ = serve_until_banner(tmp_path)
    try:
        assert port != 0
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # the socket listens as soon as the banner is out
        health = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/health", timeout=10))
        assert health == {"status": "ok"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_several_workers_share_a_sqlite_store_on_one_bound_port(tmp_path: Path) -> None:
    proc, port, _ = serve_until_banner(tmp_path, "--workers", "2", "--store", f"sqlite:{tmp_path / 'sim.sqlite'}")
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # the workers start after the banner: wait for them to answer
            try:
                providers = json.load(urllib.request.urlopen(f"{base}/_sim/providers", timeout=1))["providers"]
                break
            except OSError:
                import time
                time.sleep(0.1)
        assert sorted(p["key"] for p in providers) == KEYS
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_settings_travel_to_the_workers_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = cli.settings_from_args(cli.parser().parse_args([
        "serve", "--specs", str(tmp_path), "--scenarios", str(tmp_path / "lib"), "--scenario", "a.yaml",
        "--seed", "7", "--store", "sqlite:x.sqlite", "--no-rate-limits"]))
    monkeypatch.setenv("PROVIDER_SIM_SETTINGS", cli.settings_to_env(s))
    assert cli.settings_from_env() == s
    assert os.environ["PROVIDER_SIM_SETTINGS"]
