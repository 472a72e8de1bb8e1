"""Charts of the training-dynamics lessons (batch size, dropout): one fixed color per batch size or q."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import numpy as np
import pandas as pd

from core.facts import (
    agrees,
    column_places,
    decimals,
    gap_or_round_off,
    minus,
    num,
    percent_places,
    sig_num,
)
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, finish, value_texts

# Ordered sequential palettes (perceptually uniform, readable with color blindness), stopping
# short of the pale end so thin lines stay visible on white. Keys are the pages' option names,
# so a batch size keeps its color whichever others are selected.
BATCH_SIZE_COLORS = dict(
    zip(
        ("1", "8", "32", "64", "128", "256", "full"),
        ("#440154", "#46337e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39"),
        strict=True,
    )
)  # viridis
KEEP_PROB_COLORS = dict(
    zip(
        ("1.0", "0.9", "0.8", "0.65", "0.5", "0.35", "0.2"),
        ("#0d0887", "#5302a3", "#8b0aa5", "#b83289", "#db5c68", "#f48849", "#e8b512"),
        strict=True,
    )
)  # plasma
# Classes 0 and 1 of the 2-D sets: the ends of Vega's color-blind-safe blue-orange scheme.
CLASS_COLORS = (OKABE_ITO["blue"], OKABE_ITO["orange"])
SPLIT_DASH = {"train": [6, 3], "test": [1, 0]}


def ordered_scale(frame: pd.DataFrame, palette: dict[str, str], *, key="key", label="label"):
    """A color scale over ``frame[label]`` in the palette's order, each label colored by its key.

    Returns
    -------
    (alt.Scale, list of labels in order)
    """
    pairs = frame[[key, label]].drop_duplicates()
    order = {k: i for i, k in enumerate(palette)}
    pairs = pairs.assign(_rank=pairs[key].map(order)).sort_values("_rank")
    labels = pairs[label].tolist()
    return alt.Scale(domain=labels, range=[palette[k] for k in pairs[key]]), labels


def _legend(title: str) -> alt.Legend:
    # Four to a row: seven batch sizes (or keep probabilities) in one row run off a phone's chart.
    return alt.Legend(title=title, orient="bottom", labelLimit=0, columns=4)


def _split_scale() -> alt.Scale:
    return alt.Scale(domain=["train", "test"], range=[COLORS["train"], COLORS["test"]])


def run_curves(
    curves: pd.DataFrame,
    palette: dict[str, str],
    *,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    log_x: bool = False,
    log_y: bool = False,
    dash: str | None = None,
    y_max: float | None = None,
    height: int = 340,
    digits: int = 4,
    x_digits: int = 4,
) -> alt.Chart:
    """One line per run (``key``/``label`` columns), colored by the run's fixed palette color.

    ``dash`` names a column (``split``) drawn as dashed (train) vs solid (test). Rows that cannot
    be drawn on a log axis (non-positive) or are not finite are dropped. ``y_max`` caps the y
    axis (lines above it are clipped), so one exploding run does not flatten the others.
    ``digits``: the y values' significant digits in the tooltips (a page whose sentences rank
    the final values passes digits at which they print apart); ``x_digits``: those of a measured
    x (wall time; an epoch or update prints exactly).
    """
    data = curves[np.isfinite(curves[x]) & np.isfinite(curves[y])]
    if log_x:
        data = data[data[x] > 0]
    if log_y:
        data = data[data[y] > 0]
    # the tooltip's texts: x may be measured too (wall time); an epoch or update prints exactly
    data = data.assign(
        **{f"{x}_text": value_texts(data[x], x_digits), f"{y}_text": value_texts(data[y], digits)}
    )
    scale, labels = ordered_scale(curves, palette)
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(type="log" if log_x else "linear")),
        "y": alt.Y(
            f"{y}:Q",
            title=y_title,
            scale=alt.Scale(
                type="log" if log_y else "linear",
                domainMax=alt.Undefined if y_max is None else y_max,
            ),
        ),
        "color": alt.Color("label:N", scale=scale, sort=labels, legend=_legend(legend_title)),
        "tooltip": [
            alt.Tooltip("label:N", title=legend_title),
            alt.Tooltip(f"{x}_text:N", title=x_title),
            alt.Tooltip(f"{y}_text:N", title=y_title),
        ],
    }
    detail = [alt.Detail("label:N")]
    if dash:
        enc["strokeDash"] = alt.StrokeDash(
            f"{dash}:N",
            scale=alt.Scale(domain=list(SPLIT_DASH), range=list(SPLIT_DASH.values())),
            legend=_legend(""),
        )
        enc["tooltip"].append(alt.Tooltip(f"{dash}:N"))
        detail.append(alt.Detail(f"{dash}:N"))
    enc["detail"] = detail
    chart = alt.Chart(data).mark_line(strokeWidth=2, clip=True).encode(**enc)
    return finish(chart, title=title, height=height)


def _gap_texts(
    train: float,
    test: float,
    percent: bool,
    places: int | None = None,
    digits: int = 3,
    nonnegative: bool = False,
) -> tuple[str, str, str]:
    """Train, test and test − train as text, the gap the difference of the printed values:
    accuracies (``percent``) at ``places`` decimals (default: the run's own, see
    :func:`percent_places`), other values at ``digits`` significant digits or more (with
    ``nonnegative``, values that cannot be negative: the gap printed between −train and test,
    see :func:`core.facts.with_difference`)."""
    if not (np.isfinite(train) and np.isfinite(test)):

        def text(x: float) -> str:
            return f"{decimals(x, 1, 100)}%" if percent and np.isfinite(x) else num(x, 3)

        return text(train), text(test), text(test - train)
    if percent:
        # Accuracies are shares of counts: halves round up, as a reader rounds (153 of 240 is
        # 63.75 %, "63.8%", where float formatting gives "63.7%").
        places = percent_places(train, test) if places is None else places
        a, b = decimals(train, places, 100), decimals(test, places, 100)
        gap = str(Decimal(b) - Decimal(a))
        return f"{a}%", f"{b}%", f"{gap} percentage points"
    a, b, gap = gap_or_round_off(train, test, digits=digits, nonnegative=nonnegative)
    # a negative gap with the minus sign the sentences print ("−0.021", not "-0.021")
    return a, b, minus(gap)


def _column_places(pairs: list[tuple[float, float]]) -> int:
    """One number of decimals for every run's accuracies: each run's own or more (a tie of
    109 of 120 printed "90.83%" for one run and "90.8333%" for another, which then looked
    higher than the run a sentence named the best), with more while the printed gaps (each the
    difference of its run's printed values) do not sort as the gaps do: two equal gaps of
    different counts (285/490 − 100/210 and 292/490 − 103/210, both 10.5442 points) printed
    10.5443 and 10.5442 beside a sentence naming both the largest. Where no number of
    decimals does that, the fewest that keep each run's own rules. In core.facts
    (:func:`core.facts.column_places`), so that sentences read the dumbbell's printing too."""
    return column_places(pairs)


def split_dumbbell(
    summary: pd.DataFrame,
    palette: dict[str, str],
    *,
    train: str,
    test: str,
    title: str,
    x_title: str,
    y_title: str,
    percent: bool = False,
    log_y: bool = False,
    height: int = 300,
    digits: int = 3,
    nonnegative: bool = False,
) -> alt.LayerChart:
    """Train and test values of each run as two dots joined by a rule: its length is the gap.

    Dots use the fixed train/test colors; runs sit on the x axis in palette order. Dots (unlike
    bars) need no zero baseline, so differences of a point of accuracy stay visible. Accuracies
    (``percent``) print with one number of decimals for every run; other values with ``digits``
    significant digits or more (a page passes the digits its sentences print them with), the gap
    printed between −train and test where ``nonnegative`` (losses: never "15.28 … test − train
    15.3").
    """
    _, labels = ordered_scale(summary, palette)
    data = summary.assign(gap=summary[test] - summary[train])
    # tooltip texts: the printed gap is the difference of the printed train and test values
    # (not "0.272 … 0.388, test − train 0.117"), as in the lessons' sentences
    pairs = list(zip(data[train].astype(float), data[test].astype(float), strict=True))
    places = _column_places(pairs) if percent else None
    texts = [_gap_texts(a, b, percent, places, digits, nonnegative) for a, b in pairs]
    data = data.assign(
        **{f"{train}_text": [t[0] for t in texts], f"{test}_text": [t[1] for t in texts]},
        gap_text=[t[2] for t in texts],
    )
    long = data.melt(
        id_vars=["key", "label", "gap", "gap_text"],
        value_vars=[train, test],
        var_name="split",
        value_name="value",
    )
    long["value_text"] = [
        data.loc[data["key"] == key, f"{col}_text"].iloc[0]
        for key, col in zip(long["key"], long["split"], strict=True)
    ]
    long["split"] = long["split"].map({train: "train", test: "test"})
    x = alt.X("label:N", sort=labels, title=x_title, axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(type="log" if log_y else "linear", zero=False)
    axis = alt.Axis(format="%") if percent else alt.Axis()
    rules = (
        alt.Chart(data)
        .mark_rule(color=OKABE_ITO["grey"], strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y(f"{train}:Q", scale=y_scale, title=y_title, axis=axis),
            y2=alt.Y2(f"{test}:Q"),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("gap_text:N", title="test − train"),
            ],
        )
    )
    dots = (
        alt.Chart(long)
        .mark_point(size=120, filled=True, opacity=1)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale, title=y_title, axis=axis),
            color=alt.Color("split:N", scale=_split_scale(), legend=_legend("")),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("split:N"),
                alt.Tooltip("value_text:N", title="value"),
                alt.Tooltip("gap_text:N", title="test − train"),
            ],
        )
    )
    return finish(alt.layer(rules, dots), title=title, height=height)


