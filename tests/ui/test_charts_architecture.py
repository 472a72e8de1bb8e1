"""Architecture charts: valid Vega-Lite with titles, axis titles, legends and the fixed palette."""

import re
from decimal import Decimal

import pandas as pd
import pytest

from core.experiments import activations as ae
from core.experiments import vanishing_gradients as vg
from core.facts import reads_alike
from tests.ui.specs import checked, encodings
from ui.charts import COLORS
from ui.charts import architecture as charts


@pytest.fixture(scope="module")
def act():
    return ae.run(ae.Config(epochs=5, linear_depth=3, norm_width=8))


@pytest.fixture(scope="module")
def van():
    return vg.run(vg.Config(depth=3, epochs=3))


def _activation_palette_is_fixed(spec):
    colors = [c for c in encodings(spec, "color") if c.get("field") == "activation"]
    assert colors, "color encodes the activation"
    for enc in colors:
        scale = enc["scale"]
        for name, color in zip(scale["domain"], scale["range"], strict=True):
            assert COLORS[name] == color
        assert enc.get("legend") is not None


def test_activation_shapes_use_the_palette_and_a_legend_selection(act):
    for value in ("f", "derivative"):
        spec = checked(charts.activation_shapes(act.shapes, value=value, title="f", y_title="f(x)"))
        _activation_palette_is_fixed(spec)
        assert spec["params"][0]["bind"] == "legend"


def test_activation_lesson_charts_are_valid(act):
    checked(charts.collapse_scatter(act.collapse, depth=3, title="collapse"))
    one = act.boundaries[act.boundaries["activation"] == "relu"]
    spec = checked(charts.boundary_panel(one, act.points, title="ReLU"))
    assert spec["resolve"]["scale"]["color"] == "independent"
    for metric, log in (("train_loss", True), ("test_accuracy", False)):
        spec = checked(
            charts.training_curves(act.training, metric=metric, title="t", y_title="y", log_y=log)
        )
        _activation_palette_is_fixed(spec)
    for value in ("off", "train_loss"):
        spec = checked(charts.dead_units_chart(act.dead, value=value, title="d", y_title="y"))
        _activation_palette_is_fixed(spec)
        dash = encodings(spec, "strokeDash")[0]
        assert dash["legend"]["title"] == "Adam learning rate"
    for stat, log in (("mean", False), ("std", True)):
        spec = checked(
            charts.self_norm_chart(
                act.self_norm, stat=stat, target=1.0, title="s", y_title="y", log_y=log
            )
        )
        _activation_palette_is_fixed(spec)
    for task in ("binary", "multi-class", "regression"):
        rows = act.output_examples[act.output_examples["task"] == task]
        checked(charts.output_bars(rows, title=task))


def test_layer_gradients_draw_the_bound_only_when_asked(van):
    with_bound = checked(charts.layer_gradients(van.at_init, bound_label="¼^(L−k)", title="g"))
    marks = [layer["mark"]["type"] for layer in with_bound["layer"]]
    assert marks == ["bar", "line", "point"]  # the bound's points apart from its dashed line
    y = encodings(with_bound, "y")
    assert all(enc["scale"]["type"] == "log" for enc in y)
    assert y[0].get("stack", "none") is None  # log bars must not stack from 0
    without = checked(charts.layer_gradients(van.at_init, bound_label=None, title="g"))
    assert "layer" not in without


@pytest.mark.parametrize("metric", list(charts.METRICS))
def test_heatmap_for_every_metric(van, metric):
    spec = checked(charts.layer_epoch_heatmap(van.layers, metric=metric, title=metric))
    color = encodings(spec, "color")[0]
    assert color["title"].startswith(charts.METRICS[metric][0])
    assert (color["scale"].get("type") == "log") == charts.METRICS[metric][1]


