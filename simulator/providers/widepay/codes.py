"""A v1 charge's payment codes: the boleto (Banco do Brasil layout, as the docs' example barcode), its image and
HTML, and the Pix BR Code with its QR image. The record keeps only the codes (`private`: barcode, emv, numero);
the images and the HTML are drawn when asked for."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from html import escape

import segno

from simulator.brdata import barcode, barcode_png, brcode, format_linha, linha_digitavel
from simulator.engine.env import ProviderEnv
from simulator.providers.widepay.recebimentos import settings, wallet
from simulator.records import Record
from simulator.store.scope import Scope

PARAMETROS = ("banco", "agencia", "conta", "convenio", "carteira", "variacao")


def add_boleto(env: ProviderEnv, scope: Scope, charge: Record, total: Decimal, due: date | None) -> None:
    """The boleto's number (the account's sequence) and barcode. Banco do Brasil, 7-digit convênio: the free
    field is 000000 + convênio + número (10) + carteira, as in the docs' example `...0000003351860000000000117`."""
    bank = dict(settings(env, charge.meta.account).get("boleto") or {})
    numero = scope.new_id(f"boleto_v1:{charge.meta.account}", 1)
    free = "000000" + str(bank["convenio"]).zfill(7)[-7:] + str(numero).zfill(10) + str(bank["carteira"]).zfill(2)[-2:]
    charge.private.update(numero=str(numero),
                          barcode=barcode(str(bank["banco"]), int(total * 100), due, free))


def add_pix(env: ProviderEnv, charge: Record, total: Decimal) -> None:
    """A static BR Code with the wallet's Pix key, the amount and a txid naming the charge (docs silent on the
    txid and on static or dynamic: INFERRED)."""
    pix = dict(settings(env, charge.meta.account).get("pix") or {})
    account = env.account(charge.meta.account)
    txid = f"WP{wallet(env, charge.meta.account)}{charge['id']}"[:25]
    charge.private["emv"] = brcode(key=str(pix["chave"]), amount_cents=int(total * 100),
                                   merchant_name=account.name if account else "WidePay",
                                   merchant_city=str(pix.get("cidade", "Campo Grande")), txid=txid)


def parametros(env: ProviderEnv, charge: Record) -> dict[str, str]:
    """The wallet's bank configuration and the boleto's number (keys as the docs' Banco do Brasil example)."""
    bank = dict(settings(env, charge.meta.account).get("boleto") or {})
    out: dict[str, str] = {name: str(bank[name]) for name in PARAMETROS if name in bank}
    out["numero"] = str(charge.private.get("numero", ""))
    return out


def barcode_image(code: str) -> str:
    """The barcode as a bare base64 PNG (as the docs show `imagem`: no `data:` prefix)."""
    return base64.b64encode(barcode_png(code, height=50)).decode()


def qr_image(emv: str) -> str:
    """The QR code as a `data:image/png;base64,...` URI (as the docs show `pix.imagem`)."""
    uri: str = segno.make(emv, error="m", micro=False).png_data_uri(scale=3, border=2)
    return uri


def boleto_block(env: ProviderEnv, charge: Record) -> dict[str, str | dict[str, str]]:
    """`parametros`, `imagem`, `codigo-barras`, `linha-digitavel` (the create answer's `boleto`, and the boleto
    operation's answer)."""
    code = str(charge.private["barcode"])
    return {"parametros": parametros(env, charge), "imagem": barcode_image(code), "codigo-barras": code,
            "linha-digitavel": format_linha(linha_digitavel(code))}


def pix_block(charge: Record) -> dict[str, str]:
    emv = str(charge.private["emv"])
    return {"emv": emv, "imagem": qr_image(emv)}


def boleto_html(env: ProviderEnv, charge: Record, carne: bool = False, pix: bool = False) -> str:
    """The boleto as one compact HTML table (no styles, no fonts: under 1 KB, about 2 KB with the Pix QR code), so
    the whole answer stays well within what the official Node SDK reads (one TLS record, about 16 KiB)."""
    account = env.account(charge.meta.account)
    code = str(charge.private["barcode"])
    params = parametros(env, charge)
    rows = [("Beneficiário", account.name if account else ""),
            ("Banco", f"{params.get('banco', '')} · Agência {params.get('agencia', '')} · Conta {params.get('conta', '')}"),
            ("Nosso número", f"{params.get('convenio', '')}{str(params.get('numero', '')).zfill(10)}"),
            ("Vencimento", str(charge.get("vencimento") or "")), ("Valor", f"R$ {charge.get('valor')}"),
            ("Pagador", f"{charge.get('cliente') or ''} {charge.get('cpf') or charge.get('cnpj') or ''}".strip())]
    for line in charge.private.get("instrucoes") or []:
        rows.append(("Instruções", str(line)))
    title = "Carnê" if carne else "Boleto"
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    out = (f'<table class="widepay-{title.lower()}"><caption>{title} {escape(str(charge["id"]))}</caption>'
           f'<tr><td colspan="2"><b>{escape(format_linha(linha_digitavel(code)))}</b></td></tr>{cells}'
           f'<tr><td colspan="2"><img alt="{code}" src="data:image/png;base64,{barcode_image(code)}"></td></tr>')
    emv = charge.private.get("emv")
    if pix and emv:
        out += (f'<tr><th>Pix</th><td><img alt="QR Code Pix" src="{qr_image(str(emv))}"><br>'
                f'<code>{escape(str(emv))}</code></td></tr>')
    return out + "</table>"
