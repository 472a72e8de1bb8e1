"""Pure Altair chart factories (DataFrame in, chart out): the shared palette and general charts.

Topic-specific factories live in submodules (``ui.charts.optimizers``, ...) built on these.
"""

from __future__ import annotations

import math
import textwrap
import threading

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from core.facts import decimals, tooltip_text
from ui.charts.signs import signed_texts

# Okabe & Ito (2008): distinguishable with every common form of color blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

# Two more hues from Paul Tol's colour-blind-safe "muted" scheme, for the few sets (activations,
# optimizers) with more members than Okabe & Ito has colours.
TOL_EXTRA = {"wine": "#882255", "green": "#117733"}
SAFE_COLORS = {**OKABE_ITO, **TOL_EXTRA}

_OI = OKABE_ITO
# Fixed meanings: a thing keeps its color on every page. Keys are the names used in DataFrames
# (registry keys such as optimizer or activation names, or display names).
COLORS = {
    # gradient-descent variants
    "Batch GD": _OI["blue"],
    "Mini-batch": _OI["orange"],
    "SGD": _OI["bluish_green"],
    # splits
    "train": _OI["blue"],
    "test": _OI["vermillion"],
    "validation": _OI["vermillion"],
    # step-size schedules
    "constant": _OI["vermillion"],
    "decaying": _OI["sky_blue"],
    # optimizers (core.optim.OPTIMIZERS keys, plus the 2-D second-order and noisy steps);
    # the last three also get dashed lines where they are drawn (see OPTIMIZER_DASH)
    "gd": _OI["black"],
    "momentum": _OI["orange"],
    "nesterov": _OI["sky_blue"],
    "adagrad": _OI["bluish_green"],
    "rmsprop": _OI["reddish_purple"],
    "adam": _OI["blue"],
    "adamw": _OI["vermillion"],
    "newton": _OI["grey"],
    "saddle_free_newton": TOL_EXTRA["wine"],
    "noisy_gd": _OI["black"],
    # activations (core.activations.ACTIVATIONS keys)
    "linear": _OI["grey"],
    "sigmoid": _OI["vermillion"],
    "tanh": _OI["orange"],
    "relu": _OI["blue"],
    "leaky_relu": _OI["sky_blue"],
    "prelu": _OI["bluish_green"],
    "elu": _OI["reddish_purple"],
    "selu": _OI["black"],
    "gelu": TOL_EXTRA["wine"],
    "swish": TOL_EXTRA["green"],
    # losses
    "mse": _OI["vermillion"],
    "bce_with_logits": _OI["blue"],
    "cross_entropy": _OI["blue"],
    # penalties
    "none": _OI["grey"],
    "L1": _OI["orange"],
    "L2": _OI["blue"],
    "elastic net": _OI["bluish_green"],
    # ensembles and the bias-variance decomposition
    "single_tree": _OI["grey"],
    "random_forest": _OI["bluish_green"],
    "gradient_boosting": _OI["reddish_purple"],
    "hist_gradient_boosting": _OI["sky_blue"],
    "bias²": _OI["blue"],
    "variance": _OI["orange"],
    "noise": _OI["grey"],
}
# Stroke dashes that separate optimizers sharing a hue (solid for the first-order ones).
OPTIMIZER_DASH = {"newton": [6, 3], "saddle_free_newton": [6, 3], "noisy_gd": [2, 2]}

CONTOUR_COLOR = "#B8B8B8"
MARKER_COLOR = OKABE_ITO["black"]
WIDTH = "container"


def color_scale(names) -> alt.Scale:
    """An ordinal color scale that gives each known name its fixed color, others the palette in order."""
    names = list(dict.fromkeys(names))
    spare = [c for k, c in OKABE_ITO.items() if c not in COLORS.values() and k != "yellow"]
    colors, extra = [], iter(spare + list(OKABE_ITO.values()))
    for name in names:
        key = str(name).split(" (")[0]
        colors.append(COLORS.get(name) or COLORS.get(key) or next(extra))
    return alt.Scale(domain=names, range=colors)


# A bottom legend's entries in one row where the chart's container is at least this wide (px), one
# entry a line below it: on a 390 px phone a row of two long entries ran off the chart's right
# edge ("squared error (σ(z) − 1)²  cross-entropy −lo…", loss functions). The container's
# width, not the plot's ``width`` signal, which a concatenated or faceted chart does not have.
LEGEND_ROW_PX = 560
NARROW_LEGEND_COLUMNS = alt.ExprRef(f"containerSize()[0] >= {LEGEND_ROW_PX} ? 0 : 1")


