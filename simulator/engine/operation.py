"""One operation of a provider at run time: its handler and what runs before it (guard, input cleaning,
validation), in the same order for a request and for a provider page that acts through the API's own operation.

guard -> clean input (behaviour.yaml `input:`) -> validate (schema with `x-messages`, `x-rules`, then the
provider's `check` for what data cannot say) -> handler
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from simulator.behaviour.config import InputDecl
from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ValidationFailed
from simulator.engine.inputs import bracket, clean
from simulator.engine.rules import Rules, RuleEnv
from simulator.spec.loader import OperationSpec
from simulator.spec.validation import Validator, coerce_form, coerce_query

Handler = Callable[[Ctx], "Reply | Awaitable[Reply]"]
Guard = Callable[[Ctx], None]  # a provider check before validation (e.g. ClicPay's wallet ownership -> 403)
# the provider's rules a schema cannot say (other records, sums, dates against the clock): (field, message) pairs
# for the fields the schema did not already refuse (`refused`); field names in the provider's style
Check = Callable[[Ctx, set[str]], list[tuple[str, str]]]


@dataclass
class Operation:
    spec: OperationSpec
    handler: Handler
    body_validator: Validator | None
    query_validator: Validator | None
    validation_error: str  # the provider's error name for a refused request
    inputs: InputDecl
    field_names: str = "dotted"  # how the provider names a nested field: dotted | brackets
    guard: Guard | None = None
    check: Check | None = None
    rules: Rules | None = None  # the request schema's `x-rules`

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def body_types(self) -> list[str]:
        return self.spec.body_types

    def clean(self, ctx: Ctx) -> None:
        """The provider's framework input cleaning (Laravel: trim strings, empty strings to null)."""
        if isinstance(ctx.body, dict) and (self.inputs.trim or self.inputs.empty != "keep"):
            cleaned = clean(ctx.body, self.inputs)
            if self.inputs.empty == "null" and self.body_validator is not None:
                # Laravel's `required` fails on null: a required field sent empty is reported as missing
                for name in self.body_validator.schema.get("required") or ():
                    if cleaned.get(name, "") is None:
                        del cleaned[name]
            ctx.body = cleaned

    def errors(self, ctx: Ctx) -> dict[str, list[str]]:
        """Every refused field and its messages, in the provider's field naming."""
        return self._errors(ctx)[0]

    def _errors(self, ctx: Ctx) -> tuple[dict[str, list[str]], set[str]]:
        """The refused fields, and those of them that follow from a wrong content type (_from_content_type)."""
        fields: dict[str, list[str]] = {name: list(msgs) for name, msgs in ctx.refused.items()} if ctx.refused else {}
        caused: set[str] = set()
        if self.query_validator is not None and ctx.query:
            fields.update(self.query_validator.errors(coerce_query(self.spec.query_params, ctx.query)))
        data = ctx.data
        if self.body_validator is not None:
            if ctx.body is not None and not isinstance(ctx.body, dict):
                ctx.violations.append("body: not an object")
            body_fields = self.body_validator.errors(data)
            fields.update(body_fields)
            if body_fields and ctx.wrong_content_type is not None:
                caused = self._from_content_type(ctx, body_fields)
        if self.rules is not None:
            warned: list[str] = []
            found = self.rules.errors(RuleEnv(data, ctx.scope, ctx.env.time), set(fields), warned)
            for text in warned:
                ctx.warn(text)
            for name, message in found:
                fields.setdefault(name, []).append(message)
        if len(fields) > 1:
            fields = self._ordered(fields)
        if self.field_names == "brackets":
            fields = {bracket(name): msgs for name, msgs in fields.items()}
            caused = {bracket(name) for name in caused}
        if self.check is not None:
            for name, message in self.check(ctx, set(fields)):
                messages = fields.setdefault(name, [])
                if message not in messages:
                    messages.append(message)
        return fields, caused

    def _from_content_type(self, ctx: Ctx, fields: dict[str, list[str]]) -> set[str]:
        """The failing fields that a body sent with the operation's own content type would not fail: all of them
        when the body could not be read, else those whose form text would pass as the JSON types the schema
        declares."""
        assert self.body_validator is not None
        if ctx.body is None:
            return set(fields)  # the body could not be read at all
        if not isinstance(ctx.body, dict) or ctx.wrong_content_type != "application/x-www-form-urlencoded":
            return set()  # read as JSON all the same: its values have their own types
        as_meant = self.body_validator.errors(coerce_form(self.body_validator.schema, ctx.body))
        return {name for name, msgs in fields.items() if as_meant.get(name) != msgs}

    def _ordered(self, fields: dict[str, list[str]]) -> dict[str, list[str]]:
        """Fields in the order of the request schema's properties (others after, as they came)."""
        if len(fields) < 2:
            return fields
        schema = self.body_validator.schema if self.body_validator is not None else {}
        order = {name: i for i, name in enumerate(schema.get("properties") or {})}
        return dict(sorted(fields.items(), key=lambda kv: order.get(kv[0].split(".")[0], len(order))))

    def validate(self, ctx: Ctx) -> None:
        if not ctx.refused and self.body_validator is None and self.rules is None and self.check is None and (
                self.query_validator is None or not ctx.query):
            return  # nothing to check (most reads)
        fields, caused = self._errors(ctx)
        if fields:
            for name, msgs in fields.items():
                note = " (follows from the content type)" if name in caused else ""
                ctx.violations.append(f"schema: {name}: {'; '.join(msgs)}{note}")
            raise ValidationFailed(fields, self.validation_error)

    async def run(self, ctx: Ctx) -> Reply:
        """Everything after routing, auth and scenarios: guard, cleaning, validation, handler."""
        if self.guard is not None:
            self.guard(ctx)
        if self.inputs.trim or self.inputs.empty != "keep":
            self.clean(ctx)
        self.validate(ctx)
        result = self.handler(ctx)
        if not isinstance(result, Reply):  # an async handler's awaitable
            result = await result
            assert isinstance(result, Reply)
        return result
