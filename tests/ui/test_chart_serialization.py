"""Charts reach Streamlit without a second validation but with the same spec; shorthands stay out.

Every chart built in tests/ui is validated by ``chart_guards`` (tests/ui/conftest.py), which also
fails on any string shorthand handed to ``encode()``.
"""

import ast
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest
import streamlit as st
from altair.utils.schemapi import SchemaValidationError
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as streamlit_spec

from core.experiments import activations as ae
from core.experiments import optimizers as ox
from core.experiments import trees
from ui import charts, lesson
from ui.charts import architecture, depth
from ui.charts import optimizers as oc
from ui.charts import trees as tc
from ui.classroom import PRESENTER_CHART_CONFIG

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sweep():
    return trees.run_sweep(trees.Config(n_samples=300, n_estimators=10))


@pytest.fixture(scope="module")
def race():
    return ox.run(ox.Config(steps=60))


def _lines():
    """Layered: lines, a dashed reference rule and its label (an x value channel)."""
    df = pd.DataFrame(
        {
            "epoch": np.tile(np.arange(5.0), 2),
            "loss": np.linspace(1, 0.1, 10),
            "split": ["a"] * 5 + ["b"] * 5,
        }
    )
    return charts.line_chart(
        df,
        x="epoch",
        y="loss",
        color="split",
        title="t",
        x_title="x",
        y_title="y",
        reference=(0.2, "min"),
    )


def _heatmap():
    """Layered with independent color scales."""
    grid = pd.DataFrame(
        {
            "depth": [0, 1, 0, 1],
            "width": [2, 2, 8, 8],
            "hidden": ["()", "(2,)", "()", "(8,)"],
            "n_params": [3, 9, 3, 33],
            "cv_mean": [0.8, 0.85, 0.8, 0.95],
            "cv_std": [0.01, 0.02, 0.01, 0.02],
            "cv_train_mean": [0.8, 0.86, 0.8, 0.97],
            "fit_ms": [5.0, 6.0, 5.0, 7.0],
        }
    )
    return depth.score_heatmap(grid, folds=5)


def _legend_selection():
    """A legend-bound selection point driving a conditional opacity."""
    shapes = ae.activation_shapes(ae.Config())
    return architecture.activation_shapes(shapes, value="f", title="f", y_title="f(x)")


def _click_selection(race):
    """Six layers, three of named data, and a click selection (read back with on_select)."""
    return oc.race_map(
        race.grid,
        race.paths,
        race.critical,
        window=race.surface.window,
        start=race.surface.start,
        title="race",
        pick=True,
    )


def _facets(sweep):
    """A layered chart faceted into columns, with panel sizes set before faceting."""
    titles = {d: f"depth {d}" for d in trees.BOUNDARY_DEPTHS}
    return tc.boundary_facets(
        sweep.boundaries, sweep.points, model="random_forest", panel_titles=titles
    )


@pytest.fixture
def sent(monkeypatch):
    """The charts ``lesson.chart`` hands to ``st.altair_chart``, with its keyword arguments."""
    calls = []
    monkeypatch.setattr(st, "altair_chart", lambda chart, **kwargs: calls.append((chart, kwargs)))
    return calls


@pytest.mark.parametrize("build", ["lines", "heatmap", "legend", "click", "facets", "presenter"])
def test_streamlit_receives_the_spec_of_the_validated_path(build, sent, sweep, race):
    chart = {
        "lines": _lines,
        "heatmap": _heatmap,
        "legend": _legend_selection,
        "click": lambda: _click_selection(race),
        "facets": lambda: _facets(sweep),
        "presenter": lambda: _lines().configure(**PRESENTER_CHART_CONFIG),
    }[build]()
    lesson.chart(chart, key="k")
    [(drawn, kwargs)] = sent
    assert kwargs == {"key": "k", "width": "stretch"}
    # Streamlit's own conversion: of the chart as drawn, and of the chart itself, whose
    # to_dict() validates; Arrow datasets included.
    assert streamlit_spec(drawn) == streamlit_spec(chart)


