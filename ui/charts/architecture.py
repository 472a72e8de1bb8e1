"""Charts for the architecture lessons: activation shapes, dead units, self-normalization, per-layer gradients."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.activations.claims import collapse_texts, self_norm_texts
from core.experiments.activations.experiment import derivative_text
from core.experiments.vanishing_gradients.claims import SWEEP_ROWS, bar_texts
from core.facts import not_whole, num, plural, probability, sig_num
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, _legend, color_scale, finish, value_texts

_OI = OKABE_ITO
CLASS_COLORS = {"class 0": _OI["vermillion"], "class 1": _OI["blue"]}
CLIP_COLORS = {"off": _OI["vermillion"], "on": _OI["blue"]}
SETTING_COLORS = {
    "this setting": _OI["black"],
    "sigmoid + Xavier": COLORS["sigmoid"],
    "ReLU + He": COLORS["relu"],
}
INIT_DASH = {"lecun": [1, 0], "he": [6, 3], "xavier": [2, 2], "normal": [8, 2, 2, 2]}
# A heatmap holds at most this many epochs (columns); longer runs keep every k-th epoch.
MAX_HEATMAP_EPOCHS = 60


def _input_tooltip(field: str, title: str) -> alt.Tooltip:
    """The tooltip of an input position (the pre-activation x a curve is drawn over), never of a
    value a run produced: a measured value gets its text column, :func:`_with_text`."""
    return alt.Tooltip(
        f"{field}:Q",
        title=title,
        format=".3g",  # plain-format: an input position (the x grid)
    )


def _texts(values) -> list[str]:
    """Tooltip texts at 3 significant digits that never print a fraction as a whole number
    (d3's ".3g" shows 11.976 as "12" and a batch-normed std of 0.99999 as "1"): core.facts.num;
    blank for a missing value."""
    return value_texts(values, 3)


def _with_text(frame: pd.DataFrame, field: str) -> pd.DataFrame:
    """``frame`` with the tooltip text of a measured ``field`` (:func:`_texts`) in ``<field>_text``,
    which :func:`_text_tooltip` shows."""
    return frame.assign(**{f"{field}_text": _texts(frame[field])})


def _text_tooltip(field: str, title: str) -> alt.Tooltip:
    """The tooltip of a measured ``field``, from its text column (:func:`_with_text`)."""
    return alt.Tooltip(f"{field}_text:N", title=title)


def _activation_color(names, title: str = "activation", orient: str = "bottom") -> alt.Color:
    return alt.Color("activation:N", scale=color_scale(names), legend=_legend(title, orient))


# --- activations lesson ---------------------------------------------------------------------------


def activation_shapes(shapes: pd.DataFrame, *, value: str, title: str, y_title: str, height=320):
    """f(x) or f'(x) of every activation on shared axes; click a legend entry to highlight it."""
    names = list(dict.fromkeys(shapes["activation"]))
    pick = alt.selection_point(fields=["activation"], bind="legend")
    texts = shapes[value].map(not_whole)
    if value == "derivative" and "kink" in shapes:
        # at a kink f'(0) does not exist: the value drawn there is PyTorch's convention
        texts = [derivative_text(v, k) for v, k in zip(shapes[value], shapes["kink"], strict=True)]
    chart = (
        alt.Chart(shapes[["activation", "x", value]].assign(text=texts))
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("x:Q", title="pre-activation x"),
            y=alt.Y(f"{value}:Q", title=y_title),
            color=_activation_color(names, "click to highlight", orient="right"),
            # alt.condition returns a plain dict; wrapped, altair need not look up its class
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1.0), alt.value(0.12))),
            tooltip=[
                alt.Tooltip("activation:N"),
                _input_tooltip("x", "x"),
                alt.Tooltip("text:N", title=y_title),
            ],
        )
        .add_params(pick)
    )
    return finish(chart, title=title, height=height)


