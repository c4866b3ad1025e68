"""Every flag and default of the simulator in one typed object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
DEFAULT_SPECS = PROJECT_ROOT / "specs"
DEFAULT_SCENARIOS = PROJECT_ROOT / "scenarios"


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
    journal_size: int = 10_000
    max_body_bytes: int = 1_048_576
    webhook_timeout_seconds: float = 5.0
    log_requests: bool = False
    rate_limits: bool = True  # providers' declared request limits (behaviour.yaml `rate_limit:`); off for fuzzing
    tls: bool = False  # also serve HTTPS on tls_port, and route requests by the providers' real host names
    tls_port: int = 8443
    tls_dir: Path | None = None  # the CA and certificates (None: the cache folder's tls/, see simulator/tls.py)
