"""Backprop and loss-function charts: valid Vega-Lite, titles, axis titles, palette; the DOT graph and LaTeX."""

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from core.experiments import backpropagation as bp
from core.experiments import loss_functions as lf
from core.facts import num, up
from core.gradcheck import AGREE, AGREE_BELOW
from tests.ui.specs import checked, joined_title, scales, title_text
from ui.charts import COLORS
from ui.charts import backprop as bpc
from ui.charts import losses as lfc


@pytest.fixture(scope="module")
def bp_result():
    return bp.run(bp.Config(n_updates=20))


@pytest.fixture(scope="module")
def lf_result():
    return lf.run(lf.Config(epochs=20))


# --- backpropagation ---------------------------------------------------------------------------


def test_loss_curve_keeps_zero_losses_on_the_log_axis(bp_result):
    taken = bp_result.trajectory.iloc[:3].assign(loss=[0.1, 0.01, 0.0])
    spec = checked(bpc.loss_curve(taken, bp_result.trajectory))
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert min(row["loss"] for row in values) > 0
    scale = scales(spec)[0]
    assert scale["range"][scale["domain"].index(bpc.TAKEN)] == COLORS["train"]
    assert "diverged" in title_text(bpc.loss_curve(taken, taken, diverged=True).to_dict())


def test_gradient_bars_and_derivative_chart(bp_result):
    spec = checked(bpc.gradient_bars(bp_result.check))
    assert len(spec["layer"]) == 2  # bars and the central-difference ticks
    for act in bp.ACTIVATION_CHOICES:
        r = bp.run(bp.Config(activation=act, n_updates=1))
        spec = checked(bpc.derivative_chart(r.derivative_curve, r.hidden_units, act))
        assert spec["layer"][0]["mark"]["color"] == COLORS[act]


def test_graph_shows_values_only_once_computed(bp_result):
    r = bp_result
    bare = bpc.computation_graph_dot(r.params, r.forward.x, r.forward.y)
    with_values = bpc.computation_graph_dot(r.params, r.forward.x, r.forward.y, forward=r.forward)
    full = bpc.computation_graph_dot(
        r.params, r.forward.x, r.forward.y, forward=r.forward, backward=r.backward
    )
    for dot in (bare, with_values, full):
        assert dot.startswith("digraph") and dot.rstrip().endswith("}")
        assert dot.count("->") == 2 * 3 + 3 + 1
        assert dot.count("{") == dot.count("}")
        assert dot.count("label=<") == 2 + 3 + 1 + 1 + 10  # every node and edge
    assert "z = " not in bare and "∂L/∂" not in bare
    assert "z = " in with_values and "∂L/∂" not in with_values
    assert f"L = {r.forward.loss:.4g}" in with_values
    assert full.count("∂L/∂W =") == 2 * 3 + 3
    assert bpc._fmt(r.backward.dL_dW2[0]) in full


def test_graph_labels_escape_html():
    label = bpc._label([("a < b & c", None), ("x", "#000000")])
    assert "&lt;" in label and "&amp;" in label and label.startswith("<") and label.endswith(">")


def test_latex_carries_the_live_numbers(bp_result):
    r = bp_result
    out = bpc.output_layer_latex(r.forward, r.backward)
    assert bpc.tex_number(r.backward.dL_dyhat) in out
    for j in range(3):
        hidden = bpc.hidden_unit_latex(r.params, r.forward, r.backward, j, "sigmoid")
        assert bpc.tex_number(r.backward.dL_dz[j]) in hidden
        assert bpc.tex_number(r.backward.dL_dW1[1, j]) in hidden
        assert hidden.count(r"\\") == 5  # six aligned lines
    relu = bp.run(bp.Config(activation="relu", seed=2, n_updates=1))
    assert "relu" in bpc.hidden_unit_latex(relu.params, relu.forward, relu.backward, 0, "relu")
    assert bpc.tex_number(-1.5e-7, typed=True) == r"(-1.5\times 10^{-7})"
    assert bpc.tex_number(-1.5e-7) == r"(-1.500\times 10^{-7})"  # computed: zeros kept
    assert bpc.tex_number(0.25, typed=True) == "0.25" and bpc.tex_number(0.25) == "0.2500"
    assert bpc.tex_number(1.0) == "1"  # a whole computed value (relu′) is exact
    assert bpc.tex_number(-0.0) == "0" and bpc._fmt(-0.0) == "0"
    assert re.search(r"\\leftarrow", bpc.update_latex("W2[1]", "1", "0.5", "0.1", "0.95"))


# --- loss functions -------------------------------------------------------------------------------


