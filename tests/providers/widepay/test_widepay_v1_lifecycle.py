"""WidePay v1 charges on the simulator clock: paid, overdue the day after the due date, paid late, under review,
cancelled; magic values, scenarios and forced outcomes; the notification form and cobrancas/notificacao."""

from __future__ import annotations

from urllib.parse import parse_qs

from shared import force
from widepay_support import advance, app, charge_form, client, receiver, v1, v1_errors  # noqa: F401

DAY = 86400


async def charge(client, app, account=0, headers=None, **form):
    return (await v1(client, app, "cobrancas/adicionar", charge_form(**form), account=account,
                     headers=headers or {}))["id"]


async def shown(client, app, ident, account=0):
    return (await v1(client, app, "cobrancas/consultar", {"id": ident}, account=account))["cobrancas"][0]


async def test_a_charge_is_paid_after_a_minute_with_the_payment_fields(app, client):
    boleto = await charge(client, app, forma="Boleto")
    pix = await charge(client, app, forma="Pix", desconto="2.50")
    await advance(client, 59)
    assert (await shown(client, app, boleto))["status"] == "Aguardando"
    await advance(client, 1)
    paid = await shown(client, app, boleto)
    assert paid["status"] == "Recebido" and paid["historico"][-1] == {"status": "Recebido",
                                                                      "data": "2025-12-31 21:01:00"}
    assert (paid["recebido"], paid["tarifa"], paid["detalhamento"]) == ("22.50", "2.15", {"tarifa": {"fixa": "2.15"}})
    assert (paid["recebimento"], paid["compensacao"], paid["compensado"]) == ("2025-12-31 00:00:00", "2026-01-07",
                                                                             "Não")
    by_pix = await shown(client, app, pix)
    assert (by_pix["recebido"], by_pix["tarifa"], by_pix["recebimento"]) == ("20.00", "0.99", "2025-12-31 21:01:00")
    await advance(client, 7 * DAY)
    assert (await shown(client, app, boleto))["compensado"] == "Sim"


async def test_unpaid_charges_are_overdue_the_day_after_and_can_be_paid_late(app, client):
    never = await charge(client, app, **{"itens[0][valor]": "13.13", "vencimento": "2026-01-02"})
    late = await charge(client, app, vencimento="2026-01-01", multa="2", juros="1",
                        headers={"X-Sim-Scenario": "widepay-v1-paid-late"})
    await advance(client, 2 * DAY + 3 * 3600 - 1)  # 2026-01-02 23:59:59 in Brazil
    assert (await shown(client, app, never))["status"] == "Aguardando"
    assert (await shown(client, app, late))["status"] == "Vencido"  # midnight after 2026-01-01
    await advance(client, 1)
    assert (await shown(client, app, never))["status"] == "Vencido"
    await advance(client, 3 * DAY)
    paid = await shown(client, app, late)
    assert [h["status"] for h in paid["historico"]] == ["Aguardando", "Vencido", "Recebido"]
    # paid on 2026-01-03, 2 days late: 22.50 + 2 % + 1 % a month × 2/30
    assert paid["recebido"] == "22.97"
    assert (await shown(client, app, never))["status"] == "Vencido"
    assert await v1(client, app, "cobrancas/manual", {"id": never}) == {"sucesso": True, "total": 1}


async def test_magic_values_and_scenarios(app, client):
    review = await charge(client, app, **{"itens[0][valor]": "55.55"})
    cancelled = await charge(client, app, **{"itens[0][valor]": "66.66"})
    quick = await charge(client, app, **{"itens[0][valor]": "77.77"})
    refused = await charge(client, app, headers={"X-Sim-Scenario": "widepay-v1-cancel-refused"})
    await advance(client, 5)
    assert [(await shown(client, app, i))["status"] for i in (review, cancelled, quick)] == [
        "Em análise", "Aguardando", "Recebido"]
    assert v1_errors(await v1(client, app, "cobrancas/cancelar", {"id": refused})) == {
        refused: ["A cobrança já foi recebida."]}
    await advance(client, 55)
    assert (await shown(client, app, cancelled))["status"] == "Cancelado"
    await advance(client, 3600)
    assert [h["status"] for h in (await shown(client, app, review))["historico"]] == [
        "Aguardando", "Em análise", "Recebido"]


async def test_forcing_an_outcome_through_the_control_api(app, client):
    ident = await charge(client, app)
    r = await force(client, "widepay", ident, "em_analise")
    assert r.status_code == 200 and r.json()["status"] == "Em análise" and list(r.json())[0] == "id"
    assert (await force(client, "widepay", ident, "cancelado")).json()["status"] == "Cancelado"
    assert (await force(client, "widepay", ident, "recebido")).status_code == 409
    assert (await force(client, "widepay", "404404", "recebido")).status_code == 404


