"""YAML (or JSON) parsed into dicts and lists that remember the line of every key and item.

Scenario and behaviour files name the file, the line and the key of an error, so their loaders keep `yaml`'s node
marks: `MarkedDict.lines[key]` is the 1-based line of that key, `MarkedDict.line` the line where the mapping starts.
`line_at(doc, path)` finds the line of a path of keys and indexes (a jsonschema error's `absolute_path`).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode


class MarkedDict(dict[str, Any]):
    line: int = 1
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class MarkedList(list[Any]):
    line: int = 1
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class MarkedYAMLError(Exception):
    """A syntax error or a duplicate key, with its 1-based line."""

    def __init__(self, line: int, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.key = key
        self.message = message


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same marks, faster


class _Loader(_Base):  # type: ignore[misc]
    pass


def _mapping(loader: _Loader, node: Node) -> MarkedDict:
    assert isinstance(node, MappingNode)
    loader.flatten_mapping(node)
    result = MarkedDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise MarkedYAMLError(line, f"duplicate key {key!r}", key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _sequence(loader: _Loader, node: Node) -> MarkedList:
    assert isinstance(node, SequenceNode)
    result = MarkedList(loader.construct_object(child, deep=True)
                        for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def parse(text: str) -> list[Any]:
    """Every document of the text, with marks. Raises MarkedYAMLError on a syntax error."""
    try:
        return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise MarkedYAMLError(line, f"not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise MarkedYAMLError(1, f"not valid YAML: {exc}") from exc


def line_at(doc: Any, path: list[Any] | tuple[Any, ...]) -> int:
    """The line of the deepest node of `path` (keys and list indexes) that the document has."""
    node, line = doc, getattr(doc, "line", 1)
    for part in path:
        if isinstance(node, MarkedDict) and isinstance(part, str) and part in node:
            line = node.line_of(part)
            node = node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.line_of(part)
            node = node[part]
        else:
            break
    return line


def plain(value: Any) -> Any:
    """Marked containers back to plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
