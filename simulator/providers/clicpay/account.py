"""ClicPay's account operations: the caller's wallets (Laravel paginator), user and token."""

from __future__ import annotations

from simulator.clock import iso
from simulator.engine.context import Ctx, Reply
from simulator.providers.clicpay.transactions import WALLET
from simulator.providers.common import paginate
from simulator.records import JSON

SORTABLE = ("id", "name", "balance", "created_at")


def list_wallets(ctx: Ctx) -> Reply:
    q = ctx.query
    methods = ctx.config.section("payment_methods") or {}
    wallets = ctx.scope.all(WALLET)
    if "payment_method_id" in q:
        wanted = q["payment_method_id"]
        wallets = [w for w in wallets if str(methods.get(w["payment_method"], {}).get("id")) == wanted]
    if "is_active" in q:
        active = q["is_active"].lower() in ("1", "true")
        wallets = [w for w in wallets if bool(w.get("is_active")) == active]
    if "environment" in q:
        wallets = [w for w in wallets if w.get("environment") == q["environment"]]
    sort_by = q.get("sort_by", "id")
    if sort_by in SORTABLE:
        wallets = sorted(wallets, key=lambda w: (w.get(sort_by) is None, w.get(sort_by)),
                         reverse=q.get("sort_order", "asc") == "desc")
    include = {part.strip() for part in q.get("include", "").split(",")}
    shown: list[dict[str, JSON]] = []
    for w in wallets:
        item: dict[str, JSON] = {"id": w["id"], "name": w["name"], "balance": w["balance"]}
        if "paymentMethod" in include:
            item["payment_method"] = dict(methods.get(w["payment_method"], {}))
        shown.append(item)
    per_page = int(q.get("per_page", 10))
    page = int(q.get("page", 1))
    query = {k: v for k, v in q.items() if k != "page"}
    return Reply(200, paginate(ctx, shown, per_page, page, "/api/v2/me/wallets", query))


def get_user(ctx: Ctx) -> Reply:
    account = ctx.account
    assert account is not None
    index = ctx.env.accounts.index(account) + 1
    start = iso(ctx.env.clock.start)
    return Reply(200, {"id": index, "name": account.name, "email": account.extra.get("email"),
                       "email_verified_at": start, "created_at": start, "updated_at": start})


def get_token(ctx: Ctx) -> Reply:
    account = ctx.account
    assert account is not None
    return Reply(200, {"token": account.credentials["token"], "token_type": "Bearer"})
