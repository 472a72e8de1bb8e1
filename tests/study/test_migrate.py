"""The schema: Alembic's migrations build exactly the models' tables, and several processes
upgrading one empty database at once (replicas starting together) all succeed."""

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from study.db import Store, database_url, normalized
from study.migrate import current, head, upgrade
from study.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_build_the_models_tables(store):
    assert current(store.engine) == head()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert set(inspect(store.engine).get_table_names()) >= set(Base.metadata.tables)


def test_upgrading_again_changes_nothing(store):
    upgrade(store.engine)
    assert current(store.engine) == head()


def test_four_processes_upgrade_one_empty_database_at_once(database_url):
    script = (
        "import sys; from study.db import Store; from study.migrate import upgrade; "
        "s = Store(sys.argv[1]); upgrade(s.engine); print('ok')"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outcomes]
    store = Store(database_url)
    try:
        assert current(store.engine) == head()
    finally:
        store.dispose()


def test_the_default_is_a_sqlite_file_in_a_git_ignored_folder():
    url = database_url({})
    assert url.startswith("sqlite:///") and url.endswith(".lab_data/lab.sqlite3")
    assert ".lab_data/" in (ROOT / ".gitignore").read_text().split()


def test_postgres_urls_use_psycopg_3():
    assert database_url({"LAB_DATABASE_URL": "postgres://u:p@h/db"}) == (
        "postgresql+psycopg://u:p@h/db"
    )
    assert normalized("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalized("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
