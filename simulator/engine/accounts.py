"""Seed accounts and their credentials, generated deterministically from the seed."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Account:
    id: str
    name: str
    credentials: dict[str, str]
    headers: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        extra = {k: ([item["id"] if isinstance(item, dict) and "id" in item else item for item in v]
                      if isinstance(v, list) else v) for k, v in self.extra.items()}
        return {"id": self.id, "name": self.name, "headers": dict(self.headers),
                "credentials": dict(self.credentials), **extra}


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


def _credential(seed: int, provider: str, account: str, name: str, spec: Any) -> str:
    if isinstance(spec, dict):
        if "value" in spec:
            return str(spec["value"])
        if "sha1_of" in spec:
            return hashlib.sha1(str(spec["sha1_of"]).encode()).hexdigest()
        return generated_secret(seed, provider, account, name, int(spec.get("length", 40)),
                                str(spec.get("prefix", "")), str(spec.get("alphabet", "hex")))
    return str(spec)


def auth_headers(auth: dict[str, Any], creds: dict[str, str]) -> dict[str, str]:
    scheme = auth.get("scheme")
    if scheme == "bearer":
        return {"Authorization": f"Bearer {creds[auth.get('credential', 'token')]}"}
    if scheme == "header":
        return {str(auth["name"]): creds[auth["credential"]]}
    if scheme == "basic":
        user = creds.get(auth["username"], "") if auth.get("username") else ""
        password = creds.get(auth["password"], "") if auth.get("password") else ""
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    if scheme == "constant":
        return {str(auth.get("name", "Authorization")): creds[auth["credential"]]}
    return {}


def build_accounts(provider: str, behaviour: dict[str, Any], seed: int) -> list[Account]:
    auth = behaviour.get("auth") or {}
    accounts = []
    for raw in behaviour.get("accounts") or []:
        acc_id = str(raw["id"])
        creds = {name: _credential(seed, provider, acc_id, name, spec)
                 for name, spec in (raw.get("credentials") or {}).items()}
        extra = {k: v for k, v in raw.items() if k not in ("id", "name", "credentials")}
        accounts.append(Account(acc_id, str(raw.get("name", acc_id)), creds, auth_headers(auth, creds), extra))
    return accounts
