"""simulator.tls: host names from the specs, the CA and certificate kept in a folder and reused across runs."""

from __future__ import annotations

import stat
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from simulator.settings import DEFAULT_SPECS
from simulator.spec.loader import provider_folders, read_openapi
from simulator.tls import (
    LOOPBACK_NAMES,
    PRELOAD,
    TlsError,
    TlsFiles,
    ensure_certificates,
    provider_hosts,
    spec_host_names,
    trust_help,
)

NAMES = ["api.widepay.com", "widepay.com", *LOOPBACK_NAMES]


def cert_names(path: Path) -> set[str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(san.get_values_for_type(x509.DNSName)) | {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}


def contents(files: TlsFiles) -> tuple[bytes, bytes, bytes]:
    return files.ca.read_bytes(), files.certificate.read_bytes(), files.key.read_bytes()


def test_host_names_come_from_the_absolute_server_urls() -> None:
    openapi = {"servers": [{"url": "/widepay"}, {"url": "https://API.WidePay.com."}, {"url": "https://widepay.com/api"},
                           {"url": "https://api.widepay.com/v1"}],
               "x-original-servers": [{"url": "http://www.widepay.com"}]}
    assert spec_host_names(openapi) == ["api.widepay.com", "widepay.com", "www.widepay.com"]
    assert spec_host_names({"servers": [{"url": "/clicpay"}]}) == []
    assert spec_host_names({}) == []


def test_the_shipped_specs_name_the_providers_real_hosts() -> None:
    documents = {key: read_openapi(folder).document for key, folder in provider_folders(DEFAULT_SPECS).items()}
    hosts = provider_hosts(documents)
    by_provider: dict[str, set[str]] = {}
    for name, key in hosts.items():
        by_provider.setdefault(key, set()).add(name)
    assert by_provider["widepay"] == {"api.widepay.com", "widepay.com", "www.widepay.com"}  # v1 and the draft
    assert by_provider["webpag"] == {"api.webpag.com.br"}
    assert "sandbox.paymentgateway.ideamaker.com.br" in by_provider["ideagateway"]
    assert "clicpay" not in by_provider and "smartclick" not in by_provider  # their documents name no real host


def test_a_host_claimed_by_two_providers_is_refused() -> None:
    with pytest.raises(TlsError, match="api.example.com is a server of both a and b"):
        provider_hosts({"a": {"servers": [{"url": "https://api.example.com"}]},
                        "b": {"servers": [{"url": "https://API.example.com/v2"}]}})


def test_certificates_are_made_for_the_names_and_only_the_server_key_is_written(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path / "tls", NAMES)
    assert files.created
    assert cert_names(files.certificate) == set(NAMES)
    ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    leaf = x509.load_pem_x509_certificate(files.certificate.read_bytes())
    leaf.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.directory.stat().st_mode) == 0o700
    key = serialization.load_pem_private_key(files.key.read_bytes(), password=None)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert key.public_key().public_bytes(serialization.Encoding.PEM, spki) == \
        leaf.public_key().public_bytes(serialization.Encoding.PEM, spki)
    # the CA's private key is never on disk: whoever reads the folder cannot sign for other hosts
    assert sorted(p.name for p in files.directory.iterdir() if not p.name.startswith(".")) == \
        ["ca.pem", "server.key", "server.pem"]


def test_a_second_run_reuses_the_files_while_they_cover_the_names(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path, NAMES)
    again = ensure_certificates(tmp_path, ["widepay.com", "localhost"])  # fewer names: still covered
    assert not again.created
    assert contents(again) == contents(first)
    assert set(again.names) == set(NAMES)


def test_a_new_host_name_makes_a_new_ca_in_the_same_file(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path, NAMES)
    old_ca = first.ca.read_bytes()
    grown = ensure_certificates(tmp_path, [*NAMES, "api.webpag.com.br"])
    assert grown.created and grown.ca == first.ca
    assert grown.ca.read_bytes() != old_ca
    assert cert_names(grown.certificate) == {*NAMES, "api.webpag.com.br"}


@pytest.mark.parametrize("damage", ["missing key", "garbage certificate", "key of another run", "other ca"])
def test_broken_or_mismatched_files_are_made_anew(tmp_path: Path, damage: str) -> None:
    files = ensure_certificates(tmp_path / "a", NAMES)
    other = ensure_certificates(tmp_path / "b", NAMES)
    if damage == "missing key":
        files.key.unlink()
    elif damage == "garbage certificate":
        files.certificate.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    elif damage == "key of another run":
        files.key.write_bytes(other.key.read_bytes())
    else:
        files.ca.write_bytes(other.ca.read_bytes())
    fixed = ensure_certificates(tmp_path / "a", NAMES)
    assert fixed.created
    ca = x509.load_pem_x509_certificate(fixed.ca.read_bytes())
    x509.load_pem_x509_certificate(fixed.certificate.read_bytes()).verify_directly_issued_by(ca)


def test_certificates_near_their_end_are_renewed(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path, NAMES)
    leaf = x509.load_pem_x509_certificate(first.certificate.read_bytes())
    assert not ensure_certificates(tmp_path, NAMES, now=datetime(2030, 1, 1, tzinfo=timezone.utc)).created
    late = leaf.not_valid_after_utc - timedelta(days=10)  # within the renewal margin of the end
    assert ensure_certificates(tmp_path, NAMES, now=late).created


def test_simultaneous_first_starts_agree_on_one_set_of_files(tmp_path: Path) -> None:
    results: list[TlsFiles] = []
    threads = [threading.Thread(target=lambda: results.append(ensure_certificates(tmp_path, NAMES)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.created for r in results) == 1
    ca = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes())
    x509.load_pem_x509_certificate((tmp_path / "server.pem").read_bytes()).verify_directly_issued_by(ca)


def test_an_unusable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(TlsError, match="cannot use .*file/tls for certificates"):
        ensure_certificates(blocker / "tls", NAMES)


def test_the_start_up_help_names_every_way_to_trust_the_ca(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path, NAMES)
    text = "\n".join(trust_help(files, {"api.widepay.com": "widepay", "widepay.com": "widepay"}, "127.0.0.1", 8443))
    ca = str(files.ca)
    for needle in (f"NODE_EXTRA_CA_CERTS={ca}", f"curl --cacert {ca} --resolve api.widepay.com:8443:127.0.0.1",
                   f"curl.cainfo={ca}", f"SSL_CERT_FILE={ca}", f"REQUESTS_CA_BUNDLE={ca}", f"--require {PRELOAD}",
                   "PROVIDER_SIM_HOSTS=api.widepay.com,widepay.com", "https://127.0.0.1:8443/", "made now"):
        assert needle in text
    assert PRELOAD.is_file()