def test_neglog_chart(lf_result):
    r = lf_result
    spec = checked(lfc.neglog_chart(r.neglog, r.standard, (0.5, np.log(2))))
    scale = scales(spec)[0]
    colors = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colors["cross-entropy −log p"] == COLORS["cross_entropy"]
    assert colors["squared error (1 − p)²"] == COLORS["mse"]


def test_neglog_chart_gives_nats_to_cross_entropy_only(lf_result):
    """Audit pass 46 c #2: the y axis "loss for this example (nats)" is shared by −log p and the
    squared error (1 − p)², which has no unit: nats, the unit of a natural-log loss, are named
    only with the curve they belong to."""
    r = lf_result
    spec = checked(lfc.neglog_chart(r.neglog, r.standard, (0.5, np.log(2))))
    (title,) = {
        layer["encoding"]["y"]["title"]
        for layer in spec["layer"]
        if "title" in layer.get("encoding", {}).get("y", {})
    }
    names = {"squared error": "mse", "cross-entropy": "cross_entropy"}
    drawn = {names[k] for k in names if any(k in c for c in scales(spec)[0]["domain"])}
    assert drawn == {"mse", "cross_entropy"}
    assert "nats" not in title or "cross-entropy in nats" in title, title


@pytest.mark.parametrize("value", ["loss", "gradient"])
def test_saturation_chart(lf_result, value):
    spec = checked(lfc.saturation_chart(lf_result.saturation, -6.0, value=value))
    scale = scales(spec)[0]
    assert scale["range"] == [COLORS[k] for k in lf.TRAINED]
    y = spec["layer"][0]["encoding"]["y"]
    assert (y["scale"]["type"] == "log") == (value == "gradient")


@pytest.mark.parametrize("metric", ["train_loss", "accuracy"])
def test_training_chart(lf_result, metric):
    spec = checked(lfc.training_chart(lf_result.training, metric=metric))
    assert scales(spec)[0]["range"] == [COLORS["mse"], COLORS["bce_with_logits"]]
    if metric == "accuracy":
        assert spec["encoding"]["strokeDash"]["scale"]["domain"] == ["train", "test"]


def test_jacobian_heatmaps_share_one_symmetric_scale(lf_result):
    specs = [
        checked(lfc.jacobian_heatmap(lf_result.jacobian, version=v, title=v))
        for v in ("full", "diagonal only")
    ]
    domains = [s["layer"][0]["encoding"]["color"]["scale"]["domain"] for s in specs]
    assert domains[0] == domains[1] and domains[0][0] == -domains[0][1]


def test_logit_gradient_bars(lf_result):
    spec = checked(lfc.logit_gradient_bars(lf_result.classes))
    assert scales(spec)[0]["range"][0] == COLORS["cross_entropy"]


def test_tables_show_every_quantity_with_its_arithmetic(bp_result):
    r = bp_result
    fwd_table = bpc.forward_table(r.params, r.forward, "sigmoid")
    expected = [*r.forward.z, *r.forward.a, r.forward.y_hat, r.forward.loss]
    np.testing.assert_allclose(fwd_table["value"], expected)
    # σ of z printed at 4 significant digits or more: as many as a1's printed value needs
    shown = fwd_table["computation"].iloc[3]
    assert shown.startswith("σ(") and shown.endswith(")")
    z_text = shown[2:-1]
    assert len(z_text.lstrip("-0.")) >= 4 and float(
        num(r.forward.z[0], len(z_text.lstrip("-0.")))
    ) == float(z_text)
    bwd_table = bpc.backward_table(r.params, r.forward, r.backward, "sigmoid").set_index("quantity")
    assert len(bwd_table) == 1 + bp.N_PARAMS + 3 * 3  # dL/dŷ, every parameter, dL/da, f′, dL/dz
    assert bwd_table.loc["∂L/∂W1[2,3]", "value"] == r.backward.dL_dW1[1, 2]
    assert bwd_table.loc["∂L/∂W1[2,3]", "chain_rule"] == "x2 · ∂L/∂z3"
    assert bwd_table.loc["f′(z1)", "chain_rule"] == "a1(1 − a1)"