def test_vanishing_lesson_charts_are_valid(van):
    spec = checked(charts.depth_sweep_chart(van.depth_sweep, title="sweep"))
    color = encodings(spec, "color")[0]["scale"]
    assert color["range"][color["domain"].index("ReLU + He")] == COLORS["relu"]
    checked(charts.sigmoid_derivative_chart(van.sigmoid_derivative, {10.0: 4.5e-5}, title="s"))
    for regime in vg.REGIMES:
        for factory in (charts.regime_losses, charts.regime_gradients):
            spec = checked(
                factory(
                    van.regimes if factory is charts.regime_losses else van.regime_grads,
                    regime=regime,
                    title=regime,
                )
            )
            legend = encodings(spec, "color")[0]["legend"]
            assert legend["title"] == "gradient clipping"
    spec = checked(charts.split_curves(van.curves, metric="loss", title="c", y_title="loss"))
    scale = encodings(spec, "color")[0]["scale"]
    assert scale["range"] == [COLORS["train"], COLORS["test"]]


def test_long_runs_are_downsampled_in_the_heatmap():
    layers = pd.DataFrame(
        [(e, k, 1.0, 1.0, 0.1, 0.0, 1.0, 0.0, 0.0) for e in range(151) for k in (1, 2)],
        columns=[
            "epoch",
            "layer",
            "grad_norm",
            "weight_norm",
            "update_ratio",
            "act_mean",
            "act_std",
            "saturated",
            "dead",
        ],
    )
    spec = charts.layer_epoch_heatmap(layers, metric="grad_norm", title="t").to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    epochs = {row["epoch"] for row in values}
    assert len(epochs) <= charts.MAX_HEATMAP_EPOCHS + 1 and 150 in epochs


def test_a_heatmap_keeps_the_place_of_every_epoch_and_layer_it_leaves_blank():
    """ReLU + He, width 4, depth 10, η = 3, 10 epochs: 110 of 121 gradient cells are exactly 0,
    which a log scale leaves blank, and the x axis showed epoch 0 alone."""
    columns = ["epoch", "layer", "grad_norm", "weight_norm", "update_ratio", "act_mean"]
    columns += ["act_std", "saturated", "dead"]
    layers = pd.DataFrame(
        [
            (e, k, 1.0 if e == 0 and k > 1 else 0.0, 1.0, 0.1, 0.0, 1.0, 0.0, 0.0)
            for e in range(11)
            for k in (1, 2, 3)
        ],
        columns=columns,
    )
    spec = charts.layer_epoch_heatmap(layers, metric="grad_norm", title="t").to_dict()
    assert encodings(spec, "x")[0]["scale"]["domain"] == list(range(11))
    assert encodings(spec, "y")[0]["scale"]["domain"] == [3, 2, 1]
    assert "31 cells of exactly 0 left blank" in str(spec["title"])


def _side(value, edge) -> int:
    return (value > edge) - (value < edge)


@pytest.mark.parametrize(
    "config",
    [
        vg.Config(depth=2, width=4, activation="sigmoid", init="xavier", seed=32998),
        vg.Config(depth=5, width=4, activation="sigmoid", init="xavier", seed=33080),
    ],
)
def test_first_last_ratio_prints_on_its_own_side_of_every_category_edge(config):
    """Audit pass 35 (e): the answer '= 0.099996' (10x to 1,000x smaller) beside a metric and a
    layer-1 '÷ last layer' tooltip of '0.1'; '= 0.0009997' (over 1,000x) beside '0.001'."""
    result = vg.run(config)
    ratio = result.summary["first_last_ratio"]
    data = charts.layer_gradients(result.at_init, bound_label=None, title="g").data
    tooltip = data.loc[data["layer"] == 1, "relative_text"].item()
    metric = vg.regime_side_text(ratio)  # the page's "first ÷ last layer gradient" metric
    for edge in ("0.001", "0.1", "10"):
        exact = _side(Decimal(repr(ratio)), Decimal(edge))
        assert _side(Decimal(tooltip), Decimal(edge)) == exact, (tooltip, ratio)
        assert _side(Decimal(metric), Decimal(edge)) == exact, (metric, ratio)