def collapse_scatter(collapse: pd.DataFrame, *, depth: int, title: str) -> alt.LayerChart:
    """The deep linear net's outputs against the single affine map's: every point on y = x."""
    low = float(min(collapse["deep"].min(), collapse["collapsed"].min()))
    high = float(max(collapse["deep"].max(), collapse["collapsed"].max()))
    diagonal = pd.DataFrame({"deep": [low, high], "collapsed": [low, high]})
    line = (
        alt.Chart(diagonal)
        .mark_line(color=MARKER_COLOR, strokeDash=[6, 3])
        .encode(x=alt.X("collapsed:Q"), y=alt.Y("deep:Q"))
    )
    # 6 decimals, more where a pair would print further apart than collapse_answer's bound
    deep_text, collapsed_text = collapse_texts(collapse)
    collapse = collapse.assign(
        deep_text=deep_text,
        collapsed_text=collapsed_text,
    )
    dots = (
        alt.Chart(collapse)
        .mark_circle(size=40, color=COLORS["linear"], opacity=0.8)
        .encode(
            x=alt.X("collapsed:Q", title="single map x·W + b (logit)"),
            y=alt.Y("deep:Q", title=f"{depth}-layer linear net (logit)"),
            tooltip=[
                _text_tooltip("deep", "deep net"),
                _text_tooltip("collapsed", "x·W + b"),
            ],
        )
    )
    return finish(alt.layer(line, dots), title=title, height=300)


def boundary_panel(
    boundary: pd.DataFrame, points: pd.DataFrame, *, title: str, height: int = 230
) -> alt.LayerChart:
    """P(class 1) of one trained net over a regular grid, with the test points on top."""
    xs = np.sort(boundary["x1"].unique())
    ys = np.sort(boundary["x2"].unique())
    dx, dy = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
    # Only the columns drawn: each chart ships its data to the browser.
    cells = pd.DataFrame(
        {
            "x1_lo": boundary["x1"] - dx,
            "x1_hi": boundary["x1"] + dx,
            "x2_lo": boundary["x2"] - dy,
            "x2_hi": boundary["x2"] + dy,
            "probability": boundary["probability"].round(4),
            "p_text": boundary["probability"].map(probability),
        }
    )
    x_dom, y_dom = [float(xs[0] - dx), float(xs[-1] + dx)], [float(ys[0] - dy), float(ys[-1] + dy)]
    heat = (
        alt.Chart(cells)
        .mark_rect(opacity=0.6)
        .encode(
            x=alt.X("x1_lo:Q", title="x₁", scale=alt.Scale(domain=x_dom, nice=False)),
            x2=alt.X2("x1_hi:Q"),
            y=alt.Y("x2_lo:Q", title="x₂", scale=alt.Scale(domain=y_dom, nice=False)),
            y2=alt.Y2("x2_hi:Q"),
            color=alt.Color(
                "probability:Q",
                title="P(class 1)",
                scale=alt.Scale(
                    domain=[0, 0.5, 1],
                    range=[CLASS_COLORS["class 0"], "#FFFFFF", CLASS_COLORS["class 1"]],
                ),
                legend=None,
            ),
            tooltip=[alt.Tooltip("p_text:N", title="P(class 1)")],
        )
    )
    labelled = points.assign(cls=points["label"].map(lambda v: f"class {int(v)}"))
    names = list(CLASS_COLORS)
    dots = (
        alt.Chart(labelled)
        .mark_circle(size=18, opacity=0.95, stroke=MARKER_COLOR, strokeWidth=0.4)
        .encode(
            x=alt.X("x1:Q"),
            y=alt.Y("x2:Q"),
            color=alt.Color(
                "cls:N",
                title="test point",
                scale=alt.Scale(domain=names, range=[CLASS_COLORS[n] for n in names]),
                legend=_legend("test point"),
            ),
        )
    )
    layered = alt.layer(heat, dots).resolve_scale(color="independent")
    return finish(layered, title=title, height=height)


