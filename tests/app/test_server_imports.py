"""The server process renders pages and never computes a run, so it never imports what only runs
need: scikit-learn and LightGBM (73 MiB of a server's memory, bench/memory.py). ``ui.runner``
sends every run to a child process; the lesson modules import those libraries inside the functions
that fit. Here every page opens, revealed at its defaults, in a fresh interpreter that refuses to
import them: a page, chart or claim that needs them in the server, or a result that unpickles into
their objects, raises there."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_NEVER_IMPORTS = ("sklearn", "lightgbm")

SCRIPT = """
import json, sys
from importlib.abc import MetaPathFinder

BLOCKED = {blocked!r}


class Refuse(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("the server process imported " + name)


sys.meta_path.insert(0, Refuse())
from streamlit.testing.v1 import AppTest
from ui.pages import LESSONS

problems = {{}}
for lesson in LESSONS:
    at = AppTest.from_file("streamlit_app.py", default_timeout=300)
    at.query_params["reveal"] = "1"
    at.run()
    at.switch_page(lesson.path).run()
    found = [e.value for e in at.exception] + [e.value for e in at.error]
    if found:
        problems[lesson.path] = found
print(json.dumps({{"problems": problems, "loaded": sorted(set(BLOCKED) & set(sys.modules))}}))
"""


def _blocked_run(blocked: tuple[str, ...]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(blocked=blocked)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_every_page_opens_in_a_server_without_scikit_learn_or_lightgbm():
    seen = _blocked_run(SERVER_NEVER_IMPORTS)
    assert seen["problems"] == {}
    assert seen["loaded"] == []


def test_the_refusal_is_felt():
    """The same check reports the pages that need a refused module (Altair: every lesson draws)."""
    seen = _blocked_run(("altair",))
    lessons = [path for path in seen["problems"] if path != "app_pages/home.py"]
    assert len(lessons) >= 13
    assert all(
        "the server process imported altair" in " ".join(found)
        for found in seen["problems"].values()
    )
