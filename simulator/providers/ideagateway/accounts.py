"""Idea Gateway digital accounts (ops 1-3): KYC documents reviewed on the clock; the account is approved when
every document is."""

from __future__ import annotations

from simulator.behaviour.config import Plan
from simulator.brdata.documents import cpf_is_valid, only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.engine.env import ProviderEnv
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.lifecycle import Move
from simulator.providers.ideagateway.base import random_text, required_query, settings
from simulator.records import JSON, Record
from simulator.store.scope import Scope

ACC = "digital_account"
DOC = "account_document"


def _new_document(ctx: Ctx, account: Record, doc: dict[str, JSON]) -> Record:
    kyc = settings(ctx.env, "accounts_kyc")
    record = ctx.scope.new({"id": ctx.scope.new_id(DOC, int(kyc.get("first_document_id", 1))), "type": doc["type"],
                            "fileFormat": doc.get("fileFormat"), "status": "pending",
                            "accountNumber": account["accountNumber"], "createdAt": ctx.env.clock.now_iso()})
    plan = None
    if account["cpf"] in (kyc.get("rejected_cpfs") or []):  # rejected after the analysis' usual delay
        auto = ctx.env.machine(DOC).default_plan("pending", record)
        plan = Plan.from_data({**kyc["rejected"], "after_seconds": auto.after_seconds if auto else 0})
    ctx.env.enter(ctx.scope, DOC, record, ctx.plan or plan)
    return record


def shown(scope: Scope, account: Record, with_password: bool = False) -> dict[str, JSON]:
    inner = {k: account[k] for k in ("bankCode", "agency", "accountDigit", "accountNumber", "holderName")}
    if with_password:
        inner["password"] = account["password"]
    docs = [scope.get(DOC, i) for i in account["docs"]]
    return {"account": inner, "status": account["status"],
            "docs": [{"id": d["id"], "type": d["type"], "status": d["status"]} for d in docs if d]}


def _account_digit(number: str) -> str:
    total = sum(int(c) * w for c, w in zip(reversed(number), range(2, 10)))
    digit = 11 - total % 11
    return "0" if digit >= 10 else str(digit)


def create_account(ctx: Ctx) -> Reply:
    data = ctx.data
    cpf = only_digits(str(data["cpf"]))
    if not cpf_is_valid(cpf):
        raise ValidationFailed({"cpf": ["CPF inválido."]})
    if any(a["cpf"] == cpf for a in ctx.scope.all(ACC)):
        raise ProviderError("cpf_taken")
    kyc = settings(ctx.env, "accounts_kyc")
    while True:
        number = random_text(ctx.env, 6, "0123456789")
        if number[0] != "0" and not ctx.scope.taken(ACC, number):
            break
    # the seed echoes the password as sent (a number in its example); without one, a random one is made
    password = data.get("password")
    if password is None:
        password = random_text(ctx.env, 10)
    phone = data["phone"]
    account = ctx.scope.new({
        "accountNumber": number, "accountDigit": _account_digit(number), "bankCode": str(kyc.get("bank", "093")),
        "agency": str(kyc.get("agency", "0001")), "holderName": data["name"], "password": password,
        "status": "doc_pending", "cpf": cpf, "email": str(data["email"]).lower(),
        "phone": f"{phone.get('ddd', '')}{phone.get('number', '')}", "birthDate": data["birthDate"],
        "docs": [], "createdAt": ctx.env.clock.now_iso()})
    ctx.env.enter(ctx.scope, ACC, account)
    for doc in data["documents"]:
        account["docs"].append(_new_document(ctx, account, doc)["id"])
    ctx.scope.put(ACC, number, account)  # a copying store keeps the documents' ids too
    return Reply(201, shown(ctx.scope, account, with_password=True))


def _matches(account: Record, term: str, kind: str) -> bool:
    digits = only_digits(term)
    if kind == "email":
        return str(account["email"]) == term.strip().lower()
    if kind == "phone":
        return bool(digits) and str(account["phone"]).endswith(digits.removeprefix("55")[-11:])
    if kind == "account":
        return digits in (account["accountNumber"], account["accountNumber"] + account["accountDigit"])
    return bool(digits) and account["cpf"] == digits


def search_account(ctx: Ctx) -> Reply:
    term = required_query(ctx, "q")
    kind = ctx.query.get("type") or "cpf"
    for account in ctx.scope.all(ACC):
        if _matches(account, term, kind):
            return Reply(200, shown(ctx.scope, account))
    raise ProviderError("account_not_found")


def update_account_document(ctx: Ctx) -> Reply:
    account = ctx.scope.require(ACC, only_digits(ctx.params["accountNumber"])[:6], "account_not_found")
    old_id = ctx.params["documentId"]
    if not is_digits(old_id) or int(old_id) not in account["docs"]:
        raise ProviderError("document_not_found")
    old = ctx.scope.get(DOC, old_id)
    if old is not None:
        old["replaced"] = True
        ctx.scope.put(DOC, old_id, old)
    # the seed answers with a new id: an update records a new document that is reviewed again
    new = _new_document(ctx, account, dict(ctx.data))
    account["docs"] = [new["id"] if i == int(old_id) else i for i in account["docs"]]
    ctx.scope.put(ACC, account["accountNumber"], account)
    return Reply(200, {"id": new["id"], "type": new["type"]})


def on_document(env: ProviderEnv, move: Move) -> None:
    """A reviewed document: the account is approved once every current document is."""
    doc = move.record
    if move.target != "approved" or doc.get("replaced"):
        return
    account = move.scope.get(ACC, doc["accountNumber"])
    if account is None or account["status"] != "doc_pending":
        return
    statuses = []
    for ident in account["docs"]:
        current = doc if ident == doc["id"] else move.scope.get(DOC, ident)
        statuses.append(current["status"] if current else "missing")
    if all(s == "approved" for s in statuses):
        env.transition(move.scope, ACC, account["accountNumber"], "approved", cause="kyc")
