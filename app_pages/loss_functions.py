"""Lesson: cross-entropy, why not squared error for classification, and the softmax gradient p − y."""

import streamlit as st

from core.experiments import loss_functions as lf
from ui import controls, lesson
from ui.charts import losses as charts
from ui.runner import build_config, run_experiment

DEFAULTS = lf.Config()
CLASSES = (1, 2, 3)

lesson.header(
    "Loss functions: cross-entropy",
    "Describe the cross-entropy loss. Why not squared error for classification?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Textbook [0.7, 0.2, 0.1]": (
            "Probabilities 0.7, 0.2, 0.1 with the first class true: the loss is −log 0.7 = 0.357.",
            {"mode": "probabilities", "p1": 0.7, "p2": 0.2, "p3": 0.1, "cls": 1},
        ),
        "Confidently wrong": (
            "The network bets on class 2 while class 1 is true: −log p is large and p − y pushes hard.",
            {"mode": "logits", "z1": -2.0, "z2": 4.0, "z3": 1.0, "cls": 1},
        ),
        "Fair start (z₀ = 0)": (
            "Both nets start undecided (σ = 0.5): squared error trains too, only more slowly.",
            {"z0": 0.0},
        ),
        "Saturated start (z₀ = −8)": (
            "Every example starts as a confident 'class 0': squared error's gradient is ~0.0007 "
            "of cross-entropy's, and its net barely moves.",
            {"z0": -8.0},
        ),
    }
)
with st.sidebar:
    st.subheader("Softmax and cross-entropy")
    mode = controls.radio(
        "Set the three class scores as",
        key="mode",
        options=lf.INPUT_MODES,
        value=DEFAULTS.input_mode,
        help="Logits z go through softmax; probabilities are divided by their sum.",
    )
    if mode == "logits":
        scores = tuple(
            controls.slider(
                f"Logit z{c}",
                key=f"z{c}",
                min_value=-10.0,
                max_value=10.0,
                value=DEFAULTS.logits[c - 1],
                step=0.1,
                help=f"The network's raw score for class {c}; softmax turns the three into probabilities.",
            )
            for c in CLASSES
        )
    else:
        scores = tuple(
            controls.slider(
                f"Weight of class {c}",
                key=f"p{c}",
                min_value=0.01,
                max_value=1.0,
                value=DEFAULTS.probabilities[c - 1],
                step=0.01,
                help="Divided by the sum of the three, so any positive weights make probabilities.",
            )
            for c in CLASSES
        )
    true_class = controls.radio(
        "True class",
        key="cls",
        options=CLASSES,
        value=DEFAULTS.true_class + 1,
        help="The label y (one-hot): the loss is −log of the probability of this class.",
    )
    st.subheader("Squared error vs cross-entropy")
    start_logit = controls.slider(
        "Start logit z₀ (output bias)",
        key="z0",
        min_value=-10.0,
        max_value=10.0,
        value=DEFAULTS.start_logit,
        step=0.5,
        help="Marked on the saturation charts, and the output bias both nets start from: "
        "negative means every example starts as a confident 'class 0'.",
    )
    st.subheader("Training (same net, same data, two losses)")
    dataset = controls.select(
        "Dataset",
        key="data",
        options=lf.DATASETS,
        value=DEFAULTS.dataset,
        help=f"A 2-D binary task, {lf.N_SAMPLES} points (70% train, 30% test).",
    )
    learning_rate = controls.log_slider(
        "Learning rate η (log scale)",
        key="lr",
        options=controls.log_options(0.01, 10.0),
        value=DEFAULTS.learning_rate,
        help="Plain full-batch gradient descent, so a small gradient means a small step.",
    )
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=10,
        max_value=1000,
        value=DEFAULTS.epochs,
        step=10,
        help="Full-batch updates for each of the two nets.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds the data and the starting weights (the same for both nets).",
    )

values = {"logits": scores} if mode == "logits" else {"probabilities": scores}
config = build_config(
    lf.Config,
    input_mode=mode,
    true_class=int(true_class) - 1,
    start_logit=start_logit,
    dataset=dataset,
    learning_rate=learning_rate,
    epochs=epochs,
    seed=int(seed),
    **values,
)

choice = lesson.predict(
    "ce",
    "A class-1 example gets a very negative logit z (the network is confidently wrong). "
    "Which loss gives the larger gradient |∂L/∂z| to fix it?",
    ("squared error", "cross-entropy"),
)

