"""WidePay v1 charges over HTTP (/widepay/v1/recebimentos/cobrancas/...): auth, the envelope, adicionar in a form
and in JSON, the charge object, boleto and Pix codes, consultar, cancelar and manual."""

from __future__ import annotations

import base64
import json
import re

from simulator.brdata import barcode_is_valid, brcode_is_valid, linha_is_valid, only_digits, parse_tlv
from widepay_support import API, V1, app, auth, charge_form, client, post, v1, v1_auth, v1_errors  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n"
OBJECT_KEYS = ["id", "cobranca", "carne", "assinatura", "forma", "cliente", "pessoa", "cpf", "cnpj", "email",
               "telefone", "endereco", "itens", "referencia", "valor", "recebido", "tarifa", "notificacao",
               "vencimento", "recebimento", "compensacao", "criacao", "status", "detalhamento", "duplicado",
               "compensado", "historico", "comentario", "favorito"]


async def test_v1_authenticates_with_the_wallet_id_and_token_only(app, client):
    account = app.sim.providers["widepay"].accounts[0]
    assert account.credentials["carteira"] == "148446" and len(account.credentials["token"]) == 32
    listed = (await client.get("/_sim/providers")).json()["providers"]
    shown = next(p for p in listed if p["key"] == "widepay")["accounts"][0]
    assert shown["credentials"]["carteira"] == "148446"
    assert shown["versions"]["v1"] == {"prefix": "/v1/", "headers": v1_auth(app)}
    assert v1_auth(app)["Authorization"] == "Basic " + base64.b64encode(
        f"148446:{account.credentials['token']}".encode()).decode()
    assert await v1(client, app, "cobrancas/consultar") == {"sucesso": True, "total": "0", "cobrancas": []}
    refused = {"sucesso": False, "erro": "Autenticação inválida: verifique o ID da carteira e o token."}
    for headers in ({}, auth(app), {"Authorization": "Basic " + base64.b64encode(b"148446:" + b"0" * 32).decode()}):
        r = await client.post(f"{V1}/cobrancas/consultar", headers=headers)
        assert (r.status_code, r.json()) == (200, refused)
    # the draft keeps its own credentials and envelope
    r = await client.post(f"{API}/transacoes/consultar", headers=v1_auth(app))
    assert r.json() == {"success": False, "error": "Autenticação inválida: informe ws-conta e ws-token válidos."}
    assert (await post(client, app, "transacoes/consultar")) == {"success": True, "total": 0, "transacoes": []}


async def test_unknown_v1_paths_and_methods_answer_in_the_v1_envelope(app, client):
    for path in ("cobrancas/inexistente", "cobrancas/baixar", "cobrancas/notificacaor"):
        r = await client.post(f"{V1}/{path}", headers=v1_auth(app))
        assert r.status_code == 404 and r.json() == {
            "sucesso": False, "erro": f"Método não encontrado: v1/recebimentos/{path}."}
    r = await client.get(f"{V1}/cobrancas/consultar", headers=v1_auth(app))
    assert r.status_code == 405 and r.headers["allow"] == "POST" and r.json()["sucesso"] is False
    assert (await client.post(f"{API}/nada", headers=auth(app))).json()["success"] is False  # the draft's own


async def test_adicionar_boleto_and_pix_answers_as_documented(app, client):
    body = await v1(client, app, "cobrancas/adicionar", charge_form())
    assert list(body) == ["sucesso", "id", "link", "pdf", "boleto", "pix"]
    assert body["sucesso"] is True and body["id"] == "87312"
    slug = re.fullmatch(r"http://sim\.test/widepay/cobranca/148446-87312-([0-9a-f]{8})", body["link"])
    assert slug and body["pdf"] == body["link"] + ".pdf"
    boleto = body["boleto"]
    assert list(boleto) == ["parametros", "imagem", "codigo-barras", "linha-digitavel"]
    assert boleto["parametros"] == {"banco": "001", "agencia": "6993-0", "conta": "17282-0", "convenio": "3188299",
                                    "carteira": "17", "variacao": "019", "numero": "1"}
    code = boleto["codigo-barras"]
    assert barcode_is_valid(code) and code[:3] == "001" and code[9:19] == "0000002250"  # R$ 22,50
    assert code[19:] == "000000" + "3188299" + "0000000001" + "17"  # Banco do Brasil, 7-digit convênio
    assert linha_is_valid(only_digits(boleto["linha-digitavel"]))
    assert re.fullmatch(r"\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}", boleto["linha-digitavel"])
    assert base64.b64decode(boleto["imagem"]).startswith(PNG)  # a bare base64 PNG, as documented
    pix = body["pix"]
    assert brcode_is_valid(pix["emv"]) and parse_tlv(pix["emv"])["54"] == "22.50"
    assert pix["imagem"].startswith("data:image/png;base64,")
    assert base64.b64decode(pix["imagem"].split(",", 1)[1]).startswith(PNG)
    # one forma only: only its block; the boleto numbers go on per wallet
    assert list(await v1(client, app, "cobrancas/adicionar", charge_form(forma="Pix"))) == [
        "sucesso", "id", "link", "pdf", "pix"]
    second = await v1(client, app, "cobrancas/adicionar", charge_form(forma="Boleto"))
    assert "pix" not in second and second["boleto"]["parametros"]["numero"] == "2"
    other = await v1(client, app, "cobrancas/adicionar", charge_form(forma="Boleto"), account=1)
    assert other["boleto"]["parametros"]["numero"] == "1" and other["link"].split("/")[-1].startswith("406218-")