def test_lesson_chart_skips_the_second_validation_and_leaves_the_chart_alone(sent):
    invalid = alt.Chart(pd.DataFrame({"a": [1.0]})).mark_point().encode(x=alt.X("a:Q", bin="often"))
    lesson.chart(invalid, width="content")
    [(drawn, kwargs)] = sent
    assert kwargs == {"width": "content"}
    assert streamlit_spec(drawn)["encoding"]["x"]["bin"] == "often"  # not validated
    with pytest.raises(SchemaValidationError):
        invalid.to_dict()  # the caller's chart still validates
    with pytest.raises(SchemaValidationError):
        streamlit_spec(invalid)


@pytest.fixture
def sent_specs(monkeypatch):
    """The specs ``lesson.chart`` hands to ``st.vega_lite_chart`` for ``Cached`` factory calls."""
    calls = []
    monkeypatch.setattr(st, "vega_lite_chart", lambda spec, **kwargs: calls.append((spec, kwargs)))
    lesson._spec_of.clear()
    yield calls
    lesson._spec_of.clear()


def _counting(factory, counter):
    def build(*args, **kwargs):
        counter.append(1)
        return factory(*args, **kwargs)

    build.__qualname__ = f"counting_{factory.__qualname__}"
    return build


def test_a_cached_chart_is_built_once_per_arguments_and_sends_the_same_spec(sent_specs, sweep):
    built = []
    factory = _counting(tc.fit_time, built)
    lesson.chart(lesson.Cached(factory, sweep.summary), key="k")
    lesson.chart(lesson.Cached(factory, sweep.summary.copy()), key="k")  # equal content: a hit
    assert len(built) == 1
    (first, kwargs), (second, _) = sent_specs
    assert kwargs == {"key": "k", "width": "stretch"}
    assert lesson._streamlit_spec is streamlit_spec, "Streamlit's Arrow conversion is in use"
    assert first == second == streamlit_spec(tc.fit_time(sweep.summary))
    changed = sweep.summary.assign(seconds_per_tree=sweep.summary["seconds_per_tree"] * 2)
    lesson.chart(lesson.Cached(factory, changed))
    assert len(built) == 2, "different data is a different chart"
    assert sent_specs[-1][0] == streamlit_spec(tc.fit_time(changed))


def test_a_cached_chart_gets_presenter_fonts_without_changing_the_cache(sent_specs, monkeypatch):
    monkeypatch.setattr(lesson, "presenting", lambda: True)
    lesson.chart(lesson.Cached(_lines_from, 3))
    monkeypatch.setattr(lesson, "presenting", lambda: False)
    lesson.chart(lesson.Cached(_lines_from, 3))
    (presented, _), (plain, _) = sent_specs
    for key, value in PRESENTER_CHART_CONFIG.items():
        assert presented["config"][key] == value
    assert plain == streamlit_spec(_lines_from(3))
    assert plain.get("config", {}).get("title") != PRESENTER_CHART_CONFIG["title"]


def test_a_cached_call_with_a_frame_streamlit_would_sample_is_drawn_uncached(sent, sent_specs):
    big = pd.DataFrame({"x": np.arange(lesson.HASHED_WHOLE_ROWS, dtype=float)})
    call = lesson.Cached(lambda frame: alt.Chart(frame).mark_point(), big)
    assert not call.hashable
    lesson.chart(call)
    assert len(sent) == 1 and not sent_specs


def test_two_lambdas_with_the_same_arguments_are_two_charts(sent_specs):
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    points = lesson.Cached(lambda f: alt.Chart(f).mark_point().encode(x=alt.X("x:Q")), frame)
    ticks = lesson.Cached(lambda f: alt.Chart(f).mark_tick().encode(x=alt.X("x:Q")), frame)
    assert points.name != ticks.name
    lesson.chart(points)
    lesson.chart(ticks)
    assert [spec["mark"]["type"] for spec, _ in sent_specs] == ["point", "tick"]


