"""A provider's behaviour.yaml as typed objects (built by `load.py` once the file has passed the schema).

What generic code needs to know about a provider is declared here, never guessed: which states of a lifecycle
are paid, failed or final and where a payer's answer moves it (`LifecycleDecl`); which field of a resource is the
amount, the description, the return URL, the payer (`FieldsDecl`); how money is stored and printed (`Money`);
the provider's time zone (`utc_offset_hours`, used through `LocalTime`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping, TypedDict

from simulator.behaviour.money import Money
from simulator.records import JSON


class PlanData(TypedDict, total=False):
    """A plan as behaviour.yaml writes it (schema.py `$defs/plan`), before `Plan.from_data`."""
    to: str
    after_seconds: float
    after_reads: int
    message: str
    hold: bool


@dataclass(frozen=True)
class Plan:
    """An outcome planned for a record: move to `to` after `after_seconds` on the clock or after `after_reads`
    status reads, or `hold` where it is until forced (the control API or a payer's page)."""
    to: str | None = None
    after_seconds: float | None = None
    after_reads: int | None = None
    message: str | None = None
    hold: bool = False

    @classmethod
    def from_data(cls, data: Mapping[str, JSON]) -> "Plan":
        """From a behaviour or scenario mapping: {to | status, after_seconds, after_reads, message, hold}."""
        to = data.get("to", data.get("status"))
        return cls(to=None if to is None else str(to),
                   after_seconds=None if data.get("after_seconds") is None else float(data["after_seconds"]),
                   after_reads=None if data.get("after_reads") is None else int(data["after_reads"]),
                   message=None if data.get("message") is None else str(data["message"]),
                   hold=bool(data.get("hold", False)) or to is None)

    @classmethod
    def holding(cls) -> "Plan":
        """No move until forced."""
        return cls(hold=True)

    def staying(self, state: str) -> bool:
        """Whether this plan keeps a record in `state` (a hold, or a move to where it already is)."""
        return self.hold or self.to == state


@dataclass(frozen=True)
class AutoRule:
    """A default move: from a state, to another, after seconds or reads, when the record's fields match."""
    source: str
    target: str
    after_seconds: float | None = None
    after_reads: int | None = None
    message: str | None = None
    when: tuple[tuple[str, tuple[object, ...]], ...] = ()  # field -> the values it may hold

    def holds(self, record: Mapping[str, object]) -> bool:
        for name, options in self.when:
            if record.get(name) not in options:
                return False
        return True

    def plan(self) -> Plan:
        """The move this rule plans (one Plan per rule, built once: a Plan cannot change)."""
        found: Plan | None = self.__dict__.get("_plan")
        if found is None:
            found = Plan(to=self.target, after_seconds=self.after_seconds, after_reads=self.after_reads,
                         message=self.message)
            object.__setattr__(self, "_plan", found)
        return found


@dataclass(frozen=True)
class LifecycleDecl:
    kind: str
    key: str
    field: str
    initial: str
    transitions: dict[str, tuple[str, ...]]
    auto: tuple[AutoRule, ...] = ()
    events: dict[str, str] = dataclasses.field(default_factory=dict)  # `field` is a state field's name here
    paid: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()
    final: frozenset[str] = frozenset()
    pay: str | None = None  # where a payer's "pay" moves a record (None: no pay button)
    deny: str | None = None  # where a payer's "deny"/"cancel" moves it

    def allowed(self, state: str) -> tuple[str, ...]:
        return self.transitions.get(state, ())

    def states(self) -> list[str]:
        names = {self.initial, *self.transitions}
        for targets in self.transitions.values():
            names.update(targets)
        return sorted(names)

    def default_plan(self, state: str, record: Mapping[str, object]) -> Plan | None:
        """The first automatic rule out of `state` whose condition holds for the record."""
        for rule in self.auto:
            if rule.source == state and rule.holds(record):
                return rule.plan()
        return None


@dataclass(frozen=True)
class FieldsDecl:
    """Which of a resource's fields mean what (dotted paths into the provider's fields)."""
    amount: str | None = None
    amount_unit: str | None = None  # None: the provider's money unit
    description: str | None = None
    return_url: str | None = None
    payer: str | None = None
    summary: tuple[str, ...] = ()
    pix: str | None = None  # a Pix copy-and-paste code (BR Code)
    boleto: str | None = None  # a boleto's barcode (44 digits) or linha digitável (47)


@dataclass(frozen=True)
class Credential:
    length: int = 40
    prefix: str = ""
    alphabet: str = "hex"
    value: str | None = None
    sha1_of: str | None = None


@dataclass(frozen=True)
class AccountDecl:
    id: str
    name: str
    credentials: dict[str, Credential]
    extra: dict[str, JSON]  # the provider's own account data (wallets, business, boleto settings, ...)


@dataclass(frozen=True)
class AuthDecl:
    scheme: str = "none"
    credential: str = "token"
    name: str = "Authorization"
    username: str | None = None
    password: str | None = None
    form_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErrorDecl:
    status: int
    body: JSON
    values: dict[str, JSON] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionDecl:
    """Another API the provider serves under a path prefix (WidePay's v1 beside its draft), with its own
    credentials (`auth`, None: the provider's) and its own answers for named errors (tried before `errors`)."""
    name: str
    prefix: str  # provider-relative, e.g. "/v1/"
    auth: AuthDecl | None = None
    errors: dict[str, ErrorDecl] = field(default_factory=dict)

    def serves(self, path: str) -> bool:
        return path.startswith(self.prefix) or path == self.prefix.rstrip("/")


@dataclass(frozen=True)
class ValidationDecl:
    operations: dict[str, str] = field(default_factory=dict)  # operation id -> error name (default: validation)
    messages: dict[str, str] = field(default_factory=dict)  # required, default, or a keyword -> template
    more_one: str = " (and {count} more error)"
    more_many: str = " (and {count} more errors)"
    field_names: str = "dotted"  # dotted (a.b.0) | brackets (a[b][0], as PHP forms name them)
    list_item: dict[str, str] = field(default_factory=dict)  # one error as a list item: {"id": "{field}", ...}
    checks: dict[str, str] = field(default_factory=dict)  # named check -> warn | reject (x-rules `check:`)


@dataclass(frozen=True)
class InputDecl:
    """How the provider's framework cleans input before validating (Laravel: trim, empty strings to null)."""
    trim: bool = False
    empty: str = "keep"  # keep | null | drop


@dataclass(frozen=True)
class RateLimitDecl:
    requests: int
    per_seconds: float
    key: str = "client"
    error: str = "rate_limited"


@dataclass(frozen=True)
class WebhookDecl:
    retry_seconds: tuple[float, ...] = ()
    signature_header: str | None = None
    timeout_seconds: float | None = None
    user_agent: str | None = None
    extra: dict[str, JSON] = field(default_factory=dict)  # the provider's own webhook settings


@dataclass(frozen=True)
class BalanceDecl:
    """Money a provider holds for an account (behaviour.yaml `balances:`): the records of `kind` whose `field` is
    the amount, in the provider's money unit (simulator/engine/balances.py). A debit reserves the amount when the
    operation is accepted and gives it back when the record that reserved it fails (its machine's `failed` states);
    a debit larger than the balance gets `short`: the provider's named `error`, or a `plan` for the record."""
    name: str
    kind: str
    field: str = "balance"
    opening: str | None = None  # the account key (accounts[].KEY) that opens a missing record with its amount
    error: str | None = None  # short: the provider's named error (the request is refused, nothing is stored)
    plan: Plan | None = None  # short: the record is accepted and follows this plan (it fails later)


@dataclass(frozen=True)
class ProviderConfig:
    key: str
    name: str
    source: str  # the behaviour file it came from
    module: str | None
    json_style: str = "plain"
    response_headers: dict[str, str] = field(default_factory=dict)
    collapse_slashes: bool = False
    path_aliases: tuple[str, ...] = ()  # base paths served as the root too (e.g. SmartClick's /smart)
    faker_locale: str = "pt_BR"
    utc_offset_hours: float = 0.0
    money: Money = field(default_factory=Money)
    auth: AuthDecl = field(default_factory=AuthDecl)
    accounts: tuple[AccountDecl, ...] = ()
    errors: dict[str, ErrorDecl] = field(default_factory=dict)
    versions: tuple[VersionDecl, ...] = ()  # APIs under a path prefix, longest prefix first
    validation: ValidationDecl = field(default_factory=ValidationDecl)
    input: InputDecl = field(default_factory=InputDecl)
    rate_limit: RateLimitDecl | None = None
    lifecycles: dict[str, LifecycleDecl] = field(default_factory=dict)
    fields: dict[str, FieldsDecl] = field(default_factory=dict)
    webhooks: WebhookDecl = field(default_factory=WebhookDecl)
    balances: dict[str, BalanceDecl] = field(default_factory=dict)
    sections: dict[str, JSON] = field(default_factory=dict)  # the provider's own sections, checked by its schema
    _plans: dict[str, dict[str, Plan]] = field(default_factory=dict, compare=False, repr=False)

    def section(self, name: str) -> Any:
        """A provider-defined section (already checked against the provider's schema), or None."""
        return self.sections.get(name)

    def plans(self, name: str) -> dict[str, Plan]:
        """A provider section that maps values to outcome plans (magic values), as Plans (built once)."""
        found = self._plans.get(name)
        if found is None:
            found = self._plans[name] = {str(k): Plan.from_data(v) for k, v in (self.sections.get(name) or {}).items()}
        return found

    def version_of(self, path: str) -> VersionDecl | None:
        """The version whose prefix a provider-relative path starts with (the longest), if any."""
        return next((v for v in self.versions if v.serves(path)), None)

    def fields_of(self, kind: str) -> FieldsDecl:
        return self.fields.get(kind) or FieldsDecl()
