"""The Dockerfile's steps without Docker (this machine has no Docker engine).

Each stage gets a folder standing for its file system and a fresh virtualenv standing for the image's Python.
Followed as written: WORKDIR, ENV, COPY (from the build context or `--from` an earlier stage) and the RUN steps
that are Python's (`pip ...`, `python ...`); absolute paths in them are mapped into the stage's folder. System
steps (useradd, chown) and USER are skipped. Then ENTRYPOINT + CMD start in the last stage's WORKDIR on a free
port, the HEALTHCHECK command must pass, and /_sim/providers must list every provider of specs/.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = os.environ.get("PYTHON", sys.executable)


def say(text: str) -> None:
    print(f"docker-smoke: {text}", flush=True)


def instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


class Stage:
    def __init__(self, work: Path, index: int, name: str | None) -> None:
        self.name = name or str(index)
        self.fs = work / f"stage-{index}"
        self.fs.mkdir()
        self.venv = work / f"venv-{index}"
        subprocess.run([PYTHON, "-m", "venv", str(self.venv)], check=True)
        self.cwd = "/"
        self.env: dict[str, str] = {}

    def path(self, container_path: str) -> Path:
        absolute = container_path if container_path.startswith("/") else f"{self.cwd.rstrip('/')}/{container_path}"
        return self.fs / absolute.lstrip("/")

    def map_command(self, command: str) -> str:
        """Every absolute path, as the same path inside the stage's folder (nothing outside it is touched)."""
        mapped = re.sub(r"(?<![\w./-])/(?=[\w.*-])", str(self.fs) + "/", command)
        for token in shlex.split(mapped):
            if token.startswith("/") and not token.startswith(str(self.fs)):
                raise SystemExit(f"docker-smoke: RUN names {token}, outside the image's folders: {command}")
        return mapped

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.env)
        env["PATH"] = f"{self.venv / 'bin'}:{env['PATH']}"
        env.pop("PYTHONPATH", None)
        return env


def copy(sources: list[Path], dest: Path, dest_is_dir: bool) -> None:
    for src in sources:
        if not src.exists():
            raise SystemExit(f"docker-smoke: COPY source {src} does not exist")
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target = dest / src.name if dest_is_dir else dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def build(work: Path) -> tuple[Stage, dict[str, str]]:
    stages: dict[str, Stage] = {}
    stage: Stage | None = None
    final: dict[str, str] = {}
    for word, rest in instructions((ROOT / "Dockerfile").read_text()):
        if word == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None
            stage = Stage(work, len(stages), name)
            stages[stage.name] = stage
            final = {}
            say(f"stage {stage.name} ({parts[0]})")
            continue
        assert stage is not None, "an instruction before FROM"
        if word == "WORKDIR":
            stage.cwd = rest if rest.startswith("/") else f"{stage.cwd.rstrip('/')}/{rest}"
            stage.path(stage.cwd).mkdir(parents=True, exist_ok=True)
        elif word == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                stage.env[key] = value
        elif word == "COPY":
            args = shlex.split(rest)
            origin = next((a.split("=", 1)[1] for a in args if a.startswith("--from=")), None)
            paths = [a for a in args if not a.startswith("--")]
            *srcs, dest = paths
            base = stages[origin] if origin else None
            sources = [base.path(s) if base else ROOT / s for s in srcs]
            copy(sources, stage.path(dest), dest.endswith("/") or len(srcs) > 1)
            say(f"  COPY {rest}")
        elif word == "RUN":
            if rest.split()[0] not in ("pip", "python", "python3"):
                say(f"  skipped (system step): RUN {rest}")
                continue
            command = stage.map_command(rest)
            say(f"  RUN {rest}")
            done = subprocess.run(["bash", "-c", command], cwd=stage.path(stage.cwd), env=stage.environ(),
                                  capture_output=True, text=True)
            if done.returncode != 0:
                sys.stderr.write(done.stdout + done.stderr)
                raise SystemExit(f"docker-smoke: RUN failed: {rest}")
        elif word in ("ENTRYPOINT", "CMD", "HEALTHCHECK"):
            final[word] = rest
    assert stage is not None, "no FROM in the Dockerfile"
    return stage, final


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    expected = sorted(p.name for p in (ROOT / "specs").iterdir() if (p / "openapi.yaml").is_file())
    with tempfile.TemporaryDirectory(prefix="docker-smoke.") as tmp:
        stage, final = build(Path(tmp))
        port = free_port()
        argv = json.loads(final["ENTRYPOINT"]) + json.loads(final["CMD"])
        argv[argv.index("--port") + 1] = str(port)
        health = json.loads(final["HEALTHCHECK"].split(" CMD ", 1)[1].strip())
        health = [part.replace(":8000/", f":{port}/") for part in health]
        say(f"starting {' '.join(argv)} in {stage.cwd}")
        log = open(Path(tmp) / "server.log", "w+")
        server = subprocess.Popen(argv, cwd=stage.path(stage.cwd), env=stage.environ(), stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and server.poll() is None:
                if subprocess.run(health, env=stage.environ(), capture_output=True).returncode == 0:
                    break
                time.sleep(0.2)
            else:
                log.seek(0)
                sys.stderr.write(log.read())
                raise SystemExit("docker-smoke: the HEALTHCHECK did not pass")
            got = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/providers", timeout=5))
            keys = sorted(p["key"] for p in got["providers"])
            if keys != expected:
                raise SystemExit(f"docker-smoke: served {keys}, expected {expected}")
            import_check = [str(stage.venv / "bin" / "python"), "-c", "import simulator; print(simulator.__file__)"]
            where = subprocess.run(import_check, cwd=stage.path(stage.cwd), env=stage.environ(),
                                   capture_output=True, text=True, check=True).stdout.strip()
            if where.startswith(str(ROOT)):
                raise SystemExit(f"docker-smoke: the image would run the sources, not the wheel: {where}")
            say(f"healthy; providers: {', '.join(keys)}; package at {where}")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
    say("ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
