"""HTTPS for clients with a hard-coded host (`serve --tls`).

Some SDKs cannot be given a base URL (WidePay's Node SDK always calls `https://api.widepay.com/v1/...`). With
`--tls` the simulator also listens with HTTPS, with a certificate for every provider's real host name signed by a
local certificate authority; the client trusts that CA and maps the host name to the simulator, and a request whose
`Host` is a provider's real host name is served by that provider at the root (`SimulatorApp.host_names`).

- `provider_hosts(specs)`: {host name: provider key} from the absolute URLs of each spec's `servers` (and
  `x-original-servers`); a host claimed by two providers is an error.
- `ensure_certificates(directory, names)`: `ca.pem`, `server.pem` and `server.key` in DIRECTORY, reused across runs
  while they are sound and cover the names, made anew otherwise. The CA's private key is never written: a new set of
  names makes a new CA in the same file, so a client that trusts the file's path keeps working.
- `trust_help(...)`: the lines printed at start-up: where the CA is and how each kind of client trusts it.
- `TlsServing`: the HTTPS socket bound before the banner, then `run(app)` serves HTTP and HTTPS in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.types import ASGIApp

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")  # also in the certificate: `curl --cacert` to 127.0.0.1 works
CA_FILE, CERT_FILE, KEY_FILE = "ca.pem", "server.pem", "server.key"
RENEW_BEFORE = timedelta(days=30)  # a certificate this close to its end is made anew
PRELOAD = Path(__file__).resolve().parent / "node" / "redirect.js"  # Node: `node --require PRELOAD`


class TlsError(Exception):
    """Serving HTTPS is impossible as asked (the message says why)."""


def normalize_host(name: str) -> str:
    """A host name as compared: lower case, no trailing dot."""
    return name.strip().lower().rstrip(".")


def spec_host_names(openapi: Mapping[str, Any]) -> list[str]:
    """The host names of a spec's absolute server URLs (`servers`, then `x-original-servers`), in order."""
    names: list[str] = []
    for key in ("servers", "x-original-servers"):
        for server in openapi.get(key) or []:
            url = server.get("url") if isinstance(server, Mapping) else None
            host = urlsplit(url).hostname if isinstance(url, str) and "://" in url else None
            if host and normalize_host(host) not in names:
                names.append(normalize_host(host))
    return names


