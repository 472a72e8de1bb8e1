"""Charts for the bias-variance lesson: error against complexity and size, the decomposition,
fitted curves, cross-validation scores, nested against plain CV, and leakage."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.bias_variance.claims import (
    decomposition_texts,
    leak_texts,
    num,  # never a rounded-up 5 (audit 41)
    one_se_texts,
    part_digits,
    sweep_digits,
)
from core.facts import agrees, decimals, se_num
from ui.charts import (
    COLORS,
    MARKER_COLOR,
    OKABE_ITO,
    _legend,
    finish,
    padded_domain,
    value_texts,
)

SPLIT_COLORS = {"training": COLORS["train"], "validation": COLORS["validation"]}
# The three levels a learning-curve chart and the fitted curves show, in that order.
ROLE_COLORS = (OKABE_ITO["sky_blue"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"])
PART_COLORS = {
    "bias²": COLORS["bias²"],
    "variance": COLORS["variance"],
    "noise σ²": COLORS["noise"],
    "bias² + variance + σ²": OKABE_ITO["black"],
}
LEAK_COLORS = {"leaky": OKABE_ITO["vermillion"], "honest": OKABE_ITO["blue"]}
LEAK_NAMES = {"leaky": "leaky (select, then CV)", "honest": "honest (Pipeline)"}
ESTIMATE_COLORS = (OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["black"])


def level_axis_title(level_name: str) -> str:
    return "polynomial degree" if level_name == "degree" else "hidden units (one tanh layer)"


def role_of(level: int, levels: list[int]) -> int:
    """0 for the simplest of ``levels``, 2 for the most complex, 1 between (a colour index)."""
    return 0 if level == min(levels) else 2 if level == max(levels) else 1


def _scale(names, colors) -> alt.Scale:
    names = list(names)
    return alt.Scale(domain=names, range=list(colors)[: len(names)])


def _positive(values) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return v[np.isfinite(v) & (v > 0)]


def _se_and_sd(se: float, sd: float, k: int, se_text: str | None = None) -> tuple[str, str]:
    """The SE (2 significant digits, as the claims print it, or ``se_text``) and the SD of the
    k fold scores, the SD with digits enough that the printed SE is the printed SD / √k (not
    "SD 0.11" beside "SE 0.051": 0.11 / √5 = 0.049)."""
    se_text = se_text or se_num(se, 2)
    for d in range(2, 18):
        sd_text = num(sd, d)
        try:
            if agrees(se_text, Decimal(sd_text) / Decimal(k).sqrt()):
                break
        except InvalidOperation:  # nan or inf
            break
    return se_text, sd_text


def _percents(values) -> list[str]:
    """Accuracies for a tooltip as percents with one decimal, as the lesson prints them."""
    return [f"{decimals(float(v), 1, scale=100)}%" if pd.notna(v) else "" for v in values]


def _log_domain(values) -> list[float]:
    """A log axis covering the positive values (with a little room)."""
    v = _positive(values)
    if v.size == 0:
        return [1e-3, 1.0]
    return [float(v.min()) / 1.5, float(v.max()) * 1.5]


def error_vs_complexity(
    sweep: pd.DataFrame, *, level_name: str, sigma2: float, texts: dict | None = None
) -> alt.LayerChart:
    """Training (dashed) and validation (solid) MSE against complexity, ± one standard error over
    the training sets, on a log axis; the noise floor σ² as a rule. ``texts`` are the tooltips
    the sweep sentences print from (claims.sweep_texts); without them, the MSEs at
    claims.sweep_digits."""
    long = pd.concat(
        [
            sweep[["level", "label"]].assign(
                split=split,
                mse=sweep[f"{key}_mse"],
                low=sweep[f"{key}_mse"] - sweep[f"{key}_se"],
                high=sweep[f"{key}_mse"] + sweep[f"{key}_se"],
            )
            for split, key in (("training", "train"), ("validation", "val"))
        ],
        ignore_index=True,
    )
    domain = _log_domain([*long["mse"], *long["high"], sigma2])
    long["low"] = long["low"].clip(lower=domain[0])
    # digits at which the pairs the sweep sentences compare print apart here too (sweep_digits),
    # and the rises and the lowest they print follow from these tooltips (sweep_texts)
    if texts is None:
        digits = sweep_digits(sweep, sigma2)
        long["mse_text"] = value_texts(long["mse"], digits)
    else:
        digits = texts["digits"]
        long["mse_text"] = [
            texts["train" if split == "training" else "val"][int(level)]
            for split, level in zip(long["split"], long["level"], strict=True)
        ]
    x = alt.X("level:O", title=level_axis_title(level_name), axis=alt.Axis(labelAngle=0))
    y = alt.Y(
        "mse:Q",
        title="mean squared error (log scale)",
        scale=alt.Scale(type="log", domain=domain, nice=False),
    )
    color = alt.Color(
        "split:N",
        scale=_scale(SPLIT_COLORS, SPLIT_COLORS.values()),
        legend=alt.Legend(title="", orient="bottom", symbolType="stroke", labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("label:N", title="model"),
        alt.Tooltip("split:N"),
        alt.Tooltip("mse_text:N", title="MSE (mean over sets)"),
    ]
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=40, filled=True))
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash(
                "split:N",
                scale=alt.Scale(domain=["training", "validation"], range=[[5, 4], [1, 0]]),
                legend=alt.Legend(title="", orient="bottom", symbolType="stroke", labelLimit=0),
            ),
            tooltip=tooltip,
        )
    )
    bars = (
        alt.Chart(long)
        .mark_rule(strokeWidth=1.5, opacity=0.7)
        .encode(
            x=x,
            y=alt.Y("low:Q", scale=alt.Scale(type="log", domain=domain, nice=False)),
            y2=alt.Y2("high:Q"),
            color=alt.Color(
                "split:N", scale=_scale(SPLIT_COLORS, SPLIT_COLORS.values()), legend=None
            ),
        )
    )
    layers = [lines, bars]
    if sigma2 > 0:
        layers.append(_noise_rule(sigma2, "mse", digits))
    return finish(
        alt.layer(*layers), title="Training and validation error by complexity", height=320
    )


def _noise_rule(sigma2: float, field: str, digits: int = 4) -> alt.LayerChart:
    # 4 significant digits: every σ² the slider gives (σ = 0.35: 0.1225, as the claims print it;
    # 3 digits printed "0.122", which 0.35² does not round to); more where the MSE tooltips
    # beside it need them (sweep_digits)
    ref = pd.DataFrame({field: [sigma2], "label": [f"noise σ² = {num(sigma2, digits)}"]})
    rule = (
        alt.Chart(ref)
        .mark_rule(color=MARKER_COLOR, strokeDash=[2, 3])
        .encode(y=alt.Y(f"{field}:Q"))
    )
    text = (
        alt.Chart(ref)
        .mark_text(align="right", baseline="bottom", dx=-4, dy=-3, color=MARKER_COLOR)
        .encode(y=alt.Y(f"{field}:Q"), x=alt.XValue("width"), text=alt.Text("label:N"))
    )
    return alt.layer(rule, text)


def fitted_curves(
    fits: pd.DataFrame,
    truth_curve: pd.DataFrame,
    points: pd.DataFrame,
    *,
    level: int,
    role: int,
    title: str,
) -> alt.LayerChart:
    """One level's fits on the first training sets (thin lines), f (black) and set 1's points.

    The y axis is fixed around f and the points; fits that leave it are clipped.
    """
    part = fits[fits["level"] == level]
    domain = padded_domain([*truth_curve["f"], *points["y"]], pad=0.25)
    x = alt.X("x:Q", title="x", scale=alt.Scale(domain=[-1, 1], nice=False))
    y_scale = alt.Scale(domain=domain, nice=False)
    names = [f"fits on {part['set'].nunique()} training sets", "true f", "training set 1"]
    colors = [ROLE_COLORS[role], OKABE_ITO["black"], OKABE_ITO["grey"]]
    legend_scale = alt.Scale(domain=names, range=colors)
    curves = (
        alt.Chart(part.assign(what=names[0]))
        .mark_line(strokeWidth=1.5, opacity=0.75, clip=True)
        .encode(
            x=x,
            y=alt.Y("prediction:Q", title="y", scale=y_scale),
            detail=alt.Detail("set:N"),
            color=alt.Color(
                "what:N",
                scale=legend_scale,
                legend=alt.Legend(title="", orient="bottom", columns=2, labelLimit=0),
            ),
        )
    )
    truth = (
        alt.Chart(truth_curve.assign(what=names[1]))
        .mark_line(strokeWidth=2.5, strokeDash=[6, 3])
        .encode(x=x, y=alt.Y("f:Q", scale=y_scale), color=alt.Color("what:N", scale=legend_scale))
    )
    dots = (
        alt.Chart(points.assign(what=names[2]))
        .mark_circle(size=30, opacity=0.9)
        .encode(x=x, y=alt.Y("y:Q", scale=y_scale), color=alt.Color("what:N", scale=legend_scale))
    )
    return finish(alt.layer(curves, truth, dots), title=title, height=260)


def decomposition(sweep: pd.DataFrame, *, level_name: str, val_digits: int = 4) -> alt.LayerChart:
    """bias², variance, σ² and their sum against complexity on a log axis; diamonds: the
    validation MSE measured with fresh noise. A bias² estimate at or below 0 (it can be, where
    the true bias² is near 0) and σ² = 0 can't be drawn on a log axis and are left out."""
    parts = {
        "bias²": sweep["bias_sq"],
        "variance": sweep["variance"],
        "noise σ²": sweep["noise"],
        "bias² + variance + σ²": sweep["expected_mse"],
    }
    long = pd.concat(
        [sweep[["level", "label"]].assign(part=k, value=v.to_numpy()) for k, v in parts.items()],
        ignore_index=True,
    )
    # Rows that can't be drawn stay as gaps (the line breaks there) rather than being joined over.
    long["value"] = long["value"].where(long["value"] > 0)
    long = long[long.groupby("part")["value"].transform("count") > 0]
    # each part's values print apart (part_digits), as the bias²/variance sentences' arrows do
    long["value_text"] = ""
    for _part, rows in long.groupby("part", sort=False):
        long.loc[rows.index, "value_text"] = value_texts(
            rows["value"], part_digits(rows["value"].dropna())
        )
    # the sum and the diamonds print as fresh_noise_consistent / _off reads them: their printed gap
    # in printed SEs is the z the sentence prints (decomposition_texts)
    # (``val_digits``: the error-vs-complexity chart's digits, claims.sweep_texts, so that the
    # diamonds print the validation MSEs the sweep sentences compare at no fewer digits)
    printed = decomposition_texts(sweep, val_digits)
    total = dict(zip(sweep["level"], printed["expected"], strict=True))
    is_total = long["part"] == "bias² + variance + σ²"
    long.loc[is_total, "value_text"] = long.loc[is_total, "level"].map(total)
    domain = _log_domain([*long["value"], *sweep["val_mse"]])
    y_scale = alt.Scale(type="log", domain=domain, nice=False)
    x = alt.X("level:O", title=level_axis_title(level_name), axis=alt.Axis(labelAngle=0))
    names = [p for p in PART_COLORS if p in set(long["part"])]
    lines = (
        alt.Chart(long)
        .mark_line(
            strokeWidth=2,
            point=alt.OverlayMarkDef(size=30, filled=True),
            invalid="break-paths-filter-domains",
        )
        .encode(
            x=x,
            y=alt.Y("value:Q", title="squared error (log scale)", scale=y_scale),
            color=alt.Color(
                "part:N",
                scale=_scale(names, [PART_COLORS[p] for p in names]),
                legend=alt.Legend(title="", orient="bottom", columns=3, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="model"),
                alt.Tooltip("part:N"),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )
    # at σ = 0 the validation labels are f itself: no "fresh noise" (audit pass 46)
    diamond = (
        "validation MSE (fresh noise)"
        if float(sweep["noise"].max()) > 0
        else "validation MSE (labels = f, no noise)"
    )
    measured = sweep.assign(
        what=diamond,
        val_mse_text=printed["val"],
        measured_se_text=printed["se"],
    )
    diamonds = (
        alt.Chart(measured)
        .mark_point(shape="diamond", size=110, filled=False, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("val_mse:Q", scale=y_scale),
            shape=alt.Shape(
                "what:N",
                scale=alt.Scale(domain=[diamond], range=["diamond"]),
                legend=_legend(""),
            ),
            color=alt.ColorValue(COLORS["validation"]),
            tooltip=[
                alt.Tooltip("label:N", title="model"),
                alt.Tooltip("val_mse_text:N", title="validation MSE"),
                alt.Tooltip("measured_se_text:N", title="its SE as a measurement"),
            ],
        )
    )
    return finish(
        alt.layer(lines, diamonds).resolve_scale(color="independent", shape="independent"),
        title="Bias², variance and noise by complexity",
        height=320,
    )


def learning_curves(
    curves: pd.DataFrame, *, sigma2: float, labels: dict, points: dict | None = None
) -> alt.LayerChart:
    """Training (dashed) and validation (solid) MSE against training-set size, one colour per
    level (``labels`` maps a level to its legend name, in order), log axes, ± one SE bars;
    ``points`` maps a (level, size) a sentence names to its (training, validation) texts
    (claims.curve_texts), which its tooltips print (4 significant digits elsewhere)."""
    data = curves.assign(name=curves["level"].map(labels))
    long = pd.concat(
        [
            data[["level", "name", "size"]].assign(
                split=split,
                mse=data[f"{key}_mse"],
                low=data[f"{key}_mse"] - data[f"{key}_se"],
                high=data[f"{key}_mse"] + data[f"{key}_se"],
            )
            for split, key in (("training", "train"), ("validation", "val"))
        ],
        ignore_index=True,
    )
    domain = _log_domain([*long["mse"], sigma2])
    long["low"] = long["low"].clip(lower=domain[0])
    long["high"] = long["high"].clip(upper=domain[1])
    long["mse_text"] = value_texts(long["mse"])
    # the points the learning-curve sentences name print as they do: their gaps follow from them
    for (level, size), pair in (points or {}).items():
        for split, text in zip(("training", "validation"), pair, strict=True):
            at = (long["level"] == level) & (long["size"] == size) & (long["split"] == split)
            long.loc[at, "mse_text"] = text
    names = list(labels.values())
    colors = [ROLE_COLORS[role_of(level, list(labels))] for level in labels]
    color = alt.Color("name:N", scale=_scale(names, colors), legend=_legend("model"))
    sizes = sorted(set(curves["size"]))
    x = alt.X(
        "size:Q",
        title="training-set size n (log scale)",
        scale=alt.Scale(type="log", domain=[sizes[0], sizes[-1]], nice=False),
        axis=alt.Axis(values=sizes),
    )
    y_scale = alt.Scale(type="log", domain=domain, nice=False)
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=30, filled=True), clip=True)
        .encode(
            x=x,
            y=alt.Y("mse:Q", title="mean squared error (log scale)", scale=y_scale),
            color=color,
            strokeDash=alt.StrokeDash(
                "split:N",
                scale=alt.Scale(domain=["validation", "training"], range=[[1, 0], [5, 4]]),
                # A dash legend beside a colour legend of another field draws its strokes
                # transparent: the title names the dashes instead.
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("name:N", title="model"),
                alt.Tooltip("split:N"),
                alt.Tooltip("size:Q", title="n"),
                alt.Tooltip("mse_text:N", title="MSE (mean over sets)"),
            ],
        )
    )
    bars = (
        alt.Chart(long[long["split"] == "validation"])
        .mark_rule(strokeWidth=1.5, opacity=0.6, clip=True)
        .encode(
            x=x,
            y=alt.Y("low:Q", scale=y_scale),
            y2=alt.Y2("high:Q"),
            color=alt.Color("name:N", scale=_scale(names, colors), legend=None),
        )
    )
    layers = [lines, bars]
    if sigma2 > 0:
        layers.append(_noise_rule(sigma2, "mse"))
    return finish(
        alt.layer(*layers),
        title=alt.TitleParams("Learning curves", subtitle="solid: validation; dashed: training"),
        height=340,
    )


