"""Official provider SDKs, unmodified, against `serve --tls` (`make test-sdk`; left out of `make test`).

Each SDK lives in a folder here with its `package.json` and lock. `npm ci` installs it into the cache folder
($PROVIDER_SIM_CACHE, default ~/.cache/provider-sim) once per lock; the SDK is then run by a driver script with
provider-sim's preload (simulator/node/redirect.js) and the simulator's CA, as the docs tell a user to.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tls_process import TlsSimulator, tls_simulator

from simulator.spec.loader import cache_dir
from simulator.tls import PRELOAD

HERE = Path(__file__).resolve().parent


def node_or_skip() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        reason = "the official SDK tests need Node.js and npm on PATH (Debian: apt-get install nodejs npm)"
        if os.environ.get("CI"):  # CI installs them (.ci/node-deps.sh): their absence there is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    return node, npm


def npm_install(folder: Path, npm: str) -> Path:
    """`npm ci` of FOLDER's package.json and lock into the cache (once per lock); the node_modules path."""
    lock = (folder / "package-lock.json").read_bytes()
    target = cache_dir() / "sdk" / f"{folder.name}-{hashlib.sha256(lock).hexdigest()[:16]}"
    done = target / ".installed"
    if not done.exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(folder / name, target / name)
        out = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                             cwd=target, capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise RuntimeError(f"npm ci in {target} failed:\n{out.stdout}\n{out.stderr}")
        done.write_text("ok\n")
    return target / "node_modules"


class NodeSdk:
    """Runs a driver script of an SDK folder with the preload pointing the providers' hosts at the simulator."""

    def __init__(self, node: str, folder: Path, modules: Path, sim: TlsSimulator) -> None:
        self.node, self.folder, self.modules, self.sim = node, folder, modules, sim

    def env(self, trust: bool = True) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NODE_PATH": str(self.modules),
               "PROVIDER_SIM_TLS": f"127.0.0.1:{self.sim.tls_port}",
               "PROVIDER_SIM_HOSTS": ",".join(self.sim.host_names())}
        if trust:
            env["NODE_EXTRA_CA_CERTS"] = str(self.sim.ca)
        return env

    def run(self, script: str, payload: Any, trust: bool = True, timeout: float = 60) -> Any:
        out = subprocess.run([self.node, "--require", str(PRELOAD), str(self.folder / script)],
                             input=json.dumps(payload), capture_output=True, text=True, timeout=timeout,
                             env=self.env(trust))
        assert out.returncode == 0, f"{script} failed:\n{out.stderr}"
        return json.loads(out.stdout)


@pytest.fixture(scope="session")
def node() -> str:
    return node_or_skip()[0]


@pytest.fixture(scope="session")
def widepay_node_modules() -> Path:
    return npm_install(HERE / "widepay_node", node_or_skip()[1])


@pytest.fixture(scope="module")
def tls_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsSimulator]:
    with tls_simulator(tmp_path_factory.mktemp("sdk") / "certs") as sim:
        yield sim


@pytest.fixture
def widepay_node(node: str, widepay_node_modules: Path, tls_sim: TlsSimulator) -> NodeSdk:
    tls_sim.reset()
    return NodeSdk(node, HERE / "widepay_node", widepay_node_modules, tls_sim)
