"""Charts for the network depth lesson: the cross-validated grid, criteria, boundaries and 1-D fits."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.network_depth.claims import (
    criterion_places,
    cv_places,
    cv_se_text,
    gain_text,
    rel_mse_texts,
)
from core.facts import agrees, decimals, inside_unit, probability
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, _legend, color_scale, finish

_OI = OKABE_ITO
# Sequential ramp for accuracy (light = poor, dark blue = good) and a diverging one for
# P(class 1) whose ends match the class colors of the points.
ACCURACY_RANGE = ["#F2F2F2", _OI["blue"]]
CLASS_COLORS = {"class 0": _OI["vermillion"], "class 1": _OI["blue"]}
CRITERION_COLORS = {"AIC": _OI["orange"], "BIC": _OI["reddish_purple"]}
UA_COLORS = {
    "target": _OI["black"],
    "one wide layer": _OI["orange"],
    "one wide layer, spread bends": _OI["reddish_purple"],
    "deep and narrow": _OI["blue"],
    "hand-set weights": _OI["bluish_green"],
}


NO_HIDDEN = "none (no hidden layer)"


def width_texts(frame: pd.DataFrame) -> list[str]:
    """The width of each row's net as the page prints it: a net without hidden layers has no
    width, whichever width row of the grid it was read from (the default page's picks table
    printed BIC's logistic regression, k = 3, as "depth 0, width 2", audit pass 41)."""
    return [
        NO_HIDDEN if int(d) == 0 else str(int(w))
        for d, w in zip(frame["depth"], frame["width"], strict=True)
    ]


def _sd_text(se: float, folds: int, places: int = 3) -> str:
    """The sample standard deviation se·√folds with 4 decimals, more until the printed standard
    error (``places`` decimals) is what a reader gets from it (0.0892/√3 = 0.0515 is not "± 0.052")."""
    sd, shown = se * np.sqrt(folds), cv_se_text(se, places)
    for d in range(max(4, places + 1), 17):
        text = decimals(sd, d)
        if agrees(shown, Decimal(text) / Decimal(folds).sqrt()):
            break
    return text


def fit_time_text(ms: float) -> str:
    """A measured fit time as the heatmap's and the fit-time chart's tooltips print it: "about",
    2 significant digits, in ms below a second (the unit chosen on the rounded value). A wall
    time moves by tens of percent between two runs of one setting and far more on a loaded
    machine, so more digits are noise: the tooltips printed decimals(ms, 1), "4,870.0" ms at
    epochs 400, n 600, widths 4, 16, 64 (audit pass 62 a)."""
    value = Decimal(repr(float(ms)))
    rounded = value.quantize(Decimal(1).scaleb(value.adjusted() - 1), rounding=ROUND_HALF_UP)
    if rounded < 1000:
        return f"about {format(rounded.normalize(), 'f')} ms"
    seconds = value / 1000
    rounded = seconds.quantize(Decimal(1).scaleb(seconds.adjusted() - 1), rounding=ROUND_HALF_UP)
    return f"about {format(rounded.normalize(), 'f')} s"


def _width_label(grid: pd.DataFrame) -> pd.DataFrame:
    return grid.assign(net=grid["width"].map(lambda w: f"width {w}"))


def score_heatmap(
    grid: pd.DataFrame, *, folds: int, places: int | None = None, title=None
) -> alt.LayerChart:
    """Mean cross-validated accuracy per (depth, width) cell, labelled with mean ± standard error
    with ``places`` decimals (the page's :func:`cv_places`; by default the grid's own)."""
    places = cv_places(grid) if places is None else places
    data = grid.assign(
        label=[f"{decimals(m, places)}\n± {cv_se_text(s, places)}" for m, s in zip(grid["cv_mean"], grid["cv_se"], strict=True)],
        se_text=grid["cv_se"].map(lambda s: cv_se_text(s, places)),
        dark=grid["cv_mean"] > grid["cv_mean"].min() + 0.6 * (grid["cv_mean"].max() - grid["cv_mean"].min()),
        # the sample standard deviation (ddof 1), of which the standard error is 1/√folds as the
        # caption says (cv_std is the population one: 0.023 beside an SE of 0.012 at 5 folds)
        cv_sd=[_sd_text(s, folds, places) for s in grid["cv_se"]],
        train_text=grid["cv_train_mean"].map(inside_unit),
        cv_text=grid["cv_mean"].map(lambda m: decimals(m, places)),  # as the cell's label prints it
        fit_text=grid["fit_ms"].map(fit_time_text),
    )  # fmt: skip
    # white text on the dark end of the ramp, black elsewhere
    data["text_color"] = np.where(data["dark"], "white", MARKER_COLOR)
    widths = sorted(data["width"].unique(), reverse=True)
    x = alt.X("depth:O", title="hidden layers (depth)", axis=alt.Axis(labelAngle=0))
    y = alt.Y("width:O", title="units per hidden layer (width)", sort=widths)
    tooltip = [
        alt.Tooltip("hidden:N", title="hidden layers"),
        alt.Tooltip("n_params:Q", title="parameters", format=","),
        alt.Tooltip("cv_text:N", title=f"{folds}-fold CV accuracy"),
        alt.Tooltip("se_text:N", title="standard error of the mean"),
        alt.Tooltip("cv_sd:N", title="sample standard deviation over folds"),
        alt.Tooltip("train_text:N", title="training-fold accuracy"),
        alt.Tooltip("fit_text:N", title="median fit time per fold"),
    ]
    rect = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x,
            y,
            color=alt.Color(
                "cv_mean:Q",
                title=f"{folds}-fold CV accuracy",
                scale=alt.Scale(range=ACCURACY_RANGE),
                legend=alt.Legend(orient="right", format=".2f"),
            ),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(fontSize=11, lineBreak="\n")  # two short lines fit a phone's narrow cells
        .encode(
            x,
            y,
            text=alt.Text("label:N"),
            color=alt.Color("text_color:N", scale=None),
            tooltip=tooltip,
        )
    )
    # short titles with a subtitle: a phone cuts a title after about 40 characters
    title = title or alt.TitleParams(
        f"{folds}-fold CV accuracy by depth and width",
        subtitle="each cell: mean ± standard error over the folds",
    )
    # the labels' literal colors must not share the cells' accuracy scale
    chart = alt.layer(rect, text).resolve_scale(color="independent")
    return finish(chart, title=title, height=60 + 48 * len(widths))