def test_answers_first_last_ratio_follows_from_layer_ones_printed_norms():
    """Audit pass 37 (e): at the preset 'Batch norm rescue' the answer said '= 1.8' beside layer
    1's tooltip '÷ last layer 1.85' with norms 1.58 and 0.8535 (1.58 / 0.8535 = 1.851)."""
    import re

    from core.facts import agrees

    config = vg.PRESETS["Batch norm rescue"].config
    result = vg.run(config)
    (fact,) = [f for f in vg.facts(config, result) if f.claim in vg.RATIO_CLAIMS]
    ratio_text = re.search(r"‖∂L/∂W₁‖ / ‖∂L/∂W_\d+‖ = ([\d.e+-]+)", fact.text).group(1)
    data = charts.layer_gradients(result.at_init, bound_label=None, title="g").data
    first = data.loc[data["layer"] == 1]
    last = data.loc[data["layer"] == data["layer"].max()]
    assert first["relative_text"].item() == ratio_text, (first["relative_text"].item(), fact.text)
    metric = vg.ratio_print(config, result.summary["first_last_ratio"])
    assert metric == ratio_text, (metric, fact.text)
    implied = Decimal(first["grad_text"].item()) / Decimal(last["grad_text"].item())
    assert agrees(ratio_text, implied), (first["grad_text"].item(), last["grad_text"].item())


def _epoch0_cells(config, result, metric, digits):
    data = charts.layer_epoch_heatmap(result.layers, metric=metric, title="h", digits=digits).data
    return data[data["epoch"] == 0].set_index("layer")["text"]


def test_spread_heatmap_prints_the_growth_signal_grows_names():
    """Audit pass 37 (e): 'the output spread grew about ×1.001 per layer (std 0.2148 in layer
    1, 0.2157 in layer 5)' beside epoch-0 heatmap cells of 0.215 and 0.215."""
    config = vg.Config(
        depth=5, width=16, activation="sigmoid", init="normal", sigma=6.320455195502499,
        batch_norm=True, clip=True, max_norm=4.964434222283014,
        learning_rate=0.0015867014051446737, epochs=2, dataset="circles", seed=21621,
    )  # fmt: skip
    result = vg.run(config)
    (fact,) = [f for f in vg.facts(config, result) if f.claim == "signal_grows"]
    cells = _epoch0_cells(config, result, "act_std", vg.spread_digits(result))
    first, last = Decimal(cells[1]), Decimal(cells[config.depth])
    assert last > first, (cells[1], cells[config.depth], fact.text)


def test_per_layer_factor_follows_from_the_gradient_heatmaps_printed_cells():
    """Audit pass 37 (e): 'from ‖∂L/∂W_2‖ = 0.1771 back to ‖∂L/∂W₁‖, it changes about ×0.0073
    per hidden layer' beside epoch-0 heatmap cells 0.00128 and 0.177 (0.0072)."""
    import re
    from decimal import localcontext

    from core.facts import agrees

    config = vg.Config(
        depth=2, width=16, activation="sigmoid", init="xavier", sigma=0.0016904554041464947,
        batch_norm=False, clip=False, max_norm=0.012344180202578624,
        learning_rate=0.3997502346547775, epochs=1, dataset="circles", seed=2368,
    )  # fmt: skip
    result = vg.run(config)
    (fact,) = [f for f in vg.facts(config, result) if "per hidden layer" in f.text]
    factor = re.search(r"changes about ×([\d.e+-]+) per hidden layer", fact.text).group(1)
    cells = _epoch0_cells(config, result, "grad_norm", vg.norm_digits(config, result))
    with localcontext() as ctx:
        ctx.prec = 40
        ratio = Decimal(cells[1]) / Decimal(cells[config.depth])
        implied = ratio ** (Decimal(1) / (config.depth - 1))
    assert agrees(factor, implied), (cells[1], cells[config.depth], fact.text)


