"""Lesson: cross-entropy, why not squared error for classification, and the softmax gradient p − y."""

import streamlit as st

from core.experiments import loss_functions as lf
from core.experiments.loss_functions.claims import (
    SATURATION,
    TRAINING,
    check_cells,
    complement,
    gradients_with_ratios,
    loss_text,
    p_metric,
    p_metric_values,
    p_text,
)
from core.facts import decimals, inside_unit, minus, num
from core.quiz import is_
from ui import controls, lesson
from ui.charts import losses as charts
from ui.controls import Choice, Group, LogSlider, Seed, Slider
from ui.runner import run_experiment


def _logits(values) -> bool:
    return values["input_mode"] == "logits"


def _probabilities(values) -> bool:
    return values["input_mode"] == "probabilities"


panel = controls.Panel(
    lf.Config,
    Group(
        "Softmax and cross-entropy",
        Choice(
            "input_mode",
            "Set the three class scores as",
            "Logits z go through softmax; probabilities are divided by their sum.",
            key="mode",
            widget="radio",
        ),
        *(
            Slider(
                f"logit_{c}",
                f"Logit z{c}",
                f"The network's raw score for class {c}; softmax turns the three into "
                "probabilities.",
                key=f"z{c}",
                when=_logits,
            )
            for c in (1, 2, 3)
        ),
        *(
            Slider(
                f"probability_{c}",
                f"Weight of class {c}",
                "Divided by the sum of the three, so any positive weights make probabilities.",
                key=f"p{c}",
                when=_probabilities,
            )
            for c in (1, 2, 3)
        ),
        Choice(
            "true_class",
            "True class",
            "The label y (one-hot): the loss is −log of the probability of this class.",
            key="cls",
            labels=lambda c: str(c + 1),
            widget="radio",
        ),
    ),
    Group(
        "Squared error vs cross-entropy",
        Slider(
            "start_logit",
            "Start logit z₀ (output bias)",
            "Marked on the saturation charts, and the output bias both nets start from: the "
            "further below 0, the more confidently the examples start as 'class 0' (σ near 0). "
            "The caption under the training charts says where this run starts.",
            key="z0",
        ),
    ),
    Group(
        "Training (same net, same data, two losses)",
        Choice(
            "dataset",
            "Dataset",
            f"A 2-D binary task, {lf.N_SAMPLES} points (70% train, 30% test).",
            key="data",
        ),
        LogSlider(
            "learning_rate",
            "Learning rate η (log scale)",
            "Plain full-batch gradient descent, so a small gradient means a small step.",
            key="lr",
        ),
        Slider("epochs", "Epochs", "Full-batch updates for each of the two nets."),
        Seed("seed", "Seed", "Seeds the data and the starting weights (the same for both nets)."),
    ),
    presets=lf.PRESETS,
)

lesson.header()
config = panel.draw()
choice = lesson.predict(lf.PREDICTION)
result = run_experiment("loss_functions", config)
facts = lf.facts(config, result)
c = result.true_class
p_true = float(result.probabilities[c])

# ---- cross-entropy --------------------------------------------------------------------------------
st.header("Cross-entropy is −log(probability of the true class)")
# two lines: on one, a 390 px phone cut it at "p = softr…" (audit pass 62/63 h)
st.latex(r"L = -\sum_i y_i \log p_i = -\log p_{c}")
st.latex(r"p = \operatorname{softmax}(z),\quad p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}")


cols = st.columns(4)
true_text = p_text(p_true, float(result.loss))
# the other classes' p to as many decimals as the true class's (weights 1, 0.01, 0.01, class 2:
# two equal probabilities printed "p = 0.00980392" and "p = 0.010"; audit pass 59 a)
true_places = len(true_text.partition(".")[2]) if "−" not in true_text else 3
_probabilities = [float(v) for v in result.probabilities]
_values = p_metric_values(
    [
        true_text if i == c else p_metric(p_i, max(3, true_places))
        for i, p_i in enumerate(_probabilities)
    ],
    _probabilities,
    [complement(result, i) for i in range(3)],
)
for i, (col, (value, full)) in enumerate(zip(cols[:3], _values, strict=True)):
    marker = " (true)" if i == c else ""
    col.metric(
        f"class {i + 1}{marker}",
        value,
        # "≈" before a rounded logit: with the scores set as probabilities, z1 = log(0.7) printed
        # "logit z1 = −0.357" (audit pass 59 a); a slider's logit keeps its "="
        help=f"logit z{i + 1} {minus(is_(float(result.logits[i]), num(float(result.logits[i]), 3)))}"
        + full,
    )
cols[3].metric(
    "cross-entropy",
    loss_text(float(result.loss)),
    help="−log p of the true class, from core.losses",
)
st.markdown("**The textbook numbers, computed live by `core.losses`:**")
cols = st.columns(3)
for col, row in zip(cols, result.standard.itertuples(), strict=True):
    col.metric(
        row.case, loss_text(float(row.loss)), help=f"−log {num(float(row.true_probability), 6)}"
    )
lesson.chart(
    lesson.Cached(charts.neglog_chart, result.neglog, result.standard, (p_true, result.loss))
)

