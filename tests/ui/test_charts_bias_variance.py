"""Charts of the bias-variance lesson: valid Vega-Lite, titled axes, bounded rows, the right marks."""

import dataclasses
import re
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
    assert [r["se_text"] for r in _layer_rows(spec, 1)] == ["0.010", "0.020", "none (one refit)"]


def test_leak_scores_show_folds_means_and_chance(result):
    spec = _validate(bc.leak_scores(result.leak, chance=0.5), axes=1)
    assert len(_layer_rows(spec, 0)) == 2 * CONFIG.folds
    means = _layer_rows(spec, 2)
    leak = result.leak.groupby("pipeline")["accuracy"].mean()
    got = {r["name"]: r["mean"] for r in means}
    assert got[bc.LEAK_NAMES["leaky"]] == pytest.approx(leak["leaky"])
    assert _layer_rows(spec, 3)[0]["accuracy"] == 0.5


def _stats_rows(chart, column):
    """The rows of the layer whose data carries ``column`` (the tooltips' texts)."""
    frames = [layer.data for layer in chart.layer if column in getattr(layer.data, "columns", ())]
    return frames[0] if frames else chart.data


def test_leak_tooltips_print_the_honest_mean_and_se_the_sentence_reads_chance_from():
    """Audit pass 35 (h): 'Honest ...: 46.97 % ± 1.6 %, within 2 standard errors of chance'
    beside a leak chart tooltip SE of '1.5%' (50 − 46.97 = 3.03 > 2 × 1.5 on the chart)."""
    from types import SimpleNamespace

    from core.experiments.bias_variance import claims as bvc
    from core.experiments.bias_variance.experiment import CHANCE

    config = bv.Config(leak_n=100, leak_features=200, leak_k=10, folds=3, seed=630018)
    leak = bv.run_leak(config)
    facts = bvc._leak(config, SimpleNamespace(leak=leak, info={"chance": CHANCE}))
    (honest,) = [f for f in facts if f.claim in ("honest_at_chance", "honest_off_chance")]
    mean, se = re.search(r"\): ([\d.]+) % ± ([\d.]+) %", honest.text).groups()
    stats = _stats_rows(bc.leak_scores(leak, chance=CHANCE), "se_text").set_index("name")
    row = stats.loc[bc.LEAK_NAMES["honest"]]
    assert (row["mean_text"], row["se_text"]) == (f"{mean}%", f"{se}%"), honest.text
    # and on the chart's own numbers chance is as many SEs away as the sentence says
    distance = abs(Decimal(row["mean_text"][:-1]) - Decimal(100 * CHANCE))
    within = distance <= 2 * Decimal(row["se_text"][:-1])
    assert within == (honest.claim == "honest_at_chance"), (row["mean_text"], row["se_text"])


def test_estimates_tooltips_print_the_nested_se_the_sentence_compares_the_gap_with():
    """Audit pass 35 (h): 'Plain CV's best is 0.112 below the nested estimate (within one
    standard error ...)' beside an estimates chart whose nested SE tooltip read '0.11'."""
    from core.experiments.bias_variance import claims as bvc

    config = bv.Config(truth="cubic", noise=1.0, n_train=30, max_degree=15, folds=3, seed=805255)
    result = bv.run(config)  # ~1 s: its CV part is most of it
    facts = {f.claim: f for f in bvc._nested(config, result)}
    nested = facts["nested_vs_plain"].values
    texts = bvc.nested_texts(result)  # as the page builds the chart's rows
    rows = pd.DataFrame(
        {
            "estimate": ["plain CV: best mean", "nested CV", "tuned"],
            "value": [nested["plain"], nested["nested"], 1.0],
            "se": [nested["plain_se"], nested["nested_se"], float("nan")],
            "value_text": [texts["plain"], texts["nested"], None],
            "se_text": [texts["plain_se"], texts["nested_se"], None],
        }
    )
    rows["low"], rows["high"] = rows["value"] - rows["se"], rows["value"] + rows["se"]
    shown = _stats_rows(bc.estimates(rows), "se_text").set_index("estimate")
    plain, nested_row = shown.loc["plain CV: best mean"], shown.loc["nested CV"]
    text = facts["nested_vs_plain"].text
    assert f"{nested_row['value_text']} ± {nested_row['se_text']}" in text, text
    assert f"{plain['value_text']} ± {plain['se_text']}" in text, text
    below = facts["plain_below_nested"].text
    gap = Decimal(nested_row["value_text"]) - Decimal(plain["value_text"])
    if "within one standard error" in below:
        assert gap <= Decimal(nested_row["se_text"]), (gap, nested_row["se_text"], below)


