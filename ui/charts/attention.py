"""Charts of the attention lesson: the step-through's matrices and the √d_k sweep."""

from __future__ import annotations

from decimal import Decimal

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.attention.claims import (
    ONE_HOT,
    WEIGHT_TIP_DIGITS,
    bound_ratio_text,
    bound_ratio_value,
    entropy_text,
    equals,
    heatmap_weight_text,
    jacobian_text,
    mean_top_text,
    one_hot_digits,
    se_text,
    theory_text,
    variance_text,
)
from core.facts import decimals, minus, num, padded
from ui.charts import OKABE_ITO, finish, legend, value_texts

# The two ways of scoring, by the name the sweep's frames use, with a fixed colour each.
SCALING_LABELS = {"unscaled": "q · k (not scaled)", "scaled": "q · k / √d_k (scaled)"}
SCALING_COLORS = {"unscaled": OKABE_ITO["vermillion"], "scaled": OKABE_ITO["blue"]}
MASKED_COLOR = "#BBBBBB"
# Text colours inside heatmap cells: fixed, since the cells' colours do not follow the theme.
DARK_TEXT, LIGHT_TEXT = "#1A1A1A", "#FFFFFF"
MAX_LABELLED = 8  # cells carry their numbers when a matrix has at most this many columns
JACOBIAN_FLOOR = 1e-10  # the log axis of the Jacobian chart starts here


def _scaling_scale() -> alt.Scale:
    return alt.Scale(
        domain=[SCALING_LABELS[k] for k in SCALING_LABELS],
        range=[SCALING_COLORS[k] for k in SCALING_LABELS],
    )


def _label(value: float) -> str:
    if abs(value) < 0.005:
        return "0.00"  # not −0.00
    # from 10 up one decimal: a score of 12.4 is not labelled "12", a whole number it is not
    return decimals(value, 2) if abs(value) < 9.995 else decimals(value, 1)


# A top weight of a softmax over several finite scores is below 1, but float64 rounds it to 1.0
# once the other weights sum to under 2⁻⁵³ ≈ 1.1e-16; a percentile of such weights is then within
# a few units of round-off of them, so it is 1 − (less than 1e-15).
ROUNDED_TO_ONE = "1 − (under 1e-15)"
UNDERFLOWED = "1 in float64 (the other weights underflow to 0)"
# an allowed weight is positive in exact arithmetic; float64's e^s underflows to 0 below s ≈ −745
UNDERFLOWED_TO_ZERO = "0 in float64 (underflowed; positive in exact arithmetic)"
# float64 holds a weight near 1 only to about 2e-16: a percentile with 1 − p below NEAR_ONE has
# round-off in the leading digits of 1 − p, so it is written as a bound.
NEAR_ONE = 1e-13
ROUNDED_NEAR_ONE = "1 − (under 1e-13)"


def _weight_label(value: float, shared: bool = False) -> str:
    """A weight in a cell: one strictly between 0 and 0.005 (0.995 and 1) is not labelled 0.00
    (1.00), the labels of a masked weight (a one-hot weight); one over ONE_HOT (0.99) is not
    labelled 0.99 beside step_saturated's "over 0.99". ``shared``: the row allows other keys, so
    even a weight of 1.0 is below 1 (float64 rounded it)."""
    if 0.0 < value < 0.005:
        return "<0.01"
    if ONE_HOT < value < 1.0 or (value == 1.0 and shared):
        return ">0.99"
    return _label(value)


