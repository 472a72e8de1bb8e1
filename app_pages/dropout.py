"""Lesson: why dropout helps (an overfitting net, inverted dropout's scaling, the ensemble view)."""

import dataclasses

import streamlit as st

from core.data import CLASSIFICATION_2D, boundary_note
from core.experiments import dropout as do
from ui import controls, lesson
from ui.charts import training as charts
from ui.classroom import register_widget
from ui.runner import build_config, run_experiment
from ui.upload import show_data_in_use, user_dataset

DEFAULTS = do.Config()
PALETTE = charts.KEEP_PROB_COLORS
DEFAULT_KEYS = ["1.0", "0.8", "0.5"]
OUTCOMES = ("lower", "about the same", "higher")
PER_ROW = 4

lesson.header(
    "Dropout",
    "Why does dropout help? What exactly happens at training time and at inference?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Overfitting: few noisy points, wide net": (
            "40 noisy points and 128 units per layer: without dropout the test loss climbs.",
            {"ntrain": 40, "noise": 0.35, "width": 128, "depth": 2, "epochs": 200},
        ),
        "More data: less to fix": (
            "With 100 points the net overfits less, and dropout changes less.",
            {"ntrain": 100, "noise": 0.35, "width": 64, "depth": 2, "epochs": 200},
        ),
        "Narrow net": (
            "16 units cannot memorize the noise: dropout mostly slows training down.",
            {"ntrain": 40, "noise": 0.35, "width": 16, "depth": 2, "epochs": 200},
        ),
    }
)
with st.sidebar:
    st.subheader("Data")
    dataset = controls.select(
        "Dataset",
        key="data",
        options=CLASSIFICATION_2D,
        value=DEFAULTS.dataset,
        help="A 2-D two-class set. The test set has four points for every training point.",
    )
    n_train = controls.slider(
        "Training points",
        key="ntrain",
        min_value=20,
        max_value=100,
        value=DEFAULTS.n_train,
        step=10,
        help="Few points are easy to memorize: that is the overfitting dropout fights.",
    )
    noise = controls.slider(
        "Noise",
        key="noise",
        min_value=0.0,
        max_value=1.0,
        value=DEFAULTS.noise,
        step=0.05,
        help="Standard deviation of the noise on the points: noisy labels invite overfitting.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds data, initial weights and masks: every q starts from the same net.",
    )
    own_data = user_dataset(
        "dropout_own", task="classification", seed=int(seed), validate=do.check_data
    )
    st.subheader("Model")
    width = controls.choice_slider(
        "Hidden width",
        key="width",
        options=[16, 32, 64, 128],
        value=DEFAULTS.width,
        help="Units per hidden layer (ReLU). Wide nets on few points overfit.",
    )
    depth = controls.slider(
        "Hidden layers",
        key="depth",
        min_value=1,
        max_value=3,
        value=DEFAULTS.depth,
        help="Dropout acts on every hidden layer's output (never on the inputs or logits here).",
    )
    st.subheader("Training")
    learning_rate = controls.log_slider(
        "Learning rate (Adam, log scale)",
        key="lr",
        options=controls.log_options(3e-4, 0.03),
        value=DEFAULTS.learning_rate,
        help="Adam's step size; full-batch training, a fresh dropout mask every step.",
    )
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=50,
        max_value=400,
        value=DEFAULTS.epochs,
        step=50,
        help="Full-batch steps. Long training lets the net memorize the noise.",
    )

config = build_config(
    do.Config,
    dataset=dataset,
    n_train=n_train,
    noise=noise,
    width=width,
    depth=depth,
    learning_rate=learning_rate,
    epochs=epochs,
    seed=int(seed),
)

maps_note = boundary_note(own_data)
if own_data is not None:
    show_data_in_use(
        own_data,
        replaces="the 2-D set chosen in the sidebar",
        ignored=("Dataset", "Training points", "Noise"),
        prepare=lambda: do.prepare_data(config, own_data),
    )

choice = lesson.predict(
    "dropout",
    "On this overfitting net, what does keeping each hidden unit with probability "
    "**q = 0.5** do to the final **test loss**, compared with no dropout (q = 1.0)?",
    OUTCOMES,
)


def _keep_pill(key: str) -> str:
    return "q = 1.0 (no dropout)" if key == "1.0" else f"q = {key}"


