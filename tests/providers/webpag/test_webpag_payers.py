"""Payers and saved cards over HTTP."""

from webpag_helpers import CPF, app, headers, new_card, new_payer  # noqa: F401  (app: fixture)


async def test_register_get_list_update_inactivate(app, client):
    h = headers(app)
    payer = await new_payer(client, h, address={"zip_code": "80000-000", "street": "Rua das Flores",
                                                "number": "231", "district": "Centro", "city": "Curitiba",
                                                "state": "PR", "country": "BR"})
    assert payer["cpf_cnpj"] == CPF and payer["status"] == 10 and payer["status_label"] == "Ativo"
    assert payer["phone_number"] == "+55 (41) 99999-8888"
    assert list(payer["address"]) == ["city", "state", "number", "street", "country", "district", "zip_code"]
    pid = payer["id"]
    got = await client.get(f"/webpag/api/payers/{pid}", headers=h)
    assert got.json() == {"data": payer}
    listed = (await client.get("/webpag/api/payers", headers=h)).json()
    assert [p["id"] for p in listed["data"]] == [pid] and listed["meta"]["total"] == 1
    r = await client.put(f"/webpag/api/payers/{pid}/update", headers=h, json={
        "first_name": "Maria", "last_name": "Souza", "email": "maria@example.com", "is_business": False,
        "cpf_cnpj": CPF})
    assert r.status_code == 200 and r.json()["data"]["first_name"] == "Maria"
    r = await client.put(f"/webpag/api/payers/{pid}/inactivate", headers=h)
    assert r.json()["data"]["status"] == 20 and r.json()["data"]["status_label"] == "Inativo"


async def test_invalid_document_and_missing_fields_give_laravel_422(app, client):
    h = headers(app)
    r = await client.post("/webpag/api/payers/register", headers=h, json={
        "first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": "11111111111"})
    assert r.status_code == 422
    assert r.json()["errors"] == {"cpf_cnpj": ["O campo cpf_cnpj não é um CPF ou CNPJ válido."]}
    r = await client.post("/webpag/api/payers/register", headers=h, json={"first_name": "João"})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"last_name", "is_business", "cpf_cnpj"}
    assert r.json()["message"].startswith("O campo")


async def test_duplicate_document_is_rejected(app, client):
    h = headers(app)
    await new_payer(client, h)
    r = await client.post("/webpag/api/payers/register", headers=h, json={
        "first_name": "Outro", "last_name": "Nome", "is_business": False, "cpf_cnpj": "529.982.247-25"})
    assert r.status_code == 422 and "cpf_cnpj" in r.json()["errors"]


async def test_payers_are_isolated_per_account(app, client):
    payer = await new_payer(client, headers(app, 0))
    r = await client.get(f"/webpag/api/payers/{payer['id']}", headers=headers(app, 1))
    assert r.status_code == 404
    assert r.json() == {"message": f"No query results for model [App\\Models\\Payer] {payer['id']}"}
    assert (await client.get("/webpag/api/payers", headers=headers(app, 1))).json()["data"] == []


async def test_save_and_remove_card(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    saved = await new_card(client, h, payer["id"], "5555555555554444")
    assert saved["last_numbers"] == "4444" and saved["active"] is True
    r = await client.delete(f"/webpag/api/payers/{payer['id']}/creditcard/{saved['id']}/remove", headers=h)
    assert r.status_code == 200 and r.json()["data"] == dict(saved, active=False)
    r = await client.post(f"/webpag/api/payers/{payer['id']}/creditcard", headers=h, json={
        "number": "4111111111111112", "name": "X", "expiration_month": "12", "expiration_year": "2030",
        "security_code": "123"})
    assert r.status_code == 422 and "number" in r.json()["errors"]
    r = await client.delete(f"/webpag/api/payers/{payer['id']}/creditcard/999/remove", headers=h)
    assert r.status_code == 404
