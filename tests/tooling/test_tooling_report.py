"""`provider-sim report`: coverage and violations of a running simulator as JSON, JUnit XML and HTML."""

from __future__ import annotations

import json
import socket
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from simulator.cli import main

C2B = "/api/v2/wallets/144365/c2b/mpesa"
BODY = {"msisdn": "841234567", "amount": 500, "reference_description": "Pedido 1"}


@pytest.fixture
def exercised(provider_sim_server: Any) -> str:
    api = provider_sim_server.client("clicpay")
    ref = api.post(C2B, json=BODY).json()["clicpay_reference"]
    api.get(f"/api/v2/transactions/{ref}/status")
    assert api.post(C2B, json={"amount": 500}).status_code == 400  # schema violation
    assert api.get("/api/v2/no-such-thing").status_code == 404  # unknown operation
    provider_sim_server.advance(5)
    return str(provider_sim_server.base_url)


def _report(tmp_path: Path, base: str, fmt: str, *extra: str) -> tuple[int, bytes]:
    out = tmp_path / f"report.{fmt}"
    code = main(["report", "--from", base, "--format", fmt, "--out", str(out), *extra])
    return code, out.read_bytes()


def test_json_report_counts_operations_statuses_transitions_and_violations(tmp_path: Path, exercised: str) -> None:
    code, raw = _report(tmp_path, exercised, "json")
    assert code == 0
    report = json.loads(raw)
    clicpay = next(p for p in report["providers"] if p["key"] == "clicpay")
    ops = {o["id"]: o for o in clicpay["operations"]}
    assert ops["c2b_mpesa"]["statuses"] == {"200": 1, "400": 1}
    assert ops["transaction_status"]["calls"] == 1 and ops["list_wallets"]["calls"] == 0
    assert clicpay["unmatched_requests"] == 1
    moves = {(t["from"], t["to"]): t["count"] for t in clicpay["transitions"]}
    assert moves[("pending", "successful")] == 1 and moves[("pending", "failed")] == 0
    reasons = [r for v in clicpay["violations"] for r in v["violations"]]
    assert any("msisdn" in r for r in reasons) and any("unknown operation" in r for r in reasons)
    assert report["summary"]["violations"] == 2
    assert [w["event"] for w in clicpay["webhook_events"]] == ["transaction.completed", "transaction.failed"]
    assert clicpay["webhook_events"][0]["emitted"] == 1


def test_fail_on_violation_exits_non_zero(tmp_path: Path, exercised: str) -> None:
    assert _report(tmp_path, exercised, "json", "--fail-on-violation")[0] == 1


def test_clean_run_passes_fail_on_violation(tmp_path: Path, provider_sim_server: Any) -> None:
    provider_sim_server.client("clicpay").post(C2B, json=BODY)
    assert _report(tmp_path, provider_sim_server.base_url, "json", "--fail-on-violation")[0] == 0


def test_junit_report_parses_with_a_case_per_operation(tmp_path: Path, exercised: str) -> None:
    code, raw = _report(tmp_path, exercised, "junit")
    assert code == 0
    root = ET.fromstring(raw)
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "clicpay")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["c2b_mpesa"].find("failure") is not None
    assert "msisdn" in (cases["c2b_mpesa"].find("failure").text or "")  # type: ignore[union-attr]
    assert cases["transaction_status"].find("failure") is None
    assert cases["transaction_status"].find("skipped") is None
    assert cases["list_wallets"].find("skipped") is not None
    assert cases["unmatched_requests"].find("failure") is not None
    assert int(suite.get("tests", "0")) == len(cases) and int(suite.get("failures", "0")) == 2
    assert int(root.get("failures", "0")) == 2


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(dict(attrs).get("id") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_has_the_tables(tmp_path: Path, exercised: str) -> None:
    code, raw = _report(tmp_path, exercised, "html")
    assert code == 0
    page = _Tables()
    page.feed(raw.decode("utf-8"))
    for table in ("operations", "transitions", "webhooks", "violations"):
        assert f"clicpay-{table}" in page.tables
    text = " ".join(page.text)
    assert "c2b_mpesa" in text and "unknown operation: GET /api/v2/no-such-thing" in text


def test_unreachable_simulator_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["report", "--from", f"http://127.0.0.1:{port}", "--out", str(tmp_path / "r.json")]) == 2
    assert "cannot read a provider-sim" in capsys.readouterr().err