def run_bars(
    summary: pd.DataFrame,
    palette: dict[str, str],
    *,
    value: str,
    title: str,
    x_title: str,
    y_title: str,
    digits: int = 3,
    log_y: bool = False,
    height: int = 280,
    difference: tuple[str, str] | None = None,
) -> alt.Chart:
    """One bar per run in its fixed color (e.g. the generalization gap or time to target).

    The tooltip prints ``value`` with :func:`ui.charts.value_texts` at ``digits`` significant
    digits (0.4 ms is "0.0004", never "0.000"). ``difference=(a, b)``: ``value`` is b − a, and
    the tooltip prints the difference of a and b as value_texts prints them at ``digits`` (as
    the loss curves' tooltips do), so a gap is never read apart from the two values it is the
    difference of ("−0.0356" beside 0.2651 − 0.3008).
    """
    data = summary[np.isfinite(summary[value])]
    if difference is None:
        texts = value_texts(data[value], digits)
    else:
        a, b = (value_texts(data[col], digits) for col in difference)
        texts = [str(Decimal(y) - Decimal(x)) for x, y in zip(a, b, strict=True)]
    data = data.assign(value_text=texts)
    scale, labels = ordered_scale(summary, palette)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=labels, title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                f"{value}:Q", title=y_title, scale=alt.Scale(type="log" if log_y else "linear")
            ),
            color=alt.Color("label:N", scale=scale, sort=labels, legend=None),
            # titled as the axes are, not by the frame's column names ("label", "gap_loss":
            # audit pass 71 e)
            tooltip=[
                alt.Tooltip("label:N", title=x_title),
                alt.Tooltip("value_text:N", title=y_title),
            ],
        )
    )
    return finish(chart, title=title, height=height)


