"""The server process renders pages and never computes a run, so it never imports what only runs
need: scikit-learn and LightGBM (73 MiB of a server's memory, bench/memory.py). ``ui.runner``
sends every run to a child process; the lesson modules import those libraries inside the functions
that fit. Here, in a fresh interpreter that refuses to import them, every module of ``core``, ``ui``
and ``study`` is imported (a top-level import anywhere raises), and the pages of the lessons that
fit with them open, revealed at their defaults (a chart or claim that needs them in the server, or a
result that unpickles into their objects, raises there)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_NEVER_IMPORTS = ("sklearn", "lightgbm")
# the lessons whose runs fit scikit-learn or LightGBM models (the others never call them)
FITTING_LESSONS = (
    "app_pages/network_depth.py",
    "app_pages/regularization.py",
    "app_pages/trees.py",
    "app_pages/bias_variance.py",
    "app_pages/imbalance.py",
)
# modules that exist to be used inside runs: the network behind scikit-learn's estimator API
RUN_ONLY = ("core.estimators",)

SCRIPT = """
import importlib, json, pkgutil, sys
from importlib.abc import MetaPathFinder

BLOCKED = {blocked!r}
PAGES = {pages!r}
RUN_ONLY = {run_only!r}


class Refuse(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("the server process imported " + name)


sys.meta_path.insert(0, Refuse())
from streamlit.testing.v1 import AppTest

problems = {{}}
for package in ("core", "ui", "study"):
    for module in pkgutil.walk_packages([package], prefix=package + "."):
        if module.name in RUN_ONLY:
            continue
        try:
            importlib.import_module(module.name)
        except ImportError as error:
            problems[module.name] = [str(error)]
for path in PAGES:
    at = AppTest.from_file("streamlit_app.py", default_timeout=300)
    at.query_params["reveal"] = "1"
    at.run()
    at.switch_page(path).run()
    found = [e.value for e in at.exception] + [e.value for e in at.error]
    if found:
        problems[path] = found
print(json.dumps({{"problems": problems, "loaded": sorted(set(BLOCKED) & set(sys.modules))}}))
"""


def _blocked_run(blocked: tuple[str, ...], pages: tuple[str, ...]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(blocked=blocked, pages=pages, run_only=RUN_ONLY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_every_module_imports_and_the_fitting_lessons_open_without_scikit_learn_or_lightgbm():
    seen = _blocked_run(SERVER_NEVER_IMPORTS, FITTING_LESSONS)
    assert seen["problems"] == {}
    assert seen["loaded"] == []


def test_the_refusal_is_felt():
    """The same check reports the modules and pages that need a refused module (Altair: the
    chart modules import it, and every lesson draws)."""
    pages = ("app_pages/gradient_descent.py", "app_pages/trees.py")
    seen = _blocked_run(("altair",), pages)
    assert set(pages) <= set(seen["problems"])
    assert "ui.charts" in seen["problems"]
    assert all(
        "the server process imported altair" in " ".join(found)
        for found in seen["problems"].values()
    )
