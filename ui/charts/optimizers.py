"""Charts of the optimizer race: paths on the loss map, curves against step, the momentum map.

The charts that follow the page's Step slider (the map, the curves against step, the Hessian's
eigenvalues) are built once per race; what moves with the step lives in small named datasets
(``alt.NamedData``) that :func:`step_data` fills for a step and ``ui.lesson.chart`` passes as
``datasets``. The spec stays the same from step to step, so the browser swaps a few rows in
place instead of drawing the chart anew: scrubbing and playing stay light.
"""

from __future__ import annotations

import math
from decimal import Decimal

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.optimizers.claims import (
    EIGEN_DIGITS,
    LOSS_TIE,
    Readout,
    coordinates_text,
    curve_digits,
    curve_text,
    distance_text,
    grad_text,
    path_eigen_text,
    ran_off_from_saddle,
    ranked_excess_digits,
)
from core.experiments.optimizers.experiment import MIN_TOL
from core.facts import agrees, alike, inside_unit, minus, num, up
from ui.charts import (
    COLORS,
    MARKER_COLOR,
    OKABE_ITO,
    OPTIMIZER_DASH,
    finish,
    legend_columns,
    value_texts,
)

PICK = "start_pick"  # name of the click selection on the loss map
# The named datasets of the moving parts: every optimizer's path so far, where each one is now,
# and the current step (with its caption for the map).
SO_FAR, NOW, CURSOR = "so_far", "now", "cursor"
# A light sand ramp under the paths: none of the optimizer colors is close to it.
HEAT_RANGE = ["#fffdf3", "#f3ead2", "#e2d2ac", "#c9b27f"]
HEAT_BANDS = 10  # quantized bands read like filled contours
MARKERS = {"start": "circle", "minimum": "cross", "saddle": "diamond", "maximum": "triangle-up"}
# Values below round-off are floored before a log axis (a loss of exactly f_min is common).
LOG_FLOOR = 1e-16
DENSE_STEPS = 60  # the first steps (where paths turn fastest) are always drawn in full
# Thousands of heatmap cells draw faster on a canvas than as SVG elements (Streamlit picks SVG
# for a spec whose data it cannot count, such as one with inline values).
CANVAS = {"embedOptions": {"renderer": "canvas"}}


def _legend(title: str, labels, columns: int = 3, orient: str = "bottom") -> alt.Legend:
    # Below the plot, as in ui.charts, and wrapped into as many of ``columns`` as fit the plot's
    # width (ui.charts.legend_columns): one long row, or a third column on a phone, is clipped.
    # Full opacity: the faint trail layer would otherwise fade the swatches.
    return alt.Legend(
        title=title,
        orient=orient,
        labelLimit=0,
        columns=legend_columns(labels, columns),
        symbolOpacity=1,
        symbolStrokeWidth=2.5,
    )


def optimizer_scales(frame: pd.DataFrame) -> tuple[alt.Scale, alt.Scale]:
    """Color and stroke-dash scales over the frame's ``label`` values, in order of appearance.

    ``frame`` needs ``optimizer`` (a ``COLORS`` key) and ``label`` (what the legend shows).
    """
    pairs = dict(zip(frame["label"].tolist(), frame["optimizer"].tolist(), strict=True))
    labels = list(pairs)
    colors = [COLORS[pairs[label]] for label in labels]
    dashes = [OPTIMIZER_DASH.get(pairs[label], [1, 0]) for label in labels]
    return alt.Scale(domain=labels, range=colors), alt.Scale(domain=labels, range=dashes)


def thin_steps(steps, *, most: int = 200, keep=()) -> np.ndarray:
    """Steps to draw: the first ``DENSE_STEPS`` in full, then evenly spaced, the last always kept."""
    steps = np.unique(np.asarray(steps, dtype=int))
    if len(steps) <= most:
        chosen = steps
    else:
        head = steps[steps <= DENSE_STEPS]
        tail = steps[steps > DENSE_STEPS]
        room = max(most - len(head), 2)
        picks = tail[np.unique(np.linspace(0, len(tail) - 1, room).round().astype(int))]
        chosen = np.concatenate([head, picks])
    return np.unique(np.concatenate([chosen, np.asarray(list(keep), dtype=int)]))


