"""Shared test settings: an empty precomputed store, a private database, hypothesis profiles."""

import os
import tempfile

from hypothesis import settings

# Tests compute every result themselves: an empty precomputed store, and no server started by a
# test (browser tests, the cluster) fills one in the background.
os.environ["LAB_PRECOMPUTED"] = tempfile.mkdtemp(prefix="lab-precomputed-")
os.environ["LAB_PRECOMPUTE"] = "0"
# Progress and class polls go to a SQLite file of this test process (a test that needs another
# database sets LAB_DATABASE_URL itself); never the checkout's .lab_data/.
os.environ["LAB_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='lab-db-')}/lab.sqlite3"

# CI explores the same examples on every run (a red CI is then reproducible with CI=true);
# locally hypothesis keeps drawing new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Page tests share Streamlit's bounded result caches within a test process, as a server's
# visitors do: a result is a pure function of its config, so a cached one equals a fresh one.