register_widget("q", DEFAULT_KEYS, [_keep_pill(k) for k in DEFAULT_KEYS])
selected = st.pills(
    "Keep probabilities q to train",
    do.KEEP_KEYS,
    selection_mode="multi",
    default=DEFAULT_KEYS,
    format_func=_keep_pill,
    key="q",
    help="Each unit is kept with probability q (dropped with p = 1 − q) at every training step. "
    "Each q is one cached run.",
    bind=controls.BIND,
)
selected = [k for k in do.KEEP_KEYS if k in (selected or [])]
if not selected:
    st.info("Select at least one keep probability above.", icon=":material/touch_app:")
    st.stop()

runs = {}
for key in dict.fromkeys([*selected, "1.0", "0.5"]):
    run_config = dataclasses.replace(config, keep_prob=float(key))
    runs[key] = run_experiment(
        "dropout", run_config, spinner=f"Training with q = {key}…", data=own_data
    )
shown = [runs[k] for k in selected]
summary = do.summarize(shown)

# ---- main charts ----------------------------------------------------------------------------------
lesson.chart(
    lesson.Cached(
        charts.run_curves,
        do.combined_curves(shown),
        PALETTE,
        x="epoch",
        y="loss",
        dash="split",
        title="Training (dashed) and test (solid) loss for each keep probability",
        x_title="epochs (full-batch Adam steps)",
        y_title="logistic loss (log scale)",
        legend_title="keep probability",
        log_y=True,
    ),
    width="stretch",
)
base, half = runs["1.0"].summary, runs["0.5"].summary
ratio = half["test_loss"] / base["test_loss"]
actual = "lower" if ratio < 0.95 else "higher" if ratio > 1.05 else "about the same"
lesson.reveal(
    choice,
    actual,
    f"Final test loss {base['test_loss']:.3f} without dropout and {half['test_loss']:.3f} with "
    f"q = 0.5; training loss {base['train_loss']:.3f} vs {half['train_loss']:.3f}: dropout makes "
    "memorizing the training points harder.",
)
lesson.chart(
    lesson.Cached(
        charts.split_dumbbell,
        summary,
        PALETTE,
        train="train_loss",
        test="test_loss",
        title="Final training vs test loss for each keep probability",
        x_title="keep probability q",
        y_title="logistic loss (log scale)",
        log_y=True,
    ),
    width="stretch",
)

st.subheader("Decision boundaries (inference: no masks, no scaling)")
if maps_note:
    st.info(maps_note, icon=":material/visibility_off:")
else:
    for start in range(0, len(shown), PER_ROW):
        row = shown[start : start + PER_ROW]
        for i, (col, r) in enumerate(zip(st.columns(PER_ROW)[: len(row)], row, strict=True)):
            with col:
                lesson.chart(
                    lesson.Cached(
                        charts.probability_map,
                        r.boundary,
                        r.points[r.points["split"] == "train"],
                        value="prob",
                        title=f"q = {r.summary['keep_prob']:g}: test acc. {r.summary['test_accuracy']:.0%}",
                        legend_title="P(class 1)",
                        height=240,
                        show_legend=start + i == 0,
                    ),
                    width="stretch",
                )

# ---- inverted dropout ----------------------------------------------------------------------------
st.header("Inverted dropout, checked")
dropping = [k for k in selected if k != "1.0"]
if not dropping:
    st.info("Select a keep probability below 1 to inspect its masks.", icon=":material/info:")
    st.stop()
inspect = controls.radio(
    "Inspect the run with",
    key="inspect",
    options=dropping,
    value="0.5" if "0.5" in dropping else dropping[0],
    fmt=lambda k: f"q = {k}",
    help="The masks, the expected activation and the Monte Carlo view of this run's network.",
)
run = runs[inspect]
unit, q = run.unit, run.unit["q"]
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(charts.mask_running_mean, run.mask_trace, activation=unit["activation"], q=q),
        width="stretch",
    )
with right:
    lesson.chart(
        lesson.Cached(charts.expectation_by_q, run.expectation, activation=unit["activation"]),
        width="stretch",
    )
