"""Shared test settings: an empty precomputed store, a private database, hypothesis profiles."""

import functools
import os
import tempfile

from hypothesis import settings
from streamlit.components.v2 import manifest_scanner

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

# Each new AppTest scans every installed distribution's metadata for Streamlit component
# manifests before its first run (0.6 s of a home page's 1.0 s, side by side in
# bench/apptest_open.py; the suite opens pages over a thousand times). The installed packages do
# not change during a test run, so one scan per test process serves every AppTest, as one scan
# at startup serves a server's sessions.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)
