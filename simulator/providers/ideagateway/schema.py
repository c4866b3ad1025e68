"""The schema of Idea Gateway's own behaviour.yaml sections (the engine checks the file against it at load)."""

from __future__ import annotations

from simulator.behaviour.schema import STR, STRINGS, Schema, closed

PLAN: Schema = {"$ref": "#/$defs/plan"}

ANSWER: Schema = closed({"returnCode": STR, "returnMessage": STR}, ["returnCode", "returnMessage"])

BEHAVIOUR: dict[str, Schema] = {
    "accounts": {"balance": {"type": "integer", "minimum": 0}},  # the seeded merchant balance, in centavos
    "webhooks": {"envelope": {"type": "boolean"}},
    "merchant": closed({"name": STR, "city": STR, "pix_key": STR}, ["name", "city", "pix_key"]),
    "pix": closed({"provider": STR, "location_host": STR, "default_expire_seconds": {"type": "number"},
                   "gateway_id": STR}),
    "bankslip": closed({"provider": STR, "bank": STR, "expire_after_due_days": {"type": "integer", "minimum": 0}}),
    "cards": closed({"provider": STR, "approved": ANSWER, "declined": {"type": "object", "additionalProperties": ANSWER},
                     "debit_redirect_path": STR}),
    "accounts_kyc": closed({"bank": STR, "agency": STR, "first_document_id": {"type": "integer"},
                            "rejected_cpfs": STRINGS, "rejected": PLAN}),
    "transfer": closed({"invalid_tokens": STRINGS}),
    "pix_out": closed({"failing_keys": STRINGS, "failing": PLAN}),
    "bill_payment": closed({"provider": STR, "invalid_barcode": PLAN}),
}