def legend(title: str, orient: str = "bottom") -> alt.Legend:
    # Below the plot: a horizontal legend on top is clipped when labels outgrow a narrow column.
    if orient != "bottom":
        return alt.Legend(title=title, orient=orient, labelLimit=0)
    return alt.Legend(title=title, orient=orient, labelLimit=0, columns=NARROW_LEGEND_COLUMNS)


_legend = legend  # the name topic chart modules imported first


# One object for every chart: each AutoSizeParams(...) is validated against the schema when built.
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")

# Two legends below a plot (a color and a dash, say) sit side by side by default, and on a phone
# the second runs off the chart's right edge. Vega's legend layout stacks them, left-aligned.
# Vega-Lite's schema types ``layout`` as an expression only, so it is given as one.
STACKED_LEGENDS = alt.Config(
    legend=alt.LegendConfig(
        layout=alt.ExprRef("{bottom: {direction: 'vertical', anchor: 'start'}}")
    )
)


# A bottom legend's entries, as the browser draws them at the lab's type size (measured on a
# 390 px phone: "Saddle-free Newton" takes 110 px, its symbol and gap 17 px, the gap between
# columns 14 px), rounded up a little for wide letters.
LEGEND_CHAR_PX = 6.4
LEGEND_SYMBOL_PX = 18
LEGEND_COLUMN_GAP_PX = 14


def _legend_width(labels: list[str], columns: int) -> int:
    """The width in px of ``labels`` laid out in ``columns`` (Vega fills a legend row by row,
    and each column is as wide as its longest label)."""
    widths = [
        LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * max(len(label) for label in labels[j::columns])
        for j in range(columns)
    ]
    return math.ceil(sum(widths) + LEGEND_COLUMN_GAP_PX * (columns - 1))


def legend_columns(labels, most: int):
    """A legend's number of columns: the most, up to ``most``, whose row of ``labels`` fits the
    plot's width (Vega's ``width`` signal, read in the browser); one where none does. A fixed
    count cut the last column off a phone's 390 px plot (optimizers' "Nesterov", "Adam" and
    "Noisy GD" were not in the legend at all). For a single or layered chart only (a facet or a
    concatenation has no ``width`` signal)."""
    labels = [str(label) for label in dict.fromkeys(labels)]
    expr = "1"
    for columns in range(2, min(most, len(labels)) + 1):
        expr = f"width >= {_legend_width(labels, columns)} ? {columns} : {expr}"
    return alt.ExprRef(expr) if expr != "1" else 1


# A chart title longer than this is set in lines of at most this many characters: Vega-Lite
# does not wrap a title, and at a phone's 390 px a chart cut a title past about 45 characters
# with "…" (optimizers' "Gradient size: it vanishes near every critical …").
TITLE_CHARS = 44


def title_lines(title):
    """``title`` (a text, or a TitleParams with a text) in lines of at most :data:`TITLE_CHARS`
    characters where it is longer, broken between words into as few lines of about equal length
    as fit; any other title as it is."""
    text = title.text if isinstance(title, alt.TitleParams) else title
    if not isinstance(text, str) or len(text) <= TITLE_CHARS:
        return title
    count = len(textwrap.wrap(text, TITLE_CHARS, break_long_words=False))
    width = math.ceil(len(text) / count)  # lines of about equal length, no more of them
    while len(lines := textwrap.wrap(text, width, break_long_words=False)) > count:
        width += 1
    if isinstance(title, alt.TitleParams):
        title.text = lines
        return title
    return lines


def finish(chart, *, title: str, height: int, **properties):
    """Title, container width and a fixed plot height, legends below the plot stacked (see
    :data:`STACKED_LEGENDS`), plus any other top-level ``properties``.

    A long title is set in lines (:func:`title_lines`). Streamlit's default autosize "fit" squeezes the plot to leave room for legends and long axis
    titles, sometimes to a sliver; "fit-x" stretches the width only and keeps the plot height.

    The properties are set on ``chart`` itself, which is returned: every factory passes a chart it
    has just built. ``chart.properties(...)`` would copy the chart (about 0.6 ms for a layer) and
    validate each property against the schema, about a tenth of a chart-heavy page's rerun; the
    tests in tests/ui validate every chart's whole spec instead.
    """
    settings = {
        "title": title_lines(title),
        "width": WIDTH,
        "height": height,
        "autosize": FIT_X,
        "config": STACKED_LEGENDS,
    }
    for key, value in {**settings, **properties}.items():
        setattr(chart, key, value)
    return chart


