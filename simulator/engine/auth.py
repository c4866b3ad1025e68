"""Auth schemes declared in behaviour.yaml `auth:`: bearer, header key, HTTP basic, constant value.

Each builds a lookup table once at start-up; a request costs one header read and one dict lookup.
"""

from __future__ import annotations

import base64
import binascii
from simulator.behaviour.config import AuthDecl
from simulator.engine.accounts import Account
from simulator.records import JSON


class Authenticator:
    def __init__(self, auth: AuthDecl, accounts: list[Account]) -> None:
        self.scheme = auth.scheme
        self.header = auth.name.lower()
        if self.scheme in ("bearer", "basic"):
            self.header = "authorization"
        self.form_fields: list[str] = list(auth.form_fields)  # e.g. WidePay ws-conta/ws-token
        self._by_value: dict[str, Account] = {}
        self._by_pair: dict[tuple[str, str], Account] = {}
        for acc in accounts:
            value = acc.headers.get(next(iter(acc.headers), ""), "")
            if self.scheme == "basic":
                user = acc.credentials.get(auth.username, "") if auth.username else ""
                password = acc.credentials.get(auth.password, "") if auth.password else ""
                self._by_pair[(user, password)] = acc
            elif self.scheme == "bearer":
                self._by_value[acc.credentials[auth.credential]] = acc
            else:
                self._by_value[value] = acc

    def identify(self, headers: dict[str, str], body: JSON = None) -> Account | None:
        """The account these credentials belong to, or None."""
        if self.scheme == "none":
            return None
        value = headers.get(self.header)
        if self.scheme == "bearer":
            if value and value[:7].lower() == "bearer ":
                return self._by_value.get(value[7:].strip())
            return None
        if self.scheme == "basic":
            if value and value[:6].lower() == "basic ":
                try:
                    user, _, password = base64.b64decode(value[6:].strip(), validate=True).decode().partition(":")
                except (binascii.Error, UnicodeDecodeError, ValueError):
                    return None
                return self._by_pair.get((user, password))
            if self.form_fields and isinstance(body, dict):
                form_user = body.get(self.form_fields[0])
                form_password = body.get(self.form_fields[1])
                if isinstance(form_user, str) and isinstance(form_password, str):
                    return self._by_pair.get((form_user, form_password))
            return None
        return self._by_value.get(value or "")
