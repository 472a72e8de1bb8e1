"""The schema at the newest migration, brought there at the app's start.

Several replicas may start at once: the upgrade runs in one transaction that first takes a
lock the others wait on (PostgreSQL: an advisory transaction lock; SQLite: the database's write
lock, taken at BEGIN IMMEDIATE). The first process migrates; the next ones find the schema at
head and change nothing. Both databases run DDL inside the transaction, so a failed upgrade
leaves the schema as it was.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from study.db import immediate

ROOT = Path(__file__).resolve().parents[1]
# pg_advisory_xact_lock's key for "migrating the lab's schema" (any fixed 64-bit number).
LOCK_KEY = 0x1AB5_7D1E


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "study" / "migrations"))
    return config


def head() -> str:
    """The newest migration's revision."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The database's revision (None before the first upgrade)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Upgrade the schema to head, under a lock shared by every process using this database."""
    config = alembic_config()
    with immediate(), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