async def test_the_charge_object_echoes_what_was_sent(app, client):
    form = charge_form(**{
        "email": "emaildalivia@gmail.com", "telefone": "67 98888-0000", "endereco[rua]": "Rua Primeiro de Julho",
        "endereco[numero]": "192", "endereco[cep]": "79005-610", "endereco[estado]": "MS",
        "endereco[coletar]": "Sim", "itens[0][valor]": "20", "itens[0][quantidade]": "2",
        "itens[0][desconto]": "4.99", "itens[1][descricao]": "Descrição item 2", "itens[1][valor]": "10.5",
        "referencia": "Fatura 12345", "notificacao": "http://127.0.0.1:9/n", "cnpj": "", "boleto[gerar]": "Nao"})
    ident = (await v1(client, app, "cobrancas/adicionar", form))["id"]
    found = await v1(client, app, "cobrancas/consultar", {"id": ident})
    assert found["total"] == "1"  # a string here
    charge = found["cobrancas"][0]
    assert list(charge) == OBJECT_KEYS
    assert charge["itens"] == [{"descricao": "Descrição item 1", "valor": "20", "quantidade": "2", "desconto": "4.99"},
                               {"descricao": "Descrição item 2", "valor": "10.5", "quantidade": "1", "desconto": "0"}]
    assert charge["valor"] == "45.51"  # 2 × 20 − 4.99 + 10.50
    assert charge["endereco"] == {"rua": "Rua Primeiro de Julho", "numero": "192", "complemento": None,
                                  "bairro": None, "cep": "79005-610", "cidade": None, "estado": "MS"}
    assert (charge["cpf"], charge["cnpj"], charge["telefone"]) == ("463.384.662-02", None, "67 98888-0000")
    assert (charge["status"], charge["criacao"], charge["vencimento"]) == ("Aguardando", "2025-12-31 21:00:00",
                                                                          "2026-01-10")
    assert charge["historico"] == [{"status": "Aguardando", "data": "2025-12-31 21:00:00"}]
    assert [charge[k] for k in ("recebido", "tarifa", "recebimento", "compensacao", "detalhamento", "compensado",
                                "cobranca", "carne", "assinatura", "duplicado", "comentario", "favorito")] == [None] * 12
    assert charge["referencia"] == "Fatura 12345" and charge["notificacao"] == "http://127.0.0.1:9/n"


async def test_json_from_the_node_sdk_and_php_arrays_not_numbered_from_zero(app, client):
    body = await v1(client, app, "cobrancas/adicionar", json={
        "forma": "Boleto,Pix", "cliente": "Lívia Pontarolo Almeida", "pessoa": "Física", "cpf": "463.384.662-02",
        "itens": [{"descricao": "Descrição item 1", "valor": 22.5, "quantidade": 2}], "vencimento": "2026-01-10",
        "boleto": {"instrucoes": ["linha 1", "linha 2"]}})
    charge = (await v1(client, app, "cobrancas/consultar", json={"id": int(body["id"])}))["cobrancas"][0]
    assert charge["itens"] == [{"descricao": "Descrição item 1", "valor": "22.5", "quantidade": "2", "desconto": "0"}]
    assert charge["valor"] == "45.00"
    # a null is a field not sent, as PHP's isset() reads it (libraries send null for every unset field)
    nulls = await v1(client, app, "cobrancas/adicionar", json={
        "forma": "Pix", "cliente": "Ana", "pessoa": "Física", "cpf": "529.982.247-25", "cnpj": None, "email": None,
        "endereco": None, "itens": [{"descricao": "x", "valor": 1, "desconto": None}], "vencimento": "2026-01-10",
        "marketplace": None})
    assert nulls["sucesso"] is True
    # OpenCart's module numbers items from 1: read in key order
    form = [("forma", "Pix"), ("cliente", "Ana"), ("pessoa", "Jurídica"), ("cnpj", "11.222.333/0001-81"),
            ("vencimento", "2026-01-10"), ("itens[2][descricao]", "B"), ("itens[2][valor]", "1.50"),
            ("itens[1][descricao]", "A"), ("itens[1][valor]", "3")]
    ident = (await v1(client, app, "cobrancas/adicionar", form))["id"]
    charge = (await v1(client, app, "cobrancas/consultar", {"id": ident}))["cobrancas"][0]
    assert [i["descricao"] for i in charge["itens"]] == ["A", "B"] and charge["valor"] == "4.50"
    assert (charge["pessoa"], charge["cpf"], charge["cnpj"]) == ("Jurídica", None, "11.222.333/0001-81")


