"""Replays one provider's documented examples, in the order of its data, against a running simulator.

The client's base URL is the simulator's root (in process through httpx's ASGITransport, or a real server); the
simulator should run at the data's `era` (`--start-time`). Two modes:
- `as_written`: the document's requests unchanged, except the credentials (the account's test values).
- `replaced` (the acceptance mode): also the ids the document got from an earlier answer (`replace:`) become the
  ones the simulator handed out in that example's answer: a literal is swapped wherever it stands (a path segment,
  a query value, a form value, a JSON value of the same type), `query:NAME` and `json:$.path` set one place.
Each example's answer is checked (compare.py), its journal entry must name the example's operation, and a request
the real provider accepts (a request example with a 2xx answer) must not be journalled as a contract violation.

A webhook example (a body the provider documents sending) is checked at a real receiver (`receiver`, e.g.
`simulator.testing.webhook_receiver()`): the set's `receiver: account_webhook` registers it as each account's
webhook URL before the first example; after the example's `before` steps the simulator runs its due work, and the
newest body the receiver got that holds the example's `webhook.match` is compared with the document's.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx

from simulator.examples import paths
from simulator.examples.compare import compare
from simulator.examples.model import MISSING, Example, ExampleSet, Match, Request

if TYPE_CHECKING:
    from simulator.testing import ReceivedRequest, WebhookReceiver

MODES = ("as_written", "replaced")
WEBHOOK_WAIT = 5.0  # seconds a webhook example waits for its delivery at the receiver


@dataclass
class Outcome:
    example: Example
    status: int | None = None
    body: object = None  # the answer: JSON, or its text when it is not JSON
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        e = self.example
        sent = f"{e.request.method} {e.request.path}" if e.request is not None else "webhook"
        head = f"{e.id} ({e.operation}, {e.section}): {sent} -> {self.status}"
        return "\n  ".join([head, *self.problems])


class ReplayError(Exception):
    """An example that cannot be sent (a replacement whose source example gave no value)."""


def _cast(value: object, like: object) -> object:
    """The simulator's value in the type the document wrote the literal in (an id 15 stays a number)."""
    if isinstance(like, bool) or like is None:
        return value
    if isinstance(like, int) and isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(like, str) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _swap(node: object, table: list[tuple[object, object]]) -> object:
    if isinstance(node, dict):
        return {k: _swap(v, table) for k, v in node.items()}
    if isinstance(node, list):
        return [_swap(v, table) for v in node]
    for literal, value in table:
        if type(node) is type(literal) and node == literal:
            return _cast(value, literal)
    return node


def _text_swap(text: str, table: list[tuple[object, object]]) -> str:
    for literal, value in table:
        if text == str(literal):
            return str(value)
    return text


def _set(body: object, tokens: tuple[paths.Token, ...], value: object) -> None:
    """Put a value at a JSON path of the body (the place must exist: the document's request has it)."""
    parent = paths.get(body, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict) and isinstance(last, str) and last in parent:
        parent[last] = _cast(value, parent[last])
    elif isinstance(parent, list) and isinstance(last, int) and -len(parent) <= last < len(parent):
        parent[last] = _cast(value, parent[last])
    else:
        raise KeyError(paths.render(tokens))