def depth_curve(
    curve: pd.DataFrame,
    *,
    width: int,
    grow_depth: int,
    bar: float | None = None,
    places: int = 3,
) -> alt.LayerChart:
    """Training-fold and validation accuracy against depth at one width, ± one standard error
    band, the one-standard-error bar (best mean minus its SE) and the grow rule's kept depth;
    validation accuracies printed with ``places`` decimals (:func:`cv_places`), training-fold
    accuracies as the heatmap's tooltip and the sentences print them (:func:`inside_unit`, 3
    decimals: "deeper nets reach up to 0.986" is not beside a tooltip 0.9865)."""
    names = ["train", "validation"]
    scale = alt.Scale(domain=names, range=[COLORS[n] for n in names])
    x = alt.X("depth:Q", title="hidden layers (depth)", axis=alt.Axis(tickMinStep=1, format="d"))
    y = alt.Y("accuracy:Q", title="accuracy (fraction correct)", scale=alt.Scale(zero=False))
    band = (
        alt.Chart(curve[curve["split"] == "validation"])
        .mark_area(opacity=0.2, color=COLORS["validation"])
        .encode(x, alt.Y("low:Q", title="accuracy (fraction correct)"), y2=alt.Y2("high:Q"))
    )
    lines = (
        alt.Chart(
            curve.assign(
                accuracy_text=[
                    inside_unit(a, places if split == "validation" else 3)
                    for a, split in zip(curve["accuracy"], curve["split"], strict=True)
                ]
            )
        )
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True), strokeWidth=2)
        .encode(
            x,
            y,
            color=alt.Color("split:N", scale=scale, legend=_legend("")),
            tooltip=[
                alt.Tooltip("split:N"),
                alt.Tooltip("depth:Q"),
                alt.Tooltip("accuracy_text:N", title="accuracy"),
            ],
        )
    )
    pick = pd.DataFrame({"depth": [grow_depth], "label": [f"grow rule keeps {grow_depth}"]})
    rule = (
        alt.Chart(pick).mark_rule(color=MARKER_COLOR, strokeDash=[6, 3]).encode(x=alt.X("depth:Q"))
    )
    last = grow_depth >= curve["depth"].max()  # label the deepest depth on the rule's left
    # at the foot of the plot: accuracy curves rise with depth and reach its top
    text = (
        alt.Chart(pick)
        .mark_text(
            align="right" if last else "left",
            baseline="bottom",
            dx=-4 if last else 4,
            dy=-4,
            color=MARKER_COLOR,
        )
        .encode(x=alt.X("depth:Q"), y=alt.YValue("height"), text=alt.Text("label:N"))
    )
    layers = [band, lines, rule, text]
    if bar is not None:
        level = pd.DataFrame({"accuracy": [bar], "label": ["best − 1 SE"]})
        layers.append(
            alt.Chart(level)
            .mark_rule(color=COLORS["validation"], strokeDash=[2, 2])
            .encode(y=alt.Y("accuracy:Q"))
        )
        layers.append(
            alt.Chart(level)
            # at the shallow end, where the curves usually lie below the bar
            .mark_text(align="left", baseline="bottom", dx=4, dy=-2, color=COLORS["validation"])
            .encode(x=alt.XValue(0), y=alt.Y("accuracy:Q"), text=alt.Text("label:N"))
        )
    return finish(
        alt.layer(*layers),
        title=alt.TitleParams(
            f"Accuracy against depth at width {width}",
            subtitle="band: ± 1 standard error of the mean",
        ),
        height=300,
    )


