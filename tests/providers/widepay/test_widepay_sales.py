"""WidePay card sales (vender) and the installment calculator (parcelamento) over HTTP."""

from __future__ import annotations

from widepay_support import advance, app, client, errors, post  # noqa: F401

CARD = {"descricao": "Produto", "valor": "50.00", "parcelas": "1", "numero": "4111111111111111",
        "validade": "203012", "codigo": "123"}


async def test_parcelamento_reproduces_the_documented_table(app, client):
    assert await post(client, app, "transacoes/parcelamento", {"valor": "20"}) == {
        "success": True, "parcelamento": [{"parcela": 1, "valor": 20, "total": 20},
                                          {"parcela": 2, "valor": 10.23, "total": 20.46},
                                          {"parcela": 3, "valor": 6.87, "total": 20.61},
                                          {"parcela": 4, "valor": 5.2, "total": 20.8}]}
    table = (await post(client, app, "transacoes/parcelamento", {"valor": "1000"}))["parcelamento"]
    assert [p["parcela"] for p in table] == list(range(1, 13)) and table[-1]["total"] == 1100
    assert errors(await post(client, app, "transacoes/parcelamento", {"valor": "0"})) == {
        "valor": ["O valor deve ser maior que zero."]}


async def test_vender_approves_in_clearing_then_compensates(app, client):
    sale = await post(client, app, "transacoes/vender", {**CARD, "numero": "5555555555554444"})
    assert sale["success"] is True and sale["status"] == "Em compensação" and len(sale["id"]) == 16
    tx = (await post(client, app, "transacoes/consultar", {"id": sale["id"]}))["transacoes"][0]
    assert tx["tipo"] == "Cartão" and tx["boleto"] is None and tx["vencimento"] is None
    assert [h["status"] for h in tx["historico"]] == ["Aguardando pagamento", "Em compensação"]
    assert tx["pagamento"] == {"data": "2025-12-31 21:00:00", "valor": "50.00", "parcelas": 1,
                               "tarifa": {"recebimento": 2.5, "parcelamento": 0},
                               "disponivel": {"data": "2026-01-30", "valor": 47.5},
                               "cartao": {"bandeira": "Mastercard", "final": 4444}}
    await advance(client, 30 * 86400)
    tx = (await post(client, app, "transacoes/consultar", {"id": sale["id"]}))["transacoes"][0]
    assert tx["status"] == "Compensada" and tx["historico"][-1]["status"] == "Compensada"


async def test_installments_interest_by_who_pays(app, client):
    seller = await post(client, app, "transacoes/vender", {**CARD, "valor": "20", "parcelas": "3",
                                                             "parcelamento": "Vendedor"})
    buyer = await post(client, app, "transacoes/vender", {**CARD, "valor": "20", "parcelas": "3",
                                                            "parcelamento": "Comprador"})
    s, b = (await post(client, app, "transacoes/consultar", [("id[]", seller["id"]), ("id[]", buyer["id"])]))[
        "transacoes"]
    assert s["pagamento"]["valor"] == "20.00" and s["pagamento"]["tarifa"] == {"recebimento": 1, "parcelamento": 0.61}
    assert b["pagamento"]["valor"] == "20.61" and b["pagamento"]["tarifa"]["parcelamento"] == 0
    assert s["pagamento"]["parcelas"] == 3 and s["valor"] == b["valor"] == "20.00"


async def test_vender_validates_the_card(app, client):
    body = await post(client, app, "transacoes/vender", {
        "descricao": "P", "valor": "0.50", "parcelas": "2", "numero": "4111111111111112", "validade": "202511",
        "codigo": "12345"})
    assert body["error"] == "Erro na validação dos campos."
    assert errors(body) == {"codigo": ["O código de segurança é inválido."],
                            "valor": ["O valor mínimo é 1,00."],
                            "parcelamento": ["O campo parcelamento é obrigatório quando parcelas for maior que 1."],
                            "numero": ["O número do cartão é inválido."],
                            "validade": ["O cartão está vencido."]}
    bad = await post(client, app, "transacoes/vender", {**CARD, "numero": "4111111111111", "parcelas": "13",
                                                         "validade": "203613"})
    assert errors(bad) == {"parcelas": ["O número de parcelas deve ser entre 1 e 12."],
                           "numero": ["O número do cartão é inválido."],
                           "validade": ["A validade do cartão é inválida (use AAAAMM)."]}
    far = await post(client, app, "transacoes/vender", {**CARD, "validade": "203601"})
    assert errors(far) == {"validade": ["A validade do cartão é inválida (máximo de 10 anos)."]}
    missing = await post(client, app, "transacoes/vender", {})
    assert set(errors(missing)) == {"descricao", "valor", "parcelas", "numero", "validade", "codigo"}
    assert (await post(client, app, "transacoes/vender", {**CARD, "validade": "202512"}))["success"] is True


async def test_magic_cards(app, client):
    declined = await post(client, app, "transacoes/vender", {**CARD, "numero": "4000000000000002"})
    assert declined == {"success": False, "error": "Transação não autorizada pela operadora do cartão."}
    assert (await post(client, app, "transacoes/vender", {**CARD, "numero": "4000000000000010"}))["error"] == (
        "Saldo ou limite insuficiente.")
    assert (await post(client, app, "transacoes/consultar"))["total"] == 0
    fast = (await post(client, app, "transacoes/vender", {**CARD, "numero": "4000000000000036"}))["id"]
    refund = (await post(client, app, "transacoes/vender", {**CARD, "numero": "4000000000000044"}))["id"]
    stuck = (await post(client, app, "transacoes/vender", {**CARD, "numero": "4000000000000051"}))["id"]
    await advance(client, 60)
    status = {t["id"]: t["status"] for t in (await post(client, app, "transacoes/consultar"))["transacoes"]}
    assert status == {fast: "Compensada", refund: "Cancelada", stuck: "Em compensação"}
    await advance(client, 40 * 86400)
    assert (await post(client, app, "transacoes/consultar", {"id": stuck}))["transacoes"][0]["status"] == (
        "Em compensação")
