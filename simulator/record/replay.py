"""`provider-sim diff`: replay a cassette against a fresh in-process simulator and list the differences.

The simulator runs on a manual clock that starts at the recording's first request and is advanced to each entry's
recorded time before it is replayed, so dates in requests, transitions and webhooks fall as they did. Requests go
over HTTP (an ASGI transport); the simulator's webhooks go to a local receiver, which answers each delivery with the
status the integrator's receiver gave the provider, and are paired with the recorded webhooks in order, per path.
Every http(s) URL a request carries (a webhook URL, a return URL) is pointed at that receiver, keeping its path;
recorded webhooks to a path no request gave were sent to a URL registered out of band, so each simulator account
gets that URL (PUT /_sim/{provider}/accounts/{id}/webhook).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import unquote, urlsplit

import httpx
from starlette.types import Message

from simulator.app import SimulatorApp, build_app
from simulator.record.cassette import Cassette, decode_body, encode_body, form_to_data, headers_dict, media_type, \
    parse_time, read
from simulator.record.facts import ProviderFacts, load_facts
from simulator.record.ids import Accounts, IdMap
from simulator.record.jsondiff import Difference, DifferenceJSON, compare_shapes, compare_texts, shape
from simulator.settings import DEFAULT_SPECS, Settings
from simulator.testing import ReceivedRequest, WebhookReceiver, webhook_receiver

FORMAT = "provider-sim-diff/1"
NOT_REPLAYED = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive",
                          "accept-encoding", "expect", "upgrade", "x-sim-scenario", "te", "trailer"})
SEMANTIC_HEADERS = ("location", "retry-after", "allow", "www-authenticate")
TRANSPORT_X_HEADERS = ("x-forwarded-", "x-real-ip", "x-request-id", "x-amzn-", "x-envoy-", "x-cloud-trace",
                       "x-b3-", "x-datadog-", "x-correlation-id", "x-original-")


class OperationJSON(TypedDict):
    """An operation's entry in the JSON report."""
    operation: str
    method: str
    path: str
    exchanges: int
    differences: list[DifferenceJSON]


class SummaryJSON(TypedDict):
    exchanges: int
    replayed: int
    skipped: int
    webhooks_recorded: int
    webhooks_simulated: int
    operations: int
    operations_with_differences: int
    differences: int


class WebhooksJSON(TypedDict):
    recorded: int
    simulated: int
    differences: list[DifferenceJSON]


class DiffJSON(TypedDict):
    """The JSON report (`provider-sim diff --format json`)."""
    format: str
    cassette: str
    provider: str
    summary: SummaryJSON
    operations: list[OperationJSON]
    webhooks: WebhooksJSON
    skipped: list[dict[str, str]]
    notes: list[str]


@dataclass
class OperationResult:
    operation: str
    method: str
    path: str
    exchanges: int = 0
    differences: list[Difference] = field(default_factory=list)

    def public(self) -> OperationJSON:
        return {"operation": self.operation, "method": self.method, "path": self.path,
                "exchanges": self.exchanges, "differences": [d.public() for d in self.differences]}


@dataclass
class DiffReport:
    cassette: str
    provider: str
    operations: dict[str, OperationResult] = field(default_factory=dict)
    webhooks_recorded: int = 0
    webhooks_simulated: int = 0
    webhook_differences: list[Difference] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def differences(self) -> list[Difference]:
        return [d for op in self.operations.values() for d in op.differences] + self.webhook_differences

    def public(self) -> DiffJSON:
        ops = list(self.operations.values())
        exchanges = sum(o.exchanges for o in ops)
        return {"format": FORMAT, "cassette": self.cassette, "provider": self.provider,
                "summary": {"exchanges": exchanges + len(self.skipped), "replayed": exchanges,
                            "skipped": len(self.skipped), "webhooks_recorded": self.webhooks_recorded,
                            "webhooks_simulated": self.webhooks_simulated, "operations": len(ops),
                            "operations_with_differences": sum(1 for o in ops if o.differences),
                            "differences": len(self.differences)},
                "operations": [o.public() for o in ops],
                "webhooks": {"recorded": self.webhooks_recorded, "simulated": self.webhooks_simulated,
                             "differences": [d.public() for d in self.webhook_differences]},
                "skipped": list(self.skipped), "notes": list(self.notes)}