def _batch_axis(sizes) -> alt.Axis:
    """Ticks at every power-of-two batch size shown, and at the full batch when it stands apart.

    On a log axis the full batch (e.g. 280) sits next to 256, and Vega's overlap rule would drop
    ticks at random: the full batch gets a tick only half an octave or more from the nearest.
    """
    sizes = sorted({int(v) for v in sizes})
    powers = [v for v in sizes if v & (v - 1) == 0]
    ticks = powers + [
        v for v in sizes if v not in powers and all(abs(np.log2(v / p)) >= 0.5 for p in powers)
    ]
    return alt.Axis(values=sorted(ticks), labelAngle=0, labelOverlap=False)


def _variance_text(measured: float, std: float, std_digits: int = 4) -> str:
    """The measured variance with 4 significant digits, more until the RMS deviation printed
    beside it (``std_digits`` digits) is its square root: 0.1392 beside 0.3732 would give
    √0.1392 = 0.3731, so it prints 0.13926."""
    shown = num(std, std_digits)
    for digits in range(4, 18):
        text = num(measured, digits)
        if agrees(shown, Decimal(text).sqrt()):
            break
    return text


def noise_loglog(
    variance: pd.DataFrame,
    palette: dict[str, str],
    *,
    slope: float,
    std_digits: int = 4,
    slope_text: str | None = None,
) -> alt.LayerChart:
    """Mini-batch gradient variance against B on log-log axes: measured points, theory line.

    The full batch has zero variance (its gradient is exact) and cannot sit on a log axis.
    ``std_digits``: the RMS deviations' significant digits, those of the sentence that divides
    B = 1's by B = 32's: 3 since audit pass 65 b ("2.76 … 0.480, about 5.74×"), zeros kept. ``slope_text``: the fitted slope as the noise sentence prints
    it (−1.045, not the subtitle's own "−1.04" beside it).
    """
    data = variance[variance["measured"] > 0]
    data = data.assign(
        measured_text=[
            _variance_text(m, s, std_digits)
            for m, s in zip(data["measured"], data["std"], strict=True)
        ],
        # 4 significant digits, never a fraction as a whole number (core.facts)
        theory_text=data["theory"].map(lambda v: num(v, 4) if pd.notna(v) else ""),
        # zeros kept, as the sentence prints them ("0.480", not "0.48"; audit pass 65 b)
        std_text=data["std"].map(lambda v: sig_num(v, std_digits) if pd.notna(v) else ""),
    ).drop(columns="std")
    scale, labels = ordered_scale(data, palette)
    x = alt.X(
        "batch_size:Q",
        scale=alt.Scale(type="log", base=2),
        title="batch size B (log scale)",
        axis=_batch_axis(data["batch_size"]),
    )
    y_title = "gradient variance E‖g_B − g‖² (log scale)"
    theory = (
        alt.Chart(data)
        .mark_line(color=OKABE_ITO["grey"], strokeDash=[5, 3])
        .encode(x=x, y=alt.Y("theory:Q", scale=alt.Scale(type="log"), title=y_title))
    )
    points = (
        alt.Chart(data)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=x,
            y=alt.Y("measured:Q", scale=alt.Scale(type="log"), title=y_title),
            color=alt.Color("label:N", scale=scale, sort=labels, legend=_legend("batch size B")),
            tooltip=[
                alt.Tooltip("label:N", title="B"),
                alt.Tooltip("measured_text:N", title="measured variance (estimate)"),
                alt.Tooltip("theory_text:N", title="σ²/B · (n−B)/(n−1)"),
                alt.Tooltip("std_text:N", title="RMS deviation √E‖g_B − g‖²"),
            ],
        )
    )
    return finish(
        alt.layer(theory, points),
        title=alt.TitleParams(
            "Mini-batch gradient variance against B",
            subtitle=[
                "fitted log-log slope "
                + (slope_text if slope_text is not None else decimals(slope, 2))
                + " over B ≤ n/4",
                "dashed: σ²/B · (n−B)/(n−1)",
            ],
        ),
        height=320,
    )


