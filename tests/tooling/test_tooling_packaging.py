"""What the wheel carries: the data files are found through the package, and every one of them is shipped.

The full proof (build, install outside the checkout, serve, run examples/shop) is `make install-check` in CI.
"""

from __future__ import annotations

import glob
import tomllib
from importlib import resources
from pathlib import Path

from simulator.settings import DEFAULT_SCENARIOS, DEFAULT_SPECS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DATA = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]


def test_specs_and_scenarios_are_found_through_the_package() -> None:
    assert DEFAULT_SPECS == resources.files("simulator._specs")
    assert DEFAULT_SCENARIOS == resources.files("simulator._scenarios")
    assert (DEFAULT_SPECS / "clicpay" / "openapi.yaml").is_file()


def test_every_data_file_matches_a_package_data_pattern() -> None:
    for package, folder in (("simulator._specs", ROOT / "specs"), ("simulator._scenarios", ROOT / "scenarios")):
        patterns = PACKAGE_DATA[package]
        files = [p.relative_to(folder).as_posix() for p in folder.rglob("*")
                 if p.is_file() and p.suffix not in (".py", ".pyc")]
        assert files
        shipped = {m for pattern in patterns for m in glob.glob(pattern, root_dir=folder, recursive=True)}
        missed = [f for f in files if f not in shipped]
        assert missed == [], f"not shipped in the wheel: {missed}; add a pattern to package-data of {package}"


def test_every_template_and_static_file_of_the_package_is_shipped() -> None:
    """Templates and static files of the UI and of each provider's pages (simulator/providers/<key>/templates/)."""
    folder = ROOT / "simulator"
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*")
             if p.is_file() and p.suffix in (".html", ".css", ".js", ".svg", ".png", ".typed")]
    assert any(f.startswith("providers/") for f in files)
    shipped = {m for pattern in PACKAGE_DATA["simulator"] for m in glob.glob(pattern, root_dir=folder, recursive=True)}
    missed = [f for f in files if f not in shipped]
    assert missed == [], f"not shipped in the wheel: {missed}; add a pattern to package-data of simulator"


def test_every_folder_of_python_modules_is_a_package() -> None:
    """setup.py finds packages by their __init__.py: a folder of modules without one is left out of the wheel."""
    folder = ROOT / "simulator"
    missing = sorted(str(d.relative_to(ROOT)) for d in {p.parent for p in folder.rglob("*.py")}
                     if not (d / "__init__.py").is_file())
    assert missing == [], f"not packages (no __init__.py), so not in the wheel: {missing}"
