"""The pytest plugin, as an integrator uses it: a small example suite run by a subprocess pytest."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

EXAMPLE = textwrap.dedent('''
    import http.server
    import json
    import threading

    import pytest

    from simulator.pytest_plugin import ProviderSimError

    C2B = "/api/v2/wallets/144365/c2b/mpesa"
    BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 1"}


    @pytest.fixture
    def receiver():
        got = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
        server.shutdown()


    @pytest.fixture(params=["provider_sim", "provider_sim_server"])
    def sim(request):
        return request.getfixturevalue(request.param)


    def test_1_create_then_clock_completes(sim):
        api = sim.client("clicpay")
        r = api.post(C2B, json=BODY)
        assert r.status_code == 200
        ref = r.json()["clicpay_reference"]
        assert api.get(f"/api/v2/transactions/{ref}/status").json()["status"] == "pending"
        sim.advance(5)
        assert api.get(f"/api/v2/transactions/{ref}/status").json()["status"] == "successful"
        [entry] = sim.requests(operation="c2b_mpesa")
        assert entry["violations"] == [] and entry["status"] == 200


    def test_2_state_is_reset_between_tests(sim):
        assert sim.requests() == []
        assert sim.webhooks() == []


    def test_force_and_refused_force(sim):
        api = sim.client("clicpay")
        ref = api.post(C2B, json=BODY).json()["clicpay_reference"]
        assert sim.force("clicpay", ref, "failed", message="Recusado")["status"] == "failed"
        with pytest.raises(ProviderSimError) as err:
            sim.force("clicpay", ref, "successful")
        assert err.value.status == 409


    def test_second_account_is_isolated(sim):
        assert sim.account("clicpay", 1)["id"] != sim.account("clicpay", 0)["id"]
        ref = sim.client("clicpay").post(C2B, json=BODY).json()["clicpay_reference"]
        assert sim.client("clicpay", 1).get(f"/api/v2/transactions/{ref}/status").status_code == 404


    def test_bad_request_is_a_violation(sim):
        r = sim.client("clicpay").post(C2B, json={"amount": 500})
        assert r.status_code == 400
        [entry] = sim.violations()
        assert any("msisdn" in v for v in entry["violations"])


    def test_webhook_reaches_a_real_receiver(sim, receiver):
        url, got = receiver
        api = sim.client("clicpay")
        assert api.post("/api/v2/webhooks", json={"url": url}).status_code == 201
        ref = api.post(C2B, json=BODY).json()["clicpay_reference"]
        sim.advance(5)
        [delivery] = sim.webhooks(provider="clicpay")
        assert delivery["state"] == "delivered" and delivery["event"] == "transaction.completed"
        assert got[0]["data"]["clicpay_reference"] == ref


    def test_server_fixture_has_a_real_port(provider_sim_server):
        assert provider_sim_server.base_url.startswith("http://127.0.0.1:")
        import httpx
        assert httpx.get(provider_sim_server.base_url + "/_sim/health").json() == {"status": "ok"}
''')


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_example_suite.py").write_text(EXAMPLE)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args,
                           str(tmp_path / "test_example_suite.py")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=180)


def test_example_suite_passes_with_both_fixtures(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "13 passed" in result.stdout


def test_seed_option_changes_credentials(tmp_path: Path, provider_sim: Any) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text("def test_token(provider_sim):\n"
                     "    print('TOKEN=' + provider_sim.account('clicpay')['credentials']['token'])\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                             "--provider-sim-seed", "7", str(probe)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    token = next(line for line in result.stdout.splitlines() if line.startswith("TOKEN="))[len("TOKEN="):]
    assert token and token != provider_sim.account("clicpay")["credentials"]["token"]  # this run: seed 0


USER_SUITE = textwrap.dedent('''
    import pytest

    @pytest.fixture(params=["provider_sim", "provider_sim_server"])
    def sim(request):
        return request.getfixturevalue(request.param)

    def test_the_users_provider_is_served(sim):
        api = sim.client("acmepay")
        r = api.post("/v1/charges", json={"amount": 100})
        assert (r.status_code, r.json()) == (501, {"error": "create_charge is not implemented"})

    def test_the_users_scenarios_are_loaded(sim):
        names = {s["name"]: s["source"] for s in sim.sim.scenarios.describe()}
        assert "acmepay-down" in names and "clicpay-customer-rejects" in names
        sim.scenario("acmepay-down")
        assert sim.client("acmepay").post("/v1/charges", json={"amount": 100}).status_code == 503
''')
DOWN = ("name: acmepay-down\nprovider: acmepay\ndescription: AcmePay is down.\nrules:\n"
        "  - match: {operation: create_charge}\n    respond: {status: 503, body: {error: down}}\n")


def _user_project(tmp_path: Path, acmepay_specs: Path, ini: str) -> Path:
    project = tmp_path / "project"
    (project / "sim-scenarios" / "acmepay").mkdir(parents=True)
    (project / "sim-scenarios" / "acmepay" / "down.yaml").write_text(DOWN)
    (project / "test_user_suite.py").write_text(USER_SUITE)
    (project / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n" + ini)
    import shutil
    shutil.copytree(acmepay_specs, project / "sim-specs")
    return project


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=180)


def test_an_ini_key_and_an_option_add_the_users_specs_and_scenarios(tmp_path: Path, acmepay_specs: Path) -> None:
    project = _user_project(tmp_path, acmepay_specs, "provider_sim_specs = sim-specs\n")
    result = _pytest(project, "--provider-sim-scenarios", "sim-scenarios")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_a_missing_folder_is_a_usage_error(tmp_path: Path, acmepay_specs: Path) -> None:
    project = _user_project(tmp_path, acmepay_specs, "")
    result = _pytest(project, "--provider-sim-specs", "nope")
    assert result.returncode == 4  # pytest's usage error
    assert f"provider-sim: --provider-sim-specs / provider_sim_specs folder {project / 'nope'}: no such folder" \
        in result.stderr
