"""Validation rules a JSON Schema cannot say, declared in the spec beside the schema, with the provider's own
messages in `x-messages` (one key per rule, as Laravel names its rules):

```yaml
name:
  type: string
  x-rules: {min: 3}
  x-messages: {min: O campo name deve ter pelo menos 3 caracteres.}
due_date:
  type: string
  x-rules:
    - {date: true}
    - {after: now, unless: {method: bank_slip}}
    - {after_or_equal: today, when: {method: bank_slip}}
card:
  type: object
  x-when: {method: credit_card, card_payer_id: null}   # its rules (and those inside it) apply only then
```
A field's rules run in order on a field the schema did not refuse; the first that fails gives the field's message
(`x-messages[rule]`, else the provider's template `validation.messages[rule]`, else `x-messages.default`). Apart
from the `required*` rules, a rule only checks a value that was sent (null counts as not sent). Conditions
(`when`, `unless`, `x-when`) compare body fields (dotted paths from the top): a value, a list of values, or null
for "not sent". `exists` finds a record of the request's account (ownership is the scope's).

A rule the provider's documents do not state (the simulator's own guess, e.g. ClicPay's msisdn operator prefixes)
names a check: `{msisdn_mz: ["86", "87"], check: msisdn_operator}`. Behaviour.yaml `validation.checks` says what a
failing check does: `warn` (the default: a journal warning, the request goes on) or `reject` (a field error, as
any other rule). A documented example is never refused by a rule the documents do not state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Callable, Mapping

from simulator.behaviour.money import decimal_of
from simulator.brdata import (br_phone_is_valid, card_brand, cep_is_valid, cnpj_is_valid, cpf_is_valid,
                              email_is_valid, luhn_is_valid, normalize_moz_msisdn, only_digits)
from simulator.clock import LocalTime
from simulator.records import JSON
from simulator.store.scope import Scope
from simulator.engine.digits import is_digits
from simulator.engine.dotted import MISSING, lookup

SEVERITIES = ("warn", "reject")  # what a failing named check does (behaviour.yaml validation.checks)
HORIZON = 3650 * 86400.0  # a date more than ten years ahead is refused (keeps boleto barcodes valid)
UFS = frozenset("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split())
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass(slots=True)
class RuleEnv:
    """What rules may consult: the request's body, the account's records and the provider's local time."""
    body: Mapping[str, JSON]
    scope: Scope
    time: LocalTime


def _absent(value: JSON) -> bool:
    return value is MISSING or value is None


def _matches(value: JSON, expected: JSON) -> bool:
    if expected is None:
        return _absent(value)
    if isinstance(expected, list):
        return not _absent(value) and value in expected
    return not _absent(value) and value == expected


def holds(conditions: Mapping[str, JSON] | None, body: Mapping[str, JSON]) -> bool:
    return all(_matches(lookup(body, name), expected) for name, expected in (conditions or {}).items())


def _size(value: JSON) -> float | None:
    """Laravel's measure: a string's length, a number's value, a list's length."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (str, list, dict)):
        return float(len(value))
    return None


def _int(value: JSON) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _between(value: JSON, low: float, high: float) -> bool:
    size = _size(value)
    return size is not None and low <= size <= high


def _in(value: JSON, options: JSON) -> bool:
    allowed = list(options) if isinstance(options, list) else [options]
    items = value if isinstance(value, list) else [value]
    return all(item in allowed for item in items)


def _date(value: JSON, env: RuleEnv) -> float | None:
    when = env.time.parse(value, DATE_FORMATS)
    if when is None or when > env.time.clock.now() + HORIZON:
        return None
    return when


def _exists(value: JSON, arg: JSON, env: RuleEnv) -> bool:
    spec = arg if isinstance(arg, dict) else {"kind": arg}
    key = _int(value) if spec.get("key", "int") == "int" else value
    record = env.scope.get(str(spec["kind"]), str(key)) if key is not None else None
    if record is None:
        return False
    for name, expected in (spec.get("where") or {}).items():
        if isinstance(expected, str) and expected.startswith("$"):
            expected = lookup(env.body, expected[1:])
        if record.get(name) != expected:
            return False
    return True


def _card_not_expired(value: JSON, arg: JSON, env: RuleEnv) -> bool:
    """A card's expiry not in the past: the year (the value) and `month` (another field), or AAAAMM (`yyyymm`)."""
    if isinstance(arg, dict) and arg.get("month"):
        month, year = _int(lookup(env.body, str(arg["month"]))), _int(value)
    else:
        text = str(value)
        month, year = (int(text[4:]), int(text[:4])) if is_digits(text) and len(text) == 6 else (None, None)
    if month is None or year is None or not 1 <= month <= 12:
        return True  # the format's own rules speak
    now = env.time.at()
    return (year, month) >= (now.year, now.month)


