"""WidePay v1 (`/v1/recebimentos/...`) basics shared by its cobranças and carnês: kinds, the `v1` section of
behaviour.yaml, numeric ids, money as v1 prints it, links, the ids a call names, and its execution errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NotRequired, TypedDict, cast

from simulator.behaviour.money import decimal_of, rounded
from simulator.engine.context import Ctx
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError
from simulator.records import JSON, Record
from simulator.store.scope import Scope

COBRANCA = "cobranca"
CARNE = "carne"
AVISO = "notificacao_v1"  # a v1 notification: its numeric id -> the object it is about
SEQUENCE = "v1_id"  # one provider-wide sequence for charge and carnê ids (any v1 id names one object)


# behaviour.yaml `v1:` and an account's `v1:`, as schema.py checks them at start-up

class V1Fee(TypedDict, total=False):
    fixa: str  # a decimal text
    compensacao_dias: int


class V1Consultar(TypedDict):
    recentes: int
    maximo: int
    max_bytes: int


class V1Notificacoes(TypedDict):
    primeiro_id: int
    retry_seconds: list[float]
    parcelas: bool


class V1Config(TypedDict):
    first_id: int
    statuses: dict[str, str]
    carne_statuses: dict[str, str]
    messages: dict[str, str]
    links: dict[str, str]  # cobranca, carne: a link's path
    tarifas: dict[str, V1Fee]
    consultar: V1Consultar
    notificacoes: V1Notificacoes


class V1Boleto(TypedDict):
    banco: str
    agencia: str
    conta: str
    convenio: str
    carteira: str
    variacao: NotRequired[str]


class V1Pix(TypedDict):
    chave: str
    cidade: NotRequired[str]


class V1Padroes(TypedDict, total=False):
    multa: str  # % (a decimal text)
    juros: str  # % a month


class V1Account(TypedDict, total=False):  # empty for an account without v1 settings
    boleto: V1Boleto
    pix: V1Pix
    padroes: V1Padroes


def cfg(env: ProviderEnv) -> V1Config:
    """behaviour.yaml `v1:` (checked against schema.py at start-up)."""
    return cast(V1Config, dict(env.config.section("v1") or {}))


def status_text(env: ProviderEnv, kind: str, slug: str) -> str:
    table = cfg(env)["statuses" if kind == COBRANCA else "carne_statuses"]
    return str(table.get(slug, slug))


def message(env: ProviderEnv, name: str) -> str:
    return str(cfg(env)["messages"].get(name, name))


def wallet(env: ProviderEnv, account: str | None) -> str:
    """The account's wallet id (`carteira`): the v1 user name."""
    acc = env.account(account)
    return acc.credentials.get("carteira", "") if acc is not None else ""


def settings(env: ProviderEnv, account: str | None) -> V1Account:
    """The account's v1 settings (behaviour.yaml accounts[].v1: boleto bank, Pix key, default fees)."""
    acc = env.account(account)
    return cast(V1Account, dict(acc.extra.get("v1") or {}) if acc is not None else {})


def new_id(env: ProviderEnv, scope: Scope) -> str:
    """The next charge or carnê id: a numeric string from one provider-wide sequence (behaviour.yaml
    `v1.first_id`), so a v1 id names one object in the control API and the pages."""
    return str(scope.new_id(SEQUENCE, int(cfg(env)["first_id"])))


def new_hash(env: ProviderEnv) -> str:
    """The 8 lowercase hex digits of a link (undocumented meaning; seeded, so runs repeat)."""
    rng = env.rng()
    return "".join(rng.choice("0123456789abcdef") for _ in range(8))


def link(ctx: Ctx, kind: str, record: Record) -> str:
    """`<base>/widepay/cobranca/<carteira>-<id>-<hash>`: the real link's path on the provider's base here
    (behaviour.yaml `v1.links`), where the payer's page is served."""
    path = str(cfg(ctx.env)["links"][kind])
    return ctx.provider_url(path.format(carteira=wallet(ctx.env, record.meta.account), id=record["id"],
                                        hash=record.private["hash"]))


# --- money and text as v1 prints them -----------------------------------------------------------------------

def money(value: Decimal | None) -> str | None:
    """An amount with two decimals ("40.51"), or None."""
    return None if value is None else f"{rounded(value):.2f}"


def echo(value: object, default: str | None = None) -> str | None:
    """A value as PHP prints what it was sent: form text as it came, a JSON number as PHP's string of it
    (22.5 -> "22.5", 2 -> "2", 20.0 -> "20")."""
    if value is None:
        return default
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def amount(value: object) -> Decimal:
    return decimal_of(value) or Decimal(0)


def local_now(env: ProviderEnv) -> datetime:
    return env.time.at().replace(tzinfo=None)


def stamp(env: ProviderEnv, ts: float | None = None) -> str:
    return env.time.stamp("%Y-%m-%d %H:%M:%S", ts)


def due_date(text: object) -> date | None:
    """A `vencimento` as sent (YYYY-MM-DD, or with a time as BLESTA sends it)."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def overdue_at(env: ProviderEnv, due: date) -> float:
    """When an unpaid charge becomes `Vencido`: local midnight of the day after its due date (catalog: "set one
    day after the due date"; WidePay's nightly job runs just after midnight)."""
    return env.time.day_start(due + timedelta(days=1))


# --- the ids a call names ------------------------------------------------------------------------------------

def ids_of(value: object) -> list[str]:
    """One id or several (`id=1`, `id[]=1&id[]=2`, `id[0]=1`, a JSON list or number), in order, without repeats."""
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
    out: list[str] = []
    for item in items:
        ident = echo(item) or ""
        ident = ident.strip()
        if ident and ident not in out:
            out.append(ident)
    return out


def execution(items: list[tuple[str, str]]) -> ProviderError:
    """`Erro na execução da solicitação.` with one `execucao` entry per (id, message)."""
    return ProviderError("execution", {"execucao": [{"id": ident, "erro": text} for ident, text in items]})


def state_of(env: ProviderEnv, kind: str, record: Record) -> str:
    return str(record[env.machine(kind).field])
