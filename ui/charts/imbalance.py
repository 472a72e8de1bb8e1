"""Charts for the class-imbalance lesson: ROC and precision-recall curves with the operating point,
the confusion matrix, AUC and AP against prevalence, the remedies, the reliability diagram.

The curves are built once per run; the operating point, which follows the threshold, lives in a
small named dataset (``POINT``) that :func:`point_data` fills and ``ui.lesson.chart`` passes as
``datasets``: moving the threshold swaps one row instead of redrawing a chart.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from core.experiments.imbalance.claims import (
    pct,
    share,
    tuned_threshold_text,
    tuned_threshold_texts,
)
from core.facts import apart_digits, decimals, num, se_num
from ui.charts import MARKER_COLOR, OKABE_ITO, _legend, finish

POINT = "operating_point"
MODEL_LABELS = {"logistic": "logistic regression", "boosting": "gradient boosting (LightGBM)"}
MODEL_COLORS = {"logistic": OKABE_ITO["blue"], "boosting": OKABE_ITO["reddish_purple"]}
TRAINING_LABELS = {"plain": "as is", "weights": "class weights", "oversampled": "over-sampled"}
TRAINING_COLORS = {
    "plain": OKABE_ITO["black"],
    "weights": OKABE_ITO["orange"],
    "oversampled": OKABE_ITO["sky_blue"],
}
METRIC_COLORS = {
    "precision": OKABE_ITO["blue"],
    "recall": OKABE_ITO["orange"],
    "F1": OKABE_ITO["bluish_green"],
}
CHANCE = OKABE_ITO["grey"]
UNIT = alt.Scale(domain=[0, 1], nice=False)


def _model_scale() -> alt.Scale:
    return alt.Scale(
        domain=list(MODEL_LABELS.values()), range=[MODEL_COLORS[m] for m in MODEL_LABELS]
    )


def _model_legend() -> alt.Legend:
    # one model a line: two long names side by side are clipped on a phone
    return alt.Legend(title="model", orient="bottom", labelLimit=0, columns=1)


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(model_name=frame["model"].map(MODEL_LABELS))


# Tooltip texts: a share at 3 decimals never reads 0 or 1 unless it is (2,999 of 3,000 is
# "0.9997", not "1.000"), a threshold at 3 significant digits never reads 1 below 1.
def _texts(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{f"{c}_text": frame[c].map(share) for c in columns})


def threshold_text(t: float) -> str:
    """A threshold for a tooltip: 3 significant digits, more while one below 1 would read 1;
    "none" where the curve's end point has none."""
    if not math.isfinite(t):
        return "none"
    for digits in range(3, 18):
        text = num(t, digits)
        if t >= 1 or float(text) < 1:
            return text
    return text


def percent_text(x: float, d: int = 1) -> str:
    """A share in percent, ``d`` decimals (1), more while it would read 0 % or 100 % without
    being it; halves rounded up, as a reader rounds a share of counts (39 of 48 is "81.3 %", not
    "81.2 %")."""
    while d < 15 and 0 < x < 1 and float(decimals(x, d, 100)) in (0.0, 100.0):
        d += 1
    return f"{decimals(x, d, 100)} %"


def point_data(
    point: dict, model: str, places: dict[str, int] | None = None
) -> dict[str, pd.DataFrame]:
    """The named dataset of the operating point: one row, read by both curves. ``places``: the
    decimals of its precision and recall (claims.point_places, those of the operating point's
    sentence); by default 3."""
    row = {
        "model_name": MODEL_LABELS[model],
        "threshold": point["threshold"],
        "fpr": point["fpr"],
        "tpr": point["tpr"],
        "recall": point["recall"],
        # no precision when nothing is flagged: the point then sits at recall 0, precision 1,
        # where precision_recall_curve ends its curve
        "precision": point["precision"] if point["flagged"] else 1.0,
    }
    places = places or {}
    frame = _texts(pd.DataFrame([row]), "fpr")
    # the true positive rate is the recall: one text on both curves
    frame["recall_text"] = frame["tpr_text"] = share(point["recall"], places.get("recall", 3))
    frame["precision_text"] = (
        share(point["precision"], places.get("precision", 3))
        if point["flagged"]
        else "undefined (nothing flagged)"
    )
    frame["threshold_text"] = threshold_text(point["threshold"])
    return {POINT: frame}


