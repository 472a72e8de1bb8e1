"""Charts for the trees lesson: error against depth and trees, bias and variance, boundaries, fit time."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from core import ensembles as ens
from core.experiments.trees.claims import (
    decomposition_places,
    decomposition_total,
    log_loss_text,
    test_error_places,
    test_error_texts,
    timing,
)
from core.facts import decimals, probability
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, STACKED_LEGENDS, _legend, finish, title_lines

# Short names where a legend combines the model with a setting.
SHORT_LABELS = {
    "single_tree": "tree",
    "random_forest": "forest",
    "gradient_boosting": "boosting",
    "hist_gradient_boosting": "HistGradientBoosting",
}
MODEL_LABELS = {
    "single_tree": "single tree",
    "random_forest": "random forest (scikit-learn)",
    "gradient_boosting": "gradient boosting (LightGBM)",
    "hist_gradient_boosting": "HistGradientBoosting (scikit-learn)",
}
COMPONENT_LABELS = {"bias_sq": "bias²", "variance": "variance", "noise": "noise"}
CLASS_COLORS = [OKABE_ITO["blue"], OKABE_ITO["orange"]]
METRIC_TITLES = {"error": "misclassification rate", "log_loss": "log loss"}


def metric_texts(values, metric: str, places=3) -> list[str]:
    """Tooltip text of a measure: a misclassification rate (a share of at least tens of rows)
    to ``places`` decimals (3, or one per value) with halves up (15 of 240 is "0.063", where
    float formatting can print "0.062"); a log loss to 3 significant digits (1e-05 would be
    "0.000" at 3 decimals)."""
    if metric == "error":
        each = places if isinstance(places, list | pd.Series) else [places] * len(values)
        return [decimals(float(v), int(p)) for v, p in zip(values, each, strict=True)]
    return [log_loss_text(float(v)) for v in values]


def _test_places(models, summary: pd.DataFrame | None, n_test: int | None) -> list[int]:
    """Decimals of each row's test misclassification rate: its model's, as the best-depths
    sentence and the error chart print that model's test errors (claims.test_error_places), or 3
    without ``summary`` and ``n_test``."""
    if summary is None or n_test is None:
        return [3] * len(models)
    places = test_error_places(summary, n_test)
    return [places.get(m, 3) for m in models]


def _se_text(se: float) -> str:
    """A test error's standard error as its tooltip prints it: 3 decimals, halves up, more
    where it would print as 0; blank without one (NaN)."""
    return decimals(float(se), 3) if pd.notna(se) else ""


def _test_texts(summary: pd.DataFrame, n_test: int | None) -> dict | None:
    """(model, depth) -> (test error, SE) texts as the best-depths sentence prints them; None
    without ``n_test``."""
    if n_test is None:
        return None
    out = {}
    for model, part in summary.groupby("model", sort=False):
        for depth, pair in test_error_texts(part, n_test, summary)[2].items():
            out[model, depth] = pair
    return out


def _time_texts(seconds: float, trees: int) -> tuple[str, str]:
    """The time for all ``trees`` and per tree, each as the sentence prints a measured time
    (:func:`core.experiments.trees.claims.timing`: "about", 2 significant digits). The
    seconds once got digits until the printed per-tree time was the printed total over the
    count, which printed a wall-clock time as "0.0157949" s (audit pass 56 h)."""
    return timing(seconds), timing(seconds / trees)


def model_label(name: str) -> str:
    """The legend name of a model key."""
    return MODEL_LABELS.get(name, name)


def _sentence(text: str) -> str:
    """First letter upper case, the rest untouched (str.capitalize would write 'lightgbm')."""
    return text[:1].upper() + text[1:]


def _model_scale(names) -> alt.Scale:
    """Colors fixed by model (COLORS keys), with the readable labels as the domain."""
    names = list(dict.fromkeys(names))
    return alt.Scale(domain=[model_label(n) for n in names], range=[COLORS[n] for n in names])


def _depth_order(df: pd.DataFrame) -> list[str]:
    """Depth labels from shallow to deep ('unlimited', stored as -1, last)."""
    pairs = df[["max_depth", "depth"]].drop_duplicates()
    ranks = pairs["max_depth"].where(pairs["max_depth"] >= 0, np.iinfo(np.int32).max)
    return pairs.assign(_r=ranks).sort_values("_r")["depth"].tolist()


def _depth_axis(df: pd.DataFrame, title: str = "max depth (levels; 'unlimited' = grown out)"):
    return alt.X("depth:O", sort=_depth_order(df), title=title, axis=alt.Axis(labelAngle=0))


def _with_labels(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(model_name=df["model"].map(model_label))


def error_vs_depth(
    summary: pd.DataFrame,
    best: pd.DataFrame,
    *,
    error_title: str = "error (misclassification rate)",
    n_test: int | None = None,
) -> alt.LayerChart:
    """Train (dashed) and test (solid) error against max depth per model, test errors with
    ± one standard error bars; each model's one-standard-error choice of depth marked.

    With ``n_test`` every tooltip prints a model's test errors and standard errors as the
    best-depths sentence does (:func:`core.experiments.trees.claims.test_error_texts`): one number
    of decimals per model, at which each printed SE is √(e(1 − e)/n) of its printed e and every
    printed error sorts against the printed lowest + SE as the within-one-SE list says."""
    long = _with_labels(summary).melt(
        id_vars=["model", "model_name", "max_depth", "depth"],
        value_vars=["train_error", "test_error"],
        var_name="split",
        value_name="error",
    )
    long["split"] = long["split"].str.replace("_error", "")
    long["error_text"] = metric_texts(long["error"], "error")
    texts = _test_texts(summary, n_test)
    if texts is not None:
        test = long["split"] == "test"
        long.loc[test, "error_text"] = [
            texts[m, d][0]
            for m, d in zip(long.loc[test, "model"], long.loc[test, "max_depth"], strict=True)
        ]
    scale = _model_scale(summary["model"])
    color = alt.Color("model_name:N", scale=scale, legend=_legend(""))
    x = _depth_axis(summary)
    tooltip = [
        alt.Tooltip("model_name:N", title="model"),
        alt.Tooltip("depth:N"),
        alt.Tooltip("split:N"),
        alt.Tooltip("error_text:N", title="error"),
    ]
    y = alt.Y("error:Q", title=error_title)
    # Lines and points in separate layers, so the split legend shows solid and dashed strokes.
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash(
                "split:N",
                scale=alt.Scale(domain=["test", "train"], range=[[1, 0], [5, 4]]),
                legend=alt.Legend(title="split", orient="bottom", symbolType="stroke"),
            ),
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart(long)
        .mark_circle(size=40, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    bounds = _with_labels(summary).assign(
        low=summary["test_error"] - summary["test_se"],
        high=summary["test_error"] + summary["test_se"],
        error_text=[decimals(e, 3) for e in summary["test_error"]],
        se_text=[_se_text(se) for se in summary["test_se"]],
    )
    if texts is not None:  # the digits the best-depths sentence prints
        bounds[["error_text", "se_text"]] = [
            list(texts[m, d]) for m, d in zip(summary["model"], summary["max_depth"], strict=True)
        ]
    bars = (
        alt.Chart(bounds)
        .mark_rule(strokeWidth=1.5, opacity=0.7)
        .encode(
            x=x,
            y=alt.Y("low:Q"),
            y2=alt.Y2("high:Q"),
            color=alt.Color("model_name:N", scale=scale, legend=None),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("depth:N"),
                alt.Tooltip("error_text:N", title="test error"),
                alt.Tooltip("se_text:N", title="standard error"),
            ],
        )
    )
    marks = _with_labels(best).assign(label=lambda d: "one-SE choice: depth " + d["depth"])
    star = (
        alt.Chart(marks)
        .mark_point(shape="diamond", size=260, filled=False, strokeWidth=2.5)
        .encode(x=x, y=alt.Y("test_error:Q"), color=alt.Color("model_name:N", scale=scale))
    )
    text = (
        alt.Chart(marks)
        .mark_text(dy=-16, fontWeight="bold")
        .encode(
            x=x,
            y=alt.Y("test_error:Q"),
            text=alt.Text("label:N"),
            color=alt.Color("model_name:N", scale=scale, legend=None),
        )
    )
    return finish(
        alt.layer(lines, dots, bars, star, text),
        title="Train and test error against max depth",
        height=360,
    )


def error_vs_trees(
    staged: pd.DataFrame,
    *,
    depths: tuple[int, int],
    metric: str = "error",
    summary: pd.DataFrame | None = None,
    n_test: int | None = None,
):
    """A test measure against the number of trees, per model, at a shallow and a deep setting.

    ``metric`` is "error" (misclassification rate) or "log_loss" (drawn on a log scale). With
    ``summary`` and ``n_test`` a test error prints with its model's decimals in the error chart.
    """
    data = staged[staged["max_depth"].isin(depths)]
    order = _depth_order(data)
    data = data.assign(
        series=data["model"].map(SHORT_LABELS) + ", depth " + data["depth"],
        test_text=metric_texts(
            data[f"test_{metric}"], metric, _test_places(list(data["model"]), summary, n_test)
        ),
        train_text=metric_texts(data[f"train_{metric}"], metric),
    )
    series = [f"{SHORT_LABELS[m]}, depth {d}" for m in dict.fromkeys(data["model"]) for d in order]
    colors = [COLORS[m] for m in dict.fromkeys(data["model"]) for _ in order]
    dashes = [
        [5, 4] if i == 0 else [1, 0]
        for _ in dict.fromkeys(data["model"])
        for i in range(len(order))
    ]
    legend = alt.Legend(title="", orient="bottom", labelLimit=0, columns=2, symbolStrokeWidth=2.5)
    column = f"test_{metric}"
    log_y = metric == "log_loss"
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            # boosting's count is its rounds: one tree per class each round beyond two classes
            x=alt.X(
                "n_trees:Q",
                scale=alt.Scale(type="log"),
                title="number of trees (boosting: rounds; log scale)",
            ),
            y=alt.Y(
                f"{column}:Q",
                scale=alt.Scale(type="log" if log_y else "linear"),
                title=f"test {METRIC_TITLES[metric]}" + (" (log scale)" if log_y else ""),
            ),
            color=alt.Color(
                "series:N", scale=alt.Scale(domain=series, range=colors), legend=legend
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=series, range=dashes), legend=legend
            ),
            tooltip=[
                alt.Tooltip("series:N", title="model"),
                alt.Tooltip("n_trees:Q", title="trees (boosting: rounds)"),
                alt.Tooltip("test_text:N", title=f"test {METRIC_TITLES[metric]}"),
                alt.Tooltip("train_text:N", title=f"train {METRIC_TITLES[metric]}"),
            ],
        )
    )
    return finish(chart, title=f"Test {METRIC_TITLES[metric]} as trees are added", height=320)


def rounds_heatmap(
    staged: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    model: str,
    metric: str = "error",
    n_test: int | None = None,
):
    """A test measure of one model by depth (rows) and number of trees (columns), up to the last
    round grown; the number of trees each depth keeps (``summary``'s n_trees) marked. With
    ``n_test`` a test error prints with the model's decimals in the error chart."""
    part = staged[staged["model"] == model].sort_values(["max_depth", "n_trees"])
    start = part.groupby("max_depth")["n_trees"].shift(1, fill_value=0)
    column = f"test_{metric}"
    places = _test_places([model], summary, n_test)[0]
    data = part.assign(
        n_from=start + 0.5,
        n_to=part["n_trees"] + 0.5,
        value_text=metric_texts(part[column], metric, places),
    )
    y = alt.Y("depth:O", sort=_depth_order(part), title="max depth")
    cells = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("n_from:Q", title="boosting rounds", scale=alt.Scale(nice=False)),
            x2=alt.X2("n_to:Q"),
            y=y,
            color=alt.Color(
                f"{column}:Q",
                scale=alt.Scale(scheme="viridis", type="log" if metric == "log_loss" else "linear"),
                legend=alt.Legend(
                    title=f"test {METRIC_TITLES[metric]}",
                    orient="bottom",
                    format=".2f" if metric == "error" else ".2g",
                    gradientLength=160,
                ),
            ),
            tooltip=[
                alt.Tooltip("depth:N"),
                alt.Tooltip("n_trees:Q", title="rounds"),
                alt.Tooltip("value_text:N", title=f"test {METRIC_TITLES[metric]}"),
            ],
        )
    )
    best = summary[summary["model"] == model]
    best = best.assign(
        what="rounds kept",
        best_n_trees=best["n_trees"],
        best_value=best[column],
        best_text=metric_texts(best[column], metric, places),
    )
    dots = (
        alt.Chart(best)
        .mark_point(
            shape="circle",
            size=90,
            filled=True,
            color="white",
            stroke=MARKER_COLOR,
            strokeWidth=1.5,
            opacity=1,
        )
        .encode(
            x=alt.X("best_n_trees:Q"),
            y=y,
            shape=alt.Shape("what:N", legend=_legend("")),
            tooltip=[
                alt.Tooltip("depth:N"),
                alt.Tooltip("best_n_trees:Q", title="rounds kept"),
                alt.Tooltip("best_text:N", title=f"test {METRIC_TITLES[metric]} there"),
            ],
        )
    )
    short = "Boosting" if model == "gradient_boosting" else _sentence(model_label(model))
    # a boosted model's columns are rounds, one tree per class each round beyond two classes (a
    # 3-class upload: 3 trees a round), which "by depth and trees" miscounted (audit pass 46)
    count = "round" if model in ens.BOOSTED else "trees"
    title = f"{short}: test {METRIC_TITLES[metric]} by depth and {count}"
    return finish(alt.layer(cells, dots), title=title, height=300)


