"""WebPag: the registration table of its 24 operations and the hooks data cannot express."""

from simulator.engine.provider import Handler, ProviderHooks
from simulator.providers.webpag import (account, charges, installments, links, payers, payments, recurrences,
                                        webhooks)

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

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    transitions={"payment": charges.on_transition},
    webhooks=webhooks.deliveries,
    find=webhooks.find,
    present=webhooks.shown,
)
