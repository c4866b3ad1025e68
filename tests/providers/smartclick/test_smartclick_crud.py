"""criar / atualizar / delete / buscar (GET and HEAD) for the six resources, with Laravel's 404 and 422."""

from __future__ import annotations

import pytest

from smartclick_fixtures import API, sc, sc_app  # noqa: F401 (fixtures)

VALIDATION = "The given data was invalid."


async def _carteira(sc, **extra):
    r = await sc.post(f"{API}/carteiras/criar", json={"wal_title": "Loja", **extra})
    assert r.status_code == 200, r.text
    return r.json()


async def _pedido(sc, carteira):
    r = await sc.post(f"{API}/pedidos/criar", json={"ord_carteira": carteira, "ord_nome": "Ana"})
    assert r.status_code == 200, r.text
    return r.json()


async def _divida(sc, carteira, valor=150, **extra):
    r = await sc.post(f"{API}/dividas/criar", json={"pgm_carteira": carteira, "pgm_valor": valor, **extra})
    assert r.status_code == 200, r.text
    return r.json()


# resource, key, model, a valid creation body (builder), a column to update and its new value
CASES = [
    ("carteiras", "wal_id", "Carteiras", lambda w, o, d: {"wal_title": "Minha loja", "wal_aceitar_boleto": "1"},
     "wal_banco", "341"),
    ("dividas", "pgm_id", "Dividas", lambda w, o, d: {"pgm_carteira": w, "pgm_valor": "99.90"},
     "pgm_pagador_nome", "Maria Souza"),
    ("itens", "oit_id", "Itens", lambda w, o, d: {"oit_pedido": o, "oit_titulo": "Camisa", "oit_valor": 49.9},
     "oit_quantidade", 3),
    ("pedidos", "ord_id", "Pedidos", lambda w, o, d: {"ord_carteira": w}, "ord_email", "ana@example.com"),
    ("recebimentos", "prc_id", "Recebimentos",
     lambda w, o, d: {"prc_carteira": w, "prc_pagamento": d, "prc_valor": 10}, "prc_status", "liberado"),
    ("saques", "saq_id", "Saques", lambda w, o, d: {"saq_carteira": w, "saq_valor": 300}, "saq_intermediario",
     "iugu"),
]


@pytest.mark.parametrize("res,key,model,build,column,value", CASES, ids=[c[0] for c in CASES])
async def test_resource_round_trip(sc, res, key, model, build, column, value):
    w = (await _carteira(sc))["wal_id"]
    o = (await _pedido(sc, w))["ord_id"]
    d = (await _divida(sc, w))["pgm_id"]
    r = await sc.post(f"{API}/{res}/criar", json=build(w, o, d))
    assert r.status_code == 200
    row = r.json()
    ident = row[key]
    assert list(row)[0] == key and row[column] is None
    got = await sc.get(f"{API}/{res}/{ident}")
    assert got.status_code == 200 and got.json() == row
    head = await sc.head(f"{API}/{res}/{ident}")
    assert head.status_code == 200 and head.content == b"" and head.headers["x-ratelimit-limit"] == "60"

    upd = await sc.post(f"{API}/{res}/atualizar", json={key: ident, column: value})
    assert upd.status_code == 200
    assert upd.json() == {**row, column: value}
    assert (await sc.get(f"{API}/{res}/{ident}")).json()[column] == value

    gone = await sc.delete(f"{API}/{res}/delete/{ident}")
    assert (gone.status_code, gone.content) == (200, b"1")
    assert gone.headers["content-type"].startswith("text/html")
    missing = await sc.get(f"{API}/{res}/{ident}")
    assert missing.status_code == 404
    assert missing.content == b'{"message":"No query results for model [App\\\\%s]."}' % model.encode()
    assert (await sc.delete(f"{API}/{res}/delete/{ident}")).content == b"0"
    assert (await sc.head(f"{API}/{res}/{ident}")).status_code == 404


async def test_ids_auto_increment_and_values_are_stored_as_the_database_would(sc):
    first = await _carteira(sc, wal_aceitar_boleto=True, wal_antecipacao_dias="30", wal_cartao_comissao_taxa="2.5")
    second = await _carteira(sc)
    assert (first["wal_id"], second["wal_id"]) == (1, 2)
    assert first["wal_aceitar_boleto"] == 1 and first["wal_antecipacao_dias"] == 30
    assert first["wal_cartao_comissao_taxa"] == 2.5
    d = await _divida(sc, 1, "10.5", pgm_pagador_cpf="529.982.247-25")
    assert d["pgm_valor"] == 10.5 and d["pgm_status"] == "pendente"
    assert d["pgm_criado_em"] == "2026-01-01 00:00:00" and d["pgm_pago_em"] is None


