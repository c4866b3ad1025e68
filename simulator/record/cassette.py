"""The cassette: a folder with `cassette.json` and one readable JSON file per exchange or webhook.

    cassette.json            {"format", "provider", "upstream", "sessions": [{"started_at", "recorded_with"}]}
    0001-c2b_mpesa.json      {"format", "kind": "exchange", "seq", "provider", "operation", "at", "duration_ms",
                              "request": {"method", "path", "query", "headers", "body_encoding", "body"},
                              "response": {"status", "headers", "body_encoding", "body"} | null,
                              "error": null | {"kind": "timeout" | "connection", "message"}, "redacted": {...}}
    0002-webhook.json        {"kind": "webhook", ... "request": what the provider sent,
                              "response": what the integrator's receiver answered, "forwarded_to"}

`query` is a list of [name, value] pairs; `headers` a mapping of lower-case names (repeated ones joined by ", ");
`body_encoding` is `none`, `json` (the body is the parsed JSON), `form` ([name, value] pairs, PHP bracket names
kept), `text`, or `omitted` (binary bodies: `{"bytes": N}` only, as they cannot be scanned for personal data).
`at` is when the request arrived (ISO 8601 UTC with milliseconds); `redacted` lists, per part, what was masked: JSON
paths in bodies, header names, query and form field names, path segment numbers.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

FORMAT = "provider-sim-cassette/1"
META = "cassette.json"
_ENTRY = re.compile(r"(\d{4,})-[A-Za-z0-9_.-]+\.json")


class CassetteError(Exception):
    """A folder that is not a readable cassette."""


def iso_ms(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json_type(content_type: str) -> bool:
    base = media_type(content_type)
    return base.endswith("/json") or base.endswith("+json")


def encode_body(raw: bytes, content_type: str) -> tuple[str, object]:
    """A body as (encoding, readable value): parsed JSON, form pairs, text, or only its size when binary."""
    if not raw:
        return "none", None
    base = media_type(content_type)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "omitted", {"bytes": len(raw)}
    if base == "application/x-www-form-urlencoded":
        return "form", [[k, v] for k, v in parse_qsl(text, keep_blank_values=True)]
    if is_json_type(content_type) or base in ("", "text/plain", "text/html", "text/json"):
        try:
            return "json", json.loads(text)
        except ValueError:
            pass
    if "\x00" in text:
        return "omitted", {"bytes": len(raw)}
    return "text", text


def decode_body(encoding: str, value: Any) -> bytes:
    """The bytes to send for a recorded body."""
    if encoding == "json":
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    if encoding == "form":
        return urlencode([(str(k), str(v)) for k, v in value]).encode("ascii")
    if encoding == "text":
        return str(value).encode("utf-8")
    return b""


FormTree = dict[str, "str | FormTree"]  # form fields as PHP nests them: `a[b][0]=x` is {"a": {"b": {"0": "x"}}}


def form_to_data(pairs: list[list[str]]) -> FormTree:
    """Form pairs as nested data, the way PHP reads `a[b][0]=x` (for comparing shapes)."""
    root: FormTree = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        path = [head] + (re.findall(r"\[([^\]]*)\]", "[" + rest) if rest else [])
        node = root
        for i, part in enumerate(path):
            if part == "":
                part = str(sum(1 for k in node if k.isdigit()))
            if i == len(path) - 1:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
    return root


def headers_dict(pairs: list[tuple[bytes, bytes]] | list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw_name, raw_value in pairs:
        name = (raw_name.decode("latin-1") if isinstance(raw_name, bytes) else raw_name).lower()
        value = raw_value.decode("latin-1") if isinstance(raw_value, bytes) else raw_value
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def safe_url(url: str) -> str:
    """A URL without user name and password (for cassette.json)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _slug(entry: dict[str, Any]) -> str:
    if entry.get("kind") == "webhook":
        return "webhook"
    op = entry.get("operation")
    if op:
        return str(op)
    method = str(entry.get("request", {}).get("method", "x")).lower()
    return f"unmatched-{method}"


class CassetteWriter:
    """Writes entries with increasing sequence numbers; safe to share between threads."""

    def __init__(self, folder: Path, provider: str, upstream: str, recorded_with: str, now: float) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)
        meta_path = folder / META
        meta: dict[str, Any] = {"format": FORMAT, "provider": provider, "upstream": safe_url(upstream),
                                "sessions": []}
        if meta_path.exists():
            old = _load_json(meta_path)
            if old.get("provider") != provider:
                raise CassetteError(f"{folder} holds a cassette of {old.get('provider')!r}, not {provider!r}")
            meta = {**meta, **old}
        meta["sessions"] = [*meta.get("sessions", []), {"started_at": iso_ms(now), "recorded_with": recorded_with,
                                                        "upstream": safe_url(upstream)}]
        _write_json(meta_path, meta)
        self._seq = max((int(m.group(1)) for p in folder.iterdir() if (m := _ENTRY.fullmatch(p.name))), default=0)

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def write(self, entry: dict[str, Any]) -> Path:
        path = self.folder / f"{int(entry['seq']):04d}-{_slug(entry)}.json"
        _write_json(path, {"format": FORMAT, **entry})
        return path


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CassetteError(f"{path}: not a readable JSON file ({exc})") from exc
    if not isinstance(data, dict):
        raise CassetteError(f"{path}: expected a JSON object")
    return data


@dataclass
class Cassette:
    folder: Path
    provider: str
    meta: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)  # by sequence number; each has "file"

    @property
    def exchanges(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if e.get("kind") == "exchange"]

    @property
    def webhooks(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if e.get("kind") == "webhook"]


def read(folder: Path) -> Cassette:
    if not folder.is_dir():
        raise CassetteError(f"{folder} is not a folder")
    meta_path = folder / META
    if not meta_path.exists():
        raise CassetteError(f"{folder} has no {META}: record one with `provider-sim record`")
    meta = _load_json(meta_path)
    if meta.get("format") != FORMAT:
        raise CassetteError(f"{meta_path}: format {meta.get('format')!r} is not {FORMAT!r}")
    provider = meta.get("provider")
    if not isinstance(provider, str) or not provider:
        raise CassetteError(f"{meta_path}: no provider")
    entries = []
    for path in sorted(folder.iterdir()):
        if not _ENTRY.fullmatch(path.name):
            continue
        entry = _load_json(path)
        for key in ("kind", "seq", "at", "request"):
            if key not in entry:
                raise CassetteError(f"{path}: no {key!r}")
        if entry["kind"] not in ("exchange", "webhook"):
            raise CassetteError(f"{path}: kind {entry['kind']!r} is neither 'exchange' nor 'webhook'")
        entry["file"] = path.name
        entries.append(entry)
    entries.sort(key=lambda e: int(e["seq"]))
    return Cassette(folder, provider, meta, entries)
