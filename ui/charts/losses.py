"""Charts of the loss-functions lesson: -log p, saturation through a sigmoid, training curves, the softmax Jacobian."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from core.experiments.loss_functions.claims import loss_text
from core.facts import alike, inside_unit, minus, not_whole, num, rounded_up_half
from ui.charts import COLORS, MARKER_COLOR, OKABE_ITO, _legend, finish, value_texts


def _loss_color(keys, labels) -> alt.Scale:
    """Display labels colored by the loss they stand for (COLORS keys mse / cross-entropy)."""
    return alt.Scale(domain=list(labels), range=[COLORS[k] for k in keys])


# The loss of a true-class probability p, for each curve of the −log p chart.
_LOSS_OF = {
    "cross_entropy": lambda p: -math.log(p) if p > 0 else math.inf,
    "mse": lambda p: (1.0 - p) ** 2,
}


def _p_label(p: float, loss: float, name: str) -> str:
    """p for a tooltip beside its :func:`loss_text`, with significant digits added until the
    loss of the printed p prints as the loss ("p 0.869, loss 0.141" gives 0.140; "p 0.000,
    loss 20.723" gives infinity), and a p strictly between 0 and 1 never printed as 0 or 1."""
    shown = loss_text(loss)
    for digits in range(3, 18):
        text = num(p, digits)
        if 0 < p < 1 and float(text) in (0.0, 1.0):
            continue
        implied = _LOSS_OF[name](float(text)) + 0.0
        if (
            math.isfinite(implied)
            and loss_text(implied) == shown
            and not rounded_up_half(text, p)  # 0.8445 for 0.84449 beside a metric's 0.844
        ):
            return text
    return text


def neglog_chart(curve: pd.DataFrame, standard: pd.DataFrame, current: tuple[float, float]):
    """Cross-entropy −log p and squared error (1 − p)² against the true class's probability p.

    ``curve`` has p, loss, loss_name (``cross_entropy`` or ``mse``); ``standard`` has
    true_probability, loss (the textbook points, on the −log p curve); ``current`` is (p, loss).
    """
    labels = {"cross_entropy": "cross-entropy −log p", "mse": "squared error (1 − p)²"}
    data = curve.assign(
        loss=curve["loss"] + 0.0,  # −log 1 is −0.0, not to be printed "-0.000"
        loss_text=curve["loss"].map(loss_text),
        what=curve["loss_name"].map(labels),
        p_text=[
            _p_label(p, v, n)
            for p, v, n in zip(curve["p"], curve["loss"], curve["loss_name"], strict=True)
        ],
    )
    keys = list(dict.fromkeys(data["loss_name"]))
    x = alt.X("p:Q", title="probability given to the true class p", scale=alt.Scale(domain=[0, 1]))
    # Fixed at [0, 7] (p down to 0.001) unless the current point needs more room.
    top = max(7.0, float(current[1]) * 1.1)
    # nats are cross-entropy's unit (natural log); the squared error (1 − p)² drawn on the same
    # axis has none (audit pass 46 c: "loss for this example (nats)" covered both curves)
    y = alt.Y(
        "loss:Q",
        title="loss for this example (cross-entropy in nats)",
        scale=alt.Scale(domain=[0, top]),
    )
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x,
            y,
            color=alt.Color(
                "what:N", scale=_loss_color(keys, [labels[k] for k in keys]), legend=_legend("")
            ),
            tooltip=[
                alt.Tooltip("what:N"),
                alt.Tooltip("p_text:N", title="p"),
                alt.Tooltip("loss_text:N", title="loss"),
            ],
        )
    )
    marks = pd.concat(
        [
            pd.DataFrame(
                {
                    "p": standard["true_probability"],
                    "loss": standard["loss"],
                    "point": "textbook numbers",
                }
            ),
            pd.DataFrame({"p": [current[0]], "loss": [current[1]], "point": ["your scores"]}),
        ],
        ignore_index=True,
    )
    marks["label"] = marks["loss"].map(loss_text)
    marks["loss_text"] = marks["label"]
    # every mark is on the −log p curve
    marks["p_text"] = [
        _p_label(p, v, "cross_entropy") for p, v in zip(marks["p"], marks["loss"], strict=True)
    ]
    points = (
        alt.Chart(marks)
        .mark_point(filled=True, size=90, opacity=1, clip=True)
        .encode(
            x,
            y,
            shape=alt.Shape(
                "point:N",
                scale=alt.Scale(
                    domain=["textbook numbers", "your scores"], range=["circle", "diamond"]
                ),
                legend=_legend(""),
            ),
            color=alt.ColorValue(MARKER_COLOR),
            tooltip=[
                alt.Tooltip("point:N"),
                alt.Tooltip("p_text:N", title="p"),
                alt.Tooltip("loss_text:N", title="loss"),
            ],
        )
    )
    text = points.mark_text(dx=8, dy=-8, align="left", color=MARKER_COLOR).encode(
        text=alt.Text("label:N")
    )
    return finish(
        alt.layer(lines, points, text),
        title="Confident wrong answers cost a lot: −log p is unbounded, (1 − p)² stops at 1 "
        "(p: the true class's probability)",
        height=320,
    )


