"""Redaction of secrets and personal data, before anything is written, keeping each value's shape.

What is masked:
- credentials where the provider's `auth:` declaration says they travel (its header, HTTP Basic user and password,
  its form fields) and wherever those values show up again (echoed in a body, a URL, a message);
- values under secret-like names (`password`, `senha`, `secret`, `token`, `api_key`, `cvv`, `security_code`,
  `signature`, ...), the credentials' own names (`auth_token`, `conta`, ...), cookies and signature headers;
- personal data: people's names (`first_name`, `nome`, `holder_name`, `name` under `customer`, `payer`, `cliente`,
  `card`, ...), CPF and CNPJ (by check digits, anywhere, and under document-like names), card numbers (13 to 19
  digits passing Luhn, anywhere), e-mail addresses, phone numbers (under phone-like names, and written as phones).

Masks keep the shape: the same length and punctuation, digits for digits, letters for letters, hex for hex; a CPF
becomes another valid CPF, a card another Luhn-valid card of the same BIN (so the same brand), a Mozambican msisdn
keeps its operator prefix and a Brazilian phone its area code. The same value always gets the same mask within a
recording session (a keyed hash with a random key that is never written), so relations (the id a response echoes,
the account a credential names) survive; the original cannot be recovered from the cassette.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import random
import re
import secrets
import string
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from simulator.brdata import (
    cnpj_is_valid,
    cpf_is_valid,
    generate_cnpj,
    generate_cpf,
    luhn_complete,
    luhn_is_valid,
    normalize_moz_msisdn,
    only_digits,
)
from simulator.record.facts import ProviderFacts

SECRET_NAME = re.compile(r"password|passwd|senha|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
                         r"|cvv|cvc|security[_-]?code|codigo[_-]?seguranca|signature|assinatura|cookie"
                         r"|authorization|credential", re.I)
DOCUMENT_NAME = re.compile(r"cpf|cnpj|document|tax[_-]?id", re.I)
EMAIL_NAME = re.compile(r"e[_-]?mail", re.I)
PHONE_NAME = re.compile(r"phone|fone|celular|msisdn|mobile|whatsapp", re.I)
PERSON_NAME = re.compile(r"(first|last|full|holder|payer|customer|client|cardholder|nome)[_-]?name|^nome(_completo)?$"
                         r"|^sobrenome$|^raz[aã]o[_-]?social$|^titular$|^holder$", re.I)
PERSON = re.compile(r"customer|cliente|payer|pagador|holder|card|cart[aã]o|favored|favorecido|sacado|buyer"
                    r"|comprador|user|usuario|titular|owner|person|pessoa", re.I)

_SCAN = re.compile(
    r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?P<cnpj>(?<!\d)\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}(?!\d))"
    r"|(?P<cpf>(?<!\d)\d{3}\.\d{3}\.\d{3}-\d{2}(?!\d))"
    r"|(?P<phone>(?:\+\d{2,3}\s?)?\(\d{2}\)\s?9?\d{4}-?\d{4}(?!\d)|\+55\s?\d{2}\s?9?\d{4}-?\d{4}(?!\d)"
    r"|\+258\s?8\d\s?\d{3}\s?\d{4}(?!\d))"
    r"|(?P<spaced>(?<!\d)\d{4}(?:[ -]\d{4}){2}[ -]\d{1,7}(?!\d))"
    r"|(?P<digits>(?<!\d)\d{11,19}(?!\d))")
_HEX = frozenset("0123456789abcdef")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
Found = dict[str, list[str]]


def jpath(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if _IDENT.fullmatch(key) else f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


def leaf_name(key: str) -> str:
    """The innermost name of a PHP form key: `cliente[cpf]` -> `cpf`."""
    inner = re.findall(r"\[([^\]]*)\]", key)
    named = [k for k in inner if k and not k.isdigit()]
    return named[-1] if named else key.partition("[")[0]


def _redigit(original: str, digits: str) -> str:
    """`original` with its digits replaced, in order, by `digits` (punctuation kept)."""
    it = iter(digits)
    return "".join(next(it) if c.isdigit() else c for c in original)


class Redactor:
    """One recording session's masks. `entry()` redacts a cassette entry in place and lists what it masked."""

    def __init__(self, facts: ProviderFacts, key: bytes | None = None) -> None:
        self.facts = facts
        self._key = key or secrets.token_bytes(32)
        self._masks: dict[str, str] = {}  # original -> mask, for every value masked so far
        self._produced: set[str] = set()  # the masks themselves: never masked again
        self._pattern: re.Pattern[str] | None = None
        self._secret_names = {n.lower() for n in (*facts.credential_names, *facts.form_fields)}

    # --- masks ----------------------------------------------------------------------------------------------

    def _rng(self, value: str) -> random.Random:
        return random.Random(hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).digest())

    def _remember(self, original: str, masked: str) -> str:
        if original and original != masked and original not in self._masks:
            self._masks[original] = masked
            self._produced.add(masked)
            self._pattern = None
        return masked

    def _shape(self, value: str) -> str:
        rng = self._rng(value)
        hexish = len(value) >= 8 and set(value.lower()) <= _HEX
        for _ in range(8):
            out = []
            for c in value:
                if hexish and c in _HEX:
                    out.append(rng.choice("0123456789abcdef"))
                elif hexish and c.lower() in _HEX:
                    out.append(rng.choice("0123456789ABCDEF"))
                elif c in string.digits:
                    out.append(rng.choice(string.digits))
                elif c in string.ascii_lowercase:
                    out.append(rng.choice(string.ascii_lowercase))
                elif c in string.ascii_uppercase:
                    out.append(rng.choice(string.ascii_uppercase))
                else:
                    out.append(c)
            masked = "".join(out)
            if masked != value:
                return masked
        return masked

    def secret(self, value: str) -> str:
        if value in self._masks:
            return self._masks[value]
        return self._remember(value, self._shape(value))

    def _document(self, value: str) -> str:
        if value in self._masks:
            return self._masks[value]
        digits = only_digits(value)
        rng = self._rng(value)
        new = digits
        for _ in range(20):
            if len(digits) == 11 and cpf_is_valid(digits):
                new = generate_cpf(rng)
            elif len(digits) == 14 and cnpj_is_valid(digits):
                new = generate_cnpj(rng)
            else:
                new = "".join(rng.choice(string.digits) for _ in digits)
            if new != digits and new[0] != "0":
                break
        return self._remember(value, _redigit(value, new))

    def _card(self, value: str) -> str:
        if value in self._masks:
            return self._masks[value]
        digits = only_digits(value)
        rng = self._rng(value)
        new = digits
        while new == digits:
            new = luhn_complete(digits[:6] + "".join(rng.choice(string.digits) for _ in range(len(digits) - 7)))
        return self._remember(value, _redigit(value, new))

    def _phone(self, value: str) -> str:
        if value in self._masks:
            return self._masks[value]
        digits = only_digits(value)
        if len(digits) < 8:
            return self.secret(value)
        if normalize_moz_msisdn(value) is not None:
            keep = len(digits) - 9 + 2  # country code, then the operator's two digits
        else:  # Brazilian (or other): country code 55, the area code and the subscriber's first digit
            keep = (2 if len(digits) in (12, 13) and digits.startswith("55") else 0) + 3
        keep = min(keep, len(digits) - 4)
        rng = self._rng(value)
        new = digits
        while new == digits:
            new = digits[:keep] + "".join(rng.choice(string.digits) for _ in range(len(digits) - keep))
        return self._remember(value, _redigit(value, new))

    def _email(self, value: str) -> str:
        if value in self._masks:
            return self._masks[value]
        local, _, domain = value.rpartition("@")
        labels = domain.split(".")
        masked = self._shape(local) + "@" + ".".join([*(self._shape(x) for x in labels[:-1]), labels[-1]])
        return self._remember(value, masked)

    # --- values ---------------------------------------------------------------------------------------------

    def _known(self, text: str) -> str:
        """Every value of 6 characters or more masked so far, replaced wherever it appears (shorter ones get the same
        mask where they are recognised again, as masks are a keyed hash of the value)."""
        if len(text) >= 6 and text in self._masks:
            return self._masks[text]
        if self._pattern is None:
            long_ones = sorted((k for k in self._masks if len(k) >= 6), key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, long_ones))) if long_ones else re.compile(r"(?!)")
        return self._pattern.sub(lambda m: self._masks[m.group(0)], text)

    def _scan(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            found = m.group(0)
            kind = m.lastgroup
            if found in self._produced:
                return found
            if kind == "email":
                return self._email(found)
            if kind in ("cpf", "cnpj"):
                return self._document(found)
            if kind == "phone":
                return self._phone(found)
            digits = only_digits(found)
            if kind == "spaced":
                return self._card(found) if luhn_is_valid(digits) else found
            if (len(digits) == 11 and cpf_is_valid(digits)) or (len(digits) == 14 and cnpj_is_valid(digits)):
                return self._document(found)
            if 13 <= len(digits) <= 19 and luhn_is_valid(digits):
                return self._card(found)
            return found
        return _SCAN.sub(one, text)

    def kind_of(self, name: str | None, parent: str | None = None) -> str | None:
        """What a field name (under `parent`) says its value is: secret, document, email, phone, person (a
        person's name), or nothing."""
        if not name:
            return None
        leaf = leaf_name(name)
        if parent is None and "[" in name:
            inner = [k for k in re.findall(r"\[([^\]]*)\]", "[" + name.partition("[")[2]) if k and not k.isdigit()]
            parent = ([name.partition("[")[0]] + inner)[-2] if inner else None
        if name.lower() in self._secret_names or leaf.lower() in self._secret_names or SECRET_NAME.search(leaf):
            return "secret"
        if DOCUMENT_NAME.search(leaf):
            return "document"
        if EMAIL_NAME.search(leaf):
            return "email"
        if PHONE_NAME.search(leaf):
            return "phone"
        if PERSON_NAME.search(leaf) or (leaf.lower() in ("name", "nome") and parent and PERSON.search(parent)):
            return "person"
        return None

    def text(self, value: str, name: str | None = None, parent: str | None = None) -> str:
        kind = self.kind_of(name, parent)
        if kind in ("secret", "person") and value:
            return self.secret(value)
        if kind == "document" and len(only_digits(value)) in (11, 14):
            return self._document(value)
        if kind == "email" and "@" in value:
            return self._email(value)
        if kind == "phone" and len(only_digits(value)) >= 8:
            return self._phone(value)
        if value.startswith(("http://", "https://")):
            value = self._url(value)
        return self._scan(self._known(value))

    def _url(self, url: str) -> str:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, host = netloc.rpartition("@")
            netloc = self.secret(userinfo) + "@" + host
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, self.secret(v) if self.kind_of(k) == "secret" and v else v) for k, v in pairs])
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))

    def number(self, value: int, name: str | None = None, parent: str | None = None) -> int:
        """An integer leaf: masked digits stay an integer with as many digits."""
        text = str(value)
        masked = self.text(text, name, parent) if value >= 0 else text
        if masked == text or not masked.isdigit():
            return value
        return int(masked if masked[0] != "0" else "1" + masked[1:])

    def data(self, value: object, path: str, found: list[str], name: str | None = None,
             parent: str | None = None) -> object:
        """A JSON value redacted; the JSON paths of masked leaves are added to `found`."""
        if isinstance(value, dict):
            return {k: self.data(v, jpath(path, k), found, k, name) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v, jpath(path, i), found, name, parent) for i, v in enumerate(value)]
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        new: int | str = self.number(value, name, parent) if isinstance(value, int) else \
            self.text(str(value), name, parent)
        if new != value:
            found.append(path)
        return new

    # --- the parts of an exchange ---------------------------------------------------------------------------

    def _auth(self, value: str) -> str:
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "bearer" and rest:
            return f"{scheme} {self.secret(rest.strip())}"
        if scheme.lower() == "basic" and rest:
            try:
                user, sep, password = base64.b64decode(rest.strip(), validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return f"{scheme} {self.secret(rest.strip())}"
            pair = (self.secret(user) if user else "") + sep + (self.secret(password) if password else "")
            return f"{scheme} {base64.b64encode(pair.encode('utf-8')).decode('ascii')}"
        return self.secret(value)

    def headers(self, headers: dict[str, str], found: list[str]) -> dict[str, str]:
        out = {}
        for name, value in headers.items():
            lower = name.lower()
            if lower in self.facts.credential_headers or lower in ("authorization", "proxy-authorization"):
                new = self._auth(value) if value else value
            elif lower == self.facts.signature_header or SECRET_NAME.search(lower):
                new = self.secret(value) if value else value
            else:
                new = self.text(value)
            if new != value:
                found.append(lower)
            out[name] = new
        return out

    def pairs(self, pairs: list[list[str]], found: list[str]) -> list[list[str]]:
        out = []
        for key, value in pairs:
            new = self.text(value, key) if value else value
            if new != value:
                found.append(key)
            out.append([key, new])
        return out

    def body(self, encoding: str, body: Any, found: list[str]) -> object:
        if encoding == "json":
            return self.data(body, "$", found)
        if encoding == "form":
            return self.pairs(body, found)
        if encoding == "text":
            new = self.text(str(body))
            if new != body:
                found.append("$")
            return new
        return body

    def path(self, path: str, found: list[str]) -> str:
        segments = path.split("/")
        new = [self.text(s) if s else s for s in segments]
        if new != segments:
            found.extend(str(i) for i, (a, b) in enumerate(zip(segments, new)) if a != b)  # segment numbers
        return "/".join(new)

    def entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Redact a cassette entry in place (credentials first, so their echoes are known) and return it."""
        redacted: dict[str, list[str]] = {}
        req = entry["request"]
        found: list[str] = []
        redacted["request.headers"] = found
        req["headers"] = self.headers(req.get("headers") or {}, found)
        redacted["request.body"] = found = []
        if req.get("body_encoding") == "form":  # credential fields first
            first = [p for p in req["body"] if p[0] in self.facts.form_fields]
            self.pairs(first, [])
        req["body"] = self.body(str(req.get("body_encoding")), req.get("body"), found)
        redacted["request.path"] = found = []
        req["path"] = self.path(str(req["path"]), found)
        redacted["request.query"] = found = []
        req["query"] = self.pairs(req.get("query") or [], found)
        resp = entry.get("response")
        if resp is not None:
            redacted["response.headers"] = found = []
            resp["headers"] = self.headers(resp.get("headers") or {}, found)
            redacted["response.body"] = found = []
            resp["body"] = self.body(str(resp.get("body_encoding")), resp.get("body"), found)
        if entry.get("error"):
            entry["error"]["message"] = self.text(str(entry["error"].get("message", "")))
        entry["redacted"] = {k: v for k, v in redacted.items() if v}
        return entry
