"""A body sent with a content type the operation does not take: the provider's answer stays, and the journal says
first, unmistakably, that the content type is wrong, marking the violations that follow from it."""

from __future__ import annotations

from typing import Any

import httpx

from simulator.app import SimulatorApp

C2B = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
FORM = {"msisdn": "841234567", "amount": "500", "reference_description": "Pedido 42"}


async def last_entry(client: httpx.AsyncClient) -> dict[str, Any]:
    return (await client.get("/_sim/requests")).json()["requests"][-1]  # type: ignore[no-any-return]


def clicpay(app: SimulatorApp) -> dict[str, str]:
    return dict(app.sim.providers["clicpay"].accounts[0].headers)


async def test_a_form_to_a_json_operation_reports_the_content_type_first(app: SimulatorApp,
                                                                         client: httpx.AsyncClient) -> None:
    r = await client.post(C2B, data=FORM, headers=clicpay(app))
    assert (r.status_code, r.json()) == (400, {"errors": {"amount": ["Valor deve ser entre 1 e 50000"]}})
    first, *rest = (await last_entry(client))["violations"]
    assert first.startswith("content-type: wrong content type application/x-www-form-urlencoded")
    assert "takes only application/json" in first
    assert rest == ["schema: amount: Valor deve ser entre 1 e 50000 (follows from the content type)"]


async def test_only_the_violations_the_content_type_caused_are_marked(app: SimulatorApp,
                                                                       client: httpx.AsyncClient) -> None:
    form = {"msisdn": "841234567", "amount": "500"}  # reference_description is missing whatever the encoding
    await client.post(C2B, data=form, headers=clicpay(app))
    _, *rest = (await last_entry(client))["violations"]
    assert rest == ["schema: amount: Valor deve ser entre 1 e 50000 (follows from the content type)",
                    "schema: reference_description: O campo reference_description é obrigatório."]


async def test_an_unreadable_body_makes_every_schema_violation_a_consequence(app: SimulatorApp,
                                                                              client: httpx.AsyncClient) -> None:
    await client.post(C2B, content=b"--x\r\n", headers={**clicpay(app), "Content-Type": "multipart/form-data"})
    violations = (await last_entry(client))["violations"]
    assert violations[0].startswith("content-type: wrong content type multipart/form-data")
    schema = [v for v in violations if v.startswith("schema:")]
    assert schema and all(v.endswith("(follows from the content type)") for v in schema)


async def test_the_same_values_as_json_keep_the_contract(app: SimulatorApp, client: httpx.AsyncClient) -> None:
    r = await client.post(C2B, json={**FORM, "amount": 500}, headers=clicpay(app))
    assert r.status_code == 200
    assert (await last_entry(client))["violations"] == []


async def test_json_text_sent_as_plain_text_marks_nothing_as_a_consequence(app: SimulatorApp,
                                                                            client: httpx.AsyncClient) -> None:
    body = b'{"msisdn": "841234567", "amount": "500", "reference_description": "Pedido 42"}'
    await client.post(C2B, content=body, headers={**clicpay(app), "Content-Type": "text/plain"})
    violations = (await last_entry(client))["violations"]
    assert violations[0].startswith("content-type: wrong content type text/plain")
    assert violations[1:] == ["schema: amount: Valor deve ser entre 1 e 50000"]  # a string in JSON is its own bug
