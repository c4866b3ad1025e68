"""The schema of WebPag's own behaviour.yaml sections (the engine checks the file against it at load)."""

from __future__ import annotations

from simulator.behaviour.schema import NUMBER, STR, Schema, closed

LABEL: Schema = {"$ref": "#/$defs/label"}
LABELS: Schema = {"type": "object", "additionalProperties": LABEL}
CENTS: Schema = {"type": "integer", "minimum": 0}

BEHAVIOUR: dict[str, Schema] = {
    "accounts": {
        "business": closed({"id": {"type": "integer"}, "name": STR, "notification_email": STR, "cnpj": STR,
                            "city": STR}, ["id", "name"]),
        "users": {"type": "array", "items": closed({"id": {"type": "integer"}, "email": STR, "password": STR,
                                                    "name": STR}, ["id", "email", "password"])},
    },
    "per_page": {"type": "integer", "minimum": 1},
    "payment_status": LABELS, "recurrence_status": LABELS, "installment_status": LABELS, "plan_status": LABELS,
    "payer_status": LABELS, "plan_type": LABEL,
    "methods": {"type": "object", "additionalProperties": {"type": "array", "minItems": 3, "maxItems": 3}},
    "method_filters": {"type": "object", "additionalProperties": {"type": "integer"}},
    "status_filters": {"type": "object", "additionalProperties": {"type": "array", "items": STR}},
    "card_flags": LABELS,
    "transaction_labels": closed({"types": LABELS, "statuses": LABELS}, ["types", "statuses"]),
    "gateways": {"type": "object", "additionalProperties": STR},
    "fees": {"type": "object", "additionalProperties": closed({"percent": NUMBER, "fixed_cents": CENTS})},
    "expiry": closed({"pix_minutes": NUMBER, "bank_slip_days": NUMBER, "after_due_days": CENTS,
                      "after_due_days_accepted": CENTS}),
    "boleto": closed({"bank": STR, "convenio": STR, "interest": STR, "fine": STR}),
    "pix": closed({"location_host": STR}),
    "magic_cards": {"type": "object", "additionalProperties": closed(
        {"outcome": {"enum": ["paid", "failed", "in_analysis"]}, "previous": STR}, ["outcome"])},
    # error_previous: the error's text again (`error`, as documented) or the detail (`detail`: the acquirer's
    # answer, a refusal's reason)
    "card_error": closed({"error": STR, "error_code": {"type": "integer"}, "previous": {"enum": ["error", "detail"]}}),
    "refund_error": closed({"error": STR, "error_code": {"type": "integer"},
                            "previous": {"enum": ["error", "detail"]}}),
    "recurrence": closed({"frequency_months": {"type": "object", "additionalProperties": {"type": "integer"}}}),
    "first_ids": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
}