def _weight_text(value: float, digits: int, rest: float | None = None, rest_digits: int = 2) -> str:
    """A weight with ``digits`` significant digits for a tooltip; one below 1 that would print
    as 1 is written 1 − x (0.99998 is not "1.000", a one-hot weight).

    A weight of exactly 1.0 is a one-hot weight only when nothing else shares the row: with
    ``rest``, the sum of the row's other weights, it is 1 − rest when rest > 0, and 1 only in
    float64 when rest underflowed to 0 (``several`` keys); without it (a percentile over draws,
    each a softmax over several keys) it is 1 − (under 1e-15). A weight below 1 that prints as 1
    is 1 − rest when ``rest`` is given (1.0 − value is round-off near 1: "1 − 2.2e-16" for a rest
    of 1.9e-16), and without it 1 − (under 1e-13) once 1.0 − value is below NEAR_ONE.
    ``rest_digits``: the significant digits of such a rest.
    """
    if value == 1.0:
        if rest is None:
            return ROUNDED_TO_ONE
        if rest > 0.0:
            return f"1 − {num(rest, rest_digits)}"
        return "1"
    # a weight below 1 that ``digits`` significant digits would round to 1
    if 1.0 - 0.5 * 10.0**-digits <= value < 1.0:
        if rest is not None and rest > 0.0:
            # 1.0 − value is round-off near 1 ("2.2e-16" for 1.9e-16)
            return f"1 − {num(rest, rest_digits)}"
        if 1.0 - value < NEAR_ONE:
            return ROUNDED_NEAR_ONE
        return f"1 − {num(1.0 - value, 2)}"
    return num(value, one_hot_digits(value, digits))


def _plain(text: str) -> bool:
    """Whether a tooltip text is a plain number (not "1 − x" or a sentence)."""
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _others(weights) -> list[float]:
    """Per weight of one row, the sum of the row's other weights (summed without it, so a tiny
    sum is not lost beside a weight of 1.0)."""
    w = [float(v) for v in weights]
    return [float(sum(w[:i] + w[i + 1 :])) for i in range(len(w))]