def training_curves(
    training: pd.DataFrame,
    *,
    metric: str,
    title: str,
    y_title: str,
    log_y=False,
    digits: int = 3,
):
    """One line per activation over the epochs (``metric`` a column of ``training``), its tooltips
    at ``digits`` significant digits (the losses: claims.loss_tooltip_digits, the sentences'
    digits, trailing zeros kept as the sentences keep them)."""
    names = list(dict.fromkeys(training["activation"]))
    data = training[training[metric] > 0] if log_y else training
    data = data.assign(**{f"{metric}_text": value_texts(data[metric], digits)})
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("epoch:Q", title="epoch (passes over the training set)"),
            y=alt.Y(
                f"{metric}:Q", title=y_title, scale=alt.Scale(type="log" if log_y else "linear")
            ),
            color=_activation_color(names),
            tooltip=[
                alt.Tooltip("activation:N"),
                alt.Tooltip("epoch:Q"),
                _text_tooltip(metric, y_title),
            ],
        )
    )
    return finish(chart, title=title, height=300)


def dead_units_chart(
    dead: pd.DataFrame,
    *,
    value: str,
    title: str,
    y_title: str,
    digits: int = 3,
):
    """Dead-unit fraction (or loss) over the epochs: color = activation, dash = learning rate;
    tooltips at ``digits`` significant digits, zeros kept (the losses: claims.dead_loss_digits,
    as dead_report prints the same runs)."""
    names = list(dict.fromkeys(dead["activation"]))
    rates = sorted(dead["learning_rate"].unique())
    rate_names = [f"η = {r:g}" for r in rates]  # plain-format: the η settings compared
    data = dead.assign(rate=dead["learning_rate"].map(dict(zip(rates, rate_names, strict=True))))
    data = data.assign(**{f"{value}_text": value_texts(data[value], digits)})
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=alt.Y(f"{value}:Q", title=y_title),
            color=_activation_color(names),
            strokeDash=alt.StrokeDash(
                "rate:N",
                scale=alt.Scale(domain=rate_names, range=[[1, 0], [6, 3]][: len(rate_names)]),
                legend=_legend("Adam learning rate"),
            ),
            detail=alt.Detail("run:N"),
            tooltip=[alt.Tooltip("run:N"), alt.Tooltip("epoch:Q"), _text_tooltip(value, y_title)],
        )
    )
    return finish(chart, title=title, height=300)


def self_norm_chart(
    self_norm: pd.DataFrame, *, stat: str, target: float, title: str, y_title: str, log_y=False
):
    """Mean or std of each layer's outputs through the layers: color = activation, dash = init.

    ``log_y`` for a positive statistic (std); otherwise a symlog axis that shows 0 and both signs.
    """
    names = list(dict.fromkeys(self_norm["activation"]))
    inits = list(dict.fromkeys(self_norm["init"]))
    # as the claims print them beside their sentences (claims.self_norm_texts: band_text, 3
    # significant digits and more until each prints on its side of the band's edges, so "up to"
    # and "more than 0.1 off" hold on the tooltips too; SELU + He's first and last std as
    # selu_he_grew prints them)
    data = self_norm.assign(**{f"{stat}_text": self_norm_texts(self_norm, stat)})
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("layer:Q", title="hidden layer (1 = next to the input)"),
            y=alt.Y(f"{stat}:Q", title=y_title, scale=alt.Scale(type="log" if log_y else "symlog")),
            color=_activation_color(names, orient="right"),
            strokeDash=alt.StrokeDash(
                "init:N",
                scale=alt.Scale(domain=inits, range=[INIT_DASH.get(i, [1, 0]) for i in inits]),
                legend=_legend("weight init", "right"),
            ),
            detail=alt.Detail("setting:N"),
            tooltip=[
                alt.Tooltip("setting:N"),
                alt.Tooltip("layer:Q"),
                _text_tooltip(stat, y_title),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({stat: [target]}))
        .mark_rule(color=MARKER_COLOR, strokeDash=[4, 4])
        .encode(y=alt.Y(f"{stat}:Q"))
    )
    return finish(alt.layer(rule, lines), title=title, height=300)


