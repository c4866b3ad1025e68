"""SmartClick v1: the registration table of its 26 operations (34 with the HEAD variants) and its hooks."""

from simulator.engine.operation import Guard, Handler
from simulator.engine.provider import ProviderHooks
from simulator.providers.smartclick import hooks, payments, resources
from simulator.providers.smartclick.schema import BEHAVIOUR

RESOURCES = {"carteiras": "carteira", "dividas": "divida", "itens": "iten", "pedidos": "pedido",
             "recebimentos": "recebimento", "saques": "saque"}  # path segment -> operation id suffix

HANDLERS: dict[str, Handler] = {}
GUARDS: dict[str, Guard] = {}
for _name, _op in RESOURCES.items():
    HANDLERS[f"criar_{_op}"] = resources.criar(_name)
    HANDLERS[f"atualizar_{_op}"] = resources.atualizar(_name)
    HANDLERS[f"remover_{_op}"] = resources.remover(_name)
    HANDLERS[f"buscar_{_op}"] = HANDLERS[f"buscar_{_op}_head"] = resources.buscar(_name)
    GUARDS[f"atualizar_{_op}"] = resources.update_guard(_name)
# the two side-effecting GETs: HEAD runs the same controller (side effects included), as Laravel does
HANDLERS["gerar_boleto"] = HANDLERS["gerar_boleto_head"] = payments.gerar_boleto
HANDLERS["pedido_de_saque"] = HANDLERS["pedido_de_saque_head"] = payments.pedido_de_saque

HOOKS = ProviderHooks(
    handlers=HANDLERS,
    guards=GUARDS,
    transitions={payments.BOLETO: payments.on_boleto, "divida": payments.on_divida, "saque": payments.on_saque},
    find=hooks.find,
    present=hooks.present,
    behaviour_schema=BEHAVIOUR,
)
