"""WidePay transactions over HTTP: gerar, adicionar, consultar, cancelar, enviar, comprovante, auth."""

from __future__ import annotations

import base64

from simulator.brdata import barcode_from_linha, barcode_is_valid, linha_is_valid
from widepay_support import API, START, advance, app, auth, boleto_form, client, errors, post  # noqa: F401

assert START


async def test_auth_basic_ws_fields_and_failures(app, client):
    creds = app.sim.providers["widepay"].accounts[0].credentials
    assert creds["conta"] == "1001-2" and len(creds["token"]) == 32
    for headers in ({}, {"Authorization": "Basic " + base64.b64encode(b"1001-2:wrong").decode()},
                    {"Authorization": "Basic !!notbase64"}):
        r = await client.post(f"{API}/transacoes/consultar", headers=headers)
        assert r.status_code == 200
        assert r.json() == {"success": False,
                            "error": "Autenticação inválida: informe ws-conta e ws-token válidos."}
    r = await client.post(f"{API}/transacoes/consultar", data={"ws-conta": "1001-2", "ws-token": creds["token"]})
    assert r.json() == {"success": True, "total": 0, "transacoes": []}
    assert "\\u00e7" in (await client.post(f"{API}/transacoes/consultar")).text  # PHP json_encode escapes


async def test_gerar_boleto_then_consultar_shows_the_documented_object(app, client):
    body = await post(client, app, "transacoes/gerar", boleto_form(**{"cliente[cpf]": "529.982.247-25",
                                                                       "notificacao": "http://127.0.0.1:9/n"}))
    assert body["success"] is True and len(body["id"]) == 16 and int(body["id"], 16) >= 0
    assert body["link"].endswith("/_sim/ui/pay/widepay/" + body["id"])
    assert body["boleto"] == {"beneficiario": "Almeida", "banco": "033",
                              "agencia": "4582", "codigo": "7109288", "carteira": "102", "numero": "262"}
    found = await post(client, app, "transacoes/consultar", {"id": body["id"]})
    assert found["total"] == 1
    tx = found["transacoes"][0]
    assert list(tx) == ["id", "tipo", "cliente", "itens", "desconto", "valor", "identificador", "notificacao",
                        "redirecionamento", "vencimento", "criacao", "status", "cancelamento", "pagamento",
                        "historico", "boleto"]
    assert tx["cliente"]["cpf"] == "529.982.247-25" and tx["cliente"]["cnpj"] is None
    assert tx["itens"] == [{"descricao": "Produto", "valor": 50, "quantidade": "1", "desconto": 0}]
    assert (tx["valor"], tx["status"], tx["criacao"]) == ("50.00", "Aguardando pagamento", "2025-12-31 21:00:00")
    assert tx["historico"] == [{"status": "Aguardando pagamento", "data": "2025-12-31 21:00:00"}]
    assert tx["pagamento"] is None and tx["vencimento"] == "2026-01-10"
    # another account does not see it
    other = await post(client, app, "transacoes/consultar", {"id": body["id"]}, account=1)
    assert other == {"success": False, "error": "Erro na execução da solicitação.",
                     "detalhes": [{"id": body["id"], "erro": "Transação não encontrada."}]}


async def test_json_body_is_accepted_too(app, client):
    r = await client.post(f"{API}/transacoes/gerar", headers=auth(app), json={
        "tipo": "Cartão", "cliente": {"pessoa": "Jurídica", "nome": "ACME", "cnpj": "11.222.333/0001-81"},
        "itens": [{"descricao": "Plano", "valor": 20.5, "quantidade": 2}], "desconto": 1})
    body = r.json()
    assert body["success"] is True and "boleto" not in body
    tx = (await post(client, app, "transacoes/consultar", {"id": body["id"]}))["transacoes"][0]
    assert tx["valor"] == "40.00" and tx["desconto"] == 1 and tx["itens"][0]["quantidade"] == "2"


async def test_adicionar_answers_like_the_intro_example(app, client):
    form = [("tipo", "Boleto"), ("cliente", "Claudio"), ("itens[0][descricao]", "Mensalidade"),
            ("itens[0][valor]", "10.50")]
    body = await post(client, app, "recebimentos/transacoes/adicionar", form)
    assert body["id"] == body["id"].upper() and len(body["id"]) == 16
    linha = body["boleto"]["codigo"]
    assert linha_is_valid(linha) and linha.startswith("03399.") and linha.endswith(" 00000000001050")
    assert barcode_is_valid(barcode_from_linha(linha))
    assert body["boleto"]["configuracoes"]["cnpj"] == "12.655.911/0001-36"
    tx = (await post(client, app, "transacoes/consultar", {"id": body["id"]}))["transacoes"][0]
    assert tx["id"] == body["id"].lower() and tx["cliente"]["nome"] == "Claudio"
    assert tx["cliente"]["pessoa"] == "Física" and tx["vencimento"] is None


async def test_boleto_is_paid_on_the_clock(app, client):
    ident = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    await advance(client, 59)
    assert (await post(client, app, "transacoes/consultar", {"id": ident}))["transacoes"][0]["pagamento"] is None
    await advance(client, 1)
    tx = (await post(client, app, "transacoes/consultar", {"id": ident}))["transacoes"][0]
    assert tx["status"] == "Compensada"
    assert tx["pagamento"] == {"data": "2025-12-31", "valor": 50, "tarifa": 1.95,
                               "disponivel": {"data": "2026-01-03", "valor": 48.05}}
    assert tx["historico"][-1] == {"status": "Compensada", "data": "2025-12-31 21:01:00"}


