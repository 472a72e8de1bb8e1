"""Regularization charts: valid Vega-Lite, titled, axes labelled, penalties in their fixed colors."""

import pytest

from core.experiments import regularization as rx
from tests.ui.specs import checked, encodings
from ui.charts import COLORS
from ui.charts import regularization as charts


@pytest.fixture(scope="module")
def result():
    return rx.run(rx.Config(net_epochs=100))


@pytest.fixture(scope="module")
def synthetic():
    return rx.run(rx.Config(dataset="synthetic", n_features=8, net_epochs=100))


def _validate(chart):
    spec = checked(chart)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    for channel in ("x", "y"):
        titles = [e.get("title") for e in encodings(spec, channel) if "field" in e]
        assert titles and all(titles), f"every {channel} field has an axis title"
    return spec


def _penalty_colors_are_fixed(spec):
    scales = [
        e["scale"] for e in encodings(spec, "color") if e.get("field") == "penalty" and "scale" in e
    ]
    assert scales
    for scale in scales:
        assert scale["range"] == [COLORS[p] for p in scale["domain"]]


@pytest.mark.parametrize("penalty", rx.PENALTIES)
def test_coef_paths_by_feature(result, penalty):
    alpha = float(result.models.set_index("penalty").loc[penalty, "alpha_cv"])
    chart = charts.coef_paths(
        result.paths[result.paths["penalty"] == penalty],
        alpha_cv=alpha,
        title=penalty,
        x_title="α (log scale)",
    )
    spec = _validate(chart)
    color = encodings(spec, "color")[0]
    assert color["field"] == "feature" and len(color["scale"]["domain"]) == 10
    assert len(set(color["scale"]["range"])) == 10, "ten features, ten distinct colors"
    assert encodings(spec, "x")[0]["title"] == "α (log scale)"
    assert {"datum": alpha} in encodings(spec, "x"), "the CV alpha is drawn as a rule"


def test_coef_paths_by_truth(synthetic):
    chart = charts.coef_paths(
        synthetic.paths[synthetic.paths["penalty"] == "L1"],
        alpha_cv=0.01,
        title="L1",
        x_title="α",
        color_by="truth",
    )
    color = encodings(_validate(chart), "color")[0]
    assert color["field"] == "truth"
    assert color["scale"]["range"] == [charts.TRUTH_COLORS[n] for n in color["scale"]["domain"]]


def test_log_axes_tick_at_powers_of_ten():
    assert charts.decades([0.003, 0.2, 40.0]) == [1e-3, 1e-2, 1e-1, 1.0, 1e1, 1e2]
    assert charts.decades([0.0, -1.0]) == [1.0]


def test_zero_counts(result):
    spec = _validate(charts.zero_counts(result.zeros, n_features=10))
    _penalty_colors_are_fixed(spec)
    assert encodings(spec, "y")[0]["scale"]["domain"] == [0, 10]


def test_support_recovery(synthetic):
    spec = _validate(
        charts.support_recovery(synthetic.recovery, alpha_cv=synthetic.recovery_cv["alpha"])
    )
    assert encodings(spec, "color")[0]["scale"]["domain"] == ["precision", "recall"]


def test_geometry_is_square_and_uses_penalty_colors(result):
    chart = charts.geometry(
        result.contours,
        result.boundaries,
        result.optima,
        ols=result.geometry["ols"],
        budget=1.0,
        size=400,
    )
    spec = _validate(chart)
    assert spec["width"] == spec["height"] == 400
    assert spec["autosize"]["type"] == "pad", "width and height are the plot area: a round circle"
    xs, ys = encodings(spec, "x")[0], encodings(spec, "y")[0]
    assert xs["scale"]["domain"] == ys["scale"]["domain"]
    _penalty_colors_are_fixed(spec)


def test_budget_sweep(result):
    spec = _validate(charts.budget_sweep(result.budget_sweep, budget=1.0))
    _penalty_colors_are_fixed(spec)
    assert {"datum": 1.0} in encodings(spec, "x")


def test_pair_charts(result):
    alpha = result.pair["alpha_reference"]
    _penalty_colors_are_fixed(
        _validate(charts.pair_paths(result.pair_paths, alpha_reference=alpha))
    )
    _penalty_colors_are_fixed(
        _validate(charts.pair_bars(result.pair_reference, alpha_reference=alpha))
    )


def test_network_charts(result):
    spec = _validate(charts.weight_histogram(result.net_histogram, threshold=1e-3))
    _penalty_colors_are_fixed(spec)
    assert encodings(spec, "color")[0]["scale"]["domain"] == ["none", "L1", "L2"]
    _penalty_colors_are_fixed(_validate(charts.input_weights(result.net_inputs)))


