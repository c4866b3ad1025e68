"""A local server is still a server: who may reach the simulator, and what a web page may make it do.

Every request passes `Guard.check` (simulator/app.py) before it is routed:
- `Host` (DNS rebinding): a page on another site can point its own name at 127.0.0.1 and then read answers as
  same-origin. When the server is bound to a loopback address, `Host` must be a loopback name: an IP of
  127.0.0.0/8 or ::1, `localhost`, `*.localhost`, or a name under `.test` (RFC 6761 special-use names that public
  DNS never serves, so no page can rebind them; the in-process transports use `provider-sim.test`) and
  `testserver` (Starlette's TestClient; a single-label name public DNS cannot serve either), plus each
  `--allowed-host NAME` (`*.example.com` matches subdomains, `*` turns the check off). Bound to another address
  (Docker's 0.0.0.0), any Host is accepted unless `--allowed-host` is given. A Host that is not a host name is
  always refused, since it becomes part of generated links.
- Cross-site writes: a state-changing `/_sim/` request (not GET, HEAD or OPTIONS) whose `Origin` is not this
  server's own (scheme aside: host and port), or that says `Sec-Fetch-Site: cross-site`, is refused with 403.
  Clients that are not browsers send neither header and are not affected.
- `--control-token TOKEN` (or PROVIDER_SIM_CONTROL_TOKEN): every `/_sim/` path needs `Authorization: Bearer
  TOKEN` or the dashboard's cookie, except `/_sim/health` (health checks), the payer's pages under
  `/_sim/ui/pay/` and the dashboard's static files and login page. A browser asking for a dashboard page without
  it gets the login page, which sets the cookie (HttpOnly, SameSite=Strict) once the token is typed.
- `/_sim/` answers carry `X-Content-Type-Options: nosniff`; HTML pages also `X-Frame-Options: DENY` and a
  Content-Security-Policy that allows only this server's own scripts and styles.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import hmac
import ipaddress
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from starlette.types import Scope

    from simulator.settings import Settings

TOKEN_ENV = "PROVIDER_SIM_CONTROL_TOKEN"
COOKIE = "provider_sim_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NEEDED = frozenset({b"host", b"origin", b"sec-fetch-site", b"authorization", b"cookie", b"accept"})
HOST_CACHE = 64  # distinct Host headers whose verdict is remembered (a client sends the same one every time)
OPEN_PATHS = ("/_sim/health", "/_sim/ui/login", "/_sim/ui/static/", "/_sim/ui/pay/")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'")
_HOST = re.compile(r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}))(?::(?P<port>[0-9]{1,5}))?|"
                   r"\[(?P<ip6>[0-9A-Fa-f:.]{2,45})\](?::(?P<port6>[0-9]{1,5}))?")


def split_host(value: str) -> tuple[str, str] | None:
    """(host name lower-cased, port or "") of a Host header value; None when it is not one."""
    m = _HOST.fullmatch(value.strip())
    if m is None:
        return None
    if m.group("ip6"):
        return m.group("ip6").lower(), m.group("port6") or ""
    return m.group("name").lower().rstrip("."), m.group("port") or ""


def is_loopback_name(host: str) -> bool:
    if host in ("localhost", "testserver") or host.endswith((".localhost", ".test")):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_bind(address: str) -> bool:
    return is_loopback_name(address.strip("[]").lower())


@dataclass(frozen=True)
class Verdict:
    status: int
    message: str
    headers: tuple[tuple[str, str], ...] = ()
    login: bool = False  # a browser asking for a dashboard page: show the login form


class Guard:
    def __init__(self, settings: "Settings", extra_hosts: list[str] | None = None,
                 page_paths: tuple[str, ...] = ()) -> None:
        self.loopback_bound = is_loopback_bind(settings.host)
        self.allowed = [h.lower() for h in settings.allowed_hosts] + [h.lower() for h in extra_hosts or []]
        self.check_host = "*" not in self.allowed and (self.loopback_bound or bool(settings.allowed_hosts))
        self.bound = settings.host.strip("[]").lower()
        public = urlsplit(settings.public_url) if settings.public_url else None
        self.public_host = (public.netloc.lower() if public is not None else "")
        self.token = settings.control_token or None
        self.page_paths = page_paths  # payer pages outside /_sim (on a provider's base): checked as /_sim/ui/pay/
        self.cookie_value = cookie_for(self.token) if self.token else ""
        self._hosts: dict[str, Verdict | None] = {}  # Host header -> its verdict (the first HOST_CACHE seen)

    # --- Host ------------------------------------------------------------------------------------------

    def _host_refusal(self, host_header: str) -> Verdict | None:
        """The Host header's verdict, remembered for the first HOST_CACHE seen."""
        if host_header in self._hosts:
            return self._hosts[host_header]
        refused = self._host_verdict(host_header)
        if len(self._hosts) < HOST_CACHE:
            self._hosts[host_header] = refused
        return refused

    def _host_verdict(self, host_header: str) -> Verdict | None:
        parts = split_host(host_header)
        if parts is None:
            return Verdict(400, "the Host header is not a host name")
        if not self.host_allowed(parts[0]):
            return Verdict(400, f"Host {parts[0]!r} is not served here: this server answers loopback names "
                                "and the names given with --allowed-host")
        return None

    def host_allowed(self, host: str) -> bool:
        if not self.check_host:
            return True
        if is_loopback_name(host) or host == self.bound:
            return True
        return any(fnmatch.fnmatchcase(host, pattern) for pattern in self.allowed)

    # --- one request -----------------------------------------------------------------------------------

    def check_scope(self, scope: Scope) -> Verdict | None:
        """`check` on an ASGI scope, reading only the headers it needs."""
        path: str = scope["path"]
        if not path.startswith("/_sim") and not (self.page_paths and path.startswith(self.page_paths)):
            # a provider's API: only its Host is checked (the last one sent, as `check` reads it)
            host: bytes | None = None
            for name, value in scope["headers"]:
                if name == b"host":
                    host = value
            if host is None:
                return None
            text = host.decode("latin-1")
            return self._hosts[text] if text in self._hosts else self._host_refusal(text)
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            if name in _NEEDED:
                headers[name.decode("latin-1")] = value.decode("latin-1")
        return self.check(scope["method"], scope["path"], headers)

    def check(self, method: str, path: str, headers: dict[str, str]) -> Verdict | None:
        """None when the request may go on; else why not."""
        host_header = headers.get("host")
        if host_header is not None:
            refused = self._host_refusal(host_header)
            if refused is not None:
                return refused
        page = bool(self.page_paths) and path.startswith(self.page_paths)
        if not path.startswith("/_sim") and not page:
            return None
        if method not in SAFE_METHODS:
            refused = self._cross_site(headers)
            if refused is not None:
                return refused
        if self.token is not None and not page and not path.startswith(OPEN_PATHS) and not self._authorized(headers):
            page = method == "GET" and path.startswith("/_sim/ui") and "text/html" in headers.get("accept", "")
            return Verdict(401, "this simulator needs its control token: send Authorization: Bearer TOKEN",
                           (("www-authenticate", 'Bearer realm="provider-sim"'),), login=page)
        return None

    def _cross_site(self, headers: dict[str, str]) -> Verdict | None:
        if headers.get("sec-fetch-site", "").lower() == "cross-site":
            return Verdict(403, "cross-site requests may not change the simulator (Sec-Fetch-Site: cross-site)")
        origin = headers.get("origin")
        if origin is None:
            return None
        netloc = _origin_netloc(origin)
        own = {_default_port(headers.get("host", "").lower(), "")}
        if self.public_host:
            own.add(_default_port(self.public_host, ""))
        if netloc is None or _default_port(netloc[1], netloc[0]) not in own:
            return Verdict(403, f"requests from another site ({origin[:100]}) may not change the simulator")
        return None

    def _authorized(self, headers: dict[str, str]) -> bool:
        assert self.token is not None
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer " and hmac.compare_digest(auth[7:].strip().encode(), self.token.encode()):
            return True
        cookie = _cookie(headers.get("cookie", ""), COOKIE)
        return cookie is not None and hmac.compare_digest(cookie.encode(), self.cookie_value.encode())

    def token_matches(self, typed: str) -> bool:
        return self.token is not None and hmac.compare_digest(typed.encode(), self.token.encode())


