"""examples/shop, the integrator's project the README points to, keeps passing against this checkout.

`make example` and CI's `make install-check` run the same suite against the installed wheel; this catches a
behaviour change that breaks the example in `make test` already."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def test_the_example_shops_suite_passes_against_the_checkout() -> None:
    env = {**os.environ, "PYTHONPATH": str(SHOP)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "--rootdir", str(SHOP), "-c", str(SHOP / "pyproject.toml"), str(SHOP / "tests")],
                          cwd=SHOP, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
