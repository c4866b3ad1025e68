"""Webhooks: the bare payment object to notification_url, else to the account's URL, retried on the clock."""

import asyncio
import json

from webpag_helpers import HOOK, advance, app, deliveries, headers, new_payer, pay  # noqa: F401


async def test_status_change_posts_the_payment_to_notification_url(app, client):
    received: list[dict] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")][0])
        received.append(json.loads(await reader.readexactly(length)))
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        h = headers(app)
        payer = await new_payer(client, h)
        p = (await pay(client, h, payer["id"], "pix", notification_url=f"http://127.0.0.1:{port}/hook")).json()
        await client.post(f"/_sim/webpag/transactions/{p['data']['id']}/paid")
        await advance(client, 0)
    finally:
        server.close()
        await server.wait_closed()
    [body] = received
    assert "data" not in body and body["id"] == p["data"]["id"]
    assert (body["status"], body["status_label"], body["business"]["id"]) == (40, "Pago", 537)
    [delivery] = await deliveries(client)
    assert delivery["state"] == "delivered" and delivery["event"] == "payment.paid"


async def test_account_url_is_the_default_and_failures_retry_on_schedule(app, client):
    h = headers(app)
    r = await client.put("/_sim/webpag/accounts/papelaria/webhook", json={"url": HOOK})
    assert r.status_code == 200
    payer = await new_payer(client, h)
    await pay(client, h, payer["id"], "credit_card")     # approved at once: one payment.paid event
    await advance(client, 0)
    [first] = await deliveries(client)
    assert first["url"] == HOOK and first["state"] == "retrying" and first["body"]["status"] == 40
    await advance(client, 60 + 300 + 900 + 3600 + 14400)
    attempts = await deliveries(client)
    assert [d["attempt"] for d in attempts] == [1, 2, 3, 4, 5, 6]
    assert attempts[-1]["state"] == "failed"


async def test_no_url_means_no_delivery(app, client):
    h = headers(app, 1)
    payer = await new_payer(client, h)
    await pay(client, h, payer["id"], "credit_card")
    await advance(client, 0)
    assert await deliveries(client) == []


async def test_force_outcomes_follow_the_state_machine(app, client):
    h = headers(app)
    payer = await new_payer(client, h)
    p = (await pay(client, h, payer["id"], "pix", notification_url=HOOK)).json()["data"]
    r = await client.post(f"/_sim/webpag/transactions/{p['pix']['txid']}/cancelled")
    assert r.status_code == 200 and r.json()["status"] == 60
    assert (await client.post(f"/_sim/webpag/transactions/{p['id']}/paid")).status_code == 409
    assert (await client.post("/_sim/webpag/transactions/424242/paid")).status_code == 404
    card_payment = (await pay(client, h, payer["id"], "credit_card")).json()["data"]
    r = await client.post(f"/_sim/webpag/transactions/{card_payment['id']}/chargeback")
    assert r.json()["status"] == 70 and r.json()["status_label"] == "Chargeback"
    await advance(client, 0)
    assert {d["event"] for d in await deliveries(client)} == {"payment.cancelled"}