def memory_chart(memory: pd.DataFrame, palette: dict[str, str]) -> alt.LayerChart:
    """Activation memory per batch size (log-log): the forward cache (points), the activations at
    one update's peak with the backward pass's temporaries (dashed) and the B-independent
    parameter memory (rule), which that peak holds too."""
    scale, labels = ordered_scale(memory, palette)
    x = alt.X(
        "batch_size:Q",
        scale=alt.Scale(type="log", base=2),
        title="batch size B (log scale)",
        axis=_batch_axis(memory["batch_size"]),
    )
    y = alt.Y("kib:Q", scale=alt.Scale(type="log"), title="memory (KiB, log scale)")
    data = memory.assign(
        kib=memory["activation_bytes"] / 1024, step_kib=memory["step_bytes"] / 1024
    )
    line = alt.Chart(data).mark_line(color=OKABE_ITO["grey"]).encode(x=x, y=y)
    peak = (
        alt.Chart(data)
        .mark_line(color=OKABE_ITO["grey"], strokeDash=[2, 2])
        .encode(x=x, y=alt.Y("step_kib:Q"))
    )
    points = (
        alt.Chart(data)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("label:N", scale=scale, sort=labels, legend=_legend("batch size B")),
            tooltip=[
                alt.Tooltip("label:N", title="B"),
                alt.Tooltip("activation_bytes:Q", format=",", title="forward cache (bytes)"),
                alt.Tooltip(
                    "step_bytes:Q", format=",", title="activations at one update's peak (bytes)"
                ),
            ],
        )
    )
    params = pd.DataFrame(
        {
            "kib": [memory["parameter_bytes"].iloc[0] / 1024],
            "text": ["parameters + gradients + optimizer state"],
        }
    )
    rule = (
        alt.Chart(params).mark_rule(color=MARKER_COLOR, strokeDash=[6, 3]).encode(y=alt.Y("kib:Q"))
    )
    text = (
        alt.Chart(params)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=MARKER_COLOR)
        .encode(y=alt.Y("kib:Q"), x=alt.XValue(0), text=alt.Text("text:N"))
    )
    return finish(
        alt.layer(line, peak, points, rule, text),
        title=alt.TitleParams(
            "Activation memory grows linearly with B",
            subtitle=[
                "points: the forward cache (float64)",
                "dotted: activations at one update's peak, backward pass included",
            ],
        ),
        height=320,
    )