def _thin(paths: pd.DataFrame, columns: list[str], *, most: int, keep=()) -> pd.DataFrame:
    """The rows at ``thin_steps`` and only ``columns`` (every column costs in the browser)."""
    steps = paths["step"].to_numpy()
    rows = np.isin(steps, thin_steps(steps, most=most, keep=keep))
    return paths.loc[rows, columns]


def race_map(
    grid: pd.DataFrame,
    paths: pd.DataFrame,
    critical: pd.DataFrame,
    *,
    window: tuple[tuple[float, float], tuple[float, float]],
    start: tuple[float, float],
    title: str,
    pick: bool = True,
    height: int = 470,
    most: int = 200,
) -> alt.LayerChart:
    """The loss surface as banded log-loss cells, each optimizer's path and where it is now.

    ``grid`` has x, y (cell centres), loss, log_excess; ``paths`` optimizer, label, step, x, y;
    ``critical`` kind, x, y. The whole path is faint; the named datasets ``SO_FAR`` (the path up
    to the current step, solid), ``NOW`` (one row per optimizer: label, step, x, y, loss_text) and
    ``CURSOR`` (the step's caption) come from :func:`step_data`. With ``pick`` the cells carry a
    click selection named ``PICK`` (fields x, y) so a click can set the start point. Axis domains
    are fixed to ``window`` so nothing jumps while the step changes.
    """
    (x0, x1), (y0, y1) = window
    xs = alt.X("x:Q", title="x (parameter 1)", scale=alt.Scale(domain=[x0, x1], nice=False))
    ys = alt.Y("y:Q", title="y (parameter 2)", scale=alt.Scale(domain=[y0, y1], nice=False))
    xs_u = sorted(grid["x"].unique())
    ys_u = sorted(grid["y"].unique())
    half_x = (xs_u[1] - xs_u[0]) / 2 if len(xs_u) > 1 else 0.5
    half_y = (ys_u[1] - ys_u[0]) / 2 if len(ys_u) > 1 else 0.5
    # Cell corners are computed in the browser: 4 fewer columns to send.
    cells = grid[["x", "y", "log_excess"]].round({"x": 5, "y": 5, "log_excess": 3})
    # 3,600 cells: ~20 ms per race; a negative f with the sentences' minus sign
    cells["loss_text"] = [minus(t) for t in value_texts(grid["loss"], 4)]
    heat = (
        alt.Chart(cells)
        .transform_calculate(
            x_lo=f"datum.x - {half_x}",
            x_hi=f"datum.x + {half_x}",
            y_lo=f"datum.y - {half_y}",
            y_hi=f"datum.y + {half_y}",
        )
        .mark_rect(stroke=None)
        .encode(
            x=alt.X(
                "x_lo:Q", title="x (parameter 1)", scale=alt.Scale(domain=[x0, x1], nice=False)
            ),
            x2=alt.X2("x_hi:Q"),
            y=alt.Y(
                "y_lo:Q", title="y (parameter 2)", scale=alt.Scale(domain=[y0, y1], nice=False)
            ),
            y2=alt.Y2("y_hi:Q"),
            # fill, not color: its own scale, separate from the optimizers' colors.
            fill=alt.Fill(
                "log_excess:Q",
                scale=alt.Scale(type="quantize", range=_ramp(HEAT_BANDS), nice=False),
                legend=None,  # the caption says it: darker = higher loss (log scale)
            ),
            tooltip=[
                # the cell's centre, drawn from x_lo to x_hi (and y_lo to y_hi)
                alt.Tooltip(
                    "x:Q",
                    format=".2f",  # plain-format: an input position (a grid cell's centre, x)
                    title="x (click: start here)",
                ),
                alt.Tooltip(
                    "y:Q",
                    format=".2f",  # plain-format: an input position (a grid cell's centre, y)
                ),
                alt.Tooltip("loss_text:N", title="f(x, y)"),
            ],
        )
    )
    if pick:
        heat = heat.add_params(alt.selection_point(name=PICK, on="click", fields=["x", "y"]))

    drawn = _thin(paths, ["label", "step", "x", "y"], most=most)
    color_scale, dash_scale = optimizer_scales(paths)
    names = paths["label"].unique()
    line_enc = {
        "x": xs,
        "y": ys,
        "order": alt.Order("step:Q"),
        "detail": alt.Detail("label:N"),
        "color": alt.Color("label:N", scale=color_scale, legend=_legend("optimizer", names)),
        "strokeDash": alt.StrokeDash(
            "label:N", scale=dash_scale, legend=_legend("optimizer", names)
        ),
    }
    trail = alt.Chart(drawn).mark_line(strokeWidth=1.5, opacity=0.25, clip=True).encode(**line_enc)
    so_far = (
        alt.Chart(alt.NamedData(SO_FAR)).mark_line(strokeWidth=2.5, clip=True).encode(**line_enc)
    )
    marks = pd.concat(
        [
            pd.DataFrame({"kind": ["start"], "x": [start[0]], "y": [start[1]]}),
            critical[["kind", "x", "y"]],
        ],
        ignore_index=True,
    )
    kinds = [k for k in MARKERS if k in set(marks["kind"])]
    points = (
        alt.Chart(marks)
        .mark_point(size=170, filled=True, color=MARKER_COLOR, opacity=0.9, clip=True)
        .encode(
            xs,
            ys,
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[MARKERS[k] for k in kinds]),
                # above the map: beside the optimizers' legend it ran off a phone's 390 px
                legend=_legend("marker", kinds, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("kind:N"),
                alt.Tooltip(
                    "x:Q",
                    format=".4f",  # plain-format: an input position (x of a point in parameter space)
                ),
                alt.Tooltip(
                    "y:Q",
                    format=".4f",  # plain-format: an input position (y of a point in parameter space)
                ),
            ],
        )
    )
    now = (
        alt.Chart(alt.NamedData(NOW))
        .mark_circle(size=110, opacity=1, stroke="white", strokeWidth=1.5, clip=True)
        .encode(
            xs,
            ys,
            color=alt.Color("label:N", scale=color_scale, legend=None),
            tooltip=[
                alt.Tooltip("label:N", title="optimizer"),
                alt.Tooltip("step:Q"),
                # where the run is: a result, printed as the Hessian panel's θ prints it
                alt.Tooltip("x_text:N", title="x"),
                alt.Tooltip("y_text:N", title="y"),
                alt.Tooltip("loss_text:N", title="f"),
            ],
        )
    )
    # The step the map shows, in its top-right corner (the title stays the same at every step).
    caption = (
        alt.Chart(alt.NamedData(CURSOR))
        .mark_text(align="right", baseline="top", dx=-6, dy=6, fontSize=13, fontWeight="bold")
        .encode(x=alt.XDatum(x1), y=alt.YDatum(y1), text=alt.Text("text:N"))
    )
    chart = alt.layer(heat, trail, so_far, points, now, caption)
    return finish(chart, title=title, height=height, usermeta=CANVAS)