def cookie_for(token: str) -> str:
    """The dashboard cookie's value: a digest of the token (the token itself never sits in the cookie jar)."""
    return hashlib.sha256(f"provider-sim:{token}".encode()).hexdigest()


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _origin_netloc(origin: str) -> tuple[str, str] | None:
    """(scheme, host[:port]) of an Origin header; None for `null` or anything that is not an origin."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts.scheme, parts.netloc.lower()


def _default_port(netloc: str, scheme: str) -> str:
    """host:port without the scheme's default port (and without the port 80/443 of either scheme for a Host)."""
    for suffix in ((":80", ":443") if not scheme else (":80",) if scheme == "http" else (":443",)):
        if netloc.endswith(suffix):
            return netloc[: -len(suffix)]
    return netloc


def response_headers(content_type: bytes) -> list[tuple[bytes, bytes]]:
    """The headers every /_sim/ answer gets; HTML pages also the framing and script policy."""
    out = [(b"x-content-type-options", b"nosniff")]
    if content_type.startswith(b"text/html"):
        out += [(b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode()),
                (b"referrer-policy", b"same-origin")]
    return out


# --- the command line -----------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("safety (docs/control-api.md, Limits and safety)")
    g.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a Host name accepted beside loopback names (repeatable; *.example.com, or * for any) "
                        "(default: loopback names only)")
    g.add_argument("--public-url", default=None, metavar="URL",
                   help="the base of generated links (checkout_url, payment links), e.g. https://sim.example.com "
                        "(default: the request's Host)")
    g.add_argument("--control-token", default=os.environ.get(TOKEN_ENV) or None, metavar="TOKEN",
                   help=f"require Authorization: Bearer TOKEN on /_sim/ and the dashboard (default: ${TOKEN_ENV}, "
                        "else no token)")
    g.add_argument("--webhook-allow", action="append", default=[], metavar="PATTERN",
                   help="deliver webhooks only to matching targets (repeatable): a host glob such as "
                        "'*.internal' or 'receiver:9000', or a URL glob such as 'http://10.0.0.5:*/hooks/*' "
                        "(default: any target)")