def _cells(grid: pd.DataFrame) -> pd.DataFrame:
    """Edges of the rectangle around each point of a regular x1, x2 grid."""
    out = grid.copy()
    for col in ("x1", "x2"):
        values = np.sort(grid[col].unique())
        half = (values[1] - values[0]) / 2 if len(values) > 1 else 0.5
        out[f"{col}_lo"] = grid[col] - half
        out[f"{col}_hi"] = grid[col] + half
    return out


def inside_text(value: float, places: int = 3) -> str:
    """A value in [0, 1) at ``places`` decimals, never rounded to an end it need not reach:
    "> 0.999" for 0.9996 (or a sigmoid's float that rounded to 1), "< 0.001" for 0.0003 (true
    of an exact 0 too, as a spread over masks can be). For sigmoid outputs, their means and
    their spreads, whose exact 0 or 1 is float round-off or needs a check the chart cannot do."""
    if not np.isfinite(value):
        return f"{value}"
    # rounded half up to ``places`` decimals, before core.facts.decimals would add any
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if rounded >= 1:
        return f"> {decimals(1 - 10**-places, places)}"
    if rounded <= 0:
        return f"< {decimals(10**-places, places)}"
    return decimals(value, places)


def probability_map(
    grid: pd.DataFrame,
    points: pd.DataFrame | None,
    *,
    value: str,
    title: str,
    legend_title: str,
    uncertainty: bool = False,
    height: int = 300,
    show_legend: bool = True,
) -> alt.LayerChart:
    """A heatmap over the input plane (probability of class 1, or its spread) with the data on top.

    ``grid`` has x1, x2 and ``value`` on a regular grid; ``points`` has x1, x2, y (0/1).
    Probabilities use a diverging blue-orange scale centred at 0.5 (the decision boundary);
    ``uncertainty=True`` uses a sequential scale from 0. Tooltips print the value with
    :func:`inside_text`: a network's probability is never exactly 0 or 1, so 0.9996 (or a float
    rounded to 1) prints "> 0.999", and a spread below 0.0005 "< 0.001".
    """
    cells = _cells(grid)
    cells["value_text"] = [inside_text(v) for v in cells[value].astype(float)]
    if uncertainty:
        color_scale = alt.Scale(scheme="viridis", domainMin=0)
    else:
        color_scale = alt.Scale(scheme="blueorange", domain=[0, 1], domainMid=0.5)
    x_scale = alt.Scale(
        domain=[float(cells["x1_lo"].min()), float(cells["x1_hi"].max())], nice=False
    )
    y_scale = alt.Scale(
        domain=[float(cells["x2_lo"].min()), float(cells["x2_hi"].max())], nice=False
    )
    # an upright, short gradient leaves room for the points' legend beside it in a map a
    # third of the page wide (dropout's three maps in a row cut a wider pair off) and on a phone
    legend = (
        alt.Legend(
            title=legend_title,
            orient="bottom",
            direction="vertical",
            labelLimit=0,
            gradientLength=60,
        )
        if show_legend
        else None
    )
    heat = (
        alt.Chart(cells)
        .mark_rect(opacity=1, strokeWidth=0)
        .encode(
            x=alt.X("x1_lo:Q", scale=x_scale, title="feature x₁"),
            x2=alt.X2("x1_hi:Q"),
            y=alt.Y("x2_lo:Q", scale=y_scale, title="feature x₂"),
            y2=alt.Y2("x2_hi:Q"),
            color=alt.Color(f"{value}:Q", scale=color_scale, legend=legend),
            tooltip=[
                alt.Tooltip(
                    "x1:Q",
                    format=".2f",  # plain-format: an input position (the grid cell's centre x₁)
                ),
                alt.Tooltip(
                    "x2:Q",
                    format=".2f",  # plain-format: an input position (the grid cell's centre x₂)
                ),
                alt.Tooltip("value_text:N", title=legend_title),
            ],
        )
    )
    layers = [heat]
    if points is not None and len(points):
        pts = points.assign(label=points["y"].map({0: "class 0", 1: "class 1"}))
        layers.append(
            alt.Chart(pts)
            .mark_point(size=45, filled=True, stroke="white", strokeWidth=0.8, opacity=1)
            .encode(
                x=alt.X("x1:Q", scale=x_scale),
                y=alt.Y("x2:Q", scale=y_scale),
                shape=alt.Shape(
                    "label:N",
                    scale=alt.Scale(domain=["class 0", "class 1"], range=["circle", "triangle-up"]),
                    legend=alt.Legend(
                        # two short lines, about as narrow as the colour bar beside it
                        title=["training", "points"],
                        orient="bottom",
                        direction="vertical",
                        symbolFillColor=MARKER_COLOR,
                        symbolStrokeColor=MARKER_COLOR,
                        symbolSize=60,
                    )
                    if show_legend
                    else None,
                ),
                color=alt.ColorValue(MARKER_COLOR),
                tooltip=[
                    alt.Tooltip("label:N"),
                    alt.Tooltip(
                        "x1:Q",
                        format=".2f",  # plain-format: an input position (the sample's own x₁)
                    ),
                    alt.Tooltip(
                        "x2:Q",
                        format=".2f",  # plain-format: an input position (the sample's own x₂)
                    ),
                ],
            )
        )
    return finish(alt.layer(*layers), title=title, height=height)