def _per_width_lines(
    grid, *, y: str, text, y_title: str, title: str, log_y: bool, tip: str
) -> alt.Chart:
    """``y`` against parameter count, one line per width; ``text`` prints a ``y`` for the tooltip
    (as the grid's tooltip prints it)."""
    data = _width_label(grid)
    data[f"{y}_text"] = data[y].map(text)
    names = list(dict.fromkeys(data.sort_values("width")["net"]))
    return finish(
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True), strokeWidth=2)
        .encode(
            x=alt.X("n_params:Q", title="trainable parameters (log scale)", scale=alt.Scale(type="log")),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type="log" if log_y else "linear", zero=False)),
            color=alt.Color("net:N", scale=color_scale(names), legend=_legend("")),
            order=alt.Order("depth:Q"),
            tooltip=[
                alt.Tooltip("net:N"),
                alt.Tooltip("depth:Q", title="hidden layers"),
                alt.Tooltip("n_params:Q", title="parameters", format=","),
                alt.Tooltip(f"{y}_text:N", title=tip),  # not the column's name (cv_mean, fit_ms)
            ],
        ),
        title=title,
        height=280,
    )  # fmt: skip


def score_vs_params(grid: pd.DataFrame, places: int | None = None) -> alt.Chart:
    """CV accuracy against parameter count, one line per width through depths 0, 1, 2, ...
    (printed with the heatmap's ``places`` decimals, :func:`cv_places`)."""
    places = cv_places(grid) if places is None else places
    return _per_width_lines(
        grid,
        y="cv_mean",
        text=lambda m: decimals(m, places),
        y_title="CV accuracy (fraction correct)",
        title="CV accuracy against parameter count",
        log_y=False,
        tip="mean CV accuracy",
    )


def time_vs_params(grid: pd.DataFrame) -> alt.Chart:
    """Fit time per fold against parameter count, one line per width."""
    return _per_width_lines(
        grid,
        y="fit_ms",
        text=fit_time_text,
        y_title="median fit time per fold (ms, log scale)",
        title="Fit time per fold against parameters",
        log_y=True,
        tip="median fit time per fold",
    )


