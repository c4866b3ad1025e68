"""The schema of WidePay's own behaviour.yaml sections (the engine checks the file against it at load)."""

from __future__ import annotations

from simulator.behaviour.schema import NUMBER, STR, Schema, closed

MAGIC: Schema = {"oneOf": [closed({"declined": STR}, ["declined"]), {"$ref": "#/$defs/plan"}]}
COUNT: Schema = {"type": "integer", "minimum": 1}
TEXTS: Schema = {"type": "object", "additionalProperties": STR}
DECIMAL: Schema = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"}

# v1 (`/v1/recebimentos/...`): the account's wallet settings, and the `v1:` section
V1_ACCOUNT: Schema = closed({
    "boleto": closed({"banco": {"type": "string", "pattern": "^[0-9]{3}$"}, "agencia": STR, "conta": STR,
                      "convenio": {"type": "string", "pattern": "^[0-9]{7}$"},
                      "carteira": {"type": "string", "pattern": "^[0-9]{2}$"}, "variacao": STR},
                     ["banco", "agencia", "conta", "convenio", "carteira"]),
    "pix": closed({"chave": STR, "cidade": STR}, ["chave"]),
    "padroes": closed({"multa": DECIMAL, "juros": DECIMAL}),  # the wallet's late fee and interest (%)
}, ["boleto", "pix"])
V1: Schema = closed({
    "first_id": COUNT,
    "statuses": TEXTS, "carne_statuses": TEXTS, "messages": TEXTS,
    "links": closed({"cobranca": STR, "carne": STR}, ["cobranca", "carne"]),
    "tarifas": {"type": "object", "additionalProperties": closed({"fixa": DECIMAL,
                                                                  "compensacao_dias": {"type": "integer"}})},
    "consultar": closed({"recentes": COUNT, "maximo": COUNT, "max_bytes": {"type": "integer", "minimum": 2048}},
                        ["recentes", "maximo", "max_bytes"]),
    "notificacoes": closed({"primeiro_id": COUNT, "retry_seconds": {"type": "array", "items": NUMBER},
                            "parcelas": {"type": "boolean"}}, ["primeiro_id", "retry_seconds", "parcelas"]),
}, ["first_id", "statuses", "carne_statuses", "messages", "links", "tarifas", "consultar", "notificacoes"])

BEHAVIOUR: dict[str, Schema] = {
    "accounts": {"boleto": closed({
        "beneficiario": STR, "empresa": STR, "cnpj": STR, "banco": STR, "agencia": STR, "codigo": STR,
        "carteira": STR, "primeiro_numero": {"type": "integer", "minimum": 1}},
        ["beneficiario", "banco", "agencia", "codigo", "carteira"]), "v1": V1_ACCOUNT},
    "messages": {"type": "object", "additionalProperties": STR},
    "statuses": {"type": "object", "additionalProperties": STR},
    "fees": closed({"boleto": closed({"tarifa": NUMBER, "dias_disponivel": {"type": "integer"}}),
                    "cartao": closed({"percentual": NUMBER, "dias_disponivel": {"type": "integer"}})}),
    "parcelamento": closed({"juros": {"type": "array", "items": NUMBER, "minItems": 1}, "parcela_minima": NUMBER}),
    "links": closed({"path": STR}),
    "magic_cards": {"type": "object", "additionalProperties": MAGIC},
    "magic_amounts": {"type": "object", "additionalProperties": MAGIC},
    "notifications": closed({"field": STR, "retry_seconds": {"type": "array", "items": NUMBER}}),
    "v1": V1,
    "v1_magic_amounts": {"type": "object", "additionalProperties": {"$ref": "#/$defs/plan"}},
}