MASK_RULES = {
    "mask·a/q (inverted dropout)": OKABE_ITO["blue"],
    "mask·a (no 1/q)": OKABE_ITO["vermillion"],
}


def mask_running_mean(
    trace: pd.DataFrame,
    *,
    activation: float,
    q: float,
    places: int = 4,
    unscaled_places: int = 4,
) -> alt.LayerChart:
    """Running mean of one unit's training-time output over mask draws, against its inference value.

    ``trace`` has draw, running_scaled, running_unscaled (from the dropout experiment). The
    tooltips print the running mean of mask·a/q with ``places`` decimals and the one without
    the 1/q with ``unscaled_places`` (a page passes those of the sentence that prints their last
    values).
    """
    long = pd.concat(
        [
            pd.DataFrame({"draw": trace["draw"], "value": trace[col], "rule": rule})
            for col, rule in zip(("running_scaled", "running_unscaled"), MASK_RULES, strict=True)
        ],
        ignore_index=True,
    )
    long["value_text"] = [
        decimals(float(v), places if rule == next(iter(MASK_RULES)) else unscaled_places)
        for v, rule in zip(long["value"], long["rule"], strict=True)
    ]
    x = alt.X("draw:Q", scale=alt.Scale(type="log"), title="masks drawn (log scale)")
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="running mean of the unit's output"),
            color=alt.Color(
                "rule:N",
                scale=alt.Scale(domain=list(MASK_RULES), range=list(MASK_RULES.values())),
                legend=alt.Legend(title="", orient="bottom", labelLimit=0, columns=1),
            ),
            tooltip=[
                alt.Tooltip("rule:N"),
                alt.Tooltip("draw:Q"),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )
    scaled = f"q·a = {q:g}·a"  # plain-format: the q setting
    refs = pd.DataFrame({"value": [activation, q * activation], "text": ["inference: a", scaled]})
    rule = (
        alt.Chart(refs).mark_rule(color=MARKER_COLOR, strokeDash=[6, 3]).encode(y=alt.Y("value:Q"))
    )
    text = (
        alt.Chart(refs)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=MARKER_COLOR)
        .encode(y=alt.Y("value:Q"), x=alt.XValue(0), text=alt.Text("text:N"))
    )
    return finish(
        alt.layer(lines, rule, text),
        title=alt.TitleParams(
            f"One unit while training with q = {q:g}",  # plain-format: the q setting
            subtitle="the running mean of mask·a/q tends to a",
        ),
        height=320,
    )


