"""The schema of ClicPay's own behaviour.yaml sections (the engine checks the file against it at load)."""

from __future__ import annotations

from simulator.behaviour.schema import NAME, STR, STRINGS, Schema, closed

PLAN: Schema = {"$ref": "#/$defs/plan"}

BEHAVIOUR: dict[str, Schema] = {
    "accounts": {  # the extra keys of an account
        "email": STR,
        "wallets": {"type": "array", "items": closed({
            "id": {"type": "integer"}, "name": STR, "balance": {"type": "number"}, "payment_method": NAME,
            "environment": {"enum": ["sandbox", "production"]}, "is_active": {"type": "boolean"}},
            ["id", "name", "balance", "payment_method"])},
    },
    "webhooks": {"event_header": STR, "delivery_header": STR, "timestamp_header": STR, "default_events": STRINGS},
    "payment_methods": {"type": "object", "additionalProperties": closed(
        {"id": {"type": "integer"}, "name": STR, "slug": STR}, ["id", "name", "slug"])},
    "status_messages": {"type": "object", "additionalProperties": STR},
    "references": closed({"clicpay": closed({"prefix": STR, "digits": {"type": "integer", "minimum": 4}}),
                          "first_transaction_id": {"type": "integer", "minimum": 1}}),
    # the seven digits after the operator prefix -> the outcome of a mobile-money transaction
    "magic_msisdns": {"type": "object", "propertyNames": {"pattern": "^[0-9]{7}$"}, "additionalProperties": PLAN},
    "card": closed({"checkout_path": STR, "session_failure_amounts": {"type": "array", "items": {"type": "number"}},
                    "magic_cards": {"type": "object", "additionalProperties": PLAN}}),
}
