"""The small units of simulator/record: provider facts, cassette files, id and credential mapping, JSON diff,
report formats."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from simulator.record import cassette
from simulator.record.facts import load_facts
from simulator.record.ids import Accounts, IdMap
from simulator.record.jsondiff import Difference, compare_shapes, compare_texts, shape
from simulator.record.replay import DiffReport, OperationResult
from simulator.record.report import render


# --- facts -------------------------------------------------------------------------------------------------------

def test_operations_are_matched_literal_segments_first() -> None:
    ig = load_facts("ideagateway")
    assert ig.operation_id("POST", "/pix/static") == "create_static_pix"
    assert ig.operation_id("GET", "/pix/abc") == "get_pix"
    assert ig.operation_id("GET", "//pix/abc") == "get_pix"  # Idea Gateway tolerates doubled slashes
    sc = load_facts("smartclick")
    assert sc.operation_id("GET", "/api/v1/saques/sacar/7") == "pedido_de_saque"
    assert sc.operation_id("HEAD", "/api/v1/carteiras/3") == "buscar_carteira_head"
    assert sc.operation_id("GET", "/smart/api/v1/carteiras/3") == "buscar_carteira"  # its declared path alias
    assert load_facts("clicpay").operation_id("HEAD", "/api/user") == "get_user"  # HEAD falls back to GET
    assert load_facts("clicpay").operation_id("GET", "/nowhere") is None


def test_error_answers_and_refused_credentials_follow_the_error_table() -> None:
    wp, cp = load_facts("widepay"), load_facts("clicpay")
    assert wp.is_error_answer(200, {"success": False, "error": "x"})
    assert not wp.is_error_answer(200, {"success": True})
    assert wp.rejects_credentials(200, {"success": False,
                                        "error": "Autenticação inválida: informe ws-conta e ws-token válidos."})
    assert not wp.rejects_credentials(200, {"success": False, "error": "Erro na validação dos campos."})
    assert cp.rejects_credentials(401, {"message": "Unauthenticated."}) and not cp.rejects_credentials(403, {})
    assert cp.is_error_answer(404, {}) and not cp.is_error_answer(200, {"success": False})
    assert "clicpay_reference" in cp.id_names and "wallet_id" in cp.id_names


# --- cassette ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, ctype, expected", [
    (b"", "application/json", ("none", None)),
    (b'{"a": 1}', "application/json; charset=utf-8", ("json", {"a": 1})),
    (b"a=1&b%5B0%5D=x+y", "application/x-www-form-urlencoded", ("form", [["a", "1"], ["b[0]", "x y"]])),
    (b"<html>oops</html>", "text/html", ("text", "<html>oops</html>")),
    (b"%PDF-1.4\xff\xfe", "application/pdf", ("omitted", {"bytes": 10})),
])
def test_bodies_are_stored_readably(raw: bytes, ctype: str, expected: tuple[str, Any]) -> None:
    assert cassette.encode_body(raw, ctype) == expected
    if expected[0] in ("json", "form", "text"):
        assert cassette.encode_body(cassette.decode_body(*expected), ctype) == expected


def test_form_pairs_read_as_php_does() -> None:
    assert cassette.form_to_data([["itens[0][valor]", "10"], ["itens[0][descricao]", "A"], ["id[]", "x"],
                                  ["id[]", "y"]]) == {"itens": {"0": {"valor": "10", "descricao": "A"}},
                                                      "id": {"0": "x", "1": "y"}}


def test_a_cassette_folder_is_continued_and_checked(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    writer = cassette.CassetteWriter(folder, "clicpay", "https://user:pw@sandbox.example:8443/v2?x=1", "t", 0.0)
    entry = {"kind": "exchange", "seq": writer.next_seq(), "operation": "get_user", "at": cassette.iso_ms(1.5),
             "request": {"method": "GET", "path": "/api/user"}}
    assert writer.write(entry).name == "0001-get_user.json"
    again = cassette.CassetteWriter(folder, "clicpay", "https://sandbox.example", "t", 10.0)
    assert again.next_seq() == 2
    meta = json.loads((folder / "cassette.json").read_text())
    assert meta["upstream"] == "https://sandbox.example:8443/v2" and len(meta["sessions"]) == 2
    with pytest.raises(cassette.CassetteError, match="holds a cassette of 'clicpay', not 'webpag'"):
        cassette.CassetteWriter(folder, "webpag", "https://x", "t", 0.0)
    read = cassette.read(folder)
    assert read.provider == "clicpay" and [e["file"] for e in read.entries] == ["0001-get_user.json"]
    assert read.entries[0]["at"] == "1970-01-01T00:00:01.500Z"
    (folder / "0002-broken.json").write_text('{"kind": "exchange"}')
    with pytest.raises(cassette.CassetteError, match="0002-broken.json: no 'seq'"):
        cassette.read(folder)
    with pytest.raises(cassette.CassetteError, match="has no cassette.json"):
        cassette.read(tmp_path)


# --- ids and accounts --------------------------------------------------------------------------------------------

def test_ids_are_learned_where_names_or_looks_say_so() -> None:
    ids = IdMap(load_facts("clicpay"))
    ids.learn({"clicpay_reference": "CP111", "transaction_id": 7, "message": "Pedido 1 criado", "amount": 5,
               "status": "pending", "hooks": [{"id": 3}], "trace": "abc123xyz"},
              {"clicpay_reference": "CP222", "transaction_id": 1001, "message": "Pedido 2 criado", "amount": 6,
               "status": "successful", "hooks": [{"id": 1}], "trace": "zzz999zzz"})
    assert ids.pairs == {"CP111": "CP222", "7": 1001, "3": 1, "abc123xyz": "zzz999zzz"}
    assert ids.data({"transaction_id": "7", "amount": 7, "wallet_ids": [3], "note": "abc123xyz"}) == {
        "transaction_id": "1001", "amount": 7, "wallet_ids": [1], "note": "zzz999zzz"}
    assert ids.form([["id", "CP111"], ["valor", "7"]]) == [["id", "CP222"], ["valor", "7"]]
    ids.learn({"wal_id": 132095}, {"wal_id": 1})
    assert ids.data({"pgm_carteira": 132095, "parcelas": 7}) == {"pgm_carteira": 1, "parcelas": 7}
    assert ids.text("Transação CP111 não encontrada") == "Transação CP222 não encontrada"


def test_path_parameters_and_account_resources_are_mapped() -> None:
    facts = load_facts("clicpay")
    ids = IdMap(facts)
    ids.learn({"clicpay_reference": "CP1"}, {"clicpay_reference": "CP9"})
    op, params = facts.match("GET", "/api/v2/transactions/CP1/status")  # type: ignore[misc]
    assert ids.path("/api/v2/transactions/CP1/status", params, None) == "/api/v2/transactions/CP9/status"
    account = {"id": "acme", "wallets": [144365, 144366]}
    _, params = facts.match("POST", "/api/v2/wallets/777/c2b/mpesa")  # type: ignore[misc]
    assert ids.path("/api/v2/wallets/777/c2b/mpesa", params, account) == "/api/v2/wallets/144365/c2b/mpesa"
    _, params = facts.match("POST", "/api/v2/wallets/888/c2b/emola")  # type: ignore[misc]
    assert ids.path("/api/v2/wallets/888/c2b/emola", params, account) == "/api/v2/wallets/144366/c2b/emola"
    _, params = facts.match("POST", "/api/v2/wallets/144366/b2c/mpesa")  # type: ignore[misc]
    assert ids.path("/api/v2/wallets/144366/b2c/mpesa", params, account) == "/api/v2/wallets/144366/b2c/mpesa"
    assert ids.data({"wallet_ids": [777]}) == {"wallet_ids": [144365]}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def entry(headers: dict[str, str], status: int = 200, body: Any = None, form: list[list[str]] | None = None
          ) -> dict[str, Any]:
    return {"request": {"headers": headers, "body_encoding": "form" if form else "none", "body": form},
            "response": {"status": status, "body": body or {}}}


def test_credentials_map_to_the_simulator_accounts_in_order_of_use() -> None:
    facts = load_facts("widepay")
    sim = [{"id": "acme", "headers": {"Authorization": basic("1001-2", "t1")},
            "credentials": {"conta": "1001-2", "token": "t1"}},
           {"id": "globex", "headers": {"Authorization": basic("2002-5", "t2")},
            "credentials": {"conta": "2002-5", "token": "t2"}}]
    refused = {"success": False, "error": "Autenticação inválida: informe ws-conta e ws-token válidos."}
    first = entry({"authorization": basic("9999-1", "aaa")})
    same_by_fields = entry({}, form=[["ws-conta", "9999-1"], ["ws-token", "aaa"], ["id", "x"]])
    wrong = entry({"authorization": basic("9999-1", "bad")}, 200, refused)
    second = entry({"authorization": basic("8888-2", "bbb")})
    accounts = Accounts(facts, sim, [first, wrong, same_by_fields, second])
    assert accounts.account_for(first) is sim[0] and accounts.account_for(same_by_fields) is sim[0]
    assert accounts.account_for(second) is sim[1] and accounts.account_for(wrong) is None
    headers, body = accounts.apply(same_by_fields, {"content-type": "x"}, "form", same_by_fields["request"]["body"])
    assert body == [["ws-conta", "1001-2"], ["ws-token", "t1"], ["id", "x"]] and "Authorization" not in headers
    headers, _ = accounts.apply(second, {"authorization": "Basic old"}, "none", None)
    assert headers == {"Authorization": basic("2002-5", "t2")}
    third = entry({"authorization": basic("7777-3", "ccc")})
    assert "the last one stands for the rest" in Accounts(facts, sim, [first, second, third]).notes[0]


# --- json diff ---------------------------------------------------------------------------------------------------

def kinds(diffs: list[Difference]) -> set[tuple[str, str]]:
    return {(d.kind, d.path) for d in diffs}


def test_shapes_and_types_are_compared_not_values() -> None:
    recorded = {"id": "a1", "amount": 500, "paid_at": None, "odd key": 1, "data": {"x": "y"},
                "items": [{"v": 1, "w": None}, {"v": 2, "w": "z"}], "tags": []}
    simulated = {"id": "b2", "amount": 500.5, "paid_at": "2026-01-01", "data": {"x": "q", "extra": True},
                 "items": [{"v": 9, "w": "k"}], "tags": ["a"], "more": {}}
    assert kinds(compare_shapes(shape(recorded), shape(simulated))) == {
        ("type", "$.amount"), ("type", "$.paid_at"), ("missing_key", '$["odd key"]'), ("extra_key", "$.data.extra"),
        ("extra_key", "$.more")}
    assert compare_shapes(shape(recorded), shape(json.loads(json.dumps(recorded)))) == []
    assert kinds(compare_shapes(shape({"a": [1]}), shape({"a": {"b": 1}}))) == {("type", "$.a")}


def test_texts_are_compared_place_by_place_after_mapping() -> None:
    recorded = {"message": "Transação CP1 não encontrada", "errors": {"msisdn": ["Número inválido"]}, "doc": "x"}
    simulated = {"message": "Transação CP9 não encontrada", "errors": {"msisdn": ["Número de telefone inválido"]},
                 "doc": "y"}
    diffs = compare_texts(recorded, simulated, mapped=lambda s: s.replace("CP1", "CP9"), skip=frozenset({"$.doc"}))
    assert [(d.path, d.recorded, d.simulated) for d in diffs] == [
        ("$.errors.msisdn[0]", "Número inválido", "Número de telefone inválido")]


# --- reports -----------------------------------------------------------------------------------------------------

def sample_report() -> DiffReport:
    report = DiffReport("cassettes/x", "clicpay")
    report.operations["get_user"] = OperationResult("get_user", "GET", "/api/user", 2, [
        Difference("missing_key", "response.body", "$.locale", "string", None, "0002-get_user.json", "get_user")])
    report.operations["list_wallets"] = OperationResult("list_wallets", "GET", "/api/v2/me/wallets", 1)
    report.webhooks_recorded = 1
    report.webhook_differences.append(Difference("webhook_missing", "webhook", "/hooks", "POST /hooks", None,
                                                 "0003-webhook.json", "webhooks"))
    return report


def test_the_three_formats_say_the_same() -> None:
    report = sample_report()
    text = render(report, "text").decode()
    assert "get_user  GET /api/user  (2 exchange(s)): 1 difference(s)" in text
    assert "0002-get_user.json" in text and "$.locale  the simulator lacks this key" in text
    assert "list_wallets  GET /api/v2/me/wallets  (1 exchange(s)): same" in text
    assert text.rstrip().endswith("2 difference(s) in 2 place(s)")
    data = json.loads(render(report, "json"))
    assert data["summary"]["differences"] == 2 and data["operations"][0]["differences"][0]["path"] == "$.locale"
    root = ET.fromstring(render(report, "junit"))
    assert (root.get("tests"), root.get("failures")) == ("3", "2")
    names = [(c.get("name"), c.find("failure") is not None) for c in root.iter("testcase")]
    assert names == [("get_user", True), ("list_wallets", False), ("webhooks", True)]