def saturation_chart(
    data: pd.DataFrame, start_logit: float, *, value: str, at_start: dict | None = None
):
    """Loss (``value="loss"``) or |dL/dz| (``value="gradient"``, log axis) against the logit z, y = 1.

    ``data`` has z, loss_name (``mse`` / ``bce_with_logits``), loss, gradient. A rule marks
    ``start_logit``. ``at_start`` (loss_name → text) is how the sentences print each value at
    ``start_logit``; the tooltip at that grid point prints the same text.
    """
    labels = {"mse": "squared error (σ(z) − 1)²", "bce_with_logits": "cross-entropy −log σ(z)"}
    df = data.assign(what=data["loss_name"].map(labels), text=data[value].map(not_whole))
    if at_start:
        at = np.isclose(df["z"], start_logit, rtol=0.0, atol=1e-9)
        df.loc[at, "text"] = df.loc[at, "loss_name"].map(at_start)
    keys = list(dict.fromkeys(df["loss_name"]))
    log = value == "gradient"
    if log:
        df = df[df["gradient"] > 0]
    y_title = "|∂L/∂z| (log scale)" if log else "loss L(z) for a class-1 example"
    line = (
        alt.Chart(df)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("z:Q", title="logit z (σ(z) = predicted P(class 1))"),
            y=alt.Y(f"{value}:Q", title=y_title, scale=alt.Scale(type="log" if log else "linear")),
            color=alt.Color(
                "what:N", scale=_loss_color(keys, [labels[k] for k in keys]), legend=_legend("")
            ),
            tooltip=[
                alt.Tooltip("what:N"),
                alt.Tooltip(
                    "z:Q",
                    format=".2f",  # plain-format: an input position (the logit z grid on x)
                ),
                # magnitudes: the gradient of a class-1 example is negative (σ − 1), so its
                # tooltip is |∂L/∂z| as the axis says, not "gradient" (audit pass 47 h)
                alt.Tooltip("text:N", title="|∂L/∂z|" if value == "gradient" else value),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"z": [start_logit]}))
        .mark_rule(color=MARKER_COLOR, strokeDash=[6, 3])
        .encode(x=alt.X("z:Q"), tooltip=[alt.Tooltip("z:Q", title="start logit z₀")])
    )
    title = (
        "|∂L/∂z|: squared error's gradient vanishes in the tails"
        if log
        else "Loss against the logit for a class-1 example"
    )
    return finish(alt.layer(line, rule), title=title, height=300)


def training_chart(training: pd.DataFrame, *, metric: str):
    """Training curves of the two nets: ``metric="train_loss"`` (each its own objective, log axis)
    or ``"accuracy"`` (train solid, test dashed)."""
    labels = {"mse": "trained with squared error", "bce_with_logits": "trained with cross-entropy"}
    keys = [k for k in labels if k in set(training["model"])]
    df = training.assign(what=training["model"].map(labels))
    scale = _loss_color(keys, [labels[k] for k in keys])
    x = alt.X("epoch:Q", title="epochs (full-batch gradient-descent updates)")
    if metric == "train_loss":
        df = df[df["train_loss"] > 0]
        df = df.assign(loss_text=value_texts(df["train_loss"], 4))
        chart = (
            alt.Chart(df)
            .mark_line(strokeWidth=2)
            .encode(
                x,
                alt.Y(
                    "train_loss:Q",
                    title="training loss, own objective (log)",
                    scale=alt.Scale(type="log"),
                ),
                color=alt.Color("what:N", scale=scale, legend=_legend("")),
                tooltip=[
                    alt.Tooltip("what:N"),
                    alt.Tooltip("epoch:Q"),
                    alt.Tooltip("loss_text:N", title="train_loss"),
                ],
            )
        )
        return finish(
            chart, title="Training loss: the same net, the same start, two losses", height=300
        )
    long = df.melt(
        id_vars=["what", "epoch"],
        value_vars=["train_accuracy", "test_accuracy"],
        var_name="split",
        value_name="accuracy",
    )
    long["split"] = long["split"].str.replace("_accuracy", "")
    long["accuracy_text"] = [
        inside_unit(float(v), 3) if pd.notna(v) else "" for v in long["accuracy"]
    ]
    chart = (
        alt.Chart(long)
        .mark_line(strokeWidth=2)
        .encode(
            x,
            alt.Y(
                "accuracy:Q", title="accuracy (fraction correct)", scale=alt.Scale(domain=[0, 1])
            ),
            color=alt.Color("what:N", scale=scale, legend=_legend("")),
            strokeDash=alt.StrokeDash(
                "split:N",
                scale=alt.Scale(domain=["train", "test"], range=[[1, 0], [5, 3]]),
                legend=_legend("split", "top"),
            ),
            tooltip=[
                alt.Tooltip("what:N"),
                alt.Tooltip("split:N"),
                alt.Tooltip("epoch:Q"),
                alt.Tooltip("accuracy_text:N", title="accuracy"),
            ],
        )
    )
    return finish(chart, title="Accuracy: train (solid) and test (dashed)", height=300)