@pytest.mark.parametrize(
    "config",
    [
        vg.Config(
            depth=1, width=8, activation="leaky_relu", init="he", sigma=0.01515169113647417,
            batch_norm=False, clip=False, max_norm=64.41919609044857,
            learning_rate=0.0016104555104496717, epochs=1, dataset="circles", seed=751,
        ),
        vg.Config(
            depth=1, width=16, activation="tanh", init="normal", sigma=0.00319570961367764,
            learning_rate=0.09679857490661331, epochs=2, dataset="moons", seed=666,
            max_norm=0.6316904740939246,
        ),
    ],
)  # fmt: skip
def test_loss_curve_tooltips_print_the_fall_loss_fell_names(config):
    """Audit pass 36 (e): 'The training loss fell from 0.6802 to 0.6799' beside train-loss
    tooltips of 0.68 and 0.68."""
    result = vg.run(config)
    (fact,) = [f for f in vg.facts(config, result) if f.claim == "loss_fell"]
    data = charts.split_curves(
        result.curves, metric="loss", title="t", y_title="y", digits=vg.loss_digits(result)
    ).data
    train = data[data["split"] == "train"].sort_values("epoch")["value_text"]
    first, last = Decimal(train.iloc[0]), Decimal(train.iloc[-1])
    assert last < first, (train.iloc[0], train.iloc[-1], fact.text)


def _bar_frames(config, result, bound: bool):
    chart = charts.layer_gradients(result.at_init, bound_label="b" if bound else None, title="g")
    if not bound:
        return chart.data.set_index("layer"), None
    return chart.layer[0].data.set_index("layer"), chart.layer[1].data.set_index("layer")


@pytest.mark.parametrize(
    "config",
    [
        # audit pass 38 (e): bars of 0.15 and 0.2093 beside the answer's "×0.71" (0.7167)
        vg.Config(depth=2, width=32, activation="relu", init="xavier", seed=96720),
        vg.Config(depth=8, width=16, activation="sigmoid", init="lecun", sigma=0.3, seed=76682),
        vg.Config(depth=4, width=8, activation="prelu", init="lecun", dataset="xor", seed=21036),
        vg.Config(depth=2, width=16, activation="sigmoid", init="xavier", seed=926,
                  dataset="circles"),
        vg.PRESETS["Batch norm rescue"].config,
        vg.Config(),
    ],
)  # fmt: skip
def test_per_layer_factor_follows_from_the_bars_printed_norms(config):
    """Audit pass 38 (e): the answer's 'changes about ×0.71 per hidden layer' beside layer-gradient
    bars printed 0.15 (layer 1) and 0.2093 (layer 2), whose ratio is 0.7167, ×0.72 (ReLU,
    Xavier, depth 2, width 32, moons, seed 96720); pass 37 had synchronized only the heatmap."""
    import re
    from decimal import localcontext

    from core.facts import agrees

    result = vg.run(config)
    (fact,) = [f for f in vg.facts(config, result) if f.claim in vg.RATIO_CLAIMS]
    factor = re.search(r"changes about ×([\d.e+-]+) per hidden layer", fact.text).group(1)
    sigmoid = config.activation == "sigmoid" and not config.batch_norm
    bars, _ = _bar_frames(config, result, sigmoid)
    with localcontext() as ctx:
        ctx.prec = 40
        ratio = Decimal(bars.loc[1, "grad_text"]) / Decimal(bars.loc[config.depth, "grad_text"])
        implied = ratio ** (Decimal(1) / (config.depth - 1))
    assert agrees(factor, implied), (bars["grad_text"].to_dict(), fact.text)
    # and every printed ratio is still the printed norm over the last layer's printed norm
    last = Decimal(bars["grad_text"].iloc[-1])
    for g, rel in zip(bars["grad_text"], bars["relative_text"], strict=True):
        assert agrees(rel, Decimal(g) / last), (g, rel, bars["grad_text"].iloc[-1])


@pytest.mark.parametrize(
    "config",
    [
        # audit pass 38 (e): "the measured ratio 0.01563 sits above" ¼^3 beside a layer-1 bar of
        # 0.00199 and a bound point of 0.00199 (a Config value of σ, between the slider's stops)
        vg.Config(depth=3, width=16, activation="sigmoid", init="normal", sigma=0.2233, seed=7),
        # the default: the output layer's bar 0.07728 beside its bound point 0.0773, one number
        vg.Config(),
        vg.PRESETS["Sigmoid, 20 layers, naive init"].config,
    ],
)  # fmt: skip
def test_bound_points_print_on_their_bars_side(config):
    """Audit pass 38 (e): each dashed σ′-bound point prints on its bar's side (equal at the
    output layer, where the bound is the last layer's own norm), so layer 1's pair agrees with
    sigmoid_factors' 'above' or 'at or below'."""
    result = vg.run(config)
    bars, bound = _bar_frames(config, result, True)
    for layer, row in bars.iterrows():
        exact = _side(float(row["grad_norm"]), float(bound.loc[layer, "bound"]))
        shown = _side(Decimal(row["grad_text"]), Decimal(bound.loc[layer, "bound_text"]))
        assert shown == exact, (layer, row["grad_text"], bound.loc[layer, "bound_text"])
    (fact,) = [f for f in vg.facts(config, result) if f.claim == "sigmoid_factors"]
    first = _side(Decimal(bars.loc[1, "grad_text"]), Decimal(bound.loc[1, "bound_text"]))
    assert (first > 0) == fact.values["above"], fact.text


