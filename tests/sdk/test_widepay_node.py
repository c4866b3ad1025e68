"""WidePay's official Node SDK (`wide-pay-node` 1.0.1, unmodified) against `serve --tls`.

The SDK always calls https://api.widepay.com/v1/... on port 443; the preload sends that connection to the
simulator's HTTPS port, and NODE_EXTRA_CA_CERTS makes Node trust the simulator's CA. What the SDK sends and how it
reads answers is in shared/reference/widepay-v1.md §11. The v1 merchant flow is added with the v1 operations; these
tests prove the path: the SDK's requests reach the simulator over verified TLS and it resolves with the JSON the
simulator answered.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from conftest import NodeSdk

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
    wallet = account(widepay_node)["conta"]
    params = {"id": ["58219", "68231"], "cliente": "Lívia Pontarolo Almeida", "valor": 22.5}
    [result] = widepay_node.run("drive.js", {"carteira": wallet, "token": WRONG, "calls": [
        {"local": "/recebimentos/cobrancas/consultar", "params": params}]})
    assert result["outcome"] == "resolved"
    entry = only_request(widepay_node)
    assert result["value"] == entry["response_body"]  # what the simulator answered, parsed by the SDK
    assert failed(result["value"])
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
    [result] = widepay_node.run("drive.js", {"carteira": creds["conta"], "token": creds["token"], "calls": [
        {"local": "/recebimentos/cobrancas/inexistente", "params": {}}]})
    assert result["outcome"] == "resolved"
    entry = only_request(widepay_node)
    assert entry["path"] == "/v1/recebimentos/cobrancas/inexistente"
    assert result["value"] == entry["response_body"] and failed(result["value"])


def test_several_calls_in_one_process_each_get_their_answer(widepay_node: NodeSdk) -> None:
    creds = account(widepay_node)
    calls = [{"local": f"/recebimentos/cobrancas/{name}", "params": {"n": i}} for i, name in
             enumerate(["a", "b", "c"])]
    results = widepay_node.run("drive.js", {"carteira": creds["conta"], "token": creds["token"], "calls": calls})
    answers = [e["response_body"] for e in widepay_node.sim.requests(provider="widepay")]
    assert [r["outcome"] for r in results] == ["resolved"] * 3
    assert [r["value"] for r in results] == answers and len({json.dumps(a) for a in answers}) == 3


def test_without_trusting_the_ca_the_sdk_cannot_connect(widepay_node: NodeSdk) -> None:
    """The certificate is really checked: without NODE_EXTRA_CA_CERTS the SDK gives its transport error."""
    creds = account(widepay_node)
    [result] = widepay_node.run("drive.js", {"carteira": creds["conta"], "token": creds["token"], "calls": [
        {"local": "/recebimentos/cobrancas/consultar"}]}, trust=False)
    assert result == {"outcome": "rejected", "value": {"sucesso": False, "erro": "Sem comunicação com o servidor.",
                                                       "success": False, "error": "Sem comunicação com o servidor."}}
    assert widepay_node.sim.requests(provider="widepay") == []
