"""Network depth charts: valid Vega-Lite with titles, axis titles, legends and the fixed palette."""

import re
from decimal import Decimal

import pandas as pd
import pytest

from core.experiments import network_depth as nd
from tests.ui.specs import checked, scales, values
from ui.charts import COLORS, OKABE_ITO
from ui.charts import depth as charts


@pytest.fixture(scope="module")
def result():
    config = nd.Config(
        n_samples=120,
        max_depth=2,
        widths=(4,),
        width=4,
        folds=3,
        epochs=20,
        ua_target="sawtooth",
        ua_level=2,
        ua_budget=25,
        ua_epochs=100,
    )
    return nd.run(config)


def test_score_heatmap(result):
    spec = checked(charts.score_heatmap(result.grid, folds=3))
    assert spec["title"]["text"] == "3-fold CV accuracy by depth and width"
    assert len(spec["layer"]) == 2  # cells and their mean ± SE labels
    assert "standard error" in spec["title"]["subtitle"]
    assert scales(spec)[0]["range"][-1] == OKABE_ITO["blue"]


def test_depth_curve_uses_train_and_validation_colors(result):
    spec = checked(charts.depth_curve(result.depth_curve, width=4, grow_depth=result.grow_depth))
    scale = next(s for s in scales(spec) if "domain" in s)
    assert scale["domain"] == ["train", "validation"]
    assert scale["range"] == [COLORS["train"], COLORS["validation"]]
    assert "standard error" in spec["title"]["subtitle"]
    assert len(spec["layer"]) == 4  # band, lines, the grow rule's depth and its label


def test_depth_curve_draws_the_one_se_bar(result):
    spec = charts.depth_curve(
        result.depth_curve, width=4, grow_depth=result.grow_depth, bar=0.8
    ).to_dict()
    rows = [r for data in spec["datasets"].values() for r in data]
    assert {"accuracy": 0.8, "label": "best − 1 SE"} in rows
    assert "grow rule keeps" in str(rows)


