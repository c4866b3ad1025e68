"""Which packages the distribution holds (the rest of the metadata is in pyproject.toml).

`specs/` and `scenarios/` stay at the top of the source tree, where the project keeps them, and ship inside the
package as `simulator._specs` and `simulator._scenarios`, found at run time with importlib.resources
(`simulator/settings.py`). Every `simulator.*` package is found, so a new one needs no listing here.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["simulator", "simulator.*"]), "simulator._specs", "simulator._scenarios"],
    package_dir={"simulator._specs": "specs", "simulator._scenarios": "scenarios"},
)