result = run_experiment("loss_functions", config)
c = result.true_class
p_true = float(result.probabilities[c])

# ---- cross-entropy --------------------------------------------------------------------------------
st.header("Cross-entropy is −log(probability of the true class)")
st.latex(
    r"L = -\sum_i y_i \log p_i = -\log p_{c},\qquad p = \operatorname{softmax}(z),\ "
    r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}"
)
cols = st.columns(4)
for i, col in enumerate(cols[:3]):
    marker = " (true)" if i == c else ""
    col.metric(
        f"class {i + 1}{marker}",
        f"p = {result.probabilities[i]:.3f}",
        help=f"logit z{i + 1} = {result.logits[i]:.3g}",
    )
cols[3].metric(
    "cross-entropy", f"{result.loss:.3f}", help="−log p of the true class, from core.losses"
)
st.markdown("**The textbook numbers, computed live by `core.losses`:**")
cols = st.columns(3)
for col, row in zip(cols, result.standard.itertuples(), strict=True):
    col.metric(row.case, f"{row.loss:.3f}", help=f"−log {row.true_probability:g}")
lesson.chart(
    lesson.Cached(charts.neglog_chart, result.neglog, result.standard, (p_true, result.loss)),
    width="stretch",
)

# ---- squared error through a sigmoid -----------------------------------------------------------
st.header("Why not squared error? Its gradient vanishes through a saturated sigmoid")
st.latex(
    r"\frac{\partial}{\partial z}(\sigma(z) - y)^2 = 2(\sigma(z) - y)\,\sigma(z)(1 - \sigma(z))"
    r"\qquad\text{vs}\qquad"
    r"\frac{\partial}{\partial z}\bigl[-y\log\sigma(z) - (1-y)\log(1-\sigma(z))\bigr] = \sigma(z) - y"
)
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(charts.saturation_chart, result.saturation, config.start_logit, value="loss"),
        width="stretch",
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.saturation_chart, result.saturation, config.start_logit, value="gradient"
        ),
        width="stretch",
    )
at = result.at_start
st.caption(
    f"At z₀ = {at['z']:g} (dashed), σ(z₀) = {at['sigmoid']:.4g}: "
    f"|∂L/∂z| is {at['bce_with_logits']:.3g} for cross-entropy and {at['mse']:.3g} for squared "
    f"error, a ratio of {at['ratio']:.3g} = 2σ(1 − σ), never more than 1/2."
)
actual = "cross-entropy" if at["bce_with_logits"] > at["mse"] else "squared error"
lesson.reveal(
    choice,
    actual,
    "Squared error's gradient carries the sigmoid's slope σ′(z) = σ(1 − σ), which is ~0 in "
    "both tails; cross-entropy's log cancels it, leaving σ(z) − y.",
)

st.subheader("The same net trained with each loss")
summary = result.summary
for name in summary.index[summary["diverged"]]:
    st.warning(
        f"The net trained with {lf.LABELS[name]} diverged at η = {config.learning_rate:g}: lower the learning rate.",
        icon=":material/warning:",
    )
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(charts.training_chart, result.training, metric="train_loss"), width="stretch"
    )
with right:
    lesson.chart(
        lesson.Cached(charts.training_chart, result.training, metric="accuracy"), width="stretch"
    )
st.caption(
    f"A 2-{lf.HIDDEN_UNITS}-1 {lf.HIDDEN_ACTIVATION} net, the same starting weights (output bias "
    f"z₀ = {config.start_logit:g}) and plain full-batch gradient descent with η = "
    f"{config.learning_rate:g}; one net minimizes mean (σ(z) − y)², the other binary "
    "cross-entropy (core.train.fit). Each loss curve is on its own objective."
)

# ---- softmax gradient and Jacobian --------------------------------------------------------------------
st.header("The gradient on the logits is p − y; the softmax Jacobian is not diagonal")
st.latex(
    r"\frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j),\quad "
    r"J = \operatorname{diag}(p) - p\,p^\top,\qquad "
    r"\frac{\partial L}{\partial z} = J^\top \frac{\partial L}{\partial p} = "
    r"J^\top\Bigl(-\frac{y}{p}\Bigr) = p - y"
)
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.jacobian_heatmap,
            result.jacobian,
            version="full",
            title="Full Jacobian diag(p) − p pᵀ (correct)",
        ),
        width="stretch",
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.jacobian_heatmap,
            result.jacobian,
            version="diagonal only",
            title="Diagonal only, p_i(1 − p_i): the common mistake",
        ),
        width="stretch",
    )
