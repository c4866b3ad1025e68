"""WidePay v1 carnês over HTTP: adicionar builds one charge per installment, montar groups existing charges, the
carnê's status follows its parcels, cancelar, consultar and carnes/notificacao."""

from __future__ import annotations

from urllib.parse import parse_qs

from widepay_support import advance, app, charge_form, client, receiver, v1, v1_errors  # noqa: F401

DAY = 86400
CARNE = {"forma": "Boleto,Pix", "cliente": "Lívia Pontarolo Almeida", "pessoa": "Física", "cpf": "463.384.662-02",
         "itens": [{"descricao": "Mensalidade", "valor": "100"}], "vencimento": "2026-01-31", "parcelas": 3,
         "dividir": "Sim"}
CARNE_KEYS = ["id", "cliente", "pessoa", "cpf", "cnpj", "email", "telefone", "endereco", "itens", "referencia",
              "valor", "dividir", "parcelas", "notificacao", "vencimento", "criacao", "status", "cobrancas",
              "historico", "comentario", "favorito"]


async def booklet(client, app, ident, account=0):
    return (await v1(client, app, "carnes/consultar", {"id": ident}, account=account))["carnes"][0]


async def test_adicionar_builds_monthly_parcels(app, client):
    made = await v1(client, app, "carnes/adicionar", json=CARNE)
    assert list(made) == ["sucesso", "id", "link", "cobrancas"]
    assert made["link"].split("/widepay/carne/")[1].startswith(f"148446-{made['id']}-")
    assert made["cobrancas"] == [str(int(made["id"]) + i) for i in (1, 2, 3)]  # consecutive, as in the docs
    found = await v1(client, app, "carnes/consultar", {"id": made["id"]})
    assert found["total"] == "1"
    carne = found["carnes"][0]
    assert list(carne) == CARNE_KEYS
    assert (carne["valor"], carne["dividir"], carne["parcelas"], carne["status"]) == ("100.00", "Sim", "3", "Ativo")
    assert [(c["vencimento"], c["valor"], c["status"]) for c in carne["cobrancas"]] == [
        ("2026-01-31", "33.34", "Aguardando"), ("2026-02-28", "33.33", "Aguardando"),
        ("2026-03-31", "33.33", "Aguardando")]  # the same day each month, the last day of a shorter one
    parcel = (await v1(client, app, "cobrancas/consultar", {"id": made["cobrancas"][1]}))["cobrancas"][0]
    assert parcel["carne"] == made["id"] and parcel["itens"][0]["descricao"] == "Parcela 2/3"
    assert (await v1(client, app, "cobrancas/boleto", {"id": parcel["id"]}))["sucesso"] is True
    whole = await v1(client, app, "carnes/adicionar", json={**CARNE, "dividir": "Não", "parcelas": "2"})
    values = [c["valor"] for c in (await booklet(client, app, whole["id"]))["cobrancas"]]
    assert values == ["100.00", "100.00"]  # dividir=Não: the items' total in every installment


async def test_the_carne_follows_its_parcels(app, client, receiver):
    made = await v1(client, app, "carnes/adicionar", json={**CARNE, "notificacao": receiver.url})
    first, second, third = made["cobrancas"]
    await advance(client, 31 * DAY)  # 2026-01-31 21:00 local: the first parcel was paid at noon on its due date
    carne = await booklet(client, app, made["id"])
    assert [c["status"] for c in carne["cobrancas"]] == ["Recebido", "Aguardando", "Aguardando"]
    assert carne["cobrancas"][0]["recebimento"] == "2026-01-31" and carne["status"] == "Ativo"
    assert await v1(client, app, "cobrancas/manual", [("id[0]", second), ("id[1]", third)]) == {
        "sucesso": True, "total": 2}
    carne = await booklet(client, app, made["id"])
    assert carne["status"] == "Finalizado" and [h["status"] for h in carne["historico"]] == ["Ativo", "Finalizado"]
    # notifications: each parcel (the carnê's URL, INFERRED) and the carnê itself
    forms = [{k: v[0] for k, v in parse_qs(body.decode()).items()} for _, body in receiver.requests]
    assert len(forms) == 4 and all(f["carteira"] == "148446" for f in forms)
    answer = await v1(client, app, "carnes/notificacao", {"id": forms[-1]["notificacao"]})
    assert list(answer) == ["sucesso", "carne"] and answer["carne"]["id"] == made["id"]
    assert answer["carne"]["status"] == "Finalizado"
    assert v1_errors(await v1(client, app, "carnes/notificacao", {"id": forms[0]["notificacao"]})) == {
        forms[0]["notificacao"]: ["Notificação não encontrada."]}  # that one is a parcel's: cobrancas/notificacao
    assert (await v1(client, app, "cobrancas/notificacao", {"id": forms[0]["notificacao"]}))["cobranca"]["id"] == first


