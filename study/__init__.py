"""Progress that persists: learners' review queues and live class polls, kept through SQLAlchemy.

Pure Python (no Streamlit). SQLite in a local file by default, PostgreSQL when
``LAB_DATABASE_URL`` is set; the schema is managed by Alembic (``study/migrations``).

- :mod:`study.db`: the database URL, the engine and its sessions (``Store``).
- :mod:`study.models`: the tables.
- :mod:`study.migrate`: brings the schema to the newest migration, safely from many processes.
- :mod:`study.learners`: private learner codes, export and deletion of a learner's progress.
- :mod:`study.review`: Leitner boxes, self-grades and what is due.
- :mod:`study.ratelimit`: failed join attempts per client.
- :mod:`study.polls`: class sessions, join codes, polls and their anonymous answers.
"""
