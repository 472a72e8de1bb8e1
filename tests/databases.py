"""Databases for the tests: a fresh SQLite file, or a fresh database on the PostgreSQL server
named by LAB_TEST_POSTGRES_URL (`.ci/postgres start DIR` starts a private one; CI does)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from study.db import normalized

PG_ENV = "LAB_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
NO_POSTGRES = (
    f"{PG_ENV} is not set: no PostgreSQL server to test against (CI starts one with "
    "`.ci/postgres start DIR`; locally run that and export the URL it prints)"
)


def postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextlib.contextmanager
def fresh_postgres(base_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``base_url``, dropped afterwards."""
    import psycopg

    name = f"lab_t_{uuid.uuid4().hex[:12]}"
    admin = make_url(normalized(base_url)).set(drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name, drivername="postgresql+psycopg").render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of ``backend`` (skips PostgreSQL without a server)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'lab.sqlite3'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip(NO_POSTGRES)
    with fresh_postgres(base) as url:
        yield url
