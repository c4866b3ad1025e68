"""The package's structure, checked with `ast` over its source: no import cycles (type-only and function-level
imports included), no module reaching into another's private names, the engine and the generic UI never
importing a provider, and no provider named in generic code."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "simulator"
PROVIDER_KEYS = ("clicpay", "webpag", "widepay", "smartclick", "ideagateway")
ENGINE = ("simulator.engine", "simulator.lifecycle", "simulator.store", "simulator.webhooks", "simulator.scenarios",
          "simulator.behaviour", "simulator.spec", "simulator.records", "simulator.clock", "simulator.jsonio",
          "simulator.brdata", "simulator.report", "simulator.surface")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def resolve(name: str) -> str | None:
    """The package module a dotted name refers to (a module, or a name inside one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str) -> set[str]:
    """Every simulator module `module` imports, wherever the import statement is."""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            out.update(filter(None, (resolve(a.name) for a in node.names if a.name.startswith("simulator"))))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("simulator"):
                continue
            for alias in node.names:
                found = resolve(f"{base}.{alias.name}")
                if found:
                    out.add(found)
    out.discard(module)
    return out


GRAPH = {module: imports(module) for module in MODULES}


def strongly_connected() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_not_even_type_only_or_function_level() -> None:
    assert strongly_connected() == []


def test_no_module_reaches_into_another_modules_private_names() -> None:
    offences = []
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulator"):
                offences += [f"{module}: imports {node.module}.{a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                    offences.append(f"{module}:{node.lineno}: .{node.attr}")
    assert offences == []


def test_the_engine_and_the_generic_ui_never_import_a_provider_or_the_composition_root() -> None:
    for module, deps in GRAPH.items():
        if module.startswith(ENGINE) or module.startswith("simulator.ui"):
            assert not {d for d in deps if d.startswith("simulator.providers")}, module
            assert "simulator.sim" not in deps, module
        if module.startswith(ENGINE):
            assert not {d for d in deps if d.startswith(("simulator.ui", "simulator.control", "simulator.app"))}, module


def test_a_provider_package_imports_no_other_provider() -> None:
    for module, deps in GRAPH.items():
        if module.startswith("simulator.providers.") and module.count(".") >= 2:
            own = ".".join(module.split(".")[:3])
            others = {d for d in deps if d.startswith("simulator.providers.") and not d.startswith(own)
                      and d != "simulator.providers.common"}
            assert not others, module


def test_generic_code_names_no_provider() -> None:
    """No `if provider == "clicpay"` anywhere outside the providers' own packages."""
    for module, tree in TREES.items():
        if module.startswith("simulator.providers"):
            continue
        literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                    and isinstance(node.value, str)}
        assert not literals & set(PROVIDER_KEYS), (module, literals & set(PROVIDER_KEYS))


def test_ui_routes_are_registered_explicitly_not_on_import() -> None:
    init = TREES["simulator.ui"]
    assert not [n for n in ast.walk(init) if isinstance(n, (ast.Import, ast.ImportFrom, ast.Call))]
