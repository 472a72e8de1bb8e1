"""Interview practice in AppTest: ten questions practised, the browser closed, the same link
opened again shows what is due; with the SQLite default and on a real PostgreSQL server."""

from __future__ import annotations

import json
import re

import pytest

from study import learners
from tests.app.conftest import open_page
from tests.databases import BACKENDS, fresh_database
from ui.practice import MAX_ANSWER_CHARS
from ui.questions import TITLES

PAGE = "app_pages/practice.py"


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path, monkeypatch):
    with fresh_database(request.param, tmp_path) as url:
        monkeypatch.setenv("LAB_DATABASE_URL", url)
        yield url


def _open(code: str):
    at = open_page(PAGE, query={"learner": code}, reveal=False)
    assert not at.exception, at.exception
    return at


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _source(at) -> str:
    """Where the question on screen comes from: a lesson's title or "Quiz: <topic>"."""
    return next(
        c.value for c in at.caption if c.value in TITLES.values() or c.value.startswith("Quiz: ")
    )


def _answer(at, text: str, tick: int, grade: str) -> str:
    """Answer the question on screen, tick ``tick`` key points, grade; returns its source."""
    source = _source(at)
    at.text_area[0].input(text)
    _button(at, "Check my answer").click().run()
    assert not at.exception, at.exception
    points = [c for c in at.checkbox if c.key and c.key.startswith("_lab_kp_")]
    assert points, "no key points to tick"
    for box in points[:tick]:
        box.check()
    at.button(key=f"_lab_grade_{grade}").click().run()
    assert not at.exception, at.exception
    return source


def test_ten_questions_then_the_same_link_shows_what_is_due(database):
    code = learners.new_code()
    at = _open(code)
    last_grade = {}
    for i in range(10):
        grade = "missed" if i % 3 == 0 else "knew"
        source = _answer(at, f"answer {i}", tick=0 if grade == "missed" else 9, grade=grade)
        last_grade[source] = grade
        assert any(s.value.startswith("Saved:") for s in at.success)
    assert _metric(at, "Practised") == "10"

    # The browser closes; days later the learner opens the same link in a new session.
    again = _open(code)
    missed = sorted(s for s, g in last_grade.items() if g == "missed")
    assert _metric(again, "Practised") == "10"
    assert _metric(again, "Due now") == str(len(missed))
    assert _metric(again, "In your queue") == str(len(last_grade))
    due_line = next(m.value for m in again.markdown if m.value.startswith("**Due now:**"))
    for source in missed:
        assert source.removeprefix("Quiz: ") in due_line.replace("_", " ")
    # the question on screen is a due one
    assert _source(again) in missed


def test_export_and_delete(database):
    code = learners.new_code()
    at = _open(code)
    _answer(at, "x", tick=1, grade="partly")
    export = at.get("download_button")[0]
    assert export.proto.label == "Export my progress (JSON)"
    at.checkbox(key="_lab_practice_sure").check().run()
    at.button(key="_lab_practice_delete").click().run()
    assert not at.exception
    assert any("deleted" in s.value for s in at.success)
    assert at.query_params["learner"] != code
    again = _open(code)
    assert _metric(again, "Practised") == "0"


def test_the_answer_is_length_limited_and_shown_as_plain_text(database):
    at = _open(learners.new_code())
    assert at.text_area[0].max_chars == MAX_ANSWER_CHARS
    typed = "<img src=x onerror=alert(1)> **bold** $x$ [link](http://x) __init__ :red[no]"
    # set_value, not input: a client that ignores max_chars is cut on the server
    at.text_area[0].set_value(typed + "y" * (3 * MAX_ANSWER_CHARS))
    _button(at, "Check my answer").click().run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "img" in m.value]
    assert len(shown) == 1
    text = shown[0]
    # every character markdown would read as markup is escaped, and unescaped it reads as typed
    assert re.search(r"(?<!\\)[<>*$\[\]_`|~]", text) is None, text[:200]
    assert re.sub(r"\\(.)", r"\1", text) == (typed + "y" * MAX_ANSWER_CHARS)[:MAX_ANSWER_CHARS]
    assert not any("onerror" in h.proto.body for h in at.get("html"))


def test_a_malformed_learner_code_starts_a_new_link(database):
    at = open_page(PAGE, query={"learner": "<script>"}, reveal=False)
    assert not at.exception
    assert any("not one the lab makes" in w.value for w in at.warning)
    assert learners.valid_code(at.query_params["learner"])


def test_the_export_is_json_of_the_queue(database):
    from study.db import Store
    from ui.study import _open as open_store

    code = learners.new_code()
    at = _open(code)
    _answer(at, "x", tick=0, grade="missed")
    with open_store(database).read() as s:
        data = learners.export(s, code)
    json.dumps(data)
    assert len(data["review_queue"]) == 1 and data["practice_log"][0]["grade"] == "missed"
    assert isinstance(Store, type)