def output_bars(examples: pd.DataFrame, *, title: str) -> alt.Chart:
    """The last layer's z and what the output activation makes of it, side by side per output.

    z is labelled with ``examples["raw"]`` where given (a "logit" for a classifier, the "raw
    output" of a regression, whose identity output makes no probability), else "logit"."""
    raw = str(examples["raw"].iloc[0]) if "raw" in examples and len(examples) else "logit"
    long = examples.melt(
        id_vars=["output"], value_vars=["logit", "value"], var_name="stage", value_name="number"
    )
    first = f"{raw.removesuffix('s')} z (last layer)"
    long["stage"] = long["stage"].map({"logit": first, "value": "after f_out"})
    stages = [first, "after f_out"]
    chart = (
        alt.Chart(_with_text(long, "number"))
        .mark_bar()
        .encode(
            x=alt.X("output:N", title="network output", sort=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("stage:N", sort=stages),
            y=alt.Y("number:Q", title="value"),
            color=alt.Color(
                "stage:N",
                scale=alt.Scale(domain=stages, range=[_OI["grey"], _OI["blue"]]),
                legend=_legend(""),
            ),
            tooltip=[
                alt.Tooltip("output:N"),
                alt.Tooltip("stage:N"),
                _text_tooltip("number", "value"),
            ],
        )
    )
    return finish(chart, title=title, height=260)


# --- vanishing gradients lesson -----------------------------------------------------------------


def layer_gradients(at_init: pd.DataFrame, *, bound_label: str | None, title: str):
    """||dL/dWk|| per layer at initialization (log scale), with the activation-derivative bound;
    tooltips print the lesson's texts (claims.bar_texts: the answer's ratio and per-layer factor
    follow from them, and each bound prints on its bar's side)."""
    last = float(at_init["grad_norm"].iloc[-1])
    texts = bar_texts(at_init, bound=bool(bound_label))
    data = at_init[at_init["grad_norm"] > 0]
    data = data.assign(
        grad_text=data["layer"].map(texts["grad"]),
        relative_text=data["layer"].map(texts["relative"]),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(color=_OI["blue"])
        .encode(
            x=alt.X(
                "layer:O",
                title="layer k (1 = next to the input, last = output)",
                axis=alt.Axis(labelAngle=0, labelOverlap=True),
            ),
            y=alt.Y(
                "grad_norm:Q",
                title="‖∂L/∂W_k‖ (log scale)",
                scale=alt.Scale(type="log"),
                stack=None,
            ),
            tooltip=[
                alt.Tooltip("layer:O"),
                alt.Tooltip("grad_text:N", title="‖∂L/∂W_k‖"),
                alt.Tooltip("relative_text:N", title="÷ last layer"),
            ],
        )
    )
    if not bound_label or not np.isfinite(last) or last <= 0:
        return finish(bars, title=title, height=320)
    ref = at_init.assign(bound=last * at_init["derivative_bound"], what=bound_label)
    ref = ref[ref["bound"] > 1e-300]
    ref = ref.assign(bound_text=ref["layer"].map(texts["bound"]))
    base = alt.Chart(ref).encode(
        x=alt.X("layer:O"),
        y=alt.Y("bound:Q", scale=alt.Scale(type="log")),
        tooltip=[alt.Tooltip("layer:O"), _text_tooltip("bound", bound_label)],
    )
    line = base.mark_line(color=MARKER_COLOR, strokeDash=[6, 3]).encode(
        strokeDash=alt.StrokeDash(
            "what:N",
            scale=alt.Scale(domain=[bound_label], range=[[6, 3]]),
            legend=_legend(""),
        )
    )
    # The points in a layer of their own: Streamlit draws a dash legend on a line with a point
    # overlay without its symbols (tests/ui/conftest.py checks every chart for it).
    points = base.mark_point(color=MARKER_COLOR, size=20)
    return finish(alt.layer(bars, line, points), title=title, height=320)


METRICS = {
    "grad_norm": ("‖∂L/∂W_k‖", True),
    "update_ratio": ("‖ΔW_k‖ / ‖W_k‖ per step", True),
    "act_std": ("std of the layer's outputs", False),
    "saturated": ("fraction saturated or off", False),
}


def heatmap_stride(layers: pd.DataFrame) -> int:
    """Every how many epochs :func:`layer_epoch_heatmap` keeps a column (1: every epoch)."""
    return max(1, int(np.ceil(layers["epoch"].nunique() / MAX_HEATMAP_EPOCHS)))


def heatmap_title(label: str, layers: pd.DataFrame) -> str:
    """The heatmap's title: "per layer and epoch", or, where it keeps every k-th epoch (and the
    last), which ones (a 150-epoch run draws 51 of its 151 columns)."""
    k = heatmap_stride(layers)
    if k == 1:
        return f"{label} per layer and epoch"
    nth = {2: "2nd", 3: "3rd"}.get(k, f"{k}th")
    return f"{label} per layer, every {nth} epoch from 0 and the last"


def layer_epoch_heatmap(
    layers: pd.DataFrame, *, metric: str, title: str, digits: int = 3
) -> alt.Chart:
    """A layer x epoch grid colored by one diagnostic (log color for norms and ratios); tooltips
    at ``digits`` significant digits (the spreads: claims.spread_digits, the sentence's digits)."""
    label, log = METRICS[metric]
    epochs = np.sort(layers["epoch"].unique())
    step = heatmap_stride(layers)  # its title says which epochs (heatmap_title)
    keep = set(epochs[::step]) | {epochs[-1]}
    data = layers[layers["epoch"].isin(keep)][["epoch", "layer", metric]].dropna()
    if log:
        # a log scale has no place for 0: those cells are left blank, and the title says so
        # (ReLU + He, width 4, depth 10, η = 3, 10 epochs: 110 of the 121 gradient cells are
        # exactly 0 and the chart drew 11 under "per layer and epoch" unsaid; audit pass 61 c)
        blank = int((data[metric] <= 0).sum())
        data = data[data[metric] > 0]
        if blank:
            title += (
                f" ({plural(blank, 'cell')} of exactly 0 left blank: a log scale has no place "
                "for 0)"
            )
    data = data.assign(
        text=data[metric].map(_below_one)
        if metric == "saturated"
        else value_texts(data[metric], digits)
    )
    scale = alt.Scale(type="log", scheme="viridis") if log else alt.Scale(scheme="viridis")
    # every epoch and layer keeps its place, blank cells included: with 110 of 121 cells blank
    # the axis showed epoch 0 alone, as if the run had none after it
    shown_epochs = [int(e) for e in sorted(keep)]
    shown_layers = [int(k) for k in sorted(layers["layer"].unique(), reverse=True)]
    chart = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X(
                "epoch:O",
                title="epoch (0 = at initialization)",
                scale=alt.Scale(domain=shown_epochs),
                axis=alt.Axis(labelOverlap=True, labelAngle=0),
            ),
            y=alt.Y(
                "layer:O",
                title="layer k (1 = next to the input)",
                scale=alt.Scale(domain=shown_layers),
                axis=alt.Axis(labelOverlap=True),
            ),
            color=alt.Color(
                f"{metric}:Q",
                title=label + (" (log)" if log else ""),
                scale=scale,
                legend=alt.Legend(orient="right", gradientLength=200),
            ),
            tooltip=[
                alt.Tooltip("epoch:O"),
                alt.Tooltip("layer:O"),
                alt.Tooltip("text:N", title=label),
            ],
        )
    )
    return finish(chart, title=title, height=320)


