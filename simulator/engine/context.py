"""What a handler gets (Ctx) and what it gives back (Reply)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.engine.accounts import Account
    from simulator.engine.provider import Operation, ProviderRuntime
    from simulator.lifecycle import Plan
    from simulator.sim import Sim


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a body already encoded (HTML, PDF, plain text)
    content_type: str = "application/json"


@dataclass
class Ctx:
    sim: "Sim"
    provider: "ProviderRuntime"
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_body: bytes
    op: "Operation | None" = None
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    account: "Account | None" = None
    scenarios: list[str] = field(default_factory=list)
    plan: "Plan | None" = None  # an outcome a scenario or magic value set for what this request creates
    webhook_chaos: dict[str, Any] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    wrong_content_type: str | None = None  # the body's media type when the operation does not take it
    scenario_applied: str | None = None
    client: str = ""  # the client's address (scope["client"] host)
    response_headers: dict[str, str] = field(default_factory=dict)  # added to whatever answer is given

    @property
    def account_id(self) -> str:
        assert self.account is not None, "this operation is not authenticated"
        return self.account.id

    def input(self, name: str, default: Any = None) -> Any:
        """A request value from the body, else the query string (as Laravel's $request->input)."""
        if isinstance(self.body, dict) and name in self.body:
            return self.body[name]
        return self.query.get(name, default)

    def tag(self, record: dict[str, Any]) -> dict[str, Any]:
        """Mark a new record with its account and the request's scenarios."""
        if self.account is not None:
            record["_account"] = self.account.id
        if self.scenarios:
            record["_scenarios"] = list(self.scenarios)
        if self.webhook_chaos:
            record["_chaos"] = dict(self.webhook_chaos)
        return record
