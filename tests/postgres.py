"""A throw-away PostgreSQL cluster on a loopback port, from Debian's `postgresql` (scripts/test.sh installs it).

As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root). Trust authentication on
127.0.0.1 only: the cluster lives in the test's temporary folder and goes with it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import sqlalchemy as sa

_DATABASES = count(1)


def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL's initdb is not installed: install Debian's postgresql "
                           "(scripts/test.sh does)")
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def cluster() -> Iterator[str]:
    """A running cluster; yields the URL of its `postgres` database (SQLAlchemy, psycopg 3). Its folder is
    one of its own under /tmp: pytest's are private to root, and the server user could not enter them."""
    binaries = pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="yj-postgres-"))
    data, sockets = folder / "pgdata", folder / "pgsock"
    for path in (data, sockets):
        path.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        for path in (data, sockets):
            shutil.chown(path, "postgres")
    port = _free_port()
    subprocess.run(_as_server_user([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                    "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                    str(folder / "postgres.log"), "-w", "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A fresh, empty database on the cluster; its URL."""
    name = f"yj_test_{os.getpid()}_{next(_DATABASES)}"
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