def _row_rest(attention: pd.DataFrame, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Per cell, the sum of the other allowed weights in its (head, query) row, and whether that
    row allows several keys."""
    allowed = values.where(attention["allowed"], 0.0)
    keys = [attention[c] for c in ("head", "query") if c in attention.columns]
    rest = allowed.groupby(keys).transform(lambda row: pd.Series(_others(row), index=row.index))
    several = attention["allowed"].astype(int).groupby(keys).transform("sum") >= 2
    return rest, several


def _text_color(frame: pd.DataFrame, bound: float, *, signed: bool) -> pd.Series:
    """White text on the darkest cells, near-black elsewhere."""
    dark = frame["value"].abs() > 0.6 * bound if signed else frame["value"] > 0.6 * bound
    return dark.map({True: "light", False: "dark"})


def _cells_text(base: alt.Chart) -> alt.Chart:
    return base.mark_text(fontSize=12).encode(
        text=alt.Text("label:N"),
        color=alt.Color(
            "ink:N",
            scale=alt.Scale(domain=["light", "dark"], range=[LIGHT_TEXT, DARK_TEXT]),
            legend=None,
        ),
    )


def matrix_heatmap(
    frame: pd.DataFrame,
    *,
    rows: list[str],
    cols: list[str],
    title: str,
    x_title: str,
    y_title: str,
    value_title: str,
    height: int | None = None,
    labelled: int = MAX_LABELLED,
) -> alt.LayerChart:
    """A matrix in tidy rows (row, col, value) as a heatmap, diverging about 0.

    The colour scale is symmetric about 0 (blue below, orange above); cells carry their numbers
    when the matrix has at most ``labelled`` columns (otherwise the tooltip does).
    """
    bound = float(max(np.abs(frame["value"]).max(), 1e-12))
    data = frame.assign(
        label=frame["value"].map(_label),
        tip=value_texts(frame["value"], 4),
        ink=_text_color(frame, bound, signed=True),
    )
    base = alt.Chart().encode(
        x=alt.X("col:N", title=x_title, sort=cols, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("row:N", title=y_title, sort=rows),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "value:Q",
            scale=alt.Scale(scheme="blueorange", domain=[-bound, bound]),
            legend=alt.Legend(title=value_title, orient="right", gradientLength=120),
        ),
        tooltip=[
            alt.Tooltip("row:N", title=y_title),
            alt.Tooltip("col:N", title=x_title),
            alt.Tooltip("tip:N", title=value_title),
        ],
    )
    layers = [rect]
    if len(cols) <= labelled:
        layers.append(_cells_text(base))
    # The layers share one frame given once at the top: alt.layer would compare and copy the
    # layers' data, several times the cost of building the chart.
    chart = alt.LayerChart(data=data, layer=layers)
    return finish(chart, title=title, height=height or 28 * len(rows) + 20)


def attention_heatmap(
    attention: pd.DataFrame,
    *,
    value: str,
    tokens: list[str],
    title: str,
    value_title: str,
    labelled: bool = True,
) -> alt.LayerChart:
    """One head's scores or weights, query rows against key columns; masked cells in grey (and
    in the legend) when the run has a mask. Cells carry their numbers when ``labelled`` and
    there are at most MAX_LABELLED tokens (otherwise the tooltip does).

    ``attention`` has query, key, allowed and ``value`` (``score`` or ``weight``). Masked
    cells are labelled −∞ (a score) or 0 (a weight); scores use a colour scale symmetric about
    0, weights one from 0 to 1.
    """
    weights = value == "weight"
    MASKED = "masked (key after query)"
    values = attention[value].astype(float)
    allowed = attention["allowed"]
    bound = 1.0 if weights else float(max(np.abs(values[allowed]).max(), 1e-12))
    data = attention.assign(value=values, what=MASKED)
    if weights:
        rest, several = _row_rest(attention, values)
        labels = [_weight_label(v, s) for v, s in zip(values, several, strict=True)]
        tips = [
            UNDERFLOWED_TO_ZERO
            if a and v == 0.0
            else _weight_text(v, WEIGHT_TIP_DIGITS, r)
            if r > 0 or not s or v < 1.0
            else UNDERFLOWED
            for v, r, s, a in zip(values, rest, several, allowed, strict=True)
        ]
        # a plain weight as the sentences print one (claims.heatmap_weight_text: never a 5
        # that rounding up made)
        tips = [
            heatmap_weight_text(v) if _plain(t) else t for v, t in zip(values, tips, strict=True)
        ]
    else:
        labels, tips = values.map(_label), values.map(lambda v: num(v, 6))
    data["label"] = pd.Series(labels, index=data.index).where(allowed, "0" if weights else "−∞")
    data["tip"] = pd.Series(tips, index=data.index)
    data["ink"] = _text_color(data, bound, signed=not weights).where(allowed, "dark")
    x = alt.X("key:N", title="key j (attended to)", sort=tokens, axis=alt.Axis(labelAngle=0))
    y = alt.Y("query:N", title="query i (attending)", sort=tokens)
    scale = (
        alt.Scale(scheme="blues", domain=[0, 1])
        if weights
        else alt.Scale(scheme="blueorange", domain=[-bound, bound])
    )
    cells = (
        alt.Chart()
        .mark_rect(stroke="white")
        .encode(
            x,
            y,
            color=alt.Color(
                "value:Q",
                scale=scale,
                legend=alt.Legend(title=value_title, orient="right", gradientLength=120),
            ),
            tooltip=[
                alt.Tooltip("query:N", title="query"),
                alt.Tooltip("key:N", title="key"),
                alt.Tooltip("tip:N", title=value_title),
            ],
        )
        .transform_filter(alt.FieldEqualPredicate(field="allowed", equal=True))
    )
    layers = [cells]
    if not allowed.all():
        layers.append(
            alt.Chart()
            .mark_rect(stroke="white")
            .encode(
                x,
                y,
                fill=alt.Fill(
                    "what:N",
                    scale=alt.Scale(domain=[MASKED], range=[MASKED_COLOR]),
                    legend=legend(""),
                ),
                tooltip=[alt.Tooltip("query:N"), alt.Tooltip("key:N"), alt.Tooltip("label:N")],
            )
            .transform_filter(alt.FieldEqualPredicate(field="allowed", equal=False))
        )
    if labelled and len(tokens) <= MAX_LABELLED:
        layers.append(_cells_text(alt.Chart().encode(x, y)))
    chart = alt.LayerChart(data=data, layer=layers).resolve_scale(color="independent")
    return finish(chart, title=title, height=28 * len(tokens) + 20)


# ---- the sweep ----------------------------------------------------------------------------------


def _dk_axis(dims) -> alt.X:
    return alt.X(
        "d_k:Q",
        title="d_k, entries per query and key (log scale)",
        scale=alt.Scale(type="log", base=2, domain=[min(dims), max(dims)], nice=False),
        axis=alt.Axis(values=list(dims), format="d"),
    )


def variance_chart(variance: pd.DataFrame) -> alt.LayerChart:
    """Measured Var(q · k) ± 2 SE against d_k, raw and divided by √d_k, with the theory lines."""
    dims = variance["d_k"].tolist()
    parts = []
    for scaling, value, se, theory in (
        ("unscaled", "variance", "se", "theory"),
        ("scaled", "scaled_variance", "scaled_se", "scaled_theory"),
    ):
        parts.append(
            pd.DataFrame(
                {
                    "d_k": variance["d_k"],
                    "scores": SCALING_LABELS[scaling],
                    "measured": variance[value],
                    "low": np.maximum(variance[value] - 2 * variance[se], 1e-300),
                    "high": variance[value] + 2 * variance[se],
                    "theory": variance[theory],
                    # the measured variance beside its theory: 15.996 is not "16.00"
                    "measured_text": variance[value].map(lambda v: minus(variance_text(float(v)))),
                    "theory_text": variance[theory].map(lambda v: theory_text(float(v))),
                }
            )
        )
    data = pd.concat(parts, ignore_index=True)
    x = _dk_axis(dims)
    y_scale = alt.Scale(type="log")
    color = alt.Color("scores:N", scale=_scaling_scale(), legend=legend("scores"))
    theory = (
        alt.Chart()
        .mark_line(strokeDash=[5, 3], strokeWidth=1.5)
        .encode(
            x,
            alt.Y("theory:Q", scale=y_scale, title="variance of the scores (log scale)"),
            color=color,
            detail=alt.Detail("scores:N"),
        )
    )
    bars = (
        alt.Chart()
        .mark_rule(strokeWidth=2)
        .encode(x, alt.Y("low:Q", scale=y_scale), alt.Y2("high:Q"), color=color)
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=45, opacity=1)
        .encode(
            x,
            alt.Y("measured:Q", scale=y_scale),
            color=color,
            tooltip=[
                alt.Tooltip("scores:N"),
                alt.Tooltip("d_k:Q"),
                alt.Tooltip("measured_text:N", title="measured variance"),
                alt.Tooltip("theory_text:N", title="theory"),
            ],
        )
    )
    return finish(
        alt.LayerChart(data=data, layer=[theory, bars, points]),
        title="Variance of the scores against d_k",
        height=300,
    )


def _top_text(value: float) -> str:
    """A top weight at 4 significant digits (:func:`_weight_text`), more until it prints on the
    same side of the prediction's bin edges 0.5 and 0.9 as it is (0.89996 is not "0.9" beside
    the answer "0.5 to 0.9")."""
    for digits in range(4, 18):
        text = _weight_text(value, digits)
        if text.startswith("1 −") or all(
            (float(text) >= edge) == (value >= edge) for edge in (0.5, 0.9)
        ):
            return text
    return text


def _sweep_long(
    sweep: pd.DataFrame, measure: str, digits: int = 4, n_keys: int | None = None
) -> pd.DataFrame:
    """The sweep's rows for one measure; the tooltips' texts are the values as measured (before
    any floor for a log axis), a top weight below 1 never printed as 1. With ``n_keys``, a top
    weight's mean is printed as the sentences print it (claims.mean_top_text)."""
    data = pd.DataFrame(
        {
            "d_k": sweep["d_k"],
            "scores": sweep["scaling"].map(SCALING_LABELS),
            "mean": sweep[f"{measure}_mean"],
            "median": sweep[f"{measure}_p50"],
            "low": sweep[f"{measure}_p10"],
            "high": sweep[f"{measure}_p90"],
            "se_text": value_texts(sweep[f"{measure}_se"], 2),
        }
    )
    for column in ("mean", "median", "low", "high"):
        data[f"{column}_text"] = data[column].map(
            _top_text
            if measure == "max_weight"
            # the Jacobian's medians and means as the gradient sentences print them (zeros
            # kept); an entropy of 1.99996 nats is not "2"
            else (lambda v: jacobian_text(float(v), digits))
            if measure == "jacobian"
            # an entropy as the saturation sentences print it, zeros kept ("4.820", not "4.82")
            else (lambda v: entropy_text(float(v)))
            if measure == "entropy"
            else (lambda v: num(v, digits))
        )
    if measure == "max_weight":
        # the SE as the answer's "mean ± SE" prints it, zeros kept ("0.0060", not "0.006")
        data["se_text"] = sweep[f"{measure}_se"].map(lambda v: se_text(float(v))).tolist()
    if measure == "max_weight" and n_keys is not None:
        # to its SE's last decimal, as the answer's "mean ± SE" prints it
        data["mean_text"] = [
            mean_top_text(float(v), n_keys, float(se))
            for v, se in zip(data["mean"], sweep["max_weight_se"], strict=True)
        ]
    return data


