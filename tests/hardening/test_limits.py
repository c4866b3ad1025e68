"""Every case of the hardening issue, over HTTP: each answers a 4xx in its owner's shape and leaves the simulator
working (the journal, coverage and the clock answer afterwards)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from conftest import START, account_headers
from fuzzing import is_standard_json
from simulator.app import build_app
from simulator.limits import Limits
from simulator.settings import Settings

CLICPAY_MM = "/clicpay/api/v2/wallets/144365/c2b/mpesa"
CLICPAY_CARD = "/clicpay/api/v2/wallets/144365/card-payment"
JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
CPF = "52998224725"


def strict_json(raw: bytes) -> object:
    """The body as RFC 8259 JSON: UTF-8, no NaN or Infinity, no lone surrogate in any string."""
    assert is_standard_json(raw), raw[:200]
    return json.loads(raw)


async def assert_still_answers(client: httpx.AsyncClient) -> None:
    for path in ("/_sim/requests", "/_sim/coverage", "/_sim/webhooks", "/_sim/clock", "/_sim/health"):
        r = await client.get(path)
        assert r.status_code == 200, (path, r.text[:200])
        strict_json(r.content)


# --- poisoning: NaN, Infinity, lone surrogates -----------------------------------------------------------

@pytest.mark.parametrize("body", [b'{"msisdn": NaN}', b'{"amount": Infinity}', b'{"x": "\\ud800"}', b"-Infinity",
                                  b'{"a": "\\udc00\\ud800", "b": 1e999}'])
async def test_non_standard_json_never_poisons_the_journal(client, app, body):
    r = await client.post(CLICPAY_MM, content=body, headers=JSON)  # unauthenticated, as in the report
    assert r.status_code == 401
    r = await client.post(CLICPAY_MM, content=body, headers={**JSON, **account_headers(app, "clicpay")})
    assert 400 <= r.status_code < 500
    strict_json(r.content)
    await assert_still_answers(client)
    [*_, last] = (await client.get("/_sim/requests")).json()["requests"]
    assert any("body" in v for v in last["violations"])


async def test_a_non_finite_amount_is_a_validation_error(client, app):
    h = {**JSON, **account_headers(app, "clicpay")}
    r = await client.post(CLICPAY_CARD, content=b'{"amount": 1e309, "reference_description": "abc"}', headers=h)
    assert r.status_code == 422 and set(r.json()["errors"]) == {"amount"}
    r = await client.post(CLICPAY_MM, content=b'{"msisdn": "841234567", "amount": 1e309, '
                                               b'"reference_description": "abc"}', headers=h)
    assert r.status_code == 400 and "amount" in r.json()["errors"]
    assert (await client.get("/_sim/requests")).status_code == 200


async def test_lone_surrogates_reach_no_store(client, app):
    """Idea Gateway (Node) keeps the text with U+FFFD; the PHP providers refuse the body as json_decode does."""
    h = {**JSON, **account_headers(app, "ideagateway")}
    body = b'{"amount": 1000, "description": "caf\\ud800", "expire": 3600}'
    r = await client.post("/ideagateway/pix", content=body, headers=h)
    assert r.status_code < 500
    strict_json(r.content)
    await assert_still_answers(client)


# --- parsers ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CLICPAY_MM, "/webpag/api/payers/register", "/widepay/api/transacoes/gerar",
                                  "/smartclick/api/v1/carteiras/criar", "/ideagateway/pix"])
async def test_json_nested_10000_deep_is_a_4xx_on_every_provider(client, app, path):
    key = path.split("/")[1]
    h = {**JSON, **account_headers(app, key)}
    r = await client.post(path, content=b"[" * 10_000 + b"]" * 10_000, headers=h)
    assert r.status_code < 500 and (r.status_code >= 400 or r.json().get("success") is False)
    strict_json(r.content)
    [entry] = (await client.get("/_sim/requests", params={"limit": "1"})).json()["requests"]
    assert any("deeper than" in v for v in entry["violations"])


async def test_php_brackets_parse_in_linear_time_before_auth(client):
    body = b"&".join([b"a[]=1"] * 40_000)
    started = time.perf_counter()
    r = await client.post("/widepay/api/transacoes/gerar", content=body, headers=FORM)
    assert time.perf_counter() - started < 1.0  # 151 s before; the parse itself takes milliseconds
    assert r.status_code == 200 and r.json()["success"] is False
    [entry] = (await client.get("/_sim/requests", params={"limit": "1"})).json()["requests"]
    assert any("max_input_vars" in v for v in entry["violations"])


async def test_deep_php_brackets_on_widepay_drop_the_field(client, app):
    h = {**FORM, **account_headers(app, "widepay")}
    r = await client.post("/widepay/api/transacoes/gerar", content=b"a" + b"[b]" * 10_000 + b"=1", headers=h)
    assert r.status_code == 200 and r.json()["success"] is False  # WidePay's own error shape
    [entry] = (await client.get("/_sim/requests", params={"limit": "1"})).json()["requests"]
    assert entry["body"] == {} and any("max_input_nesting_level" in v for v in entry["violations"])


async def test_a_10kb_path_segment_is_refused_in_smartclicks_shape(client, app):
    h = account_headers(app, "smartclick")
    r = await client.delete("/smartclick/api/v1/carteiras/delete/" + "1" * 10_000, headers=h)
    assert (r.status_code, r.json()) == (414, {"message": ""})
    r = await client.delete("/smartclick/api/v1/carteiras/delete/" + "1" * 4_400, headers=h)
    assert (r.status_code, r.json()) == (404, {"message": ""})
    r = await client.get("/smartclick/api/v1/carteiras/\u00b2", headers=h)
    assert r.status_code == 404


async def test_bodies_over_the_limit_are_refused_unread():
    app = build_app(Settings(clock="manual", start_time=START, limits=Limits(max_body_bytes=1000)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        r = await client.post(CLICPAY_MM, content=b"x" * 1001, headers=JSON)
        assert (r.status_code, r.json()) == (413, {"message": "Payload Too Large"})
        r = await client.post("/widepay/api/transacoes/gerar", content=b"a=" + b"x" * 2000, headers=FORM)
        assert r.status_code == 200 and r.json()["error"] == "Requisição muito grande."


async def test_headers_over_the_limit_get_431_in_the_providers_shape(client):
    r = await client.get("/clicpay/api/user", headers={"x-big": "b" * 70_000})
    assert (r.status_code, r.json()) == (431, {"message": "Request Header Fields Too Large"})
    many = {f"x-h{i}": "1" for i in range(101)}
    assert (await client.get("/ideagateway/account", headers=many)).status_code == 431


# --- the journal -------------------------------------------------------------------------------------------

async def test_the_journal_cuts_large_bodies_and_stays_within_its_bytes():
    limits = Limits(journal_bytes=200_000, journal_entry_bytes=10_000)
    app = build_app(Settings(clock="manual", start_time=START, limits=limits))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        big = b'{"pad": "' + b"x" * 900_000 + b'"}'
        for _ in range(30):
            assert (await client.post(CLICPAY_MM, content=big, headers=JSON)).status_code == 401
        assert app.sim.journal.held_bytes <= 200_000
        entries = (await client.get("/_sim/requests")).json()["requests"]
        assert 30 > len(entries) > 5
        last = entries[-1]
        assert last["truncated"] == ["body"] and last["body"].endswith("900011 bytes in all]")
        assert len(last["body"]) < 10_100


# --- the clock -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b'{"seconds": 1e12}', b'{"seconds": 1e308}', b'{"seconds": Infinity}',
                                 b'{"seconds": NaN}', b'{"seconds": -1}', b'{"seconds": "5"}', b'{"seconds": true}',
                                 b'{"seconds": 1' + b"0" * 5000 + b"}", b"[5]", b'{"seconds": 1e999}'])
async def test_advance_takes_only_finite_seconds_within_the_horizon(client, raw):
    before = (await client.get("/_sim/clock")).json()
    r = await client.post("/_sim/clock/advance", content=raw, headers=JSON)
    assert r.status_code == 400 and "error" in r.json()
    assert (await client.get("/_sim/clock")).json() == before
    assert (await client.post("/_sim/clock/advance", json={"seconds": 5})).status_code == 200


async def test_an_advance_past_the_jobs_bound_stops_with_a_4xx():
    app = build_app(Settings(clock="manual", start_time=START, limits=Limits(max_jobs_per_advance=50)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.test") as client:
        h = account_headers(app, "clicpay")
        for _ in range(60):
            await client.post(CLICPAY_MM, headers=h, json={"msisdn": "841234567", "amount": 10,
                                                            "reference_description": "abc"})
        r = await client.post("/_sim/clock/advance", json={"seconds": 60})
        assert r.status_code == 422 and "50 jobs" in r.json()["error"]
        assert (await client.get("/_sim/health")).status_code == 200
        assert (await client.post("/_sim/clock/advance", json={"seconds": 60})).status_code == 200


async def test_a_monthly_recurrence_and_the_longest_advance_finish(client, app):
    h = account_headers(app, "webpag")
    payer = (await client.post("/webpag/api/payers/register", headers=h, json={
        "first_name": "João", "last_name": "Silva", "is_business": False, "cpf_cnpj": CPF,
        "email": "joao@example.com", "phone_number": "41999998888"})).json()["data"]
    saved = (await client.post(f"/webpag/api/payers/{payer['id']}/creditcard", headers=h, json={
        "number": "4111111111111111", "name": "João da Silva", "expiration_month": "12", "expiration_year": "2030",
        "security_code": "123"})).json()["data"]
    body = {"payer_id": payer["id"], "name": "Plano Mensal", "frequency": "monthly", "card_payer_id": saved["id"],
            "start_date": "2026-01-05 00:00", "amount": 9988}
    assert (await client.post("/webpag/api/payments/recurrency/register", headers=h, json=body)).status_code == 200
    started = time.perf_counter()
    r = await client.post("/_sim/clock/advance", json={"seconds": Limits().clock_horizon_seconds})
    assert r.status_code == 200 and time.perf_counter() - started < 30
    r = await client.get("/webpag/api/payments", headers=h, params={"per_page": "1"})
    assert r.status_code == 200


# --- scenarios ------------------------------------------------------------------------------------------------

YAML = {"content-type": "application/yaml"}


@pytest.mark.parametrize("text", ["[" * 30_000, "{" * 1_000, "- " * 2_000 + "x", "a:\n" + "".join(
    "  " * i + "b:\n" for i in range(1, 200))])
async def test_deep_scenarios_are_refused_before_parsing(client, text):
    r = await client.post("/_sim/scenarios", content=text.encode(), headers=YAML)
    assert r.status_code == 400 and "deeper than" in r.json()["error"]
    assert (await client.get("/_sim/health")).status_code == 200


async def test_alias_bombs_are_refused(client):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "name: bomb\nprovider: clicpay\nrules:\n  - match: {body: {x: 1}}\n    respond: {status: 200, body: {z: *i}}\n"
    started = time.perf_counter()
    r = await client.post("/_sim/scenarios", content=("\n".join(bomb) + "\n" + text).encode(), headers=YAML)
    assert r.status_code == 400 and "aliases" in r.json()["error"]
    assert time.perf_counter() - started < 1
    few = "x: &x [1, 2, 3]\n" + "name: fine\nprovider: clicpay\nrules:\n  - respond: {status: 200, body: {a: *x, b: *x}}\n"
    assert (await client.post("/_sim/scenarios", content=few.encode(), headers=YAML)).status_code == 400  # `x`
    bomb_small = "\n".join(bomb[:6]) + "\n"  # 45 aliases standing for 9**6 values
    r = await client.post("/_sim/scenarios", content=(bomb_small + text.replace("*i", "*f")).encode(), headers=YAML)
    assert r.status_code == 400 and "values once its aliases" in r.json()["error"]


async def test_scenario_uploads_are_bounded(client):
    r = await client.post("/_sim/scenarios", content=b"#" * 300_000, headers=YAML)
    assert r.status_code == 413
    r = await client.post("/_sim/scenarios", content=b"name: x", headers={"content-type": "text/plain"})
    assert r.status_code == 415


async def test_regex_matchers_cannot_hang(client, app):
    text = ("name: redos\nprovider: clicpay\nrules:\n  - match: {body: {reference_description: {regex: '(a+)+b'}}}\n"
            "    respond: {status: 418, body: {}}\n")
    assert (await client.post("/_sim/scenarios", content=text.encode(), headers=YAML)).status_code == 201
    h = {**account_headers(app, "clicpay")}
    started = time.perf_counter()
    r = await client.post(CLICPAY_MM, headers=h, json={"msisdn": "841234567", "amount": 10,
                                                       "reference_description": "a" * 100_000 + "c"})
    assert time.perf_counter() - started < 1 and r.status_code != 418
    r = await client.post(CLICPAY_MM, headers=h, json={"msisdn": "841234567", "amount": 10,
                                                       "reference_description": "aaab"})
    assert r.status_code == 418
    backref = text.replace("(a+)+b", "(a)\\1").replace("name: redos", "name: backref")
    r = await client.post("/_sim/scenarios", content=backref.encode(), headers=YAML)
    assert r.status_code == 400 and "RE2" in r.json()["error"]


# --- control inputs --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [
    ("GET", "/_sim/requests?limit=\u00b9\u00b2"), ("GET", "/_sim/requests?limit=" + "9" * 5000),
    ("GET", "/_sim/requests?limit=-1"), ("POST", "/_sim/webhooks/\u00b2/resend"),
    ("POST", "/_sim/webhooks/" + "9" * 5000 + "/resend"), ("GET", "/_sim/coverage?provider=\u00b2"),
])
async def test_control_inputs_are_4xx(client, method, path):
    r = await client.request(method, path)
    assert 400 <= r.status_code < 500 and "error" in r.json()


@pytest.mark.parametrize("body", [b"[1,", b"[1]", b'"x"', b"NaN", b"[" * 5000, b'{"message": "\\ud800"}',
                                  b"\xff\xfe"])
async def test_malformed_force_bodies_are_400(client, app, body):
    h = account_headers(app, "clicpay")
    tx = (await client.post(CLICPAY_MM, headers=h, json={"msisdn": "841234567", "amount": 10,
                                                           "reference_description": "abc"})).json()
    r = await client.post(f"/_sim/clicpay/transactions/{tx['clicpay_reference']}/failed", content=body,
                          headers=JSON)
    assert r.status_code == 400 and "error" in r.json()


async def test_ui_pages_take_odd_page_numbers(client):
    for page in ("\u00b2", "9" * 5000, "-3", "NaN"):
        r = await client.get("/_sim/ui/transactions", params={"page": page})
        assert r.status_code == 200


def test_every_limit_is_documented_with_its_flag_and_default():
    from pathlib import Path

    from simulator.limits import describe
    root = Path(__file__).resolve().parents[2]
    page = (root / "docs" / "limits-and-safety.md").read_text(encoding="utf-8")
    for flag, _, default, _ in describe():
        shown = f"{default:,}" if isinstance(default, int) else f"{default:,.0f}"
        assert f"| `{flag} N` | {shown} |" in page, flag
    readme = (root / "README.md").read_text(encoding="utf-8")
    for flag in ("--allowed-host", "--public-url", "--control-token", "--webhook-allow", "--max-body-bytes"):
        assert flag in readme
