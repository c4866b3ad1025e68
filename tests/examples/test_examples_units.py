"""The examples machinery on its own: paths, comparison, the data loader, request building and coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.examples import ExampleError, load_all, load_set
from simulator.examples.compare import compare
from simulator.examples.coverage import coverage, key_paths
from simulator.examples.model import Rule, parse_set
from simulator.examples.paths import PathError, covers, parse, render
from simulator.examples.replay import Replayer
from simulator.settings import Settings


def rules(**paths: Any) -> list[Rule]:
    out = []
    for path, spec in paths.items():
        spec = spec if isinstance(spec, dict) else {}
        out.append(Rule(parse(path.replace("_", ".")), "test", tuple(spec.get("type", ())), spec.get("pattern"),
                        tuple(spec.get("nullable", ()))))
    return out


def test_paths_parse_render_and_cover() -> None:
    assert parse("$.data.items[*].id") == ("data", "items", "*", "id")
    assert parse("$['a b'][0]") == ("a b", 0)
    assert render(parse("$..payer.gender")) == "$..payer.gender"
    assert covers(parse("$.data"), ("data", "payer", "id"))
    assert covers(parse("$..payer.gender"), ("data", 0, "payment", "payer", "gender"))
    assert not covers(parse("$..payer.gender"), ("data", "payer", "name"))
    assert covers(parse("$[*].id"), (3, "id")) and not covers(parse("$[*].id"), ("id",))
    with pytest.raises(PathError):
        parse("data.id")


def test_shape_keys_types_and_values() -> None:
    doc = {"data": {"id": 1, "name": "Foo", "tags": ["a"], "when": None}}
    assert compare(doc, {"data": {"id": 1, "name": "Foo", "tags": ["a", "b"], "when": None}}, [], []) == [
        "$.data.tags: 2 item(s), the document shows 1"]
    problems = compare(doc, {"data": {"id": "1", "name": "Bar", "tags": [], "extra": 1}}, [], [])
    assert "$.data: missing key(s) ['when']" in problems
    assert "$.data: key(s) the document does not show ['extra']" in problems
    assert any(p.startswith("$.data.id: string") for p in problems)
    assert '$.data.name: "Bar", the document shows "Foo"' in problems
    assert "$.data.tags: no item to check against the document's" in problems


def test_differ_rules_relax_values_types_nulls_and_shapes() -> None:
    doc = {"id": 7, "ref": "CP1", "code": 1234, "when": "2020-01-01", "customer": {"name": "A"}}
    got = {"id": 9, "ref": "CP2", "code": "x", "when": None, "customer": {"other": True}}
    differ = rules(**{"$_id": "x", "$_ref": {"pattern": r"CP\d"}, "$_code": {"type": ["string"]},
                      "$_when": {"nullable": ["string"]}, "$_customer": {"type": ["any"]}})
    assert compare(doc, got, differ, []) == []
    assert compare(doc, dict(got, ref="XX"), differ, []) == ['$.ref: "XX" does not have the documented form CP\\d']
    assert compare({"when": None}, {"when": 5}, differ, []) != []  # nullable admits only the listed types


def test_exact_comparison_keeps_the_key_order() -> None:
    doc = {"errors": {"msisdn": ["a"], "amount": ["b"]}}
    assert compare(doc, {"errors": {"amount": ["b"], "msisdn": ["a"]}}, [], [], exact=True) == [
        "$.errors: keys in the order ['amount', 'msisdn'], the document has ['msisdn', 'amount']"]


def test_extra_rules_admit_keys_the_document_does_not_show() -> None:
    assert compare({"data": []}, {"data": [], "links": {}}, [], rules(**{"$_links": "x"})) == []


def _set(**example: Any) -> dict[str, Any]:
    base = {"id": "a", "section": "s", "operation": "op", "request": {"method": "GET", "path": "/x"}}
    base.update(example)
    return {"provider": "p", "seed": "s.txt", "era": "2020-01-01T00:00:00Z", "examples": [base]}


@pytest.mark.parametrize(("change", "message"), [
    ({"colour": 1}, "unknown key(s) ['colour']"),
    ({"kind": "success"}, "`kind` is one of"),
    ({"replace": {"1": "nope:$.id"}}, "refers to 'nope', not an earlier example"),
    ({"differ": {"data.id": "x"}}, "a path starts with '$'"),
    ({"differ": {"$.id": {"why": "x", "type": "integer"}}}, "unknown JSON type(s) ['integer']"),
    ({"request": {"method": "GET", "path": "x"}}, "provider-relative"),
])
def test_bad_data_is_a_clear_load_error(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ExampleError) as err:
        parse_set(_set(**change), "specs/p/examples.yaml")
    assert message in str(err.value) and "specs/p/examples.yaml" in str(err.value)


def test_the_shipped_examples_load_and_name_real_operations() -> None:
    """A request example names an operation of the spec; a webhook example an event the provider declares."""
    from simulator.engine.provider import load_provider
    from simulator.spec.loader import provider_folders, read_openapi
    folders = provider_folders(Settings().specs_dir)
    specs = {key: {op.id for op in read_openapi(folder).operations} for key, folder in folders.items()}
    events = {key: {e for decl in load_provider(folder, key)[0].lifecycles.values() for e in decl.events.values()}
              for key, folder in folders.items()}
    sets = load_all(Settings().specs_dir)
    assert {s.provider for s in sets} == set(specs)
    for s in sets:
        unknown = [e.id for e in s.examples if e.operation not in (events if e.kind == "webhook" else specs)[
            s.provider]]
        assert not unknown, f"{s.provider}: examples name unknown operations or events {unknown}"
    hooks = {s.provider: len([e for e in s.examples if e.kind == "webhook"]) for s in sets}
    assert hooks["webpag"] == 2 and hooks["ideagateway"] == 4  # "Retorno do Webhook" (card, boleto); W1-W4


WEBHOOK = {"id": "w", "section": "s", "operation": "paid", "kind": "webhook",
           "webhook": {"match": {"$.id": {"from": "a:$.id"}, "$.status": "paid"}},
           "response": {"body": {"id": 1, "status": "paid", "amount": 5}}, "differ": {"$.id": "generated"}}


@pytest.mark.parametrize(("change", "message"), [
    ({"request": {"method": "GET", "path": "/x"}}, "a webhook example sends no request"),
    ({"webhook": None}, "says which delivery it is"),
    ({"webhook": {"match": {"$.id": {"from": "zz:$.id"}}}}, "`from` names an earlier example"),
    ({"webhook": {"match": {}}}, "`match` maps JSON paths"),
])
def test_bad_webhook_examples_are_clear_load_errors(change: dict[str, Any], message: str) -> None:
    data = _set()
    data["receiver"] = "account_webhook"
    data["examples"].append({k: v for k, v in {**WEBHOOK, **change}.items() if v is not None})
    with pytest.raises(ExampleError, match="examples.yaml") as err:
        parse_set(data, "specs/p/examples.yaml")
    assert message in str(err.value)
    data = _set()
    data["examples"].append(WEBHOOK)
    with pytest.raises(ExampleError, match="need `receiver`"):
        parse_set(data, "specs/p/examples.yaml")


async def test_a_webhook_example_is_the_newest_matching_body_at_the_receiver() -> None:
    from simulator.testing import WebhookReceiver
    receiver = WebhookReceiver()
    receiver.url = "http://receiver.test"
    data = _set(request={"method": "POST", "path": "/things"})
    data["receiver"] = "account_webhook"
    data["examples"].append(WEBHOOK)
    data["examples"].append(dict(WEBHOOK, id="w2", response={"body": {"id": 1, "status": "paid", "amount": "5"}}))
    echo = _Echo()

    async def deliver() -> None:  # what the simulator would have sent: another record's, then this one's twice
        from simulator.testing import ReceivedRequest
        for body in ({"id": 41, "status": "paid", "amount": "9"}, {"id": 42, "status": "paid", "amount": 5},
                     {"id": 42, "status": "pending", "amount": "5"}):
            receiver.received.append(ReceivedRequest("POST", "/", "", {}, json.dumps(body).encode()))

    await deliver()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=echo), base_url="http://t") as client:
        outcomes = {o.example.id: o for o in await Replayer(client, parse_set(data, "x"), "replaced",
                                                             receiver).run()}
    assert outcomes["w"].ok, outcomes["w"].report()
    assert outcomes["w"].body == {"id": 42, "status": "paid", "amount": 5}
    assert outcomes["w2"].problems == ['$.amount: number 5, the document shows string "5"']
    assert [s["path"] for s in echo.seen][:2] == ["/_sim/p/accounts/acme/webhook", "/p/things"]


def test_coverage_counts_the_delivered_webhooks_of_an_example() -> None:
    data = _set()
    data["receiver"] = "account_webhook"
    data["examples"].append(WEBHOOK)
    examples = parse_set(data, "x")
    deliveries = [{"id": 1, "provider": "p", "event": "paid", "state": "delivered", "body": {"status": "paid"}},
                  {"id": 2, "provider": "p", "event": "paid", "state": "failed", "body": {"status": "paid"}},
                  {"id": 3, "provider": "p", "event": "paid", "state": "delivered", "body": {"status": "pending"}},
                  {"id": 4, "provider": "q", "event": "paid", "state": "delivered", "body": {"status": "paid"}}]
    rows = {r["id"]: r for r in coverage(examples, [], deliveries)["examples"]}
    assert rows["w"]["matched"] == 1 and rows["w"]["requests"] == ["webhook 1"]


class _Echo:
    """An ASGI app that answers the simulator's control calls and echoes every other request."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        if path == "/_sim/providers":
            answer: Any = {"providers": [{"key": "p", "accounts": [{"id": "acme",
                                                                     "headers": {"Authorization": "Bearer real"}}]}]}
        elif path == "/_sim/requests":
            answer = {"requests": [{"operation": "op", "violations": []}]}
        else:
            self.seen.append({"path": path, "query": scope["query_string"].decode(), "headers": headers,
                              "body": body.decode()})
            answer = {"id": 42, "code": "R-9"}
        raw = json.dumps(answer).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": raw})


