"""Brazilian and Mozambican payment data: pure generators and validators.

Documents (CPF, CNPJ, CEP, e-mail, phone), boletos (barcode, linha digitável,
ITF drawing), Pix BR Codes, card numbers and Mozambican msisdns. Every
function is pure; randomness always comes from a caller-supplied
``random.Random`` so that simulations are reproducible.
"""

from .boleto import (
    barcode,
    barcode_from_linha,
    barcode_is_valid,
    due_date_factor,
    format_linha,
    generate_boleto,
    linha_digitavel,
    linha_is_valid,
)
from .cards import card_brand, last4, luhn_complete, luhn_is_valid, mask_card
from .documents import (
    br_phone_is_valid,
    cep_is_valid,
    cnpj_is_valid,
    cpf_is_valid,
    email_is_valid,
    format_cnpj,
    format_cpf,
    generate_cnpj,
    generate_cpf,
    only_digits,
)
from .itf import barcode_png, barcode_svg, interleaved_2_of_5_bars
from .msisdn import MOZ_OPERATORS, moz_operator, msisdn_belongs_to, normalize_moz_msisdn
from .pix import ascii_fold, brcode, brcode_is_valid, crc16_ccitt_false, parse_tlv

__all__ = [
    "MOZ_OPERATORS",
    "ascii_fold",
    "barcode",
    "barcode_from_linha",
    "barcode_png",
    "barcode_is_valid",
    "barcode_svg",
    "br_phone_is_valid",
    "brcode",
    "brcode_is_valid",
    "card_brand",
    "cep_is_valid",
    "cnpj_is_valid",
    "cpf_is_valid",
    "crc16_ccitt_false",
    "due_date_factor",
    "email_is_valid",
    "format_cnpj",
    "format_cpf",
    "format_linha",
    "generate_boleto",
    "generate_cnpj",
    "generate_cpf",
    "interleaved_2_of_5_bars",
    "last4",
    "linha_digitavel",
    "linha_is_valid",
    "luhn_complete",
    "luhn_is_valid",
    "mask_card",
    "moz_operator",
    "msisdn_belongs_to",
    "normalize_moz_msisdn",
    "only_digits",
    "parse_tlv",
]