def test_trained_weights_print_no_fraction_as_a_whole_number_and_rows_follow():
    """After 'Run N updates' ŷ = 1.9999999999999998 printed "2" beside y = 2 and L = 2.5e-32, and
    the L and ∂L/∂ŷ rows' 17-digit operands did not give their values (audit 28e)."""
    import dataclasses
    from decimal import Decimal

    from core.experiments.backpropagation.experiment import Config, run
    from core.facts import agrees
    from ui.charts import backprop as ch

    config = Config(seed=0, target=2.0, n_updates=1000)
    trained = dataclasses.replace(config, weights=run(config).after_n)
    r = run(trained)
    assert ch.value_text(r.forward.y_hat) != "2"
    assert "ŷ = 2<" not in ch.computation_graph_dot(
        r.params, r.forward.x, r.forward.y, forward=r.forward, backward=r.backward
    )
    table = ch.forward_table(r.params, r.forward, "sigmoid").set_index("quantity")
    assert "in float64" in table.loc["ŷ = a·W2 + b2", "computation"]
    left, right = table.loc["L = (ŷ − y)² / 2", "computation"][1:].split(")²")[0].split(" − ")
    loss = (Decimal(left) - Decimal(right)) ** 2 / 2
    assert agrees(ch.value_text(r.forward.loss), loss)


def _bar_texts(check):
    chart = bpc.gradient_bars(check)
    data = chart.data if isinstance(chart.data, pd.DataFrame) else chart.layer[0].data
    return data.set_index("weight")


@pytest.mark.parametrize(
    "config",
    [
        bp.Config(
            x1=2.3, x2=4.1, target=-3.1, activation="sigmoid", seed=60, weight_scale=2.9,
            learning_rate=0.01, n_updates=1,
        ),
        bp.Config(
            x1=3.7, x2=0.4, target=3.2, activation="sigmoid", seed=12, weight_scale=4.0,
            learning_rate=0.01, n_updates=1,
        ),
    ],
)  # fmt: skip
def test_printed_gradient_pairs_differ_by_no_more_than_the_round_off_sentence_says(config):
    """Audit pass 35 (d): 'backprop and the estimate differ by at most 4.7e-11' beside a check
    table and bar tooltips of −1.0072e-05 and −1.00719e-05 (1e-10 apart as printed)."""
    result = bp.run(config)
    (fact,) = [f for f in bp.facts(config, result) if f.claim == "roundoff_rows"]
    bound = Decimal(re.search(r"differ by at most ([\d.e+-]+),", fact.text).group(1))
    rows = _bar_texts(result.check)
    for name in fact.values["weights"]:  # the bar and tick tooltips
        g, c = (rows.loc[name, k].replace("−", "-") for k in ("backprop_text", "central_text"))
        assert abs(Decimal(g) - Decimal(c)) <= bound, (name, g, c, fact.text)
    # the page's check table prints the same texts
    table = dict(
        zip(result.check["weight"], zip(*bpc.check_texts(result.check), strict=True), strict=True)
    )
    for name in fact.values["weights"]:
        g, c = table[name]
        assert abs(Decimal(g) - Decimal(c)) <= bound, (name, g, c, fact.text)
    # and every pair, as printed, differs by no more than the two do (to 2 digits rounded up)
    for (_, row), (g, c) in zip(result.check.iterrows(), table.values(), strict=True):
        exact = abs(row["backprop"] - row["central_difference"])
        assert abs(Decimal(g) - Decimal(c)) <= Decimal(up(exact, 2)) if exact else g == c


def test_rel_error_tooltip_never_prints_an_agreeing_row_as_the_bar():
    """Audit pass 35 (d) minor: an agree row at 9.996e-07 printed '1e-06' (the bar itself)."""
    check = pd.DataFrame(
        {
            "weight": ["W1[1,1]", "b2"],
            "layer": ["hidden (W1, b1)", "output (W2, b2)"],
            "backprop": [0.5, 0.25],
            "central_difference": [0.5000009996, 0.25],
            "rel_error": [0.9996 * AGREE_BELOW, 0.0],
            "verdict": [AGREE, AGREE],
        }
    )
    text = _bar_texts(check).loc["W1[1,1]", "rel_error_text"]
    assert Decimal(text) < Decimal(repr(AGREE_BELOW)), text


