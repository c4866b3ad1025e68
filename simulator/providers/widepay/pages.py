"""WidePay v1's payer links, on the provider's base as the real ones are on www.widepay.com: a charge's `link`
(`<base>/widepay/cobranca/<carteira>-<id>-<hash>`) opens the generic payer page of the charge (Pix, boleto, pay or
cancel), its `pdf` (the same with `.pdf`) is the charge as a one-page PDF; a carnê's `link`
(`<base>/widepay/carne/...`) lists its installments, each with its own page."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.brdata import format_linha, linha_digitavel
from simulator.engine.env import ProviderEnv
from simulator.engine.provider import ProviderRuntime
from simulator.providers.common import text_pdf
from simulator.providers.widepay.recebimentos import CARNE, COBRANCA, wallet
from simulator.records import Record
from simulator.ui.payer import summary
from simulator.ui.render import not_found, page, provider_templates, redirect


def linked(env: ProviderEnv, kind: str, ref: str) -> Record | None:
    """The charge or carnê a link names: `<carteira>-<id>-<hash>`, all three its own."""
    carteira, _, rest = ref.partition("-")
    ident, _, digest = rest.partition("-")
    record = env.view.get(kind, ident) if ident.isascii() and ident.isdigit() else None
    if record is None or not record.has_private or record.private.get("hash") != digest:
        return None
    return record if wallet(env, record.meta.account) == carteira else None


def pdf_lines(env: ProviderEnv, charge: Record) -> list[str]:
    account = env.account(charge.meta.account)
    lines = [f"Beneficiário: {account.name if account else ''}", f"Pagador: {charge.get('cliente') or ''}",
             f"Valor: R$ {charge['valor']}", f"Vencimento: {charge.get('vencimento') or ''}",
             f"Situação: {charge['status']}"]
    lines += [f"{item['descricao']}: {item['quantidade']} x R$ {item['valor']}" for item in charge.get("itens") or []]
    barcode, emv = charge.private.get("barcode"), charge.private.get("emv")
    if barcode:
        lines.append(f"Linha digitável: {format_linha(linha_digitavel(str(barcode)))}")
    if emv:
        lines += ["Pix copia e cola:"] + [str(emv)[i:i + 80] for i in range(0, len(str(emv)), 80)]
    return lines


def pages(runtime: ProviderRuntime) -> list[BaseRoute]:
    env = runtime.env
    provider_templates(env.key, Path(__file__).resolve().parent / "templates")

    async def charge_link(request: Request) -> Response:
        ref = request.path_params["ref"]
        charge = linked(env, COBRANCA, ref.removesuffix(".pdf"))
        if charge is None:
            return not_found(request, f"No WidePay charge at {ref!r}.")
        if ref.endswith(".pdf"):
            return Response(text_pdf(pdf_lines(env, charge), title=f"Cobrança {charge['id']}"),
                            media_type="application/pdf")
        return redirect(f"/_sim/ui/pay/{env.key}/{charge['id']}")

    async def carne_link(request: Request) -> Response:
        ref = request.path_params["ref"]
        booklet = linked(env, CARNE, ref.removesuffix(".pdf"))
        if booklet is None:
            return not_found(request, f"No WidePay carnê at {ref!r}.")
        charges = [c for c in (env.view.get(COBRANCA, i) for i in booklet.get("cobrancas") or []) if c is not None]
        if ref.endswith(".pdf"):
            lines = [line for c in charges for line in [f"--- Cobrança {c['id']}", *pdf_lines(env, c)]]
            return Response(text_pdf(lines, title=f"Carnê {booklet['id']}"), media_type="application/pdf")
        parcels = [{"id": c["id"], "vencimento": c.get("vencimento"), "valor": c["valor"], "status": c["status"],
                    "tone": summary(runtime, COBRANCA, c)["tone"]} for c in charges]
        return page(request, "widepay/carne.html", title=f"WidePay carnê {booklet['id']}",
                    tx=summary(runtime, CARNE, booklet), carne=booklet, parcels=parcels, provider_key=env.key)

    # the links' own paths on the provider's base (as www.widepay.com serves them), and under /_sim/ui/pay/
    return [Route(f"/{env.key}/cobranca/{{ref}}", charge_link, methods=["GET"]),
            Route(f"/{env.key}/carne/{{ref}}", carne_link, methods=["GET"]),
            Route(f"/_sim/ui/pay/{env.key}/cobranca/{{ref}}", charge_link, methods=["GET"]),
            Route(f"/_sim/ui/pay/{env.key}/carne/{{ref}}", carne_link, methods=["GET"])]