def map_rows(paths: pd.DataFrame, *, most: int = 200) -> pd.DataFrame:
    """The rows of the paths the map draws (optimizer, label, step, x, y; at most ``most``
    steps per path): thinned once per race, then cut at each step by :func:`step_data`."""
    return _thin(paths, ["optimizer", "label", "step", "x", "y"], most=most)


def step_data(
    drawn: pd.DataFrame, current: pd.DataFrame, *, step: int, steps: int, loss_digits: int = 4
) -> dict[str, pd.DataFrame]:
    """The named datasets of the charts at ``step``: each path up to it (``drawn``, the rows of
    :func:`map_rows`, then the exact current point), where each optimizer is (``current``: one
    row per optimizer, its last point if its run stopped earlier, f printed with
    ``loss_digits``, the race's ``Readout.loss``) and the step itself (``steps`` is the race's
    length, for the caption "step 120 of 300").
    """
    # each point's two coordinates at one precision, as the Hessian panel prints them
    pairs = [coordinates_text(x, y) for x, y in zip(current["x"], current["y"], strict=True)]
    now = current[["label", "step", "x", "y"]].assign(
        x_text=[minus(x) for x, _ in pairs],
        y_text=[minus(y) for _, y in pairs],
        loss_text=[minus(t) for t in value_texts(current["loss"], loss_digits)],
    )
    so_far = drawn.loc[drawn["step"].to_numpy() <= step, ["label", "step", "x", "y"]]
    # The lines are ordered by step, so the current points may simply follow.
    so_far = pd.concat([so_far, now[["label", "step", "x", "y"]]])
    cursor = pd.DataFrame({"step": [int(step)], "text": [f"step {int(step)} of {int(steps)}"]})
    return {SO_FAR: so_far.reset_index(drop=True), NOW: now.reset_index(drop=True), CURSOR: cursor}


