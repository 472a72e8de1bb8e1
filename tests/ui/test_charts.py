"""Chart factories return valid Vega-Lite with titles, axis titles, legends and the fixed palette."""

import altair as alt
import numpy as np
import pandas as pd
import pytest

from core.experiments import gradient_descent as gd
from tests.ui.specs import checked, title_text
from ui import charts


@pytest.fixture(scope="module")
def result():
    return gd.run(gd.Config(epochs=3, n_samples=60))


def _validate(chart):
    spec = checked(chart)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    return spec


def test_contour_paths(result):
    chart = charts.contour_paths(
        result.contours,
        result.curves,
        minimum=(result.optimum["w"], result.optimum["b"]),
        start=(-1.5, 3.0),
    )
    spec = _validate(chart)
    assert len(spec["layer"]) == 3
    colors = spec["layer"][1]["encoding"]["color"]["scale"]
    assert colors["domain"] == ["Batch GD", "Mini-batch", "SGD"]
    assert colors["range"] == [charts.COLORS[v] for v in colors["domain"]]


def test_contour_paths_drops_points_outside_the_fixed_domain(result):
    far = pd.DataFrame({"variant": ["SGD"] * 2, "update": [0, 1], "w": [0.0, 1e9], "b": [0.0, 1e9]})
    chart = charts.contour_paths(
        result.contours, far, minimum=(0, 0), start=(0, 0), domain=([-5, 5], [-5, 5])
    )
    layer_data = chart.layer[1].data
    assert len(layer_data) == 1


def test_line_chart_log_axis_drops_non_positive_values():
    df = pd.DataFrame({"x": [1, 2, 3, 4], "y": [1.0, 0.0, -1.0, 2.0], "variant": ["SGD"] * 4})
    chart = charts.line_chart(
        df, x="x", y="y", color="variant", title="t", x_title="x (count)", y_title="y", log_y=True
    )
    spec = _validate(chart)
    assert len(chart.data) == 2
    assert spec["encoding"]["y"]["scale"]["type"] == "log"


def test_gradient_histogram_and_variance(result):
    _validate(charts.gradient_histogram(result.gradient_samples, result.full_gradient[0]))
    spec = _validate(charts.variance_loglog(result.variance, result.variance_slope))
    assert f"{result.variance_slope:.2f}" in title_text(spec)


def test_color_scale_keeps_fixed_meanings_and_extends():
    scale = charts.color_scale(["test", "train", "something new"]).to_dict()
    assert scale["range"][:2] == [charts.COLORS["test"], charts.COLORS["train"]]
    assert scale["range"][2] not in scale["range"][:2]


def test_palette_is_colour_blind_safe():
    """Every fixed colour comes from Okabe & Ito or Tol's muted scheme (both colour-blind safe)."""
    assert set(charts.COLORS.values()) <= set(charts.SAFE_COLORS.values())
    assert set(charts.TOL_EXTRA.values()).isdisjoint(charts.OKABE_ITO.values())


def test_padded_domain_ignores_non_finite():
    assert charts.padded_domain([0, 1, np.inf, np.nan], pad=0) == [0.0, 1.0]
    assert isinstance(
        charts.line_chart(
            pd.DataFrame({"x": [1], "y": [1], "c": ["a"]}),
            x="x",
            y="y",
            color="c",
            title="t",
            x_title="a",
            y_title="b",
        ),
        alt.Chart,
    )


def test_a_bottom_legend_stacks_its_entries_in_a_phones_narrow_container():
    """On a 390 px phone a row of two long entries ran off the chart's right edge (loss
    functions' "cross-entropy −lo…"): below LEGEND_ROW_PX of container, one entry a line."""
    from ui.charts import LEGEND_ROW_PX, legend

    expr = legend("").to_dict()["columns"]["expr"]
    condition, _, choices = expr.partition("?")
    one_row, _, stacked = choices.partition(":")
    assert condition.strip() == f"containerSize()[0] >= {LEGEND_ROW_PX}"
    assert (int(one_row), int(stacked)) == (0, 1)  # 0: one row (Vega); 1: one column
    assert 390 < LEGEND_ROW_PX <= 700  # a phone stacks, a full-width desktop chart does not
    assert "columns" not in legend("", "right").to_dict()