def test_depth_sweep_ratio_tooltip_names_the_rows_it_is_measured_on():
    """Audit pass 38 (e): at depth 5 the sweep's 'this setting' tooltip titled ‖∂L/∂W₁‖ ÷
    ‖∂L/∂W_L‖ read 0.00116 (10× to 1,000× smaller) while the answer and the metric, on the
    whole training set, said 0.188 (within a factor of 10): the sweep measures the first 64
    points, and its tooltip now says so."""
    config = vg.Config(depth=5, width=8, activation="sigmoid", init="xavier", dataset="xor",
                       seed=84577)  # fmt: skip
    result = vg.run(config)
    sweep = result.depth_sweep.set_index(["setting", "depth"])
    here = sweep.loc[("this setting", config.depth), "relative"]
    answer = vg.gradient_regime(result.summary["first_last_ratio"])
    assert vg.gradient_regime(here) != answer  # the two measurements do differ here
    spec = charts.depth_sweep_chart(result.depth_sweep, title="s").to_dict()
    titles = [t.get("title", "") for t in spec["encoding"]["tooltip"]]
    (title,) = [t for t in titles if "∂L/∂W_L" in t]
    assert f"first {vg.SWEEP_ROWS} training points" in title, titles


@pytest.mark.parametrize(
    "config",
    [
        # audit pass 39 (s): cells 0.388 and 1.42 (0.273) beside the answer's "= 0.274"
        vg.Config(depth=2, width=64, activation="linear", init="he", dataset="moons", seed=60564),
        vg.Config(depth=8, width=32, activation="gelu", init="xavier", dataset="circles",
                  seed=82372),
        vg.Config(depth=1, width=16, activation="relu", init="he", seed=3),
    ],
)  # fmt: skip
def test_bar_ratios_follow_from_the_gradient_heatmaps_epoch0_cells(config):
    """Audit pass 39 (s): every "÷ last layer" ratio the bars print (layer 1's is the answer's
    and the metric's) is the quotient of the gradient heatmap's epoch-0 cells, as printed."""
    from core.facts import agrees

    result = vg.run(config)
    bars, _ = _bar_frames(config, result, False)
    cells = _epoch0_cells(config, result, "grad_norm", vg.norm_digits(config, result))
    last = Decimal(cells[config.depth + 1].replace(",", ""))
    for layer, ratio_text in bars["relative_text"].items():
        implied = Decimal(cells[layer].replace(",", "")) / last
        assert agrees(ratio_text, implied), (layer, ratio_text, cells[layer], cells.iloc[-1])
    ratio = vg.ratio_print(config, result.summary["first_last_ratio"])
    assert agrees(ratio, Decimal(cells[1].replace(",", "")) / last), (ratio, dict(cells))


def _answer_norms(config, result) -> dict:
    """The answer's printed ‖∂L/∂W_k‖, by layer (1, d and the output layer)."""
    import re

    (fact,) = [f for f in vg.facts(config, result) if f.claim in vg.RATIO_CLAIMS]
    L = config.depth + 1
    out = {
        1: re.search(r"\(‖∂L/∂W₁‖ = ([\d.,e+-]+),", fact.text).group(1),
        L: re.search(rf"‖∂L/∂W_{L}‖ = ([\d.,e+-]+)\)", fact.text).group(1),
    }
    hidden = re.search(rf"from ‖∂L/∂W_{config.depth}‖ = ([\d.,e+-]+) back", fact.text)
    if hidden:
        out[config.depth] = hidden.group(1)
    return out