def _ramp(n: int) -> list[str]:
    """``n`` colors interpolated along HEAT_RANGE (light = low loss)."""
    stops = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in HEAT_RANGE], dtype=float)
    at = np.linspace(0, len(stops) - 1, n)
    rgb = [
        np.interp(at, np.arange(len(stops)), stops[:, channel]).round().astype(int)
        for channel in range(3)
    ]
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in zip(*rgb, strict=True)]


def step_lines(
    paths: pd.DataFrame,
    *,
    y: str,
    title: str,
    y_title: str,
    log_y: bool = False,
    symlog_y: bool = False,
    floor: float | None = None,
    bar: float | None = None,
    height: int = 300,
    most: int = 300,
    digits: int | None = None,
    value_title: str | None = None,
) -> alt.LayerChart:
    """One line per optimizer of ``y`` against step, with a rule at the current step.

    Values below ``floor`` are drawn at ``floor`` (say so in ``y_title``); non-finite values are
    dropped. ``symlog_y`` suits values of both signs spanning decades (an unbounded loss). With
    ``bar`` the tooltips print each value apart from it (:func:`claims.curve_text`). ``digits``
    (the tooltips' significant digits) defaults to :func:`claims.curve_digits`; the gradient
    curve takes the race's ``Readout.grad``, which the saddle sentence prints its smallest
    gradient with. ``value_title`` names the value in the tooltips (default: the column's name).
    """
    data = _thin(paths, ["label", "step", y], most=most).copy()
    # 4 significant digits, more while two runs' different last values print alike (the claims
    # rank the final f − f_min: "the lowest loss (13.2726) ... the highest (13.2729)" must not
    # sit beside two tooltips of 13.27)
    if digits is None:
        digits = curve_digits(paths, y, floor)
    # The tooltip gives the run's own value; one under the floor is drawn at it, not equal to it
    # (an excess of −8.9e-16 is round-off, not 1e-16).
    data["value"] = [
        f"below {num(floor, 6)} (drawn at {num(floor, 6)})"
        if floor is not None and v < floor
        else minus(curve_text(v, digits, bar))
        for v in data[y]
    ]
    if floor is not None:
        data[y] = data[y].clip(lower=floor)
    data = data[np.isfinite(data[y])]
    color_scale, dash_scale = optimizer_scales(paths)
    names = paths["label"].unique()
    scale_type = "log" if log_y else "symlog" if symlog_y else "linear"
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("step:Q", title="step (updates)"),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type=scale_type)),
            color=alt.Color("label:N", scale=color_scale, legend=_legend("optimizer", names)),
            strokeDash=alt.StrokeDash(
                "label:N", scale=dash_scale, legend=_legend("optimizer", names)
            ),
            tooltip=[
                alt.Tooltip("label:N", title="optimizer"),
                alt.Tooltip("step:Q"),
                alt.Tooltip("value:N", title=value_title or y),
            ],
        )
    )
    return finish(alt.layer(lines, _step_rule()), title=title, height=height)


