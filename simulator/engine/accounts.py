"""Seed accounts and their credentials, generated deterministically from the seed."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from simulator.behaviour.config import AccountDecl, AuthDecl, Credential, VersionDecl
from simulator.records import JSON


@dataclass
class Account:
    id: str
    name: str
    credentials: dict[str, str]
    headers: dict[str, str]
    extra: dict[str, JSON] = field(default_factory=dict)  # the provider's own account data (behaviour.yaml)
    versions: dict[str, dict[str, JSON]] = field(default_factory=dict)  # version -> {prefix, headers}

    def public(self) -> dict[str, JSON]:
        extra = {k: ([item["id"] if isinstance(item, dict) and "id" in item else item for item in v]
                      if isinstance(v, list) else v) for k, v in self.extra.items()}
        out: dict[str, JSON] = {"id": self.id, "name": self.name, "headers": dict(self.headers),
                                "credentials": dict(self.credentials), **extra}
        if self.versions:
            out["versions"] = {name: dict(v) for name, v in self.versions.items()}
        return out

    def headers_for(self, path: str) -> dict[str, str]:
        """The headers that authenticate this account on a provider-relative path (its version's, if any)."""
        for version in self.versions.values():
            prefix = str(version["prefix"])
            if path.startswith(prefix) or path == prefix.rstrip("/"):
                return dict(version["headers"])
        return dict(self.headers)


def generated_secret(seed: int, provider: str, account: str, name: str, length: int = 40,
                     prefix: str = "", alphabet: str = "hex") -> str:
    digest = hashlib.sha256(f"{seed}:{provider}:{account}:{name}".encode()).digest()
    while len(digest) * 2 < length:
        digest += hashlib.sha256(digest).digest()
    if alphabet == "digits":
        body = "".join(str(b % 10) for b in digest)[:length]
    else:
        body = digest.hex()[:length]
    return prefix + body


def _credential(seed: int, provider: str, account: str, name: str, spec: Credential) -> str:
    if spec.value is not None:
        return spec.value
    if spec.sha1_of is not None:
        return hashlib.sha1(spec.sha1_of.encode()).hexdigest()
    return generated_secret(seed, provider, account, name, spec.length, spec.prefix, spec.alphabet)


def auth_headers(auth: AuthDecl, creds: dict[str, str]) -> dict[str, str]:
    """The headers that authenticate an account with these credentials."""
    if auth.scheme == "bearer":
        return {"Authorization": f"Bearer {creds[auth.credential]}"}
    if auth.scheme in ("header", "constant"):
        return {auth.name: creds[auth.credential]}
    if auth.scheme == "basic":
        user = creds.get(auth.username, "") if auth.username else ""
        password = creds.get(auth.password, "") if auth.password else ""
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return {}


def build_accounts(provider: str, auth: AuthDecl, decls: tuple[AccountDecl, ...], seed: int,
                   versions: tuple[VersionDecl, ...] = ()) -> list[Account]:
    accounts = []
    for decl in decls:
        creds = {name: _credential(seed, provider, decl.id, name, spec) for name, spec in decl.credentials.items()}
        own: dict[str, dict[str, JSON]] = {
            v.name: {"prefix": v.prefix, "headers": auth_headers(v.auth or auth, creds)}
            for v in versions}
        accounts.append(Account(decl.id, decl.name, creds, auth_headers(auth, creds), dict(decl.extra), own))
    return accounts
