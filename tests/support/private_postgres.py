"""A throwaway PostgreSQL cluster of our own, for tests and fault scenarios that restart or stop the database.

The machine's shared PostgreSQL (127.0.0.1:5432) serves every other test run, so it is never restarted; this module
runs `initdb` in a temporary directory as user postgres, starts the cluster on a free port with its socket in that
directory, and can restart it (`pg_ctl restart -m fast`, which ends every open session the way a crash-restart or a
failover does) and stop it. The directory is removed however the block ends.

    with PrivatePostgres() as pg:
        url = pg.url          # postgresql://postgres@127.0.0.1:PORT/postgres
        pg.restart()
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> bool:
    """True when a private cluster can be made here (PostgreSQL binaries, and root to act as postgres)."""
    return (PG_BIN / "initdb").exists() and shutil.which("runuser") is not None and os.geteuid() == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """One temporary cluster: `start()`/`restart()`/`stop()`, `url`; a context manager that always cleans up."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="fd-private-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True, capture_output=True, timeout=timeout, cwd=self.directory,
        )

    def _pg_ctl(self, action: str, *extra: str) -> None:
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-w", "-t", "30",
            "-l", str(self.directory / "server.log"), *extra, timeout=60,
        )

    def start(self) -> PrivatePostgres:
        shutil.chown(self.directory, user="postgres", group="postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        self.resume()
        return self

    def resume(self) -> None:
        """Start the (initialised) cluster again after `stop()`."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        self._pg_ctl("start", "-o", options)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every session is ended, open transactions roll back."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._pg_ctl("stop", "-m", "immediate")
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                pid = (self.data / "postmaster.pid").read_text().split()[0]
                subprocess.run(["kill", "-9", pid], check=False)

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PrivatePostgres:
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()