def test_a_coefficient_that_is_not_zero_never_prints_as_zero():
    # elastic net's x1 just after it enters (correlation 0.9, rho 0.3, seed 0) is 1.5e-05
    assert charts.coef_text(1.5e-05) == "1.5e-05"
    assert charts.coef_text(-1.5e-05) == "-1.5e-05"
    assert charts.coef_text(0.0) == charts.coef_text(-0.0) == "0.0000"
    assert charts.coef_text(0.65823) == "0.6582"


@pytest.mark.parametrize(
    "config",
    [
        rx.Config(correlation=0.95, l1_ratio=0.7, seed=0),
        rx.Config(correlation=0.99, l1_ratio=0.9, seed=12),
    ],
)
def test_elastic_net_share_follows_from_the_pair_bars_printed_weights(config):
    """Audit pass 36 (c): 'Elastic net keeps both, the smaller at 88.6% of the larger' beside
    pair-bar tooltips of 0.5247 and 0.5918 (88.66 %, printed 88.7 %)."""
    import re
    from decimal import Decimal

    from core.experiments.regularization.claims import pair_texts
    from core.facts import agrees

    result = rx.run(config)
    (fact,) = [f for f in rx.facts(config, result) if f.claim == "en_keeps_pair"]
    share = re.search(r"the smaller at ([\d.]+)% of the larger", fact.text).group(1)
    data = charts.pair_bars(
        result.pair_reference, alpha_reference=1.0, texts=pair_texts(result)
    ).data
    weights = sorted(
        abs(Decimal(t)) for t in data.loc[data["penalty"] == "elastic net", "coef_text"]
    )
    assert agrees(share, 100 * weights[0] / weights[1]), (weights, fact.text)


def test_no_ridge_path_tooltip_prints_below_the_smallest_coefficient_the_answer_names():
    """Audit pass 38 (a), the default settings: the answer said 'Ridge's smallest |coefficient|
    on its whole path is 5.6e-05' beside a Ridge path tooltip printing that weight as 5.556e-05."""
    import re
    from decimal import Decimal

    config = rx.Config()
    result = rx.run(config)
    (answer,) = [f for f in rx.facts(config, result) if f.claim == "partial_zeros_answer"]
    # "on its grid of 50 α values" since audit 43 (coefficients cross 0 between grid values)
    found = re.search(
        r"smallest \|coefficient\| on its grid of \d+ α values is (\S+):", answer.text
    )
    smallest = Decimal(found.group(1))
    ridge = result.paths[result.paths["penalty"] == "l2"]
    data = charts.coef_paths(ridge, alpha_cv=1.0, title="Ridge", x_title="α").layer[0].data
    printed = [abs(Decimal(t)) for t in data["coef_text"]]
    assert min(printed) >= smallest, (min(printed), answer.text)


def test_the_weight_histograms_axis_says_what_its_end_bins_hold():
    """Audit pass 38 (a), preset 'Strong penalties in the network': the axis said 'first bin
    ≤ 1e-8' while that bin holds 11 L2 weights between 1e-8 and 1.8e-8 (it spans |w| < 10^-7.75,
    and also every |w| below 1e-8)."""
    import numpy as np

    config = rx.PRESETS["Strong penalties in the network"].config
    result = rx.run(config)
    weights = np.abs(result.net_weights["weight"].to_numpy())
    first_bin = weights[weights < 10 ** rx.LOG10_BINS[1]]
    assert (first_bin > 1e-8).any(), "the case under test: the first bin holds weights above 1e-8"
    spec = charts.weight_histogram(result.net_histogram, threshold=1e-3).to_dict()
    (x_title,) = {e["title"] for e in encodings(spec, "x") if e.get("field") == "magnitude"}
    assert "≤ 1e-8" not in x_title, x_title  # a bound the first bin's weights exceed
    assert "also counts every |w| below 1e-8" in x_title, x_title


def _geometry_tooltips(result, budget):
    """The L1 and L2 optima's tooltip rows of the geometry chart as the page prints them."""
    from tests.tooltips import d3_format

    spec = charts.geometry(
        result.contours, result.boundaries, result.optima, ols=result.geometry["ols"], budget=budget
    ).to_dict()
    for layer in spec["layer"]:
        tips = layer.get("encoding", {}).get("tooltip", [])
        if any(t.get("field") == "corner" for t in tips):
            rows = spec["datasets"][layer["data"]["name"]]
            printed = []
            for row in rows:
                shown = {}
                for tip in tips:
                    name = tip.get("title", tip["field"])
                    value = row[tip["field"]]
                    shown[name] = d3_format(value, tip["format"]) if "format" in tip else value
                printed.append(shown)
            return printed
    raise AssertionError("no optima layer")