async def test_gerar_validation_names_each_field(app, client):
    body = await post(client, app, "transacoes/gerar", {
        "tipo": "Pix", "cliente[pessoa]": "Física", "cliente[cpf]": "529.982.247-24", "cliente[cep]": "123",
        "cliente[email]": "not-an-email", "cliente[celular]": "0000", "cliente[estado]": "SPX",
        "itens[0][descricao]": "x", "itens[0][valor]": "abc", "identificador": "x" * 31})
    assert body["error"] == "Erro na validação dos campos."
    assert errors(body) == {
        "tipo": ["O campo tipo deve ser Boleto ou Cartão."],
        "identificador": ["O campo identificador deve ter no máximo 30 caracteres."],
        "cliente[nome]": ["O campo cliente[nome] é obrigatório."],
        "cliente[estado]": ["O campo cliente[estado] deve ter 2 caracteres."],
        "itens[0][valor]": ["O campo itens[valor] deve ser um valor decimal."],
        "cliente[cpf]": ["O CPF informado é inválido."],
        "cliente[email]": ["O e-mail informado é inválido."],
        "cliente[celular]": ["O telefone informado é inválido."],
        "cliente[cep]": ["O CEP informado é inválido."],
    }
    assert (await post(client, app, "transacoes/consultar"))["total"] == 0


async def test_boleto_due_date_rules(app, client):
    missing = boleto_form()
    del missing["vencimento"]
    assert errors(await post(client, app, "transacoes/gerar", missing)) == {
        "vencimento": ["O campo vencimento é obrigatório para o tipo Boleto."]}
    assert errors(await post(client, app, "transacoes/gerar", boleto_form(vencimento="2025-12-30"))) == {
        "vencimento": ["A data de vencimento não pode ser anterior à data atual."]}
    assert errors(await post(client, app, "transacoes/gerar", boleto_form(vencimento="2026-02-30"))) == {
        "vencimento": ["A data de vencimento é inválida."]}
    assert errors(await post(client, app, "transacoes/gerar", boleto_form(**{"itens[0][valor]": "0"}))) == {
        "itens[0][valor]": ["O valor do item deve ser maior que zero."]}


async def test_cancelar_one_or_many_and_refusals(app, client):
    a = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    b = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    c = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    assert await post(client, app, "transacoes/cancelar", [("id[0]", a), ("id[1]", b.upper())]) == {
        "success": True, "total": 2}
    tx = (await post(client, app, "transacoes/consultar", {"id": a}))["transacoes"][0]
    assert tx["status"] == "Cancelada" and tx["cancelamento"] == "2025-12-31 21:00:00"
    await advance(client, 60)  # c is paid; the cancelled ones stay cancelled
    assert errors(await post(client, app, "transacoes/cancelar", [("id[]", a), ("id[]", c), ("id[]", "f" * 16)])) == {
        a: ["A transação já está cancelada."], c: ["A transação já foi compensada e não pode ser cancelada."],
        "f" * 16: ["Transação não encontrada."]}
    assert errors(await post(client, app, "transacoes/cancelar", {"id": c})) == {
        c: ["A transação já foi compensada e não pode ser cancelada."]}
    assert errors(await post(client, app, "transacoes/cancelar", {})) == {"id": ["O campo id é obrigatório."]}


async def test_enviar_and_comprovante(app, client):
    ident = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    assert errors(await post(client, app, "transacoes/enviar", {"id": ident})) == {
        "email": ["O campo email é obrigatório se não existir o parametro celular."]}
    assert errors(await post(client, app, "transacoes/enviar", {"id": ident, "celular": "12345"})) == {
        "celular": ["O telefone informado é inválido."]}
    assert await post(client, app, "transacoes/enviar", {"id": ident, "celular": "(11) 98765-4321"}) == {
        "success": True}
    assert errors(await post(client, app, "transacoes/comprovante", {"id": ident, "email": "a@b.com.br"})) == {
        ident: ["A transação ainda não foi paga."]}
    await advance(client, 60)
    assert await post(client, app, "transacoes/comprovante", {"id": ident, "email": "a@b.com.br"}) == {
        "success": True}
    assert errors(await post(client, app, "transacoes/enviar", {"id": ident, "email": "a@b.com.br"})) == {
        ident: ["A transação não está aguardando pagamento."]}


async def test_consultar_without_id_lists_the_accounts_own(app, client):
    first = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    await post(client, app, "transacoes/gerar", boleto_form(), account=1)
    listed = await post(client, app, "transacoes/consultar")
    assert listed["total"] == 1 and [t["id"] for t in listed["transacoes"]] == [first]


async def test_unknown_action_and_method(app, client):
    r = await client.post(f"{API}/transacoes/estornar", headers=auth(app))
    assert r.status_code == 404 and r.json()["success"] is False
    r = await client.get(f"{API}/transacoes/consultar", headers=auth(app))
    assert r.status_code == 405 and r.headers["allow"] == "POST" and r.json()["success"] is False


async def test_an_answer_in_the_journal_keeps_what_was_answered(app, client):
    """A later move of the transaction changes what consultar answers next, never an earlier answer's journal entry."""
    body = await post(client, app, "transacoes/gerar", boleto_form())
    await post(client, app, "transacoes/consultar", {"id": body["id"]})
    await post(client, app, "transacoes/cancelar", {"id": body["id"]})
    reads = (await client.get("/_sim/requests", params={"operation": "transacoes_consultar"})).json()["requests"]
    answered = reads[-1]["response_body"]["transacoes"][0]
    assert [h["status"] for h in answered["historico"]] == ["Aguardando pagamento"]
    assert answered["status"] == "Aguardando pagamento"
