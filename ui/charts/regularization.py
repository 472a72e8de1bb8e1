"""Charts of the regularization lesson: paths, zero counts, the diamond and the circle, a net's weights."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.regularization.claims import (
    alpha_text,
    circle_texts,
    correlation_text,
    ols_texts,
    optimum_texts,
    path_coef_text,
    weight_text,
)
from core.facts import decimals, inside_unit, num
from ui.charts import COLORS, CONTOUR_COLOR, MARKER_COLOR, OKABE_ITO, _legend, finish, value_texts

# Up to ten features each get their own color: Okabe-Ito without yellow (too pale on white),
# then the two extra color-blind-safe hues the shared palette already uses (Tol's wine, green).
FEATURE_PALETTE = [c for k, c in OKABE_ITO.items() if k != "yellow"] + ["#882255", "#117733"]
TRUTH_COLORS = {"truly non-zero": OKABE_ITO["vermillion"], "truly zero": OKABE_ITO["grey"]}
PENALTY_ORDER = ("none", "L1", "L2", "elastic net")
# The experiment's penalty keys (scikit-learn's spellings) and the labels the charts show.
PENALTY_LABELS = {"none": "none", "l1": "L1", "l2": "L2", "elasticnet": "elastic net"}
COEF_DASH = {"w1": [1, 0], "w2": [6, 3], "x1": [1, 0], "x2": [6, 3]}


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its penalty keys replaced by their labels (a label passes through)."""
    return frame.assign(penalty=frame["penalty"].map(lambda p: PENALTY_LABELS.get(p, p)))


def _penalty_scale(names) -> alt.Scale:
    names = [p for p in PENALTY_ORDER if p in set(names)]
    return alt.Scale(domain=names, range=[COLORS[p] for p in names])