def _point_layer(x: str, y: str, x_title: str, y_title: str) -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(POINT))
        .mark_point(size=160, filled=True, color=MARKER_COLOR, stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X(f"{x}:Q", scale=UNIT),
            y=alt.Y(f"{y}:Q", scale=UNIT),
            shape=alt.ShapeValue("diamond"),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("threshold_text:N", title="threshold"),
                alt.Tooltip(f"{x}_text:N", title=x_title),
                alt.Tooltip(f"{y}_text:N", title=y_title),
            ],
        )
    )


def roc_chart(roc: pd.DataFrame, *, height: int = 320) -> alt.LayerChart:
    """Each model's test ROC curve, the chance diagonal, and the operating point (``POINT``)."""
    x_title, y_title = "false positive rate FP / (FP + TN)", "true positive rate (recall)"
    curves = (
        alt.Chart(
            _texts(_labelled(roc), "fpr", "tpr").assign(
                threshold_text=roc["threshold"].map(threshold_text)
            )
        )
        .mark_line(strokeWidth=2, interpolate="linear")
        .encode(
            x=alt.X("fpr:Q", title=x_title, scale=UNIT),
            y=alt.Y("tpr:Q", title=y_title, scale=UNIT),
            color=alt.Color("model_name:N", scale=_model_scale(), legend=_model_legend()),
            order=alt.Order("fpr:Q"),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("threshold_text:N", title="threshold"),
                alt.Tooltip("fpr_text:N", title="FPR"),
                alt.Tooltip("tpr_text:N", title="TPR"),
            ],
        )
    )
    chance = (
        alt.Chart(pd.DataFrame({"fpr": [0.0, 1.0], "tpr": [0.0, 1.0]}))
        .mark_line(color=CHANCE, strokeDash=[4, 4])
        .encode(x=alt.X("fpr:Q", scale=UNIT), y=alt.Y("tpr:Q", scale=UNIT))
    )
    chart = alt.layer(chance, curves, _point_layer("fpr", "tpr", "FPR", "TPR"))
    return finish(
        chart.resolve_scale(shape="independent"), title="ROC curve, test split", height=height
    )


def pr_chart(
    pr: pd.DataFrame, prevalence: float, *, height: int = 320, prevalence_text: str | None = None
) -> alt.LayerChart:
    """Each model's test precision-recall curve, the chance level (the prevalence) and the point.
    ``prevalence_text``: the chance level's tooltip (claims.prevalence_text, as the sentences
    print the test split's rate of positives); by default 3 decimals."""
    curves = (
        alt.Chart(
            _texts(_labelled(pr), "recall", "precision").assign(
                threshold_text=pr["threshold"].map(threshold_text)
            )
        )
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("recall:Q", title="recall TP / (TP + FN)", scale=UNIT),
            y=alt.Y("precision:Q", title="precision TP / (TP + FP)", scale=UNIT),
            color=alt.Color("model_name:N", scale=_model_scale(), legend=_model_legend()),
            order=alt.Order("step:Q"),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("threshold_text:N", title="threshold"),
                alt.Tooltip("recall_text:N", title="recall"),
                alt.Tooltip("precision_text:N", title="precision"),
            ],
        )
    )
    chance = (
        alt.Chart(
            pd.DataFrame(
                {
                    "precision": [prevalence],
                    "label": ["chance: the prevalence"],
                    "precision_text": [
                        share(prevalence) if prevalence_text is None else prevalence_text
                    ],
                }
            )
        )
        .mark_rule(color=CHANCE, strokeDash=[4, 4])
        .encode(
            y=alt.Y("precision:Q", scale=UNIT),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("precision_text:N", title="precision"),
            ],
        )
    )
    chart = alt.layer(chance, curves, _point_layer("recall", "precision", "recall", "precision"))
    return finish(chart, title="Precision-recall curve, test split", height=height)


