"""WebPag: the registration table of its 24 operations and the hooks data cannot express."""

from simulator.engine.operation import Check, Handler
from simulator.engine.provider import ProviderHooks
from simulator.providers.webpag import (account, charges, hooks, installments, links, pages, payers, payments,
                                        recurrences, webhooks)
from simulator.providers.webpag.base import PAYMENT
from simulator.providers.webpag.schema import BEHAVIOUR

HANDLERS: dict[str, Handler] = {
    "list_installment_plans": installments.list_installment_plans,
    "create_installment_plan": installments.create_installment_plan,
    "cancel_installment_plan": installments.cancel_installment_plan,
    "get_installment_plan": installments.get_installment_plan,
    "authenticate_user": account.authenticate_user,
    "get_current_business": account.get_current_business,
    "process_batch_webhook": account.process_batch_webhook,
    "list_payment_links": links.list_payment_links,
    "create_payment_link": links.create_payment_link,
    "list_payers": payers.list_payers,
    "get_payer": payers.get_payer,
    "register_payer": payers.register_payer,
    "update_payer": payers.update_payer,
    "inactivate_payer": payers.inactivate_payer,
    "save_payer_card": payers.save_payer_card,
    "remove_payer_card": payers.remove_payer_card,
    "list_payments": payments.list_payments,
    "process_payment": payments.process_payment,
    "refund_payment": payments.refund_payment,
    "create_recurrence": recurrences.create_recurrence,
    "list_recurrences": recurrences.list_recurrences,
    "update_recurrence": recurrences.update_recurrence,
    "cancel_recurrence": recurrences.cancel_recurrence,
    "payment_webhook": account.payment_webhook,
}

# what the spec's x-rules cannot say: a document in use by another payer, a card of the recurrence's own payer
CHECKS: dict[str, Check] = {
    "register_payer": payers.unique_document,
    "update_payer": payers.unique_document,
    "update_recurrence": recurrences.update_card_check,
}

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    checks=CHECKS,
    transitions={PAYMENT: charges.on_payment},
    webhooks=webhooks.deliveries,
    find=hooks.find,
    present=hooks.present_resource,
    pages=pages.pages,
    timers={recurrences.TIMER: recurrences.charge_due},
    behaviour_schema=BEHAVIOUR,
)