def step_curves(lowest: float | None, grad_digits: int | None = None) -> list[dict]:
    """The ``step_lines`` under the map: loss, distance to a minimum (where the surface has one:
    ``lowest`` is its f_min, None if it is unbounded below) and gradient size (its tooltips at
    ``grad_digits``, the race's ``Readout.grad``), as keyword arguments (the frame's columns:
    excess = f − f_min)."""
    bounded = lowest is not None
    floored = "(log scale, floored at 1e-16)"
    log = {"log_y": True, "floor": LOG_FLOOR}
    if bounded:
        curves = [
            dict(
                y="excess",
                value_title="f − f_min",
                title="Loss above the lowest minimum",
                y_title=f"f(θ) − f_min {floored}",
                **log,
            ),
            dict(
                y="dist_min",
                value_title="distance to the nearest minimum",
                title="Distance to the nearest minimum",
                y_title=f"‖θ − θ*‖ {floored}",
                bar=MIN_TOL,  # beside "within 0.001 of a minimum (first time)"
                **log,
            ),
        ]
    else:
        curves = [
            dict(
                y="loss",
                value_title="f",
                # not "escaping means falling forever": a step too large blows up along the
                # rising direction first (η = 3: GD leaves the map with f = +5010; pass 44), and
                # noisy GD's kicks can too at a stable step (η = 1, σ = 50, seed 34; pass 46 d)
                title="Loss (unbounded below: an escape falls, unless too large a step or noisy "
                "GD's kicks blow a run up first)",
                y_title="f(θ) (symlog scale)",
                symlog_y=True,
            )
        ]
    grad = dict(
        y="grad_norm",
        value_title="‖∇f‖",
        title="Gradient size: it vanishes near every critical point",
        digits=grad_digits,
    )
    return [*curves, {**grad, "y_title": f"‖∇f(θ)‖ {floored}", **log}]


def _step_rule() -> alt.Chart:
    """A dashed rule at the current step (the ``CURSOR`` dataset of :func:`step_data`)."""
    return (
        alt.Chart(alt.NamedData(CURSOR))
        .mark_rule(color=MARKER_COLOR, strokeDash=[4, 3], strokeWidth=1)
        .encode(x=alt.X("step:Q"), tooltip=[alt.Tooltip("step:Q", title="current step")])
    )


def eigenvalue_lines(
    path: pd.DataFrame, *, title: str, digits: int = EIGEN_DIGITS, height: int = 260
) -> alt.LayerChart:
    """The Hessian's two eigenvalues along one optimizer's path, with zero and the current step,
    printed with ``digits`` (the race's ``Readout.eigen``).

    Both above zero: a bowl; both below: a cap; one on each side: a saddle.
    """
    data = _thin(path, ["step", "lam_min", "lam_max"], most=300).melt(
        id_vars="step", value_vars=["lam_min", "lam_max"], var_name="which", value_name="eigenvalue"
    )
    names = {"lam_min": "λ_min (smallest)", "lam_max": "λ_max (largest)"}
    data["which"] = data["which"].map(names)
    # its sign is what the chart is read for: -0.99995 is not "-1" (core.facts.num)
    data["eigenvalue_text"] = [minus(t) for t in value_texts(data["eigenvalue"], digits)]
    scale = alt.Scale(
        domain=list(names.values()), range=[OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"]]
    )
    values = data["eigenvalue"].abs()
    wide = bool(len(values) and values.max() > 50 * max(values.min(), 1e-12) and values.max() > 20)
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title="step (updates)"),
            y=alt.Y(
                "eigenvalue:Q",
                title="Hessian eigenvalue (symlog)" if wide else "Hessian eigenvalue",
                scale=alt.Scale(type="symlog" if wide else "linear"),
            ),
            color=alt.Color("which:N", scale=scale, legend=_legend("", names.values())),
            tooltip=[
                alt.Tooltip("which:N"),
                alt.Tooltip("step:Q"),
                alt.Tooltip("eigenvalue_text:N", title="eigenvalue"),
            ],
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"eigenvalue": [0.0]}))
        .mark_rule(color=MARKER_COLOR)
        .encode(y=alt.Y("eigenvalue:Q"))
    )
    return finish(alt.layer(lines, zero, _step_rule()), title=title, height=height)


def saddle_time_bars(
    summary: pd.DataFrame, *, radius: float, title: str, height: int = 300
) -> alt.Chart:
    """Updates of each optimizer that landed within ``radius`` of a saddle, nearer it than any
    minimum (``summary``: optimizer, label, steps_near_saddle, ends)."""
    color_scale, _ = optimizer_scales(summary)
    return finish(
        alt.Chart(summary)
        .mark_bar()
        .encode(
            x=alt.X(
                "steps_near_saddle:Q",
                # "near" as the table's caption defines it: not every step within r counts. In
                # lines: on one, its 90 characters squeezed the plot to nothing on a phone
                title=[
                    "steps near a saddle (count):",
                    f"within r = {num(radius, 6)} and nearer it",
                    "than any minimum or maximum",
                ],
                axis=alt.Axis(format="d", tickMinStep=1),
            ),
            y=alt.Y("label:N", title="optimizer", sort=summary["label"].tolist()),
            color=alt.Color("label:N", scale=color_scale, legend=None),
            tooltip=[
                alt.Tooltip("label:N", title="optimizer"),
                alt.Tooltip("steps_near_saddle:Q", title="steps near a saddle"),
                alt.Tooltip("ends:N", title="ends within r of"),
            ],
        ),
        title=title,
        height=height,
    )