def confusion_chart(
    point: dict, *, height: int = 170, places: dict[str, int] | None = None
) -> alt.LayerChart:
    """The 2 x 2 confusion matrix at the operating point: counts, shaded by their share of the
    true class. ``places``: claims.point_places; the positives' shares (recall and 1 − recall)
    are printed in percent to as many digits as the operating point's sentence prints the
    recall (by default 1 decimal, as 3 decimals of a share)."""
    cells = [
        ("positive", "positive", point["tp"], "TP"),
        ("positive", "negative", point["fn"], "FN"),
        ("negative", "positive", point["fp"], "FP"),
        ("negative", "negative", point["tn"], "TN"),
    ]
    frame = pd.DataFrame(cells, columns=["actual", "predicted", "count", "cell"])
    totals = frame.groupby("actual")["count"].transform("sum")
    frame["share"] = frame["count"] / totals.where(totals > 0, 1)
    frame["text"] = frame["cell"] + " " + frame["count"].map("{:,}".format)
    recall_places = max(1, (places or {}).get("recall", 3) - 2)
    frame["share_text"] = [
        percent_text(x, recall_places if actual == "positive" else 1)
        for x, actual in zip(frame["share"], frame["actual"], strict=True)
    ]
    order = ["positive", "negative"]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "predicted:N",
            sort=order,
            title="flagged as (predicted class)",
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y("actual:N", sort=order, title="true class"),
    )
    heat = base.mark_rect().encode(
        color=alt.Color(
            "share:Q",
            scale=alt.Scale(domain=[0, 1], range=["#f7f7f7", OKABE_ITO["sky_blue"]]),
            legend=alt.Legend(title="share of its true class", orient="bottom", format=".0%"),
        ),
        tooltip=[
            alt.Tooltip("cell:N"),
            alt.Tooltip("count:Q", format=","),
            alt.Tooltip("share_text:N", title="share of its true class"),
        ],
    )
    text = base.mark_text(fontSize=15, color=MARKER_COLOR).encode(text=alt.Text("text:N"))
    return finish(alt.layer(heat, text), title="Confusion matrix at the threshold", height=height)


