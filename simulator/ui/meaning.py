"""What a record means, read only from what its provider declares (behaviour.yaml `lifecycles`, `fields`,
`money`) and from its hooks (`codes`, `payer_links`): the dashboard and the payer pages never guess."""

from __future__ import annotations

from urllib.parse import quote

from simulator.behaviour.config import LifecycleDecl
from simulator.brdata.boleto import barcode_from_linha, barcode_is_valid, format_linha, linha_digitavel, \
    linha_is_valid
from simulator.brdata.pix import brcode_is_valid
from simulator.engine.provider import PaymentCodes, ProviderRuntime
from simulator.records import Record
from simulator.ui.render import value_at
from simulator.brdata.documents import only_digits

DELIVERY_TONES = {"delivered": "ok", "retrying": "wait", "failed": "bad", "dropped": "bad"}


def tone(decl: LifecycleDecl, state: str) -> str:
    """How a state reads: ok (paid), bad (failed), done (another final state) or wait (on its way)."""
    if state in decl.paid:
        return "ok"
    if state in decl.failed:
        return "bad"
    return "done" if state in decl.final else "wait"


def tones(decl: LifecycleDecl) -> dict[str, str]:
    return {state: tone(decl, state) for state in decl.states()}


def amount(runtime: ProviderRuntime, kind: str, record: Record) -> str | None:
    """The declared amount field, printed as the provider's money."""
    fields = runtime.config.fields_of(kind)
    return runtime.env.money.printed(value_at(record, fields.amount), fields.amount_unit)


def description(runtime: ProviderRuntime, kind: str, record: Record) -> object:
    return value_at(record, runtime.config.fields_of(kind).description)


def return_url(runtime: ProviderRuntime, kind: str, record: Record) -> str | None:
    value = value_at(record, runtime.config.fields_of(kind).return_url)
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def summary(runtime: ProviderRuntime, kind: str, record: Record) -> str:
    """The declared summary fields that have a value, joined."""
    values = [value_at(record, path) for path in runtime.config.fields_of(kind).summary]
    return " · ".join(str(v) for v in values if v not in (None, ""))


def codes(runtime: ProviderRuntime, kind: str, record: Record) -> PaymentCodes:
    """The record's payment codes: the provider's `codes` hook, else its declared `pix` and `boleto` fields."""
    if runtime.hooks.codes is not None:
        return runtime.hooks.codes(runtime.env, kind, record)
    fields = runtime.config.fields_of(kind)
    pix, boleto = value_at(record, fields.pix), value_at(record, fields.boleto)
    return PaymentCodes(pix=pix if isinstance(pix, str) and pix else None,
                        boleto=boleto if isinstance(boleto, str) and boleto else None)


def brcode(code: str | None) -> str | None:
    """A valid Pix BR Code, or None."""
    return code if code and brcode_is_valid(code) else None


def boleto(code: str | None) -> dict[str, str] | None:
    """A boleto's barcode (44 digits), linha digitável (47) and printed line, from either; None if invalid."""
    digits = only_digits(code or "")
    if len(digits) == 47 and linha_is_valid(digits):
        return {"barcode": barcode_from_linha(digits), "linha": digits, "printed": format_linha(digits)}
    if len(digits) == 44 and barcode_is_valid(digits):
        linha = linha_digitavel(digits)
        return {"barcode": digits, "linha": linha, "printed": format_linha(linha)}
    return None


def payer_links(runtime: ProviderRuntime, kind: str, record: Record) -> list[tuple[str, str]]:
    """Links to the payer's pages of a record: the provider's `payer_links` hook, else Pix and boleto pages
    when the record has such codes."""
    if runtime.hooks.payer_links is not None:
        return runtime.hooks.payer_links(runtime.env, kind, record)
    key = quote(str(record.get(runtime.env.machine(kind).key, "")), safe="")
    found = codes(runtime, kind, record)
    out: list[tuple[str, str]] = []
    if brcode(found.pix):
        out.append(("Pix", f"/_sim/ui/pay/{runtime.key}/pix/{key}"))
    if boleto(found.boleto):
        out.append(("Boleto", f"/_sim/ui/pay/{runtime.key}/boleto/{key}"))
    return out
