"""Idea Gateway Pix over HTTP: dynamic and static charges, lookups, payment, expiry, cancel, refund, webhooks."""

from __future__ import annotations

from simulator.brdata.pix import brcode_is_valid, parse_tlv

from ig_support import IG, ig, ig_app  # noqa: F401


async def _pix(ig: IG, **body: object) -> dict[str, object]:
    r = await ig.post("/pix", {"amount": "1000", "customCode": "order123", **body})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _pay(ig: IG, ident: object, amount_paid: int | None = None) -> int:
    pix: dict[str, object] = {"id": ident, "status": "paid"}
    if amount_paid is not None:
        pix["amountPaid"] = amount_paid
    r = await ig.http.post("/ideagateway/webhook/idea/gateway", json={"event": {"type": "pix", "data": {"pix": pix}}})
    return r.status_code


async def test_create_pix_accepts_string_or_number_and_gives_a_valid_br_code(ig: IG) -> None:
    for amount in ("1000", 1000):
        r = await ig.post("/pix", {"amount": amount})
        assert r.status_code == 201
        body = r.json()
        assert body["amount"] == 1000 and body["status"] == "pending"
        assert set(body) == {"id", "amount", "qrCode", "status", "gatewayId"}
        assert brcode_is_valid(body["qrCode"])
        assert parse_tlv(body["qrCode"])["54"] == "10.00"


async def test_get_and_search_pix(ig: IG) -> None:
    created = await _pix(ig, customer={"name": "Foo Bar", "documentNumber": 1245678900},
                         paymentId="00000hipercapmogi121640000300221295")
    await _pix(ig, customCode="other")
    r = await ig.get(f"/pix/{created['id']}")
    assert r.status_code == 200
    pix = r.json()
    assert pix["provider"] == "gerencianet" and pix["status"] == "pending"
    assert pix["customer"] == {"name": "Foo Bar", "documentNumber": 1245678900}
    assert pix["metadata"]["paymentId"] == "00000hipercapmogi121640000300221295"
    assert pix["metadata"]["customCode"] == "order123" and pix["metadata"]["nsu"] == ""
    found = (await ig.get("/pix", params={"customCode": "order123"})).json()
    assert [p["id"] for p in found] == [created["id"]]
    assert len((await ig.get("/pix")).json()) == 2


async def test_unknown_pix_and_static_word_answer_pix_nao_encontrado(ig: IG) -> None:
    for path in ("/pix/nope", "/pix/static"):
        r = await ig.get(path)
        assert r.status_code == 404 and r.json() == {"message": "Pix não encontrado."}


async def test_sandbox_route_pays_and_posts_the_pix_webhook(ig: IG) -> None:
    await ig.receive_webhooks()
    created = await _pix(ig)
    assert await _pay(ig, created["id"], 1000) == 200
    pix = (await ig.get(f"/pix/{created['id']}")).json()
    assert pix["status"] == "paid" and pix["amountPaid"] == 1000
    await ig.advance(1)
    event = ig.hooks[-1]["event"]
    assert event["type"] == "pix"
    data = event["data"]["pix"]
    assert data["id"] == created["id"] and data["status"] == "paid" and data["amountPaid"] == 1000
    assert set(data) >= {"customCode", "amount", "qrCode", "paidAt", "paymentId"}
    assert await _pay(ig, created["id"]) == 200  # a repeated notice changes nothing
    assert await _pay(ig, "missing") == 404


async def test_pix_expires_after_its_expire_seconds(ig: IG) -> None:
    created = await _pix(ig, expire=120)
    await ig.advance(119)
    assert (await ig.get(f"/pix/{created['id']}")).json()["status"] == "pending"
    await ig.advance(1)
    assert (await ig.get(f"/pix/{created['id']}")).json()["status"] == "expired"
    assert await _pay(ig, created["id"]) == 400


async def test_payment_id_rules(ig: IG) -> None:
    r = await ig.post("/pix", {"amount": 100, "paymentId": "short"})
    assert r.status_code == 400 and "paymentId" in r.json()["message"]
    await _pix(ig, paymentId="A" * 30)
    r = await ig.post("/pix", {"amount": 100, "paymentId": "A" * 30})
    assert r.status_code == 422 and r.json() == {"message": "paymentId já utilizado."}


async def test_validation_errors_name_the_field(ig: IG) -> None:
    r = await ig.post("/pix", {"customCode": "x"})
    assert r.status_code == 400 and r.json() == {"message": "O campo amount é obrigatório."}
    for bad in ("10.50", "abc", -5, 0, 12.5):
        r = await ig.post("/pix", {"amount": bad})
        assert r.status_code == 400 and r.json() == {"message": "O campo amount é inválido."}, bad
    r = await ig.http.post("/ideagateway/pix", headers={**ig.headers(), "Content-Type": "application/json"},
                           content=b"{not json")
    assert r.status_code == 400 and "message" in r.json()