@pytest.mark.parametrize("start_logit", [-6.0, -1.0, 3.0])
def test_gradient_ratios_follow_from_every_printed_pair_of_gradients(start_logit):
    """Audit pass 36 (b): at the default the answer and the saturation tooltip printed the
    gradients 0.998 and 0.00492 (202.8) beside '0.9975 and squared error's 0.004921, 202.7 times
    smaller'; at z₀ = −1, 0.731 / 0.287 = 2.547 beside '2.54 times smaller'."""
    from core.experiments.loss_functions.claims import gradients_with_ratios
    from core.facts import agrees

    config = lf.Config(start_logit=start_logit)
    run = lf.run(config)
    facts = {f.claim: f.text for f in lf.facts(config, run)}
    ce, mse, _, _ = gradients_with_ratios(run.at_start)
    chart = lfc.saturation_chart(
        run.saturation, start_logit, value="gradient", at_start={"bce_with_logits": ce, "mse": mse}
    )
    (data,) = [layer.data for layer in chart.layer if "text" in getattr(layer.data, "columns", ())]
    at = data[np.isclose(data["z"], start_logit, rtol=0.0, atol=1e-9)]
    tip = dict(zip(at["loss_name"], at["text"], strict=True))
    pairs = [(tip["bce_with_logits"], tip["mse"])]
    for text in facts.values():
        pairs += re.findall(r"is ([\d.e+-]+) for cross-entropy and ([\d.e+-]+) for squared", text)
    number = r"([\d.,e+-]*\d)"
    ratio = facts.get("gradient_ratio")
    assert ratio, facts
    shown = re.search(rf"{number} times (?:smaller|larger)", ratio)
    of = re.search(rf"a ratio of {number}", facts.get("saturation_ratio", ""))
    assert shown or of, ratio
    for a, b in pairs:
        if shown:
            value = shown.group(1).replace(",", "")
            implied = Decimal(a) / Decimal(b)
            implied = implied if implied >= 1 else 1 / implied
            assert agrees(value, implied), (a, b, ratio)
        if of:
            assert agrees(of.group(1), Decimal(b) / Decimal(a)), (a, b, facts["saturation_ratio"])


def _tex_decimal(text: str) -> Decimal:
    """A number as tex_number prints it ('0.0024999' or '3.75\\times 10^{-5}')."""
    found = re.fullmatch(r"\s*([\d.]+)(?:\\times 10\^\{(-?\d+)\})?\s*", text)
    mantissa, exponent = found.groups()
    return Decimal(mantissa).scaleb(int(exponent or 0))


@pytest.mark.parametrize(
    "config",
    [
        bp.Config(x1=3.9, x2=4.0, activation="sigmoid", seed=0, weight_scale=2.4),
        bp.Config(x1=4.9, x2=3.7, activation="sigmoid", seed=0, weight_scale=3.6),
    ],
)
def test_a_saturated_units_sigma_prime_prints_under_the_bar_everywhere_on_the_page(config):
    """Audit pass 36 (d): 'Hidden unit 3 ... σ′ = 0.0024996 ..., under 1 % of its peak' beside
    the same σ′ printed 0.0025 (the bar itself) in local_derivatives, the derivative chart's
    tooltip and the hidden unit's LaTeX."""
    bar = Decimal("0.0025")
    run = bp.run(config)
    facts = {f.claim: f for f in bp.facts(config, run)}
    units = facts["saturated_units"].values["units"]
    assert units, facts["saturated_units"].text
    local = dict(re.findall(r"unit (\d+): ([\d.e+-]*\d)", facts["local_derivatives"].text))
    data = bpc.derivative_chart(run.derivative_curve, run.hidden_units, "sigmoid")
    (tips,) = [layer.data for layer in data.layer if "z_text" in getattr(layer.data, "columns", ())]
    for j in units:
        latex = bpc.hidden_unit_latex(run.params, run.forward, run.backward, j, "sigmoid")
        (line,) = [part for part in latex.split(r"\\") if r"\sigma'(z_" in part.split("&=")[0]]
        sigma = _tex_decimal(line.rsplit("= ", 1)[1])
        printed = {
            "local_derivatives": local[str(j + 1)],
            "tooltip": tips["derivative_text"].iloc[j],
            "latex": sigma,
        }
        for where, text in printed.items():
            assert Decimal(text) < bar, (j, where, text)


@pytest.mark.parametrize("target", [0.5, 0.1])
def test_a_trained_y_hat_never_prints_as_the_target_it_is_not(target):
    """Audit pass 39 (k): after 'Run N updates' (η = 1, N = 1000) ŷ = 0.5000000000000021 was
    printed "ŷ = 0.5" on the graph beside "y = 0.5", L = 2.2e-30 and ∂L/∂ŷ = 2.1e-15, and "0.5"
    in the forward table's value column above the L row's "(0.50000000000000210942 − 0.5)²"
    (value_text kept ŷ off whole targets only, 1.9999999999999998 beside 2)."""
    import dataclasses

    config = bp.Config(target=target, learning_rate=1.0, n_updates=1000)
    r = bp.run(dataclasses.replace(config, weights=bp.run(config).after_n))
    assert r.forward.y_hat != target and r.forward.loss > 0  # the witness: trained, not exact
    dot = bpc.computation_graph_dot(
        r.params, r.forward.x, r.forward.y, forward=r.forward, backward=r.backward
    )
    (graph_y_hat,) = re.findall(r"<BR/>ŷ = ([^<]+)<", dot)
    assert float(graph_y_hat.replace("−", "-")) != target
    table = bpc.forward_table(r.params, r.forward, "sigmoid")
    texts = dict(zip(table["quantity"], bpc.forward_value_texts(table, r.forward), strict=True))
    assert float(texts["ŷ = a·W2 + b2"]) != target
    # every other row is printed as before (value_text at 6 digits)
    others = table[table["quantity"] != "ŷ = a·W2 + b2"]
    assert [texts[q] for q in others["quantity"]] == [bpc.value_text(v) for v in others["value"]]


