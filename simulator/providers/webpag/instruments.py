"""What a payment is paid with: a boleto (valid barcode and linha digitável), a Pix BR Code, a card decision."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from simulator.brdata import barcode, brcode, linha_digitavel
from simulator.providers.webpag.base import P, business, cfg, digits, local, micro_z, minute, new_id, reais
from simulator.sim import Sim

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _uuid(sim: Sim) -> str:
    return str(uuid.UUID(int=sim.rng(P).getrandbits(128), version=4))


def boleto(sim: Sim, base: str, payment_id: int, cents: int, due_ts: float, accept_after: Any) -> dict[str, Any]:
    """A Banco do Brasil boleto (convênio of 7 digits): nosso número = convênio + sequential code."""
    b = cfg(sim, "boleto") or {}
    rng = sim.rng(P)
    sequencial = int("9" + digits(rng, 9))
    convenio = str(b.get("convenio", "3128557"))
    nosso = f"000{convenio}{sequencial}"
    due = local(sim, due_ts).date()
    code = barcode(str(b.get("bank", "001")), cents, date(due.year, due.month, due.day),
                   f"000000{convenio}{sequencial}17")
    boleto_id = new_id(sim, "boleto")
    return {"id": boleto_id, "linha_digitavel": linha_digitavel(code), "sequencial_code": sequencial,
            "nosso_numero": nosso, "codigo_barras": code, "due_date": micro_z(due_ts),
            "issue_date": micro_z(sim.clock.now()), "amount": reais(cents), "interest": b.get("interest"),
            "fine": b.get("fine"), "accept_after_due_date": accept_after,
            "boleto_url": f"{base}/_sim/ui/pay/webpag/boleto/{payment_id}"}


def pix(sim: Sim, account: str, payment_id: int, cents: int, expires_ts: float) -> dict[str, Any]:
    """A dynamic Pix charge: the BR Code points at the PSP's location URL (as the documented example)."""
    rng = sim.rng(P)
    ident = _uuid(sim)
    biz = business(sim, account)
    now = micro_z(sim.clock.now())
    host = str((cfg(sim, "pix") or {}).get("location_host", "qrcodepix-h.bb.com.br/pix/v2/"))
    code = brcode(location_url=host + _uuid(sim), amount_cents=cents, merchant_name=str(biz.get("name", "WebPag")),
                  merchant_city=str(biz.get("city", "SAO PAULO")), dynamic=True)
    return {"id": new_id(sim, "pix"), "uuid": ident, "business_id": biz.get("id"), "payment_id": payment_id,
            "txid": digits(rng, 26, ALNUM), "key": _uuid(sim), "qrcode_data": code, "amount": reais(cents),
            "expiration_date": micro_z(expires_ts), "status": 10, "created_at": now, "updated_at": now}


def transaction(sim: Sim, kind: str, ok: bool, response_status: str, transaction_id: str | None,
                errors: str | None = None, refunded: str | None = None) -> dict[str, Any]:
    labels = cfg(sim, "transaction_labels")
    type_code, type_label = labels["types"][kind]
    status, status_label = labels["statuses"]["success" if ok else "failure"]
    return {"id": new_id(sim, "transaction"), "type": type_code, "type_label": type_label,
            "transaction_id": transaction_id, "response_status": response_status, "errors": errors,
            "status": status, "status_label": status_label, "refunded_amount": refunded,
            "created_at": minute(sim)}


def acquirer_id(sim: Sim) -> str:
    return digits(sim.rng(P), 13)


def card_decision(sim: Sim, number: str) -> dict[str, Any]:
    """The magic-card table (behaviour.yaml `magic_cards`); every other valid card approves."""
    return dict((cfg(sim, "magic_cards") or {}).get(number) or {"outcome": "paid"})


def card_flag(sim: Sim, brand: str | None) -> list[Any] | None:
    flag = (cfg(sim, "card_flags") or {}).get(brand or "")
    return list(flag) if flag else None
