"""A throw-away PostgreSQL server for tests and benchmarks: initdb + pg_ctl in a temporary folder, on a free port
of 127.0.0.1, stopped and removed at the end.

The binaries are found on PATH, else in Debian's /usr/lib/postgresql/<version>/bin (`.ci/postgres-deps.sh`
installs the `postgresql` package). PostgreSQL refuses to run as root: as root the server runs as the `postgres`
user (the Debian package's; created when missing) through `runuser`, in a folder that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

USER = "sim"
PASSWORD = "sim"
DATABASE = "sim"
SERVER_USER = "postgres"  # who runs the server when we are root


class NoPostgres(RuntimeError):
    """No PostgreSQL binaries on this machine."""


def bin_dir() -> Path:
    """The folder of initdb, pg_ctl and postgres."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    raise NoPostgres("PostgreSQL's initdb was not found on PATH nor in /usr/lib/postgresql/*/bin "
                     "(bash .ci/postgres-deps.sh installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> list[str]:
    """The command prefix that runs a program as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/bin/false", SERVER_USER],
                       check=True)
    return ["runuser", "-u", SERVER_USER, "--"]


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SERVER_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


@contextlib.contextmanager
def postgres_server(durable: bool = False) -> Iterator[str]:
    """A running server; yields its URL (postgresql://sim:sim@127.0.0.1:PORT/sim). Tests run it without fsync
    (nothing survives the machine here); `durable` keeps the server's defaults (benchmarks)."""
    binaries = bin_dir()
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="provider-sim-pg-"))
    os.chmod(root, 0o755)
    data = root / "data"
    data.mkdir()
    _chown(data)
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    os.chmod(pwfile, 0o644)
    log = root / "server.log"
    log.touch()
    _chown(log)
    port = free_port()
    try:
        subprocess.run([*prefix, str(binaries / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(pwfile),
                        "--auth=md5", "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={data} "
                   "-c max_connections=200")
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                        "-w", "-t", "60", "start"], check=True, stdout=subprocess.DEVNULL)
        base = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}"
        _wait(f"{base}/postgres")
        _create_database(f"{base}/postgres", DATABASE)
        yield f"{base}/{DATABASE}"
    finally:
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def _wait(url: str, seconds: float = 30.0) -> None:
    import psycopg
    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _create_database(url: str, name: str) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database(url: str, name: str) -> str:
    """A new, empty database on the server of `url`; its URL."""
    base = url.rsplit("/", 1)[0]
    _create_database(f"{base}/postgres", name)
    return f"{base}/{name}"


def drop_database(url: str, name: str) -> None:
    """Remove a database of the server of `url`, closing its connections."""
    import psycopg
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