def momentum_rate_map(
    rates: pd.DataFrame, best: dict, *, title: str, height: int = 380
) -> alt.LayerChart:
    """Heavy-ball convergence rate over (learning rate, momentum), Polyak's optimum and the setting.

    ``rates`` has lr_lo, lr_hi, m_lo, m_hi, lr, momentum, rate; ``best`` the keys of
    ``core.experiments.optimizers.momentum_optimum`` plus current_lr, current_momentum, current_rate.
    Cells where the rate is >= 1 (the run diverges) are grey.
    """
    lr_domain = [float(rates["lr_lo"].min()), float(rates["lr_hi"].max())]
    x = alt.X(
        "lr_lo:Q",
        title="learning rate η (log scale)",
        scale=alt.Scale(type="log", domain=lr_domain, nice=False),
    )
    y = alt.Y("m_lo:Q", title="momentum β", scale=alt.Scale(domain=[0, 0.99], nice=False))
    # ρ to 4 decimals, except where a converging cell would print "1.0000" (κ = 1000 has hundreds).
    # β of a cell's centre to 2 digits (a few distinct values: each printed once).
    betas = {v: num(v, 2) for v in rates["momentum"].unique()}
    rates = rates.drop(columns="momentum").assign(
        rate_text=[_rate_text(v) for v in rates["rate"]],
        momentum_text=rates["momentum"].map(betas),
    )
    tooltip = [
        alt.Tooltip(
            "lr:Q",
            format=".3g",  # plain-format: an input position (a grid cell's centre, η on x)
            title="η",
        ),
        alt.Tooltip("momentum_text:N", title="β"),
        alt.Tooltip("rate_text:N", title="rate ρ (long-run factor per step)"),
    ]
    converging = (
        alt.Chart(rates[rates["rate"] < 1])
        .mark_rect()
        .encode(
            x=x,
            x2=alt.X2("lr_hi:Q"),
            y=y,
            y2=alt.Y2("m_hi:Q"),
            color=alt.Color(
                "rate:Q",
                scale=alt.Scale(scheme="viridis", reverse=True, domain=[float(best["rate"]), 1.0]),
                legend=alt.Legend(
                    title="rate ρ (long-run factor per step)",
                    orient="bottom",
                    format=".2f",
                    titleLimit=0,
                ),
            ),
            tooltip=tooltip,
        )
    )
    diverging = (
        alt.Chart(rates[rates["rate"] >= 1])
        .mark_rect(color=OKABE_ITO["grey"], opacity=0.55)
        .encode(x=x, x2=alt.X2("lr_hi:Q"), y=y, y2=alt.Y2("m_hi:Q"), tooltip=tooltip)
    )
    lo, hi = lr_domain
    points = pd.DataFrame(
        {
            # A setting outside the map is drawn at its edge; the tooltip gives its own η.
            "lr": [best["lr"], best["gd_lr"], min(max(best["current_lr"], lo), hi)],
            "eta_text": [num(v, 3) for v in (best["lr"], best["gd_lr"], best["current_lr"])],
            "momentum": [best["momentum"], 0.0, best["current_momentum"]],
            "momentum_text": [num(v, 3) for v in (best["momentum"], 0.0, best["current_momentum"])],
            "rate": [best["rate"], best["gd_rate"], best["current_rate"]],
            "rate_text": [
                _rate_text(v) for v in (best["rate"], best["gd_rate"], best["current_rate"])
            ],
            "what": ["optimum (Polyak)", "best plain GD (β = 0)", "your momentum setting"],
        }
    )
    marks = (
        alt.Chart(points)
        .mark_point(
            size=220,
            filled=True,
            opacity=1,
            color=OKABE_ITO["vermillion"],
            stroke="white",
            strokeWidth=1,
        )
        .encode(
            x=alt.X("lr:Q", scale=alt.Scale(type="log", domain=lr_domain, nice=False)),
            y=alt.Y("momentum:Q", scale=alt.Scale(domain=[0, 0.99], nice=False)),
            shape=alt.Shape(
                "what:N",
                scale=alt.Scale(
                    domain=points["what"].tolist(), range=["diamond", "square", "circle"]
                ),
                legend=_legend("", points["what"], 1),
            ),
            tooltip=[
                alt.Tooltip("what:N"),
                alt.Tooltip("eta_text:N", title="η"),
                # Polyak's β at κ = 1.1 is 0.00057: ".2f" would print the plain-GD "0.00"
                alt.Tooltip("momentum_text:N", title="β"),
                alt.Tooltip("rate_text:N", title="rate ρ"),
            ],
        )
    )
    chart = alt.layer(converging, diverging, marks)
    return finish(chart, title=title, height=height, usermeta=CANVAS)