async def test_validation_errors_use_the_documented_envelope_and_messages(app, client):
    body = await v1(client, app, "cobrancas/adicionar", {"forma": "Cartão", "pessoa": "Física", "cpf": "111.111.111-12",
                                                         "itens[0][descricao]": "x", "itens[0][valor]": "1,50"})
    assert body["erro"] == "Erro na validação dos campos."
    assert v1_errors(body) == {
        "forma": ["A forma de pagamento informada é inválida: use Boleto, Pix ou Boleto,Pix."],
        "cliente": ["O preenchimento do campo é obrigatório."],
        "cpf": ["O CPF informado é inválido."],
        "itens[0][valor]": ["O valor deve ser um número de -999999.99 a 999999.99 com até 2 casas decimais."],
        "vencimento": ["O preenchimento do campo é obrigatório."]}
    assert v1_errors(await v1(client, app, "cobrancas/adicionar", charge_form(cpf=""))) == {
        "cpf": ["O preenchimento do campo é obrigatório."]}  # an empty field counts as not sent
    checks = await v1(client, app, "cobrancas/adicionar", charge_form(**{
        "itens[0][desconto]": "30", "vencimento": "2025-12-30", "multa": "21", "email": "x@", "desconto": "1"}))
    assert v1_errors(checks) == {
        "itens[0][desconto]": ["O desconto do item não pode ser maior que o valor do item."],
        "itens": ["O valor total da cobrança deve ser maior que zero."],
        "multa": ["O percentual deve ser um número de 0 a 20 com até 2 casas decimais."],
        "email": ["O e-mail informado é inválido."],
        "vencimento": ["A data não pode ser anterior à data atual."]}
    assert v1_errors(await v1(client, app, "cobrancas/adicionar", charge_form(**{"boleto[desconto]": "21"}))) == {
        "boleto[desconto]": ["O desconto não pode ser maior que 90% do valor da cobrança."]}
    too_many = {f"itens[{i}][{k}]": v for i in range(11) for k, v in (("descricao", "x"), ("valor", "1"))}
    assert v1_errors(await v1(client, app, "cobrancas/adicionar", charge_form(**too_many))) == {
        "itens": ["Informe de 1 a 10 itens (itens[0][descricao], itens[0][valor])."]}
    assert (await v1(client, app, "cobrancas/consultar"))["total"] == "0"  # nothing was made


async def test_boleto_and_pix_operations(app, client):
    both = (await v1(client, app, "cobrancas/adicionar", charge_form()))["id"]
    pix_only = (await v1(client, app, "cobrancas/adicionar", charge_form(forma="Pix")))["id"]
    boleto = await v1(client, app, "cobrancas/boleto", {"id": both})
    assert list(boleto) == ["sucesso", "parametros", "imagem", "codigo-barras", "linha-digitavel"]
    html = await v1(client, app, "cobrancas/boleto", {"id": both, "html": "Sim", "pix": "Sim", "carne": "Sim"})
    assert html["html"].startswith("<table") and html["html"].endswith("</table>")
    assert boleto["linha-digitavel"] in html["html"] and "QR Code Pix" in html["html"]
    assert len(json.dumps(html).encode()) < 8000  # well within one TLS record for the Node SDK
    assert v1_errors(await v1(client, app, "cobrancas/boleto", {"id": pix_only})) == {
        pix_only: ["A cobrança não possui a forma de pagamento Boleto."]}
    pix = await v1(client, app, "cobrancas/pix", json={"id": both})
    assert list(pix) == ["sucesso", "emv", "imagem"] and brcode_is_valid(pix["emv"])
    assert v1_errors(await v1(client, app, "cobrancas/pix", {"id": "999"})) == {"999": ["Cobrança não encontrada."]}
    assert v1_errors(await v1(client, app, "cobrancas/pix", {"id": both}, account=1)) == {
        both: ["Cobrança não encontrada."]}  # another wallet's charge is not found
    assert v1_errors(await v1(client, app, "cobrancas/pix", {})) == {"id": ["O preenchimento do campo é obrigatório."]}


