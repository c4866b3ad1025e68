"""WidePay (Recebimentos / Transações): the registration table of its 9 operations and the hooks data cannot say."""

from simulator.engine.operation import Handler
from simulator.engine.provider import ProviderHooks
from simulator.providers.widepay import checks, hooks, notifications, present, sales, transactions
from simulator.providers.widepay.base import TX
from simulator.providers.widepay.schema import BEHAVIOUR

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
    checks=checks.CHECKS,
    transitions={TX: present.on_transition},
    webhooks=notifications.deliveries,
    find=hooks.find,
    present=hooks.present,
    codes=hooks.codes,
    behaviour_schema=BEHAVIOUR,
)
