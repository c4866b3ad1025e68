"""Shared values for the ClicPay tests."""

from __future__ import annotations

from simulator.jsonio import encoder

php = encoder("php")

UNAUTHENTICATED = php({"message": "Unauthenticated."})
WALLET_FORBIDDEN = php({"message": "Acesso negado à carteira"})
NOT_FOUND = php({"message": "Transação não encontrada"})
MOBILE_400 = php({"errors": {"msisdn": ["Número de telefone inválido"], "amount": ["Valor deve ser entre 1 e 50000"]}})
CARD_422 = php({"errors": {"amount": ["O campo valor é obrigatório."],
                           "reference_description": ["O campo descrição da referência é obrigatório."]}})
SPLIT_400 = php({"errors": {"clicpay_reference": ["Referência ClicPay inválida"]}})

ACME_WALLET = 144365
GLOBEX_WALLET = 245001


def mm_body(msisdn: str = "841234567", amount: float = 500, description: str = "Compra online") -> dict[str, object]:
    return {"msisdn": msisdn, "amount": amount, "reference_description": description, "internal_notes": "Pedido #12345"}