def cv_scores(
    cv_folds: pd.DataFrame,
    cv: pd.DataFrame,
    rule: dict,
    *,
    level_name: str,
    k: int,
    shown: tuple | None = None,
) -> alt.LayerChart:
    """Each fold's held-out MSE (small dots), the mean ± one SE, the one-SE threshold (dashed)
    and the best-mean and one-SE choices (diamonds), log axis."""
    stats = cv.assign(low=cv["mean"] - cv["se"], high=cv["mean"] + cv["se"])
    # the lowest mean and its SE as cv_one_se prints them: digits enough that their printed sum
    # sorts every level's printed mean as the sentence's "within one SE" list does
    # (``shown``: claims.best_texts(result)[0], the lowest mean at nested_vs_plain's digits too)
    best_mean, best_se, _, choice_mean = shown or one_se_texts(cv.set_index("level"), rule)
    best = (stats["level"] == rule["best"]).to_numpy()
    shown = [
        _se_and_sd(se, sd, k, best_se if at_best else None)
        for se, sd, at_best in zip(stats["se"], stats["sd"], best, strict=True)
    ]
    stats["se_text"] = [se for se, _ in shown]
    stats["sd_text"] = [sd for _, sd in shown]
    # ... and the one-SE choice's mean with digits enough that the printed trade
    # (one_se_simpler) is the difference of the two printed means
    stats["mean_text"] = [
        best_mean if at_best else choice_mean if level == rule["choice"] else text
        for text, at_best, level in zip(
            value_texts(stats["mean"]), best, stats["level"], strict=True
        )
    ]
    domain = _log_domain([*cv_folds["mse"], *stats["high"]])
    stats["low"] = stats["low"].clip(lower=domain[0])
    x = alt.X("level:O", title=level_axis_title(level_name), axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(type="log", domain=domain, nice=False)
    kinds = ["one fold", f"mean of {k} folds ± SE"]
    kind_scale = alt.Scale(domain=kinds, range=[OKABE_ITO["grey"], OKABE_ITO["blue"]])
    folds = (
        alt.Chart(cv_folds.assign(kind=kinds[0], mse_text=value_texts(cv_folds["mse"])))
        .mark_circle(size=25, opacity=0.7)
        .encode(
            x=x,
            xOffset=alt.XOffset("fold:N"),
            y=alt.Y("mse:Q", title="held-out MSE (log scale)", scale=y_scale),
            color=alt.Color(
                "kind:N",
                scale=kind_scale,
                legend=alt.Legend(title="", orient="bottom", columns=2, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="model"),
                alt.Tooltip("fold:Q"),
                alt.Tooltip("mse_text:N", title="mse"),
            ],
        )
    )
    means = (
        alt.Chart(stats.assign(kind=kinds[1]))
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=50, filled=True))
        .encode(
            x=x,
            y=alt.Y("mean:Q", scale=y_scale),
            color=alt.Color("kind:N", scale=kind_scale),
            tooltip=[
                alt.Tooltip("label:N", title="model"),
                alt.Tooltip("mean_text:N", title="mean"),
                alt.Tooltip("se_text:N", title="standard error"),
                alt.Tooltip("sd_text:N", title=f"SD of the {k} fold scores (SE = SD / √{k})"),
            ],
        )
    )
    bars = (
        alt.Chart(stats)
        .mark_rule(strokeWidth=2, color=OKABE_ITO["blue"])
        .encode(x=x, y=alt.Y("low:Q", scale=y_scale), y2=alt.Y2("high:Q"))
    )
    threshold = pd.DataFrame({"mean": [rule["threshold"]], "label": ["best mean + one SE"]})
    line = (
        alt.Chart(threshold)
        .mark_rule(color=MARKER_COLOR, strokeDash=[5, 4])
        .encode(y=alt.Y("mean:Q", scale=y_scale))
    )
    line_text = (
        alt.Chart(threshold)
        .mark_text(align="right", baseline="bottom", dx=-4, dy=-3, color=MARKER_COLOR)
        .encode(y=alt.Y("mean:Q", scale=y_scale), x=alt.XValue("width"), text=alt.Text("label:N"))
    )
    rows = cv.set_index("level")
    marks = pd.DataFrame(
        [
            {"level": rule["best"], "mean": rows.loc[rule["best"], "mean"], "mark": "lowest mean"},
            {
                "level": rule["choice"],
                "mean": rows.loc[rule["choice"], "mean"],
                "mark": "one-SE choice",
            },
        ]
    )
    mark_scale = alt.Scale(domain=["lowest mean", "one-SE choice"], range=["diamond", "square"])
    chosen = (
        alt.Chart(marks)
        .mark_point(size=260, filled=False, strokeWidth=2.5, color=MARKER_COLOR)
        .encode(
            x=x,
            y=alt.Y("mean:Q", scale=y_scale),
            shape=alt.Shape(
                "mark:N",
                scale=mark_scale,
                legend=alt.Legend(title="", orient="bottom", columns=2, labelLimit=0),
            ),
        )
    )
    return finish(
        alt.layer(folds, bars, means, line, line_text, chosen).resolve_scale(shape="independent"),
        title=f"{k}-fold cross-validation by complexity",
        height=320,
    )