async def test_consultar_lists_the_most_recent_first_within_bounds(app, client):
    ids = [(await v1(client, app, "cobrancas/adicionar", charge_form(forma="Pix")))["id"] for _ in range(12)]
    recent = await v1(client, app, "cobrancas/consultar")
    assert recent["total"] == "10" and [c["id"] for c in recent["cobrancas"]] == ids[::-1][:10]
    limited = await v1(client, app, "cobrancas/consultar", {"limite": "3"})
    assert [c["id"] for c in limited["cobrancas"]] == ids[::-1][:3]
    chosen = await v1(client, app, "cobrancas/consultar", [("id[0]", ids[4]), ("id[1]", "404"), ("id[2]", ids[1])])
    assert chosen["total"] == "2" and [c["id"] for c in chosen["cobrancas"]] == [ids[4], ids[1]]
    assert v1_errors(await v1(client, app, "cobrancas/consultar", json={"id": ["404", "405"]})) == {
        "404": ["Cobrança não encontrada."], "405": ["Cobrança não encontrada."]}


async def test_a_large_answer_is_bounded_for_the_node_sdk(app, client):
    long = "x" * 255
    form = charge_form(**{f"itens[{i}][descricao]": long for i in range(10)},
                       **{f"itens[{i}][valor]": "1" for i in range(10)})
    ids = [(await v1(client, app, "cobrancas/adicionar", form))["id"] for _ in range(10)]
    r = await client.post(f"{V1}/cobrancas/consultar", headers=v1_auth(app), data={"limite": "100"})
    assert len(r.content) <= 15000
    body = r.json()
    shown = int(body["total"])
    assert 1 <= shown < 10 and shown == len(body["cobrancas"]) and body["cobrancas"][0]["id"] == ids[-1]
    entry = (await client.get("/_sim/requests", params={"provider": "widepay", "limit": 1})).json()["requests"][-1]
    assert entry["violations"] == []  # the client asked for nothing wrong
    assert any("objects left out" in w for w in entry["warnings"])


async def test_cancelar_and_manual_count_what_they_changed(app, client):
    a, b, c = [(await v1(client, app, "cobrancas/adicionar", charge_form()))["id"] for _ in range(3)]
    assert await v1(client, app, "cobrancas/cancelar", [("id[0]", a), ("id[1]", b)]) == {"sucesso": True, "total": 2}
    assert await v1(client, app, "cobrancas/cancelar", {"id": a}) == {
        "sucesso": False, "erro": "Erro na execução da solicitação.",
        "execucao": [{"id": a, "erro": "A cobrança já está cancelada."}]}
    assert v1_errors(await v1(client, app, "cobrancas/cancelar", [("id[]", "2812"), ("id[]", b)])) == {
        "2812": ["Cobrança não encontrada."], b: ["A cobrança já está cancelada."]}
    assert v1_errors(await v1(client, app, "cobrancas/cancelar", json={"id": [" "]})) == {
        "": ["Cobrança não encontrada."]}  # blank ids name no charge
    # some succeed: total counts them, the others stay as they are
    assert await v1(client, app, "cobrancas/manual", json={"id": [c, a]}) == {"sucesso": True, "total": 1}
    assert v1_errors(await v1(client, app, "cobrancas/manual", {"id": c})) == {
        c: ["A cobrança já foi recebida manualmente."]}
    charge = (await v1(client, app, "cobrancas/consultar", {"id": c}))["cobrancas"][0]
    assert charge["status"] == "Recebido manualmente"
    assert [charge[k] for k in ("recebido", "tarifa", "recebimento", "compensacao", "compensado")] == [None] * 5
    assert [h["status"] for h in charge["historico"]] == ["Aguardando", "Recebido manualmente"]
    assert v1_errors(await v1(client, app, "cobrancas/cancelar", {"id": c})) == {c: ["A cobrança já foi recebida."]}


async def test_served_at_the_root_with_provider_widepay() -> None:
    import httpx

    from simulator.app import build_app
    from simulator.settings import Settings
    from shared import START

    root = build_app(Settings(clock="manual", start_time=START, seed=0, provider="widepay"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=root), base_url="http://sim.test") as client:
        r = await client.post("/v1/recebimentos/cobrancas/adicionar", headers=v1_auth(root), data=charge_form())
        assert r.json()["sucesso"] is True
        found = await client.post("/v1/recebimentos/cobrancas/consultar", headers=v1_auth(root))
        assert found.json()["total"] == "1"
        assert (await client.post("/api/transacoes/consultar", headers=auth(root))).json()["success"] is True