def test_a_spec_cached_by_key_is_built_once_and_shared(sent_specs):
    built = []

    def build():
        built.append(1)
        return _lines_from(4)

    first = lesson.cached_spec(("k", 1), build)
    assert lesson.cached_spec(("k", 1), build) is first and len(built) == 1
    assert first == streamlit_spec(_lines_from(4))
    lesson.cached_spec(("k", 2), build)
    assert len(built) == 2


def test_a_chart_with_a_cache_key_is_converted_once(sent_specs, monkeypatch):
    converted = []
    real = lesson._streamlit_spec
    monkeypatch.setattr(lesson, "_streamlit_spec", lambda c: converted.append(1) or real(c))
    lesson.chart(_lines_from(5), cache_key=("t", 5), key="a")
    lesson.chart(_lines_from(5), cache_key=("t", 5), key="a")
    assert len(converted) == 1
    (first, kwargs), (second, _) = sent_specs
    assert first is second and kwargs == {"key": "a", "width": "stretch"}
    assert first == real(_lines_from(5))


def _lines_from(n: int):
    frame = pd.DataFrame({"x": np.arange(n, dtype=float), "y": np.arange(n, dtype=float) ** 2})
    return alt.Chart(frame).mark_line().encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))


def test_the_shorthand_guard_is_active():
    frame = pd.DataFrame({"a": [1.0]})
    alt.Chart(frame).mark_point().encode(x=alt.X("a:Q"), tooltip=[alt.Tooltip("a:Q")])
    for shorthand in ({"x": "a:Q"}, {"tooltip": ["a:Q"]}, {"color": alt.value("red")}):
        with pytest.raises(AssertionError, match="channel object"):
            alt.Chart(frame).mark_point().encode(**shorthand)


def _calls_to(tree: ast.AST, attribute: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attribute
    ]


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_pages_draw_every_chart_through_lesson_chart():
    # lesson.chart applies presenter mode and skips the second validation; the charts come from
    # ui.charts, whose every chart the tests here validate and check for shorthands.
    for path in sorted((ROOT / "app_pages").glob("*.py")) + sorted((ROOT / "ui").glob("*.py")):
        if path.name == "lesson.py":
            continue
        tree = ast.parse(path.read_text())
        lines = _calls_to(tree, "altair_chart")
        assert not lines, f"{path.name} line {lines}: draw Altair charts with ui.lesson.chart"
        if path.parent.name == "app_pages":
            assert "altair" not in _imported(tree), f"{path.name}: build charts in ui.charts"


def _named_line():
    frame = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 2.0]})
    line = alt.Chart(frame).mark_line().encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))
    rule = alt.Chart(alt.NamedData("cursor")).mark_rule().encode(x=alt.X("x:Q"))
    return alt.layer(line, rule)


def test_named_datasets_fill_a_cached_spec_and_leave_it_unchanged(sent_specs):
    built = []
    chart = lesson.Cached(_counting(_named_line, built))
    for step in (0.2, 0.7):
        lesson.chart(chart, datasets={"cursor": pd.DataFrame({"x": [step]})})
    (first, _), (second, _) = sent_specs
    assert len(built) == 1, "the chart is built once; only its named data changes"
    strip = lambda spec: {k: v for k, v in spec.items() if k != "datasets"}  # noqa: E731
    assert strip(first) == strip(second)
    assert first["datasets"]["cursor"]["x"].tolist() == [0.2]
    assert second["datasets"]["cursor"]["x"].tolist() == [0.7]
    # the cached spec itself is untouched
    assert (
        "cursor"
        not in lesson._spec_of(chart.name, chart.args, chart.kwargs, chart.build)["datasets"]
    )


def test_named_datasets_fill_an_uncached_chart_too(sent_specs):
    lesson.chart(_named_line(), datasets={"cursor": pd.DataFrame({"x": [0.5]})})
    ((spec, _),) = sent_specs
    assert spec["datasets"]["cursor"]["x"].tolist() == [0.5]
