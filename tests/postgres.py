"""A throwaway PostgreSQL server for the tests (TOOLING.md): started as the postgres user in a
temporary folder, listening on a free loopback port, trust auth, no fsync; removed at the end."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a server; yields the URL of its `postgres` database."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:  # ./scripts/test installs postgresql
        raise RuntimeError("PostgreSQL is not installed: run ./scripts/test, which installs it")
    bin_dir = binaries[-1]
    # Not under pytest's temporary folder: the postgres user cannot enter root's folders.
    folder = Path(tempfile.mkdtemp(prefix="jdtool-postgres-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def run(*command: str) -> None:
        # Output to a log file, not a pipe: a pipe would stay open as long as the server runs.
        subprocess.run(
            [*as_postgres, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    run(f"{bin_dir}/initdb", "-A", "trust", "-U", "postgres", "-D", str(data))
    run(
        f"{bin_dir}/pg_ctl", "-D", str(data), "-w", "-l", str(folder / "server.log"),
        "-o", f"-F -p {port} -k {folder} -c listen_addresses=127.0.0.1", "start",
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_postgres, f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _admin(server_url: str):
    """An autocommit connection to the server's `postgres` database."""
    import psycopg

    host = server_url.split("://", 1)[1].rsplit("/", 1)[0]
    return psycopg.connect(f"postgresql://{host}/postgres", autocommit=True)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create a database on the server (empty, or a copy of `template`); returns its URL."""
    with _admin(server_url) as connection:
        copy_of = ""
        if template:
            # FILE_COPY (PostgreSQL 15+) copies a small database ~8x faster than the default
            # WAL_LOG, which writes every block through the log.
            fast = " STRATEGY FILE_COPY" if connection.info.server_version >= 150000 else ""
            copy_of = f' TEMPLATE "{template}"{fast}'
        connection.execute(f'CREATE DATABASE "{name}"{copy_of}')
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


def drop_database(server_url: str, name: str) -> None:
    """Drop a database, ending any connection a test left open to it."""
    with _admin(server_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
