"""WidePay notifications: the form POST of `notificacao=<id>`, transacoes/notificacao, and /_sim control."""

from __future__ import annotations

from urllib.parse import parse_qs

from widepay_support import advance, app, boleto_form, client, errors, post, receiver  # noqa: F401


async def test_status_change_posts_the_notification_id(app, client, receiver):
    ident = (await post(client, app, "transacoes/gerar", boleto_form(notificacao=receiver.url)))["id"]
    await advance(client, 60)
    assert len(receiver.requests) == 1
    head, body = receiver.requests[0]
    assert head.startswith("POST /widepay/notificacao ")
    assert "application/x-www-form-urlencoded" in head.lower()
    note = parse_qs(body.decode())["notificacao"][0]
    assert len(note) == 16 and note != ident
    answer = await post(client, app, "transacoes/notificacao", {"id": note})
    assert answer["success"] is True and answer["transacao"]["id"] == ident
    assert answer["transacao"]["status"] == "Compensada"
    assert (await post(client, app, "transacoes/notificacao", {"id": ident}))["transacao"]["id"] == ident
    assert errors(await post(client, app, "transacoes/notificacao", {"id": note}, account=1)) == {
        note: ["Transação não encontrada."]}
    deliveries = (await client.get("/_sim/webhooks", params={"provider": "widepay"})).json()["deliveries"]
    assert [(d["state"], d["body"]) for d in deliveries] == [("delivered", {"notificacao": note})]


async def test_receiver_down_is_retried(app, client, receiver):
    receiver.status = 500
    await post(client, app, "transacoes/gerar", boleto_form(notificacao=receiver.url))
    await advance(client, 60)
    receiver.status = 200
    await advance(client, 300)
    states = [d["state"] for d in (await client.get("/_sim/webhooks")).json()["deliveries"]]
    assert states == ["retrying", "delivered"] and len(receiver.requests) == 2


async def test_card_link_and_cancel_notify(app, client, receiver):
    card = (await post(client, app, "transacoes/gerar", {
        "tipo": "Cartão", "cliente[pessoa]": "Física", "cliente[nome]": "Ana", "itens[0][descricao]": "Curso",
        "itens[0][valor]": "100", "notificacao": receiver.url, "redirecionamento": "https://loja.example/ok"}))["id"]
    boleto = (await post(client, app, "transacoes/gerar", boleto_form(notificacao=receiver.url)))["id"]
    assert await post(client, app, "transacoes/cancelar", {"id": boleto}) == {"success": True, "total": 1}
    await advance(client, 30)
    tx = (await post(client, app, "transacoes/consultar", {"id": card}))["transacoes"][0]
    assert tx["status"] == "Em compensação" and tx["pagamento"]["cartao"] == {"bandeira": "Visa", "final": 1111}
    assert tx["redirecionamento"] == "https://loja.example/ok"
    assert len(receiver.requests) == 2  # the cancellation and the card payment


async def test_force_a_transition_through_the_control_api(app, client):
    ident = (await post(client, app, "transacoes/gerar", boleto_form()))["id"]
    r = await client.post(f"/_sim/widepay/transactions/{ident.upper()}/cancelada", json={})
    assert r.status_code == 200
    shown = r.json()
    assert shown["id"] == ident and shown["status"] == "Cancelada" and shown["cancelamento"]
    r = await client.post(f"/_sim/widepay/transactions/{ident}/compensada")
    assert r.status_code == 409 and "error" in r.json()
    assert (await client.post("/_sim/widepay/transactions/ffffffffffffffff/compensada")).status_code == 404
