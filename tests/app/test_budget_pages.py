"""Every page with all its sliders at their maxima together: refused with a message naming a control,
or estimated within the shared work budget.

The page script itself maps its widgets to a Config, so the test reads the Config from the page:
``ui.runner.build_config`` and ``ui.runner.run_experiment`` are replaced by recorders that stop the
script, and no experiment runs.
"""

import dataclasses
import math
import re
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.controls
import ui.runner
from core.experiments import budget
from core.experiments.budget import BUDGET_SECONDS
from tests.app.conftest import number_or_label, sidebar_sliders
from ui.pages import LESSONS

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGES = [lesson.path for lesson in LESSONS if lesson.is_lesson]
WIDGETS = ("slider", "select_slider", "selectbox", "radio", "number_input", "text_input")


@pytest.fixture
def built(monkeypatch):
    """A function per Config the page asked for: it builds the Config again (the page stopped).

    Most pages hand their widget values to ``build_config``; a page that builds its Config itself
    (the autodiff page reads the typed loss first) is caught at ``run_experiment``.
    """
    calls = []

    def record_values(factory, **values):
        calls.append(lambda: factory(**values))
        st.stop()

    def record_config(module_name, config, **_):
        calls.append(lambda: dataclasses.replace(config))
        st.stop()

    def record_panel(panel, values):
        def build():
            try:
                return panel.config_class(**values)
            except ValueError as err:  # the page shows it in its labels' words
                raise ValueError(panel.explain(str(err))) from None

        calls.append(build)
        st.stop()

    monkeypatch.setattr(ui.runner, "build_config", record_values)
    monkeypatch.setattr(ui.runner, "run_experiment", record_config)
    monkeypatch.setattr(ui.controls.Panel, "build", record_panel)
    return calls


def _maximum(widget):
    options = getattr(widget, "options", None)
    return options[-1] if options else widget.max


def _labels(at) -> list[str]:
    return [w.label for kind in WIDGETS for w in at.get(kind)]


def _at_maxima(path):
    """The page with every sidebar slider at its maximum (twice: a range may follow another)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(path).run()
    for _ in range(2):
        for widget in sidebar_sliders(at):
            value = _maximum(widget)
            if isinstance(widget.value, (int, float)) and isinstance(value, str):
                value = number_or_label(value, type(widget.value))
            widget.set_value(value)
        at.run()
        assert not at.exception
    return at


def _cost(config) -> float:
    module = sys.modules[type(config).__module__]
    return getattr(module, "page_seconds", module.estimated_seconds)(config)


def _names_only_page_controls(message: str, labels: list[str]) -> bool:
    """The advice after "Lower" quotes at least one of the page's labels, and nothing else quoted."""
    advice = message.split("Lower ", 1)[1]
    named = False
    for label in sorted(labels, key=len, reverse=True):
        if f"'{label}'" in advice:
            named = True
            advice = advice.replace(f"'{label}'", "")
    return named and not re.search(r"'[^']*'", advice)


@pytest.mark.parametrize("path", PAGES)
def test_every_slider_at_its_maximum_is_refused_or_within_budget(path, built):
    at = _at_maxima(path)
    try:
        config = built[-1]()
    except ValueError as err:
        # Another refusal (a start outside the surface's window) is a message too; a budget
        # refusal must say which of this page's controls to lower.
        if "(limit " in str(err):
            assert _names_only_page_controls(str(err), _labels(at)), str(err)
    else:
        assert _cost(config) <= BUDGET_SECONDS, config


@pytest.mark.parametrize("path", PAGES)
def test_a_refusal_names_only_controls_on_the_page(path, built, monkeypatch):
    """With a limit just below the page's default run, its defaults are refused: every control the
    message names is a label on this page. (A limit no control can meet, 0.001 s, names none:
    "No control here brings it within the limit.")"""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(path).run()
    assert not at.exception
    limit = _largest_refused_limit(built[-1], monkeypatch)
    monkeypatch.setattr(budget, "BUDGET_SECONDS", limit)
    with pytest.raises(ValueError, match=r"\(limit ") as err:
        built[-1]()
    assert _names_only_page_controls(str(err.value), _labels(at)), str(err.value)


def _largest_refused_limit(build, monkeypatch) -> float:
    """About the largest limit that refuses the settings ``build`` makes: just below the costliest
    of their budget checks, where lowering a control can meet it (bisection in log seconds)."""

    def refused(limit: float) -> bool:
        monkeypatch.setattr(budget, "BUDGET_SECONDS", limit)
        try:
            build()
        except ValueError as err:
            return "(limit " in str(err)
        return False

    low, high = 1e-4, BUDGET_SECONDS  # refused at low, allowed at high (the page ran)
    assert refused(low) and not refused(high)
    for _ in range(30):
        middle = math.sqrt(low * high)
        low, high = (middle, high) if refused(middle) else (low, middle)
    return low


def test_the_spinner_gives_the_estimate_from_a_second_up():
    assert ui.runner.with_estimate("Running the experiment…", 3.2) == (
        "Running the experiment (about 3 s)…"
    )
    assert ui.runner.with_estimate("Training with B = 1…", 12.6) == (
        "Training with B = 1 (about 13 s)…"
    )
    assert ui.runner.with_estimate("Running the experiment…", 0.4) == "Running the experiment…"
    assert ui.runner.with_estimate("Running the experiment…", None) == "Running the experiment…"


def test_the_runner_reads_the_estimate_of_the_experiment_module():
    from core.experiments import batch_size as bs
    from core.experiments import gradient_descent as gd

    config = gd.Config(epochs=60)
    assert ui.runner.estimate("gradient_descent", config) == gd.estimated_seconds(config)
    page = bs.Config(epochs=30)
    assert ui.runner.estimate("batch_size", page) == bs.estimated_seconds(page)


@pytest.mark.parametrize(
    "n_samples, rows, features, classes", [(200, 2000, 30, 2), (200, 3000, 2, 3)]
)
def test_the_trees_spinner_prices_the_uploaded_file_it_runs_on(n_samples, rows, features, classes):
    """Audit pass 53: with a 2,000-row, 30-feature file loaded and the idle 'Points (2-D sets)' at
    200, the spinner said "… then the bias-variance runs (about 1 s)…": the estimate of the 2-D
    set the file replaces. The run on the file (633 training rows kept for the sweep) is
    estimated at 6 s. The spinner's estimate is the one of the run it starts: the sweep on the
    rows prepare_data keeps, plus the bias-variance experiment."""
    from core.experiments import trees
    from tests.core.test_upload_experiments import _upload

    config = trees.Config(n_samples=n_samples)
    ds = _upload(rows, features=features, classes=classes)
    used, _ = trees.prepare_data(config, ds)
    run = trees.upload_sweep_seconds(
        config, len(used.y_train), ds.n_features, ds.n_classes
    ) + trees.bias_variance_seconds(config)
    assert ui.runner.estimate("trees", config, ds) == pytest.approx(run, rel=1e-12)
    assert ui.runner.with_estimate("Fitting…", run) == ui.runner.with_estimate(
        "Fitting…", ui.runner.estimate("trees", config, ds)
    )
