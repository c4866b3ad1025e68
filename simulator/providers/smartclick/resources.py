"""SmartClick's four operations per resource: criar, atualizar, delete and buscar (GET and HEAD).

The real server stores nothing on criar/atualizar (an empty 200); the simulator stores, updates and deletes for
real and answers the row as Buscar would show it (status 200, as the real server's), keeping delete's bare `1`/`0`.
"""

from __future__ import annotations

from typing import Any, Callable

from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.providers.common import public
from simulator.providers.smartclick.columns import (
    P, Resource, clean_values, label, laravel_clean, mysql_time, resource,
)
from simulator.store.base import Record

Handler = Callable[[Ctx], Reply]
TEXT_HTML = "text/html; charset=UTF-8"


def row_body(res: Resource, record: Record) -> dict[str, Any]:
    """A stored row in table order: the key, then every column (null when never set)."""
    shown = public(record)
    return {res.key: shown[res.key], **{c: shown.get(c) for c in res.columns}}


def find_row(ctx: Ctx, res: Resource, raw: Any) -> Record:
    """firstOrFail(): the row with that key, or the 404 naming the model."""
    text = str(raw) if raw is not None else ""
    record = ctx.sim.store.get(P, res.kind, str(int(text))) if is_digits(text) else None
    if record is None:
        raise ProviderError("model_not_found", {"model": res.model})
    return record


def machine_kind(ctx: Ctx, res: Resource) -> str | None:
    return res.kind if (P, res.kind) in ctx.sim.lifecycles.machines else None


def clean_guard(name: str, update: bool) -> Callable[[Ctx], None]:
    """Before validation, as Laravel's global middleware: trim strings, "" -> null; a null required field is
    reported as missing ("The ... field is required.")."""

    def guard(ctx: Ctx) -> None:
        if not isinstance(ctx.body, dict):
            return
        ctx.body = laravel_clean(ctx.body)
        res = resource(ctx, name)
        nulls = [f for f in res.required if f in ctx.body and ctx.body[f] is None]
        for f in nulls:
            del ctx.body[f]
        if update and nulls and ctx.op is not None and ctx.op.body_validator is not None:
            fields = {f: [f"The {label(f)} field is required."] for f in nulls}
            fields.update(ctx.op.body_validator.errors(ctx.body))
            raise ValidationFailed(fields)

    return guard


def criar(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        values, errors = clean_values(ctx, res, body)
        if errors:
            raise ValidationFailed(errors)
        sim = ctx.sim
        record: Record = {res.key: sim.store.next_id(P, res.kind), **{c: None for c in res.columns}, **values}
        if res.created_at:
            record[res.created_at] = mysql_time(sim.clock.now())
        kind = machine_kind(ctx, res)
        if kind is not None:
            machine = sim.lifecycles.machine(P, kind)
            record[machine.field] = machine.initial
        ctx.tag(record)
        sim.store.put(P, res.kind, str(record[res.key]), record)
        if kind is not None:
            plan = ctx.plan
            if plan is not None and plan.to not in sim.lifecycles.machine(P, kind).allowed(record[machine.field]):
                record["_plan"] = {"to": plan.to, "after_seconds": plan.after_seconds,
                                   "after_reads": plan.after_reads, "message": plan.message}
                plan = None  # kept for a later step (a saque's sacar)
            sim.lifecycles.enter(P, kind, record, plan)
        return Reply(200, row_body(res, record))

    return handler


def atualizar(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        body = ctx.body if isinstance(ctx.body, dict) else {}
        record = find_row(ctx, res, body.get(res.key))
        values, errors = clean_values(ctx, res, body)
        if errors:
            raise ValidationFailed(errors)
        record.update(values)
        ctx.sim.store.put(P, res.kind, str(record[res.key]), record)
        return Reply(200, row_body(res, record))

    return handler


def remover(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        raw = ctx.params.get(res.key, "")
        removed = is_digits(raw) and ctx.sim.store.delete(P, res.kind, str(int(raw)))
        if removed and res.kind == "divida":
            ctx.sim.store.delete(P, "boleto", str(int(raw)))
        return Reply(200, None, raw=b"1" if removed else b"0", content_type=TEXT_HTML)

    return handler


def buscar(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        return Reply(200, row_body(res, find_row(ctx, res, ctx.params.get(res.key))))

    return handler