def estimates(rows: pd.DataFrame) -> alt.LayerChart:
    """Estimates of one tuned model's error, ± one SE where they have one: ``rows`` has
    estimate, value, low, high (NaN without an SE)."""
    names = list(rows["estimate"])
    # the tuned row is one refit with no SE: say so, not "NaN"; optional value_text / se_text
    # columns (the sentences' own texts, claims.nested_texts) replace the default prints, so
    # that a tooltip never contradicts "within one standard error" (an SE "0.11" beside the
    # sentence's "0.12" and a gap of 0.112)
    given_value = rows["value_text"] if "value_text" in rows else pd.Series([None] * len(rows))
    given_se = rows["se_text"] if "se_text" in rows else pd.Series([None] * len(rows))
    rows = rows.assign(
        se_text=[
            g if isinstance(g, str) else se_num(se, 2) if np.isfinite(se) else "none (one refit)"
            for g, se in zip(given_se, rows["se"], strict=True)
        ],
        value_text=[
            g if isinstance(g, str) else t
            for g, t in zip(given_value, value_texts(rows["value"]), strict=True)
        ],
    )
    y = alt.Y("estimate:N", title=None, sort=names, axis=alt.Axis(labelLimit=150))
    color = alt.Color("estimate:N", scale=_scale(names, ESTIMATE_COLORS), legend=None)
    x_scale = alt.Scale(zero=False, nice=True)
    points = (
        alt.Chart(rows)
        .mark_point(size=160, filled=True)
        .encode(
            x=alt.X("value:Q", title="mean squared error", scale=x_scale),
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("estimate:N"),
                alt.Tooltip("value_text:N", title="value"),
                alt.Tooltip("se_text:N", title="standard error"),
            ],
        )
    )
    bars = (
        alt.Chart(rows.dropna(subset=["low"]))
        .mark_rule(strokeWidth=2.5)
        .encode(x=alt.X("low:Q", scale=x_scale), x2=alt.X2("high:Q"), y=y, color=color)
    )
    return finish(
        alt.layer(bars, points), title="Plain and nested CV of the tuned model", height=170
    )