EXPECTATION_COLORS = {
    "training mean (measured)": OKABE_ITO["blue"],
    "inference a (correct)": OKABE_ITO["black"],
    "×q again at inference": OKABE_ITO["vermillion"],
    "÷q again at inference": OKABE_ITO["reddish_purple"],
}


def _ratio_texts(
    data: pd.DataFrame,
    activation: float,
    q: float | None = None,
    shown: dict[str, str] | None = None,
) -> dict[str, list[str]]:
    """Each row's value and value ÷ a as tooltip text: a at 6 significant digits (as the inference
    row prints it), each value with as many decimals or more, until the printed ratio (3
    decimals) is the printed value ÷ the printed a (not "0.3933 ÷ 0.3963 = 0.993").

    ``shown`` maps rules to the texts a sentence prints them with at the keep probability ``q``
    (the dropout unit sentence's a, q·a and a/q): those rows print them, and a prints so at
    every q (one text per value: not "2.15943" beside the sentence's "a = 2.159434")."""
    if not activation > 0:
        return {
            "value_text": [decimals(float(v), 4) for v in data["value"]],
            "ratio_text": [""] * len(data),
        }
    shown = shown or {}
    places_a = max(4, 5 - math.floor(math.log10(activation)))
    given = shown.get("inference a (correct)")
    if given:
        places_a = max(places_a, len(given.partition(".")[2]))

    def shorter_alike(v: float, text: str) -> bool:
        # the unit sentence prints a, q·a and a/q with 4 decimals (or more): a longer text here
        # must round, as a reader rounds it, to each of those ("16.78345" beside a sentence's
        # a/q = 16.7834 read as two values)
        return all(
            agrees(decimals(v, k), Decimal(text)) for k in range(4, len(text.partition(".")[2]))
        )

    a_text = given or next(
        (t for d in range(places_a, 17) if shorter_alike(activation, t := decimals(activation, d))),
        decimals(activation, 16),
    )
    rows = zip(
        data["q"].astype(float) if "q" in data else [None] * len(data),
        data["rule"] if "rule" in data else [None] * len(data),
        data["value"].astype(float),
        data["ratio"].astype(float),
        strict=True,
    )
    values, ratios = [], []
    for at, rule, v, r in rows:
        # a measured ratio of 0.9996 is not "1.000" (nor 1.0003): decimals while it would be
        ratio_text = decimals(r, 3)
        text = shown.get(rule) if q is not None and at == q else None
        if text:
            if not agrees(ratio_text, Decimal(text) / Decimal(a_text)):
                implied = Decimal(text) / Decimal(a_text)
                ratio_text = str(implied.quantize(Decimal("0.001"), ROUND_HALF_UP))
            values.append(text)
            ratios.append(ratio_text)
            continue
        for d in range(places_a, 17):
            value_text = a_text if v == activation else decimals(v, d)
            if agrees(ratio_text, Decimal(value_text) / Decimal(a_text)) and (
                v == activation or shorter_alike(v, value_text)
            ):
                break
        else:  # the ratio of the printed numbers, 3 decimals
            implied = Decimal(value_text) / Decimal(a_text)
            ratio_text = str(implied.quantize(Decimal("0.001"), ROUND_HALF_UP))
        values.append(value_text)
        ratios.append(ratio_text)
    return {"value_text": values, "ratio_text": ratios}