def criteria_chart(criteria: pd.DataFrame, cv_pick_params: int) -> alt.LayerChart:
    """AIC and BIC of every distinct model against its parameter count; the CV pick as a rule."""
    names = ["AIC", "BIC"]
    scale = alt.Scale(domain=names, range=[CRITERION_COLORS[n] for n in names])
    # each criterion's pick (its lowest value) prints below every other model's
    places = criterion_places(criteria)
    data = criteria.assign(
        hidden=[
            NO_HIDDEN if int(d) == 0 else f"{w} × {d}"
            for w, d in zip(criteria["width"], criteria["depth"], strict=True)
        ],
        value_text=criteria["value"].map(lambda v: decimals(v, places)),
    )
    points = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True), strokeWidth=1.5)
        .encode(
            x=alt.X("n_params:Q", title="trainable parameters k (log scale)", scale=alt.Scale(type="log")),
            y=alt.Y("value:Q", title="criterion value (lower is better, log scale)", scale=alt.Scale(type="log")),
            color=alt.Color("criterion:N", scale=scale, legend=_legend("")),
            order=alt.Order("n_params:Q"),
            tooltip=[
                alt.Tooltip("criterion:N"),
                alt.Tooltip("hidden:N", title="width × depth"),
                alt.Tooltip("n_params:Q", title="k", format=","),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )  # fmt: skip
    pick = pd.DataFrame({"n_params": [cv_pick_params], "label": ["cross-validation's pick"]})
    rule = (
        alt.Chart(pick)
        .mark_rule(color=MARKER_COLOR, strokeDash=[6, 3])
        .encode(x=alt.X("n_params:Q"))
    )
    text = (
        alt.Chart(pick)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color=MARKER_COLOR)
        .encode(x=alt.X("n_params:Q"), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    return finish(
        alt.layer(points, rule, text),
        title=alt.TitleParams(
            "AIC and BIC of every model in the grid",
            subtitle="AIC = 2k − 2 ln L,  BIC = k ln n − 2 ln L",
        ),
        height=300,
    )


def boundary_panel(
    cells: pd.DataFrame, points: pd.DataFrame, *, title: str, height: int = 220
) -> alt.LayerChart:
    """P(class 1) of one model over the plane (rectangles) with the training points on top.

    Both legends sit below the plot: the shading's ramp (0 to 1, white at the boundary) and the
    classes' colors, so every panel can be read on its own (a phone shows one per row).
    """
    x_dom = [float(cells["x1"].min()), float(cells["x1_end"].max())]
    y_dom = [float(cells["x2"].min()), float(cells["x2_end"].max())]
    cells = cells.assign(p_text=cells["p"].map(probability))
    heat = (
        alt.Chart(cells)
        .mark_rect(opacity=0.55)
        .encode(
            x=alt.X("x1:Q", title="x₁", scale=alt.Scale(domain=x_dom, nice=False)),
            x2=alt.X2("x1_end:Q"),
            y=alt.Y("x2:Q", title="x₂", scale=alt.Scale(domain=y_dom, nice=False)),
            y2=alt.Y2("x2_end:Q"),
            color=alt.Color(
                "p:Q",
                title="P(class 1)",
                scale=alt.Scale(
                    domain=[0, 0.5, 1],
                    range=[CLASS_COLORS["class 0"], "#FFFFFF", CLASS_COLORS["class 1"]],
                ),
                legend=alt.Legend(
                    orient="bottom", direction="horizontal", gradientLength=90, values=[0, 0.5, 1]
                ),
            ),
            tooltip=[alt.Tooltip("p_text:N", title="P(class 1)")],
        )
    )
    names = list(CLASS_COLORS)
    dots = (
        alt.Chart(points)
        .mark_circle(size=14, opacity=0.9, stroke=MARKER_COLOR, strokeWidth=0.3)
        .encode(
            x=alt.X("x1:Q"),
            y=alt.Y("x2:Q"),
            color=alt.Color(
                "label:N",
                scale=alt.Scale(domain=names, range=[CLASS_COLORS[n] for n in names]),
                # "class 0" -> "0": both legends fit under a third of a desktop page
                legend=alt.Legend(
                    title="points: class",
                    orient="bottom",
                    direction="horizontal",
                    labelExpr="replace(datum.label, 'class ', '')",
                ),
            ),
        )
    )
    # the probability ramp and the class colors are two different scales
    chart = alt.layer(heat, dots).resolve_scale(color="independent")
    return finish(chart, title=title, height=height)


def ua_fits(curves: pd.DataFrame, *, title: str, subtitle: str = "") -> alt.Chart:
    """The 1-D target and each network's output on [0, 1]."""
    names = [n for n in UA_COLORS if n in set(curves["model"])]
    dash = alt.StrokeDash(
        "model:N",
        scale=alt.Scale(domain=names, range=[[1, 0] if n != "hand-set weights" else [6, 3] for n in names]),
        legend=None,
    )  # fmt: skip
    chart = (
        alt.Chart(curves.assign(y_text=curves["y"].map(lambda v: decimals(v, 3))))
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("x:Q", title="input x"),
            y=alt.Y("y:Q", title="output f(x)"),
            color=alt.Color(
                "model:N",
                scale=alt.Scale(domain=names, range=[UA_COLORS[n] for n in names]),
                # one column: two of these long names side by side overflow a phone
                legend=alt.Legend(title=None, orient="bottom", columns=1, labelLimit=0),
            ),
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip(
                    "x:Q",
                    format=".3f",  # plain-format: an input position (the input x on the x axis)
                ),
                alt.Tooltip("y_text:N", title="y"),
            ],
        )
    )
    return finish(chart, title=alt.TitleParams(title, subtitle=subtitle), height=320)


