"""SmartClick's four operations per resource: criar, atualizar, delete and buscar (GET and HEAD).

The real server stores nothing on criar/atualizar (an empty 200); the simulator stores, updates and deletes for
real and answers the row as Buscar would show it (status 200, as the real server's), keeping delete's bare `1`/`0`.
"""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.engine.inputs import clean
from simulator.engine.operation import Guard, Handler
from simulator.providers.smartclick.columns import Resource, clean_values, label, mysql_time, resource
from simulator.records import JSON, Record

TEXT_HTML = "text/html; charset=UTF-8"


def row_body(res: Resource, record: Record) -> dict[str, JSON]:
    """A stored row in table order: the key, then every column (null when never set)."""
    return {res.key: record[res.key], **{c: record.get(c) for c in res.columns}}


def find_row(ctx: Ctx, res: Resource, raw: object) -> Record:
    """firstOrFail(): the row with that key, or the 404 naming the model."""
    text = str(raw) if raw is not None else ""
    record = ctx.scope.get(res.kind, int(text)) if is_digits(text) else None
    if record is None:
        raise ProviderError("model_not_found", {"model": res.model})
    return record


def update_guard(name: str) -> Guard:
    """Laravel's `required` on an update: a required column sent empty (after trimming) is refused as missing."""

    def guard(ctx: Ctx) -> None:
        if not isinstance(ctx.body, dict):
            return
        ctx.body = clean(ctx.body, ctx.config.input)
        for field in resource(ctx, name).required:
            if field in ctx.body and ctx.body[field] is None:
                del ctx.body[field]
                ctx.refused[field] = [f"The {label(field)} field is required."]

    return guard


def criar(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        values, errors = clean_values(ctx, res, dict(ctx.data))
        if errors:
            raise ValidationFailed(errors)
        env = ctx.env
        record = ctx.scope.new({res.key: ctx.scope.new_id(res.kind), **{c: None for c in res.columns}, **values})
        if res.created_at:
            record[res.created_at] = mysql_time(env)
        if not env.lifecycles.has(env.key, res.kind):
            ctx.scope.put(res.kind, record[res.key], record)
            return Reply(200, row_body(res, record))
        decl = env.machine(res.kind)
        record[decl.field] = decl.initial
        plan = ctx.plan
        if plan is not None and plan.to not in decl.allowed(decl.initial):
            record.private["plan"] = {"to": plan.to, "after_seconds": plan.after_seconds,
                                      "after_reads": plan.after_reads, "message": plan.message}
            plan = None  # kept for a later step (a saque's sacar)
        env.enter(ctx.scope, res.kind, record, plan)
        return Reply(200, row_body(res, record))

    return handler


def atualizar(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        record = find_row(ctx, res, ctx.data.get(res.key))
        values, errors = clean_values(ctx, res, dict(ctx.data))
        if errors:
            raise ValidationFailed(errors)
        record.update(values)
        ctx.scope.put(res.kind, record[res.key], record)
        return Reply(200, row_body(res, record))

    return handler


def remover(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        raw = ctx.params.get(res.key, "")
        removed = is_digits(raw) and ctx.scope.delete(res.kind, int(raw))
        if removed and res.kind == "divida":
            ctx.scope.delete("boleto", int(raw))
        return Reply(200, None, raw=b"1" if removed else b"0", content_type=TEXT_HTML)

    return handler


def buscar(name: str) -> Handler:
    def handler(ctx: Ctx) -> Reply:
        res = resource(ctx, name)
        return Reply(200, row_body(res, find_row(ctx, res, ctx.params.get(res.key))))

    return handler