def _below_one(share: float) -> str:
    """A share at 3 significant digits, more while one below 1 would print as 1 (2,239 of 2,240
    pairs saturated is "0.99955", not "1")."""
    for digits in range(3, 18):
        text = num(share, digits)
        if share >= 1 or float(text) < 1:
            return text
    return text


def depth_sweep_chart(sweep: pd.DataFrame, *, title: str) -> alt.Chart:
    """The first layer's relative step eta ||dL/dW1|| / ||W1|| against depth, per setting."""
    data = sweep[sweep["first_speed"] > 0]
    # measured values at 3 significant digits, as the sweep sentence prints them: a float64 past
    # 2^52 is a whole number, but not a count to print in full ("2,583,823,142,360,382" beside
    # the sentence's "2.58e+15": ReLU, N(0, 1), width 16, moons, seed 16; audit pass 46)
    data = data.assign(
        speed_text=[sig_num(float(v), 3) for v in data["first_speed"]],
        relative_text=[num(float(v), 3) if np.isfinite(v) else "" for v in data["relative"]],
    )
    names = list(dict.fromkeys(sweep["setting"]))
    scale = alt.Scale(domain=names, range=[SETTING_COLORS.get(n, _OI["grey"]) for n in names])
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=40, filled=True))
        .encode(
            x=alt.X("depth:Q", title="hidden layers"),
            y=alt.Y(
                "first_speed:Q",
                title="η‖∂L/∂W₁‖ / ‖W₁‖ (log scale)",
                scale=alt.Scale(type="log"),
            ),
            color=alt.Color("setting:N", scale=scale, legend=_legend("")),
            tooltip=[
                alt.Tooltip("setting:N"),
                alt.Tooltip("depth:Q"),
                alt.Tooltip("speed_text:N", title="relative step of W₁"),
                # on the sweep's own rows, not the training set the answer and the metric
                # measure: at this setting's depth the two can differ tenfold
                alt.Tooltip(
                    "relative_text:N",
                    title=f"‖∂L/∂W₁‖ ÷ ‖∂L/∂W_L‖ on the first {SWEEP_ROWS} training points",
                ),
            ],
        )
    )
    return finish(chart, title=title, height=300)


