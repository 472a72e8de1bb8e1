"""Charts reach Streamlit without a second validation but with the same spec; shorthands stay out.

Every chart built in tests/ui is validated by ``chart_guards`` (tests/ui/conftest.py), which also
fails on any string shorthand handed to ``encode()``.
"""

import ast
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from altair.utils.schemapi import SchemaValidationError, validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from core.experiments import activations as ae
from core.experiments import optimizers as ox
from core.experiments import trees
from tests.ui.test_charts_depth import heatmap_grid
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
    grid = heatmap_grid()
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


def _with_records(spec: dict) -> dict:
    """The spec with its named frames inlined as JSON records, as Vega-Lite itself reads them."""
    datasets = {
        name: frame.to_pylist() if isinstance(frame, pa.Table) else frame
        for name, frame in spec.get("datasets", {}).items()
    }
    return {**spec, "datasets": datasets} if datasets else spec


@pytest.mark.parametrize("build", ["lines", "heatmap", "legend", "click", "facets", "presenter"])
def test_the_sent_spec_is_the_validated_chart_with_its_data_by_name(build, sweep, race):
    chart = {
        "lines": _lines,
        "heatmap": _heatmap,
        "legend": _legend_selection,
        "click": lambda: _click_selection(race),
        "facets": lambda: _facets(sweep),
        "presenter": lambda: _lines().configure(**PRESENTER_CHART_CONFIG),
    }[build]()
    spec = charts.to_spec(chart)
    frames = spec.get("datasets", {})
    assert frames and all(isinstance(f, pa.Table) for f in frames.values())
    # a valid Vega-Lite spec once its frames are read back as records (what the browser gets)
    validate_jsonschema(_with_records(spec), load_schema())
    # the data by name is the chart's own data, row for row
    again = charts.to_spec(chart)["datasets"]
    assert again.keys() == frames.keys() and all(again[k].equals(frames[k]) for k in frames)
    inline = chart.to_dict()  # Altair's validated path, rows inlined
    inlined_rows = {len(rows) for rows in inline.get("datasets", {}).values()}
    assert inlined_rows == {f.num_rows for f in frames.values()}
    assert "view" not in spec.get("config", {}), "Altair's fixed 300 px default view is left out"


def test_to_spec_skips_validation_and_leaves_the_chart_alone():
    invalid = alt.Chart(pd.DataFrame({"a": [1.0]})).mark_point().encode(x=alt.X("a:Q", bin="often"))
    assert charts.to_spec(invalid)["encoding"]["x"]["bin"] == "often"  # not validated again
    with pytest.raises(SchemaValidationError):
        invalid.to_dict()  # the caller's chart still validates
    assert alt.data_transformers.active == "default" and alt.theme.active == "default"


def test_lesson_chart_sends_a_plain_chart_by_its_spec(monkeypatch):
    calls = []
    monkeypatch.setattr(st, "vega_lite_chart", lambda spec, **kwargs: calls.append((spec, kwargs)))
    lesson.chart(_lines_from(3), key="k")
    [(spec, kwargs)] = calls
    assert kwargs == {"key": "k", "width": "stretch"}
    assert spec["mark"]["type"] == "line"


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
    assert _with_records(first) == _with_records(second)
    assert _with_records(first) == _with_records(charts.to_spec(tc.fit_time(sweep.summary)))
    changed = sweep.summary.assign(seconds_per_tree=sweep.summary["seconds_per_tree"] * 2)
    lesson.chart(lesson.Cached(factory, changed))
    assert len(built) == 2, "different data is a different chart"
    assert _with_records(sent_specs[-1][0]) == _with_records(charts.to_spec(tc.fit_time(changed)))


def test_a_cached_chart_gets_presenter_fonts_without_changing_the_cache(sent_specs, monkeypatch):
    monkeypatch.setattr(lesson, "presenting", lambda: True)
    lesson.chart(lesson.Cached(_lines_from, 3))
    monkeypatch.setattr(lesson, "presenting", lambda: False)
    lesson.chart(lesson.Cached(_lines_from, 3))
    (presented, _), (plain, _) = sent_specs
    for key, value in PRESENTER_CHART_CONFIG.items():
        assert presented["config"][key] == value
    assert _with_records(plain) == _with_records(charts.to_spec(_lines_from(3)))
    assert plain.get("config", {}).get("title") != PRESENTER_CHART_CONFIG["title"]


def test_a_cached_call_with_a_frame_streamlit_would_sample_is_drawn_uncached(sent_specs):
    big = pd.DataFrame({"x": np.arange(lesson.HASHED_WHOLE_ROWS, dtype=float)})
    call = lesson.Cached(lambda frame: alt.Chart(frame).mark_point(), big)
    assert not call.hashable
    lesson.chart(call)
    lesson.chart(call)
    assert len(sent_specs) == 2 and sent_specs[0][0] is not sent_specs[1][0]


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
    again = lesson.cached_spec(("k", 1), build)
    assert len(built) == 1 and _with_records(again) == _with_records(first)
    assert _with_records(first) == _with_records(charts.to_spec(_lines_from(4)))
    lesson.cached_spec(("k", 2), build)
    assert len(built) == 2


def test_a_chart_with_a_cache_key_is_converted_once(sent_specs, monkeypatch):
    converted = []
    real = lesson.to_spec
    monkeypatch.setattr(lesson, "to_spec", lambda c: converted.append(1) or real(c))
    lesson.chart(_lines_from(5), cache_key=("t", 5), key="a")
    lesson.chart(_lines_from(5), cache_key=("t", 5), key="a")
    assert len(converted) == 1
    (first, kwargs), (second, _) = sent_specs
    assert _with_records(first) == _with_records(second)
    assert kwargs == {"key": "a", "width": "stretch"}
    assert _with_records(first) == _with_records(real(_lines_from(5)))


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


def test_on_a_dark_background_the_palettes_black_is_drawn_light():
    frame = pd.DataFrame({"x": [1.0, 2.0], "c": ["#000000", "a"]})
    chart = (
        alt.Chart(frame)
        .mark_line(color=charts.OKABE_ITO["black"])
        .encode(x=alt.X("x:Q"), y=alt.Y("x:Q"))
    )
    spec = charts.to_spec(chart)
    dark = lesson.on_dark(spec)
    assert spec["mark"]["color"] == "#000000"  # the shared spec is left alone
    assert dark["mark"]["color"] == lesson.DARK_SWAPS["#000000"]
    assert dark["datasets"] is spec["datasets"]  # data values are not colours


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
    assert first["datasets"]["cursor"].column("x").to_pylist() == [0.2]
    assert second["datasets"]["cursor"].column("x").to_pylist() == [0.7]
    # the cached spec itself is untouched
    assert (
        "cursor"
        not in lesson._spec_of(chart.name, chart.args, chart.kwargs, chart.build)["datasets"]
    )


def test_named_datasets_fill_an_uncached_chart_too(sent_specs):
    lesson.chart(_named_line(), datasets={"cursor": pd.DataFrame({"x": [0.5]})})
    ((spec, _),) = sent_specs
    assert spec["datasets"]["cursor"].column("x").to_pylist() == [0.5]