@pytest.mark.parametrize(
    "config",
    [
        # audit pass 40 (d): the defaults at seed 5 printed ‖∂L/∂W_10‖ = 0.117 and ‖∂L/∂W_11‖ =
        # 0.297 (0.394) beside layer 10's "÷ last layer 0.395"
        vg.Config(seed=5),
        vg.Config(depth=3, width=4, activation="sigmoid", init="lecun", seed=45099),
    ],
)
def test_answers_printed_norms_divide_to_the_bars_ratios(config):
    """Audit pass 40 (d): each pair of norms the answer prints divides, as printed, to the bar's
    "÷ last layer" tooltip of the layer, not only layer 1's."""
    from core.facts import agrees

    result = vg.run(config)
    bars, _ = _bar_frames(config, result, config.activation == "sigmoid")
    norms = _answer_norms(config, result)
    last = Decimal(norms[config.depth + 1].replace(",", ""))
    for layer, text in norms.items():
        shown = bars.loc[layer, "relative_text"]
        implied = Decimal(text.replace(",", "")) / last
        assert agrees(shown, implied), (layer, text, norms, shown)


@pytest.mark.parametrize(
    "config",
    [
        # audit pass 40 (d): the defaults at seed 6 printed ‖∂L/∂W₁‖ = 1.26e-07 beside a bar's
        # 1.265e-07 (a reader rounds it to 1.27e-07); at seed 29 a bar of 0.001012 beside an
        # epoch-0 heatmap cell of 0.0010125
        vg.Config(seed=6),
        vg.Config(seed=29),
        vg.Config(depth=4, width=64, activation="leaky_relu", init="lecun", batch_norm=True,
                  dataset="xor", seed=2785),
    ],
)  # fmt: skip
def test_each_norm_prints_alike_in_the_answer_the_bars_and_the_heatmap(config):
    """Audit pass 40 (d): every printed text of one layer's ‖∂L/∂W_k‖ at initialization (the
    answer, the bar tooltip, the gradient heatmap's epoch-0 cell) reads as the others, the
    longer rounding, halves up, to the shorter."""
    result = vg.run(config)
    bars, _ = _bar_frames(config, result, config.activation == "sigmoid" and not config.batch_norm)
    cells = _epoch0_cells(config, result, "grad_norm", vg.norm_digits(config, result))
    printed: dict = {}
    for layer, text in _answer_norms(config, result).items():
        printed.setdefault(layer, []).append(("answer", text))
    for layer, text in bars["grad_text"].items():
        printed.setdefault(layer, []).append(("bar", text))
    for layer, text in cells.items():
        printed.setdefault(layer, []).append(("heatmap", text))
    for layer, texts in printed.items():
        for i, (where, a) in enumerate(texts):
            for other, b in texts[i + 1 :]:
                assert reads_alike(a, b), (layer, where, a, other, b)


def test_the_depth_sweep_sentence_prints_the_tooltips_texts():
    """Audit pass 40 (d): at the defaults with seed 8 the sweep sentence printed 0.0071 for the
    first layer's relative step at depth 1, beside the depth-sweep tooltip's 0.00715 (a reader
    rounds it to 0.0072)."""
    config = vg.Config(seed=8)
    result = vg.run(config)
    (fact,) = [f for f in vg.facts(config, result) if f.claim == "sweep_report"]
    data = charts.depth_sweep_chart(result.depth_sweep, title="d").data
    for depth in (vg.SWEEP_DEPTHS[0], vg.SWEEP_DEPTHS[-1]):
        for _, row in data[data["depth"] == depth].iterrows():
            tooltip = row["speed_text"]
            shown = re.search(
                rf"([\d.e+-]+)(?: and [\d.e+-]+)? with {re.escape(row['setting'])}"
                if depth == vg.SWEEP_DEPTHS[0]
                else rf"[\d.e+-]+ and ([\d.e+-]+) with {re.escape(row['setting'])}",
                fact.text,
            ).group(1)
            assert reads_alike(shown, tooltip), (depth, row["setting"], shown, tooltip)


