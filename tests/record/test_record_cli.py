"""The commands as a user runs them: `provider-sim record` (a real process) in front of a fake HTTPS provider with
a self-signed certificate (`--upstream-ca`), with its webhook relay; then `diff` and `scenario-from`."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
import trustme
from record_support import START, free_port, serve_tls, wait_until_up

from simulator.app import build_app
from simulator.cli import main
from simulator.record.cassette import read
from simulator.record.facts import load_facts
from simulator.record.proxy import Recorder
from simulator.settings import Settings
from simulator.testing import serve_app, webhook_receiver

TOKEN = "sandbox-token-0123456789abcdef0123456789abcdef"


def simulator_answers() -> dict[str, Any]:
    """What the simulator itself answers (account 0): the fake provider answers the same, but for one header."""
    app = build_app(Settings(clock="manual", start_time=START, providers=["clicpay"]))
    headers = app.sim.providers["clicpay"].accounts[0].headers

    async def fetch() -> dict[str, Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as c:
            return {path: (await c.get(f"/clicpay{path}", headers=headers)).json()
                    for path in ("/api/user", "/api/v2/me/wallets")}
    return asyncio.run(fetch())


class FakeClicPay:
    """An HTTPS ClicPay with the simulator's bodies, but `/api/user` served as text/html (a drifted header)."""

    def __init__(self, bodies: dict[str, Any]) -> None:
        self.bodies = bodies
        self.seen: list[dict[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.seen.append({k.decode(): v.decode() for k, v in scope["headers"]})
        body = self.bodies.get(scope["path"])
        status = 200 if body is not None else 404
        payload = json.dumps(body if body is not None else {"message": "not found"}).encode()
        ctype = b"text/html; charset=UTF-8" if scope["path"] == "/api/user" else b"application/json"
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", ctype)]})
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    paths = {"ca": folder / "ca.pem", "cert": folder / "cert.pem", "key": folder / "key.pem"}
    ca.cert_pem.write_to_path(str(paths["ca"]))
    cert.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    cert.private_key_pem.write_to_path(str(paths["key"]))
    return paths


@pytest.fixture(scope="module")
def upstream(tls: dict[str, Path]) -> Iterator[tuple[str, FakeClicPay]]:
    fake = FakeClicPay(simulator_answers())
    with serve_tls(fake, tls["cert"], tls["key"]) as url:
        yield url, fake


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=60)


def test_record_through_tls_then_diff_and_scenario_from(tmp_path: Path, tls: dict[str, Path],
                                                         upstream: tuple[str, FakeClicPay]) -> None:
    url, fake = upstream
    out = tmp_path / "cassette"
    port, hook_port = free_port(), free_port()
    with webhook_receiver() as receiver:
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "record", "--provider", "clicpay", "--upstream", url,
             "--upstream-ca", str(tls["ca"]), "--port", str(port), "--out", str(out),
             "--webhook-port", str(hook_port), "--webhook-forward", receiver.url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_until_up(f"http://127.0.0.1:{port}")
            wait_until_up(f"http://127.0.0.1:{hook_port}")
            api = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {TOKEN}"})
            user = api.get("/api/user")
            assert user.status_code == 200 and user.headers["content-type"].startswith("text/html")
            assert api.get("/api/v2/me/wallets").json() == fake.bodies["/api/v2/me/wallets"]
            assert fake.seen[-1]["authorization"] == f"Bearer {TOKEN}"  # the provider gets the real credential
            hook = httpx.post(f"http://127.0.0.1:{hook_port}/hooks/clicpay", json={"event": "transaction.completed"},
                              headers={"X-ClicPay-Signature": "ab" * 32})
            assert hook.status_code == 200 and receiver.received[0].path == "/hooks/clicpay"
            assert receiver.received[0].headers["x-clicpay-signature"] == "ab" * 32
        finally:
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr
    assert "through http://127.0.0.1:" in stdout and "0001 GET /api/user -> 200" in stdout
    cassette = read(out)
    assert [e["file"] for e in cassette.entries] == ["0001-get_user.json", "0002-list_wallets.json",
                                                     "0003-webhook.json"]
    text = "".join(p.read_text() for p in out.iterdir())
    assert TOKEN not in text and "ab" * 32 not in text
    assert cassette.meta["upstream"] == url and cassette.entries[2]["forwarded_to"] == receiver.url

    report_file = tmp_path / "report.json"
    done = run_cli("diff", str(out), "--format", "json", "--out", str(report_file), "--fail-on-difference")
    assert done.returncode == 1, done.stderr
    report = json.loads(report_file.read_text())
    assert {(d["operation"], d["kind"], d["path"]) for op in report["operations"] for d in op["differences"]} == {
        ("get_user", "header", "content-type")}
    assert [d["kind"] for d in report["webhooks"]["differences"]] == ["webhook_missing"]
    assert report["summary"] == {"exchanges": 2, "replayed": 2, "skipped": 0, "webhooks_recorded": 1,
                                 "webhooks_simulated": 0, "operations": 2, "operations_with_differences": 1,
                                 "differences": 2}

    junit_file = tmp_path / "diff.xml"
    assert main(["diff", str(out), "--format", "junit", "--out", str(junit_file)]) == 0
    suite = ET.parse(junit_file).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "clicpay"
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    failed = {c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None}
    assert failed == {"get_user", "webhooks"}

    scenario_file = tmp_path / "recorded.yaml"
    assert main(["scenario-from", str(out), "--name", "clicpay-sandbox", "--out", str(scenario_file)]) == 0
    assert "name: clicpay-sandbox" in scenario_file.read_text()


def test_without_the_ca_the_upstream_certificate_is_refused(tmp_path: Path,
                                                            upstream: tuple[str, FakeClicPay]) -> None:
    recorder = Recorder(load_facts("clicpay"), tmp_path / "c", upstream[0])
    with serve_app(recorder.proxy_app(), lifespan="on") as proxy:
        r = httpx.get(f"{proxy}/api/user")
    assert r.status_code == 502 and "CERTIFICATE_VERIFY_FAILED" in r.json()["error"]


def test_text_report_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "c"
    app = build_app(Settings(clock="manual", start_time=START, providers=["clicpay"]))
    with serve_app(app) as sim:
        recorder = Recorder(load_facts("clicpay"), folder, f"{sim}/clicpay")
        with serve_app(recorder.proxy_app(), lifespan="on") as proxy:
            assert httpx.get(f"{proxy}/api/v2/transactions/CP000000000/status",
                             headers=dict(app.sim.providers["clicpay"].accounts[0].headers)).status_code == 404
    assert main(["diff", str(folder), "--fail-on-difference"]) == 0
    out = capsys.readouterr().out
    assert "transaction_status  GET /api/v2/transactions/{clicpay_reference}/status  (1 exchange(s)): same" in out
    assert "no differences" in out


@pytest.mark.parametrize("argv, message", [
    (["record", "--provider", "nope", "--upstream", "https://x.example"], "unknown provider 'nope'; known: clicpay"),
    (["record", "--provider", "clicpay", "--upstream", "ftp://x"], "must be an http(s) URL"),
    (["record", "--provider", "clicpay", "--upstream", "https://x.example", "--webhook-forward", "http://y"],
     "--webhook-forward needs --webhook-port"),
    (["record", "--provider", "clicpay", "--upstream", "https://x.example", "--upstream-ca", "/no/such.pem"],
     "no such file"),
    (["diff", "/no/such/cassette"], "is not a folder"),
    (["scenario-from", "/tmp", "--name", "two words"], "use letters, digits"),
])
def test_bad_arguments_exit_2_with_one_clear_line(argv: list[str], message: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_busy_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with serve_app(lambda *a: None) as busy:
        port = busy.rsplit(":", 1)[1]
        assert main(["record", "--provider", "clicpay", "--upstream", "https://x.example", "--port", port]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_the_readme_commands_parse() -> None:
    """The commands the README's "Is the simulator right?" walk-through gives are valid command lines."""
    from simulator.cli import parser
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Is the simulator right?", 1)[1].split("\n## ", 1)[0]
    shell = "".join(re.findall(r"```sh\n(.*?)```", section, re.S)).replace("\\\n", " ")
    commands = [" ".join(line.split("#")[0].split()) for line in shell.splitlines() if line.startswith("provider-sim ")]
    assert {c.split()[1] for c in commands} == {"record", "diff", "scenario-from", "serve"}
    for command in commands:
        parser().parse_args(command.split()[1:])
