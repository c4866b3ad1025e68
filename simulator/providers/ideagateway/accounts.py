"""Idea Gateway digital accounts (ops 1-3): KYC documents reviewed on the clock; the account is approved when
every document is."""

from __future__ import annotations

from typing import Any

from simulator.brdata.documents import cpf_is_valid, only_digits
from simulator.engine.context import Ctx, Reply
from simulator.engine.digits import is_digits
from simulator.engine.errors import ProviderError, ValidationFailed
from simulator.lifecycle import Plan
from simulator.providers.ideagateway.base import P, body, random_text, required_query, settings
from simulator.sim import Sim
from simulator.store.base import Record

ACC = "digital_account"
DOC = "account_document"


def _kyc(sim: Sim) -> dict[str, Any]:
    return settings(sim, "accounts_kyc")


def _doc_id(sim: Sim) -> int:
    return sim.store.next_id(P, DOC, int(_kyc(sim).get("first_document_id", 1)))


def _new_document(ctx: Ctx, account: Record, doc: dict[str, Any]) -> Record:
    record = ctx.tag({"id": _doc_id(ctx.sim), "type": doc["type"], "fileFormat": doc.get("fileFormat"),
                      "status": "pending", "accountNumber": account["accountNumber"],
                      "createdAt": ctx.sim.clock.now_iso()})
    ctx.sim.store.put(P, DOC, str(record["id"]), record)
    plan = None
    if account["cpf"] in (_kyc(ctx.sim).get("rejected_cpfs") or []):
        auto = ctx.sim.lifecycles.default_plan(P, DOC, "pending")
        plan = Plan(to="rejected", after_seconds=auto.after_seconds if auto else 0,
                    message="Documento ilegível.")
    ctx.sim.lifecycles.enter(P, DOC, record, ctx.plan or plan)
    return record


def shown(sim: Sim, account: Record, with_password: bool = False) -> dict[str, Any]:
    inner = {k: account[k] for k in ("bankCode", "agency", "accountDigit", "accountNumber", "holderName")}
    if with_password:
        inner["password"] = account["password"]
    docs = [sim.store.get(P, DOC, str(i)) for i in account["docs"]]
    return {"account": inner, "status": account["status"],
            "docs": [{"id": d["id"], "type": d["type"], "status": d["status"]} for d in docs if d]}


def _account_digit(number: str) -> str:
    total = sum(int(c) * w for c, w in zip(reversed(number), range(2, 10)))
    digit = 11 - total % 11
    return "0" if digit >= 10 else str(digit)


def create_account(ctx: Ctx) -> Reply:
    data = body(ctx)
    cpf = only_digits(str(data["cpf"]))
    if not cpf_is_valid(cpf):
        raise ValidationFailed({"cpf": ["CPF inválido."]})
    if any(a["cpf"] == cpf for a in ctx.sim.store.all(P, ACC, ctx.account_id)):
        raise ProviderError("cpf_taken")
    kyc = _kyc(ctx.sim)
    while True:
        number = random_text(ctx.sim, 6, "0123456789")
        if number[0] != "0" and ctx.sim.store.get(P, ACC, number) is None:
            break
    # the seed echoes the password as sent (a number in its example); without one, a random one is made
    password = data.get("password")
    if password is None:
        password = random_text(ctx.sim, 10)
    phone = data["phone"]
    account = ctx.tag({
        "accountNumber": number, "accountDigit": _account_digit(number), "bankCode": str(kyc.get("bank", "093")),
        "agency": str(kyc.get("agency", "0001")), "holderName": data["name"], "password": password,
        "status": "doc_pending", "cpf": cpf, "email": str(data["email"]).lower(),
        "phone": f"{phone.get('ddd', '')}{phone.get('number', '')}", "birthDate": data["birthDate"],
        "docs": [], "createdAt": ctx.sim.clock.now_iso()})
    ctx.sim.store.put(P, ACC, number, account)
    ctx.sim.lifecycles.enter(P, ACC, account)
    for doc in data["documents"]:
        account["docs"].append(_new_document(ctx, account, doc)["id"])
    ctx.sim.store.put(P, ACC, number, account)  # a copying store keeps the documents' ids too
    return Reply(201, shown(ctx.sim, account, with_password=True))


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
    for account in ctx.sim.store.all(P, ACC, ctx.account_id):
        if _matches(account, term, kind):
            return Reply(200, shown(ctx.sim, account))
    raise ProviderError("account_not_found")


def update_account_document(ctx: Ctx) -> Reply:
    account = ctx.sim.store.get(P, ACC, only_digits(ctx.params["accountNumber"])[:6])
    if account is None or account.get("_account") != ctx.account_id:
        raise ProviderError("account_not_found")
    old_id = ctx.params["documentId"]
    if not is_digits(old_id) or int(old_id) not in account["docs"]:
        raise ProviderError("document_not_found")
    old = ctx.sim.store.get(P, DOC, old_id)
    if old is not None:
        old["replaced"] = True
        ctx.sim.store.put(P, DOC, old_id, old)
    # the seed answers with a new id: an update records a new document that is reviewed again
    new = _new_document(ctx, account, body(ctx))
    account["docs"] = [new["id"] if i == int(old_id) else i for i in account["docs"]]
    ctx.sim.store.put(P, ACC, account["accountNumber"], account)
    return Reply(200, {"id": new["id"], "type": new["type"]})


def on_document(sim: Sim, provider: str, doc: Record, old: str, new: str, message: str | None) -> None:
    """A reviewed document: the account is approved once every current document is."""
    if new != "approved" or doc.get("replaced"):
        return
    account = sim.store.get(P, ACC, str(doc["accountNumber"]))
    if account is None or account["status"] != "doc_pending":
        return
    statuses = []
    for ident in account["docs"]:
        current = doc if ident == doc["id"] else sim.store.get(P, DOC, str(ident))
        statuses.append(current["status"] if current else "missing")
    if all(s == "approved" for s in statuses):
        sim.lifecycles.transition(P, ACC, str(account["accountNumber"]), "approved", cause="kyc")
