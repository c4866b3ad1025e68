"""YAML (or JSON) parsed into dicts and lists that remember the line of every key and item.

Scenario and behaviour files name the file, the line and the key of an error, so their loaders keep `yaml`'s node
marks: `MarkedDict.lines[key]` is the 1-based line of that key, `MarkedDict.line` the line where the mapping starts.
`line_at(doc, path)` finds the line of a path of keys and indexes (a jsonschema error's `absolute_path`).
"""

from __future__ import annotations

from typing import Any, Sequence

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from simulator.limits import Limits


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


_OPENERS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
            yaml.FlowSequenceStartToken)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _check_shape(text: str, limits: Limits) -> None:
    """Size, nesting and aliases, read from the token stream before anything is built.

    The C loader builds nested collections by recursion (30,000 `[` crash the process) and aliases share
    what they point to, so a small file can stand for billions of nodes: both are refused here, the scan
    stopping at the first token past a limit.
    """
    size = len(text.encode("utf-8", "replace"))
    if size > limits.max_scenario_bytes:
        raise MarkedYAMLError(1, f"the file is {size} bytes; a scenario file is at most "
                                 f"{limits.max_scenario_bytes} (max_scenario_bytes)")
    depth = aliases = 0
    for token in yaml.scan(text, Loader=_Base):
        if isinstance(token, _OPENERS):
            depth += 1
            if depth > limits.max_yaml_depth:
                raise MarkedYAMLError(token.start_mark.line + 1,
                                      f"nested deeper than {limits.max_yaml_depth} levels")
        elif isinstance(token, _CLOSERS):
            depth -= 1
        elif isinstance(token, yaml.AliasToken):
            aliases += 1
            if aliases > limits.max_yaml_aliases:
                raise MarkedYAMLError(token.start_mark.line + 1,
                                      f"more than {limits.max_yaml_aliases} aliases (*name)")


def expanded_size(value: object, limit: int) -> int:
    """Nodes the value stands for once every alias is followed (stops counting past `limit`).

    Shared (aliased) objects are sized once and counted at each use, so the walk is linear in the objects built.
    """
    sizes: dict[int, int] = {}
    # iterative post-order walk; the depth is already bounded, the breadth may not be
    stack: list[tuple[object, bool]] = [(value, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if id(node) in sizes and not done:
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            total = 1
            for child in children:
                total += sizes.get(id(child), 1) if isinstance(child, (dict, list)) else 1
                if total > limit:
                    break
            sizes[id(node)] = min(total, limit + 1)
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if isinstance(c, (dict, list)) and id(c) not in sizes)
    return sizes.get(id(value), 1)


def parse(text: str, limits: Limits | None = None) -> list[Any]:
    """Every document of the text, with marks. Raises MarkedYAMLError on a syntax error or past a limit."""
    lim = limits or Limits()
    try:
        _check_shape(text, lim)
        docs = [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]
        for doc in docs:
            if expanded_size(doc, lim.max_yaml_nodes) > lim.max_yaml_nodes:
                raise MarkedYAMLError(getattr(doc, "line", 1), f"the file stands for more than "
                                      f"{lim.max_yaml_nodes} values once its aliases are followed")
        return docs
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise MarkedYAMLError(line, f"not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise MarkedYAMLError(1, f"not valid YAML: {exc}") from exc


def line_at(doc: object, path: Sequence[str | int]) -> int:
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