async def test_replay_swaps_credentials_and_the_ids_an_earlier_answer_gave() -> None:
    data = _set(request={"method": "POST", "path": "/things", "headers": {"Authorization": "Bearer {KEY}"},
                         "json": {"n": 1}})
    data["credentials"] = {"Authorization": "Bearer {KEY}"}
    data["examples"].append({"id": "b", "section": "s", "operation": "op",
                             "replace": {"15": "a:$.id", "json:$.other": "a:$.code", "query:page": "a:$.id"},
                             "request": {"method": "PUT", "path": "/things/15/v15", "query": {"page": "1", "x": "15"},
                                         "headers": {"Authorization": "Bearer {KEY}"},
                                         "json": {"id": 15, "code": "15", "other": None}}})
    data["examples"].append({"id": "c", "section": "s", "operation": "op", "credentials": "as_written",
                             "request": {"method": "POST", "path": "/f", "headers": {"Authorization": "Bearer {KEY}"},
                                         "form": {"itens[0][valor]": "10.50"}}})
    echo = _Echo()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=echo), base_url="http://t") as client:
        outcomes = await Replayer(client, parse_set(data, "x"), "replaced").run()
    assert all(o.ok for o in outcomes), [o.report() for o in outcomes]
    first, second, third = echo.seen
    assert first["headers"]["authorization"] == "Bearer real" and first["path"] == "/p/things"
    assert second["path"] == "/p/things/42/v15", "a literal stands for a whole path segment only"
    assert second["query"] == "page=42&x=42"
    # a JSON value is swapped when it has the literal's type: the text "15" replaces "15", not the number 15
    assert json.loads(second["body"]) == {"id": 15, "code": "42", "other": "R-9"}
    assert third["headers"]["authorization"] == "Bearer {KEY}"
    assert third["body"] == "itens%5B0%5D%5Bvalor%5D=10.50"
    assert third["headers"]["content-type"] == "application/x-www-form-urlencoded"


def test_coverage_matches_operation_status_and_fields_sent(tmp_path: Path) -> None:
    data = _set(request={"method": "POST", "path": "/x", "query": {"page": "1"},
                         "form": {"cliente[nome]": "A", "itens[0][valor]": "1"}}, response={"status": 200})
    file = tmp_path / "examples.yaml"
    file.write_text(json.dumps(data))
    examples = load_set(file)
    assert key_paths({"a": {"b": [{"c": 1}]}}, ["q"]) == {"a", "a.b", "a.b[].c", "?q"}
    entry = {"id": 1, "provider": "p", "operation": "op", "status": 200, "query": "page=2&x=1",
             "body": {"cliente": {"nome": "B", "cpf": "1"}, "itens": [{"valor": "5"}]}}
    others = [dict(entry, id=2, status=400), dict(entry, id=3, body={"cliente": {"nome": "B"}}),
              dict(entry, id=4, operation="other"), dict(entry, id=5, provider="q")]
    result = coverage(examples, [entry, *others])
    assert result["matched"] == 1 and result["examples"][0]["requests"] == [1]
