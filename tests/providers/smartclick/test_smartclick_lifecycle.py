"""Boletos and saques on the clock, magic amounts, and POST /_sim/smartclick/transactions/{id}/{outcome}."""

from __future__ import annotations

from smartclick_fixtures import API, sc, sc_app  # noqa: F401 (fixtures)
from simulator.brdata import barcode_is_valid, linha_is_valid


async def _setup(sc, valor=150, with_pedido=True):
    w = (await sc.post(f"{API}/carteiras/criar", json={"wal_title": "Loja"})).json()["wal_id"]
    body = {"pgm_carteira": w, "pgm_valor": valor}
    if with_pedido:
        body["pgm_pedido"] = (await sc.post(f"{API}/pedidos/criar", json={"ord_carteira": w})).json()["ord_id"]
    return (await sc.post(f"{API}/dividas/criar", json=body)).json()


async def _advance(sc, seconds):
    assert (await sc.post("/_sim/clock/advance", json={"seconds": seconds})).status_code == 200


async def test_gerar_boleto_gives_a_valid_slip_once(sc):
    d = await _setup(sc, valor="150.75")
    r = await sc.get(f"{API}/pagamento/boleto/{d['pgm_id']}")
    assert r.status_code == 200
    body = r.json()
    boleto = body.pop("boleto")
    assert linha_is_valid(boleto["linha_digitavel"]) and barcode_is_valid(boleto["codigo_barras"])
    assert boleto["codigo_barras"][-25 - 10:-25] == "0000015075"  # amount in centavos
    assert boleto["codigo_barras"][:3] == "341"
    assert (boleto["status"], boleto["valor"], boleto["vencimento"]) == ("pendente", 150.75, "2026-01-04")
    assert boleto["url"].endswith("/_sim/ui/pay/smartclick/boleto/1")
    assert body["pgm_metodo"] == "boleto" and body["pgm_boleto_digitavel"] == boleto["linha_digitavel"]
    assert (await sc.get(f"{API}/dividas/{d['pgm_id']}")).json() == body
    again = (await sc.get(f"{API}/pagamento/boleto/{d['pgm_id']}")).json()
    assert again["boleto"] == boleto


async def test_gerar_boleto_for_a_missing_divida_is_404(sc):
    r = await sc.get(f"{API}/pagamento/boleto/7")
    assert r.status_code == 404 and r.json() == {"message": "No query results for model [App\\Dividas]."}


async def test_magic_amount_pays_boleto_divida_and_pedido(sc):
    d = await _setup(sc, valor=1.11)
    await sc.get(f"{API}/pagamento/boleto/{d['pgm_id']}")
    await _advance(sc, 29)
    assert (await sc.get(f"{API}/dividas/1")).json()["pgm_status"] == "pendente"
    await _advance(sc, 1)
    divida = (await sc.get(f"{API}/dividas/1")).json()
    assert divida["pgm_status"] == "pago" and divida["pgm_pago_em"] == "2026-01-01 00:00:30"
    assert divida["pgm_parcelas_pagas"] == 1
    assert (await sc.get(f"{API}/pagamento/boleto/1")).json()["boleto"]["status"] == "pago"
    assert (await sc.get(f"{API}/pedidos/{d['pgm_pedido']}")).json()["ord_status"] == "pago"


async def test_unpaid_boleto_falls_due_after_three_days(sc):
    await _setup(sc, valor=80)
    await sc.head(f"{API}/pagamento/boleto/1")  # HEAD runs the same controller
    await _advance(sc, 3 * 86400)
    assert (await sc.get(f"{API}/dividas/1")).json()["pgm_status"] == "vencido"
    assert (await sc.get(f"{API}/pagamento/boleto/1")).json()["boleto"]["status"] == "vencido"


async def test_forcing_outcomes_by_kind_and_id(sc):
    d = await _setup(sc, valor=80)
    boleto = (await sc.get(f"{API}/pagamento/boleto/1")).json()["boleto"]
    r = await sc.post(f"/_sim/smartclick/transactions/{boleto['linha_digitavel']}/pago")
    assert r.status_code == 200 and r.json()["status"] == "pago" and r.json()["pgm_id"] == 1
    assert (await sc.get(f"{API}/dividas/1")).json()["pgm_status"] == "pago"
    r = await sc.post("/_sim/smartclick/transactions/divida-1/cancelado")
    assert r.status_code == 409
    r = await sc.post(f"/_sim/smartclick/transactions/pedido-{d['pgm_pedido']}/cancelado")
    assert r.status_code == 409  # already paid with its divida
    assert (await sc.post("/_sim/smartclick/transactions/saque-9/pago")).status_code == 404


async def test_forcing_a_divida_paid_pays_its_boleto(sc):
    await _setup(sc, valor=80, with_pedido=False)
    await sc.get(f"{API}/pagamento/boleto/1")
    r = await sc.post("/_sim/smartclick/transactions/1/pago")
    assert r.status_code == 200 and r.json()["pgm_status"] == "pago" and r.json()["pgm_id"] == 1
    assert (await sc.get(f"{API}/pagamento/boleto/1")).json()["boleto"]["status"] == "pago"


async def test_saque_is_sent_then_paid_on_the_clock(sc):
    await _setup(sc, with_pedido=False)
    s = (await sc.post(f"{API}/saques/criar", json={"saq_carteira": 1, "saq_valor": 300})).json()
    assert s["saq_status"] == "pendente" and s["saq_criado_em"] == "2026-01-01 00:00:00"
    await _advance(sc, 600)
    assert (await sc.get(f"{API}/saques/1")).json()["saq_status"] == "pendente"  # nothing until sacar
    r = await sc.get(f"{API}/saques/sacar/1")
    assert r.status_code == 200 and r.json()["saq_status"] == "processando"
    assert (await sc.get(f"{API}/saques/sacar/1")).json()["saq_status"] == "processando"  # idempotent
    await _advance(sc, 60)
    s = (await sc.get(f"{API}/saques/1")).json()
    assert s["saq_status"] == "pago" and s["saq_pago_em"] == "2026-01-01 00:11:00"


async def test_magic_saque_amount_is_refused_and_force_respects_the_machine(sc):
    await _setup(sc, with_pedido=False)
    await sc.post(f"{API}/saques/criar", json={"saq_carteira": 1, "saq_valor": "6.66"})
    assert (await sc.post("/_sim/smartclick/transactions/saque-1/pago")).status_code == 409
    assert (await sc.head(f"{API}/saques/sacar/1")).status_code == 200
    await _advance(sc, 10)
    assert (await sc.get(f"{API}/saques/1")).json()["saq_status"] == "recusado"


async def test_sacar_a_missing_saque_is_404(sc):
    r = await sc.get(f"{API}/saques/sacar/3")
    assert r.status_code == 404 and r.json() == {"message": "No query results for model [App\\Saques]."}