def sweep_chart(
    sweep: pd.DataFrame,
    *,
    auc_decimals: int = 3,
    ap_decimals: int = 3,
    chance_texts: dict[float, str] | None = None,
    share_texts: dict[float, str] | None = None,
    height: int = 320,
) -> alt.LayerChart:
    """ROC AUC (solid) and average precision (dashed) of each model against the test set's
    prevalence (log scale), with the chance AP (the prevalence) in grey.

    ``auc_decimals``: the AUCs' decimals in the tooltips (claims.sweep_decimals), enough that
    their printed spread sits on the side of the sweep sentence's 0.03 that the AUCs do;
    ``ap_decimals``: the APs' decimals (claims.ap_decimals), those of the sweep sentences;
    ``chance_texts``: each prevalence's chance AP as the sweep sentences print it
    (claims.chance_texts; by default 3 decimals); ``share_texts``: each set's share of
    positives as the sweep sentences print it (claims.set_share_texts; by default claims.pct).
    Points sit at their set's share of positives, which for an upload's set of every
    negative and fewer positives is only near the swept prevalence (19 of 194 rows are 9.79 %,
    not 10 %: audit pass 44)."""
    sweep = sweep.assign(share=sweep["positives"] / (sweep["positives"] + sweep["negatives"]))
    sweep = sweep.assign(
        share_text=[
            (share_texts or {}).get(float(p), pct(float(s)))
            for p, s in zip(sweep["prevalence"], sweep["share"], strict=True)
        ]
    )
    long = _labelled(sweep).melt(
        id_vars=[
            "prevalence",
            "share",
            "share_text",
            "model",
            "model_name",
            "positives",
            "negatives",
        ],
        value_vars=["auc", "ap"],
        var_name="metric",
        value_name="value",
    )
    long["metric"] = long["metric"].map({"auc": "ROC AUC", "ap": "average precision"})
    long["value_text"] = [
        share(v, auc_decimals if metric == "ROC AUC" else ap_decimals)
        for v, metric in zip(long["value"], long["metric"], strict=True)
    ]
    prevalences = sorted(sweep["prevalence"].unique().tolist(), reverse=True)
    ends = prevalences + sweep["share"].tolist()
    x = alt.X(
        "share:Q",
        title="share of positives in the test set (log scale)",
        scale=alt.Scale(type="log", reverse=True, domain=[min(ends), max(ends)], nice=False),
        axis=alt.Axis(format=".1~%", values=prevalences),
    )
    y = alt.Y("value:Q", title="metric value (1 = perfect)", scale=UNIT)
    lines = (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=x,
            y=y,
            color=alt.Color("model_name:N", scale=_model_scale(), legend=_model_legend()),
            strokeDash=alt.StrokeDash(
                "metric:N",
                scale=alt.Scale(domain=["ROC AUC", "average precision"], range=[[1, 0], [6, 3]]),
                legend=alt.Legend(
                    title="metric",
                    orient="bottom",
                    labelLimit=0,
                    symbolType="stroke",
                    symbolStrokeColor=MARKER_COLOR,
                    symbolStrokeWidth=2,
                    symbolOpacity=1,
                    symbolSize=300,
                ),
            ),
            detail=alt.Detail("metric:N"),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("metric:N"),
                alt.Tooltip("share_text:N", title="share of positives"),
                alt.Tooltip("value_text:N", title="value"),
                alt.Tooltip("positives:Q", format=","),
                alt.Tooltip("negatives:Q", format=","),
            ],
        )
    )
    # The points in a layer of their own: Streamlit draws a dash legend on a line with a point
    # overlay without its symbols (tests/ui/conftest.py checks every chart for it).
    points = (
        alt.Chart(long)
        .mark_point(size=40, filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("model_name:N", scale=_model_scale(), legend=_model_legend()),
            tooltip=[
                alt.Tooltip("model_name:N", title="model"),
                alt.Tooltip("metric:N"),
                alt.Tooltip("share_text:N", title="share of positives"),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )
    chance_rows = sweep.drop_duplicates("prevalence")[["prevalence", "share", "chance_ap"]]
    chance = (
        alt.Chart(
            chance_rows.assign(
                label="chance AP (the prevalence)",
                chance_ap_text=[
                    (chance_texts or {}).get(float(p), share(float(c)))
                    for p, c in zip(
                        chance_rows["prevalence"], chance_rows["chance_ap"], strict=True
                    )
                ],
            )
        )
        .mark_line(color=CHANCE, strokeDash=[2, 2])
        .encode(
            x=x,
            y=alt.Y("chance_ap:Q", scale=UNIT),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("chance_ap_text:N", title="chance AP"),
            ],
        )
    )
    return finish(
        alt.layer(chance, lines, points),
        title="ROC AUC and average precision by prevalence",
        height=height,
    )


def remedies_chart(
    remedies: pd.DataFrame, model: str, *, f1_decimals: int = 3, height: int = 260
) -> alt.LayerChart:
    """Precision, recall and F1 (± its bootstrap SE) of the four remedies of one model.

    ``f1_decimals``: the F1s' decimals in the tooltips, those of the remedies sentence beside
    the chart (claims.remedy_decimals), so that its "more than" / "within two standard errors"
    holds for the F1s the tooltips print too."""
    part = remedies[(remedies["model"] == model) & (remedies["remedy"] != "")].copy()
    # the thresholds as the remedies sentence prints them (one text function): a tuned one
    # never reads as the others' 0.5 unless it is
    # (the tuned one at the digits the sentence lists the three tuned thresholds with)
    tuned = tuned_threshold_texts(remedies, model)
    texts = [
        tuned[training] if rule == "tuned" else tuned_threshold_text(t)
        for training, rule, t in zip(part["training"], part["rule"], part["threshold"], strict=True)
    ]
    part["label"] = part["remedy"] + " (t = " + pd.Series(texts, index=part.index) + ")"
    long = part.melt(
        id_vars=["label", "f1_se"],
        value_vars=["precision", "recall", "f1"],
        var_name="metric",
        value_name="value",
    )
    long["metric"] = long["metric"].replace({"f1": "F1"})
    # precision and recall: 3 decimals, more while two remedies' different values print alike
    # (the remedies sentence's "recall 0.8234 → 0.8236" must not sit beside 0.823 and 0.823)
    places = {"F1": f1_decimals}
    for metric in ("precision", "recall"):
        places[metric] = apart_digits(part[metric], 3, text=share)
    long["value_text"] = [
        "undefined (nothing flagged)" if math.isnan(v) else share(v, places[metric])
        for v, metric in zip(long["value"], long["metric"], strict=True)
    ]
    long["value"] = long["value"].fillna(0.0)  # undefined precision (nothing flagged) drawn as 0
    # a standard error at its own 2 significant digits (core.facts.se_num), not at the F1s'
    # decimals: "0.054998" claimed five digits of a bootstrap SE (defaults at separation 5,
    # boosting), "0.186" three (prevalence 0.5 %, 4,000 rows, boosting); audit pass 71 d
    long["se_text"] = long["f1_se"].map(se_num)
    long["low"] = (long["value"] - long["f1_se"]).clip(lower=0)
    long["high"] = (long["value"] + long["f1_se"]).clip(upper=1)
    order = part["label"].tolist()
    metrics = list(METRIC_COLORS)
    y = alt.Y("label:N", sort=order, title="remedy (threshold t)", axis=alt.Axis(labelLimit=260))
    offset = alt.YOffset("metric:N", sort=metrics, scale=alt.Scale(domain=metrics))
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="value on the test split", scale=UNIT),
            y=y,
            yOffset=offset,
            color=alt.Color(
                "metric:N",
                sort=metrics,
                scale=alt.Scale(domain=metrics, range=list(METRIC_COLORS.values())),
                legend=_legend("metric"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="remedy"),
                alt.Tooltip("metric:N"),
                alt.Tooltip("value_text:N", title="value"),
            ],
        )
    )
    errors = (
        alt.Chart(long[long["metric"] == "F1"])
        .mark_bar(color=MARKER_COLOR, height=2)  # a bar, so it sits in the middle of its band
        .encode(
            x=alt.X("low:Q", scale=UNIT),
            x2=alt.X2("high:Q"),
            y=y,
            yOffset=offset,
            tooltip=[alt.Tooltip("se_text:N", title="F1 bootstrap SE")],
        )
    )
    return finish(
        alt.layer(bars, errors),
        title=f"Remedies for {MODEL_LABELS[model]}: precision, recall and F1",
        height=height,
    )