def _within_years(value: JSON, arg: JSON, env: RuleEnv) -> bool:
    """An AAAAMM expiry at most `arg` years ahead."""
    text, now = str(value), env.time.at()
    return not (is_digits(text) and len(text) == 6) or int(text) <= (now.year + int(arg)) * 100 + now.month


def _msisdn_mz(value: JSON, prefixes: JSON, env: RuleEnv | None = None) -> bool:
    """A Mozambican mobile number (9 digits, optionally after 258 or +258) whose operator prefix is one of these."""
    national = normalize_moz_msisdn(value) if isinstance(value, str) else None
    if national is None:
        return False
    return national.startswith(tuple(map(str, prefixes)) if isinstance(prefixes, list) else str(prefixes))


def _compare(value: JSON, bound: JSON) -> int:
    """-1, 0 or 1 as the value (a number or its text) is below, at or above `bound`; -1 for no number."""
    number = decimal_of(value)
    if number is None:
        return -1
    limit = decimal_of(bound)
    return -1 if limit is None or number < limit else int(number > limit)


def _decimals(value: JSON, places: int) -> bool:
    number = decimal_of(value)
    exponent = number.as_tuple().exponent if number is not None else 0
    return number is not None and isinstance(exponent, int) and -exponent <= places


def _integer_between(value: JSON, arg: JSON) -> bool:
    number = decimal_of(value)
    return number is not None and number == number.to_integral_value() and float(arg[0]) <= number <= float(arg[1])


def _card_digits(value: JSON, arg: JSON) -> bool:
    text = "" if isinstance(value, bool) else str(value)
    return is_digits(text) and int(arg[0]) <= len(text) <= int(arg[1]) and luhn_is_valid(text)


Check = Callable[[JSON, JSON, RuleEnv], bool]

RULES: dict[str, Check] = {
    "min": lambda v, a, e: (_size(v) or 0) >= float(a),
    "max": lambda v, a, e: (_size(v) or 0) <= float(a),
    "between": lambda v, a, e: _between(v, float(a[0]), float(a[1])),
    "in": lambda v, a, e: _in(v, a),
    "filled": lambda v, a, e: _size(v) not in (None, 0.0),
    "url": lambda v, a, e: isinstance(v, str) and v.startswith(("http://", "https://")) and len(v) > 10,
    "email": lambda v, a, e: email_is_valid(str(v)),
    "cpf": lambda v, a, e: cpf_is_valid(str(v)),
    "cnpj": lambda v, a, e: cnpj_is_valid(str(v)),
    "gt": lambda v, a, e: _compare(v, a) > 0,  # a number, or a number's text (form values)
    "gte": lambda v, a, e: _compare(v, a) >= 0,
    "lte": lambda v, a, e: decimal_of(v) is not None and _compare(v, a) <= 0,
    "decimals": lambda v, a, e: _decimals(v, int(a)),  # at most `a` decimal places (a number or its text)
    "integer_between": lambda v, a, e: _integer_between(v, a),
    "card_digits": lambda v, a, e: _card_digits(v, a),  # [min, max] digits, Luhn-valid
    "card_brand": lambda v, a, e: card_brand(only_digits(str(v))) is not None,  # a brand the acquirer knows
    "yyyymm": lambda v, a, e: (is_digits(str(v)) and len(str(v)) == 6 and 1 <= int(str(v)[4:]) <= 12),
    "within_years": _within_years,
    "cpf_cnpj": lambda v, a, e: (len(only_digits(str(v))) == 11 and cpf_is_valid(only_digits(str(v)))) or (
        len(only_digits(str(v))) == 14 and cnpj_is_valid(only_digits(str(v)))),
    "phone_br": lambda v, a, e: br_phone_is_valid(str(v)),
    "msisdn_mz": _msisdn_mz,  # [operator prefixes]
    "cep": lambda v, a, e: cep_is_valid(str(v)),
    "uf": lambda v, a, e: str(v).upper() in UFS,
    "card_number": lambda v, a, e: luhn_is_valid(only_digits(str(v))) and card_brand(only_digits(str(v))) in a,
    "month": lambda v, a, e: (_int(v) or 0) in range(1, 13),
    "year": lambda v, a, e: _int(v) is not None and len(str(v)) == 4,
    "card_not_expired": _card_not_expired,
    "digits_between": lambda v, a, e: is_digits(str(v)) and int(a[0]) <= len(str(v)) <= int(a[1]),
    "date": lambda v, a, e: _date(v, e) is not None,
    "after": lambda v, a, e: (_date(v, e) or 0) > e.time.clock.now(),  # after: now
    "after_or_equal": lambda v, a, e: (_date(v, e) is not None
                                       and e.time.at(_date(v, e)).date() >= e.time.today()),  # after_or_equal: today
    "gte_field": lambda v, a, e: not isinstance(lookup(e.body, str(a)), (int, float)) or (
        _size(v) or 0) >= float(lookup(e.body, str(a))),
    "exists": _exists,
}
PRESENCE = ("required", "required_if", "required_without")