async def test_static_pix_brcode_carries_the_id_as_txid(ig: IG) -> None:
    r = await ig.post("/pix/static", {"amount": "1000", "customCode": "s1"})
    assert r.status_code == 201
    body = r.json()
    assert len(body["id"]) == 25 and body["id"].isalnum()
    fields = parse_tlv(body["qrCode"])
    assert brcode_is_valid(body["qrCode"]) and fields["01"] == "11"
    assert fields["59"] == "Idea Maker Meios de Pagam" and fields["60"] == "Santana de Parn"
    assert parse_tlv(fields["62"])["05"] == body["id"] and fields["54"] == "10.00"
    infra = (await ig.post("/pix/static/infra", {"amount": 500, "receiverName": "Idea Maker Solution",
                                                 "receiverCity": "São José dos Campos"})).json()
    f = parse_tlv(infra["qrCode"])
    assert f["59"] == "Idea Maker Solution" and f["60"] == "Sao Jose dos Ca"


async def test_static_pix_is_reenabled_after_payment(ig: IG) -> None:
    ident = (await ig.post("/pix/static", {"amount": "1000"})).json()["id"]
    assert (await ig.force(ident, "paid")).json()["status"] == "paid"
    r = await ig.post(f"/pix/static/{ident}/reenable", {"customCode": "order999"})
    assert r.status_code == 200
    assert r.json()["amount"] == "1000" and r.json()["status"] == "pending" and r.json()["id"] == ident
    assert (await ig.get(f"/pix/{ident}")).json()["metadata"]["customCode"] == "order999"
    assert (await ig.post("/pix/static/nope/reenable", {"customCode": "x"})).status_code == 404
    assert (await ig.post(f"/pix/static/{ident}/reenable", {})).json() == {
        "message": "O campo customCode é obrigatório."}


async def test_metadata_and_split(ig: IG) -> None:
    created = await _pix(ig)
    r = await ig.put(f"/pix/{created['id']}/metadata", {"customCode": "buy:hipercapmogi:site"})
    assert r.status_code == 200
    body = r.json()
    assert body["amount"] == "1000" and "createdAt" not in body
    assert body["metadata"]["customCode"] == "buy:hipercapmogi:site"
    assert body["metadata"]["nsu"] == body["metadata"]["paymentId"]
    r = await ig.post("/pix/split/8a9d35b5-33d9-4a94-b580-218ab4188fe8", {"customCode": "buy:hipercapmogi:site"})
    assert r.status_code == 200 and r.json()["splitId"] == "8a9d35b5-33d9-4a94-b580-218ab4188fe8"
    r = await ig.post("/pix/split/abc", {"customCode": "unknown"})
    assert r.status_code == 404 and r.json() == {"message": "Pix não encontrado."}


async def test_bulk_cancel(ig: IG) -> None:
    a = await _pix(ig, customCode="order123")
    await _pix(ig, customCode="order456")
    r = await ig.post("/pix/cancel", {"customCodes": ["order123", "order456", "order789"]})
    assert r.status_code == 200
    assert len(r.json()["canceled"]) == 2 and r.json()["notFound"] == ["order789"]
    assert (await ig.get(f"/pix/{a['id']}")).json()["status"] == "canceled"
    r = await ig.post("/pix/cancel", {"customCodes": ["order123"]})
    assert r.status_code == 422 and r.json() == {"message": "Não foi possível processar o cancelamento."}


async def test_refund_only_paid_pix_and_not_more_than_paid(ig: IG) -> None:
    created = await _pix(ig)
    r = await ig.post(f"/pix/{created['id']}/refund", {})
    assert r.status_code == 422
    await _pay(ig, created["id"])
    assert (await ig.post(f"/pix/{created['id']}/refund", {"amount": "5000"})).status_code == 400
    r = await ig.post(f"/pix/{created['id']}/refund", {"amount": "400"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "refunded" and "capturedDate" in body and "refundedAmount" not in body  # op 16
    assert list(body["customer"]) == ["name", "address"] and list(body["customer"]["address"]) == [
        "number", "zipCode", "street"]
    assert (await ig.get(f"/pix/{created['id']}")).json()["status"] == "refunded"


async def test_pix_belongs_to_its_account(ig: IG) -> None:
    created = await _pix(ig)
    assert (await ig.get(f"/pix/{created['id']}", index=1)).status_code == 404
    assert (await ig.get("/pix", index=1)).json() == []


async def test_force_paid_through_control_api(ig: IG) -> None:
    created = await _pix(ig)
    r = await ig.force(str(created["id"]), "paid")
    assert r.status_code == 200 and r.json()["status"] == "paid"
    assert (await ig.force(str(created["id"]), "expired")).status_code == 409
    assert (await ig.force("order123", "refunded")).json()["status"] == "refunded"  # by customCode
