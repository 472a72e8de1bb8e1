"""Where progress is kept: SQLite in a local file by default, PostgreSQL when LAB_DATABASE_URL is set."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
ENV = "LAB_DATABASE_URL"
# The default database: a file in a git-ignored folder of the checkout (no set-up).
DEFAULT_PATH = ROOT / ".lab_data" / "lab.sqlite3"
# How long a SQLite writer waits for another process's write to finish before giving up.
SQLITE_BUSY_SECONDS = 30

# Set while a write transaction begins: SQLite then takes the write lock at BEGIN (IMMEDIATE),
# so two writers queue on the busy timeout instead of one failing when it upgrades a read lock.
_IMMEDIATE: ContextVar[bool] = ContextVar("lab_sqlite_immediate", default=False)


def utcnow() -> datetime:
    """Now in UTC, without a time zone (how every table stores time, on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def database_url(env: Mapping[str, str] | None = None) -> str:
    """``LAB_DATABASE_URL`` (postgres:// and postgresql:// use psycopg 3), or the SQLite default."""
    url = (os.environ if env is None else env).get(ENV, "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_PATH}"
    return normalized(url)


def normalized(url: str) -> str:
    """The URL with PostgreSQL's driver made explicit: ``postgresql+psycopg://...``."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file gets its folder, WAL journaling and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # The driver's own transaction handling is off: the "begin" hook below starts them.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _IMMEDIATE.get() else "BEGIN")

    return engine


@contextlib.contextmanager
def immediate() -> Iterator[None]:
    """Transactions begun inside take SQLite's write lock at once (no effect on PostgreSQL)."""
    token = _IMMEDIATE.set(True)
    try:
        yield
    finally:
        _IMMEDIATE.reset(token)


class Store:
    """One database: its engine and short transactions.

    ``with store.read() as s:`` reads; ``with store.write() as s:`` writes and commits at the
    end (rolls back on an exception). Both hand out a SQLAlchemy ``Session``.
    """

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        with immediate(), self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
