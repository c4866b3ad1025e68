"""JSON paths of the examples data: `$`, `.key`, `['key']`, `[0]`, `[*]`, `.*` and `..` (any depth).

A pattern *covers* a concrete path when it matches the path's first tokens: `*` stands for any one key or index,
`..` for any number of them (`$..payer.gender` is every payer's gender), and a pattern covers everything below
what it names (`$.data` covers `$.data.payer.id`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Token = str | int
WILD = "*"
DEEP = "**"  # `..`: any number of tokens

_TOKEN = re.compile(r"(\.\.)|\.(\*|[^.\[\]]+)|\[(\*|\d+)\]|\['([^']*)'\]")


class PathError(ValueError):
    """A path that does not follow the grammar above."""


def parse(text: str) -> tuple[Token, ...]:
    """`$.data.items[*].id` -> ("data", "items", "*", "id"); indexes become ints."""
    if not text.startswith("$"):
        raise PathError(f"a path starts with '$': {text!r}")
    tokens: list[Token] = []
    pos = 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise PathError(f"cannot read {text!r} from position {pos}")
        deep, name, index, quoted = m.groups()
        if deep is not None:
            tokens.append(DEEP)
            if text[m.end():m.end() + 1] not in ("", "["):  # `$..key`: the key follows the two dots
                m2 = re.compile(r"(\*|[^.\[\]]+)").match(text, m.end())
                if m2 is None:
                    raise PathError(f"cannot read {text!r} from position {m.end()}")
                tokens.append(m2.group(1))
                pos = m2.end()
                continue
        elif name is not None:
            tokens.append(name)
        elif index is not None:
            tokens.append(WILD if index == WILD else int(index))
        else:
            tokens.append(quoted)
        pos = m.end()
    return tuple(tokens)


def render(tokens: Iterable[Token]) -> str:
    out = "$"
    for t in tokens:
        if t == DEEP:
            out += ".."
        elif isinstance(t, int):
            out += f"[{t}]"
        elif re.fullmatch(r"[^.\[\]' ]+", t):
            out += t if out.endswith("..") else f".{t}"
        else:
            out += f"['{t}']"
    return out


def covers(pattern: tuple[Token, ...], path: tuple[Token, ...]) -> bool:
    if not pattern:
        return True
    head, rest = pattern[0], pattern[1:]
    if head == DEEP:
        return any(covers(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    return (head == WILD or head == path[0]) and covers(rest, path[1:])


def covered(patterns: Iterable[tuple[Token, ...]], path: tuple[Token, ...]) -> bool:
    return any(covers(p, path) for p in patterns)


def get(document: object, tokens: tuple[Token, ...]) -> object:
    """The value at a concrete path (no wildcards); KeyError when it is not there."""
    node = document
    for t in tokens:
        if isinstance(t, int) and isinstance(node, list) and -len(node) <= t < len(node):
            node = node[t]
        elif isinstance(t, str) and t != WILD and isinstance(node, dict) and t in node:
            node = node[t]
        else:
            raise KeyError(render(tokens))
    return node
