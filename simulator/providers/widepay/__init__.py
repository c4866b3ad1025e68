"""WidePay (Recebimentos / Transações): the registration table of its 9 operations and the hooks data cannot say."""

from simulator.engine.provider import Handler, ProviderHooks
from simulator.providers.widepay import checks, notifications, present, sales, transactions

HANDLERS: dict[str, Handler] = {
    "recebimentos_transacoes_adicionar": transactions.adicionar,
    "transacoes_consultar": transactions.consultar,
    "transacoes_gerar": transactions.gerar,
    "transacoes_vender": sales.vender,
    "transacoes_parcelamento": sales.parcelamento,
    "transacoes_enviar": transactions.enviar,
    "transacoes_comprovante": transactions.comprovante,
    "transacoes_cancelar": transactions.cancelar,
    "transacoes_notificacao": transactions.notificacao,
}

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    guards={op: checks.guard(checks.CHECKS.get(op)) for op in HANDLERS},
    transitions={"transacao": present.on_transition},
    webhooks=notifications.deliveries,
    find=transactions.find,
    present=transactions.present,
)
