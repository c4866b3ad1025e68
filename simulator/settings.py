"""Every flag and default of the simulator in one typed object."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from simulator.limits import Limits


def _shipped(package: str) -> Path:
    """A data folder shipped inside the distribution, wherever the package is installed.

    `specs/` and `scenarios/` sit at the top of the source tree and are installed as the packages
    `simulator._specs` and `simulator._scenarios` (setup.py): a wheel, an sdist and an editable install all
    resolve them here.
    """
    try:
        folder = resources.files(package)
    except ModuleNotFoundError:
        raise ImportError(f"provider-sim: the package data {package} is missing; install the package "
                          "(`pip install provider-sim`, or `pip install -e .` in a checkout)") from None
    if not isinstance(folder, Path):
        raise ImportError(f"provider-sim: the package data {package} is not a folder on disk ({folder!r})")
    return folder


DEFAULT_SPECS = _shipped("simulator._specs")
DEFAULT_SCENARIOS = _shipped("simulator._scenarios")


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    clock: str = "real"  # "real" follows the wall clock; "manual" stands still until advanced
    start_time: float | None = None  # epoch seconds; None: the wall-clock second of start-up
    seed: int = 0
    scenario_files: list[Path] = field(default_factory=list)
    provider: str | None = None  # also serve this provider at the root
    providers: list[str] | None = None  # load only these providers (None: every folder in specs/)
    store: str = "memory"
    specs_dir: Path = DEFAULT_SPECS  # the built-in provider folders
    scenarios_dir: Path = DEFAULT_SCENARIOS  # the built-in scenario library
    spec_dirs: list[Path] = field(default_factory=list)  # --specs: more `<key>/` folders; a key here replaces
    scenario_dirs: list[Path] = field(default_factory=list)  # --scenarios: more scenario libraries
    webhook_timeout_seconds: float = 5.0
    log_requests: bool = False
    rate_limits: bool = True  # providers' declared request limits (behaviour.yaml `rate_limit:`); off for fuzzing
    limits: Limits = field(default_factory=Limits)  # every bound on client input (simulator/limits.py)
    # --- a local server is still a server (simulator/security.py) ---
    allowed_hosts: list[str] = field(default_factory=list)  # Host names accepted beside loopback ones
    public_url: str | None = None  # the base of generated links (checkout_url, payer pages); None: the Host
    control_token: str | None = None  # required by /_sim/ and the dashboard when set
    webhook_allow: list[str] = field(default_factory=list)  # webhook target patterns; empty: any target
    tls: bool = False  # also serve HTTPS on tls_port, and route requests by the providers' real host names
    tls_port: int = 8443
    tls_dir: Path | None = None  # the CA and certificates (None: the cache folder's tls/, see simulator/tls.py)