@pytest.mark.parametrize("factory", [charts.score_vs_params, charts.time_vs_params])
def test_per_width_lines(result, factory):
    spec = checked(factory(result.grid))
    assert spec["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["legend"] is not None


def test_criteria_chart(result):
    cv_pick = int(result.picks.set_index("criterion").loc["cross-validation", "n_params"])
    spec = checked(charts.criteria_chart(result.criteria, cv_pick))
    scale = scales(spec)[0]
    assert scale["domain"] == ["AIC", "BIC"]
    assert set(scale["range"]) <= set(OKABE_ITO.values())


def test_boundary_panel_stays_small(result):
    cells = result.boundaries[result.boundaries["depth"] == 1]
    chart = charts.boundary_panel(cells, result.points, title="depth 1")
    spec = checked(chart)
    assert len(cells) + len(result.points) < 5000
    ranges = [s["range"] for s in scales(spec)]
    assert [OKABE_ITO["vermillion"], OKABE_ITO["blue"]] in ranges
    # both the shading and the points have a legend (issue 17: boundaries without a key)
    heat, dots = spec["layer"]
    assert heat["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert heat["encoding"]["color"]["title"] == "P(class 1)"
    assert dots["encoding"]["color"]["legend"]["title"] == "points: class"


def test_universal_approximation_charts(result):
    spec = checked(charts.ua_fits(result.ua_curves, title="fits"))
    scale = scales(spec)[0]
    assert "hand-set weights" in scale["domain"]
    assert scale["range"] == [charts.UA_COLORS[n] for n in scale["domain"]]
    target = result.ua_summary["target_pieces"].iloc[0]
    spec = checked(charts.pieces_chart(result.ua_summary, target))
    assert len(spec["layer"]) == 3  # bars, the target's rule and its label
    spec = checked(charts.pieces_chart(result.ua_summary, None))
    assert len(spec["layer"]) == 1


def test_pieces_tooltips_give_the_one_layer_bound_only_for_one_layer_nets(result):
    """A deep net has no one-layer bound: its tooltip says so, not "null" (its NaN as a number)."""
    spec = checked(charts.pieces_chart(result.ua_summary, None))
    tips = [t for enc in values(spec, "tooltip") for t in enc if "max" in t.get("title", "")]
    assert [t["type"] for t in tips] == ["nominal"]
    rows = {row["model"]: row for data in spec["datasets"].values() for row in data}
    for _, net in result.ua_summary.iterrows():
        one_layer = len(net["hidden"]) == 1
        expected = str(net["hidden"][0] + 1) if one_layer else "not one layer"
        assert rows[net["model"]][tips[0]["field"]] == expected


def heatmap_grid() -> pd.DataFrame:
    """A 2 x 2 depth-by-width grid of cross-validation scores, as the experiment gives it."""
    return pd.DataFrame(
        {
            "depth": [0, 1, 0, 1],
            "width": [2, 2, 8, 8],
            "hidden": ["()", "(2,)", "()", "(8,)"],
            "n_params": [3, 9, 3, 33],
            "cv_mean": [0.8, 0.85, 0.8, 0.95],
            "cv_std": [0.01, 0.02, 0.01, 0.02],
            "cv_se": [0.004, 0.009, 0.004, 0.009],
            "cv_train_mean": [0.8, 0.86, 0.8, 0.97],
            "fit_ms": [5.0, 6.0, 5.0, 7.0],
        }
    )


def test_heatmap_labels_every_cell():
    grid = heatmap_grid()
    spec = charts.score_heatmap(grid, folds=5).to_dict()
    rows = next(iter(spec["datasets"].values()))
    # mean ± its standard error (not the folds' standard deviation)
    assert [r["label"] for r in rows] == [
        "0.800\n± 0.004",
        "0.850\n± 0.009",
        "0.800\n± 0.004",
        "0.950\n± 0.009",
    ]
    # the best cells get white text on the dark end of the ramp
    assert [r["dark"] for r in rows] == [False, False, False, True]


def _heatmap_texts(grid: pd.DataFrame, config: nd.Config) -> dict:
    """(depth, width) -> the CV mean as the page's heatmap prints it (cells and tooltips)."""
    places = charts.cv_places(grid, config.width, config.tolerance)  # as the page calls it
    spec = charts.score_heatmap(grid, folds=config.folds, places=places).to_dict()
    rows = next(iter(spec["datasets"].values()))
    return {(r["depth"], r["width"]): Decimal(r["cv_text"]) for r in rows}


# Audit pass 38 (b): the sentences printed the CV means at the digits their own comparisons
# needed, the heatmap at cv_places: a kept model printed 0.646 on the heatmap beside "reaches
# 0.6462 … (CV 0.6464)" (circles), and non-tied models printed as the best on the heatmap beside
# a sentence naming one best (xor, spiral). One set of digits now serves both.
PRINTED_DIGITS_WITNESSES = [
    nd.Config(dataset="circles", n_samples=400, noise=0.4, max_depth=1, widths=(8, 32), width=32,
              folds=4, epochs=60, learning_rate=0.01, tolerance=0.02, ua_budget=25,
              ua_epochs=100, seed=40386),
    nd.Config(dataset="xor", n_samples=550, noise=0.3, max_depth=1, widths=(8, 32), width=32,
              folds=6, epochs=30, learning_rate=0.1, ua_budget=25, ua_epochs=100, seed=94540),
    nd.Config(dataset="spiral", n_samples=500, noise=0.05, max_depth=3, widths=(8, 32), width=8,
              folds=6, epochs=40, learning_rate=0.01, ua_budget=25, ua_epochs=100, seed=72935),
]  # fmt: skip


@pytest.mark.parametrize("config", PRINTED_DIGITS_WITNESSES)
def test_heatmap_cells_read_the_one_se_sentences_as_they_say(config):
    """Read off the heatmap's printed means, the bar each sentence prints is reached by exactly
    the models the sentence says reach it, and no model the sentence does not name as (tied)
    best prints as high as the best."""
    result = nd.run(config)
    facts = {f.claim: f for f in nd.facts(config, result)}
    shown = _heatmap_texts(result.grid, config)
    # the prediction's answer, at the focus width
    answer = facts.get("answer_clear") or facts["answer_one_se"]
    bar = Decimal(re.search(r"so the bar is ([\d.]+)", answer.text).group(1))
    for depth in range(config.max_depth + 1):
        cell = shown[(depth, config.width)]
        assert (cell >= bar) == (depth in answer.values["within"]), (depth, cell, answer.text)
        if depth not in answer.values["ties"]:
            assert cell < shown[(answer.values["best"], config.width)], (depth, answer.text)
    # the best in the grid and the model the one-standard-error rule keeps
    fact = facts["best_and_one_se"]
    bar = Decimal(re.search(r"(?:reaches |standard error \()([\d.]+)", fact.text).group(1))
    models = result.grid.drop_duplicates("hidden")
    params = {(int(r.depth), int(r.width)): int(r.n_params) for r in models.itertuples()}
    keep, best = fact.values["keep"], fact.values["best"]
    for k in params:
        cell = shown[k]
        if k == keep:
            assert cell >= bar, (k, cell, fact.text)
        elif params[k] < params[keep]:
            assert cell < bar, (k, cell, fact.text)
        if k not in best:
            assert cell < shown[best[0]], (k, cell, fact.text)