DOCUMENTED = {"msisdn": "841234567", "amount": 500, "reference_description": "Compra online",
              "internal_notes": "Pedido #12345"}


def test_report_lists_the_documented_examples_the_requests_matched(tmp_path: Path, provider_sim_server: Any) -> None:
    api = provider_sim_server.client("clicpay")
    assert api.post(C2B, json=DOCUMENTED).status_code == 200  # the documented example, any values
    assert api.post(C2B, json=dict(DOCUMENTED, msisdn="849999999")).status_code == 200
    assert api.post("/api/v2/wallets/144365/c2b/mkesh", json=BODY).status_code in (200, 400)  # no internal_notes
    import httpx
    assert httpx.get(f"{provider_sim_server.base_url}/clicpay/api/user").status_code == 401
    code, raw = _report(tmp_path, provider_sim_server.base_url, "json")
    assert code == 0
    report = json.loads(raw)
    clicpay = next(p for p in report["providers"] if p["key"] == "clicpay")["examples"]
    rows = {e["id"]: e for e in clicpay["examples"]}
    assert rows["c2b-mpesa"]["matched"] == 2 and len(rows["c2b-mpesa"]["requests"]) == 2
    assert rows["c2b-mkesh"]["matched"] == 0, "a request without a documented field is not that example"
    assert rows["c2b-mpesa-400"]["matched"] == 0 and rows["get-user-401"]["matched"] == 1
    assert clicpay["matched"] == 2 and clicpay["total"] == len(rows) > 50
    assert report["summary"]["examples_matched"] == 2
    assert report["summary"]["examples_total"] >= clicpay["total"]
    code, raw = _report(tmp_path, provider_sim_server.base_url, "html")
    page = _Tables()
    page.feed(raw.decode("utf-8"))
    assert "clicpay-examples" in page.tables and "c2b-mpesa" in " ".join(page.text)


def test_warnings_are_listed_apart_and_never_fail_the_run(tmp_path: Path, provider_sim_server: Any) -> None:
    """The documented e-Mola example sends an M-Pesa number: served, with a warning (a rule the documents do not
    state), which the report lists apart from violations and which --fail-on-violation lets through."""
    api = provider_sim_server.client("clicpay")
    assert api.post("/api/v2/wallets/144365/c2b/emola", json=DOCUMENTED).status_code == 200
    assert [len(e["warnings"]) for e in provider_sim_server.warnings()] == [1]
    assert provider_sim_server.violations() == []
    code, raw = _report(tmp_path, provider_sim_server.base_url, "json", "--fail-on-violation")
    assert code == 0
    report = json.loads(raw)
    clicpay = next(p for p in report["providers"] if p["key"] == "clicpay")
    assert clicpay["violations"] == [] and report["summary"] == {**report["summary"], "violations": 0, "warnings": 1}
    [warned] = clicpay["warnings"]
    assert warned["operation"] == "c2b_emola" and warned["status"] == 200
    assert "msisdn_operator" in warned["warnings"][0]
    code, raw = _report(tmp_path, provider_sim_server.base_url, "junit")
    suite = next(s for s in ET.fromstring(raw).iter("testsuite") if s.get("name") == "clicpay")
    case = next(c for c in suite.iter("testcase") if c.get("name") == "c2b_emola")
    assert case.find("failure") is None and "msisdn_operator" in (case.findtext("system-out") or "")
    code, raw = _report(tmp_path, provider_sim_server.base_url, "html")
    page = _Tables()
    page.feed(raw.decode("utf-8"))
    assert "clicpay-warnings" in page.tables and "msisdn_operator" in " ".join(page.text)
