"""A documented answer against the simulator's: the list of differences, each naming its JSON path.

- `shape`: the envelope and every documented key is there with the document's JSON type (number covers integer
  and decimal); a key the document does not show is a difference unless an `extra` rule covers it. Lists may have
  another length; each item is checked against the documented item at its index (or the last one).
- values: every scalar equals the document's, except under a `differ` rule (generated ids, timestamps, fixture
  data); a `differ` rule with `type:` also admits those JSON types in place of the document's, and `type: any`
  leaves everything below its path unchecked (the document's sample stands for data of another shape); with
  `pattern:` the text must still have the documented form (a regular expression), and with `nullable:` a null
  may stand for a value of the listed types and such a value for null (a fact not known yet, or no longer).
- `exact` (error examples): values everywhere outside `differ`, and the same keys in the same order: the body is
  byte-equal to the document's once decoded (whitespace and `\\u` escapes of the wire encoding aside).
"""

from __future__ import annotations

import re
from simulator.examples.model import ANY, Rule
from simulator.examples.paths import Token, covered, render


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class Comparison:
    def __init__(self, differ: list[Rule], extra: list[Rule], exact: bool) -> None:
        self.differ = [r.path for r in differ]
        self.typed = [(r.path, r.types) for r in differ if r.types]
        self.anything = [r.path for r in differ if ANY in r.types]
        self.patterns = [(r.path, re.compile(r.pattern)) for r in differ if r.pattern is not None]
        self.nullable = [(r.path, r.nullable) for r in differ if r.nullable]
        self.extra = [r.path for r in extra]
        self.exact = exact
        self.problems: list[str] = []

    def _types_allowed(self, path: tuple[Token, ...], doc: object, got: object) -> bool:
        if json_type(doc) == json_type(got):
            return True
        if any(json_type(got) in types for pattern, types in self.typed if covered([pattern], path)):
            return True
        if doc is None or got is None:  # null in place of a value, or a value in place of null
            value = got if doc is None else doc
            return any(json_type(value) in types for pattern, types in self.nullable if covered([pattern], path))
        return False

    def walk(self, doc: object, got: object, path: tuple[Token, ...]) -> None:
        if covered(self.anything, path):
            return
        at = render(path)
        if not self._types_allowed(path, doc, got):
            self.problems.append(f"{at}: {json_type(got)} {_short(got)}, the document shows {json_type(doc)} "
                                 f"{_short(doc)}")
            return
        if isinstance(doc, dict) and isinstance(got, dict):
            self._object(doc, got, path)
        elif isinstance(doc, list) and isinstance(got, list):
            self._array(doc, got, path)
        elif json_type(doc) == json_type(got) and doc != got and not covered(self.differ, path):
            self.problems.append(f"{at}: {_short(got)}, the document shows {_short(doc)}")
        for pattern, regex in self.patterns:
            if covered([pattern], path) and isinstance(got, str) and not regex.fullmatch(got):
                self.problems.append(f"{at}: {_short(got)} does not have the documented form {regex.pattern}")

    def _object(self, doc: dict[str, object], got: dict[str, object], path: tuple[Token, ...]) -> None:
        missing = [k for k in doc if k not in got]
        extra = [k for k in got if k not in doc and not covered(self.extra, path + (k,))]
        if missing:
            self.problems.append(f"{render(path)}: missing key(s) {missing}")
        if extra:
            self.problems.append(f"{render(path)}: key(s) the document does not show {extra}")
        if self.exact and not missing and not extra and list(doc) != list(got):
            self.problems.append(f"{render(path)}: keys in the order {list(got)}, the document has {list(doc)}")
        for key in doc:
            if key in got:
                self.walk(doc[key], got[key], path + (key,))

    def _array(self, doc: list[object], got: list[object], path: tuple[Token, ...]) -> None:
        if len(doc) != len(got) and not covered(self.differ, path):
            self.problems.append(f"{render(path)}: {len(got)} item(s), the document shows {len(doc)}")
        if doc and not got:
            self.problems.append(f"{render(path)}: no item to check against the document's")
        if not doc:
            return
        for i, item in enumerate(got):
            template = doc[min(i, len(doc) - 1)]
            if i < len(doc):
                self.walk(template, item, path + (i,))
            else:  # an item the document does not show: its shape only
                shape = Comparison([Rule((), "extra item")], [], False)
                shape.extra, shape.typed, shape.anything = self.extra, self.typed, self.anything
                shape.patterns, shape.nullable = self.patterns, self.nullable
                shape.walk(template, item, path + (i,))
                self.problems.extend(shape.problems)


def compare(doc: object, got: object, differ: list[Rule], extra: list[Rule], exact: bool = False) -> list[str]:
    c = Comparison(differ, extra, exact)
    c.walk(doc, got, ())
    return c.problems


def _short(value: object, limit: int = 60) -> str:
    import json
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"
