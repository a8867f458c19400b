"""Throw-away PostgreSQL and Redis servers for the tests, on 127.0.0.1, in temporary folders.

Both come from Debian's packages (`postgresql`, `redis-server`); `make test` installs them
when it runs as root on Debian or Ubuntu (scripts/system-packages). Each server listens on a
free port, keeps its data in a temporary folder, runs with durability switched off (a test
database never needs to survive a crash), and is stopped when the test session ends.
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
from dataclasses import dataclass
from pathlib import Path

from sitetools import free_port


class ServiceUnavailable(RuntimeError):
    pass


def _wait_for_port(port: int, process: subprocess.Popen | None, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceUnavailable(
                f"{what} exited with status {process.returncode} before it listened on port {port}"
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise ServiceUnavailable(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


# --- PostgreSQL --------------------------------------------------------------------------------


def postgres_bin_dir() -> Path:
    """The folder of initdb, pg_ctl and postgres: Debian keeps them out of PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise ServiceUnavailable("PostgreSQL server programs not found: install Debian's `postgresql` package "
                             "(`make test` does it when run as root)")


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    database: str = "postgres"

    @property
    def dsn(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={self.database}"

    def django_database(self, name: str = "nexus") -> dict:
        return {"ENGINE": "django.db.backends.postgresql", "HOST": self.host, "PORT": str(self.port),
                "USER": self.user, "NAME": name, "PASSWORD": ""}


@contextlib.contextmanager
def postgres_server():
    """Start PostgreSQL with a fresh cluster in a new temporary folder; yield its address; stop it."""
    bin_dir = postgres_bin_dir()
    # Under /tmp itself: as root the server runs as `postgres`, which cannot enter root's
    # private pytest folders.
    base = Path(tempfile.mkdtemp(prefix="nexus-postgres-", dir="/tmp" if os.geteuid() == 0 else None))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir(parents=True)
    # PostgreSQL refuses to run as root: as root, run it as the `postgres` user the package creates.
    prefix: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        os.chown(sockets, owner.pw_uid, owner.pw_gid)
        base.chmod(0o700)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    log = base / "server.log"
    subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "nexus", "--auth=trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True)
    options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
    subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
                   check=True, capture_output=True)
    try:
        _wait_for_port(port, None, "PostgreSQL")
        yield Postgres("127.0.0.1", port, "nexus")
    finally:
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# --- Redis -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redis:
    host: str
    port: int

    def url(self, db: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{db}"


@contextlib.contextmanager
def redis_server(base: Path):
    """Start redis-server with no persistence in `base`; yield its address; stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceUnavailable("redis-server not found: install Debian's `redis-server` package "
                                 "(`make test` does it when run as root)")
    port = free_port()
    base.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(base), "--protected-mode", "yes", "--logfile", str(base / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process, "redis-server")
        yield Redis("127.0.0.1", port)
    finally:
        process.terminate()
        process.wait(timeout=10)
