"""`serve --tls` for real: HTTPS with the providers' host names, verified against the simulator's CA.

A client reaches https://api.widepay.com:<port>/ on 127.0.0.1 as a host mapping would send it there: the TCP
connection goes to 127.0.0.1 while SNI, the certificate check and the Host header keep the real name.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tls_process import TlsSimulator, tls_simulator

WIDEPAY_AUTH = ("1001-2", "6521b8d89884e9b532d257a85eada23e")  # seed 0, account acme (README)


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsSimulator]:
    with tls_simulator(tmp_path_factory.mktemp("tls") / "certs") as running:
        yield running


def mapped(sim: TlsSimulator, host: str, path: str, ca: Path | None = None, method: str = "POST",
           **kw: object) -> httpx.Response:
    """METHOD https://HOST:<tls port>PATH, connected to 127.0.0.1 (SNI and Host stay HOST), trusting only CA."""
    context = ssl.create_default_context(cafile=str(ca or sim.ca))
    with httpx.Client(verify=context, timeout=10) as client:
        return client.request(method, f"https://127.0.0.1:{sim.tls_port}{path}", headers={"Host": host},
                              extensions={"sni_hostname": host}, **kw)  # type: ignore[arg-type]


def test_an_https_request_for_the_real_host_is_answered_by_the_provider(sim: TlsSimulator) -> None:
    r = mapped(sim, "api.widepay.com", "/api/transacoes/consultar", auth=WIDEPAY_AUTH)
    assert r.status_code == 200
    assert r.json()["success"] is True
    assert r.json()["total"] == 0
    entry = sim.requests(provider="widepay")[-1]
    assert entry["headers"]["host"] == "api.widepay.com"
    assert entry["operation"] == "transacoes_consultar"


def test_the_draft_host_and_other_providers_hosts_are_served_too(sim: TlsSimulator) -> None:
    assert mapped(sim, "widepay.com", "/api/transacoes/consultar", auth=WIDEPAY_AUTH).json()["success"] is True
    webpag = mapped(sim, "api.webpag.com.br", "/api/installments", method="GET")
    assert webpag.status_code == 401 and sim.requests(provider="webpag")[-1]["path"] == "/api/installments"


def test_the_banner_lists_the_served_names(sim: TlsSimulator) -> None:
    names = sim.host_names()
    assert names["api.widepay.com"] == "widepay" and names["api.webpag.com.br"] == "webpag"
    assert f"CA certificate {sim.ca}" in sim.output()


def test_the_certificate_is_only_for_the_served_names(sim: TlsSimulator) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED|match"):
        mapped(sim, "api.example.com", "/")


def test_a_client_that_does_not_trust_the_ca_is_refused(sim: TlsSimulator, tmp_path: Path) -> None:
    from simulator.tls import ensure_certificates
    stranger = ensure_certificates(tmp_path, ["api.widepay.com"]).ca
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        mapped(sim, "api.widepay.com", "/api/transacoes/consultar", ca=stranger)


def test_loopback_names_are_in_the_certificate(sim: TlsSimulator) -> None:
    context = ssl.create_default_context(cafile=str(sim.ca))
    r = httpx.get(f"https://127.0.0.1:{sim.tls_port}/_sim/health", verify=context)
    assert r.json() == {"status": "ok"}
    assert httpx.get(f"https://localhost:{sim.tls_port}/_sim/health", verify=context).status_code == 200


