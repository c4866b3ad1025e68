"""Read specs/<key>/openapi.yaml and behaviour.yaml into a ProviderSpec."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class SpecError(Exception):
    """A spec folder that cannot be loaded."""


@dataclass
class OperationSpec:
    id: str
    method: str
    path: str
    secured: bool
    request_schema: dict[str, Any] | None
    body_types: list[str]
    query_params: list[dict[str, Any]]
    path_params: list[dict[str, Any]]
    header_params: list[dict[str, Any]]
    responses: dict[str, Any]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass
class ProviderSpec:
    key: str
    name: str
    folder: Path
    openapi: dict[str, Any]
    behaviour: dict[str, Any]
    operations: list[OperationSpec]

    def operation(self, op_id: str) -> OperationSpec:
        for op in self.operations:
            if op.id == op_id:
                return op
        raise KeyError(op_id)


_PARSED: dict[str, dict[str, Any]] = {}


def _cache_dir() -> Path:
    return Path(os.environ.get("PROVIDER_SIM_CACHE") or Path.home() / ".cache" / "provider-sim")


def _yaml(path: Path) -> dict[str, Any]:
    """A YAML document, parsed once per content: memoized in the process and pickled in a cache folder.

    Parsing the largest spec costs far more than start-up allows; unpickling it is cheap. The cache key is
    the file's content hash, so an edited spec is parsed again. A cache that cannot be written is skipped.
    """
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    hit = _PARSED.get(digest)
    if hit is not None:
        return hit
    cached = _cache_dir() / f"{digest}.pickle"
    try:
        with cached.open("rb") as fh:
            data = pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        try:
            data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SpecError(_yaml_error(path, exc)) from exc
        with contextlib.suppress(OSError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cached)
    if not isinstance(data, dict):
        raise SpecError(f"{path}: expected a mapping at the top")
    _PARSED[digest] = data
    return data


def _yaml_error(path: Path, exc: Exception) -> str:
    """One line: the file, the line and what is wrong."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f", line {mark.line + 1}" if mark is not None else ""
    return f"{path}{where}: not valid YAML: {problem}"


def resolve_refs(node: Any, root: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """Inline local `$ref`s (`#/components/...`). Recursive references stop at their second visit."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                return {}
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            merged = dict(copy.deepcopy(target))
            merged.update({k: v for k, v in node.items() if k != "$ref"})
            return resolve_refs(merged, root, seen + (ref,))
        return {k: resolve_refs(v, root, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_refs(v, root, seen) for v in node]
    return node


def _operations(openapi: dict[str, Any]) -> list[OperationSpec]:
    ops: list[OperationSpec] = []
    global_security = openapi.get("security")
    for path, item in (openapi.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") or []
        for method in METHODS:
            raw = item.get(method)
            if not isinstance(raw, dict):
                continue
            op_id = raw.get("operationId")
            if not op_id:
                raise SpecError(f"{method.upper()} {path} has no operationId")
            params = resolve_refs(list(shared) + list(raw.get("parameters") or []), openapi)
            by_key = {(p.get("in"), p.get("name")): p for p in params}
            body = resolve_refs(raw.get("requestBody") or {}, openapi)
            content = body.get("content") or {}
            schema = None
            for media in content.values():
                if isinstance(media, dict) and "schema" in media:
                    schema = media["schema"]
                    break
            security = raw.get("security", global_security)
            ops.append(OperationSpec(
                id=str(op_id), method=method.upper(), path=path,
                secured=bool(security) and any(bool(s) for s in security or []),
                request_schema=schema, body_types=list(content),
                query_params=[p for (where, _), p in by_key.items() if where == "query"],
                path_params=[p for (where, _), p in by_key.items() if where == "path"],
                header_params=[p for (where, _), p in by_key.items() if where == "header"],
                responses=raw.get("responses") or {}, raw=raw))
    return ops


# The behaviour.yaml keys the generic engine reads, and their types. Other top-level keys belong to the
# provider's module, which reads them itself.
ENGINE_KEYS: dict[str, type] = {
    "provider": dict, "module": str, "json_style": str, "faker_locale": str, "money": dict, "auth": dict,
    "accounts": list, "errors": dict, "validation": dict, "lifecycles": dict, "webhooks": dict,
    "response_headers": dict, "rate_limit": dict, "collapse_slashes": bool, "path_aliases": list,
}
_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "a string", bool: "true or false"}


def _line_of(path: Path, keys: tuple[str | int, ...]) -> int:
    """The line of a key (or list item) in a YAML file, for messages; 1 when it cannot be found."""
    try:
        node: Any = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return 1
    line = 1
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
            if hit is None:
                break
            line, node = hit[0].start_mark.line + 1, hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def check_behaviour(path: Path, data: dict[str, Any]) -> None:
    """The engine's keys have the types it reads; a wrong one is a SpecError naming the file, line and key."""
    def fail(keys: tuple[str | int, ...], problem: str) -> None:
        name = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".")
        raise SpecError(f"{path}, line {_line_of(path, keys)}, key {name!r}: {problem}")

    for key, kind in ENGINE_KEYS.items():
        value = data.get(key)
        if value is not None and not isinstance(value, kind):
            fail((key,), f"must be {_TYPE_NAMES[kind]}, not {type(value).__name__}")
    for i, account in enumerate(data.get("accounts") or []):
        if not isinstance(account, dict) or "id" not in account:
            fail(("accounts", i), "an account is a mapping with an `id`")
    for name, error in (data.get("errors") or {}).items():
        if not isinstance(error, dict):
            fail(("errors", name), "an error is a mapping such as {status: 400, body: {...}}")


