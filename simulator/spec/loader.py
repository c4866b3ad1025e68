"""Read specs/<key>/openapi.yaml into its operations, and find the provider folders of the spec directories."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

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
class OpenAPI:
    """A provider's openapi.yaml: the document and its operations."""
    folder: Path
    document: dict[str, Any]
    operations: list[OperationSpec]

    @property
    def title(self) -> str:
        return str((self.document.get("info") or {}).get("title") or self.folder.name)

    def operation(self, op_id: str) -> OperationSpec:
        for op in self.operations:
            if op.id == op_id:
                return op
        raise KeyError(op_id)


_PARSED: dict[str, dict[str, Any]] = {}
T = TypeVar("T")


def cache_dir() -> Path:
    """The folder of the simulator's caches (parsed specs, TLS certificates)."""
    return Path(os.environ.get("PROVIDER_SIM_CACHE") or Path.home() / ".cache" / "provider-sim")


def cached(name: str, make: Callable[[], T]) -> T:
    """What `make` builds, pickled in the cache folder under `name` (a content hash the caller computed).

    Unpickling is cheap where parsing and checking are not: start-up pays for a spec or a behaviour file only when
    it changed. A cache that cannot be read or written is skipped.
    """
    path = cache_dir() / f"{name}.pickle"
    try:
        with path.open("rb") as fh:
            value: T = pickle.load(fh)
            return value
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, ImportError, TypeError):
        pass
    value = make()
    with contextlib.suppress(OSError, pickle.PickleError, TypeError, AttributeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    return value


def _yaml(path: Path) -> dict[str, Any]:
    """A YAML document, parsed once per content: memoized in the process and pickled in the cache folder (the
    key is the file's content hash, so an edited spec is parsed again)."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    hit = _PARSED.get(digest)
    if hit is not None:
        return hit

    def parse() -> object:
        try:
            return yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SpecError(_yaml_error(path, exc)) from exc
    data = cached(digest, parse)
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


def read_openapi(folder: Path) -> OpenAPI:
    path = folder / "openapi.yaml"
    document = _yaml(path)
    try:
        operations = _operations(document)
    except SpecError as exc:
        raise SpecError(f"{path}: {exc}") from exc
    return OpenAPI(folder=folder, document=document, operations=operations)


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


def select(folders: dict[str, Path], only: list[str] | None) -> dict[str, Path]:
    """The folders of the keys in `only` (all when None); an unknown key is a SpecError listing the known."""
    if only is None:
        return folders
    unknown = set(only) - set(folders)
    if unknown:
        raise SpecError(f"no spec for provider(s) {sorted(unknown)}; known: {', '.join(folders)}")
    return {k: v for k, v in folders.items() if k in only}