def jacobian_heatmap(jacobian: pd.DataFrame, *, version: str, title: str):
    """One 3 × 3 softmax Jacobian ∂p_i/∂z_j as a heatmap with the values written in the cells.

    ``jacobian`` has version, row (p_i), col (z_j), value; the color scale is symmetric about 0
    and shared by both versions, so the two heatmaps compare cell by cell.
    """
    bound = float(max(np.abs(jacobian["value"]).max(), 1e-9))
    # the cells of both heatmaps at one count of significant digits (core.facts.alike, 3 or
    # more; a cell of −4.1e-05 at a near-one-hot p is not "−0.000"), so a diagonal cell reads the
    # same in both: at the defaults the cells read "−0.16" beside "−0.06496" and "+0.184" beside
    # "+0.2247", and an exact 0 of the diagonal-only version "+0" (audit pass 66 c)
    labels = _signed_alike(jacobian["value"], 3)
    # the tooltip at 4 digits or more, at one count too (never a 5 that rounding up made)
    tooltips = _signed_alike(jacobian["value"], 4, plus=False)
    df = jacobian.assign(label=labels, value_text=tooltips)
    df = df[df["version"] == version]
    base = alt.Chart(df).encode(
        x=alt.X("col:N", title="logit z_j (∂ with respect to)", sort=["z1", "z2", "z3"]),
        y=alt.Y("row:N", title="probability p_i", sort=["p1", "p2", "p3"]),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "value:Q",
            scale=alt.Scale(scheme="blueorange", domain=[-bound, bound]),
            legend=alt.Legend(title="∂p_i/∂z_j", orient="right"),
        ),
        tooltip=[
            alt.Tooltip("row:N"),
            alt.Tooltip("col:N"),
            alt.Tooltip("value_text:N", title="value"),
        ],
    )
    text = base.mark_text(fontSize=14, color=MARKER_COLOR).encode(text=alt.Text("label:N"))
    return finish(alt.layer(rect, text), title=title, height=240)


def logit_gradient_bars(classes: pd.DataFrame):
    """Per class: dL/dz from the full Jacobian (p − y) against the diagonal-only mistake."""
    names = ["full Jacobian: p − y", "diagonal only (wrong)"]
    long = classes.melt(
        id_vars="class",
        value_vars=["gradient", "diagonal_only"],
        var_name="jacobian",
        value_name="dL_dz",
    )
    long["jacobian"] = long["jacobian"].map(
        dict(zip(["gradient", "diagonal_only"], names, strict=True))
    )
    # p − y lies strictly between −1 and 1: a near-one-hot p's −0.9999992 is not "−1" (not_whole)
    # and never a 5 that rounding up made (0.0265 for 0.026499 beside the metric's 0.026)
    # both from the number p − y stands for (core.facts.cleaned), as the metric and the sentence
    # print p: 0.4875 computed 0.48749999999999993 is not "+0.487" beside a metric's 0.488
    # negatives with the minus sign "−" of the page's sentences (audit pass 57 b: "-0.999")
    # the bars' labels at one count of significant digits (core.facts.alike), an exact 0 (the
    # diagonal-only mistake's wrong classes) as "0", not "+0" (audit pass 66 c)
    long["label"] = _signed_alike(long["dL_dz"], 3)
    long["value"] = _signed_alike(long["dL_dz"], 4, plus=False)
    base = alt.Chart(long).encode(
        x=alt.X("class:N", title="class", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("jacobian:N", sort=names),
        y=alt.Y("dL_dz:Q", title="∂L/∂z for this class"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "jacobian:N",
            scale=alt.Scale(domain=names, range=[COLORS["cross_entropy"], OKABE_ITO["grey"]]),
            legend=_legend(""),
        ),
        tooltip=[
            alt.Tooltip("class:N"),
            alt.Tooltip("jacobian:N"),
            alt.Tooltip("value:N", title="dL_dz"),
        ],
    )
    # the labels show the diagonal-only zeros, which have no bar to see
    text = base.mark_text(dy=-8, color=MARKER_COLOR).encode(text=alt.Text("label:N"))
    rule = (
        alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=MARKER_COLOR).encode(y=alt.Y("y:Q"))
    )
    return finish(
        alt.layer(bars, text, rule),
        title="Gradient on the logits: only the full Jacobian pushes the wrong classes down",
        height=300,
    )


def _signed_alike(values, digits: int, *, plus: bool = True) -> list[str]:
    """``values`` printed together at one count of significant digits (:func:`core.facts.alike`,
    ``digits`` or more, zeros kept), negatives with the page's minus sign "−", positives with
    "+" when ``plus`` and an exact 0 as "0" (no sign: it is neither)."""
    texts = alike(*(float(v) + 0.0 for v in values), digits=digits)
    return [
        ("+" if plus and float(v) > 0 else "") + minus(t)
        for v, t in zip(values, texts, strict=True)
    ]
