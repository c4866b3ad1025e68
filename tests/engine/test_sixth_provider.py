"""A sixth provider, TinyPay, added from a folder given with `provider-sim serve --specs DIR` (tests/engine/sixth/:
openapi.yaml, behaviour.yaml and its own tinypay_hooks.py named by `module:`), with no change to the engine,
the UI or another provider: one payment goes through its lifecycle, the dashboard and its payer page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from simulator.testing import WebhookReceiver

SPECS = Path(__file__).resolve().parent / "sixth"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--specs", str(SPECS), "--clock", "manual",
                             "--start-time", "2026-01-01T00:00:00Z", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(base + "/_sim/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path


def test_a_sixth_provider_from_a_spec_folder_pays_through_its_lifecycle_dashboard_and_payer_page(
        server: str, webhook_receiver: WebhookReceiver) -> None:
    control = httpx.Client(base_url=server, timeout=10)
    providers = {p["key"]: p for p in control.get("/_sim/providers").json()["providers"]}
    assert {"clicpay", "webpag", "widepay", "smartclick", "ideagateway", "tinypay"} <= set(providers)
    tiny = providers["tinypay"]
    assert [o["id"] for o in tiny["operations"]] == ["create_charge", "get_charge"]
    shop = httpx.Client(base_url=server + "/tinypay", headers=tiny["accounts"][0]["headers"], timeout=10)
    other = httpx.Client(base_url=server + "/tinypay", headers=tiny["accounts"][1]["headers"], timeout=10)

    # the API: validation from the spec's x-rules and x-messages, isolation between accounts, the lifecycle
    assert shop.post("/charges", json={"amount": 5, "description": "x"}).json() == {
        "error": "amount must be at least 100 cents"}
    late = shop.post("/charges", json={"amount": 500, "description": "Nunca paga"}).json()
    control.post("/_sim/clock/advance", json={"seconds": 599})
    assert shop.get(f"/charges/{late['id']}").json()["status"] == "pending"
    control.post("/_sim/clock/advance", json={"seconds": 1})
    assert shop.get(f"/charges/{late['id']}").json()["status"] == "expired"
    charge = shop.post("/charges", json={"amount": 1234, "description": "Caneca azul", "notify_url":
                                         webhook_receiver.url + "/tiny", "return_url": "https://shop.example/ok"})
    assert charge.status_code == 201 and charge.json()["status"] == "pending"
    charge_id = charge.json()["id"]
    assert other.get(f"/charges/{charge_id}").status_code == 404

    # the dashboard reads the declarations: kinds, amounts as money, states, allowed outcomes
    listing = control.get("/_sim/ui/transactions", params={"provider": "tinypay", "kind": "charge"}).text
    assert charge_id in listing and "R$ 12,34" in listing and "Caneca azul" in listing
    detail = control.get(f"/_sim/ui/transactions/tinypay/charge/{charge_id}").text
    assert f'data-post="/_sim/tinypay/transactions/{charge_id}/paid"' in detail and "tone-wait" in detail
    assert f"/_sim/ui/pay/tinypay/pix/{charge_id}" in detail  # its payer's page, from the declared pix field

    # the payer's page: the link the API gave, its Pix page, and the pay button the lifecycle's outcomes declare
    page = control.get(local(charge.json()["payment_url"]))
    assert page.status_code == 200 and "R$ 12,34" in page.text and "Loja Pequena" in page.text
    assert 'value="pay"' in page.text and f"/_sim/ui/pay/tinypay/pix/{charge_id}" in page.text
    pix = control.get(f"/_sim/ui/pay/tinypay/pix/{charge_id}")
    assert pix.status_code == 200 and charge.json()["pix_code"] in pix.text and "<svg" in pix.text
    assert control.post(f"/_sim/ui/pay/tinypay/pix/{charge_id}", data={"action": "pay"}).status_code == 303

    paid = shop.get(f"/charges/{charge_id}").json()
    assert paid["status"] == "paid"
    received = webhook_receiver.wait_for(1)
    assert [(r.path, r.json()["event"], r.json()["charge"]["status"]) for r in received] == [
        ("/tiny", "charge.paid", "paid")]
    # the force endpoint and the report read the same machine: a final state moves no more
    assert control.post(f"/_sim/tinypay/transactions/{charge_id}/failed").status_code == 409
    coverage = control.get("/_sim/coverage", params={"provider": "tinypay"}).json()["providers"]["tinypay"]
    moved = {(t["from"], t["to"]): t["count"] for t in coverage["transitions"]}
    assert moved[("pending", "paid")] == 1 and moved[("pending", "expired")] == 1