@dataclass
class _Capture(WebhookReceiver):
    """The simulator's webhook receiver: answers each path's deliveries with the recorded answers, then 200."""
    plans: dict[str, list[int]] = field(default_factory=dict)

    def respond(self, request: ReceivedRequest) -> tuple[int, str, bytes]:
        plan = self.plans.get(request.path)
        return (plan.pop(0) if plan else 200), "application/json", b'{"ok": true}'


@contextlib.asynccontextmanager
async def _shut_down_after(app: SimulatorApp) -> AsyncIterator[None]:
    """The app's lifespan is never started (no background ticker: due work runs only when the replay moves the
    clock, so webhooks arrive deterministically); its shutdown still closes what it opened (the webhook client)."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()
    try:
        yield
    finally:
        task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put))
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


def _content_type_diffs(recorded: dict[str, str], simulated: dict[str, str], where: str) -> list[Difference]:
    out = []
    r_ct, s_ct = recorded.get("content-type"), simulated.get("content-type")
    if (r_ct is None) != (s_ct is None) or (r_ct and s_ct and media_type(r_ct) != media_type(s_ct)):
        out.append(Difference("header", where, "content-type", r_ct, s_ct))
    elif r_ct and s_ct:
        r_cs, s_cs = _charset(r_ct), _charset(s_ct)
        if r_cs and s_cs and r_cs != s_cs:
            out.append(Difference("header", where, "content-type", r_ct, s_ct))
    return out


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset":
            return value.strip('"').lower()
    return None


def _data(encoding: str, body: Any) -> object:
    return form_to_data(body) if encoding == "form" else body


class Replayer:
    def __init__(self, cassette: Cassette, facts: ProviderFacts, settle: float = 0.0, seed: int = 0,
                 specs_dir: Path | None = None) -> None:
        self.cassette = cassette
        self.facts = facts
        self.settle = settle
        self.seed = seed
        self.specs_dir = specs_dir or DEFAULT_SPECS
        self.ids = IdMap(facts)
        self.report = DiffReport(str(cassette.folder), cassette.provider)
        self._recorded_hooks: list[dict[str, Any]] = []
        self._seen_deliveries = 0
        self._sim_hooks: list[ReceivedRequest] = []
        self.receiver_url = ""

    # --- the run --------------------------------------------------------------------------------------------

    async def run(self) -> DiffReport:
        entries = self.cassette.entries
        times = [parse_time(str(e["at"])) for e in entries]
        start = min(times) if times else 0.0
        app = build_app(Settings(clock="manual", start_time=start, seed=self.seed, providers=[self.facts.key],
                                 specs_dir=self.specs_dir))
        capture = _Capture(plans=self._plans())
        with webhook_receiver(capture) as receiver:
            self.receiver_url = receiver.url
            async with _shut_down_after(app), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                         base_url="http://127.0.0.1") as client:
                accounts = await self._accounts(client)
                now = start
                for entry, at in zip(entries, times):
                    if at > now or entry["kind"] == "webhook":
                        await self._advance(client, max(at - now, 0.0))  # runs what fell due, webhooks too
                        now = max(now, at)
                        self._pair(receiver)
                    if entry["kind"] == "exchange":
                        await self._exchange(client, accounts, entry)
                    else:
                        self._recorded_hooks.append(entry)
                        self.report.webhooks_recorded += 1
                        self._pair(receiver)
                await self._advance(client, self.settle)  # what fell due at the last entry, and the settling
                self._pair(receiver)
        for entry in self._recorded_hooks:
            self.report.webhook_differences.append(Difference(
                "webhook_missing", "webhook", unquote(str(entry["request"]["path"])),
                f"{entry['request']['method']} {entry['request']['path']}", None, str(entry["file"]), "webhooks"))
        for delivery in self._sim_hooks:
            self.report.webhook_differences.append(Difference(
                "webhook_extra", "webhook", delivery.path, None, f"{delivery.method} {delivery.path}", "",
                "webhooks"))
        return self.report

    def _plans(self) -> dict[str, list[int]]:
        plans: dict[str, list[int]] = {}
        for entry in self.cassette.webhooks:
            resp = entry.get("response")
            path = urlsplit(str(entry["request"]["path"])).path
            plans.setdefault(path, []).append(int(resp["status"]) if resp else 502)
        return plans

    async def _accounts(self, client: httpx.AsyncClient) -> Accounts:
        described = (await client.get("/_sim/providers")).json()
        entry = next(p for p in described["providers"] if p["key"] == self.facts.key)
        accounts = Accounts(self.facts, list(entry.get("accounts") or []), self.cassette.exchanges)
        self.report.notes.extend(accounts.notes)
        unexplained = [p for p in self._hook_paths() if p not in self._request_url_paths()]
        if unexplained:  # webhooks to a URL no request gave: the account registered it out of band
            for account in entry.get("accounts") or []:
                await client.put(f"/_sim/{self.facts.key}/accounts/{account['id']}/webhook",
                                 json={"url": self.receiver_url + unexplained[0]})
        return accounts

    def _hook_paths(self) -> list[str]:
        return list(dict.fromkeys(urlsplit(str(e["request"]["path"])).path for e in self.cassette.webhooks))

    def _request_url_paths(self) -> set[str]:
        """The paths of every http(s) URL the recorded requests carry (webhook URLs among them)."""
        found: set[str] = set()

        def walk(value: object) -> None:
            if isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, str) and value.startswith(("http://", "https://")):
                found.add(urlsplit(value).path or "/")
        for entry in self.cassette.exchanges:
            req = entry["request"]
            walk(req.get("body"))
            walk(req.get("query"))
        return found

    async def _advance(self, client: httpx.AsyncClient, seconds: float) -> None:
        r = await client.post("/_sim/clock/advance", json={"seconds": seconds})
        if r.status_code != 200:
            self.report.notes.append(f"the clock could not advance {seconds:.3f} s: {r.text}")

    # --- exchanges ------------------------------------------------------------------------------------------

    def _group(self, entry: dict[str, Any]) -> OperationResult:
        req = entry["request"]
        hit = self.facts.match(str(req["method"]), unquote(str(req["path"])))
        if hit is not None:
            op = hit[0]
            key, method, path = op.id, op.method, op.template
        else:
            key, method, path = f"unmatched {req['method']} {req['path']}", str(req["method"]), str(req["path"])
        if key not in self.report.operations:
            self.report.operations[key] = OperationResult(key, method, path)
        return self.report.operations[key]

    def _urls(self, value: object) -> object:
        """http(s) URLs pointed at the local receiver (same path and query)."""
        if isinstance(value, dict):
            return {k: self._urls(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._urls(v) for v in value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            parts = urlsplit(value)
            return self.receiver_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return value

    async def _exchange(self, client: httpx.AsyncClient, accounts: Accounts, entry: dict[str, Any]) -> None:
        req, resp = entry["request"], entry.get("response")
        if resp is None:
            error = entry.get("error") or {}
            self.report.skipped.append({"exchange": str(entry["file"]),
                                        "reason": f"the upstream gave no answer ({error.get('kind', 'error')})"})
            return
        group = self._group(entry)
        group.exchanges += 1
        method = str(req["method"])
        hit = self.facts.match(method, unquote(str(req["path"])))
        account = accounts.account_for(entry)
        path = self.ids.path(str(req["path"]), hit[1] if hit else None, account)
        query: list[tuple[str, str | int | float | bool | None]] = [
            (str(k), str(self._urls(self.ids.leaf(v, k)))) for k, v in req.get("query") or []]
        headers = {k: v for k, v in (req.get("headers") or {}).items() if k.lower() not in NOT_REPLAYED}
        encoding, body = str(req.get("body_encoding")), req.get("body")
        if encoding == "json":
            body = self._urls(self.ids.data(body))
        elif encoding == "form":
            body = [[k, self._urls(v)] for k, v in self.ids.form(body)]
        headers, body = accounts.apply(entry, headers, encoding, body)
        r = await client.request(method, f"/{self.facts.key}{path}", params=query, headers=headers,
                                 content=decode_body(encoding, body) or None)
        sim_headers = headers_dict(list(r.headers.multi_items()))
        s_enc, s_body = encode_body(r.content, sim_headers.get("content-type", ""))
        r_enc, r_body = str(resp.get("body_encoding")), resp.get("body")
        if r_enc == s_enc == "json":
            self.ids.learn(r_body, s_body)
        diffs = self._compare(entry, resp, r.status_code, sim_headers, s_enc, s_body, "response")
        for d in diffs:
            d.exchange, d.operation = str(entry["file"]), group.operation
        group.differences.extend(diffs)

    def _compare(self, entry: dict[str, Any], resp: dict[str, Any], status: int, sim_headers: dict[str, str],
                 s_enc: str, s_body: object, where: str) -> list[Difference]:
        out: list[Difference] = []
        r_status = int(resp["status"])
        if r_status != status:
            out.append(Difference("status", f"{where}.status", "", r_status, status))
        rec_headers = {k.lower(): v for k, v in (resp.get("headers") or {}).items()}
        out.extend(_content_type_diffs(rec_headers, sim_headers, f"{where}.headers"))
        for name in SEMANTIC_HEADERS:
            if (name in rec_headers) != (name in sim_headers):
                out.append(Difference("header", f"{where}.headers", name, rec_headers.get(name),
                                      sim_headers.get(name)))
        out.extend(self._bodies(entry, str(resp.get("body_encoding")), resp.get("body"), r_status, s_enc, s_body,
                                status, f"{where}.body", "response.body"))
        return out

    def _bodies(self, entry: dict[str, Any], r_enc: str, r_body: object, r_status: int, s_enc: str, s_body: object,
                s_status: int, where: str, redacted_part: str) -> list[Difference]:
        structured = ("json", "form")
        if r_enc != s_enc and not (r_enc in structured and s_enc in structured):
            return [Difference("body", where, "", r_enc, s_enc)]
        if r_enc not in structured:
            return []
        rec, sim = _data(r_enc, r_body), _data(s_enc, s_body)
        out = compare_shapes(shape(rec), shape(sim), where=where)
        if self.facts.is_error_answer(r_status, rec) and self.facts.is_error_answer(s_status, sim):
            skip = frozenset((entry.get("redacted") or {}).get(redacted_part) or [])
            out.extend(compare_texts(rec, sim, where=where, mapped=self.ids.text, skip=skip))
        return out

    # --- webhooks -------------------------------------------------------------------------------------------

    def _pair(self, receiver: WebhookReceiver) -> None:
        """Pair the recorded webhooks with the simulator's deliveries, in order per path, and compare them."""
        arrived = receiver.received[self._seen_deliveries:]
        self._seen_deliveries += len(arrived)
        self._sim_hooks.extend(arrived)
        self.report.webhooks_simulated += len(arrived)
        for entry in list(self._recorded_hooks):
            path = urlsplit(str(entry["request"]["path"])).path
            match = next((d for d in self._sim_hooks if d.path == path), None)
            if match is None:
                continue
            self._recorded_hooks.remove(entry)
            self._sim_hooks.remove(match)
            self.report.webhook_differences.extend(self._compare_webhook(entry, match))

    def _compare_webhook(self, entry: dict[str, Any], delivery: ReceivedRequest) -> list[Difference]:
        req = entry["request"]
        rec_headers = {k.lower(): v for k, v in (req.get("headers") or {}).items()}
        sim_headers = dict(delivery.headers)
        out = _content_type_diffs(rec_headers, sim_headers, "webhook.headers")
        if str(req["method"]).upper() != delivery.method.upper():
            out.append(Difference("header", "webhook", "method", req["method"], delivery.method))

        def named(headers: dict[str, str]) -> set[str]:
            return {h for h in headers if h.startswith("x-") and not h.startswith(TRANSPORT_X_HEADERS)}
        for name in sorted(named(rec_headers) - named(sim_headers)):
            out.append(Difference("header", "webhook.headers", name, rec_headers[name], None))
        for name in sorted(named(sim_headers) - named(rec_headers)):
            out.append(Difference("header", "webhook.headers", name, None, sim_headers[name]))
        event = self.facts.event_header
        if event and event in rec_headers and event in sim_headers and rec_headers[event] != sim_headers[event]:
            out.append(Difference("text", "webhook.headers", event, rec_headers[event], sim_headers[event]))
        s_enc, s_body = encode_body(delivery.body, sim_headers.get("content-type", ""))
        r_enc, r_body = str(req.get("body_encoding")), req.get("body")
        if r_enc in ("json", "form") and s_enc in ("json", "form"):
            self.ids.learn(_data(r_enc, r_body), _data(s_enc, s_body))
        out.extend(self._bodies(entry, r_enc, r_body, 200, s_enc, s_body, 200, "webhook.body", "request.body"))
        for d in out:
            d.exchange, d.operation = str(entry["file"]), "webhooks"
        return out


def run(folder: Path, *, settle: float = 0.0, seed: int = 0, specs_dir: Path | None = None) -> DiffReport:
    """Replay the cassette in `folder` and return the differences (raises CassetteError, UnknownProvider)."""
    cassette = read(folder)
    facts = load_facts(cassette.provider, specs_dir)
    return asyncio.run(Replayer(cassette, facts, settle, seed, specs_dir).run())
