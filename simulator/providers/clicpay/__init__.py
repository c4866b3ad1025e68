"""ClicPay v2: the registration table of its 27 operations and the hooks data cannot express."""

from simulator.engine.operation import Handler
from simulator.engine.provider import ProviderHooks
from simulator.providers.clicpay import account, hooks, pages, transactions, webhooks
from simulator.providers.clicpay.schema import BEHAVIOUR

HANDLERS: dict[str, Handler] = {
    **{f"c2b_{ch}": transactions.mobile_money(ch, "c2b") for ch in ("mpesa", "emola", "mkesh")},
    **{f"c2b_{ch}_direct": transactions.mobile_money(ch, "c2b_direct") for ch in ("mpesa", "emola", "mkesh")},
    **{f"b2c_{ch}": transactions.mobile_money(ch, "b2c") for ch in ("mpesa", "emola", "mkesh")},
    "card_payment": transactions.card_payment,
    "transaction_status": transactions.transaction_status,
    "split_collect": transactions.split_collect,
    "list_wallets": account.list_wallets,
    "get_user": account.get_user,
    "get_token": account.get_token,
    "list_webhooks": webhooks.list_webhooks,
    "create_webhook": webhooks.create_webhook,
    "get_webhook": webhooks.get_webhook,
    "update_webhook": webhooks.update_webhook,
    "delete_webhook": webhooks.delete_webhook,
    "toggle_webhook": webhooks.toggle_webhook,
    "regenerate_webhook_secret": webhooks.regenerate_webhook_secret,
    "test_webhook": webhooks.test_webhook,
    "list_webhook_events": webhooks.list_webhook_events,
    "get_webhook_event": webhooks.get_webhook_event,
    "list_failed_webhook_events": webhooks.list_failed_webhook_events,
    "toggle_webhook_event_type": webhooks.toggle_webhook_event_type,
}

WALLET_SCOPED = [op for op in HANDLERS if op.startswith(("c2b_", "b2c_"))] + ["card_payment", "split_collect"]

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    guards={op: transactions.guard_wallet for op in WALLET_SCOPED},
    transitions={transactions.TX: hooks.on_transaction},
    webhooks=webhooks.deliveries,
    webhook_result=webhooks.delivery_result,
    seed=hooks.seed,
    find=hooks.find,
    present=hooks.present,
    payer_links=hooks.payer_links,
    pages=pages.pages,
    behaviour_schema=BEHAVIOUR,
)
