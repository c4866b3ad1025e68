"""WidePay's official Node SDK (`wide-pay-node` 1.0.1, unmodified) against `serve --tls`.

The SDK always calls https://api.widepay.com/v1/... on port 443; the preload sends that connection to the
simulator's HTTPS port, and NODE_EXTRA_CA_CERTS makes Node trust the simulator's CA. What the SDK sends and how it
reads answers is in shared/reference/widepay-v1.md §11. A merchant's v1 flow runs through it (a Boleto+Pix charge,
its boleto and Pix, a validation error, cancel, the notification and its confirmation, a carnê, a wrong token), and
the harness's own checks prove the path: the SDK's requests reach the simulator over verified TLS and it resolves
with the JSON the simulator answered.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs

import httpx
from conftest import NodeSdk

from simulator.brdata import barcode_is_valid, brcode_is_valid
from simulator.testing import webhook_receiver

WRONG = "0" * 32


def account(sdk: NodeSdk) -> dict[str, str]:
    providers = httpx.get(f"{sdk.sim.base}/_sim/providers", timeout=10).json()["providers"]
    creds: dict[str, str] = next(p for p in providers if p["key"] == "widepay")["accounts"][0]["credentials"]
    return creds


def only_request(sdk: NodeSdk) -> dict[str, Any]:
    entries = sdk.sim.requests(provider="widepay")
    assert len(entries) == 1, entries
    return entries[0]


def failed(answer: dict[str, Any]) -> bool:
    """A WidePay failure in either envelope: v1's `sucesso` or the draft's `success`."""
    return answer.get("sucesso", answer.get("success")) is False


def test_a_wrong_token_reaches_the_simulator_and_resolves_with_its_json(widepay_node: NodeSdk) -> None:
    wallet = account(widepay_node)["carteira"]
    params = {"id": ["58219", "68231"], "cliente": "Lívia Pontarolo Almeida", "valor": 22.5}
    [result] = widepay_node.run("drive.js", {"carteira": wallet, "token": WRONG, "calls": [
        {"local": "/recebimentos/cobrancas/consultar", "params": params}]})
    assert result["outcome"] == "resolved"
    entry = only_request(widepay_node)
    assert result["value"] == entry["response_body"]  # what the simulator answered, parsed by the SDK
    assert result["value"] == {"sucesso": False,
                               "erro": "Autenticação inválida: verifique o ID da carteira e o token."}
    # the request as the SDK sent it, through the preload: the real host name, its headers, a chunked JSON body
    assert entry["method"] == "POST" and entry["path"] == "/v1/recebimentos/cobrancas/consultar"
    headers = entry["headers"]
    assert headers["host"] == "api.widepay.com"
    assert headers["wp-api"] == "NODEJS"
    assert headers["content-type"] == "application/json"
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert headers["authorization"] == "Basic " + base64.b64encode(f"{wallet}:{WRONG}".encode()).decode()
    body = entry["body"]
    assert (json.loads(body) if isinstance(body, str) else body) == params


def test_an_unknown_v1_path_resolves_with_the_simulators_json(widepay_node: NodeSdk) -> None:
    creds = account(widepay_node)
    [result] = widepay_node.run("drive.js", {"carteira": creds["carteira"], "token": creds["token"], "calls": [
        {"local": "/recebimentos/cobrancas/inexistente", "params": {}}]})
    assert result["outcome"] == "resolved"
    entry = only_request(widepay_node)
    assert entry["path"] == "/v1/recebimentos/cobrancas/inexistente"
    assert result["value"] == entry["response_body"] and failed(result["value"])


def test_several_calls_in_one_process_each_get_their_answer(widepay_node: NodeSdk) -> None:
    creds = account(widepay_node)
    calls = [{"local": f"/recebimentos/cobrancas/{name}", "params": {"n": i}} for i, name in
             enumerate(["a", "b", "c"])]
    results = widepay_node.run("drive.js", {"carteira": creds["carteira"], "token": creds["token"], "calls": calls})
    answers = [e["response_body"] for e in widepay_node.sim.requests(provider="widepay")]
    assert [r["outcome"] for r in results] == ["resolved"] * 3
    assert [r["value"] for r in results] == answers and len({json.dumps(a) for a in answers}) == 3


def test_without_trusting_the_ca_the_sdk_cannot_connect(widepay_node: NodeSdk) -> None:
    """The certificate is really checked: without NODE_EXTRA_CA_CERTS the SDK gives its transport error."""
    creds = account(widepay_node)
    [result] = widepay_node.run("drive.js", {"carteira": creds["carteira"], "token": creds["token"], "calls": [
        {"local": "/recebimentos/cobrancas/consultar"}]}, trust=False)
    assert result == {"outcome": "rejected", "value": {"sucesso": False, "erro": "Sem comunicação com o servidor.",
                                                       "success": False, "error": "Sem comunicação com o servidor."}}
    assert widepay_node.sim.requests(provider="widepay") == []


CHARGE = {"forma": "Boleto,Pix", "cliente": "Lívia Pontarolo Almeida", "pessoa": "Física", "cpf": "463.384.662-02",
          "itens": [{"descricao": "Descrição item 1", "valor": 22.5, "quantidade": 2}], "vencimento": "2030-01-10",
          "boleto": {"instrucoes": ["linha 1", "linha 2"]}}


def answers_match_the_journal(sdk: NodeSdk, results: list[dict[str, Any]]) -> None:
    """Every call resolved with exactly the JSON the simulator answered (one write, under one TLS record)."""
    entries = sdk.sim.requests(provider="widepay")[-len(results):]
    assert [r["outcome"] for r in results] == ["resolved"] * len(results), results
    assert [r["value"] for r in results] == [e["response_body"] for e in entries]


def test_a_merchant_flow_through_the_official_sdk(widepay_node: NodeSdk) -> None:
    creds = account(widepay_node)
    wallet = {"carteira": creds["carteira"], "token": creds["token"]}
    with webhook_receiver() as receiver:
        charge = {**CHARGE, "notificacao": receiver.url + "/widepay", "referencia": "Pedido 42"}
        first = widepay_node.run("drive.js", {**wallet, "calls": [
            {"local": "/recebimentos/cobrancas/adicionar", "params": charge},
            {"local": "/recebimentos/cobrancas/consultar", "params": {"id": "$0.id"}},
            {"local": "/recebimentos/cobrancas/boleto", "params": {"id": "$0.id", "html": "Sim", "pix": "Sim"}},
            {"local": "/recebimentos/cobrancas/pix", "params": {"id": "$0.id"}},
            {"local": "/recebimentos/cobrancas/adicionar", "params": {**CHARGE, "cpf": "111.111.111-11"}},
            {"local": "/recebimentos/cobrancas/cancelar", "params": {"id": ["$0.id"]}},
        ]})
        answers_match_the_journal(widepay_node, first)
        created, found, boleto, pix, invalid, cancelled = [r["value"] for r in first]
        assert created["sucesso"] is True and created["id"].isdigit()
        assert created["link"].startswith("https://api.widepay.com/widepay/cobranca/")
        assert barcode_is_valid(created["boleto"]["codigo-barras"]) and brcode_is_valid(created["pix"]["emv"])
        assert found["total"] == "1" and found["cobrancas"][0]["valor"] == "45.00"
        assert found["cobrancas"][0]["itens"] == [{"descricao": "Descrição item 1", "valor": "22.5",
                                                   "quantidade": "2", "desconto": "0"}]
        assert boleto["codigo-barras"] == created["boleto"]["codigo-barras"] and "<table" in boleto["html"]
        assert pix["emv"] == created["pix"]["emv"]
        assert invalid == {"sucesso": False, "erro": "Erro na validação dos campos.",
                           "validacao": [{"id": "cpf", "erro": "O CPF informado é inválido."}]}
        assert cancelled == {"sucesso": True, "total": 1}
        [notice] = receiver.wait_for(1, timeout=10)
    form = {k: v[0] for k, v in parse_qs(notice.body.decode()).items()}
    assert notice.method == "POST" and form["carteira"] == creds["carteira"] and form["notificacao"].isdigit()
    second = widepay_node.run("drive.js", {**wallet, "calls": [
        {"local": "/recebimentos/cobrancas/notificacao", "params": {"id": form["notificacao"]}},
        {"local": "/recebimentos/carnes/adicionar",
         "params": {**CHARGE, "forma": "Boleto", "parcelas": 3, "dividir": "Sim", "vencimento": "2030-01-31"}},
        {"local": "/recebimentos/carnes/consultar", "params": {"id": "$1.id"}},
        {"local": "/recebimentos/cobrancas/boleto", "params": {"id": "$1.cobrancas.2"}},
    ]})
    answers_match_the_journal(widepay_node, second)
    confirmed, carne, carnes, parcel = [r["value"] for r in second]
    assert confirmed["sucesso"] is True and confirmed["cobranca"]["id"] == created["id"]
    assert confirmed["cobranca"]["status"] == "Cancelado" and confirmed["cobranca"]["referencia"] == "Pedido 42"
    assert carne["sucesso"] is True and len(carne["cobrancas"]) == 3
    assert [(c["vencimento"], c["valor"]) for c in carnes["carnes"][0]["cobrancas"]] == [
        ("2030-01-31", "15.00"), ("2030-02-28", "15.00"), ("2030-03-31", "15.00")]
    assert barcode_is_valid(parcel["codigo-barras"])
    [wrong] = widepay_node.run("drive.js", {"carteira": creds["carteira"], "token": WRONG, "calls": [
        {"local": "/recebimentos/cobrancas/consultar", "params": {}}]})
    assert wrong == {"outcome": "resolved", "value": {
        "sucesso": False, "erro": "Autenticação inválida: verifique o ID da carteira e o token."}}


def test_the_largest_answers_fit_what_the_sdk_reads(widepay_node: NodeSdk) -> None:
    """consultar over many long charges and a boleto with its HTML: each answer is one write the SDK parses."""
    creds = account(widepay_node)
    headers = next(p for p in httpx.get(f"{widepay_node.sim.base}/_sim/providers", timeout=10).json()["providers"]
                   if p["key"] == "widepay")["accounts"][0]["versions"]["v1"]["headers"]
    long = {"forma": "Boleto,Pix", "cliente": "x" * 100, "pessoa": "Física", "cpf": "463.384.662-02",
            "vencimento": "2030-01-10", "itens": [{"descricao": "y" * 255, "valor": 1} for _ in range(10)]}
    for _ in range(12):
        r = httpx.post(f"{widepay_node.sim.base}/widepay/v1/recebimentos/cobrancas/adicionar", json=long,
                       headers=headers, timeout=10)
        assert r.json()["sucesso"] is True
    results = widepay_node.run("drive.js", {"carteira": creds["carteira"], "token": creds["token"], "calls": [
        {"local": "/recebimentos/cobrancas/consultar", "params": {"limite": 100}},
        {"local": "/recebimentos/cobrancas/boleto", "params": {"id": "$0.cobrancas.0.id", "html": "Sim",
                                                               "carne": "Sim", "pix": "Sim"}}]})
    answers_match_the_journal(widepay_node, results)
    listed = results[0]["value"]
    assert listed["sucesso"] is True and 1 <= int(listed["total"]) == len(listed["cobrancas"]) < 12
    assert results[1]["value"]["sucesso"] is True and results[1]["value"]["html"]