def provider_hosts(specs: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """{host name: provider key} for the OpenAPI documents given by provider key."""
    hosts: dict[str, str] = {}
    for key, openapi in specs.items():
        for name in spec_host_names(openapi):
            other = hosts.setdefault(name, key)
            if other != key:
                raise TlsError(f"host {name} is a server of both {other} and {key}: a host maps to one provider")
    return hosts


def default_directory() -> Path:
    """Where certificates live unless `--tls-dir` says: the cache folder ($PROVIDER_SIM_CACHE), `tls/`."""
    from simulator.spec.loader import cache_dir
    return cache_dir() / "tls"


@dataclass(frozen=True)
class TlsFiles:
    directory: Path
    ca: Path  # the CA certificate: what clients trust
    certificate: Path  # the server's certificate
    key: Path  # the server's private key (mode 0600)
    names: tuple[str, ...]  # the names the certificate is valid for
    created: bool  # made by this call (False: reused from an earlier run)


def ensure_certificates(directory: Path, names: Iterable[str], now: datetime | None = None) -> TlsFiles:
    """The CA and server certificate for NAMES in DIRECTORY: the existing ones while sound, else new ones."""
    wanted = tuple(dict.fromkeys(normalize_host(n) for n in names))
    if not wanted:
        raise TlsError("no host names to certify")
    moment = now or datetime.now(timezone.utc)
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise TlsError(f"cannot use {directory} for certificates: {exc.strerror or exc}") from exc
    paths = directory / CA_FILE, directory / CERT_FILE, directory / KEY_FILE
    with _locked(directory):
        covered = _sound_names(*paths, moment)
        created = covered is None or not set(wanted) <= set(covered)
        if created:
            covered = wanted
            _issue(*paths, wanted)
    assert covered is not None
    return TlsFiles(directory, *paths, names=tuple(covered), created=created)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One simulator at a time checks and writes a directory (several may start at once in a test run)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; simultaneous first starts are unlikely there
        yield
        return
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sound_names(ca_path: Path, cert_path: Path, key_path: Path, now: datetime) -> tuple[str, ...] | None:
    """The names the stored certificate covers, or None when the files are missing, mismatched or expiring."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    try:
        ca = x509.load_pem_x509_certificate(ca_path.read_bytes())
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        cert.verify_directly_issued_by(ca)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return None
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.PEM, raw) != \
            cert.public_key().public_bytes(serialization.Encoding.PEM, raw):
        return None
    for c in (ca, cert):
        if not c.not_valid_before_utc <= now <= c.not_valid_after_utc - RENEW_BEFORE:
            return None
    dns = [normalize_host(n) for n in san.get_values_for_type(x509.DNSName)]
    return tuple(dns + [str(ip) for ip in san.get_values_for_type(x509.IPAddress)])


def _issue(ca_path: Path, cert_path: Path, key_path: Path, names: tuple[str, ...]) -> None:
    import trustme
    ca = trustme.CA(organization_name="provider-sim", organization_unit_name="provider-sim local CA (tests only)")
    leaf = ca.issue_cert(*names, organization_name="provider-sim", organization_unit_name="provider-sim server")
    _write(key_path, leaf.private_key_pem.bytes(), 0o600)
    _write(cert_path, b"".join(blob.bytes() for blob in leaf.cert_chain_pems), 0o644)
    _write(ca_path, ca.cert_pem.bytes(), 0o644)  # the CA's key stays in memory and is gone after this call


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write a file whole (a reader sees the old or the new content, never a part)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temp, mode)
    os.replace(temp, path)


def trust_help(files: TlsFiles, hosts: Mapping[str, str], address: str, port: int) -> list[str]:
    """The start-up lines: the HTTPS address, the served host names and how each kind of client trusts the CA."""
    ca = str(files.ca)
    address = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(address, address)  # where to connect
    target = f"[{address}]" if ":" in address else address
    by_provider: dict[str, list[str]] = {}
    for name, key in hosts.items():
        by_provider.setdefault(key, []).append(name)
    example = next(iter(hosts), "localhost")
    lines = [f"  HTTPS on https://{target}:{port}/ too; a request for a provider's own host name is served by it "
             "at the root:"]
    lines += [f"      {key:<12} {', '.join(names)}" for key, names in by_provider.items()]
    lines += [f"  CA certificate {ca}  ({'made now' if files.created else 'reused'}); trust it in the client only:",
              f"      Node    NODE_EXTRA_CA_CERTS={ca} PROVIDER_SIM_TLS={target}:{port} "
              f"PROVIDER_SIM_HOSTS={','.join(hosts) or example} node --require {PRELOAD} app.js",
              f"      curl    curl --cacert {ca} --resolve {example}:{port}:{target} https://{example}:{port}/...",
              f"      PHP     php -d curl.cainfo={ca} -d openssl.cafile={ca} ...  (or CURLOPT_CAINFO)",
              f"      Python  SSL_CERT_FILE={ca} (ssl, urllib, httpx); REQUESTS_CA_BUNDLE={ca} (requests)",
              "  pointing a hard-coded host at the simulator (preload, --resolve, /etc/hosts): docs/widepay.md"]
    return lines


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (OSError when it cannot be had, e.g. the port is in use)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class _Listener(uvicorn.Server):
    """One of the two servers of a process: `TlsServing.run` handles the signals and stops both."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class TlsServing:
    """The HTTP and HTTPS listeners of one simulator process (bound before the banner is printed)."""
    files: TlsFiles
    plain: socket.socket
    secure: socket.socket

    @classmethod
    def prepare(cls, host: str, port: int, tls_port: int, directory: Path | None,
                names: Iterable[str]) -> TlsServing:
        if tls_port == port:
            raise TlsError(f"--tls-port {tls_port} is the HTTP --port too: give HTTPS a port of its own")
        files = ensure_certificates(directory or default_directory(), [*names, *LOOPBACK_NAMES])
        sockets: list[socket.socket] = []
        try:
            for p, scheme in ((port, "http"), (tls_port, "https")):
                try:
                    sockets.append(bind(host, p))
                except OSError as exc:
                    raise TlsError(f"cannot listen on {scheme}://{host}:{p}: {exc.strerror or exc}") from exc
        except TlsError:
            for sock in sockets:
                sock.close()
            raise
        return cls(files, *sockets)

    def run(self, app: ASGIApp, log_level: str = "warning", access_log: bool = False) -> None:
        """Serve APP on both sockets until SIGINT/SIGTERM; the app's lifespan runs once, with the HTTP server."""
        from simulator.http_limits import PROTOCOL, limits_of  # the header limits at the socket, as `serve`
        common: dict[str, Any] = {"log_level": log_level, "access_log": access_log, "server_header": False,
                                  "http": PROTOCOL, "h11_max_incomplete_event_size": limits_of(app).max_header_bytes}
        servers = [_Listener(uvicorn.Config(app, **common)),
                   _Listener(uvicorn.Config(app, lifespan="off", ssl_certfile=str(self.files.certificate),
                                            ssl_keyfile=str(self.files.key), **common))]

        def stop() -> None:  # the first signal stops gracefully, a second one at once
            for server in servers:
                server.force_exit = server.should_exit
                server.should_exit = True

        async def both() -> None:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):  # no loop signal handlers (Windows)
                    loop.add_signal_handler(sig, stop)
            await asyncio.gather(servers[0].serve(sockets=[self.plain]), servers[1].serve(sockets=[self.secure]))

        try:
            asyncio.run(both())
        finally:
            self.plain.close()
            self.secure.close()