async def test_an_overdue_parcel_makes_the_carne_pending(app, client):
    made = await v1(client, app, "carnes/adicionar", json={**CARNE, "vencimento": "2026-01-05"},
                    headers={"X-Sim-Scenario": "widepay-v1-never-paid"})
    await advance(client, 6 * DAY)  # past midnight after 2026-01-05
    carne = await booklet(client, app, made["id"])
    assert carne["status"] == "Pendente" and carne["cobrancas"][0]["status"] == "Vencido"
    await v1(client, app, "cobrancas/manual", {"id": made["cobrancas"][0]})
    assert (await booklet(client, app, made["id"]))["status"] == "Ativo"
    assert [h["status"] for h in (await booklet(client, app, made["id"]))["historico"]] == [
        "Ativo", "Pendente", "Ativo"]  # the docs' example history


async def test_cancelar_cancels_the_carne_and_its_unpaid_parcels(app, client):
    made = await v1(client, app, "carnes/adicionar", json=CARNE)
    await v1(client, app, "cobrancas/manual", {"id": made["cobrancas"][0]})
    assert await v1(client, app, "carnes/cancelar", {"id": made["id"]}) == {"sucesso": True, "total": 1}
    carne = await booklet(client, app, made["id"])
    assert carne["status"] == "Cancelado"
    assert [c["status"] for c in carne["cobrancas"]] == ["Recebido manualmente", "Cancelado", "Cancelado"]
    assert v1_errors(await v1(client, app, "carnes/cancelar", [("id[0]", made["id"]), ("id[1]", "1")])) == {
        made["id"]: ["O carnê já está cancelado."], "1": ["Carnê não encontrado."]}
    assert v1_errors(await v1(client, app, "carnes/consultar", {"id": made["id"]}, account=1)) == {
        made["id"]: ["Carnê não encontrado."]}


async def test_montar_groups_existing_charges(app, client):
    ids = [(await v1(client, app, "cobrancas/adicionar", charge_form(vencimento=f"2026-0{m}-10")))["id"]
           for m in (3, 2)]
    made = await v1(client, app, "carnes/montar", [("cobrancas[0]", ids[0]), ("cobrancas[1]", ids[1]),
                                                   ("referencia", "Contrato 7")])
    assert list(made) == ["sucesso", "id", "link"]
    carne = await booklet(client, app, made["id"])
    assert (carne["valor"], carne["parcelas"], carne["vencimento"], carne["referencia"]) == (
        "45.00", "2", "2026-02-10", "Contrato 7")
    assert [c["id"] for c in carne["cobrancas"]] == ids
    again = await v1(client, app, "carnes/montar", json={"cobrancas": [ids[0], "999"]})
    assert v1_errors(again) == {ids[0]: ["A cobrança já pertence a um carnê."], "999": ["Cobrança não encontrada."]}
    assert v1_errors(await v1(client, app, "carnes/montar", {"cobrancas[0]": ids[0]})) == {
        "cobrancas": ["Informe de 2 a 24 cobranças."]}
    assert v1_errors(await v1(client, app, "carnes/montar", json={"cobrancas": [ids[1], ids[1]]})) == {
        "cobrancas": ["Informe de 2 a 24 cobranças."]}  # the same charge twice is one


async def test_carne_validation(app, client):
    body = await v1(client, app, "carnes/adicionar", json={**CARNE, "parcelas": 13, "dividir": "Talvez",
                                                          "boleto": {"desconto": "20"}})
    assert v1_errors(body) == {"parcelas": ["O número de parcelas deve ser de 2 a 12."],
                               "dividir": ["O valor informado é inválido: use Sim ou Não."]}
    assert v1_errors(await v1(client, app, "carnes/adicionar", json={**CARNE, "boleto": {"desconto": "20"}})) == {
        "boleto[desconto]": ["O desconto não pode ser maior que 50% do valor da parcela."]}
    missing = {k: v for k, v in CARNE.items() if k not in ("forma", "parcelas")}
    assert v1_errors(await v1(client, app, "carnes/adicionar", json=missing)) == {
        "forma": ["O preenchimento do campo é obrigatório."], "parcelas": ["O preenchimento do campo é obrigatório."]}