class Replayer:
    def __init__(self, client: httpx.AsyncClient, examples: ExampleSet, mode: str = "replaced",
                 receiver: "WebhookReceiver | None" = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        self.client = client
        self.receiver = receiver
        self.set = examples
        self.key = examples.provider
        self.mode = mode
        self.outcomes: dict[str, Outcome] = {}
        self._accounts: list[dict[str, Any]] = []

    async def run(self) -> list[Outcome]:
        r = await self.client.get("/_sim/providers")
        r.raise_for_status()
        provider = next(p for p in r.json()["providers"] if p["key"] == self.key)
        self._accounts = list(provider["accounts"])
        if self.receiver is not None and self.set.receiver == "account_webhook":
            for account in self._accounts:
                r = await self.client.put(f"/_sim/{self.key}/accounts/{account['id']}/webhook",
                                          json={"url": self.receiver.url + f"/{self.key}/{account['id']}"})
                r.raise_for_status()
        for example in self.set.examples:
            self.outcomes[example.id] = await self.one(example)
        return list(self.outcomes.values())

    def _table(self, example: Example) -> list[tuple[object, object]]:
        if self.mode != "replaced":
            return []
        table = []
        for literal, source, path in example.replace:
            got = self.outcomes.get(source)
            try:
                value = paths.get(got.body if got is not None else None, path)
            except KeyError:
                raise ReplayError(f"no value at {paths.render(path)} in the answer of {source!r} to stand for "
                                  f"{literal!r}") from None
            table.append((literal, value))
        return table

    def build(self, example: Example, table: list[tuple[object, object]]
              ) -> tuple[str, str, dict[str, str], dict[str, str], bytes | None]:
        req = example.request
        assert req is not None, "a webhook example sends no request"
        targeted = [(t, v) for t, v in table if isinstance(t, str) and t.startswith(("query:", "json:"))]
        table = [(t, v) for t, v in table if (t, v) not in targeted]
        segments = [_text_swap(s, table) for s in req.path.split("/")]
        path = f"/{self.key}" + "/".join(segments)
        query = {k: _text_swap(v, table) for k, v in req.query.items()}
        for target, value in targeted:
            if target.startswith("query:"):
                query[target[6:]] = str(value)
        headers = dict(req.headers)
        if req.basic is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(req.basic.encode()).decode()
        if example.credentials == "replaced":
            written = {name.lower() for name in self.set.credentials}
            if any(h.lower() in written for h in headers):
                headers = {h: v for h, v in headers.items() if h.lower() not in written}
                headers.update(_account_headers(self._accounts[example.account], req.path))
        names = {h.lower() for h in headers}
        content: bytes | None = None
        if req.json is not MISSING:
            body = _swap(req.json, table)
            for target, value in targeted:
                if target.startswith("json:"):
                    _set(body, paths.parse(target[5:]), value)
            content = json.dumps(body, ensure_ascii=False).encode()
            if "content-type" not in names:
                headers["Content-Type"] = "application/json"
        elif req.form is not None:
            content = urlencode([(k, _text_swap(v, table)) for k, v in req.form.items()]).encode()
            if "content-type" not in names:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif req.raw is not None:
            content = req.raw.encode()
        return req.method, path, query, headers, content

    async def _before(self, example: Example) -> None:
        for step in example.before:
            if "advance" in step:
                r = await self.client.post("/_sim/clock/advance", json={"seconds": step["advance"]})
                r.raise_for_status()
            if "force" in step:
                force = dict(step["force"])
                ident = str(force["id"])
                if ":" in ident and ident.split(":", 1)[0] in self.outcomes:
                    source, _, raw = ident.partition(":")
                    ident = str(paths.get(self.outcomes[source].body, paths.parse(raw)))
                r = await self.client.post(f"/_sim/{self.key}/transactions/{ident}/{force['outcome']}", json={})
                if r.status_code >= 400:
                    raise ReplayError(f"cannot force {ident} to {force['outcome']}: {r.status_code} {r.text}")

    async def one(self, example: Example) -> Outcome:
        if example.kind == "webhook":
            return await self.webhook(example)
        outcome = Outcome(example)
        try:
            await self._before(example)
            method, path, query, headers, content = self.build(example, self._table(example))
        except (ReplayError, KeyError, httpx.HTTPError) as exc:
            outcome.problems.append(f"not sent: {exc}")
            return outcome
        r = await self.client.request(method, path, params=query or None, headers=headers, content=content)
        outcome.status = r.status_code
        try:
            outcome.body = r.json()
        except ValueError:
            outcome.body = r.text
        self._check(example, r, outcome)
        await self._journal(example, outcome)
        return outcome

    async def webhook(self, example: Example) -> Outcome:
        """The newest body the receiver got that holds the example's `match`, compared with the document's."""
        outcome = Outcome(example)
        if self.receiver is None:
            outcome.problems.append("not checked: the replay has no webhook receiver")
            return outcome
        try:
            await self._before(example)
            wanted = [(m.path, self._match_value(m)) for m in example.match]
            r = await self.client.post("/_sim/clock/advance", json={"seconds": 0})  # the due deliveries go out
            r.raise_for_status()
        except (ReplayError, KeyError, httpx.HTTPError) as exc:
            outcome.problems.append(f"not checked: {exc}")
            return outcome
        deadline = time.monotonic() + WEBHOOK_WAIT
        while True:
            found = [b for b in map(_json, reversed(self.receiver.received)) if _holds(b, wanted)]
            if found or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.02)
        if not found:
            shown = ", ".join(f"{paths.render(p)} = {v!r}" for p, v in wanted)
            outcome.problems.append(f"no delivery of {example.operation} with {shown} reached the receiver "
                                    f"({len(self.receiver.received)} received in all)")
            return outcome
        outcome.status, outcome.body = 200, found[0]
        if example.response.body is not MISSING:
            outcome.problems.extend(compare(example.response.body, outcome.body, example.differ, example.extra))
        return outcome

    def _match_value(self, match: Match) -> object:
        if match.source is None:
            return match.value
        got = self.outcomes.get(match.source)
        try:
            return paths.get(got.body if got is not None else None, match.source_path)
        except KeyError:
            raise ReplayError(f"no value at {paths.render(match.source_path)} in the answer of "
                              f"{match.source!r}") from None

    def _check(self, example: Example, r: httpx.Response, outcome: Outcome) -> None:
        expected = example.response
        if expected.status is not None and r.status_code != expected.status:
            outcome.problems.append(f"status {r.status_code}, the document shows {expected.status}")
        for name, value in expected.headers.items():
            if r.headers.get(name) != value:
                outcome.problems.append(f"header {name}: {r.headers.get(name)!r}, the document shows {value!r}")
        if expected.body is not MISSING:
            outcome.problems.extend(compare(expected.body, outcome.body, example.differ, example.extra,
                                            exact=example.kind == "error"))
        elif r.status_code >= 500:
            outcome.problems.append(f"status {r.status_code}: a server error")

    async def _journal(self, example: Example, outcome: Outcome) -> None:
        r = await self.client.get("/_sim/requests", params={"provider": self.key, "limit": 1})
        entries = r.json().get("requests") or [] if r.status_code == 200 else []
        if not entries:
            outcome.problems.append("no journal entry")
            return
        entry = entries[-1]
        if entry.get("operation") != example.operation:
            outcome.problems.append(f"journalled as operation {entry.get('operation')!r}, the data says "
                                    f"{example.operation!r}")
        accepted = example.response.status is None or example.response.status < 400
        if example.kind != "error" and accepted and entry.get("violations"):
            outcome.problems.append(f"journalled as a contract violation: {'; '.join(entry['violations'])}")


def _account_headers(account: dict[str, Any], path: str) -> dict[str, str]:
    """The headers of a /_sim/providers account for a provider-relative path: those of the API version serving
    it (`versions`: WidePay's v1 authenticates with the wallet id), else the account's own."""
    for version in (account.get("versions") or {}).values():
        prefix = str(version.get("prefix") or "")
        if prefix and (path.startswith(prefix) or path == prefix.rstrip("/")):
            return dict(version["headers"])
    return dict(account["headers"])


def _json(request: "ReceivedRequest") -> object:
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


def _holds(body: object, wanted: list[tuple[tuple[paths.Token, ...], object]]) -> bool:
    for path, value in wanted:
        try:
            if paths.get(body, path) != value:
                return False
        except KeyError:
            return False
    return True
