"""Idea Gateway (Idea Maker): the registration table of its 29 operations, the sandbox pay route, and the
hooks data cannot express."""

from typing import Callable

from simulator.engine.env import ProviderEnv
from simulator.engine.operation import Handler
from simulator.engine.provider import ProviderHooks
from simulator.lifecycle import Move
from simulator.providers.ideagateway import (accounts, bankslip, cards, hooks, lookup, pages, payments, payouts, pix,
                                             webhooks)
from simulator.providers.ideagateway.schema import BEHAVIOUR

HANDLERS: dict[str, Handler] = {
    "create_account": accounts.create_account,
    "search_account": accounts.search_account,
    "update_account_document": accounts.update_account_document,
    "create_transfer": payouts.create_transfer,
    "create_bankslip": bankslip.create_bankslip,
    "download_bankslip": bankslip.download_bankslip,
    "search_pix": pix.search_pix,
    "create_pix": pix.create_pix,
    "create_static_pix_infra": pix.create_static_pix_infra,
    "create_static_pix": pix.create_static_pix,
    "cancel_pix": pix.cancel_pix,
    "link_pix_split": pix.link_pix_split,
    "reenable_static_pix": pix.reenable_static_pix,
    "update_pix_metadata": pix.update_pix_metadata,
    "get_pix": pix.get_pix,
    "refund_pix": payments.refund_pix,
    "create_pix_transfer": payouts.create_pix_transfer,
    "get_credit_card": cards.get_credit_card,
    "refund_credit_card": cards.refund_credit_card,
    "search_credit_card": cards.search_credit_card,
    "create_credit_card": cards.create_credit_card,
    "get_debit_card": cards.get_debit_card,
    "refund_debit_card": cards.refund_debit_card,
    "search_debit_card": cards.search_debit_card,
    "create_debit_card": cards.create_debit_card,
    "get_transaction": lookup.get_transaction,
    "search_bill_payment": payouts.search_bill_payment,
    "get_bill_payment": payouts.get_bill_payment,
    "create_bill_payment": payouts.create_bill_payment,
    "sandbox_gateway_webhook": payments.sandbox_gateway_webhook,
}

TRANSITIONS: dict[str, Callable[[ProviderEnv, Move], None]] = {
    **{kind: payments.on_payment for kind in ("pix", "pix_static", "bankslip", "creditCard", "debitCard")},
    **{kind: payments.on_payout for kind in ("transfer", "pixTransfer", "billPayment")},
    accounts.DOC: accounts.on_document,
}

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    transitions=TRANSITIONS,
    webhooks=webhooks.deliveries,
    find=hooks.find,
    present=hooks.present,
    pages=pages.pages,
    behaviour_schema=BEHAVIOUR,
)
