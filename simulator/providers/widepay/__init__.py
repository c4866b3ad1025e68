"""WidePay: the registration table of its two APIs (the 2016 draft's 9 operations under /api/, v1's 12 under
/v1/recebimentos/) and the hooks data cannot say."""

from simulator.engine.operation import Handler
from simulator.engine.provider import ProviderHooks
from simulator.providers.widepay import (carnes, checks, cobrancas, hooks, notifications, objects, pages, present,
                                         sales, transactions, validacao)
from simulator.providers.widepay.base import TX
from simulator.providers.widepay.recebimentos import CARNE, COBRANCA
from simulator.providers.widepay.schema import BEHAVIOUR

HANDLERS: dict[str, Handler] = {
    # the draft (2015-2016)
    "recebimentos_transacoes_adicionar": transactions.adicionar,
    "transacoes_consultar": transactions.consultar,
    "transacoes_gerar": transactions.gerar,
    "transacoes_vender": sales.vender,
    "transacoes_parcelamento": sales.parcelamento,
    "transacoes_enviar": transactions.enviar,
    "transacoes_comprovante": transactions.comprovante,
    "transacoes_cancelar": transactions.cancelar,
    "transacoes_notificacao": transactions.notificacao,
    # v1
    "cobrancas_adicionar": cobrancas.adicionar,
    "cobrancas_boleto": cobrancas.boleto,
    "cobrancas_pix": cobrancas.pix,
    "cobrancas_consultar": cobrancas.consultar,
    "cobrancas_cancelar": cobrancas.cancelar,
    "cobrancas_manual": cobrancas.manual,
    "cobrancas_notificacao": cobrancas.notificacao,
    "carnes_adicionar": carnes.adicionar,
    "carnes_montar": carnes.montar,
    "carnes_consultar": carnes.consultar,
    "carnes_cancelar": carnes.cancelar,
    "carnes_notificacao": carnes.notificacao,
}

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    guards=validacao.GUARDS,
    checks={**checks.CHECKS, **validacao.CHECKS},
    transitions={TX: present.on_transition, COBRANCA: objects.on_cobranca, CARNE: objects.on_carne},
    webhooks=notifications.deliveries,
    find=hooks.find,
    present=hooks.present,
    codes=hooks.codes,
    pages=pages.pages,
    timers={cobrancas.TIMER: cobrancas.expire, objects.CARNE_TIMER: objects.settle_carne},
    restore=cobrancas.restore,
    behaviour_schema=BEHAVIOUR,
)
