"""Idea Gateway digital accounts, KYC documents, transfers, pix-out and bill payment over HTTP."""

from __future__ import annotations

from ig_support import IG, account_body, ig, ig_app  # noqa: F401

TOKEN = "007431a5-f913-4a19-8dd6-9350bb7229f6"


async def _account(ig: IG, **extra: object) -> dict[str, object]:
    r = await ig.post("/account", account_body(**extra))  # type: ignore[arg-type]
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_new_account_waits_for_documents_then_is_approved(ig: IG) -> None:
    acc = await _account(ig)
    inner = acc["account"]
    assert isinstance(inner, dict)
    assert inner["bankCode"] == "093" and inner["agency"] == "0001" and inner["password"] == 12345678
    assert len(inner["accountNumber"]) == 6 and acc["status"] == "doc_pending"
    assert [d["status"] for d in acc["docs"]] == ["pending", "pending"]  # type: ignore[union-attr]
    await ig.advance(300)
    found = (await ig.get("/account", params={"q": "455.763.600-44"})).json()
    assert found["status"] == "approved" and "password" not in found["account"]
    assert [d["status"] for d in found["docs"]] == ["approved", "approved"]


async def test_account_search_by_each_type(ig: IG) -> None:
    acc = await _account(ig)
    number = acc["account"]["accountNumber"]  # type: ignore[index]
    for q, kind in (("45576360044", "cpf"), ("FOO@bar.com", "email"), ("11989691336", "phone"), (number, "account")):
        r = await ig.get("/account", params={"q": q, "type": kind})
        assert r.status_code == 200 and r.json()["account"]["accountNumber"] == number, kind
    r = await ig.get("/account", params={"q": "76430473910"})
    assert r.status_code == 404 and r.json() == {"message": "Conta não encontrada."}
    assert (await ig.get("/account")).json() == {"message": "O campo q é obrigatório."}
    assert (await ig.get("/account", params={"q": "1", "type": "rg"})).status_code == 400
    assert (await ig.get("/account", params={"q": "45576360044"}, index=1)).status_code == 404


async def test_account_validation(ig: IG) -> None:
    r = await ig.post("/account", account_body(cpf="12345678901"))
    assert r.status_code == 400 and r.json() == {"message": "CPF inválido."}
    r = await ig.post("/account", account_body(email="not-an-email"))
    assert r.status_code == 400 and r.json() == {"message": "E-mail inválido."}
    r = await ig.post("/account", {k: v for k, v in account_body().items() if k != "documents"})
    assert r.status_code == 400 and r.json() == {"message": "O campo documents é obrigatório."}
    await _account(ig)
    r = await ig.post("/account", account_body(cpf="455.763.600-44"))
    assert r.status_code == 422 and r.json() == {"message": "CPF já cadastrado."}


async def test_rejected_document_is_replaced_and_reviewed_again(ig: IG) -> None:
    acc = await _account(ig, cpf="11144477735")
    number = acc["account"]["accountNumber"]  # type: ignore[index]
    first = acc["docs"][0]["id"]  # type: ignore[index]
    await ig.advance(300)
    found = (await ig.get("/account", params={"q": "11144477735"})).json()
    assert found["status"] == "doc_pending" and {d["status"] for d in found["docs"]} == {"rejected"}
    r = await ig.put(f"/account/{number}/document/{first}", {"type": "cpf", "fileFormat": "image/png",
                                                              "file": "iVBORw0KGgo="})
    assert r.status_code == 200 and r.json()["type"] == "cpf" and r.json()["id"] != first
    docs = (await ig.get("/account", params={"q": "11144477735"})).json()["docs"]
    assert docs[0] == {"id": r.json()["id"], "type": "cpf", "status": "pending"}
    assert (await ig.put(f"/account/{number}/document/1", {"type": "cpf", "file": "AAAA"})).status_code == 404
    assert (await ig.put("/account/999999/document/1", {"type": "cpf", "file": "AAAA"})).json() == {
        "message": "Conta não encontrada."}
    r = await ig.put(f"/account/{number}/document/{first}", {"type": "passport", "file": "AAAA"})
    assert r.status_code == 400 and r.json() == {"message": "Tipo de documento inválido."}


async def test_transfer_needs_token_and_balance(ig: IG) -> None:
    body = {"amount": 6000, "holderCpf": "76430473910", "authToken": TOKEN}
    r = await ig.post("/transfer", {**body, "authToken": None})
    assert r.status_code == 400
    r = await ig.post("/transfer", {k: v for k, v in body.items() if k != "authToken"})
    assert r.status_code == 401 and r.json() == {"message": "Token de autenticação inválido."}
    r = await ig.post("/transfer", {**body, "holderCpf": "76430473911"})
    assert r.status_code == 400 and r.json() == {"message": "CPF inválido."}
    first = await ig.post("/transfer", body, index=1)  # the second account starts with R$ 100,00
    assert first.status_code == 201 and first.json()["status"] == "pending"
    r = await ig.post("/transfer", body, index=1)
    assert r.status_code == 422 and r.json() == {"message": "Saldo insuficiente."}
    await ig.advance(10)
    assert (await ig.get(f"/transaction/{first.json()['id']}", index=1)).json()["status"] == "paid"


async def test_paid_pix_credits_the_balance(ig: IG) -> None:
    body = {"amount": 15000, "holderCpf": "76430473910", "authToken": TOKEN}
    assert (await ig.post("/transfer", body, index=1)).status_code == 422
    pix = (await ig.post("/pix", {"amount": 5000}, index=1)).json()
    await ig.force(pix["id"], "paid")
    assert (await ig.post("/transfer", body, index=1)).status_code == 201


async def test_pix_out_checks_the_key_and_gives_back_a_failed_amount(ig: IG) -> None:
    body = {"amount": "10000", "favored": {"pixKey": "d2d3e39b-1a14-4650-9524-3c0eb8042aba",
                                           "pixType": "chaveAleatoria"}, "customCode": "codigo-personalizado"}
    r = await ig.post("/pix/transfer", {**body, "favored": {"pixKey": "foo", "pixType": "email"}})
    assert r.status_code == 400 and r.json() == {"message": "Chave Pix inválida."}
    r = await ig.post("/pix/transfer", {**body, "favored": {"pixKey": "failed@pix.test", "pixType": "email"}},
                      index=1)
    assert r.status_code == 201
    assert (await ig.post("/pix/transfer", body, index=1)).status_code == 422  # balance is held
    await ig.advance(10)
    assert (await ig.get(f"/transaction/{r.json()['id']}", index=1)).json()["status"] == "failed"
    assert (await ig.post("/pix/transfer", body, index=1)).status_code == 201  # and given back


async def test_bill_payment(ig: IG) -> None:
    r = await ig.post("/billPayment", {"amount": 1000, "barcode": "0" * 34, "customCode": "conta-luz"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    ident = r.json()["id"]
    bad = await ig.post("/billPayment", {"amount": "1000", "barcode": "3" * 44, "customCode": "conta-agua"})
    await ig.advance(60)
    got = (await ig.get(f"/billPayment/{ident}")).json()
    assert got["status"] == "paid" and got["provider"] == "gerencianet" and "paymentId" in got["metadata"]
    assert (await ig.get(f"/billPayment/{bad.json()['id']}")).json()["status"] == "failed"
    assert [b["id"] for b in (await ig.get("/billPayment", params={"customCode": "conta-luz"})).json()] == [ident]
    assert (await ig.get("/billPayment/missing")).status_code == 404
    r = await ig.post("/billPayment", {"amount": 1000})
    assert r.status_code == 400 and r.json() == {"message": "O campo barcode é obrigatório."}