# ---- squared error through a sigmoid -----------------------------------------------------------
st.header("Why not squared error? Its gradient vanishes through a saturated sigmoid")
# each derivative on lines of its own: on one line, squared error's "vs" cross-entropy's was
# three times as wide as the formula a 390 px phone cut at "p = softr…" (audit pass 64 h)
st.latex(
    r"\begin{aligned}&\text{squared error: }\frac{\partial}{\partial z}(\sigma(z) - y)^2\\"
    r"&\quad= 2(\sigma(z) - y)\,\sigma(z)(1 - \sigma(z))\end{aligned}"
)
st.latex(
    r"\begin{aligned}&\text{cross-entropy: }\frac{\partial}{\partial z}\bigl[-y\log\sigma(z)\\"
    r"&\quad - (1-y)\log(1-\sigma(z))\bigr]\\&\quad= \sigma(z) - y\end{aligned}"
)
# the gradients at z₀ as the answer and the ratio sentences print them
_ce, _mse, _, _ = gradients_with_ratios(result.at_start)
at_start = {"bce_with_logits": _ce, "mse": _mse}
lesson.side_by_side(
    *(
        lesson.Cached(
            charts.saturation_chart,
            result.saturation,
            config.start_logit,
            value=value,
            at_start=at_start if value == "gradient" else None,
        )
        for value in ("loss", "gradient")
    )
)
lesson.captions(facts, SATURATION)
lesson.reveal_answer(choice, facts)

st.subheader("The same net trained with each loss")
lesson.warnings(facts)
lesson.side_by_side(
    lesson.Cached(charts.training_chart, result.training, metric="train_loss"),
    lesson.Cached(charts.training_chart, result.training, metric="accuracy"),
)
st.caption(
    f"A 2-{lf.HIDDEN_UNITS}-1 {lf.HIDDEN_ACTIVATION} net, the same starting weights (output bias "
    f"z₀ = {minus(num(config.start_logit, 6))}) and plain full-batch gradient descent with η = "
    f"{num(config.learning_rate, 6)} for {config.epochs} epochs (a fixed count, not until a "
    "minimum); one net takes its steps on mean (σ(z) − y)², the other on binary cross-entropy "
    "(core.train.fit). Each loss curve is on its own objective."
)
lesson.captions(facts, TRAINING)

# ---- softmax gradient and Jacobian --------------------------------------------------------------------
st.header("The gradient on the logits is p − y; the softmax Jacobian is not diagonal")
# on lines of their own: on one line the chain was twice as wide as the formula a 390 px phone
# cut at "p = softr…" (audit pass 64 h)
st.latex(
    r"\begin{aligned}\frac{\partial p_i}{\partial z_j} &= p_i(\delta_{ij} - p_j)\\"
    r"J &= \operatorname{diag}(p) - p\,p^\top\end{aligned}"
)
st.latex(
    r"\begin{aligned}\frac{\partial L}{\partial z} &= J^\top \frac{\partial L}{\partial p}"
    r" = J^\top\Bigl(-\frac{y}{p}\Bigr)\\&= p - y\end{aligned}"
)
lesson.side_by_side(
    lesson.Cached(
        charts.jacobian_heatmap,
        result.jacobian,
        version="full",
        title="Full Jacobian diag(p) − p pᵀ (correct)",
    ),
    lesson.Cached(
        charts.jacobian_heatmap,
        result.jacobian,
        version="diagonal only",
        title="Diagonal only, p_i(1 − p_i): the common mistake",
    ),
)
lesson.chart(lesson.Cached(charts.logit_gradient_bars, result.classes))


def _cell(v: float) -> str:
    """A p or a p − y to 5 decimals; one strictly inside (−1, 1) that would print 0.00000 or
    ±1.00000 (a near-one-hot p at logits ±10) as core.facts.inside_unit writes it."""
    text = inside_unit(abs(v), 5)
    if v >= 0:
        return text
    # the minus sign "−" of the page's sentences and metric help ("logit z1 = −2.5"), not the
    # hyphen: logits (−2.5, −1, −7.3), class 3, printed "-0.99850" and "-2.500" (audit pass 57 b)
    return f"−({text})" if text.startswith("1 − ") else f"−{text}"


# p − y and its central difference with the digits the check sentence's bound needs
gradient_cells, numeric_cells = check_cells(result)
lesson.table(
    result.classes.assign(
        diagonal_only=result.classes["diagonal_only"].map(lambda v: _cell(float(v))),
        # the true class's p with the digits that give the cross-entropy printed above
        probability=[
            p_text(float(v), float(result.loss), places=5, digits=2) if i == c else _cell(float(v))
            for i, v in enumerate(result.classes["probability"])
        ],
        gradient=gradient_cells,
        central_difference=numeric_cells,
        logit=result.classes["logit"].map(lambda v: minus(decimals(float(v) + 0.0, 3))),
    ),
    column_config={
        "gradient": st.column_config.TextColumn("p − y (core.losses)"),
        "central_difference": st.column_config.TextColumn("central difference"),
        "diagonal_only": st.column_config.TextColumn("diagonal-only result"),
        "logit": st.column_config.TextColumn("logit z"),
        "probability": st.column_config.TextColumn("p = softmax(z)"),
        "target": st.column_config.NumberColumn("y (one-hot)", format="%d"),
    },
)

# ---- what to notice, model answer -----------------------------------------------------------------
lesson.notice_facts(facts)
lesson.model_answer(lf.MODEL_ANSWER)
