"""Replaying a cassette: recorded credentials to the simulator's test accounts, recorded ids to the simulator's ids.

- `Accounts`: each distinct credential of the cassette (where the provider's `auth:` says it travels: a header,
  HTTP Basic, form fields) is one real account; in order of first use they become the simulator's accounts 0, 1, ...
  A credential the upstream always refused (its `unauthenticated` error) stays as recorded, so it is refused again.
- `IdMap`: after each replayed exchange, the recorded and the simulated answers are walked side by side; where
  both hold a different scalar at the same place and that place names an identifier (a path parameter of the spec,
  a lifecycle key, `id`, `*_id`, `*Id`, `*_ids`, `uuid`, `reference`, `txid`, `token`, `hash`, `code`) or the
  recorded value looks generated (6+ characters, a digit, no space), the recorded value now stands for the
  simulated one. Later requests get it substituted in path parameters, and in query values and body fields of
  such names or looks, or under any name when it has 5 characters or more (a foreign key like `pgm_carteira`). Path parameters naming an account's resources (`wallet_id` for an account's
  `wallets` in /_sim/providers) map to that account's resources in order of first use.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Mapping, TypeGuard
from urllib.parse import quote, unquote

from simulator.record.facts import ProviderFacts
from simulator.record.redact import leaf_name

ID_NAME = re.compile(r"(?:^|[_-])ids?$|[a-z0-9]Ids?$|IDs?$|uuid|refer[eê]nc|txid|token|hash|(?:^|_)code$"
                     r"|[a-z0-9]Code$|codigo", re.I)


def is_id_name(name: str | None, facts: ProviderFacts) -> bool:
    if not name:
        return False
    leaf = leaf_name(name)
    return leaf in facts.id_names or bool(ID_NAME.search(leaf))


def looks_generated(value: object) -> bool:
    return isinstance(value, str) and len(value) >= 6 and any(c.isdigit() for c in value) and \
        not any(c.isspace() for c in value)


def _scalar(value: object) -> TypeGuard[str | int]:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


class IdMap:
    def __init__(self, facts: ProviderFacts) -> None:
        self.facts = facts
        self.pairs: dict[str, str | int] = {}  # str(recorded value) -> simulated value
        self._long_ids: set[str] = set()  # recorded ids of 5+ characters: mapped under any name
        self._resources: dict[tuple[str, str], list[str]] = {}  # (account, resource key) -> assigned sim ids
        self._text: re.Pattern[str] | None = None

    def _set(self, recorded: object, simulated: str | int) -> None:
        key = str(recorded)
        if key not in self.pairs:
            self.pairs[key] = simulated
            self._text = None

    # --- learning -------------------------------------------------------------------------------------------

    def learn(self, recorded: object, simulated: object, name: str | None = None) -> None:
        if isinstance(recorded, dict) and isinstance(simulated, dict):
            for key, value in recorded.items():
                if key in simulated:
                    self.learn(value, simulated[key], key)
        elif isinstance(recorded, list) and isinstance(simulated, list):
            for r, s in zip(recorded, simulated):
                self.learn(r, s, name)
        elif _scalar(recorded) and _scalar(simulated) and str(recorded) != str(simulated):
            if is_id_name(name, self.facts) or looks_generated(recorded):
                self._set(recorded, simulated)
                if len(str(recorded)) >= 5:
                    self._long_ids.add(str(recorded))

    # --- applying -------------------------------------------------------------------------------------------

    def leaf(self, value: object, name: str | None) -> object:
        if not _scalar(value) or str(value) not in self.pairs:
            return value
        if not (is_id_name(name, self.facts) or looks_generated(value) or str(value) in self._long_ids):
            return value
        new = self.pairs[str(value)]
        if isinstance(value, str):
            return str(new)
        return new

    def data(self, value: object, name: str | None = None) -> object:
        if isinstance(value, dict):
            return {k: self.data(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v, name) for v in value]
        return self.leaf(value, name)

    def form(self, pairs: list[list[str]]) -> list[list[str]]:
        return [[k, str(self.leaf(v, k))] for k, v in pairs]

    def path(self, path: str, params: dict[str, str] | None, account: Mapping[str, object] | None) -> str:
        """Path parameters mapped (every segment when the path matched no operation)."""
        by_value = {unquote(v): k for k, v in (params or {}).items()}
        out = []
        for segment in path.split("/"):
            plain = unquote(segment)
            if params is not None and plain not in by_value:
                out.append(segment)
                continue
            name = by_value.get(plain)
            if plain in self.pairs:
                out.append(quote(str(self.pairs[plain]), safe=""))
            elif name is not None and account is not None and (new := self._resource(name, plain, account)):
                out.append(quote(new, safe=""))
            else:
                out.append(segment)
        return "/".join(out)

    def _resource(self, param: str, value: str, account: Mapping[str, object]) -> str | None:
        key = re.sub(r"(_ids?|Ids?|IDs?)$", "", param) + "s"
        ids = account.get(key)
        if not isinstance(ids, list) or not ids or isinstance(ids[0], (dict, list)):
            return None
        known = [str(i) for i in ids]
        if value in known:
            return None
        taken = self._resources.setdefault((str(account.get("id")), key), [])
        free = [i for i in known if i not in taken]
        chosen = free[0] if free else known[0]
        taken.append(chosen)
        self._set(value, int(chosen) if isinstance(ids[0], int) else chosen)
        return chosen

    def text(self, text: str) -> str:
        """A recorded message with the recorded ids it quotes replaced by the simulator's."""
        if self._text is None:
            keys = sorted((k for k in self.pairs if len(k) >= 4), key=len, reverse=True)
            self._text = re.compile("|".join(map(re.escape, keys))) if keys else re.compile(r"(?!)")
        return self._text.sub(lambda m: str(self.pairs[m.group(0)]), text)