def decades(values) -> list[float]:
    """Powers of ten covering the positive ``values``: ticks and grid lines of a log axis."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return [1.0]
    low, high = int(np.floor(np.log10(v.min()))), int(np.ceil(np.log10(v.max())))
    return [float(10.0**k) for k in range(low, high + 1)]


def _log_x(field: str, title: str, values, *, domain=None, fmt: str = "~g") -> alt.X:
    """A log-scale x axis with ticks (and grid lines) at the powers of ten only."""
    scale = alt.Scale(type="log") if domain is None else alt.Scale(type="log", domain=domain)
    return alt.X(
        f"{field}:Q", title=title, scale=scale, axis=alt.Axis(values=decades(values), format=fmt)
    )


def _feature_legend(title: str) -> alt.Legend:
    # Four entries per row: a single bottom row clips the names of ten features in a narrow column.
    return alt.Legend(title=title, orient="bottom", labelLimit=0, columns=4)


def coef_text(c: float) -> str:
    """A coefficient with 4 decimals, significant digits when 4 decimals would print a weight that
    is not 0 as "0.0000" (an elastic-net weight of 1.5e-05 just after it enters is not zero)."""
    return weight_text(c, 4)


def _vertical_rule(value: float) -> alt.Chart:
    """A dashed vertical rule at x = ``value``, with no data of its own.

    A text label would be one more layer, and every layer makes the spec markedly slower to
    build and validate; the chart or x-axis title says what the dashed line marks instead.
    """
    return alt.Chart().mark_rule(color=MARKER_COLOR, strokeDash=[6, 3]).encode(x=alt.XDatum(value))


def coef_paths(
    paths: pd.DataFrame,
    *,
    alpha_cv: float,
    title: str,
    x_title: str,
    color_by: str = "feature",
    height: int = 330,
) -> alt.LayerChart:
    """One penalty's coefficient paths against alpha (log scale), the CV choice as a dashed rule.

    ``paths`` has columns alpha, feature, coef, truth. ``color_by="feature"`` gives each feature
    its color (up to 10 features); ``"truth"`` colors by the true support of a synthetic set.
    """
    if color_by == "feature":
        names = list(dict.fromkeys(paths["feature"]))
        scale = alt.Scale(domain=names, range=FEATURE_PALETTE[: len(names)])
        color = alt.Color("feature:N", scale=scale, legend=_feature_legend("feature"))
    else:
        names = [n for n in TRUTH_COLORS if n in set(paths["truth"])]
        scale = alt.Scale(domain=names, range=[TRUTH_COLORS[n] for n in names])
        color = alt.Color("truth:N", scale=scale, legend=_feature_legend("true weight"))
    # 4 significant digits (as the answer prints Ridge's smallest); each distinct weight once
    texts = {c: path_coef_text(c) for c in paths["coef"].unique()}
    lines = (
        alt.Chart(paths.assign(coef_text=paths["coef"].map(texts)))
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=_log_x("alpha", x_title, paths["alpha"]),
            y=alt.Y("coef:Q", title="coefficient (standardized units)"),
            color=color,
            detail=alt.Detail("feature:N"),
            tooltip=[
                alt.Tooltip("feature:N"),
                alt.Tooltip(
                    "alpha:Q",
                    format=".3g",  # plain-format: an input position (the swept α on x)
                ),
                alt.Tooltip("coef_text:N", title="coef"),
            ],
        )
    )
    return finish(alt.layer(lines, _vertical_rule(alpha_cv)), title=title, height=height)


def _alpha_tooltips() -> list[alt.Tooltip]:
    """A point's α on the x axis's ElasticNet scale and its estimator's own α, each named: the
    tooltip "alpha" printed Ridge's own α, n times the axis value it was drawn at, under an axis
    titled "α, ElasticNet scale" (audit pass 57 f: the default diabetes run, n = 309, a Ridge
    point at 1,000 on the axis said "alpha 3.09e+5")."""
    return [
        alt.Tooltip(
            "alpha_common:Q",
            title="α, ElasticNet scale",
            format=".3g",  # plain-format: an input position (the swept α on x)
        ),
        alt.Tooltip(
            "alpha:Q",
            title="the estimator's own α",
            format=".3g",  # plain-format: an input position (the swept α)
        ),
    ]


def zero_counts(zeros: pd.DataFrame, *, n_features: int) -> alt.Chart:
    """Exactly-zero coefficients against alpha on the ElasticNet scale, one line per penalty."""
    zeros = labelled(zeros)
    # The x range of the penalties that do make zeros; Ridge's longer grid is clipped to it.
    sparse = zeros.loc[zeros["penalty"] != "L2", "alpha_common"]
    span = zeros["alpha_common"] if sparse.empty else sparse
    domain = [float(span.min()), float(span.max())]
    chart = (
        alt.Chart(zeros)
        .mark_line(strokeWidth=2, interpolate="step-after", clip=True)
        .encode(
            x=_log_x(
                "alpha_common",
                "α, ElasticNet scale (Ridge: its α ÷ n), log",
                span,
                domain=domain,
            ),
            y=alt.Y(
                "n_zero:Q",
                title="coefficients exactly 0 (count)",
                scale=alt.Scale(domain=[0, n_features]),
            ),
            color=alt.Color(
                "penalty:N", scale=_penalty_scale(zeros["penalty"]), legend=_legend("")
            ),
            tooltip=[
                alt.Tooltip("penalty:N"),
                *_alpha_tooltips(),
                alt.Tooltip("n_zero:Q"),
            ],
        )
    )
    # one coefficient is not "among the 1 coefficients" (a one-feature upload, audit pass 54 f)
    title = (
        f"Exact zeros among the {n_features} coefficients"
        if n_features != 1
        else "Exact zeros of the one coefficient"
    )
    return finish(chart, title=title, height=300)


def support_recovery(recovery: pd.DataFrame, *, alpha_cv: float) -> alt.LayerChart:
    """L1's precision and recall of the true support against alpha, with LassoCV's alpha."""
    long = recovery.melt(
        id_vars=["alpha", "n_selected"],
        value_vars=["precision", "recall"],
        var_name="score",
        value_name="value",
    ).dropna(subset=["value"])
    long["value_text"] = [inside_unit(v, 2) for v in long["value"]]
    scale = alt.Scale(
        domain=["precision", "recall"], range=[OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"]]
    )
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=14, filled=True), clip=True)
        .encode(
            x=_log_x(
                "alpha",
                f"Lasso α (log scale); dashed: CV α = {alpha_text(alpha_cv)}",
                recovery["alpha"],
            ),
            y=alt.Y("value:Q", title="share (0 to 1)", scale=alt.Scale(domain=[0, 1.05])),
            color=alt.Color("score:N", scale=scale, legend=_legend("")),
            tooltip=[
                alt.Tooltip("score:N"),
                alt.Tooltip(
                    "alpha:Q",
                    format=".3g",  # plain-format: an input position (the swept α on x)
                ),
                alt.Tooltip("value_text:N", title="value"),
                alt.Tooltip("n_selected:Q", title="features kept"),
            ],
        )
    )
    return finish(
        alt.layer(lines, _vertical_rule(alpha_cv)),
        title="Synthetic data: does L1 find the true features?",
        height=300,
    )


def geometry(
    contours: pd.DataFrame,
    boundaries: pd.DataFrame,
    optima: pd.DataFrame,
    *,
    ols: tuple[float, float],
    budget: float,
    extent: float = 3.2,
    size: int = 300,
) -> alt.LayerChart:
    """Loss contours with the L1 diamond and the L2 circle of one budget, and each optimum.

    ``contours`` (level, t, w1, w2, kind): ``kind="touching"`` marks the level sets through the
    optima. The plot is square with equal axes (a fixed width), so the circle looks round.
    """
    boundaries, optima = labelled(boundaries), labelled(optima)
    domain = [-extent, extent]
    xs = alt.X(
        "w1:Q", title="w1 (coefficient of feature 1)", scale=alt.Scale(domain=domain, nice=False)
    )
    ys = alt.Y(
        "w2:Q", title="w2 (coefficient of feature 2)", scale=alt.Scale(domain=domain, nice=False)
    )
    penalty = alt.Color(
        "penalty:N", scale=_penalty_scale(boundaries["penalty"]), legend=_legend("constraint")
    )
    loss_levels = (
        alt.Chart(contours[contours["kind"] == "loss"])
        .mark_line(color=CONTOUR_COLOR, strokeWidth=1, clip=True)
        .encode(xs, ys, detail=alt.Detail("level:N"), order=alt.Order("t:Q"))
    )
    # The level sets through the optima, where the loss first touches each constraint.
    through = contours[contours["kind"] == "touching"]
    touching = (
        alt.Chart(through.assign(level_text=value_texts(through["level"], 4)))
        .mark_line(color=MARKER_COLOR, strokeWidth=1, strokeDash=[4, 3], clip=True)
        .encode(
            xs,
            ys,
            detail=alt.Detail("level:N"),
            order=alt.Order("t:Q"),
            tooltip=[alt.Tooltip("level_text:N", title="loss on this contour")],
        )
    )
    shapes = (
        alt.Chart(boundaries)
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(xs, ys, color=penalty, detail=alt.Detail("penalty:N"), order=alt.Order("t:Q"))
    )
    # The optima's weights as the sweep's tooltips print them (coef_text): at ".4f" an edge
    # optimum just past the corner range (t = 1.3908: w2 = 1.8e-05, "both weights non-zero")
    # printed w2 as 0.0000
    # ... and on the diamond with decimals enough for |w1| + |w2| to print as t (the l1_edge
    # sentence's texts)
    # ... and on the circle with decimals enough for the printed point's norm to be t to their
    # precision (the l2_optimum sentence's texts)
    texts = [
        circle_texts(w1, w2, budget)
        if p == "L2" and active
        else optimum_texts(w1, w2, budget if p == "L1" and active else None)
        for p, w1, w2, active in zip(
            optima["penalty"], optima["w1"], optima["w2"], optima["active"], strict=True
        )
    ]
    points = (
        alt.Chart(
            optima.assign(
                loss_text=value_texts(optima["loss"], 4),
                w1_text=[w1 for w1, _ in texts],
                w2_text=[w2 for _, w2 in texts],
            )
        )
        .mark_point(size=170, filled=True, opacity=1, stroke=MARKER_COLOR, strokeWidth=1)
        .encode(
            xs,
            ys,
            color=penalty,
            tooltip=[
                alt.Tooltip("penalty:N"),
                alt.Tooltip("w1_text:N", title="w1"),
                alt.Tooltip("w2_text:N", title="w2"),
                alt.Tooltip("loss_text:N", title="loss"),
                alt.Tooltip("corner:N"),
            ],
        )
    )
    # the least-squares point's weights as the l1_not_binding sentence prints them (at ".3f",
    # 1.983 + 0.592 = 2.575 sat beside its "‖w‖₁ = 2.57")
    ols_w1, ols_w2 = ols_texts(*ols, budget)
    ols_df = pd.DataFrame(
        {
            "w1": [ols[0]],
            "w2": [ols[1]],
            "w1_text": [ols_w1],
            "w2_text": [ols_w2],
            "what": ["least squares"],
        }
    )
    ols_mark = (
        alt.Chart(ols_df)
        .mark_point(size=160, filled=True, color=MARKER_COLOR, opacity=1)
        .encode(
            xs,
            ys,
            shape=alt.Shape(
                "what:N",
                scale=alt.Scale(domain=["least squares"], range=["cross"]),
                legend=alt.Legend(title="", orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("what:N"),
                alt.Tooltip("w1_text:N", title="w1"),
                alt.Tooltip("w2_text:N", title="w2"),
            ],
        )
    )
    chart = alt.layer(loss_levels, touching, shapes, points, ols_mark)
    title = f"Budget t = {budget:g}: ‖w‖₁ ≤ t (diamond) and ‖w‖₂ ≤ t (circle)"  # plain-format: t, the setting
    # "pad" makes width and height the plot area itself, so equal domains give equal axes.
    return finish(
        chart, title=title, height=size, width=size, autosize=alt.AutoSizeParams(type="pad")
    )


def budget_sweep(sweep: pd.DataFrame, *, budget: float) -> alt.LayerChart:
    """The constrained optimum's coordinates against the budget, for L1 and L2."""
    sweep = labelled(sweep)
    budget_title = (
        f"budget t (norm of w allowed); dashed: t = {budget:g}"  # plain-format: t, the setting
    )
    lines = (
        alt.Chart(sweep.assign(value_text=sweep["value"].map(coef_text)))
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("budget:Q", title=budget_title),
            y=alt.Y("value:Q", title="coefficient at the constrained optimum"),
            color=alt.Color(
                "penalty:N", scale=_penalty_scale(sweep["penalty"]), legend=_legend("")
            ),
            strokeDash=alt.StrokeDash(
                "coefficient:N",
                scale=alt.Scale(domain=["w1", "w2"], range=[COEF_DASH["w1"], COEF_DASH["w2"]]),
                legend=_legend(""),
            ),
            tooltip=[
                alt.Tooltip("penalty:N"),
                alt.Tooltip("coefficient:N"),
                alt.Tooltip(
                    "budget:Q",
                    format=".2f",  # plain-format: an input position (the swept budget t on x)
                ),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )
    chart = alt.layer(lines, _vertical_rule(budget))
    return finish(chart, title="Optimum vs budget: L1 keeps w2 = 0 longer", height=340)


def pair_paths(
    paths: pd.DataFrame, *, alpha_reference: float, correlation: float | None = None
) -> alt.LayerChart:
    """Both weights of the pair against alpha, color = penalty, dash = feature. The title gives
    the pair's sample ``correlation`` (as the caption prints it) rather than calling the two
    "correlated": the slider reaches a population correlation of 0 (audit pass 48 d)."""
    paths = labelled(paths)
    lines = (
        alt.Chart(paths.assign(coef_text=paths["coef"].map(coef_text)))
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=_log_x(
                "alpha_common",
                f"α, ElasticNet scale (Ridge: α ÷ n), log; dashed: {alpha_text(alpha_reference)}",
                paths["alpha_common"],
            ),
            y=alt.Y("coef:Q", title="coefficient (standardized units)"),
            color=alt.Color(
                "penalty:N", scale=_penalty_scale(paths["penalty"]), legend=_legend("")
            ),
            strokeDash=alt.StrokeDash(
                "feature:N",
                scale=alt.Scale(domain=["x1", "x2"], range=[COEF_DASH["x1"], COEF_DASH["x2"]]),
                legend=_legend(""),
            ),
            detail=alt.Detail("feature:N"),
            tooltip=[
                alt.Tooltip("penalty:N"),
                alt.Tooltip("feature:N"),
                *_alpha_tooltips(),
                alt.Tooltip("coef_text:N", title="coef"),
            ],
        )
    )
    return finish(
        alt.layer(lines, _vertical_rule(alpha_reference)),
        title="Paths of x1 and x2"
        + ("" if correlation is None else f" (sample correlation {correlation_text(correlation)})"),
        height=330,
    )