def _band_chart(
    data: pd.DataFrame,
    *,
    y: str,
    y_title: str,
    title: str,
    reference: tuple[float, str] | None,
    y_scale: alt.Scale,
    dims,
) -> alt.LayerChart:
    """A line per scaling with the 10th-90th percentile band over draws, and a reference rule."""
    x = _dk_axis(dims)
    color = alt.Color("scores:N", scale=_scaling_scale(), legend=legend("scores"))
    band = (
        alt.Chart()
        .mark_area(opacity=0.2)
        .encode(x, alt.Y("low:Q", scale=y_scale, title=y_title), alt.Y2("high:Q"), color=color)
    )
    line = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(size=30, filled=True), strokeWidth=2)
        .encode(
            x,
            alt.Y(f"{y}:Q", scale=y_scale),
            color=color,
            tooltip=[
                alt.Tooltip("scores:N"),
                alt.Tooltip("d_k:Q"),
                alt.Tooltip("mean_text:N", title="mean"),
                alt.Tooltip("se_text:N", title="SE of the mean"),
                alt.Tooltip("median_text:N", title="median"),
                alt.Tooltip("low_text:N", title="10th percentile"),
                alt.Tooltip("high_text:N", title="90th percentile"),
            ],
        )
    )
    layers = [band, line]
    if reference is not None:
        value, label = reference
        rule = pd.DataFrame({"y": [value], "d_k": [max(dims)], "label": [label]})
        base = alt.Chart(rule).encode(alt.Y("y:Q", scale=y_scale))
        layers.append(
            base.mark_rule(strokeDash=[4, 4], color=OKABE_ITO["grey"]).encode(
                tooltip=[
                    alt.Tooltip("label:N"),
                    alt.Tooltip(
                        "y:Q",
                        format=".4g",  # plain-format: an input position (the reference rule's level, 1/n or log n of the key count)
                    ),
                ]
            )
        )
        layers.append(
            base.mark_text(align="right", baseline="bottom", dy=-3, color=OKABE_ITO["grey"]).encode(
                x, text=alt.Text("label:N")
            )
        )
    return finish(alt.LayerChart(data=data, layer=layers), title=title, height=300)