def apply_arguments(a: argparse.Namespace, s: "Settings") -> None:
    if a.public_url is not None:
        parts = urlsplit(a.public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SystemExit(f"provider-sim: --public-url must be an http(s) URL, not {a.public_url!r}")
    s.allowed_hosts = list(a.allowed_host)
    s.public_url = a.public_url.rstrip("/") if a.public_url else None
    s.control_token = a.control_token or None
    s.webhook_allow = list(a.webhook_allow)


def startup_warnings(s: "Settings") -> list[str]:
    out = []
    if not is_loopback_bind(s.host) and not s.control_token:
        out.append(f"serving on {s.host}, beyond this machine, without --control-token: anyone who reaches the "
                   f"port can read the credentials at /_sim/providers and change the simulator "
                   f"(set --control-token or {TOKEN_ENV})")
    return out


def webhook_allowed(url: str, patterns: list[str]) -> bool:
    """Whether `--webhook-allow` lets a delivery go to `url` (any URL when no pattern is given)."""
    if not patterns:
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    netloc = parts.netloc.lower().rpartition("@")[2]
    for pattern in patterns:
        p = pattern.lower()
        if "://" in p:
            if fnmatch.fnmatchcase(url.lower(), p):
                return True
        elif fnmatch.fnmatchcase(host, p) or fnmatch.fnmatchcase(netloc, p):
            return True
    return False


def base_url(settings: "Settings", headers: dict[str, str]) -> str:
    """The scheme and host generated links start with: --public-url, else this request's (checked) Host."""
    if settings.public_url:
        return settings.public_url
    scheme = headers.get("x-forwarded-proto", "http").lower()
    host = headers.get("host", "")
    if split_host(host) is None:
        host = f"{settings.host}:{settings.port}" if ":" not in settings.host else f"[{settings.host}]:{settings.port}"
    return f"{scheme if scheme in ('http', 'https') else 'http'}://{host}"


def login_page(message: str = "", next_path: str = "/_sim/ui") -> bytes:
    """The dashboard's one-field form for the control token (no script: it posts to /_sim/ui/login)."""
    from html import escape
    note = f'<p class="message">{escape(message)}</p>' if message else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>provider-sim · sign in</title>'
            f'<link rel="stylesheet" href="/_sim/ui/static/ui.css"></head><body><main id="main">'
            f'<h1>provider-sim</h1>{note}<p>This simulator is protected by a control token '
            f'(<code>--control-token</code>).</p><form method="post" action="/_sim/ui/login">'
            f'<input type="hidden" name="next" value="{escape(next_path)}">'
            f'<label>Control token <input type="password" name="token" autocomplete="current-password" '
            f'required autofocus></label> <button type="submit">Open the dashboard</button></form>'
            f'</main></body></html>').encode("utf-8")


def safe_next(value: object) -> str:
    """Where the login form may send the browser back to: a dashboard path of this server only."""
    text = str(value or "")
    return text if text.startswith("/_sim/") and not text.startswith("//") and "\\" not in text else "/_sim/ui"