def sigmoid_derivative_chart(curve: pd.DataFrame, marks: dict, *, title: str) -> alt.LayerChart:
    """sigma'(x) on a log axis with the values at the marked points labelled."""
    line = (
        alt.Chart(_with_text(curve, "derivative"))
        .mark_line(color=COLORS["sigmoid"], strokeWidth=2.5)
        .encode(
            x=alt.X("x:Q", title="pre-activation x"),
            y=alt.Y("derivative:Q", title="σ′(x) (log scale)", scale=alt.Scale(type="log")),
            tooltip=[_input_tooltip("x", "x"), _text_tooltip("derivative", "σ′(x)")],
        )
    )
    pts = pd.DataFrame({"x": list(marks), "derivative": list(marks.values())}).assign(
        label=lambda d: [
            # the curve's tooltip text at x (σ′(5) = 0.0066 beside a tooltip of 0.00665, which
            # a reader rounds to 0.0067)
            f"σ′({x:g}) = {t}"  # plain-format: x is a marked coordinate
            for x, t in zip(d["x"], _texts(d["derivative"]), strict=True)
        ]
    )
    dots = (
        alt.Chart(pts)
        .mark_point(size=80, filled=True, color=MARKER_COLOR)
        .encode(x=alt.X("x:Q"), y=alt.Y("derivative:Q"))
    )
    text = (
        alt.Chart(pts)
        .mark_text(align="left", dx=8, dy=-6)
        .encode(x=alt.X("x:Q"), y=alt.Y("derivative:Q"), text=alt.Text("label:N"))
    )
    return finish(alt.layer(line, dots, text), title=title, height=280)


