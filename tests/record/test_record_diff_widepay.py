"""WidePay (form-encoded, HTTP Basic or ws-conta/ws-token form fields): record, then `diff`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from record_support import Session, assert_nothing_leaks, found, recording

from simulator.record.replay import run

CPF = "529.982.247-25"


def boleto(s: Session) -> dict[str, str]:
    return {"tipo": "Boleto", "vencimento": "2026-01-10", "cliente[pessoa]": "Física",
            "cliente[nome]": "Lays Pontarolo", "cliente[cpf]": CPF, "cliente[email]": "lays@example.com",
            "itens[0][descricao]": "Produto", "itens[0][valor]": "50",
            "notificacao": f"{s.hooks}/widepay/notificacao"}


def with_fields(s: Session, form: dict[str, str]) -> dict[str, str]:
    """Credentials as form fields instead of HTTP Basic (both are documented)."""
    creds = s.credentials()
    return {**form, "ws-conta": creds["conta"], "ws-token": creds["token"]}


def session_flow(s: Session) -> str:
    basic = s.client()
    fields = s.client(None)
    created = basic.post("/api/transacoes/gerar", data=boleto(s)).json()
    assert created["success"] is True
    seen = fields.post("/api/transacoes/consultar", data=with_fields(s, {"id": created["id"]})).json()
    assert seen["transacoes"][0]["cliente"]["cpf"] == CPF
    s.advance(60)
    note = s.receiver.received[-1].form()["notificacao"]
    answer = basic.post("/api/transacoes/notificacao", data={"id": note}).json()
    assert answer["transacao"]["id"] == created["id"]
    assert basic.post("/api/transacoes/cancelar", data={}).json()["success"] is False
    assert s.client(1).post("/api/transacoes/consultar", data={"id": created["id"]}).json()["success"] is False
    return str(created["id"])


def test_an_identical_upstream_yields_no_difference(tmp_path: Path) -> None:
    folder = tmp_path / "widepay"
    with recording("widepay", folder) as s:
        session_flow(s)
        assert_nothing_leaks(s, CPF, "52998224725", "lays@example.com", "Lays Pontarolo")
    report = run(folder)
    assert report.differences == [], [d.describe() for d in report.differences]
    assert report.public()["summary"]["replayed"] == 5
    assert (report.webhooks_recorded, report.webhooks_simulated) == (1, 1)


def add_type(form: dict[str, Any]) -> dict[str, Any]:
    return {**form, "tipo": "status"}


def test_injected_drifts_in_forms_are_found(tmp_path: Path) -> None:
    folder = tmp_path / "widepay"
    with recording("widepay", folder, relay=add_type) as s:
        basic, direct = s.client(), s.direct()
        ident = basic.post("/api/transacoes/gerar", data=boleto(s)).json()["id"]
        # type change: `total` as text
        seen = direct.post("/api/transacoes/consultar", data={"id": ident}).json()
        s.drift("total-as-text", [{"match": {"operation": "transacoes_consultar"},
                                   "respond": {"status": 200, "body": {**seen, "total": "1"}}}])
        assert basic.post("/api/transacoes/consultar", data={"id": ident}).json()["total"] == "1"
        # message change in an error answered with 200 (`success: false`, WidePay's error template)
        refused = direct.post("/api/transacoes/cancelar", data={}).json()
        s.drift("other-validation-text", [{"match": {"operation": "transacoes_cancelar"},
                                           "respond": {"status": 200,
                                                       "body": {**refused, "error": "Dados invalidos."}}}])
        assert basic.post("/api/transacoes/cancelar", data={}).json()["error"] == "Dados invalidos."
        s.advance(60)  # the notification, with a field the simulator does not send
        assert s.receiver.received[-1].form()["tipo"] == "status"
    report = run(folder)
    assert found(report) == {
        ("transacoes_consultar", "type", "response.body", "$.total"),
        ("transacoes_cancelar", "text", "response.body", "$.error"),
        ("webhooks", "missing_key", "webhook.body", "$.tipo"),
    }, [d.describe() for d in report.differences]