async def test_each_change_posts_the_notification_id_and_wallet(app, client, receiver):
    ident = await charge(client, app, notificacao=receiver.url)
    assert await v1(client, app, "cobrancas/cancelar", {"id": ident}) == {"sucesso": True, "total": 1}
    other = await charge(client, app, account=1, notificacao=receiver.url)
    await advance(client, 60)
    assert len(receiver.requests) == 2
    head, body = receiver.requests[0]
    assert head.startswith("POST /widepay/notificacao ") and "application/x-www-form-urlencoded" in head.lower()
    assert "signature" not in head.lower()
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert list(form) == ["notificacao", "carteira"] and form["carteira"] == "148446" and form["notificacao"].isdigit()
    answer = await v1(client, app, "cobrancas/notificacao", {"id": form["notificacao"]})
    assert list(answer) == ["sucesso", "cobranca"]
    assert answer["cobranca"]["id"] == ident and answer["cobranca"]["status"] == "Cancelado"
    assert len(answer["cobranca"]) == 29
    assert await v1(client, app, "cobrancas/notificacao", json={"id": int(form["notificacao"])}) == answer  # again
    second = {k: v[0] for k, v in parse_qs(receiver.requests[1][1].decode()).items()}
    assert second["carteira"] == "406218" and int(second["notificacao"]) > int(form["notificacao"])
    assert (await v1(client, app, "cobrancas/notificacao", {"id": second["notificacao"]}, account=1))[
        "cobranca"]["id"] == other
    for wrong, account in ((second["notificacao"], 0), (ident, 0), ("999999", 0)):
        assert v1_errors(await v1(client, app, "cobrancas/notificacao", {"id": wrong}, account=account)) == {
            wrong: ["Notificação não encontrada."]}
    deliveries = (await client.get("/_sim/webhooks", params={"provider": "widepay"})).json()["deliveries"]
    assert [(d["state"], d["body"]) for d in deliveries][0] == ("delivered", form)


async def test_a_receiver_that_fails_is_retried(app, client, receiver):
    receiver.status = 500
    await charge(client, app, notificacao=receiver.url)
    await advance(client, 60)
    receiver.status = 200
    await advance(client, 300)
    states = [d["state"] for d in (await client.get("/_sim/webhooks")).json()["deliveries"]]
    assert states == ["retrying", "delivered"] and len(receiver.requests) == 2
    assert receiver.requests[0][1] == receiver.requests[1][1]  # the same notification id again


async def test_v1_notification_scenarios(app, client, receiver):
    for name in ("widepay-v1-notification-lost", "widepay-v1-notification-duplicated"):
        await charge(client, app, notificacao=receiver.url, headers={"X-Sim-Scenario": name})
    await advance(client, 60)
    states = sorted(d["state"] for d in (await client.get("/_sim/webhooks")).json()["deliveries"])
    assert states == ["delivered", "delivered", "dropped"] and len(receiver.requests) == 2
    assert receiver.requests[0][1] == receiver.requests[1][1]


async def test_a_restart_on_the_persistent_store_keeps_the_expiry(tmp_path):
    import httpx

    from simulator.app import build_app
    from simulator.settings import Settings
    from shared import START

    def started():
        return build_app(Settings(clock="manual", start_time=START, seed=0, providers=["widepay"],
                                  store=f"sqlite:{tmp_path / 'sim.sqlite'}"))

    first = started()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://sim.test") as c:
        ident = await charge(c, first, **{"itens[0][valor]": "13.13", "vencimento": "2026-01-02"})
    first.sim.store.close()
    again = started()  # the clock starts over at START; the charge and its pending expiry are kept
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=again), base_url="http://sim.test") as c:
        await advance(c, 3 * DAY)
        assert (await shown(c, again, ident))["status"] == "Vencido"
    again.sim.store.close()


async def test_without_its_own_url_a_charge_notifies_the_wallets(app, client, receiver):
    from shared import set_account_webhook

    await set_account_webhook(client, "widepay", "acme", receiver.url)  # the URL of WidePay's panel
    ident = await charge(client, app)
    await v1(client, app, "cobrancas/cancelar", {"id": ident})
    other = await charge(client, app, account=1)
    await v1(client, app, "cobrancas/cancelar", {"id": other}, account=1)  # globex set none: no notification
    assert len(receiver.requests) == 1
    form = {k: v[0] for k, v in parse_qs(receiver.requests[0][1].decode()).items()}
    assert (await v1(client, app, "cobrancas/notificacao", {"id": form["notificacao"]}))["cobranca"]["id"] == ident
