"""Every page opens in AppTest at defaults and with each slider at its extremes, without an exception."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import number_or_label, open_page, sidebar_sliders, specs
from ui.pages import LESSONS

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGES = [lesson.path for lesson in LESSONS if lesson.is_lesson]


def _open(path):
    return open_page(path, timeout=TIMEOUT)


def test_home_lists_every_lesson():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    for lesson in LESSONS:
        assert lesson.question in text


@pytest.mark.parametrize("path", PAGES)
def test_page_at_defaults_draws_titled_charts(path):
    at = _open(path)
    assert not at.exception
    assert not at.error
    drawn = specs(at)
    assert len(drawn) >= 3
    assert all(spec.get("title") for spec in drawn)
    # Legends below a plot are stacked: side by side, a second legend ran off a phone's screen
    # (imbalance's "metric" legend lost "average precision" at 390 px wide).
    for spec in drawn:
        layout = spec.get("config", {}).get("legend", {}).get("layout", {})
        assert "bottom: {direction: 'vertical'" in layout.get("expr", ""), spec.get("title")


def _extreme(widget, end):
    options = getattr(widget, "options", None)
    if options:
        # select_slider options come back as their formatted strings; map to the real values
        return widget.options[0 if end == "min" else -1]
    return widget.min if end == "min" else widget.max


# Every page's extremes take 2-30 s, 19 pages: the quick run keeps one light page as the
# mechanism's check and leaves the sweep to the full run (marked slow).
QUICK_EXTREMES = {"app_pages/gradient_descent.py"}


def _set(at, key, value, defaults):
    widget = next(w for w in sidebar_sliders(at) if w.key == key)
    if isinstance(defaults[key], (int, float)) and isinstance(value, str):
        value = number_or_label(value, type(defaults[key]))
    widget.set_value(value)
    return value


def _ran(at, setting) -> None:
    at.run()
    assert not at.exception, (setting, at.exception)
    # a setting that cannot run shows a message instead of charts, never a traceback
    assert at.error or specs(at), setting


@pytest.mark.parametrize(
    "path",
    [p if p in QUICK_EXTREMES else pytest.param(p, marks=pytest.mark.slow) for p in PAGES],
)
def test_every_slider_at_its_extremes(path):
    """Every slider at its minimum together (the page's lightest corner: one run), then each
    slider alone at its maximum with the others at defaults: a result or a message.

    A minimum that the corner cannot show (the corner refused, with a message) is tried alone,
    the others at defaults, like the maxima.
    """
    at = _open(path)
    sliders = sidebar_sliders(at)
    assert sliders, "every lesson has sidebar sliders"
    defaults = {w.key: w.value for w in sliders}
    corner = {w.key: _set(at, w.key, _extreme(w, "min"), defaults) for w in sliders}
    _ran(at, corner)
    alone = [(key, "max") for key in defaults]
    if at.error:
        alone = [(key, "min") for key in defaults] + alone
    for key, value in defaults.items():
        _set(at, key, value, defaults)
    for key, end in alone:
        widget = next(w for w in sidebar_sliders(at) if w.key == key)
        value = _set(at, key, _extreme(widget, end), defaults)
        _ran(at, (key, value))
        _set(at, key, defaults[key], defaults)


def test_every_lesson_links_to_its_neighbours():
    def links(at):
        return {link.proto.page: link.proto.label for link in at.get("page_link")}

    assert links(_open("app_pages/gradient_descent.py")) == {
        "backpropagation": "Next: Backpropagation"
    }
    assert links(_open("app_pages/backpropagation.py")) == {
        "gradient_descent": "Previous: Gradient descent",
        "optimizers": "Next: Optimizers and saddle points",
    }


def test_home_names_every_library_the_lessons_train_with():
    """Audit 41a: Home said 'Move a slider and the model retrains: NumPy networks written from
    scratch, so every gradient and optimizer step is one you can read and check against
    PyTorch', but the trees lesson retrains scikit-learn forests and LightGBM, and the
    regularization, imbalance and bias-variance lessons scikit-learn's linear and logistic
    models. The sentence now names every library the lessons' core trains with."""
    root = Path(__file__).resolve().parents[2] / "core"
    source = " ".join(p.read_text() for p in root.rglob("*.py"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    intro = next(m.value for m in at.markdown if "retrains" in m.value)
    for module, name in (("sklearn", "scikit-learn"), ("lightgbm", "LightGBM")):
        if f"import {module}" in source or f"from {module}" in source:
            assert name in intro, intro


def test_homes_link_promise_names_every_choice_a_link_does_not_carry():
    """Audit 43h: Home said "Every slider, choice and seed is stored in the page's address" and
    named only an uploaded file and the backpropagation lesson's button steps as not carried,
    but the quiz's Topics choice is not in the link either (the quiz's Share box says so: a
    link opens every topic). Every page that tells its Share box what its link leaves out
    (``classroom.not_in_link``, an uploaded file aside) is named on Home."""
    import re

    root = Path(__file__).resolve().parents[2]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    promise = next(m.value for m in at.markdown if "stored in the page's address" in m.value)
    for page in sorted((root / "app_pages").glob("*.py")):
        for what in re.findall(r'not_in_link\(\s*f?"([^"{]+)', page.read_text()):
            words = [w for w in re.findall(r"[a-z]{5,}", what) if w not in ("reached", "choice")]
            assert any(w in promise for w in words), (page.name, what, promise)


def test_homes_link_promise_leaves_out_the_practice_pages_settings(tmp_path, monkeypatch):
    """Audit 46h: Home said "Every slider, choice and seed is stored in the page's address",
    but the interview practice page's sidebar (which questions, the timer, its "Minutes per
    question" slider) is in no link: its address keeps only the learner's private code. Home's
    promise now covers a lesson's settings and the quiz's seed, and says what practice keeps."""
    from tests.databases import fresh_database

    with fresh_database("sqlite", tmp_path) as url:
        monkeypatch.setenv("LAB_DATABASE_URL", url)
        at = open_page("app_pages/practice.py", reveal=False)
        assert not at.exception, at.exception
        before = set(at.query_params)
        at.toggle(key="_lab_practice_timer").set_value(True).run()
        at.select_slider(key="_lab_practice_minutes").set_value(5).run()
        at.checkbox(key="_lab_practice_quiz").uncheck().run()
        assert not at.exception, at.exception
        # none of these settings reaches the page's address
        assert set(at.query_params) <= before | {"learner"}, dict(at.query_params)
    home = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    promise = next(m.value for m in home.markdown if "stored in the page's address" in m.value)
    assert not promise.startswith("Every slider, choice and seed is stored"), promise
    assert "practice page keeps only your private code" in promise, promise