def _loss_points(chart):
    spec = chart.to_dict()
    return pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))]), spec


@pytest.mark.parametrize("target", [0.1, 0.5])
def test_the_loss_chart_draws_each_loss_where_the_sentence_puts_it(target):
    """Audit pass 39 (k): at y = 0.1, η = 0.3, N = 1000 'reach L = 3.852e-34' sat beside a preview
    drawn flat at 1e-32 on the log axis (962 positive losses under 1e-32 clipped to it); at
    y = 0.5, η = 0.5 'reach L = 0' beside a line at 1e-32, the axis naming no floor."""
    lr = 0.3 if target == 0.1 else 0.5
    config = bp.Config(target=target, learning_rate=lr, n_updates=1000)
    r = bp.run(config)
    losses = r.trajectory["loss"].to_numpy()
    points, spec = _loss_points(bpc.loss_curve(r.trajectory.iloc[:0], r.trajectory, digits=4))
    drawn = points["loss"].to_numpy()
    positive = losses > 0
    np.testing.assert_array_equal(drawn[positive], losses[positive])  # drawn where they are
    if not positive.all():  # a loss of 0: below every positive loss, and the axis says where
        assert drawn[~positive].max() < losses[positive].min()
        floor = drawn[~positive][0]
        assert f"a loss of 0 drawn at {num(floor)}" in spec["encoding"]["y"]["title"]


def test_relu_prime_at_its_kink_is_named_a_convention():
    """Audit pass 40 (f): with ReLU at x = (0, 0) every unit sits on the kink (z = b1 = 0) and the
    page's kink_at_zero says relu "has no derivative" there, while the hidden-unit LaTeX wrote
    relu'(z_1) = [z_1 > 0] = [0 > 0] = 0, the backward table's f'(z1) row [z1 > 0] = 0 and the
    derivative chart's title relu'(z) = [z > 0], each as the derivative itself. Where z = 0 they
    name the 0 a convention; elsewhere they add nothing."""
    import json

    for config in (bp.Config(activation="relu", x1=0.0, x2=0.0), bp.Config(activation="relu")):
        result = bp.run(config)
        fwd, bwd = result.forward, result.backward
        table = bpc.backward_table(result.params, fwd, bwd, "relu").set_index("quantity")
        for j in range(bp.N_HIDDEN):
            latex = bpc.hidden_unit_latex(result.params, fwd, bwd, j, "relu")
            line = next(part for part in latex.split(r"\\") if "relu}'(z" in part)
            note = table.loc[f"f′(z{j + 1})", "numbers"]
            on_kink = fwd.z[j] == 0
            assert ("convention" in line) == on_kink, line
            assert ("convention" in note) == on_kink, note
        chart = bpc.derivative_chart(result.derivative_curve, result.hidden_units, "relu")
        assert "convention" in json.dumps(joined_title(chart.to_dict()["title"]))
    assert (bp.run(bp.Config(activation="relu", x1=0.0, x2=0.0)).forward.z == 0).all()


def test_the_gradient_charts_tooltip_names_a_magnitude_not_the_signed_gradient(lf_result):
    """Audit pass 47 h: the saturation chart's gradient tooltip was titled "gradient" over
    |∂L/∂z| (0.9975 at z₀ = −6, where cross-entropy's ∂L/∂z = σ − 1 = −0.9975 for the class-1
    example), the sign audit 43 took out of the sentences. A tooltip of the drawn magnitudes is
    titled as the axis is."""
    spec = checked(lfc.saturation_chart(lf_result.saturation, -6.0, value="gradient"))
    signed = {
        name: float(lf.OBJECTIVES[name](np.array([[-6.0]]), np.array([[1.0]]))[1][0, 0])
        for name in lf.TRAINED
    }
    assert all(v < 0 for v in signed.values())  # the drawn values are their magnitudes
    line = spec["layer"][0]["encoding"]
    titles = [t.get("title", t["field"]) for t in line["tooltip"] if t["field"] == "text"]
    assert titles and all("|∂L/∂z|" in t for t in titles), titles
    assert "|∂L/∂z|" in line["y"]["title"]
