"""What a payment is paid with: a boleto (valid barcode and linha digitável), a Pix BR Code, a card decision."""

from __future__ import annotations

import uuid

from simulator.behaviour.money import two_decimals
from simulator.brdata import barcode, brcode, linha_digitavel
from simulator.engine.env import ProviderEnv
from simulator.providers.webpag.base import business, cfg, digits, micro_z, minute, new_id
from simulator.records import JSON
from simulator.store.scope import Scope

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _uuid(env: ProviderEnv) -> str:
    return str(uuid.UUID(int=env.rng().getrandbits(128), version=4))


def reais(cents: int) -> int | float:
    """A boleto's amount as the payment and installment examples print it: a number of reais (100 for R$ 100,00;
    12.5 for R$ 12,50). The webhook example prints it as text ("50.00"): present.py gives that shape there."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def boleto(env: ProviderEnv, scope: Scope, base: str, payment_id: int, cents: int, due_ts: float,
           accept_after: object) -> dict[str, JSON]:
    """A Banco do Brasil boleto (convênio of 7 digits): nosso número = convênio + sequential code."""
    b = cfg(env, "boleto") or {}
    sequencial = int("9" + digits(env, 9))
    convenio = str(b.get("convenio", "3128557"))
    nosso = f"000{convenio}{sequencial}"
    code = barcode(str(b.get("bank", "001")), cents, env.time.at(due_ts).date(), f"000000{convenio}{sequencial}17")
    return {"id": new_id(env, scope, "boleto"), "linha_digitavel": linha_digitavel(code),
            "sequencial_code": sequencial, "nosso_numero": nosso, "codigo_barras": code,
            "due_date": micro_z(due_ts), "issue_date": micro_z(env.clock.now()), "amount": reais(cents),
            "interest": b.get("interest"), "fine": b.get("fine"), "accept_after_due_date": accept_after,
            "boleto_url": f"{base}/_sim/ui/pay/webpag/boleto/{payment_id}"}


def pix(env: ProviderEnv, scope: Scope, payment_id: int, cents: int, expires_ts: float) -> dict[str, JSON]:
    """A dynamic Pix charge: the BR Code points at the PSP's location URL (as the documented example)."""
    ident = _uuid(env)
    biz = business(env, scope.account)
    now = micro_z(env.clock.now())
    host = str((cfg(env, "pix") or {}).get("location_host", "qrcodepix-h.bb.com.br/pix/v2/"))
    code = brcode(location_url=host + _uuid(env), amount_cents=cents, merchant_name=str(biz.get("name", "WebPag")),
                  merchant_city=str(biz.get("city", "SAO PAULO")), dynamic=True)
    return {"id": new_id(env, scope, "pix"), "uuid": ident, "business_id": biz.get("id"), "payment_id": payment_id,
            "txid": digits(env, 26, ALNUM), "key": _uuid(env), "qrcode_data": code, "amount": two_decimals(cents),
            "expiration_date": micro_z(expires_ts), "status": 10, "created_at": now, "updated_at": now}


def transaction(env: ProviderEnv, scope: Scope, kind: str, ok: bool, response_status: str,
                transaction_id: str | None, errors: str | None = None, refunded: str | None = None) -> dict[str, JSON]:
    labels = cfg(env, "transaction_labels")
    type_code, type_label = labels["types"][kind]
    status, status_label = labels["statuses"]["success" if ok else "failure"]
    return {"id": new_id(env, scope, "transaction"), "type": type_code, "type_label": type_label,
            "transaction_id": transaction_id, "response_status": response_status, "errors": errors,
            "status": status, "status_label": status_label, "refunded_amount": refunded,
            "created_at": minute(env)}


def acquirer_id(env: ProviderEnv) -> str:
    return digits(env, 13)


def card_decision(env: ProviderEnv, number: str) -> dict[str, JSON]:
    """The magic-card table (behaviour.yaml `magic_cards`); every other valid card approves."""
    return dict((cfg(env, "magic_cards") or {}).get(number) or {"outcome": "paid"})


def card_flag(env: ProviderEnv, brand: str | None) -> list[JSON] | None:
    flag = (cfg(env, "card_flags") or {}).get(brand or "")
    return list(flag) if flag else None
