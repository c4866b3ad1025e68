"""WidePay v1's payer pages and dashboard: a charge's `link` opens the generic payer page (Pix, boleto, pay), its
`pdf` is a PDF, a carnê's link lists its installments; the dashboard lists charges and carnês from their
declared lifecycles and fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from simulator.testing import WebhookReceiver

V1 = "/widepay/v1/recebimentos"


def headers(app: Any) -> dict[str, str]:
    return dict(app.sim.providers["widepay"].accounts[0].versions["v1"]["headers"])


def local(url: str) -> str:
    return urlsplit(url).path


async def create(client: httpx.AsyncClient, app: Any, **extra: str) -> dict[str, Any]:
    form = {"forma": "Boleto,Pix", "cliente": "Lívia Pontarolo Almeida", "pessoa": "Física",
            "cpf": "463.384.662-02", "itens[0][descricao]": "Mensalidade", "itens[0][valor]": "120",
            "vencimento": "2026-01-10", **extra}
    body: dict[str, Any] = (await client.post(f"{V1}/cobrancas/adicionar", headers=headers(app), data=form)).json()
    assert body["sucesso"] is True, body
    return body


async def test_the_link_opens_the_payer_page_which_pays_the_charge(client: httpx.AsyncClient, app: Any,
                                                                   webhook_receiver: WebhookReceiver) -> None:
    made = await create(client, app, notificacao=webhook_receiver.url + "/n")
    r = await client.get(local(made["link"]))
    assert r.status_code == 303 and r.headers["location"] == f"/_sim/ui/pay/widepay/{made['id']}"
    page = await client.get(r.headers["location"])
    assert page.status_code == 200 and "R$ 120,00" in page.text and "Mensalidade" in page.text
    assert f"/_sim/ui/pay/widepay/pix/{made['id']}" in page.text
    assert f"/_sim/ui/pay/widepay/boleto/{made['id']}" in page.text
    pix = await client.get(f"/_sim/ui/pay/widepay/pix/{made['id']}")
    assert pix.status_code == 200 and made["pix"]["emv"] in pix.text
    boleto = await client.get(f"/_sim/ui/pay/widepay/boleto/{made['id']}")
    assert boleto.status_code == 200 and made["boleto"]["linha-digitavel"] in boleto.text
    r = await client.post(f"/_sim/ui/pay/widepay/{made['id']}", data={"action": "pay"})
    assert r.status_code == 303
    charge = (await client.post(f"{V1}/cobrancas/consultar", headers=headers(app), data={"id": made["id"]})).json()
    assert charge["cobrancas"][0]["status"] == "Recebido"
    forms = [r.form() for r in webhook_receiver.received]
    assert len(forms) == 1 and set(forms[0]) == {"notificacao", "carteira"}


async def test_the_pdf_and_wrong_links(client: httpx.AsyncClient, app: Any) -> None:
    made = await create(client, app)
    pdf = await client.get(local(made["pdf"]))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4") and made["boleto"]["linha-digitavel"].encode() in pdf.content
    carteira, ident, digest = local(made["link"]).rsplit("/", 1)[1].split("-")
    assert local(made["link"]) == f"/widepay/cobranca/{carteira}-{ident}-{digest}"  # the real link's path
    assert (await client.get(f"/_sim/ui/pay/widepay/cobranca/{carteira}-{ident}-{digest}")).status_code == 303
    for wrong in (f"406218-{ident}-{digest}", f"{carteira}-{ident}-00000000", f"{carteira}-1-{digest}", "x"):
        assert (await client.get(f"/widepay/cobranca/{wrong}")).status_code == 404


async def test_the_carne_link_lists_its_installments(client: httpx.AsyncClient, app: Any) -> None:
    made = (await client.post(f"{V1}/carnes/adicionar", headers=headers(app), json={
        "forma": "Boleto", "cliente": "Ana", "pessoa": "Física", "cpf": "529.982.247-25", "vencimento": "2026-01-15",
        "itens": [{"descricao": "Curso", "valor": 90}], "parcelas": 3, "dividir": "Sim"})).json()
    page = await client.get(local(made["link"]))
    assert page.status_code == 200 and "Ativo" in page.text
    for ident in made["cobrancas"]:
        assert f'href="/_sim/ui/pay/widepay/{ident}"' in page.text
    assert "2026-03-15" in page.text and "R$ 30.00" in page.text
    pdf = await client.get(local(made["link"]) + ".pdf")
    assert pdf.status_code == 200 and pdf.content.count(b"Cobran") >= 3


async def test_the_dashboard_lists_charges_and_carnes_with_their_outcomes(client: httpx.AsyncClient,
                                                                          app: Any) -> None:
    made = await create(client, app)
    listed = (await client.get("/_sim/ui/transactions?pk=widepay|cobranca")).text
    assert made["id"] in listed and "Lívia Pontarolo Almeida" in listed and "R$ 120,00" in listed
    detail = await client.get(f"/_sim/ui/transactions/widepay/cobranca/{made['id']}")
    assert detail.status_code == 200
    for outcome in ("em_analise", "recebido", "recebido_manualmente", "cancelado", "vencido"):
        assert f'data-post="/_sim/widepay/transactions/{made["id"]}/{outcome}"' in detail.text
    forced = await client.post(f"/_sim/widepay/transactions/{made['id']}/vencido")
    assert forced.status_code == 200 and forced.json()["status"] == "Vencido"
