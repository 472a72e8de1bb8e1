"""Every page opens in AppTest at defaults and with each slider at its extremes, without an exception."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.experiments import gradient_descent as gd
from core.experiments.budget import BUDGET_SECONDS
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


def _extreme(widget, end):
    options = getattr(widget, "options", None)
    if options:
        # select_slider options come back as their formatted strings; map to the real values
        return widget.options[0 if end == "min" else -1]
    return widget.min if end == "min" else widget.max


# Every page's extremes take 2-20 s each, 19 pages twice: the quick run keeps one light page
# as the mechanism's check and leaves the sweep to the full run (marked slow).
QUICK_EXTREMES = {"app_pages/gradient_descent.py"}


@pytest.mark.parametrize(
    "path",
    [p if p in QUICK_EXTREMES else pytest.param(p, marks=pytest.mark.slow) for p in PAGES],
)
@pytest.mark.parametrize("end", ["min", "max"])
def test_each_slider_at_its_extremes(path, end):
    """One slider at a time at its extreme (the others at defaults): a result or a message."""
    at = _open(path)
    keys = [w.key for w in sidebar_sliders(at)]
    assert keys, "every lesson has sidebar sliders"
    defaults = {w.key: w.value for w in sidebar_sliders(at)}
    previous = None
    for key in keys:
        if previous is not None:
            next(w for w in sidebar_sliders(at) if w.key == previous).set_value(defaults[previous])
        widget = next(w for w in sidebar_sliders(at) if w.key == key)
        value = _extreme(widget, end)
        if isinstance(defaults[key], (int, float)) and isinstance(value, str):
            value = number_or_label(value, type(defaults[key]))
        widget.set_value(value).run()
        assert not at.exception, (key, value, at.exception)
        # a setting that cannot run shows a message instead of charts, never a traceback
        assert at.error or specs(at), (key, value)
        previous = key


def test_gradient_descent_divergence_shows_a_warning_not_a_traceback():
    at = _open("app_pages/gradient_descent.py")
    at.sidebar.select_slider(key="lr").set_value(1.0).run()
    assert not at.exception
    assert any("diverged**" in w.value for w in at.warning)
    assert specs(at)


def test_gradient_descent_runs_its_heaviest_settings_within_the_budget():
    # The hand-written descent makes even 100 epochs of SGD on 1,000 points cheap (~0.5 s): no
    # setting of this page is refused, and the heaviest one draws every chart.
    at = _open("app_pages/gradient_descent.py")
    at.sidebar.slider(key="n").set_value(1000).run()
    at.sidebar.slider(key="epochs").set_value(100).run()
    assert not at.exception and not at.error
    assert len(specs(at)) >= 5
    heaviest = gd.Config(n_samples=1000, epochs=100, batch_size=2)
    assert gd.estimated_seconds(heaviest) < BUDGET_SECONDS


def test_gradient_descent_prediction_comes_before_the_result_and_is_checked_against_it():
    at = open_page("app_pages/gradient_descent.py", reveal=False)
    assert not at.exception
    assert not specs(at), "the charts show before the learner predicts"
    assert not any("What to notice" in h.value for h in at.subheader)
    at.radio(key="predict_gradient_descent").set_value("Batch GD").run()
    assert not at.exception
    assert specs(at)
    assert any(w.value.startswith("Not Batch GD: After one epoch SGD") for w in at.warning)
    at.radio(key="predict_gradient_descent").set_value("SGD").run()
    assert any("Your prediction held" in s.value for s in at.success)


def test_skip_shows_the_result_without_a_prediction():
    at = open_page("app_pages/gradient_descent.py", reveal=False)
    at.button(key="_lab_skip_button_gradient_descent").click().run()
    assert not at.exception
    assert specs(at)
    assert any("This run's answer: **SGD**" in i.value for i in at.info)


def test_gradient_descent_preset_sets_controls():
    at = _open("app_pages/gradient_descent.py")
    at.sidebar.button(key="preset_decay-the-step-size").click().run()
    assert not at.exception
    assert at.sidebar.selectbox(key="schedule").value == "inverse_time"


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