@dataclass(frozen=True)
class Rule:
    name: str
    arg: JSON
    when: Mapping[str, JSON] | None = None
    unless: Mapping[str, JSON] | None = None
    after_fields: tuple[str, ...] = ()  # skipped when one of these fields was refused
    check: str | None = None  # a named check the provider's documents do not state (warn or reject)

    # whether `applies` holds for any body (no `when`, `unless` or `after_fields`): set once, read per request
    unconditional: bool = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unconditional",
                           self.when is None and self.unless is None and not self.after_fields)

    def applies(self, body: Mapping[str, JSON], refused: set[str]) -> bool:
        if self.when is not None and not holds(self.when, body):
            return False
        if self.unless is not None and holds(self.unless, body):
            return False
        return not (self.after_fields and any(f in refused for f in self.after_fields))

    def fails(self, value: JSON, env: RuleEnv) -> bool:
        name = self.name
        if name in PRESENCE:
            if name == "required":
                return _absent(value)
            if name == "required_if":
                return _absent(value) and holds(self.arg, env.body)
            return _absent(value) and _absent(lookup(env.body, str(self.arg)))  # required_without
        if value is MISSING or value is None:
            return False
        return not RULES[name](value, self.arg, env)


@dataclass(frozen=True)
class FieldRules:
    name: str  # dotted
    rules: tuple[Rule, ...]
    conditions: tuple[Mapping[str, JSON], ...]  # x-when of the field and of the objects around it
    messages: Mapping[str, str]


def _rules_of(node: Mapping[str, JSON]) -> tuple[Rule, ...]:
    raw = node.get("x-rules")
    items = [{k: v} for k, v in raw.items()] if isinstance(raw, dict) else list(raw or [])
    out = []
    for item in items:
        extra = {k: item[k] for k in ("when", "unless", "after_fields", "check") if k in item}
        (name, arg), = [(k, v) for k, v in item.items() if k not in extra]
        if name not in RULES and name not in PRESENCE:
            raise ValueError(f"unknown x-rules rule {name!r}; known: {', '.join(sorted([*RULES, *PRESENCE]))}")
        check = extra.get("check")
        if check is not None and (not isinstance(check, str) or not check):
            raise ValueError(f"x-rules rule {name!r}: `check` names the check (a text), not {check!r}")
        out.append(Rule(name, arg, extra.get("when"), extra.get("unless"), tuple(extra.get("after_fields") or ()),
                        check))
    return tuple(out)


