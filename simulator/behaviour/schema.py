"""The JSON Schema of `specs/<key>/behaviour.yaml`: the engine's keys, closed (an unknown key is an error).

A provider package adds its own sections (`ProviderHooks.behaviour_schema`: section name -> JSON Schema) and the
extra keys of its accounts (`accounts`) and of its webhook settings (`webhooks`). Their schemas may refer to the
engine's definitions, e.g. `{"$ref": "#/$defs/plan"}` for an outcome plan.
"""

from __future__ import annotations

import copy
from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
SECONDS: Schema = {"type": "number", "minimum": 0}
STRINGS: Schema = {"type": "array", "items": STR}
NAME: Schema = {"type": "string", "minLength": 1}
SCALAR: Schema = {"type": ["string", "number", "boolean", "null"]}


def closed(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    out: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


DEFS: dict[str, Schema] = {
    # an outcome a magic value, a scenario or a provider rule plans for a record: move to `to` after a time or
    # after a number of status reads, or hold where it is until forced
    "plan": closed({"to": NAME, "after_seconds": SECONDS, "after_reads": {"type": "integer", "minimum": 1},
                    "message": STR, "hold": {"type": "boolean"}}),
    "label": {"type": "array", "prefixItems": [{"type": ["integer", "string"]}, STR], "minItems": 2, "maxItems": 3},
    "path": {"type": "string", "pattern": r"^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$"},
}

CREDENTIAL: Schema = {"oneOf": [
    closed({"length": {"type": "integer", "minimum": 1, "maximum": 512}, "prefix": STR,
            "alphabet": {"enum": ["hex", "digits"]}}),
    closed({"value": {"type": ["string", "number"]}}, ["value"]),
    closed({"sha1_of": STR}, ["sha1_of"]),
]}

ACCOUNT: Schema = {**closed({"id": NAME, "name": STR,
                             "credentials": {"type": "object", "additionalProperties": CREDENTIAL}}, ["id"]),
                    "x-message": "an account is a mapping with an `id`"}

ERROR: Schema = closed({"status": {"type": "integer", "minimum": 100, "maximum": 599}, "body": {},
                        "values": {"type": "object"}, "headers": {"type": "object", "additionalProperties": STR}},
                       ["status"])
ERROR = {**ERROR, "x-message": "an error is a mapping such as {status: 400, body: {...}}"}

AUTO_RULE: Schema = closed({
    "from": NAME, "to": NAME, "after_seconds": SECONDS, "after_reads": {"type": "integer", "minimum": 1},
    "message": STR, "when": {"type": "object", "additionalProperties": {"oneOf": [SCALAR, {"type": "array"}]}}},
    ["from", "to"])

LIFECYCLE: Schema = closed({
    "key": NAME, "field": NAME, "initial": NAME,
    "transitions": {"type": "object", "additionalProperties": {"type": "array", "items": NAME}},
    "auto": {"type": "array", "items": AUTO_RULE},
    "events": {"type": "object", "additionalProperties": STR},
    "paid": {"type": "array", "items": NAME},  # states where the payer has paid (money moved)
    "failed": {"type": "array", "items": NAME},  # states where the payment will not happen
    "final": {"type": "array", "items": NAME},  # default: the states without transitions
    "outcomes": closed({"pay": NAME, "deny": NAME}),  # where a payer's page moves it
}, ["initial"])

FIELDS: Schema = closed({
    "amount": {"$ref": "#/$defs/path"}, "amount_unit": {"enum": ["cents", "major"]},
    "description": {"$ref": "#/$defs/path"}, "return_url": {"$ref": "#/$defs/path"},
    "payer": {"$ref": "#/$defs/path"}, "summary": {"type": "array", "items": {"$ref": "#/$defs/path"}},
    "pix": {"$ref": "#/$defs/path"}, "boleto": {"$ref": "#/$defs/path"},
})

WEBHOOKS: dict[str, Schema] = {
    "retry_seconds": {"type": "array", "items": SECONDS}, "signature_header": STR,
    "timeout_seconds": {"type": "number", "exclusiveMinimum": 0}, "user_agent": STR,
}

AUTH: Schema = closed({"scheme": {"enum": ["bearer", "header", "basic", "constant", "none"]}, "credential": STR,
                       "name": STR, "username": STR, "password": STR,
                       "form_fields": {"type": "array", "items": STR, "minItems": 2, "maxItems": 2}}, ["scheme"])

# another API served under a path prefix, with its own auth and its own answers for named errors
VERSION: Schema = closed({"prefix": {"type": "string", "pattern": "^/.+"}, "auth": AUTH,
                          "errors": {"type": "object", "additionalProperties": ERROR}}, ["prefix"])

ENGINE: dict[str, Schema] = {
    "provider": closed({"key": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}, "name": STR}),
    "module": NAME,
    "json_style": {"enum": ["plain", "php"]},
    "response_headers": {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
    "collapse_slashes": {"type": "boolean"},
    "path_aliases": {"type": "array", "items": {"type": "string", "pattern": "^/"}},  # base paths also served
    "faker_locale": NAME,
    "utc_offset_hours": {"type": "number", "minimum": -14, "maximum": 14},
    "money": closed({"currency": STR, "unit": {"enum": ["cents", "major"]}, "format": STR,
                     "decimal_mark": STR, "thousands_mark": STR}),
    "auth": AUTH,
    "accounts": {"type": "array", "items": ACCOUNT},
    "errors": {"type": "object", "additionalProperties": ERROR},
    "versions": {"type": "object", "additionalProperties": VERSION},
    "validation": closed({
        "operations": {"type": "object", "additionalProperties": NAME},
        "messages": {"type": "object", "additionalProperties": STR},
        "more_errors": closed({"one": STR, "many": STR}, ["one", "many"]),
        "field_names": {"enum": ["dotted", "brackets"]},
        "list_item": {"type": "object", "additionalProperties": STR},
        # the spec's named checks (x-rules `check:`), rules the provider's documents do not state: a failing one
        # is a journal warning (warn, the default) or a field error (reject)
        "checks": {"type": "object", "additionalProperties": {"enum": ["warn", "reject"]}},
    }),
    "input": closed({"trim": {"type": "boolean"}, "empty": {"enum": ["keep", "null", "drop"]}}),
    "rate_limit": closed({"requests": {"type": "integer", "minimum": 1}, "per_seconds": {"type": "number",
                          "exclusiveMinimum": 0}, "key": {"type": "string", "pattern": "^(client|header:.+)$"},
                          "error": NAME}, ["requests", "per_seconds"]),
    "lifecycles": {"type": "object", "additionalProperties": LIFECYCLE},
    # money held for an account (simulator/engine/balances.py): which records hold it and what a short debit gets
    "balances": {"type": "object", "additionalProperties": closed({
        "kind": NAME, "field": NAME, "opening": NAME,
        "short": {"oneOf": [closed({"error": NAME}, ["error"]), closed({"plan": {"$ref": "#/$defs/plan"}}, ["plan"])]},
    }, ["kind", "short"])},
    "fields": {"type": "object", "additionalProperties": FIELDS},
    "webhooks": closed(WEBHOOKS),
    # the contract check's options (scripts/contract.py: schemathesis against the provider)
    "contract": closed({"exclude_operations": {"type": "array", "items": NAME},
                        "max_examples": {"type": "integer", "minimum": 1}}),
}


def document_schema(sections: dict[str, Schema] | None = None) -> Schema:
    """The schema of a whole behaviour file, with a provider's own sections and extensions.

    `sections` maps a top-level section name to its schema; the names `accounts` and `webhooks` instead add
    properties (a mapping name -> schema) to each account and to the webhook settings.
    """
    sections = dict(sections or {})
    props = copy.deepcopy(ENGINE)
    account_extra = sections.pop("accounts", None)
    if account_extra:
        props["accounts"]["items"]["properties"].update(account_extra)
    webhook_extra = sections.pop("webhooks", None)
    if webhook_extra:
        props["webhooks"]["properties"].update(webhook_extra)
    clash = sorted(set(sections) & set(props))
    if clash:
        raise ValueError(f"a provider section may not redefine the engine's keys: {clash}")
    props.update(sections)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": props,
            "additionalProperties": False, "$defs": DEFS}