def _rate_text(rate: float) -> str:
    """ρ to 4 decimals; a rate below 1 that would print "1.0000" prints as 1 − (its gap)
    (:func:`core.facts.inside_unit`); more where the last would be a 5 that rounding up made,
    which the momentum sentence's ρ at 3 digits would contradict (Polyak's 0.5194939 at κ = 10
    printed "0.5195" beside the sentence's "0.519"; audit pass 41)."""
    return inside_unit(rate, 4)


def _excess_text(excess: float, tol: float, digits: int = 3) -> str:
    """f − f_min to ``digits`` digits; within ±tol it can be float round-off of f (−4.44e-16
    on the monkey saddle), so it prints as 0 to that tolerance."""
    if abs(excess) <= tol:
        return f"≈ 0 (±{up(tol, 2)})"
    # never a 5 that rounding up made, beside the loss chart's tooltips at more digits
    return curve_text(excess, digits)


def race_table(
    summary: pd.DataFrame, *, radius: float, saddles: int | bool, minima: bool
) -> pd.DataFrame:
    """The race's summary as the page shows it: one row per optimizer, headers that say what
    each number is (``summary``: the rows of ``Result.summary`` to show; ``saddles``: how many
    the surface has, True for one)."""
    r = num(radius, 6)
    # negative coordinates with the minus sign, as the sentences print them: "minimum (0, −1)"
    ends = (summary["ends"] + " " + summary["ends_at"]).str.strip().map(minus)
    table = {"optimizer": summary["label"].astype(str)}
    if saddles:
        table[f"steps near a saddle (r = {r})"] = summary["steps_near_saddle"]
        # A run near a saddle at its last point on the map whose next step left the map (or came
        # out as no number) has no escape step, but it did not stay: "never left" would be false.
        table[escape_header(saddles)] = [_escape_text(row) for _, row in summary.iterrows()]
    if minima:
        table["within 0.001 of a minimum at step"] = summary["reached_min_at"].map(_step)
    table[f"ends within r = {r} of"] = ends
    if minima:
        # The claims' tolerance for a tie at the minimum (f_min = final f − (f − f_min)).
        lowest = float((summary["final_loss"] - summary["excess_loss"]).median())
        tol = LOSS_TIE * max(1.0, abs(lowest))
        d = ranked_excess_digits(summary, tol)
        table["final f − f_min"] = [_excess_text(v, tol, d) for v in summary["excess_loss"]]
        # printed apart from 0.001: beside the "within 0.001" column a distance of 0.0010004
        # must not print as "0.001"; and apart from r, beside "ends within r of" (0.80044 is not
        # "0.8" for a run that ends elsewhere at r = 0.8)
        table["distance to nearest minimum"] = summary["dist_min"].map(
            lambda v: distance_text(float(v), radius=radius)
        )
    else:
        table["final f"] = summary["final_loss"].map(lambda v: minus(curve_text(float(v), 4)))
    table["diverged"] = summary["diverged"]
    return pd.DataFrame(table).reset_index(drop=True)


