"""The business behind the auth-token (/api/me), its users (/api/authenticate) and the two webhook paths."""

from __future__ import annotations

from simulator.engine.context import Ctx, Reply
from simulator.engine.errors import ProviderError
from simulator.records import JSON


def authenticate_user(ctx: Ctx) -> Reply:
    """A user of the token's business by e-mail and password; anything else is the documented 401."""
    account = ctx.account
    assert account is not None
    for user in account.extra.get("users") or []:
        if user.get("email") == ctx.data["email"] and user.get("password") == ctx.data["password"]:
            business = account.extra.get("business") or {}
            return Reply(200, {"id": user["id"], "business_id": business.get("id"), "email": user["email"],
                               "name": user.get("name")})
    raise ProviderError("unauthenticated")


def get_current_business(ctx: Ctx) -> Reply:
    account = ctx.account
    assert account is not None
    b = account.extra.get("business") or {}
    return Reply(200, {"id": b.get("id"), "name": b.get("name"), "notification_email": b.get("notification_email"),
                       "cnpj": b.get("cnpj")})


def process_batch_webhook(ctx: Ctx) -> Reply:
    """INFERRED: the bank's (BB) inbound batch hook; any body is accepted and answered with {}."""
    return Reply(200, {})


def payment_webhook(ctx: Ctx) -> Reply:
    """`POST /` documents the OUTBOUND webhook; the simulator answers with the documented example body.

    Nothing is stored or changed: the real deliveries go to `notification_url` (see webhooks.py).
    """
    media = ctx.op.responses["200"]["content"]["application/json"] if ctx.op else {}
    examples: list[JSON] = media.get("schema", {}).get("examples") or [{}]
    return Reply(200, examples[0])