def regime_losses(regimes: pd.DataFrame, *, regime: str, title: str) -> alt.Chart:
    """Training loss of one regime with clipping off and on (log scale)."""
    data = regimes[(regimes["regime"] == regime) & (regimes["train_loss"] > 0)]
    data = data.assign(loss_text=_texts(data["train_loss"]), what=_regime_loss_what(data))
    names = ["off", "on"]
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=25, filled=True), clip=True)
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=alt.Y("train_loss:Q", title="training loss (log scale)", scale=alt.Scale(type="log")),
            color=alt.Color(
                "clipping:N",
                scale=alt.Scale(domain=names, range=[CLIP_COLORS[n] for n in names]),
                legend=_legend("gradient clipping"),
            ),
            strokeDash=alt.StrokeDash(
                "clipping:N",
                scale=alt.Scale(domain=names, range=[[1, 0], [6, 3]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("clipping:N"),
                alt.Tooltip("epoch:Q"),
                alt.Tooltip("loss_text:N", title="training loss"),
                # a diverged run's last epoch is not a whole epoch (defaults, exploding, clipping
                # off: "epoch 1" averaged 3 of its 4 mini-batches, the 3rd the exploded one;
                # audit pass 43)
                alt.Tooltip("what:N", title="which loss"),
            ],
        )
    )
    return finish(chart, title=title, height=260)


def _regime_loss_what(data: pd.DataFrame) -> list[str]:
    """What each point of :func:`regime_losses` averages: the whole training set at epoch 0, the
    epoch's mini-batch losses after it, and in a diverged run's last epoch only those up to the
    one that exploded."""
    out = []
    for epoch, batches, stopped in zip(
        data["epoch"], data["batches"], data["stopped"], strict=True
    ):
        k = int(batches)
        if epoch == 0:
            out.append("the whole training set's, at initialization")
        elif stopped and k == 1:
            out.append(
                f"epoch {epoch}'s first mini-batch loss: the run diverged there, and that "
                "update was not applied"
            )
        elif stopped:
            out.append(
                f"the mean of epoch {epoch}'s first {k} mini-batch losses: the run diverged at "
                "the last of them, whose update was not applied"
            )
        else:
            many = f"{k} mini-batch losses" if k > 1 else "1 mini-batch loss"
            out.append(f"the mean of epoch {epoch}'s {many}")
    return out


def regime_gradients(grads: pd.DataFrame, *, regime: str, title: str) -> alt.Chart:
    """Per-layer gradient norms at initialization before and after clipping (log scale)."""
    data = grads[(grads["regime"] == regime) & (grads["grad_norm"] > 0)]
    data = data.assign(grad_text=_texts(data["grad_norm"]))
    names = ["off", "on"]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("layer:O", title="layer k", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("clipping:N", sort=names),
            y=alt.Y(
                "grad_norm:Q",
                title="‖∂L/∂W_k‖ (log scale)",
                scale=alt.Scale(type="log"),
                stack=None,
            ),
            color=alt.Color(
                "clipping:N",
                scale=alt.Scale(domain=names, range=[CLIP_COLORS[n] for n in names]),
                legend=_legend("gradient clipping"),
            ),
            tooltip=[
                alt.Tooltip("layer:O"),
                alt.Tooltip("clipping:N"),
                alt.Tooltip("grad_text:N", title="‖∂L/∂W_k‖"),
            ],
        )
    )
    return finish(chart, title=title, height=260)


def split_curves(
    curves: pd.DataFrame, *, metric: str, title: str, y_title: str, digits: int = 3
) -> alt.Chart:
    """Train and test loss (or accuracy) over the epochs, in the train/test colors; tooltips at
    ``digits`` significant digits (the lesson's sentence about the curve may need more)."""
    cols = {"train": f"train_{metric}", "test": f"test_{metric}"}
    long = pd.concat(
        [
            pd.DataFrame({"epoch": curves["epoch"], "split": s, "value": curves[c]})
            for s, c in cols.items()
        ],
        ignore_index=True,
    ).dropna()
    chart = (
        alt.Chart(long.assign(value_text=value_texts(long["value"], digits)))
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("split:N", scale=color_scale(["train", "test"]), legend=_legend("")),
            tooltip=[
                alt.Tooltip("split:N"),
                alt.Tooltip("epoch:Q"),
                _text_tooltip("value", y_title),
            ],
        )
    )
    return finish(chart, title=title, height=260)
