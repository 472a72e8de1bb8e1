"""Charts of the autodiff lesson: exact vs finite-difference derivatives, their errors, gradient checks."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.autodiff.claims import ERROR_PLACES, curve_digits
from core.experiments.autodiff.fit_claims import rel_text, sci
from core.facts import decimals, minus, num, probability
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, _legend, finish

# exact, forward, central: fixed colors and dashes for the three ways to get a derivative
METHOD_COLORS = [OKABE_ITO["black"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"]]
METHOD_DASHES = [[1, 0], [6, 3], [2, 2]]
YOUR_LOSS = OKABE_ITO["bluish_green"]
VERDICT_COLORS = [OKABE_ITO["bluish_green"], OKABE_ITO["orange"], OKABE_ITO["vermillion"]]
H_RANGE = (1e-14, 1e-1)  # the steps the sweep covers
ERROR_FLOOR = 1e-17  # below float64's resolution of a derivative of order 1; zeros are drawn here


def _value_text(value: float, digits: int) -> str:
    """``digits`` significant digits, more while a fraction would print as a whole number it is
    not (:func:`core.facts.num`: sigmoid(10) = 0.99995 is not "1"), halves rounded up; no "-0".
    An exponent already says the digits are cut (1.235e+300 is not read as a whole number)."""
    return minus(num(value + 0.0, digits))


def _stacked(title: str) -> alt.Legend:
    """A legend below the plot with one entry per row: side by side, entries ran off a phone."""
    return alt.Legend(title=title, orient="bottom", labelLimit=0, columns=1)


def gradient_curve(
    curve: pd.DataFrame,
    *,
    methods: list[str],
    point: tuple[float, float],
    h: float,
    y_true: float,
) -> alt.LayerChart:
    """d loss / d y_pred against y_pred: exact, forward and central differences with step h."""
    # 6 digits, more where the curve sentence's bound on |estimate − autodiff| needs them
    digits = curve_digits(curve)
    curve = curve.assign(
        grad_text=[
            _value_text(g, digits.get(float(y), 6))
            for y, g in zip(curve["y_pred"].to_numpy(), curve["grad"].to_numpy(), strict=True)
        ]
    )
    scale_c = alt.Scale(domain=methods, range=METHOD_COLORS)
    scale_d = alt.Scale(domain=methods, range=METHOD_DASHES)
    lines = (
        alt.Chart(curve)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("y_pred:Q", title="prediction ŷ (y_pred)"),
            y=alt.Y("grad:Q", title="∂L/∂ŷ at one example"),
            color=alt.Color("method:N", scale=scale_c, legend=_legend("derivative")),
            strokeDash=alt.StrokeDash("method:N", scale=scale_d, legend=_legend("derivative")),
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip(
                    "y_pred:Q",
                    format=".3f",  # plain-format: an input position (the swept ŷ on x)
                ),
                alt.Tooltip("grad_text:N", title="grad"),
            ],
        )
    )
    marker = pd.DataFrame(
        {
            "y_pred": [point[0]],
            "grad": [point[1]],
            "grad_text": [_value_text(point[1], 6)],
            "what": ["this example"],
        }
    )
    layers = [lines]
    if np.isfinite(point[1]):
        layers.append(
            alt.Chart(marker)
            .mark_point(size=120, filled=True, color=MARKER_COLOR)
            .encode(
                x=alt.X("y_pred:Q"),
                y=alt.Y("grad:Q"),
                tooltip=[alt.Tooltip("what:N"), alt.Tooltip("grad_text:N", title="grad")],
            )
        )
    return finish(
        alt.layer(*layers),
        title=f"∂L/∂ŷ across ŷ (y = {_value_text(y_true, 6)}, h = {num(h, 6)})",
        height=300,
    )


def error_vs_h(
    sweep: pd.DataFrame,
    guides: pd.DataFrame,
    *,
    methods: list[str],
    h: float,
    texts: dict | None = None,
    gap: bool = False,
) -> alt.LayerChart:
    """Finite-difference error against the step on log-log axes, with slope guides.

    ``sweep`` has (h, method, error), ``guides`` (h, guide, error). Errors of exactly 0 are drawn
    at ERROR_FLOOR; guides are clipped to the measured range so they do not stretch the axes.
    ``gap``: autodiff's value is a kink convention here (claims.convention_here), so what the
    sweep measures is each difference's gap from it, not its error (relu(r) − relu(−r) at r = 0:
    the exact central difference's tooltip read "error 1.00e+00"; audit pass 45 c).
    """
    measured_title = "gap from autodiff" if gap else "error"
    # the tooltip reads the measured error (0 stays "0", not the floor it is drawn at), in
    # e-notation with 2 decimals, halves rounded up
    # (``texts``: (method, h) -> a sentence's text of that error, claims.slope_error_texts, so a
    # slope the sentence derives from two errors follows from the tooltips too)
    texts = texts or {}
    data = sweep.dropna()
    data = data.assign(
        measured_text=[
            texts.get((m, float(s)), sci(v, ERROR_PLACES))
            for m, s, v in zip(data["method"], data["h"], data["error"], strict=True)
        ],
        error=lambda d: d["error"].clip(lower=ERROR_FLOOR),
    )
    measured = data["error"] if len(data) else pd.Series([1e-16, 1.0])
    y_domain = [max(float(measured.min()) / 10, ERROR_FLOOR), float(measured.max()) * 10]
    x = alt.X(
        "h:Q",
        scale=alt.Scale(type="log", domain=list(H_RANGE), reverse=True),
        axis=alt.Axis(format=".0e"),
        title="step h (log scale, shrinking to the right)",
    )
    y = alt.Y(
        "error:Q",
        scale=alt.Scale(type="log", domain=y_domain, nice=False),
        axis=alt.Axis(format=".0e"),
        title="|estimate − autodiff| (log scale)",
    )
    shown = [m for m in methods if m in set(data["method"])] or methods[1:]
    colors = [c for m, c in zip(methods, METHOD_COLORS, strict=True) if m in shown]
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=25, filled=True), clip=True)
        .encode(
            x,
            y,
            color=alt.Color(
                "method:N", scale=alt.Scale(domain=shown, range=colors), legend=_stacked("measured")
            ),
            tooltip=[
                alt.Tooltip("method:N"),
                alt.Tooltip(
                    "h:Q",
                    format=".1e",  # plain-format: an input position (the swept step h on x)
                ),
                alt.Tooltip("measured_text:N", title=measured_title),
            ],
        )
    )
    names = list(dict.fromkeys(guides["guide"])) if len(guides) else ["guide"]
    kept = guides[(guides["error"] >= y_domain[0]) & (guides["error"] <= y_domain[1])]
    # a guide's error is computed from this run (h·|L″|/2 ...): printed as the measured one is
    kept = kept.assign(error_text=[sci(float(v), 2) for v in kept["error"]])
    guide_lines = (
        alt.Chart(kept)
        .mark_line(strokeWidth=1.5, color=OKABE_ITO["grey"], clip=True)
        .encode(
            x,
            y,
            strokeDash=alt.StrokeDash(
                "guide:N",
                scale=alt.Scale(domain=names, range=[[6, 3], [2, 2], [8, 2, 2, 2]][: len(names)]),
                legend=_stacked("theory"),
            ),
            detail=alt.Detail("guide:N"),
            tooltip=[
                alt.Tooltip("guide:N"),
                alt.Tooltip(
                    "h:Q",
                    format=".1e",  # plain-format: an input position (the swept step h on x)
                ),
                alt.Tooltip("error_text:N", title="error"),
            ],
        )
    )
    inside = H_RANGE[0] <= h <= H_RANGE[1]  # a step beyond the sweep gets no marker
    rule = (
        alt.Chart(
            pd.DataFrame(
                {"h": [h] if inside else [], "label": [f"h = {num(h, 6)}"] if inside else []}
            )
        )
        .mark_rule(color=MARKER_COLOR, strokeDash=[3, 3])
        .encode(x=alt.X("h:Q"), tooltip=[alt.Tooltip("label:N")])
    )
    return finish(
        alt.layer(guide_lines, lines, rule),
        title="Gap from autodiff's value against the step h"
        if gap
        else "Finite-difference error against the step h",
        height=380,
    )


def _fitted_text(value: float, classification: bool) -> str:
    """A fitted line's value for the tooltip: 3 decimals; a probability is never printed 0 or 1
    it does not reach (:func:`core.facts.probability`: 0.99996 is "1 − 4e-05")."""
    if not classification or not math.isfinite(value):
        return minus(decimals(value + 0.0, 3))
    return probability(value, 3)


def fitted_lines(
    data: pd.DataFrame,
    fits: pd.DataFrame,
    *,
    reference: str,
    classification: bool,
    stopped: dict[str, int] | None = None,
    unmoved: tuple[str, ...] = (),
) -> alt.LayerChart:
    """Training points (outliers marked) and the model fitted with each loss.

    ``stopped``: model -> the step at which its training stopped early (undefined values or
    divergence); its line is where it stopped, not a fit, and its legend entry and the title say
    so (mean(log(y_pred)) stops at step 0: its line at the starting weights was drawn under
    "fitted with two losses", legend "trained with: your loss"; audit pass 46 c).
    ``unmoved``: the models whose training ran to the end at their starting weights (Adam's
    every step 0: 1e160 × mse overflows v̂); their lines are not fits either (audit pass 52 a).
    """
    stopped = stopped or {}
    y_title = "label y, and fitted P(y = 1)" if classification else "target y"
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=45, opacity=0.8)
        .encode(
            x=alt.X("x:Q", title="feature x"),
            y=alt.Y("y:Q", title=y_title),
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=["inlier", "outlier"], range=["circle", "cross"]),
                legend=_legend("points"),
            ),
            color=alt.ColorValue(OKABE_ITO["grey"]),
            tooltip=[
                alt.Tooltip(
                    "x:Q",
                    format=".3f",  # plain-format: an input position (the sample's own x)
                ),
                alt.Tooltip(
                    "y:Q",
                    format=".3f",  # plain-format: an input position (the sample's own y)
                ),
                alt.Tooltip("kind:N"),
            ],
        )
    )
    names = {
        m: f"{m} (stopped at step {stopped[m]})"
        if m in stopped
        else f"{m} (never moved)"
        if m in unmoved
        else m
        for m in ("your loss", reference)
    }
    models = list(names.values())
    fits = fits.assign(
        model=fits["model"].map(lambda m: names.get(m, m)),
        y_hat_text=[_fitted_text(v, classification) for v in fits["y_hat"].to_numpy()],
    )
    lines = (
        alt.Chart(fits)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("x:Q"),
            y=alt.Y("y_hat:Q"),
            color=alt.Color(
                "model:N",
                scale=alt.Scale(domain=models, range=[YOUR_LOSS, COLORS[reference]]),
                legend=_legend("trained with"),
            ),
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip(
                    "x:Q",
                    format=".3f",  # plain-format: an input position (the x grid the fit is drawn over)
                ),
                alt.Tooltip("y_hat_text:N", title="P(y = 1)" if classification else "ŷ"),
            ],
        )
    )
    model = "P(y = 1) = σ(w x + b)" if classification else "ŷ = w x + b"
    fitted = (
        f"{'one fit' if len(stopped) == 1 else 'both fits'} stopped early"
        if stopped
        else f"{'one line' if len(unmoved) == 1 else 'both lines'} never moved"
        if unmoved
        else "fitted with two losses"
    )
    return finish(alt.layer(points, lines), title=f"{model}, {fitted}", height=320)


def gradcheck_bars(
    table: pd.DataFrame, *, verdicts: list[str], good: float, wrong: float
) -> alt.LayerChart:
    """Relative error of backprop against central differences, one bar per weight tensor."""
    data = table.assign(
        shown=table["rel_error"].clip(lower=ERROR_FLOOR),
        floor=ERROR_FLOOR,
        rel_text=[rel_text(float(e), good, wrong) for e in table["rel_error"]],
    )
    x = alt.X(
        "shown:Q",
        scale=alt.Scale(type="log", domain=[ERROR_FLOOR, 10.0]),
        axis=alt.Axis(format=".0e"),
        title="relative error max|a − n| / max(max(|a| + |n|), 1e-8) (log scale)",
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height=16)
        .encode(
            x=x,
            x2=alt.X2("floor:Q"),
            y=alt.Y("tensor:N", sort=list(table["tensor"]), title="weight tensor"),
            color=alt.Color(
                "verdict:N",
                scale=alt.Scale(domain=verdicts, range=VERDICT_COLORS),
                legend=_stacked("verdict"),
            ),
            tooltip=[
                alt.Tooltip("tensor:N"),
                alt.Tooltip("shape:N"),
                alt.Tooltip("rel_text:N", title="rel_error"),
                alt.Tooltip("verdict:N"),
            ],
        )
    )
    marks = pd.DataFrame(
        {"shown": [good, wrong], "label": ["1e-7: passes below", "1e-2: fails above"]}
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(color=MARKER_COLOR, strokeDash=[6, 3])
        .encode(x=alt.X("shown:Q"), tooltip=[alt.Tooltip("label:N")])
    )
    return finish(
        alt.layer(bars, rules),
        title="Gradient check per weight tensor",
        height=260,
    )


def _number(value) -> str:
    value = np.asarray(value, dtype=float)
    if value.size == 1:
        return _value_text(float(value.reshape(-1)[0]), 4)
    return f"mean {_value_text(float(value.mean()), 4)}"


def graph_dot(nodes: list[dict], *, convention: bool = False) -> str:
    """Graphviz DOT of a computation graph: value in each node, d loss / d node under it.

    ``nodes`` is the list from ``CompiledLoss.graph`` (id, label, inputs, value, grad).
    ``convention``: y_pred sits at an operation's kink and autodiff's value there is a
    convention (claims.convention_here), so what the backward pass carries into y_pred and the
    nodes before the kink is not ∂L/∂node: each node then reads "backward", the value the pass
    carries (preset MAE: "∂L/∂· = 0" where L has no derivative; L = relu(r) − relu(−r) at r = 0:
    "∂L/∂· = 0" at y_pred where L′ = 1; audit pass 46 c).
    """
    lines = [
        "digraph G {",
        '  rankdir=LR; bgcolor="transparent";',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, '
        'fillcolor="#FFFFFF", color="#999999"];',
        '  edge [color="#999999", arrowsize=0.6];',
    ]
    root = nodes[-1]["id"] if nodes else -1
    for node in nodes:
        name = "backward" if convention else "∂L/∂· ="
        grad = f"{name} —" if node["grad"] is None else f"{name} {_number(node['grad'])}"
        label = node["label"].replace('"', "")
        text = f"{label}\\nvalue {_number(node['value'])}\\n{grad}"
        fill = {"y_pred": "#DCEBF7", "y_true": "#F2F2F2"}.get(label, "#FFFFFF")
        if node["id"] == root:
            fill = "#FBE3D6"
        lines.append(f'  n{node["id"]} [label="{text}", fillcolor="{fill}"];')
        lines.extend(f"  n{i} -> n{node['id']};" for i in node["inputs"])
    lines.append("}")
    return "\n".join(lines)