def pair_bars(
    reference: pd.DataFrame, *, alpha_reference: float, texts: dict | None = None
) -> alt.Chart:
    """The pair's two weights at one alpha, grouped by penalty (solid x1, faded x2).

    ``texts`` maps (penalty key, feature) to the printed weight: the page passes the sentence's
    (claims.pair_texts), so a share the sentence derives from them follows from the tooltips too.
    """
    if texts is None:
        shown = reference["coef"].map(coef_text)
    else:
        shown = [
            texts[(p, f)] for p, f in zip(reference["penalty"], reference["feature"], strict=True)
        ]
    reference = labelled(reference)
    order = [p for p in ("L1", "elastic net", "L2") if p in set(reference["penalty"])]
    chart = (
        alt.Chart(reference.assign(coef_text=list(shown)))
        .mark_bar()
        .encode(
            x=alt.X("penalty:N", sort=order, title="penalty", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("feature:N", sort=["x1", "x2"]),
            y=alt.Y("coef:Q", title="coefficient at this α"),
            color=alt.Color("penalty:N", scale=_penalty_scale(reference["penalty"]), legend=None),
            opacity=alt.Opacity(
                "feature:N",
                scale=alt.Scale(domain=["x1", "x2"], range=[1.0, 0.45]),
                legend=_legend("feature"),
            ),
            tooltip=[
                alt.Tooltip("penalty:N"),
                alt.Tooltip("feature:N"),
                alt.Tooltip("coef_text:N", title="coef"),
            ],
        )
    )
    return finish(
        chart, title=f"Weights of x1 and x2 at α = {alpha_text(alpha_reference)}", height=330
    )


def weight_histogram(histogram: pd.DataFrame, *, threshold: float) -> alt.LayerChart:
    """How many weights have each magnitude (log10 bins), one step line per penalty."""
    histogram = labelled(histogram)
    first, last = histogram["log10_low"].min(), histogram["log10_high"].max()

    def span(low: float, high: float) -> str:
        # the end bins also hold every |w| beyond the axis (0 included): their tooltip says so
        # rather than give the axis's floor as those weights' size
        if low == first:
            return f"|w| < 10^{high:g} (every |w| below 10^{low:g} counted here, 0 included)"  # plain-format: bin edges (log10 coordinates)
        if high == last:
            return f"|w| ≥ 10^{low:g} (every |w| from 10^{high:g} up counted here)"  # plain-format: bin edges (log10 coordinates)
        return f"10^{low:g} ≤ |w| < 10^{high:g}"  # plain-format: bin edges (log10 coordinates)

    data = histogram.assign(
        magnitude=10.0 ** ((histogram["log10_low"] + histogram["log10_high"]) / 2),
        span=[
            span(a, b) for a, b in zip(histogram["log10_low"], histogram["log10_high"], strict=True)
        ],
    )
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, interpolate="step", clip=True)
        .encode(
            x=_log_x(
                "magnitude",
                # the end bins also hold what lies beyond the axis: the first is not "≤ 1e-8" (it
                # holds |w| up to 10^-7.75), the last not "≥ 10" (from 10^0.75)
                f"|weight| (log; the first bin also counts every |w| below 1e-8, the last every "
                f"|w| from 10 up); dashed: {num(threshold)}",
                10.0 ** histogram[["log10_low", "log10_high"]].to_numpy().ravel(),
                fmt="~e",
            ),
            y=alt.Y("count:Q", title="weights (count)"),
            color=alt.Color(
                "penalty:N", scale=_penalty_scale(histogram["penalty"]), legend=_legend("")
            ),
            tooltip=[
                alt.Tooltip("penalty:N"),
                alt.Tooltip("span:N", title="bin"),
                alt.Tooltip("count:Q"),
            ],
        )
    )
    return finish(
        alt.layer(lines, _vertical_rule(threshold)),
        title="Weight magnitudes after training",
        height=300,
    )