def top_weight_chart(sweep: pd.DataFrame, *, n_keys: int) -> alt.LayerChart:
    """The top key's mean weight against d_k, with and without √d_k, and the 10-90 % band."""
    return _band_chart(
        _sweep_long(sweep, "max_weight", n_keys=n_keys),
        y="mean",
        y_title="top key's weight (mean; band: 10th-90th percentile)",
        title="Top key's weight against d_k",
        reference=(1.0 / n_keys, f"uniform weights, 1/{n_keys}"),
        y_scale=alt.Scale(domain=[0, 1]),
        dims=sweep["d_k"].unique().tolist(),
    )


def entropy_chart(sweep: pd.DataFrame, *, n_keys: int) -> alt.LayerChart:
    """The weights' mean entropy against d_k, with and without √d_k, and the 10-90 % band."""
    uniform = float(np.log(n_keys))
    return _band_chart(
        _sweep_long(sweep, "entropy"),
        y="mean",
        y_title="entropy of the weights, nats (mean; band: 10th-90th)",
        title="Entropy of the weights against d_k",
        reference=(uniform, f"uniform weights, log {n_keys}"),
        y_scale=alt.Scale(domain=[0, uniform * 1.05]),
        dims=sweep["d_k"].unique().tolist(),
    )


def jacobian_chart(sweep: pd.DataFrame, digits: int = 4) -> alt.LayerChart:
    """The median ‖∂p/∂s‖_F against d_k on a log axis, with the 10-90 % band (floored); the
    tooltips at ``digits`` significant digits (claims.jacobian_digits: those of the sentence)."""
    data = _sweep_long(sweep, "jacobian", digits)
    for column in ("median", "low", "high"):
        data[column] = np.maximum(data[column], JACOBIAN_FLOOR)
    return _band_chart(
        data,
        y="median",
        y_title="softmax Jacobian ‖∂p/∂s‖_F (median; log scale)",
        title="Gradient through the softmax against d_k",
        reference=None,
        y_scale=alt.Scale(type="log", domain=[JACOBIAN_FLOOR, 1.0], clamp=True),
        dims=sweep["d_k"].unique().tolist(),
    )