def bias_variance_lines(bv: pd.DataFrame, *, component: str) -> alt.Chart:
    """One component ('bias_sq' or 'variance') against depth, one line per model."""
    data = _with_labels(bv)
    label = COMPONENT_LABELS[component]
    # as the decomposition's tooltips print the terms (halves up, with the decimals that keep the
    # pairs the bias sentences compare apart and make every printed total follow from them)
    places = decomposition_places(bv)[1]
    data[f"{component}_text"] = [decimals(v, places) for v in data[component].astype(float)]
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=45, filled=True), strokeWidth=2)
        .encode(
            x=_depth_axis(data),
            y=alt.Y(f"{component}:Q", title=f"{label} (squared units of y)"),
            color=alt.Color(
                "model_name:N",
                scale=_model_scale(data["model"]),
                legend=alt.Legend(title="", orient="bottom", labelLimit=0, columns=2),
            ),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("depth:N"),
                alt.Tooltip(f"{component}_text:N", title=label),
            ],
        )
    )
    # the bias² plotted is an estimate that can come out below 0 (the caption says how)
    what = "Estimated squared bias" if component == "bias_sq" else "Variance"
    return finish(chart, title=f"{what} against depth (Friedman #1)", height=300)


def decomposition_bars(
    bv: pd.DataFrame, *, panel_width: int = 250, spread_places: int = 2
) -> alt.FacetChart:
    """Per model (small multiples): stacked bias² + variance + noise per depth, measured test MSE on top.

    A faceted chart has a fixed panel width (Vega-Lite can't stretch facets to the container).
    ``spread_places``: the decimals of the whiskers' lowest, highest and SD over the training
    sets, as the set_spread sentence prints them (claims.spread_places).
    """
    labelled = _with_labels(bv)
    long = labelled.melt(
        id_vars=["model_name", "max_depth", "depth"],
        value_vars=list(COMPONENT_LABELS),
        var_name="component",
        value_name="value",
    )
    long["component"] = long["component"].map(COMPONENT_LABELS)
    long["order"] = long["component"].map({v: i for i, v in enumerate(COMPONENT_LABELS.values())})
    # halves up (σ_ε = 0.75 gives 0.5625, never "0.562"): the totals and the measured MSEs at
    # the bv_lowest sentence's decimals, each rounded once (with σ_ε = 0 a measured MSE prints as
    # its total, which the sentence says it equals), the terms with more, so that each printed
    # total is its printed terms' sum rounded (claims.decomposition_places)
    places, term = decomposition_places(bv)
    long["value_text"] = [decimals(v, term) for v in long["value"].astype(float)]
    sums = [str(decomposition_total(r, places)) for _, r in labelled.iterrows()]
    measured = labelled.assign(
        what="measured test MSE",
        value=labelled["measured_mse"],
        expected_text=sums,
        measured_text=[decimals(v, places) for v in labelled["measured_mse"].astype(float)],
    )
    spread = labelled.assign(
        what="range over training sets",
        sd_text=[decimals(v, spread_places) for v in labelled["set_mse_sd"].astype(float)],
        min_text=[decimals(v, spread_places) for v in labelled["set_mse_min"].astype(float)],
        max_text=[decimals(v, spread_places) for v in labelled["set_mse_max"].astype(float)],
    )
    data = pd.concat(
        [long.assign(kind="term"), measured.assign(kind="measured"), spread.assign(kind="spread")],
        ignore_index=True,
    )
    names = list(COMPONENT_LABELS.values())
    x = _depth_axis(bv, title="max depth")
    bars = (
        alt.Chart()
        .mark_bar()
        .transform_filter(alt.datum.kind == "term")
        .encode(
            x=x,
            y=alt.Y("value:Q", stack="zero", title="expected squared error"),
            color=alt.Color(
                "component:N",
                scale=alt.Scale(domain=names, range=[COLORS[n] for n in names]),
                legend=_legend(""),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("depth:N"),
                alt.Tooltip("component:N"),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )
    dots = (
        alt.Chart()
        .mark_point(size=70, filled=True, color=MARKER_COLOR, opacity=1)
        .transform_filter(alt.datum.kind == "measured")
        .encode(
            x=x,
            y=alt.Y("value:Q"),
            shape=alt.Shape(
                "what:N",
                scale=alt.Scale(domain=["measured test MSE"], range=["diamond"]),
                legend=_legend(""),
            ),
            tooltip=[
                alt.Tooltip("depth:N"),
                alt.Tooltip("measured_text:N", title="measured test MSE"),
                alt.Tooltip("expected_text:N", title="bias² + variance + noise"),
            ],
        )
    )
    whiskers = (
        alt.Chart()
        .mark_rule(strokeWidth=1.5, color=MARKER_COLOR, opacity=0.8)
        .transform_filter(alt.datum.kind == "spread")
        .encode(
            x=x,
            y=alt.Y("set_mse_min:Q"),
            y2=alt.Y2("set_mse_max:Q"),
            tooltip=[
                alt.Tooltip("depth:N"),
                alt.Tooltip("min_text:N", title="lowest over sets"),
                alt.Tooltip("max_text:N", title="highest over sets"),
                alt.Tooltip("sd_text:N", title="SD over sets"),
            ],
        )
    )
    order = [model_label(m) for m in dict.fromkeys(bv["model"])]
    chart = (
        alt.layer(bars, whiskers, dots, data=data)
        .properties(width=panel_width, height=220)
        .facet(column=alt.Column("model_name:N", sort=order, title=None), spacing=16)
    )
    return chart.properties(
        title=title_lines("bias² + variance + noise against the measured test error"),
        config=STACKED_LEGENDS,
    )


# The decision-boundary panels: two to a row, each 135 px square, with the y axis and the gap
# about 335 px wide, within a phone's 358 px content column (at 150 px the second panel's right
# edge was cut).
PANELS_PER_ROW = 2
PANEL_PX = 135


def boundary_facets(
    boundaries: pd.DataFrame,
    points: pd.DataFrame,
    *,
    model: str,
    panel_titles: dict,
    panel_size: int = PANEL_PX,
) -> alt.FacetChart:
    """One model's P(class 1) on a grid at several depths (small multiples), training points on top.

    ``panel_titles`` maps max_depth to the panel's header, in the order the panels are drawn.
    Rows sent: cells x panels + points x panels (keep under ~5,000). A faceted chart has a fixed
    panel size (Vega-Lite can't stretch facets to the container): two panels of :data:`PANEL_PX`
    to a row fit a 390 px phone (four of 200 px in one row showed one and a half there, while
    the caption below spoke of depths 8 and unlimited).
    """
    grid = boundaries[boundaries["model"] == model]
    grid = grid.assign(
        p_text=[
            probability(p, exact_ends=model == "random_forest") for p in grid["p"].astype(float)
        ]
    )
    xs, ys = np.sort(grid["x1"].unique()), np.sort(grid["x2"].unique())
    dx = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 0.5
    dy = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 0.5
    cells = grid.assign(
        kind="cell",
        panel=grid["max_depth"].map(panel_titles),
        # cells overlap by 4 % so no hairline seams show between them
        x_lo=grid["x1"] - 1.04 * dx,
        x_hi=grid["x1"] + 1.04 * dx,
        y_lo=grid["x2"] - 1.04 * dy,
        y_hi=grid["x2"] + 1.04 * dy,
    )
    shown = pd.concat(
        [points.assign(kind="point", panel=title) for title in panel_titles.values()],
        ignore_index=True,
    )
    shown["cls"] = "class " + shown["label"].astype(int).astype(str)
    data = pd.concat([cells, shown], ignore_index=True)
    x_scale = alt.Scale(domain=[float(xs[0] - dx), float(xs[-1] + dx)], nice=False)
    y_scale = alt.Scale(domain=[float(ys[0] - dy), float(ys[-1] + dy)], nice=False)
    heat = (
        alt.Chart()
        .mark_rect()
        .transform_filter(alt.datum.kind == "cell")
        .encode(
            x=alt.X("x_lo:Q", scale=x_scale, title="x1"),
            x2=alt.X2("x_hi:Q"),
            y=alt.Y("y_lo:Q", scale=y_scale, title="x2"),
            y2=alt.Y2("y_hi:Q"),
            color=alt.Color(
                "p:Q",
                scale=alt.Scale(
                    domain=[0, 1],
                    range=[CLASS_COLORS[0], "#FFFFFF", CLASS_COLORS[1]],
                    interpolate="rgb",
                ),
                # legends below the panels: at their right they were cut off at 1400 px
                legend=alt.Legend(
                    title="P(class 1)",
                    orient="bottom",
                    direction="horizontal",
                    gradientLength=120,
                    values=[0, 0.5, 1],
                ),
            ),
            tooltip=[alt.Tooltip("p_text:N", title="P(class 1)")],
        )
    )
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=16, stroke="black", strokeWidth=0.5, opacity=1)
        .transform_filter(alt.datum.kind == "point")
        .encode(
            x=alt.X("x1:Q", scale=x_scale),
            y=alt.Y("x2:Q", scale=y_scale),
            fill=alt.Fill(
                "cls:N",
                scale=alt.Scale(domain=["class 0", "class 1"], range=CLASS_COLORS),
                legend=alt.Legend(title="training point", orient="bottom", direction="horizontal"),
            ),
        )
    )
    chart = (
        alt.layer(heat, dots, data=data)
        .properties(width=panel_size, height=panel_size)
        .facet(
            facet=alt.Facet(
                "panel:N",
                sort=list(panel_titles.values()),
                title=None,
                # "depth unlimited: test error 0.093" in two lines: in one it ran past a panel
                header=alt.Header(
                    labelFontSize=12, labelFontWeight="bold", labelExpr="split(datum.label, ': ')"
                ),
            ),
            columns=PANELS_PER_ROW,
            spacing=10,
        )
    )
    return chart.properties(
        title=title_lines(f"{_sentence(model_label(model))}: decision boundary by depth"),
        config=STACKED_LEGENDS,
    )