def leak_scores(leak: pd.DataFrame, *, chance: float) -> alt.LayerChart:
    """Each fold's accuracy (dots), the mean ± one SE per pipeline, and chance (dashed)."""
    data = leak.assign(
        name=leak["pipeline"].map(LEAK_NAMES), accuracy_text=_percents(leak["accuracy"])
    )
    names = [LEAK_NAMES[p] for p in LEAK_NAMES]
    stats = data.groupby("name", sort=False)["accuracy"].agg(["mean", "std", "count"]).reset_index()
    stats["se"] = stats["std"] / np.sqrt(stats["count"])
    stats["low"], stats["high"] = stats["mean"] - stats["se"], stats["mean"] + stats["se"]
    # the mean and SE as the leak sentences print them (leak_texts): a tooltip SE at 2
    # significant digits ("1.5%" beside "46.97%") put chance 2.02 SEs away beside a sentence's
    # "within 2 standard errors" (its SE "1.6 %": 100 rows, 200 features, 10 kept, 3 folds,
    # seed 630018); equal fold scores have SE 0 there, not a round-off SD of 1e-16
    printed = leak_texts(leak, chance)
    by_name = {LEAK_NAMES[p]: printed[p] for p in LEAK_NAMES}
    stats["mean_text"] = [by_name[n][0].replace(" %", "%") for n in stats["name"]]
    stats["se_text"] = [by_name[n][1].replace(" %", "%") for n in stats["name"]]
    y = alt.Y("name:N", title=None, sort=names, axis=alt.Axis(labelLimit=150))
    x = alt.X("accuracy:Q", title="cross-validated accuracy", scale=alt.Scale(domain=[0, 1]))
    color = alt.Color("name:N", scale=_scale(names, LEAK_COLORS.values()), legend=None)
    dots = (
        alt.Chart(data)
        .mark_circle(size=45, opacity=0.6)
        .encode(
            x=x,
            y=y,
            yOffset=alt.YOffset("fold:N"),
            color=color,
            tooltip=[
                alt.Tooltip("name:N", title="pipeline"),
                alt.Tooltip("fold:Q"),
                alt.Tooltip("accuracy_text:N", title="accuracy"),
            ],
        )
    )
    bars = (
        alt.Chart(stats)
        .mark_rule(strokeWidth=3)
        .encode(
            x=alt.X("low:Q", scale=alt.Scale(domain=[0, 1])), x2=alt.X2("high:Q"), y=y, color=color
        )
    )
    means = (
        alt.Chart(stats)
        .mark_tick(thickness=3, size=30, color=MARKER_COLOR)
        .encode(
            x=alt.X("mean:Q", scale=alt.Scale(domain=[0, 1])),
            y=y,
            tooltip=[
                alt.Tooltip("name:N", title="pipeline"),
                alt.Tooltip("mean_text:N", title="mean"),
                alt.Tooltip("se_text:N", title="standard error"),
            ],
        )
    )
    ref = pd.DataFrame(
        {"accuracy": [chance], "label": [f"chance {decimals(chance, 0, scale=100)}%"]}
    )
    rule = (
        alt.Chart(ref)
        .mark_rule(color=MARKER_COLOR, strokeDash=[5, 4])
        .encode(x=alt.X("accuracy:Q", scale=alt.Scale(domain=[0, 1])))
    )
    text = (
        alt.Chart(ref)
        .mark_text(align="left", baseline="top", dx=4, dy=2, color=MARKER_COLOR)
        .encode(
            x=alt.X("accuracy:Q", scale=alt.Scale(domain=[0, 1])),
            y=alt.YValue(0),
            text=alt.Text("label:N"),
        )
    )
    return finish(
        alt.layer(dots, bars, means, rule, text),
        title="Cross-validated accuracy on pure noise",
        height=200,
    )