lesson.chart(lesson.Cached(charts.logit_gradient_bars, result.classes), width="stretch")
st.dataframe(
    result.classes,
    hide_index=True,
    width="stretch",
    column_config={
        "gradient": st.column_config.NumberColumn("p − y (core.losses)", format="%.5f"),
        "central_difference": st.column_config.NumberColumn("central difference", format="%.5f"),
        "diagonal_only": st.column_config.NumberColumn("diagonal-only result", format="%.5f"),
        "logit": st.column_config.NumberColumn("logit z", format="%.3f"),
        "probability": st.column_config.NumberColumn("p = softmax(z)", format="%.4f"),
        "target": st.column_config.NumberColumn("y (one-hot)", format="%d"),
    },
)

# ---- what to notice, model answer -----------------------------------------------------------------
wrong = result.classes.drop(index=c)
cls = summary.loc["bce_with_logits"]
sq = summary.loc["mse"]


def _reached(row) -> str:
    e = row["epochs_to_75"]
    return f"75% after {e:.0f} epochs" if e == e else "never reached 75%"


lesson.notice(
    [
        f"The true class {c + 1} gets p = {p_true:.3g}, so the loss is −log {p_true:.3g} = "
        f"{result.loss:.3f}; a confident wrong answer with p = 0.01 would cost 4.605, and p → 0 "
        "costs without bound, while squared error never exceeds 1.",
        f"At z₀ = {at['z']:g}, cross-entropy's gradient is {at['bce_with_logits']:.3g} and squared "
        f"error's {at['mse']:.3g} ({1 / at['ratio']:.3g} times smaller).",
        f"Trained for {config.epochs} epochs from that start: cross-entropy reached train accuracy "
        f"{cls['train_accuracy']:.2f} ({_reached(cls)}), squared error {sq['train_accuracy']:.2f} "
        f"({_reached(sq)}); their first gradients had norms {cls['start_grad_norm']:.3g} and "
        f"{sq['start_grad_norm']:.3g}.",
        "With only the Jacobian's diagonal, the wrong classes' logits get zero gradient instead of "
        + ", ".join(f"+{v:.3f}" for v in wrong["gradient"])
        + f" (their p): the full Jacobian gives p − y, which matches central differences "
        f"(Jacobian relative error {result.jacobian_rel_error:.1e}).",
    ]
)

lesson.model_answer(
    "Cross-entropy measures how much probability the model gives to the true class: "
    "L = −Σ y_i log p_i, which for a one-hot label is −log p_true. It is the negative "
    "log-likelihood of the labels, so minimizing it is maximum-likelihood estimation. "
    "Numbers to know: p = 0.9 costs 0.105, p = 0.6 costs 0.511, and 0.7 of [0.7, 0.2, 0.1] costs "
    "0.357; p → 0 costs without bound, so confident mistakes are punished hard.\n\n"
    "For classification, squared error on a sigmoid (or softmax) output has gradient "
    "2(σ − y)σ(1 − σ): the σ′ factor vanishes when the output saturates, so a confidently wrong "
    "network learns slowly. Cross-entropy's log cancels that factor: with softmax the gradient "
    "on the logits is simply p − y. That is why frameworks fuse the two "
    "(BCEWithLogitsLoss, CrossEntropyLoss on logits), which is also numerically stable.",
    formulas=[
        r"L = -\sum_{i=1}^{k} y_i \log p_i,\qquad p = \operatorname{softmax}(z)",
        r"\frac{\partial L}{\partial z_i} = p_i - y_i",
        r"\frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j)\;\Longleftrightarrow\;"
        r"J = \operatorname{diag}(p) - p\,p^\top",
    ],
    pitfalls=[
        "Writing p − y as the derivative with respect to the probabilities ŷ: it is the "
        "derivative with respect to the logits z. With respect to p it is −y/p.",
        "Giving the softmax Jacobian as only its diagonal p_i(1 − p_i): every probability "
        "depends on every logit, and the off-diagonal −p_i p_j terms are what push the wrong "
        "classes down. The full Jacobian is diag(p) − p pᵀ.",
        "Computing log(softmax(z)) in two steps: use log-softmax (log-sum-exp) so that large "
        "logits neither overflow nor take log 0.",
    ],
)