def expectation_by_q(
    expectation: pd.DataFrame,
    *,
    activation: float,
    q: float | None = None,
    shown: dict[str, str] | None = None,
) -> alt.LayerChart:
    """The unit's expected activation against q: correct rules agree, double scaling does not.

    ``expectation`` has q, rule, value and standard_error (of the measured means). Values are
    shown relative to the inference value a; the measured means carry ± 2 standard errors.
    """
    # A unit that is off (a = 0) has no ratio to show; NaN rows are left out of the lines.
    scale = 1.0 / activation if activation > 0 else np.nan
    data = expectation.assign(ratio=expectation["value"] * scale)
    if "standard_error" in data:
        data = data.assign(
            low=(data["value"] - 2 * data["standard_error"]) * scale,
            high=(data["value"] + 2 * data["standard_error"]) * scale,
        )
    wrong = data["rule"].str.contains("again")
    data = data.assign(
        kind=np.where(wrong, "wrong", "correct"), **_ratio_texts(data, activation, q, shown)
    )
    x = alt.X("q:Q", title="keep probability q", scale=alt.Scale(domain=[0, 1]))
    y_scale = alt.Scale(type="log")
    color = alt.Color(
        "rule:N",
        scale=alt.Scale(domain=list(EXPECTATION_COLORS), range=list(EXPECTATION_COLORS.values())),
        legend=alt.Legend(title="", orient="bottom", labelLimit=0, columns=1),
    )
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=30, filled=True))
        .encode(
            x=x,
            y=alt.Y(
                "ratio:Q",
                scale=y_scale,
                title="activation ÷ inference value a (log scale)",
            ),
            color=color,
            strokeDash=alt.StrokeDash(
                "kind:N",
                scale=alt.Scale(domain=["correct", "wrong"], range=[[1, 0], [6, 3]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("rule:N"),
                alt.Tooltip(
                    "q:Q",
                    format=".2f",  # plain-format: an input position (the swept q on x)
                ),
                alt.Tooltip("value_text:N", title="activation"),
                alt.Tooltip("ratio_text:N", title="÷ a"),
            ],
        )
    )
    layers = [lines]
    if "low" in data:
        measured = data[(data["rule"] == "training mean (measured)") & (data["low"] > 0)]
        layers.append(
            alt.Chart(measured)
            .mark_rule(strokeWidth=2, color=EXPECTATION_COLORS["training mean (measured)"])
            .encode(x=x, y=alt.Y("low:Q", scale=y_scale), y2=alt.Y2("high:Q"))
        )
    # every unit of layer 1 off (a = 0): no value has a ratio to a, and the plot is empty; its
    # subtitle said "values ÷ a; measured means ± 2 standard errors" over it (audit pass 57 d)
    subtitle = (
        "values ÷ a; measured means ± 2 standard errors"
        if activation > 0
        else "a = 0 (every unit of layer 1 off on this point): every rule gives 0, no ratio to draw"
    )
    return finish(
        alt.layer(*layers),
        title=alt.TitleParams("Scale once, not twice", subtitle=subtitle),
        height=340,
    )