def escape_header(saddles: int | bool) -> str:
    """The race table's escape column: on a surface with several saddles "the saddle" is the last
    one a run was near (Himmelblau: momentum left (−0.128, −1.95) for good at step 16 and ended
    near (3.39, 0.0739), a "—" under "left the saddle for good"; audit pass 58)."""
    if int(saddles) > 1:
        return "left the last saddle it was near for good at step"
    return "left the saddle for good at step"


def _escape_text(row) -> str:
    """The step a run left the saddle for good, or how a run that was near one at its last point
    on the map then stopped."""
    ran_off = ran_off_from_saddle(row)
    if not np.isnan(ran_off):
        return f"{int(ran_off)} (ran off the map)"
    been_near = row["steps_near_saddle"] > 0 or row["started_near"]
    if np.isnan(row["escape_step"]) and been_near and row["reason"] == "non-finite":
        return f"— (stopped at {int(row['steps_run']) + 1}: its step came out as no number)"
    return _step(row["escape_step"])


def _step(value: float) -> str:
    return "—" if np.isnan(value) else str(int(value))  # a step number


def _tex(value: float, digits: int = 3) -> str:
    """A number for the panel's LaTeX: :func:`core.facts.num` (never a fraction printed as a
    whole number: an eigenvalue of -0.99995 is not "-1"), powers of ten written out, −0.0 as 0."""
    mantissa, _, exponent = num(float(value) + 0.0, digits).partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def _tex_text(text: str) -> str:
    """A printed number for the panel's LaTeX, powers of ten written out (as :func:`_tex`)."""
    mantissa, _, exponent = text.partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def hessian_latex(here, eigenvalues, digits: Readout) -> list[str]:
    """The gradient, the Hessian and its eigenvalues at one point (a row of ``Result.paths``),
    one formula per line for a narrow column; ‖∇f‖ and the eigenvalues with the race's
    ``digits`` (:func:`claims.readout`), as the panel's sentence and the charts print them."""
    # Digits are added until what a reader computes from the printed entries is what is printed
    # beside them: ‖∇f‖ (in the panel's sentence) from ∇f, the eigenvalues from H. On Rosenbrock
    # H = (1.35e+03, 538; 538, 200) at 3 digits has eigenvalues -12.4 and 1.55e+03, not -12.1.
    norm = grad_text(math.hypot(here["gx"], here["gy"]), digits.grad)  # the run's grad_norm
    # ∇f at the coordinates' count at least, zeros kept (claims.coordinates_text): on the
    # quadratic saddle ∇f_x = x, printed "9.68 × 10⁻⁶" beside θ = (9.682e-06, …) (audit pass 67 f)
    for d in range(4, 18):
        entries = alike(float(here["gx"]) + 0.0, float(here["gy"]) + 0.0, digits=d)
        if agrees(norm, Decimal(math.hypot(*(float(t) for t in entries)))):
            break
    g = rf"\nabla f = \big({_tex_text(entries[0])},\ {_tex_text(entries[1])}\big)"
    lam = eigenvalues
    # as the eigenvalue chart's tooltips and the panel's sentence print them, zeros kept
    # (claims.path_eigen_text: "λ₁ = −0.25" beside a tooltip of −0.2500; audit pass 71 f)
    shown = [
        path_eigen_text(float(v) + 0.0, digits.eigen).replace("−", "-").replace(",", "")
        if v
        else "0"
        for v in lam
    ]
    for d in range(3, 18):
        hxx, hxy, hyy = (float(num(float(here[k]), d)) for k in ("hxx", "hxy", "hyy"))
        printed = np.linalg.eigvalsh(np.array([[hxx, hxy], [hxy, hyy]]))
        if all(agrees(t, Decimal(float(v))) for t, v in zip(shown, printed, strict=True)):
            break
    h = (
        rf"H = \begin{{pmatrix}} {_tex(here['hxx'], d)} & {_tex(here['hxy'], d)} \\ "
        rf"{_tex(here['hxy'], d)} & {_tex(here['hyy'], d)} \end{{pmatrix}}"
    )
    e = (
        rf"\text{{eigenvalues: }} \lambda_1 = {_tex_text(shown[0])},\ "
        rf"\lambda_2 = {_tex_text(shown[1])}"
    )
    return [g, h, e]
