"""Routes built once from a spec's paths: literal paths by dict, templated paths by segment match."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Template(Generic[T]):
    segments: list[str | None]  # None where a parameter stands
    names: list[str]
    target: T
    literal_count: int


@dataclass
class Router(Generic[T]):
    """Matches (method, path) to a target and its path parameters."""

    collapse_slashes: bool = False
    aliases: tuple[str, ...] = ()  # base paths served as the root too (behaviour.yaml `path_aliases`)
    _static: dict[tuple[str, str], T] = field(default_factory=dict)
    _dynamic: dict[tuple[str, int], list[_Template[T]]] = field(default_factory=dict)
    _paths: dict[str, set[str]] = field(default_factory=dict)

    def add(self, method: str, template: str, target: T) -> None:
        method = method.upper()
        parts = template.strip("/").split("/") if template.strip("/") else []
        if not any(p.startswith("{") for p in parts):
            self._static[(method, "/" + "/".join(parts))] = target
        else:
            segs: list[str | None] = []
            names: list[str] = []
            for p in parts:
                if p.startswith("{") and p.endswith("}"):
                    segs.append(None)
                    names.append(p[1:-1])
                else:
                    segs.append(p)
            bucket = self._dynamic.setdefault((method, len(parts)), [])
            bucket.append(_Template(segs, names, target, sum(s is not None for s in segs)))
            bucket.sort(key=lambda t: -t.literal_count)
        self._paths.setdefault(template, set()).add(method)

    def normalize(self, path: str) -> str:
        if self.collapse_slashes:
            while "//" in path:
                path = path.replace("//", "/")
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        for alias in self.aliases:
            if path.startswith(alias) and path[len(alias):len(alias) + 1] in ("", "/"):
                path = path[len(alias):] or "/"
                break
        return path or "/"

    def match(self, method: str, path: str) -> tuple[T, dict[str, str]] | None:
        path = self.normalize(path)
        hit = self._static.get((method, path))
        if hit is not None:
            return hit, {}
        parts = path.strip("/").split("/") if path != "/" else []
        for tpl in self._dynamic.get((method, len(parts)), ()):
            params: dict[str, str] = {}
            i = 0
            for seg, part in zip(tpl.segments, parts):
                if seg is None:
                    if not part:
                        break
                    params[tpl.names[i]] = part
                    i += 1
                elif seg != part:
                    break
            else:
                return tpl.target, params
        return None

    def allowed_methods(self, path: str) -> list[str]:
        """Methods that would match this path (for a 405 instead of a 404)."""
        methods = {m for (m, _) in list(self._static) + [(m, 0) for (m, _) in self._dynamic]}
        return sorted(m for m in methods if self.match(m, path) is not None)
