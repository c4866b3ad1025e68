"""The schema of WidePay's own behaviour.yaml sections (the engine checks the file against it at load)."""

from __future__ import annotations

from simulator.behaviour.schema import NUMBER, STR, Schema, closed

MAGIC: Schema = {"oneOf": [closed({"declined": STR}, ["declined"]), {"$ref": "#/$defs/plan"}]}

BEHAVIOUR: dict[str, Schema] = {
    "accounts": {"boleto": closed({
        "beneficiario": STR, "empresa": STR, "cnpj": STR, "banco": STR, "agencia": STR, "codigo": STR,
        "carteira": STR, "primeiro_numero": {"type": "integer", "minimum": 1}},
        ["beneficiario", "banco", "agencia", "codigo", "carteira"])},
    "messages": {"type": "object", "additionalProperties": STR},
    "statuses": {"type": "object", "additionalProperties": STR},
    "fees": closed({"boleto": closed({"tarifa": NUMBER, "dias_disponivel": {"type": "integer"}}),
                    "cartao": closed({"percentual": NUMBER, "dias_disponivel": {"type": "integer"}})}),
    "parcelamento": closed({"juros": {"type": "array", "items": NUMBER, "minItems": 1}, "parcela_minima": NUMBER}),
    "links": closed({"path": STR}),
    "magic_cards": {"type": "object", "additionalProperties": MAGIC},
    "magic_amounts": {"type": "object", "additionalProperties": MAGIC},
    "notifications": closed({"field": STR, "retry_seconds": {"type": "array", "items": NUMBER}}),
}