def load_provider(folder: Path) -> ProviderSpec:
    openapi = _yaml(folder / "openapi.yaml")
    behaviour_path = folder / "behaviour.yaml"
    behaviour = _yaml(behaviour_path) if behaviour_path.exists() else {}
    check_behaviour(behaviour_path, behaviour)
    meta = behaviour.get("provider") or openapi.get("x-provider") or {}
    if not isinstance(meta, dict):
        raise SpecError(f"{behaviour_path}: `provider` must be a mapping such as {{key: {folder.name}, name: ...}}")
    key = str(meta.get("key") or folder.name)
    if key != folder.name:
        raise SpecError(f"{behaviour_path}: provider key {key!r} differs from its folder's name {folder.name!r} "
                        "(the folder's name is the key)")
    name = str(meta.get("name") or (openapi.get("info") or {}).get("title") or key)
    try:
        operations = _operations(openapi)
    except SpecError as exc:
        raise SpecError(f"{folder / 'openapi.yaml'}: {exc}") from exc
    return ProviderSpec(key=key, name=name, folder=folder, openapi=openapi, behaviour=behaviour,
                        operations=operations)


def provider_folders(roots: Path | Sequence[Path]) -> dict[str, Path]:
    """Each provider key (its folder's name) and the folder that defines it, sorted by key.

    The first root is the built-in library; each later root adds its `<key>/openapi.yaml` folders, replacing an
    earlier folder of the same key. A later root that does not exist, or holds no provider folder, is an error.
    """
    roots = [roots] if isinstance(roots, Path) else list(roots)
    found: dict[str, Path] = {}
    for index, root in enumerate(roots):
        root = Path(root)
        if index and not root.is_dir():
            raise SpecError(f"spec folder {root} (--specs): no such folder")
        if index and (root / "openapi.yaml").is_file():
            raise SpecError(f"spec folder {root} is itself a provider folder: give the folder above it "
                            f"({root.parent}), which holds one folder per provider key")
        here = {}
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if (folder / "openapi.yaml").is_file():
                here[folder.name] = folder
            elif index and (folder / "behaviour.yaml").is_file():
                raise SpecError(f"{folder}: behaviour.yaml without openapi.yaml")
        if index and not here:
            raise SpecError(f"spec folder {root} holds no provider folder (<key>/openapi.yaml)")
        found.update(here)
    return dict(sorted(found.items()))


def discover(roots: Path | Sequence[Path], only: list[str] | None = None) -> list[ProviderSpec]:
    """Load every provider folder of `roots` (see provider_folders), or only the keys in `only`."""
    folders = provider_folders(roots)
    if only is not None:
        unknown = set(only) - set(folders)
        if unknown:
            raise SpecError(f"no spec for provider(s) {sorted(unknown)}; known: {', '.join(folders)}")
        folders = {k: v for k, v in folders.items() if k in only}
    return [load_provider(p) for p in folders.values()]