# line_chart's reference label: its type size and its distance from the rule (px), and the
# height below (or above) the rule it takes, with a pixel to spare.
REFERENCE_LABEL_SIZE = 11
REFERENCE_LABEL_GAP = 3
REFERENCE_LABEL_PX = REFERENCE_LABEL_SIZE + REFERENCE_LABEL_GAP + 2


def log_room_below(base: float, top: float, height: int, pixels: float, least: float) -> float:
    """The lower end of a log axis from ``base`` up to ``top``, ``height`` px tall, that leaves at
    least ``pixels`` px under ``base`` (and at least the factor ``least`` below it)."""
    span = math.log(top / base)
    room = max(math.log(least), pixels * span / (height - pixels))
    return base * math.exp(-room)


def value_texts(values, digits: int = 4) -> list[str]:
    """Tooltip texts of measured values (a loss, a variance, a wall time), one per value:
    :func:`core.facts.sig_num` at ``digits`` significant digits with trailing zeros kept ("0.6900",
    as a sentence beside it prints 0.69 at those digits), never a fraction as a whole number
    (d3's ".3g" prints 2.996 as "3.00", ".4f" a tiny weight as "0.0000"); a whole value (an epoch,
    an update count) exactly, "12,800" rather than "1.28e+04"; a negative one with the minus sign
    "−", as the sentences and d3's own number formats print it; blank for a missing one. Each
    distinct value is formatted once."""
    series = pd.Series(values)
    texts = {v: tooltip_text(v, digits) for v in series.dropna().unique()}
    return [texts.get(v, "") if pd.notna(v) else "" for v in series]


