"""Every date rule and timestamp of the providers follows the simulator clock (`--start-time`, /_sim/clock/advance):
no provider, engine or data module reads the wall clock, so a document's examples pass at the document's era."""

from __future__ import annotations

import ast
from pathlib import Path

import simulator

WALL_CLOCK = {("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("datetime", "now"),
              ("datetime", "utcnow"), ("date", "today"), ("datetime", "today")}
ROOT = Path(simulator.__file__).resolve().parent
CLOCKED = ["providers", "engine", "behaviour", "brdata", "lifecycle.py", "webhooks", "scenarios", "store", "ui"]


def _wall_clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
            if (name, node.func.attr) in WALL_CLOCK:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_no_provider_or_engine_module_reads_the_wall_clock() -> None:
    files = [f for part in CLOCKED for f in ((ROOT / part).rglob("*.py") if (ROOT / part).is_dir() else [ROOT / part])]
    assert len(files) > 50
    calls = [c for f in files for c in _wall_clock_calls(f)]
    assert not calls, calls