def test_the_sigmoid_labels_print_the_curves_tooltip_texts():
    """Audit pass 40 (d): the label 'σ′(5) = 0.0066' beside the curve's tooltip at x = 5 of
    0.00665 (a reader rounds it to 0.0067)."""
    result = vg.run(vg.Config(epochs=1))
    marks = {x: result.sigmoid_at[x] for x in (0.0, 5.0, 10.0, 20.0)}
    chart = charts.sigmoid_derivative_chart(result.sigmoid_derivative, marks, title="s")
    curve = chart.layer[0].data.set_index("x")["derivative_text"]
    labels = chart.layer[2].data.set_index("x")["label"]
    for x, label in labels.items():
        shown = label.split(" = ")[1]
        assert reads_alike(shown, curve[x]), (label, curve[x])


@pytest.mark.parametrize(
    "settings",
    [{}, {"elu_alpha": 2.0, "negative_slope": 0.0, "prelu_init": 1.0}, {"elu_alpha": 0.5}],
)
def test_the_derivative_tooltip_at_a_kink_prints_no_derivative(settings):
    """Audit pass 41 (f): the f′(x) chart's tooltip at x = 0 printed ReLU's f′ as 0, leaky ReLU's
    as its slope, ELU's (α ≠ 1) as α and SELU's as λα, as if these were derivatives, beside the
    kinks sentence "ReLU … have a kink at 0: the derivative jumps" and the formulas' "a kink: no
    derivative; PyTorch uses this value". At a kink the tooltip says there is none."""
    import json

    from core.activations import ACTIVATIONS

    config = ae.Config(**settings)
    shapes = ae.activation_shapes(config)
    spec = json.loads(
        charts.activation_shapes(shapes, value="derivative", title="d", y_title="f′(x)").to_json()
    )
    rows = [r for data in spec["datasets"].values() for r in data]
    at_zero = {r["activation"]: r["text"] for r in rows if r["x"] == 0.0}
    grad = {n: ACTIVATIONS[n].grad for n in ACTIVATIONS}
    for name, text in at_zero.items():
        kw = config.activation_kw(name)
        left, right = (float(grad[name](x, **kw)) for x in (-1e-9, 1e-9))
        kink = abs(left - right) > 1e-6
        assert text.startswith("none: a kink") == kink, (name, text, left, right)
        if not kink:
            assert float(text) == pytest.approx(right, abs=1e-6), (name, text)


def test_a_diverged_regime_runs_last_point_says_it_is_not_a_whole_epoch(van):
    """Audit pass 43 (d): at the defaults the exploding net without clipping diverged at update 3,
    and the loss chart's point at epoch 1 (9.76e+08) had the tooltip "the epoch's mean
    mini-batch loss": it averaged only 3 of epoch 1's 4 mini-batches, the 3rd the one whose loss
    exploded (its update was not applied). Every point's tooltip says what it averages."""
    rs = van.regime_summary.set_index(["regime", "clipping"])
    per_epoch = -(-140 // vg.BATCH_SIZE)  # mini-batches per epoch
    assert rs.loc[("exploding", "off"), "diverged"]
    spec = charts.regime_losses(van.regimes, regime="exploding", title="t").to_dict()
    tooltips = [t.get("title") or t["field"] for t in spec["encoding"]["tooltip"]]
    assert not any("the epoch's mean" in str(t) for t in tooltips), tooltips
    data = charts._regime_loss_what  # the tooltip's text column
    rows = van.regimes[van.regimes["regime"] == "exploding"]
    for clipping, run in rows.groupby("clipping"):
        texts = data(run)
        updates = int(rs.loc[("exploding", clipping), "updates"])
        last = int(run["epoch"].max())
        for epoch, text in zip(run["epoch"], texts, strict=True):
            if epoch == 0:
                assert "whole training set" in text
                continue
            done = min(per_epoch, updates - (epoch - 1) * per_epoch)
            if rs.loc[("exploding", clipping), "diverged"] and epoch == last:
                assert "diverged" in text and (f"first {done} " in text or done == 1), text
            else:
                assert f"{done} mini-batch losses" in text and "diverged" not in text, text
