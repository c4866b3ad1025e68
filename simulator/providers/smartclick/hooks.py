"""SmartClick's hooks: lookups by any of its ids (for the control API and the payer pages) and how a resource
is shown."""

from __future__ import annotations

from simulator.engine.env import ProviderEnv
from simulator.providers.smartclick.payments import BOLETO, boleto_body
from simulator.records import JSON, Record
from simulator.brdata.documents import only_digits
from simulator.engine.digits import is_digits

KIND_ALIASES = {"divida": "divida", "dividas": "divida", "boleto": BOLETO, "boletos": BOLETO,
                "saque": "saque", "saques": "saque", "pedido": "pedido", "pedidos": "pedido"}
RESOURCE_OF = {"divida": "dividas", "saque": "saques", "pedido": "pedidos"}


def find(env: ProviderEnv, ident: str) -> tuple[str, str] | None:
    """`divida-1`, `boleto-1`, `saque-1`, `pedido-1` (plural or `:` also work), a boleto's linha digitável or
    barcode, or a bare number (a divida's pgm_id)."""
    view = env.view
    text = ident.strip()
    for sep in ("-", ":"):
        prefix, found, rest = text.partition(sep)
        if found and prefix.lower() in KIND_ALIASES and is_digits(rest):
            kind = KIND_ALIASES[prefix.lower()]
            key = str(int(rest))
            return (kind, key) if view.get(kind, key) is not None else None
    digits = only_digits(text)
    if len(digits) in (44, 47) and len(digits) >= len(text.replace(".", "").replace(" ", "")):
        field = "codigo_barras" if len(digits) == 44 else "linha_digitavel"
        for boleto in view.all(BOLETO):
            if boleto.get(field) == digits:
                return BOLETO, str(boleto["pgm_id"])
        return None
    if is_digits(text) and view.get("divida", int(text)) is not None:
        return "divida", str(int(text))
    return None


def present(env: ProviderEnv, kind: str, record: Record) -> JSON:
    if kind == BOLETO:
        return boleto_body(record)
    raw = env.config.section("resources")[RESOURCE_OF[kind]]
    key = str(raw["key"])
    return {key: record[key], **{c: record.get(c) for c in raw["columns"]}}
