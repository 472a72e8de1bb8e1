"""Charts of the bias-variance lesson: valid Vega-Lite, titled axes, bounded rows, the right marks."""

from decimal import Decimal

import pandas as pd
import pytest

from core.experiments import bias_variance as bv
from core.facts import agrees
from tests.ui.specs import checked
from ui.charts import COLORS
from ui.charts import bias_variance as bc

CONFIG = bv.Config(n_sets=3, lc_max_size=50, max_degree=8)


@pytest.fixture(scope="module")
def result():
    return bv.run(CONFIG)


def _validate(chart, *, max_rows=5000, axes=2):
    return checked(chart, max_rows=max_rows, axes=axes)


def _layer_rows(spec, i):
    return spec["datasets"][spec["layer"][i]["data"]["name"]]


def test_error_vs_complexity_draws_both_splits_with_standard_error_bars(result):
    spec = _validate(bc.error_vs_complexity(result.sweep, level_name="degree", sigma2=0.09))
    lines = spec["layer"][0]
    assert lines["encoding"]["y"]["scale"]["type"] == "log"
    scale = lines["encoding"]["color"]["scale"]
    assert scale["domain"] == ["training", "validation"]
    assert scale["range"] == [COLORS["train"], COLORS["validation"]]
    rows = _layer_rows(spec, 1)
    val = [r for r in rows if r["split"] == "validation"]
    for r, (_, s) in zip(val, result.sweep.iterrows(), strict=True):
        assert r["high"] == pytest.approx(s["val_mse"] + s["val_se"])
    assert len(spec["layer"]) == 3, "the noise floor is drawn when sigma > 0"
    no_noise = _validate(bc.error_vs_complexity(result.sweep, level_name="width", sigma2=0.0))
    assert len(no_noise["layer"]) == 2
    assert no_noise["layer"][0]["encoding"]["x"]["title"] == "hidden units (one tanh layer)"


def test_fitted_curves_show_one_levels_fits_truth_and_points(result):
    level = CONFIG.max_degree
    spec = _validate(
        bc.fitted_curves(
            result.fits, result.truth_curve, result.points, level=level, role=2, title="t"
        )
    )
    curves = _layer_rows(spec, 0)
    assert {r["level"] for r in curves} == {level}
    assert {r["set"] for r in curves} == set(range(min(bv.experiment.FITS_SHOWN, CONFIG.n_sets)))
    assert spec["layer"][0]["mark"]["clip"] is True
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"][0] == bc.ROLE_COLORS[2]


def test_decomposition_uses_a_log_axis_and_leaves_out_what_it_cannot_draw(result):
    spec = _validate(bc.decomposition(result.sweep, level_name="degree"))
    lines = spec["layer"][0]
    assert lines["encoding"]["y"]["scale"]["type"] == "log"
    scale = lines["encoding"]["color"]["scale"]
    assert scale["domain"][:2] == ["bias²", "variance"]
    assert scale["range"][:3] == [COLORS["bias²"], COLORS["variance"], COLORS["noise"]]
    rows = _layer_rows(spec, 0)
    assert len(rows) == 4 * len(result.sweep)
    drawn = [r for r in rows if r["part"] == "bias²" and r["value"] is not None]
    assert len(drawn) == int((result.sweep["bias_sq"] > 0).sum())
    assert spec["layer"][0]["mark"]["invalid"] == "break-paths-filter-domains"
    sweep = result.sweep.assign(bias_sq=-1.0, noise=0.0)
    spec = _validate(bc.decomposition(sweep, level_name="degree"))
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "variance",
        "bias² + variance + σ²",
    ]


def test_learning_curves_colour_levels_by_role(result):
    levels = result.info["curve_levels"]
    labels = {lv: bv.level_label("polynomial", lv) for lv in levels}
    spec = _validate(bc.learning_curves(result.curves, sigma2=0.09, labels=labels))
    lines = spec["layer"][0]
    assert lines["encoding"]["x"]["scale"]["type"] == "log"
    scale = lines["encoding"]["color"]["scale"]
    assert scale["domain"] == list(labels.values())
    assert scale["range"][0] == bc.ROLE_COLORS[0] and scale["range"][-1] == bc.ROLE_COLORS[2]
    two = {levels[0]: "a", levels[-1]: "b"}
    spec = _validate(bc.learning_curves(result.curves, sigma2=0.0, labels=two))
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == [
        bc.ROLE_COLORS[0],
        bc.ROLE_COLORS[2],
    ]


def test_cv_scores_mark_the_best_mean_the_one_se_choice_and_the_threshold(result):
    rule = bv.one_se_choice(result.cv)
    spec = _validate(
        bc.cv_scores(result.cv_folds, result.cv, rule, level_name="degree", k=CONFIG.folds)
    )
    assert len(_layer_rows(spec, 0)) == CONFIG.folds * len(result.cv)
    threshold = _layer_rows(spec, 3)
    assert threshold[0]["mean"] == pytest.approx(rule["threshold"])
    marks = {r["mark"]: r["level"] for r in _layer_rows(spec, 5)}
    assert marks == {"lowest mean": rule["best"], "one-SE choice": rule["choice"]}
    # the tooltip's SE is its printed SD / √k, to the SE's printed digit (audit 23h: "SD 0.11"
    # beside "SE 0.051" at k = 5, where 0.11 / √5 = 0.049)
    for r in _layer_rows(spec, 1):
        implied = Decimal(r["sd_text"]) / Decimal(CONFIG.folds).sqrt()
        assert agrees(r["se_text"], implied), (r["sd_text"], r["se_text"])
    assert bc._se_and_sd(0.0511, 0.114, 5) == ("0.051", "0.114")


def test_estimates_draw_bars_only_where_there_is_a_standard_error():
    rows = pd.DataFrame(
        {
            "estimate": ["plain", "nested", "truth"],
            "value": [0.1, 0.2, 0.15],
            "se": [0.01, 0.02, None],
        }
    )
    rows["low"], rows["high"] = rows["value"] - rows["se"], rows["value"] + rows["se"]
    spec = _validate(bc.estimates(rows), axes=1)
    assert len(_layer_rows(spec, 0)) == 2 and len(_layer_rows(spec, 1)) == 3
    assert [r["se_text"] for r in _layer_rows(spec, 1)] == ["0.01", "0.02", "none (one refit)"]


def test_leak_scores_show_folds_means_and_chance(result):
    spec = _validate(bc.leak_scores(result.leak, chance=0.5), axes=1)
    assert len(_layer_rows(spec, 0)) == 2 * CONFIG.folds
    means = _layer_rows(spec, 2)
    leak = result.leak.groupby("pipeline")["accuracy"].mean()
    got = {r["name"]: r["mean"] for r in means}
    assert got[bc.LEAK_NAMES["leaky"]] == pytest.approx(leak["leaky"])
    assert _layer_rows(spec, 3)[0]["accuracy"] == 0.5