def reliability_chart(
    calibration: pd.DataFrame, model: str, *, height: int = 320
) -> alt.LayerChart:
    """Observed rate of positives against the mean predicted probability, per equal-count bin,
    for each training of one model (square-root axes), with the diagonal of perfect calibration."""
    part = calibration[calibration["model"] == model].copy()
    part["training_name"] = part["training"].map(TRAINING_LABELS)
    part = _texts(part, "mean_predicted", "fraction_positive")
    names = list(TRAINING_LABELS.values())  # over-sampled dashed: it often lies on weights' line
    scale = alt.Scale(type="sqrt", domain=[0, 1], nice=False)
    ticks = [0, 0.01, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1]
    dashes = alt.StrokeDash(
        "training_name:N",
        sort=names,
        scale=alt.Scale(domain=names, range=[[1, 0], [1, 0], [6, 3]]),
        legend=None,
    )
    lines = (
        alt.Chart(part)
        .mark_line(point=alt.OverlayMarkDef(size=45, filled=True))
        .encode(
            x=alt.X(
                "mean_predicted:Q",
                title="mean predicted probability (square-root scale)",
                scale=scale,
                axis=alt.Axis(values=ticks),
            ),
            y=alt.Y(
                "fraction_positive:Q",
                title="observed share of positives (square-root scale)",
                scale=scale,
                axis=alt.Axis(values=ticks),
            ),
            strokeDash=dashes,
            color=alt.Color(
                "training_name:N",
                sort=names,
                scale=alt.Scale(domain=names, range=[TRAINING_COLORS[t] for t in TRAINING_LABELS]),
                legend=_legend("trained"),
            ),
            order=alt.Order("mean_predicted:Q"),
            tooltip=[
                alt.Tooltip("training_name:N", title="trained"),
                alt.Tooltip("mean_predicted_text:N", title="mean predicted probability (bin)"),
                alt.Tooltip("fraction_positive_text:N", title="observed share of positives (bin)"),
            ],
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"mean_predicted": [0.0, 1.0], "fraction_positive": [0.0, 1.0]}))
        .mark_line(color=CHANCE, strokeDash=[4, 4])
        .encode(
            x=alt.X("mean_predicted:Q", scale=scale),
            y=alt.Y("fraction_positive:Q", scale=scale),
        )
    )
    return finish(
        alt.layer(diagonal, lines),
        title=f"Reliability diagram, {MODEL_LABELS[model]}, test split",
        height=height,
    )