def test_python_trusts_it_through_ssl_cert_file(sim: TlsSimulator) -> None:
    """The documented recipe for Python: SSL_CERT_FILE (no code change in the client)."""
    code = ("import httpx, json, sys; r = httpx.Client().post(sys.argv[1], auth=('1001-2', 'wrong'), headers="
            "{'Host': 'api.widepay.com'}, extensions={'sni_hostname': 'api.widepay.com'}); print(json.dumps(r.json()))")
    out = subprocess.run([sys.executable, "-c", code, f"https://127.0.0.1:{sim.tls_port}/api/transacoes/consultar"],
                         env={"SSL_CERT_FILE": str(sim.ca), "PATH": "/usr/bin:/bin"}, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["error"].startswith("Autenticação inválida")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_with_resolve_and_cacert(sim: TlsSimulator) -> None:
    """The documented recipe for curl: --resolve maps the host, --cacert trusts the CA."""
    port = sim.tls_port
    out = subprocess.run(["curl", "-sS", "--cacert", str(sim.ca), "--resolve", f"widepay.com:{port}:127.0.0.1",
                          "-u", ":".join(WIDEPAY_AUTH), "-X", "POST",
                          f"https://widepay.com:{port}/api/transacoes/consultar"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["success"] is True


def test_the_ca_is_reused_by_the_next_run(sim: TlsSimulator) -> None:
    before = sim.ca.read_bytes()
    with tls_simulator(sim.tls_dir) as second:
        assert "(reused)" in second.output()
        assert mapped(second, "api.widepay.com", "/api/transacoes/consultar",
                      auth=WIDEPAY_AUTH).json()["success"] is True
    assert sim.ca.read_bytes() == before


def sdk_exchange(sim: TlsSimulator, path: str, body: bytes, authorization: str) -> tuple[bytes, list[bytes]]:
    """Send the bytes WidePay's Node SDK sends (chunked JSON, no Content-Length); return the head and the body
    as the TLS reads that carried it (one read is what the SDK parses: its first `data` chunk)."""
    request = (f"POST {path} HTTP/1.1\r\nContent-Type: application/json\r\nWP-API: NODEJS\r\n"
               f"Authorization: Basic {authorization}\r\nHost: api.widepay.com\r\nConnection: keep-alive\r\n"
               f"Transfer-Encoding: chunked\r\n\r\n{len(body):x}\r\n").encode() + body + b"\r\n0\r\n\r\n"
    context = ssl.create_default_context(cafile=str(sim.ca))
    with socket.create_connection(("127.0.0.1", sim.tls_port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname="api.widepay.com") as tls:
        tls.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += tls.recv(65536)
        head, _, first = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        reads = [first] if first else []
        while sum(map(len, reads)) < length:
            reads.append(tls.recv(65536))
        return head, reads


@pytest.mark.parametrize(("path", "body", "credentials"), [
    ("/v1/recebimentos/cobrancas/consultar", b'{"id":"1"}', "MTAwMS0yOndyb25n"),  # unknown (v1) path, wrong token
    ("/api/transacoes/consultar", b"{}", "MTAwMS0yOndyb25n"),  # wrong token
    ("/api/transacoes/consultar", b"{}", "MTAwMS0yOjY1MjFiOGQ4OTg4NGU5YjUzMmQyNTdhODVlYWRhMjNl"),  # success
    ("/api/transacoes/gerar", '{"tipo":"Boleto","cliente":{"nome":"Lívia"}}'.encode(),
     "MTAwMS0yOjY1MjFiOGQ4OTg4NGU5YjUzMmQyNTdhODVlYWRhMjNl"),  # validation errors
])
def test_answers_fit_the_node_sdk(sim: TlsSimulator, path: str, body: bytes, credentials: str) -> None:
    """Catalog §11.4: the SDK parses only the first chunk of the answer and hangs on an empty body, so every answer
    is a non-empty JSON body delivered in one piece (one TLS read), whatever the status."""
    head, reads = sdk_exchange(sim, path, body, credentials)
    assert head.startswith(b"HTTP/1.1 ")
    assert len(reads) == 1, f"the body came in {len(reads)} pieces"
    assert reads[0] and isinstance(json.loads(reads[0]), dict)
    assert len(reads[0]) < 16_000  # one TLS record: the SDK's limit


@pytest.mark.parametrize("fault", ["connection_reset", "empty_reply"])
def test_scenario_network_faults_happen_over_https_too(sim: TlsSimulator, fault: str) -> None:
    scenario = f"name: tls-{fault}\nprovider: widepay\nrules:\n  - fault: {fault}\n"
    loaded = httpx.post(f"{sim.base}/_sim/scenarios", content=scenario, headers={"Content-Type": "application/yaml"})
    assert loaded.status_code == 201
    try:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            mapped(sim, "widepay.com", "/api/transacoes/consultar", auth=WIDEPAY_AUTH)
    finally:
        sim.reset()
    assert mapped(sim, "widepay.com", "/api/transacoes/consultar", auth=WIDEPAY_AUTH).json()["success"] is True