@pytest.mark.parametrize(
    "config",
    [
        bv.Config(truth="sine", noise=0.5, n_train=10, max_degree=15, n_sets=5, seed=352575),
        bv.Config(truth="bump", noise=0.5, n_train=10, max_degree=10, n_sets=10, seed=416689),
    ],
)
def test_largest_printed_gap_in_printed_ses_is_the_z_fresh_noise_prints(config):
    """Audit pass 36 (g): 'the largest gap ... is 2.4 standard errors' beside decomposition
    tooltips of 1.413e+05 (validation MSE) and 1.414e+05 (bias² + variance + σ²) with an SE
    of 15.7: 6.4 SEs on the page's own numbers."""
    result = bv.run(config)
    (fact,) = [f for f in bv.facts(config, result) if f.claim.startswith("fresh_noise_")]
    z = re.search(r"is ([\d.]+) standard errors", fact.text).group(1)
    chart = bc.decomposition(result.sweep, level_name="degree")
    lines, diamonds = (
        next(layer.data for layer in chart.layer if column in getattr(layer.data, "columns", ()))
        for column in ("part", "val_mse_text")
    )
    total = lines[lines["part"] == "bias² + variance + σ²"].set_index("level")["value_text"]
    gaps = [
        abs(Decimal(val) - Decimal(total[level])) / Decimal(se)
        for level, val, se in zip(
            diamonds["level"], diamonds["val_mse_text"], diamonds["measured_se_text"], strict=True
        )
        if level in total.index and Decimal(se) > 0
    ]
    assert gaps and agrees(z, max(gaps)), (z, max(gaps), fact.text)


def _column_frame(chart, column):
    """The data of the chart's first layer that has ``column``."""
    return next(layer.data for layer in chart.layer if column in getattr(layer.data, "columns", ()))


def test_the_sweep_sentences_lowest_prints_below_every_other_levels_tooltip():
    """Audit pass 38 (e): "Lowest validation MSE: 0.125 ± 0.0047 at degree 6" beside the
    error-vs-complexity tooltips of degree 3 (0.12467) and degree 5 (0.12466): cubic, σ 0.35,
    n 200, degree 10, 2 sets, seed 225930 (slider values)."""
    config = bv.Config(truth="cubic", noise=0.35, n_train=200, max_degree=10, n_sets=2,
                       lc_max_size=50, seed=225930)  # fmt: skip
    result = bv.run(config)
    facts = {f.claim: f for f in bv.facts(config, result)}
    best = facts["sweep_best"].values["best"]
    chart = bc.error_vs_complexity(result.sweep, level_name="degree", sigma2=config.noise**2)
    rows = _column_frame(chart, "mse_text")
    others = rows[(rows["split"] == "validation") & (rows["level"] != best)]["mse_text"]
    lowest = [re.search(r"Lowest validation MSE: ([\d.e+-]+) ±", facts["sweep_best"].text).group(1)]
    if "overfits_beyond" in facts:
        lowest += re.findall(r"above the lowest \(([\d.e+-]+);", facts["overfits_beyond"].text)
    for shown in lowest:
        assert all(Decimal(t) > Decimal(shown) for t in others), (shown, sorted(others))