def padded_domain(values, *, pad: float = 0.08) -> list[float]:
    """[low, high] covering the finite ``values`` with a margin, for fixed axis domains."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return [0.0, 1.0]
    low, high = float(v.min()), float(v.max())
    span = high - low or max(abs(high), 1.0)
    return [low - pad * span, high + pad * span]


def contour_paths(
    contours: pd.DataFrame,
    paths: pd.DataFrame,
    *,
    minimum: tuple[float, float],
    start: tuple[float, float],
    color: str = "variant",
    order: str = "update",
    x: str = "w",
    y: str = "b",
    x_title: str = "slope w",
    y_title: str = "intercept b",
    title: str = "Paths on the loss surface",
    domain: tuple[list[float], list[float]] | None = None,
    level_digits: int = 3,
) -> alt.LayerChart:
    """Level sets of a 2-parameter loss with optimizer paths drawn on top.

    ``contours`` has columns (level, t, x, y); ``paths`` has (color, order, x, y). Points outside
    the domain (a diverging run) are dropped so the axes stay fixed. ``level_digits``: the
    significant digits of the contours' loss tooltips (those of a minimum printed beside them,
    so that no contour prints below it).
    """
    if domain is None:
        domain = (padded_domain(contours[x]), padded_domain(contours[y]))
    xd, yd = domain
    # the tooltip's text: 3 significant digits, never a fraction as a whole number (core.facts)
    contours = contours.assign(level_text=value_texts(contours["level"], level_digits))
    inside = paths[x].between(*xd) & paths[y].between(*yd)
    paths = paths[inside]
    xs = alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(domain=xd, nice=False))
    ys = alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(domain=yd, nice=False))
    levels = (
        alt.Chart(contours)
        .mark_line(color=CONTOUR_COLOR, strokeWidth=1, clip=True)
        .encode(
            xs,
            ys,
            detail=alt.Detail("level:N"),
            order=alt.Order("t:Q"),
            tooltip=[alt.Tooltip("level_text:N", title="loss on this contour")],
        )
    )
    names = list(dict.fromkeys(paths[color]))
    lines = (
        alt.Chart(paths)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=12, filled=True), clip=True)
        .encode(
            xs,
            ys,
            color=alt.Color(f"{color}:N", scale=color_scale(names), legend=_legend("")),
            order=alt.Order(f"{order}:Q"),
            tooltip=[
                alt.Tooltip(f"{color}:N"),
                alt.Tooltip(f"{order}:Q"),
                alt.Tooltip(
                    f"{x}:Q",
                    format=".3f",  # plain-format: an input position (a path's point in parameter space)
                ),
                alt.Tooltip(
                    f"{y}:Q",
                    format=".3f",  # plain-format: an input position (a path's point in parameter space)
                ),
            ],
        )
    )
    marks = pd.DataFrame(
        {
            x: [start[0], minimum[0]],
            y: [start[1], minimum[1]],
            "marker": ["start", "minimum"],
        }
    )
    points = (
        alt.Chart(marks)
        .mark_point(size=160, filled=True, color=MARKER_COLOR, opacity=1)
        .encode(
            xs,
            ys,
            shape=alt.Shape(
                "marker:N",
                scale=alt.Scale(domain=["start", "minimum"], range=["circle", "cross"]),
                legend=_legend(""),
            ),
            tooltip=[
                alt.Tooltip("marker:N"),
                alt.Tooltip(
                    f"{x}:Q",
                    format=".3f",  # plain-format: an input position (the start or minimum in parameter space)
                ),
                alt.Tooltip(
                    f"{y}:Q",
                    format=".3f",  # plain-format: an input position (the start or minimum in parameter space)
                ),
            ],
        )
    )
    return finish(alt.layer(levels, lines, points), title=title, height=420)


def line_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str,
    title: str,
    x_title: str,
    y_title: str,
    log_x: bool = False,
    log_y: bool = False,
    color_title: str = "",
    height: int = 320,
    dashed: str | None = None,
    legend_orient: str = "bottom",
    reference: tuple[float, str] | None = None,
    y_domain: list[float] | None = None,
    digits: int = 4,
    reference_below: bool = False,
) -> alt.Chart | alt.LayerChart:
    """Lines of ``y`` against ``x``, one per value of ``color``, with fixed palette colors.

    Non-positive values are dropped from a log axis (they cannot be drawn there).
    ``reference=(value, label)`` adds a dashed horizontal rule, e.g. the minimum loss, its label
    at the right end above the rule, or below it with ``reference_below`` (under a minimum no
    line is drawn, while above it a line that levels off there runs through the label; the
    caller leaves :data:`REFERENCE_LABEL_PX` of the plot below the rule);
    ``y_domain`` fixes the y axis (values outside are clipped); ``digits``: the significant
    digits of the y tooltips (more when a sentence ranks values that 4 digits print alike).
    """
    data = df
    if log_y:
        data = data[data[y] > 0]
    if log_x:
        data = data[data[x] > 0]
    # the tooltip's texts: x may be measured too (wall time); an epoch or update prints exactly
    data = data.assign(
        **{f"{x}_text": value_texts(data[x]), f"{y}_text": value_texts(data[y], digits)}
    )
    names = list(dict.fromkeys(df[color]))
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(type="log" if log_x else "linear")),
        "y": alt.Y(
            f"{y}:Q",
            title=y_title,
            scale=alt.Scale(
                type="log" if log_y else "linear",
                domain=alt.Undefined if y_domain is None else y_domain,
                nice=y_domain is None,
            ),
        ),
        "color": alt.Color(
            f"{color}:N", scale=color_scale(names), legend=_legend(color_title, legend_orient)
        ),
        "tooltip": [
            alt.Tooltip(f"{color}:N"),
            alt.Tooltip(f"{x}_text:N", title=x),
            alt.Tooltip(f"{y}_text:N", title=y),
        ],
    }
    if dashed:
        enc["strokeDash"] = alt.StrokeDash(f"{dashed}:N", legend=_legend(""))
    chart = alt.Chart(data).mark_line(strokeWidth=2, clip=True).encode(**enc)
    if reference is not None:
        value, label = reference
        ref = pd.DataFrame({y: [value], "label": [label]})
        rule = (
            alt.Chart(ref)
            .mark_rule(color=MARKER_COLOR, strokeDash=[6, 3])
            .encode(y=alt.Y(f"{y}:Q"))
        )
        text = (
            alt.Chart(ref)
            .mark_text(
                align="right",
                baseline="top" if reference_below else "bottom",
                dx=-4,
                dy=REFERENCE_LABEL_GAP if reference_below else -REFERENCE_LABEL_GAP,
                fontSize=REFERENCE_LABEL_SIZE,
                color=MARKER_COLOR,
            )
            .encode(y=alt.Y(f"{y}:Q"), x=alt.XValue("width"), text=alt.Text("label:N"))
        )
        chart = alt.layer(chart, rule, text)
    return finish(chart, title=title, height=height)


def gradient_histogram(
    samples: pd.DataFrame,
    full_gradient: float,
    *,
    value: str = "grad_w",
    group: str = "batch_size",
    title: str = "Mini-batch gradients scatter around the full gradient",
    x_title: str = "dL/dw of one mini-batch",
) -> alt.LayerChart:
    """Overlaid histograms of one gradient component per batch size, and a rule at the full gradient."""
    data = samples.assign(**{"batch": samples[group].map(lambda b: f"B = {b}")})
    names = list(dict.fromkeys(data["batch"]))
    palette = [OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["blue"]]
    scale = alt.Scale(domain=names, range=palette[: len(names)])
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.55, binSpacing=0)
        .encode(
            x=alt.X(f"{value}:Q", bin=alt.Bin(maxbins=40), title=x_title),
            y=alt.Y("count():Q", stack=None, title="mini-batches (count)"),
            color=alt.Color("batch:N", scale=scale, legend=_legend("mini-batch size")),
        )
    )
    rule_df = pd.DataFrame(
        {
            value: [full_gradient],
            "gradient_text": value_texts([full_gradient]),
            "what": ["full-batch gradient"],
        }
    )
    rule = (
        alt.Chart(rule_df)
        .mark_rule(color=MARKER_COLOR, strokeWidth=2, strokeDash=[6, 3])
        .encode(
            x=alt.X(f"{value}:Q"),
            tooltip=[alt.Tooltip("gradient_text:N", title="full gradient")],
        )
    )
    return finish(alt.layer(bars, rule), title=title, height=300)


def variance_loglog(
    variance: pd.DataFrame, slope: float, slope_text: str | None = None
) -> alt.LayerChart:
    """Measured mini-batch gradient variance against batch size on log-log axes, with the theory line
    (``slope_text``: the fitted slope as the page's sentence prints it)."""
    long = variance.melt(
        id_vars="batch_size", value_vars=["measured", "theory"], var_name="source", value_name="var"
    )
    long["source"] = long["source"].map(
        {"measured": "measured (400 draws)", "theory": "theory σ²/B · (n−B)/(n−1)"}
    )
    long["var_text"] = value_texts(long["var"])
    names = list(dict.fromkeys(long["source"]))
    scale = alt.Scale(domain=names, range=[OKABE_ITO["vermillion"], OKABE_ITO["grey"]])
    base = alt.Chart(long).encode(
        x=alt.X(
            "batch_size:Q",
            scale=alt.Scale(type="log", base=2),
            title="mini-batch size B (log scale)",
            axis=alt.Axis(values=sorted(variance["batch_size"].unique().tolist())),
        ),
        y=alt.Y("var:Q", scale=alt.Scale(type="log"), title="gradient variance E‖g_B − g‖² (log)"),
        color=alt.Color("source:N", scale=scale, legend=_legend("")),
        tooltip=[
            alt.Tooltip("source:N"),
            alt.Tooltip("batch_size:Q"),
            alt.Tooltip("var_text:N", title="var"),
        ],
    )
    theory = base.transform_filter(alt.datum.source == names[1]).mark_line(strokeDash=[5, 3])
    measured = base.transform_filter(alt.datum.source == names[0]).mark_line(
        point=alt.OverlayMarkDef(size=50, filled=True)
    )
    return finish(
        alt.layer(theory, measured),
        title=(
            f"Gradient variance against B (fitted slope {slope_text or decimals(slope, 2)})"
            if np.isfinite(slope)
            else "Gradient variance against B"
        ),
        height=300,
    )


# Altair's data transformers and themes are process-wide settings: one conversion at a time.
_CONVERTING = threading.Lock()
_FRAMES: dict[str, pd.DataFrame] = {}


def _named_frame(data):
    """Altair data transformer: keep each frame by name (Streamlit sends it as Arrow).

    A frame used by several layers is sent once.
    """
    name = next((n for n, f in _FRAMES.items() if f is data), f"data-{len(_FRAMES)}")
    _FRAMES[name] = data
    return {"name": name}


alt.data_transformers.register("lab_named_frames", _named_frame)


def to_spec(chart) -> dict:
    """The chart's Vega-Lite spec as a dict, its data frames under ``datasets`` by name.

    Public Altair only: ``to_dict(validate=False)`` (every factory's chart is validated once, in
    tests/ui) under a data transformer that names each DataFrame instead of inlining its rows as
    JSON, and with Altair's "none" theme (no fixed 300 px default view). ``st.vega_lite_chart``
    turns the named frames into Arrow. Equal charts give equal specs (names are numbered in
    drawing order). Printed texts show the minus sign (:func:`ui.charts.signs.signed_texts`).
    """
    with _CONVERTING:
        _FRAMES.clear()
        with alt.data_transformers.enable("lab_named_frames"), alt.theme.enable("none"):
            spec = chart.to_dict(validate=False)
        if _FRAMES:
            tables = {n: pa.Table.from_pandas(f, preserve_index=False) for n, f in _FRAMES.items()}
            spec["datasets"] = {**spec.get("datasets", {}), **tables}
        _FRAMES.clear()
    return signed_texts(spec)