z = (unit["train_mean"] - unit["activation"]) / max(unit["standard_error"], 1e-12)
st.markdown(
    f"Hidden unit {unit['index']} of layer 1, on training point 1: at inference a = "
    f"**{unit['activation']:.4f}**. While training, each step keeps it with probability q = {q:g} "
    f"and then it is either 0 or a/q = {unit['activation'] / q:.4f}. Over {unit['draws']:,} "
    f"masks its mean is **{unit['train_mean']:.4f}** ({z:+.1f} standard errors from a); without "
    f"the 1/q it would be {unit['unscaled_mean']:.4f} ≈ q·a. Scaling again at inference gives "
    f"q·a = {q * unit['activation']:.4f} (×q) or a/q = {unit['activation'] / q:.4f} (÷q): "
    f"{q:g}x or {1 / q:.2g}x the value the next layer was trained on."
)

st.subheader("The ensemble view: Monte Carlo dropout")
if maps_note:
    st.info(
        f"{maps_note} The averaged predictions are still scored on the test set (below).",
        icon=":material/visibility_off:",
    )
else:
    mc_mean, mc_std = st.columns(2, gap="medium")
    with mc_mean:
        lesson.chart(
            lesson.Cached(
                charts.probability_map,
                run.mc.rename(columns={"mean": "value"}),
                run.points[run.points["split"] == "train"],
                value="value",
                title=f"Mean P(class 1) over {do.MC_SAMPLES} masks (q = {q:g})",
                legend_title="mean P(class 1)",
            ),
            width="stretch",
        )
    with mc_std:
        lesson.chart(
            lesson.Cached(
                charts.probability_map,
                run.mc.rename(columns={"std": "value"}),
                None,
                value="value",
                title="Uncertainty: std of P over the masks",
                legend_title="std of P(class 1)",
                uncertainty=True,
            ),
            width="stretch",
        )

# ---- what the run says ----------------------------------------------------------------------------
strongest = summary.iloc[-1]
sentences = [
    f"Without dropout the net ends at {base['train_accuracy']:.0%} training accuracy, training "
    f"loss {base['train_loss']:.3f} and test loss {base['test_loss']:.3f} (gap "
    f"{base['gap_loss']:.3f}). With q = {strongest['keep_prob']:g} the gap is "
    f"{strongest['gap_loss']:.3f}.",
    f"After its lowest point the test loss climbed by "
    f"{base['test_loss'] - base['best_test_loss']:.3f} without dropout and by "
    f"{half['test_loss'] - half['best_test_loss']:.3f} with q = 0.5 (lowest values "
    f"{base['best_test_loss']:.3f} and {half['best_test_loss']:.3f}).",
    f"Averaging {do.MC_SAMPLES} masked predictions (q = {q:g}) gives test accuracy "
    f"{run.summary['mc_test_accuracy']:.1%} and loss {run.summary['mc_test_loss']:.3f}, against "
    f"{run.summary['test_accuracy']:.1%} and {run.summary['test_loss']:.3f} for the single "
    "pass with no masks, which approximates the average over the ensemble in one pass.",
]
lesson.notice(sentences)

lesson.model_answer(
    "Dropout zeroes each hidden unit at random on every training step, so no unit can rely on "
    "particular others being present (it breaks co-adaptation), and every step trains a "
    "different thinned sub-network that shares weights with the others: training averages an "
    "implicit ensemble of exponentially many networks. It regularizes most where a large net "
    "can memorize a small noisy training set.\n\n"
    "**Inverted dropout** (PyTorch, Keras): keep a unit with probability q and divide the kept "
    "ones by q during training, so each unit's expected output equals its inference value; at "
    "test time the full network runs with no masks and no scaling. The older formulation keeps "
    "training unscaled and multiplies the weights by q at test time instead. Either way, scale "
    "exactly once.",
    formulas=[
        r"m_j \sim \text{Bernoulli}(q),\qquad \tilde a_j = \frac{m_j\,a_j}{q},\qquad "
        r"\mathbb{E}[\tilde a_j] = \frac{q\,a_j}{q} = a_j",
        r"\text{double scaling: } q\cdot\mathbb{E}[\tilde a_j] = q\,a_j \ne a_j",
    ],
    pitfalls=[
        "Scaling by 1/q during training and again at inference (multiplying by q, or dividing "
        "by q once more) double counts: activations at test time are off by a factor q or 1/q.",
        "Forgetting to switch dropout off at inference (model.eval() in PyTorch): predictions "
        "become random; averaging many of them on purpose is Monte Carlo dropout.",
        "Confusing p and q: PyTorch's Dropout(p) takes the drop probability p = 1 − q.",
        "The expectation is exact for a unit's own output; after later non-linear layers the "
        "single deterministic pass only approximates the average over masks.",
    ],
)