@pytest.mark.parametrize("budget", [1.3908, 1.391, 1.4, 0.5])
def test_an_optimum_the_sentence_calls_off_the_corner_never_prints_a_zero_weight(budget):
    """Audit pass 39 (l), ?t=1.3908: 'the L1 optimum is (1.39, 1.8e-05): on an edge of the
    diamond, both weights non-zero (w2 = 1.8e-05)' beside the optimum's tooltip w2 = 0.0000
    (".4f"). A tooltip prints a weight as 0 exactly when it is 0."""
    import dataclasses
    from decimal import Decimal

    config = dataclasses.replace(rx.Config(), budget=budget, net_epochs=100)
    result = rx.run(config)
    optima = result.optima.set_index("penalty")
    facts = {f.claim: f for f in rx.facts(config, result)}
    for row in _geometry_tooltips(result, budget):
        key = {"L1": "l1", "L2": "l2"}[row["penalty"]]
        for w in ("w1", "w2"):
            value = float(optima.loc[key, w])
            assert (Decimal(row[w]) == 0) == (value == 0), (budget, row, value)
    if "l1_edge" in facts:
        assert "both weights non-zero" in facts["l1_edge"].text


def _ols_tooltip(result, budget):
    """The least-squares cross's tooltip row of the geometry chart as the page prints it."""
    from tests.tooltips import d3_format

    spec = charts.geometry(
        result.contours, result.boundaries, result.optima, ols=result.geometry["ols"], budget=budget
    ).to_dict()
    for layer in spec["layer"]:
        tips = layer.get("encoding", {}).get("tooltip", [])
        if any(t.get("field") == "what" for t in tips):
            (row,) = spec["datasets"][layer["data"]["name"]]
            return {
                t.get("title", t["field"]): d3_format(row[t["field"]], t["format"])
                if "format" in t
                else row[t["field"]]
                for t in tips
            }
    raise AssertionError("no least-squares layer")


@pytest.mark.parametrize("budget", [2.6, 3.0])
def test_the_least_squares_tooltips_add_up_to_the_printed_norm(budget):
    """Audit pass 40 (g), ?t=2.6: 'the least-squares solution (1.98, 0.592), whose ‖w‖₁ = 2.57
    ≤ t' beside the cross's tooltips w1 = 1.983 and w2 = 0.592 (".3f"), which add up to 2.575
    (2.58 at the sentence's digits). The tooltips' |w1| + |w2| rounds to the printed norm."""
    import dataclasses
    import re
    from decimal import ROUND_HALF_UP, Decimal

    config = dataclasses.replace(rx.Config(), budget=budget, net_epochs=100)
    result = rx.run(config)
    facts = {f.claim: f for f in rx.facts(config, result)}
    norm = Decimal(re.search(r"‖w‖₁ = ([\d.]+)", facts["l1_not_binding"].text).group(1))
    row = _ols_tooltip(result, budget)
    total = abs(Decimal(row["w1"])) + abs(Decimal(row["w2"]))
    assert total.quantize(norm, ROUND_HALF_UP) == norm, (row, norm)


@pytest.mark.parametrize("budget", [1.4, 2.0, 2.5])
def test_the_edge_optimums_tooltips_add_up_to_the_budget(budget):
    """Audit pass 40 (g): the L1 optimum's tooltips on the diamond's edge print |w1| + |w2| = t,
    as the l1_edge sentence beside them does."""
    import dataclasses
    from decimal import Decimal

    config = dataclasses.replace(rx.Config(), budget=budget, net_epochs=100)
    result = rx.run(config)
    (row,) = [r for r in _geometry_tooltips(result, budget) if r["penalty"] == "L1"]
    assert abs(Decimal(row["w1"])) + abs(Decimal(row["w2"])) == Decimal(repr(budget)), row


@pytest.mark.parametrize("budget", [0.2, 1.1])
def test_the_l2_optimum_tooltip_prints_the_sentence_point_on_the_circle(budget):
    """Audit 47d, ?t=1.1: "The L2 optimum sits on the circle at (1.01, 0.424)", a printed point of
    norm 1.0954 inside the circle of radius 1.1, beside tooltips of 4 decimals. The tooltip and
    the sentence print one text, whose norm is t to its precision."""
    import dataclasses
    from decimal import Decimal

    config = dataclasses.replace(rx.Config(), budget=budget, net_epochs=100)
    result = rx.run(config)
    fact = next(f for f in rx.facts(config, result) if f.claim == "l2_optimum")
    (row,) = [r for r in _geometry_tooltips(result, budget) if r["penalty"] == "L2"]
    assert f"on the circle at ({row['w1']}, {row['w2']})" in fact.text, (row, fact.text)
    w1, w2 = Decimal(row["w1"]), Decimal(row["w2"])
    places = max(-w1.as_tuple().exponent, -w2.as_tuple().exponent)
    norm = (w1 * w1 + w2 * w2).sqrt()
    assert abs(norm - Decimal(repr(budget))) < Decimal(5).scaleb(-places - 1), (row, norm)