def pieces_chart(summary: pd.DataFrame, target_pieces: float | None) -> alt.LayerChart:
    """Linear pieces each ReLU net draws on [0, 1], with the target's count as a rule."""
    names = list(summary["model"])
    # the one-layer bound (width + 1) as text: a deep net has none (NaN, which a quantitative
    # tooltip would print as "null")
    data = summary[["model", "n_params", "pieces"]].assign(
        max_text=["not one layer" if np.isnan(v) else str(int(v)) for v in summary["max_pieces"]]
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("pieces:Q", title="linear pieces on [0, 1] (count)"),
            y=alt.Y("model:N", title="network", sort=names, axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "model:N",
                scale=alt.Scale(domain=names, range=[UA_COLORS[n] for n in names]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("model:N"),
                alt.Tooltip("n_params:Q", title="parameters"),
                alt.Tooltip("pieces:Q", title="pieces"),
                alt.Tooltip("max_text:N", title="max for one layer (width + 1)"),
            ],
        )
    )
    layers = [bars]
    if target_pieces:
        ref = pd.DataFrame({"pieces": [target_pieces], "label": [f"target: {int(target_pieces)}"]})
        layers.append(
            alt.Chart(ref)
            .mark_rule(color=MARKER_COLOR, strokeDash=[6, 3])
            .encode(x=alt.X("pieces:Q"))
        )
        layers.append(
            alt.Chart(ref)
            .mark_text(align="left", baseline="top", dx=4, dy=2, color=MARKER_COLOR)
            .encode(x=alt.X("pieces:Q"), y=alt.YValue(0), text=alt.Text("label:N"))
        )
    return finish(
        alt.layer(*layers),
        title="Linear pieces on [0, 1] per ReLU net",
        height=60 + 40 * len(names),
    )


# ---- tables the page shows next to the charts ----------------------------------------------------


def grow_table(grow: pd.DataFrame, tolerance: float | None = None, places: int = 3) -> pd.DataFrame:
    """The grow rule's trace with readable column names and signed gains (printed on the same
    side of ``tolerance`` as they are, when it is given, with ``places`` decimals or 4 if more:
    :func:`gain_text`, as the sentences print them). The CV accuracies print as the heatmap's
    cells (``places`` decimals): each gain is the difference of the unrounded means, which the
    page says (``GAINS_UNROUNDED``), not of the printed ones. Printing the means until every
    gain was their printed difference took 9 folds' repeating decimals to 16 and 17 places,
    float64's summation among them (audit pass 61 d)."""
    gain = [gain_text(float(g), tolerance, places) for g in grow["gain"]]
    cv = [decimals(float(v), places) for v in grow["cv_mean"]]
    return grow.assign(cv_mean=cv, gain=gain).rename(
        columns={"cv_mean": "CV accuracy", "gain": "gain vs kept depth"}
    )


def ua_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The 1-D nets: widths, parameters, relative error, pieces drawn and one layer's maximum."""
    table = summary[["model", "hidden", "n_params", "rel_mse", "pieces", "max_pieces"]]
    return table.assign(
        hidden=table["hidden"].map(lambda h: " × ".join(map(str, h))),
        # the sentences' texts (rel_mse_texts): the nets' errors at one count of significant
        # digits, an exact fit (the hand-set net's 0) "0"
        rel_mse=table["model"].map(rel_mse_texts(summary)),
        max_pieces=table["max_pieces"].map(lambda v: "" if np.isnan(v) else str(int(v))),
    ).rename(
        columns={
            "hidden": "hidden widths",
            "rel_mse": "MSE / Var(target)",
            "n_params": "parameters",
            "max_pieces": "most pieces possible with one layer (w + 1)",
        }
    )