def _remainder(top: str) -> Decimal | None:
    """1 − max p as a top weight's tooltip text gives it (None for the texts of a bound)."""
    try:
        return Decimal(top[len("1 − ") :]) if top.startswith("1 − ") else 1 - Decimal(top)
    except ArithmeticError:  # "1 − (under 1e-13)", "1 in float64 …"
        return None


def draw_texts(
    top: float, rest: float, jacobian: float, largest: str | None = None
) -> tuple[str, str]:
    """One draw's top weight max p and its ‖∂p/∂s‖_F for the scatter's tooltips: 6 and 3
    significant digits (max p near 1 as 1 − r, r at 2), more until the printed Jacobian is at most
    2(1 − the printed max p), the bound the chart draws and the jacobian_bound sentence states (a
    draw printed "0.99996" and "8.01e-05" is over 2 × 0.00004: 0.9999599 and 8.009e-05 at the
    default; the ratio can be 1 − 2e-11, so a few draws need many digits). ``largest``: the largest
    measured ratio as jacobian_bound prints it; digits are added until the ratio of the printed
    numbers, printed as that sentence prints a ratio, is not above it (0.316 / (2 × (1 −
    0.471357)) = 0.2989 beside "the largest measured ratio is 0.298")."""
    if jacobian == 0:
        # a one-hot draw in float64 has a Jacobian of exactly 0 there, positive in exact arithmetic
        top_text = _weight_text(top, 6, rest) if rest > 0 or top < 1.0 else UNDERFLOWED
        return top_text, "0 in float64 (one-hot; positive in exact arithmetic)"
    for extra in range(15):
        top_text = _weight_text(top, 6 + extra, rest, 2 + extra)
        jacobian_text = num(jacobian, 3 + extra)
        remainder = _remainder(top_text)
        if remainder is None:
            break
        shown = Decimal(jacobian_text)
        if shown <= 2 * remainder and (
            largest is None
            or remainder == 0
            or bound_ratio_value(bound_ratio_text(float(shown / (2 * remainder))))
            <= bound_ratio_value(largest)
        ):
            break
    return top_text, jacobian_text