def test_the_one_se_trade_is_the_difference_of_the_cv_charts_printed_means():
    """Audit pass 38 (e): "The one-SE rule trades 0.00083 of mean CV error" beside CV-chart
    mean tooltips of 0.6633 (the choice) and 0.6625 (the lowest), 0.0008 apart: bump, σ 0.7,
    n 100, degree 10, 3 folds, seed 617613 (slider values)."""
    config = bv.Config(truth="bump", noise=0.7, n_train=100, max_degree=10, n_sets=4,
                       lc_max_size=50, folds=3, seed=617613)  # fmt: skip
    result = bv.run(config)
    (fact,) = [f for f in bv.facts(config, result) if f.claim == "one_se_simpler"]
    trade = re.search(r"trades ([\d.e+-]+) of", fact.text).group(1)
    rule = bv.one_se_choice(result.cv)
    chart = bc.cv_scores(result.cv_folds, result.cv, rule, level_name="degree", k=config.folds)
    means = _column_frame(chart, "mean_text").set_index("level")["mean_text"]
    implied = Decimal(means[rule["choice"]]) - Decimal(means[rule["best"]])
    assert agrees(trade, implied), (trade, means[rule["choice"]], means[rule["best"]])


@pytest.mark.parametrize(
    "config",
    [
        # cv_one_se "0.97106 ± 0.176 ... within one standard error: degree 1, degree 2, degree 3
        # and degree 5" beside nested_vs_plain's "0.971 ± 0.18" (a bound of 1.151), over degree
        # 4's tooltip 1.148
        bv.Config(truth="cubic", noise=1.0, n_train=50, max_degree=14, folds=6, seed=186808),
        # "0.63557 ± 0.112" lists degree 3 (tooltip 0.747); "0.635568 ± 0.11" put it outside
        bv.Config(truth="bump", noise=0.7, n_train=100, max_degree=11, folds=5, seed=715288),
        # cv_one_se itself: "0.01309 ± 0.0017" (0.01479) listed degree 11, tooltip 0.01481
        bv.Config(truth="bump", noise=0.1, n_train=100, max_degree=15, folds=6, seed=656684),
    ],
)
def test_plain_cvs_best_mean_and_se_bound_the_one_se_list_wherever_printed(config):
    """Audit pass 40 (g): the lowest CV mean ± its SE is printed by cv_one_se (and the CV chart's
    tooltip) and by nested_vs_plain (and the estimates chart); the levels cv_one_se lists within
    one SE are those whose CV-chart mean is at most that bound, as each of the two prints it."""
    from core.experiments.bias_variance import claims as bvc

    result = bv.run(dataclasses.replace(config, n_sets=3, lc_max_size=50))
    facts = {f.claim: f for f in bv.facts(config, result)}
    rule = bv.one_se_choice(result.cv)
    stats = _stats_rows(
        bc.cv_scores(result.cv_folds, result.cv, rule, level_name="degree", k=config.folds),
        "mean_text",
    )
    listed = set(rule["within"])
    for claim in ("cv_one_se", "nested_vs_plain"):
        text = facts[claim].text
        pattern = r"lowest mean MSE is ([\d.e+-]+) ± ([\d.e+-]+)"
        if claim == "nested_vs_plain":
            pattern = r"best score: ([\d.e+-]+) ± ([\d.e+-]+)"
        mean, se = (Decimal(x) for x in re.search(pattern, text).groups())
        for level, shown in zip(stats["level"], stats["mean_text"], strict=True):
            inside = Decimal(shown) <= mean + se
            assert inside == (int(level) in listed), (claim, text, level, shown)
    assert bvc.nested_texts(result)["plain_se"] == re.search(
        r"lowest mean MSE is [\d.e+-]+ ± ([\d.e+-]+)", facts["cv_one_se"].text
    ).group(1)