class Accounts:
    """Recorded credentials (masked, but the same mask for the same value) -> the simulator's accounts."""

    def __init__(self, facts: ProviderFacts, accounts: list[dict[str, Any]],
                 exchanges: list[dict[str, Any]]) -> None:
        self.facts = facts
        self.accounts = accounts
        self.notes: list[str] = []
        seen: list[str] = []
        refused: dict[str, bool] = {}
        for entry in exchanges:
            ident = self.identity(entry)
            resp = entry.get("response")
            if ident is None or resp is None:
                continue
            if ident not in refused:
                seen.append(ident)
                refused[ident] = True
            if not facts.rejects_credentials(int(resp["status"]), resp.get("body")):
                refused[ident] = False
        self.by_identity: dict[str, dict[str, Any]] = {}
        accepted = [i for i in seen if not refused[i]]
        for index, ident in enumerate(accepted):
            if not accounts:
                break
            self.by_identity[ident] = accounts[min(index, len(accounts) - 1)]
        if accounts and len(accepted) > len(accounts):
            self.notes.append(f"the cassette uses {len(accepted)} credentials; the simulator has "
                              f"{len(accounts)} account(s), so the last one stands for the rest")

    def _form_credentials(self, entry: dict[str, Any]) -> tuple[str, str] | None:
        req = entry["request"]
        fields = self.facts.form_fields
        if len(fields) < 2:
            return None
        body = req.get("body")
        if req.get("body_encoding") == "form":
            values = {k: v for k, v in body}
        elif req.get("body_encoding") == "json" and isinstance(body, dict):
            values = body
        else:
            return None
        user, password = values.get(fields[0]), values.get(fields[1])
        if isinstance(user, str) and isinstance(password, str):
            return user, password
        return None

    def identity(self, entry: dict[str, Any]) -> str | None:
        """Which credential a recorded request carries (in the provider's declared place), or None."""
        headers = {k.lower(): v for k, v in (entry["request"].get("headers") or {}).items()}
        scheme = self.facts.scheme
        if scheme == "basic":
            value = headers.get("authorization", "")
            if value[:6].lower() == "basic ":
                try:
                    decoded = base64.b64decode(value[6:].strip(), validate=True).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError, ValueError):
                    return f"basic:{value}"
                return "basic:" + decoded
            pair = self._form_credentials(entry)
            return f"basic:{pair[0]}:{pair[1]}" if pair else None
        for name in self.facts.credential_headers:
            if name in headers:
                return f"{name}:{headers[name]}"
        return None

    def account_for(self, entry: dict[str, Any]) -> dict[str, Any] | None:
        ident = self.identity(entry)
        return self.by_identity.get(ident) if ident is not None else None

    def apply(self, entry: dict[str, Any], headers: dict[str, str], encoding: str,
              body: Any) -> tuple[dict[str, str], Any]:
        """The request's credentials swapped for its simulator account's (where the request carried them)."""
        account = self.account_for(entry)
        if account is None:
            return headers, body
        lower = {k.lower() for k in headers}
        if lower & (self.facts.credential_headers | {"authorization"}):
            headers = {k: v for k, v in headers.items() if k.lower() not in self.facts.credential_headers}
            headers.update(account.get("headers") or {})
        fields = self.facts.form_fields
        creds = account.get("credentials") or {}
        if len(fields) >= 2 and self._form_credentials(entry) is not None:
            new = {fields[0]: str(creds.get(str(self.facts.auth.username), "")),
                   fields[1]: str(creds.get(str(self.facts.auth.password), ""))}
            if encoding == "form":
                body = [[k, new.get(k, v)] for k, v in body]
            elif encoding == "json" and isinstance(body, dict):
                body = {k: new.get(k, v) for k, v in body.items()}
        return headers, body