def gradient_scatter(samples: pd.DataFrame, largest: str | None = None) -> alt.LayerChart:
    """‖∂p/∂s‖_F of single draws against their top weight, and the bound 2(1 − max p);
    ``largest``: the largest measured ratio as jacobian_bound prints it (:func:`draw_texts`)."""
    texts = [
        draw_texts(p, r, j, largest)
        for p, r, j in zip(
            samples["max_weight"], samples["remaining"], samples["jacobian"], strict=True
        )
    ]
    data = samples.assign(
        scores=samples["scaling"].map(SCALING_LABELS),
        top_text=[top for top, _ in texts],
        jacobian_text=[jacobian for _, jacobian in texts],
    )
    top = float(max(data["jacobian"].max(), 1e-3)) * 1.1
    x = alt.X("max_weight:Q", title="top key's weight max p", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("jacobian:Q", title="softmax Jacobian ‖∂p/∂s‖_F", scale=alt.Scale(domain=[0, top]))
    points = (
        alt.Chart()
        .mark_circle(size=18, opacity=0.5)
        .encode(
            x,
            y,
            color=alt.Color("scores:N", scale=_scaling_scale(), legend=legend("scores")),
            tooltip=[
                alt.Tooltip("scores:N"),
                alt.Tooltip("d_k:Q"),
                alt.Tooltip("top_text:N", title="max_weight"),
                alt.Tooltip("jacobian_text:N", title="jacobian"),
            ],
        )
    )
    p = np.linspace(max(0.0, 1.0 - top / 2.0), 1.0, 50)
    bound = pd.DataFrame({"max_weight": p, "jacobian": 2.0 * (1.0 - p)})
    line = (
        alt.Chart(bound)
        .mark_line(color=OKABE_ITO["black"], strokeDash=[6, 3], clip=True)
        .encode(x, y)
    )
    at = 1.0 - top / 4.0
    note = pd.DataFrame(
        {"max_weight": [at], "jacobian": [2.0 * (1.0 - at)], "label": ["2(1 − max p)"]}
    )
    label = (
        alt.Chart(note)
        .mark_text(align="left", dx=8, color=OKABE_ITO["black"])
        .encode(x, y, text=alt.Text("label:N"))
    )
    return finish(
        alt.LayerChart(data=data, layer=[points, line, label]),
        title="Gradient through the softmax against the top weight",
        height=320,
    )


# ---- formulas with the run's numbers ------------------------------------------------------------


def _tex_kept(value: float, digits: int) -> str:
    """:func:`core.facts.tex_number` with trailing zeros kept to ``digits`` significant digits
    where the printing rounds the value: a weight 1.98e-108 is "2.0 × 10^{-108}" beside
    "2.8 × 10^{-88}", not "2 × 10^{-108}" (?n=8&heads=4&dhead=64&scale=off&xsd=3&causal=on,
    audit pass 69 b); a weight printed exactly ("0.5") stays as it is."""
    text = num(value + 0.0, digits)
    if Decimal(text) != Decimal(value + 0.0):
        text = padded(text, digits)
    mantissa, _, exponent = text.partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def _tex_weight(p: float, rest: float = 0.0) -> str:
    """A weight with 2 significant digits; one below 1 that would print as 1 is (1 − x), and so
    is a weight of 1.0 beside other positive weights (``rest``, their sum: float64 rounded it).
    Digits are added past a 5 that rounding up made (core.facts.rounded_up_half): 0.0848 is
    "0.0848", not "0.085" beside the weights heatmap's label 0.08."""
    text = _tex_kept(p, one_hot_digits(p, 2))
    whole = Decimal(num(p + 0.0, one_hot_digits(p, 2))) == 1
    if (p == 1.0 or whole) and rest > 0.0:  # the other weights' sum, not 1.0 − p's round-off
        return rf"(1 - {_tex_kept(rest, 2)})"
    return rf"(1 - {_tex_kept(1.0 - p, 2)})" if whole and p < 1.0 else text


def weighted_sum_latex(attention: pd.DataFrame, token: str) -> str:
    """out_i = Σ_j p_ij v_j with head 1's weights for query ``token`` (2 significant digits).

    ``attention`` holds the head's rows (query, key, allowed, weight); the value rows v_j are the
    V heatmap's rows, and the output is the P V heatmap's row ``token``.
    """
    row = attention[(attention["query"] == token) & attention["allowed"]]
    weights = [
        (p, _tex_weight(p, rest))
        for p, rest in zip(row["weight"], _others(row["weight"]), strict=True)
    ]
    terms = [
        rf"{text}\,v_{{{key.lstrip('t')}}}"
        for key, (_, text) in zip(row["key"], weights, strict=True)
    ]
    # "=" only where every printed weight is its weight exactly (claims.equals), else "≈": two
    # tokens' weights 0.500098 and 0.499902 printed "= 0.5 v_1 + 0.5 v_2" beside the caption's
    # "the largest such weight is 0.500098" (audit pass 59 a)
    exact = all(equals(float(p), text).startswith("=") for p, text in weights)
    index = token.lstrip("t")
    return (
        rf"\text{{out}}_{{{index}}} = \sum_j p_{{{index} j}}\, v_j "
        + ("= " if exact else r"\approx ")
        + " + ".join(terms)
    )
