"""Alembic's environment: the lab's metadata, on the connection study.migrate hands over (or on
LAB_DATABASE_URL / the SQLite default when run as `alembic upgrade head`)."""

from alembic import context

from study.db import database_url, make_engine
from study.models import Base


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copy
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        engine = make_engine(database_url())
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
