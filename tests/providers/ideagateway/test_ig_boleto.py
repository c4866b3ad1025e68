"""Idea Gateway boleto and the transaction lookup over HTTP."""

from __future__ import annotations

from simulator.brdata.boleto import barcode_from_linha, linha_is_valid

from ig_support import IG, ig, ig_app  # noqa: F401

SLIP = {"amount": "1000", "dueDate": "2026-01-10",
        "payerData": {"name": "Foo Bar", "documentNumber": "01234567899", "phoneNumber": "74988570796"},
        "customCode": "order123", "instructions": "Após o pagamento, consulte seu saldo no aplicativo"}


async def _slip(ig: IG, **extra: object) -> dict[str, object]:
    r = await ig.post("/bankslip", {**SLIP, **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_boleto_has_a_valid_digitable_line(ig: IG) -> None:
    slip = await _slip(ig)
    assert set(slip) == {"id", "amount", "digitableLine", "dueDate", "status"}
    assert slip["amount"] == 1000 and slip["status"] == "pending"
    assert slip["dueDate"] == "2026-01-10T00:00:00.000Z"
    line = str(slip["digitableLine"])
    assert linha_is_valid(line) and line.startswith("093")
    code = barcode_from_linha(line)
    assert code[9:19] == "0000001000"  # the amount in centavos
    assert code[5:9] == "1322"  # due-date factor of 2026-01-10 (after the 2025 restart at 1000)


async def test_boleto_validation(ig: IG) -> None:
    r = await ig.post("/bankslip", {"amount": "1000", "dueDate": "2026-01-10"})
    assert r.status_code == 400 and r.json() == {"message": "O campo payerData é obrigatório."}
    r = await ig.post("/bankslip", {**SLIP, "dueDate": "2020-12-05"})
    assert r.status_code == 400 and r.json() == {"message": "Data de vencimento inválida."}


async def test_download_is_a_pdf(ig: IG) -> None:
    slip = await _slip(ig)
    r = await ig.get(f"/bankslip/{slip['id']}/download")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and r.content.rstrip().endswith(b"%%EOF")
    assert str(slip["digitableLine"]).encode() in r.content
    r = await ig.get("/bankslip/missing/download")
    assert r.status_code == 404 and r.json() == {"message": "Boleto não encontrado ou não disponível."}


async def test_unpaid_boleto_expires_the_day_after_due(ig: IG) -> None:
    await ig.receive_webhooks()
    slip = await _slip(ig)
    await ig.advance(10 * 86400)
    assert (await ig.get(f"/transaction/{slip['id']}")).json()["status"] == "pending"
    await ig.advance(2 * 86400)
    assert (await ig.get(f"/transaction/{slip['id']}")).json()["status"] == "expired"
    assert (await ig.get(f"/bankslip/{slip['id']}/download")).status_code == 404
    assert ig.hooks[-1]["event"]["data"]["bankslip"]["status"] == "expired"


async def test_paid_boleto_posts_bankslip_event_and_shows_in_transaction(ig: IG) -> None:
    await ig.receive_webhooks()
    slip = await _slip(ig)
    r = await ig.http.post("/ideagateway/webhook/idea/gateway",
                           json={"event": {"type": "bankslip", "data": {"bankslip": {"id": slip["id"]}}}})
    assert r.status_code == 200
    await ig.advance(1)
    event = ig.hooks[-1]["event"]
    assert event["type"] == "bankslip"
    data = event["data"]["bankslip"]
    assert data["status"] == "paid" and data["amountPaid"] == 1000 and data["customCode"] == "order123"
    assert set(data) == {"id", "customCode", "amount", "amountPaid", "qrCode", "paidAt", "status"}
    tx = (await ig.get("/transaction/order123")).json()
    assert tx["id"] == slip["id"] and tx["type"] == "bankslip" and tx["provider"] == "pinbank"
    assert tx["amountPaid"] == 1000 and tx["paidAt"]
    assert tx["metadata"]["digitableLine"] == slip["digitableLine"]
    assert tx["metadata"]["referenceCode"].startswith("09/")


async def test_transaction_lookup_by_custom_code_gives_the_latest(ig: IG) -> None:
    await _slip(ig)
    pix = (await ig.post("/pix", {"amount": 500, "customCode": "order123"})).json()
    tx = (await ig.get("/transaction/order123")).json()
    assert tx["id"] == pix["id"] and tx["type"] == "pix" and tx["provider"] == "gerencianet"
    r = await ig.get("/transaction/nothing")
    assert r.status_code == 404 and r.json() == {"message": "Transação não encontrada."}