def fit_time(summary: pd.DataFrame) -> alt.Chart:
    """Fit time per tree against max depth, one line per model (log scale)."""
    texts = [
        _time_texts(float(s), int(n))
        for s, n in zip(summary["fit_seconds"], summary["rounds_fitted"], strict=True)
    ]
    data = _with_labels(summary).assign(
        ms_per_tree=summary["seconds_per_tree"] * 1000,
        seconds_text=[t[0] for t in texts],
        ms_text=[t[1] for t in texts],
        leaves_text=[decimals(float(v), 1) if pd.notna(v) else "" for v in summary["mean_leaves"]],
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=45, filled=True), strokeWidth=2)
        .encode(
            x=_depth_axis(data),
            y=alt.Y(
                "ms_per_tree:Q",
                scale=alt.Scale(type="log"),
                title="fit time per tree (boosting: per round; ms, log scale)",
            ),
            color=alt.Color("model_name:N", scale=_model_scale(data["model"]), legend=_legend("")),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("depth:N"),
                alt.Tooltip("ms_text:N", title="time per tree (boosting: per round)"),
                alt.Tooltip("rounds_fitted:Q", title="trees grown (boosting: rounds)"),
                # a forest's total is its per-tree time (timed on a few trees) × its trees
                alt.Tooltip(
                    "seconds_text:N", title="time for all of them (forest: per tree × trees)"
                ),
                alt.Tooltip("leaves_text:N", title="mean leaves per tree (boosting: rounds kept)"),
            ],
        )
    )
    # boosting's time is per round: one tree per class each round beyond two classes (audit pass
    # 46: the title said "per tree" where the axis and the tooltip say boosting's is per round)
    return finish(
        chart,
        title="Fit time per tree (boosting: per round) against max depth (as measured)",
        height=300,
    )