async def test_form_encoded_bodies_are_read_like_json(sc):
    r = await sc.post(f"{API}/carteiras/criar", data={"wal_title": "  Loja form  ", "wal_banco": ""})
    assert r.status_code == 200
    assert r.json()["wal_title"] == "Loja form" and r.json()["wal_banco"] is None  # trimmed; "" -> null


async def test_criar_without_required_fields_is_laravel_422(sc):
    r = await sc.post(f"{API}/dividas/criar")
    assert r.status_code == 422
    assert r.json() == {"message": VALIDATION, "errors": {
        "pgm_carteira": ["The pgm carteira field is required."],
        "pgm_valor": ["The pgm valor field is required."]}}
    r = await sc.post(f"{API}/carteiras/criar", json={"wal_title": "   "})
    assert r.json()["errors"] == {"wal_title": ["The wal title field is required."]}


async def test_wrong_types_references_and_documents_are_422(sc):
    await _carteira(sc)
    r = await sc.post(f"{API}/dividas/criar", json={
        "pgm_carteira": 99, "pgm_valor": "abc", "pgm_pagador_email": "not-an-email",
        "pgm_pagador_cpf": "123.456.789-00", "pgm_pagador_nascimento": "2001-02-30", "pgm_parcelas": 1.5})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["pgm_valor"] == ["The pgm valor must be a number."]
    assert errors["pgm_pagador_email"] == ["The pgm pagador email must be a valid email address."]
    assert errors["pgm_parcelas"] == ["The pgm parcelas must be an integer."]
    r = await sc.post(f"{API}/dividas/criar", json={
        "pgm_carteira": 99, "pgm_valor": 0, "pgm_pagador_cpf": "123.456.789-00",
        "pgm_pagador_nascimento": "2001-02-30"})
    assert r.json()["errors"] == {
        "pgm_carteira": ["The selected pgm carteira is invalid."],
        "pgm_valor": ["The pgm valor must be at least 0.01."],
        "pgm_pagador_cpf": ["The pgm pagador cpf is invalid."],
        "pgm_pagador_nascimento": ["The pgm pagador nascimento is not a valid date."]}
    assert (await sc.get(f"{API}/dividas/1")).status_code == 404


async def test_atualizar_needs_the_key_and_an_existing_row(sc):
    await _carteira(sc)
    r = await sc.post(f"{API}/carteiras/atualizar", json={"wal_title": "X"})
    assert r.status_code == 422
    assert r.json()["errors"] == {"wal_id": ["The wal id field is required."]}
    r = await sc.post(f"{API}/carteiras/atualizar", json={"wal_id": 42, "wal_title": "X"})
    assert r.status_code == 404 and r.json() == {"message": "No query results for model [App\\Carteiras]."}
    r = await sc.post(f"{API}/carteiras/atualizar", json={"wal_id": 1, "wal_title": None})
    assert r.status_code == 422 and r.json()["errors"] == {"wal_title": ["The wal title field is required."]}


async def test_status_columns_belong_to_the_simulator(sc):
    w = (await _carteira(sc))["wal_id"]
    d = await _divida(sc, w, pgm_status="pago")
    assert d["pgm_status"] == "pendente"
    r = await sc.post(f"{API}/dividas/atualizar", json={"pgm_id": d["pgm_id"], "pgm_status": "pago"})
    assert r.status_code == 200 and r.json()["pgm_status"] == "pendente"


async def test_literal_words_in_the_id_segment_are_a_missing_row(sc):
    assert (await sc.get(f"{API}/carteiras/criar")).json() == {
        "message": "No query results for model [App\\Carteiras]."}
    assert (await sc.get(f"{API}/saques/abc")).status_code == 404
    r = await sc.put(f"{API}/carteiras/criar")
    assert (r.status_code, r.content) == (405, b'{"message":""}')
    assert r.headers["allow"] == "GET, HEAD, POST"  # {wal_id} also matches "criar", as in Laravel
    assert (await sc.post(f"{API}/saques/1")).headers["allow"] == "GET, HEAD"