def compile_rules(schema: Mapping[str, JSON]) -> list[FieldRules]:
    """Every property with `x-rules` in a request schema (nested objects included), in schema order."""
    found: list[FieldRules] = []

    def walk(node: Mapping[str, JSON], prefix: str, conditions: tuple[Mapping[str, JSON], ...]) -> None:
        for name, prop in (node.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            dotted = f"{prefix}{name}"
            here = conditions + ((prop["x-when"],) if isinstance(prop.get("x-when"), dict) else ())
            rules = _rules_of(prop)
            if rules:
                found.append(FieldRules(dotted, rules, here, dict(prop.get("x-messages") or {})))
            for inner in [prop, *(alt for alt in prop.get("anyOf") or () if isinstance(alt, dict))]:
                if inner.get("properties"):
                    walk(inner, dotted + ".", here)
                items = inner.get("items")
                if isinstance(items, dict) and items.get("properties"):  # every item of a list: itens.*.valor
                    walk(items, dotted + ".*.", here)

    walk(schema, "", ())
    return found


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: Mapping[str, JSON]) -> str:
    """`{name}` placeholders of a message replaced by the known values (others are left as they are)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


class Rules:
    def __init__(self, schema: Mapping[str, JSON], templates: Mapping[str, str],
                 checks: Mapping[str, str] | None = None) -> None:
        self.fields = compile_rules(schema)
        self.templates = templates  # the provider's validation.messages: rule -> template with {field}
        self.checks = dict(checks or {})  # check name -> warn | reject (behaviour.yaml validation.checks)

    @property
    def check_names(self) -> set[str]:
        """The named checks these rules use."""
        return {r.check for f in self.fields for r in f.rules if r.check is not None}

    def warns(self, rule: Rule) -> bool:
        return rule.check is not None and self.checks.get(rule.check, "warn") == "warn"

    def message(self, field: FieldRules, rule: Rule) -> str:
        return field.messages.get(rule.name) or self.templates.get(rule.name) or field.messages.get(
            "default") or self.templates.get("default", "The {field} field is invalid.")

    def errors(self, env: RuleEnv, refused: set[str], warnings: list[str] | None = None) -> list[tuple[str, str]]:
        """(field, message) for each field that broke a rule; a failing check that only warns adds its text to
        `warnings` instead, and the field's other rules still run."""
        out = []
        body = env.body
        for field in self.fields:
            if field.conditions and not all(holds(c, body) for c in field.conditions):
                continue
            for name in _expand(field.name, body) if "*" in field.name else (field.name,):
                if refused and any(r == name or name.startswith(r + ".") for r in refused):
                    continue
                value = body[name] if type(body) is dict and name in body else lookup(body, name)
                for rule in field.rules:
                    if (rule.unconditional or rule.applies(body, refused)) and rule.fails(value, env):
                        if self.warns(rule):
                            if warnings is not None:
                                warnings.append(warning(name, value, rule))
                            continue
                        out.append((name, fill(self.message(field, rule), {"field": name})))
                        break
        return out


def warning(name: str, value: JSON, rule: Rule) -> str:
    """The journal warning of a check that failed: the field, its value, the check and its rule."""
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:59] + "…"
    arg = ", ".join(str(a) for a in rule.arg) if isinstance(rule.arg, list) else str(rule.arg)
    return (f"{name}: {shown} fails the check {rule.check} ({rule.name}: {arg}), a rule the provider's documents "
            "do not state: accepted")


def _expand(name: str, body: Mapping[str, JSON]) -> list[str]:
    """A field name with `*` (every item of a list) as the names of the items the body has."""
    if "*" not in name:
        return [name]
    head, _, tail = name.partition(".*.")
    items = lookup(body, head)
    if not isinstance(items, list):
        return []
    return [n for i in range(len(items)) for n in _expand(f"{head}.{i}.{tail}", body)]


def property_messages(schema: Mapping[str, JSON] | None, dotted: str) -> Mapping[str, str]:
    """The `x-messages` of a (nested) property of a request schema."""
    node: JSON = schema or {}
    for part in dotted.split("."):
        node = (node.get("properties") or {}).get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return {}
    found = node.get("x-messages")
    return found if isinstance(found, dict) else {}