def input_weights(inputs: pd.DataFrame) -> alt.Chart:
    """Each input's total |first-layer weight| per penalty; faded bars mark truly-zero features."""
    inputs = labelled(inputs)
    order = sorted(dict.fromkeys(inputs["feature"]))
    penalties = [p for p in PENALTY_ORDER if p in set(inputs["penalty"])]
    chart = (
        alt.Chart(inputs.assign(weight_l1_text=inputs["weight_l1"].map(lambda v: decimals(v, 4))))
        .mark_bar()
        .encode(
            x=alt.X("feature:N", sort=order, title="input feature", axis=alt.Axis(labelAngle=-90)),
            xOffset=alt.XOffset("penalty:N", sort=penalties),
            y=alt.Y("weight_l1:Q", title="Σ |first-layer weights| of the input"),
            color=alt.Color(
                "penalty:N", scale=_penalty_scale(inputs["penalty"]), legend=_legend("")
            ),
            opacity=alt.Opacity(
                "truth:N",
                scale=alt.Scale(domain=["truly non-zero", "truly zero"], range=[1.0, 0.35]),
                # short labels: on a phone both legends share one row
                legend=alt.Legend(
                    title="true weight",
                    orient="bottom",
                    labelExpr="datum.label == 'truly zero' ? 'zero' : 'non-zero'",
                ),
            ),
            tooltip=[
                alt.Tooltip("penalty:N"),
                alt.Tooltip("feature:N"),
                alt.Tooltip("truth:N"),
                alt.Tooltip("weight_l1_text:N", title="weight_l1"),
            ],
        )
    )
    return finish(chart, title="How much each input is used by the network", height=300)
