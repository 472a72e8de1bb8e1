"""Lesson: how to choose a batch size (curves, generalization gap, gradient noise, memory, time)."""

import dataclasses

import streamlit as st

from core.data import CLASSIFICATION_2D
from core.experiments import batch_size as bs
from ui import controls, lesson
from ui.charts import training as charts
from ui.classroom import register_widget
from ui.runner import build_config, run_experiment
from ui.upload import show_data_in_use, user_dataset

DEFAULTS = bs.Config()
PALETTE = charts.BATCH_SIZE_COLORS
# The prediction compares these three runs, so they are trained even when not selected.
PREDICT_KEYS = {"B = 1 (SGD)": "1", "B = 32": "32", "full batch": "full"}

lesson.header(
    "Batch size",
    "How do you choose a batch size? What changes when you make it larger or smaller?",
)

# ---- controls -----------------------------------------------------------------------------------
controls.presets(
    {
        "Same learning rate for every batch": (
            "One η for all: per epoch, small batches make many more updates and get further.",
            {"scale": "none", "opt": "gd", "lr": 0.1},
        ),
        "Linear scaling rule": (
            "η grows with B (η·B/32): the curves against epochs line up.",
            {"scale": "linear", "opt": "gd", "lr": 0.1},
        ),
        "Scaling too far": (
            "A large base η scaled linearly: the biggest batches get steps too large, fall "
            "behind or diverge.",
            {"scale": "linear", "opt": "gd", "lr": 1.0},
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
        help="A 2-D two-class set; 70% trains, 30% is held out as the test set.",
    )
    n_samples = controls.slider(
        "Examples n (train + test)",
        key="n",
        min_value=400,
        max_value=1000,
        value=DEFAULTS.n_samples,
        step=100,
        help="At least 400, so the training split holds more than 256 examples.",
    )
    noise = controls.slider(
        "Noise",
        key="noise",
        min_value=0.0,
        max_value=1.0,
        value=DEFAULTS.noise,
        step=0.05,
        help="Standard deviation of the noise added to the points: more noise, more overlap.",
    )
    seed = controls.number(
        "Seed",
        key="seed",
        min_value=0,
        max_value=2**31 - 1,
        value=DEFAULTS.seed,
        help="Seeds data, initial weights and shuffling: every batch size starts from the same net.",
    )
    own_data = user_dataset(
        "batch_size_own", task="classification", seed=int(seed), validate=bs.check_data
    )
    st.subheader("Model")
    width = controls.choice_slider(
        "Hidden width",
        key="width",
        options=[4, 8, 16, 32, 64],
        value=DEFAULTS.width,
        help="Units per hidden layer (ReLU). Activation memory grows with it.",
    )
    depth = controls.slider(
        "Hidden layers",
        key="depth",
        min_value=1,
        max_value=3,
        value=DEFAULTS.depth,
        help="Number of hidden layers of the network 2 → width × depth → 1.",
    )
    st.subheader("Training")
    optimizer = controls.radio(
        "Optimizer",
        key="opt",
        options=bs.OPTIMIZER_NAMES,
        value=DEFAULTS.optimizer,
        fmt={"gd": "SGD", "momentum": "momentum 0.9", "adam": "Adam"}.get,
        help="The linear scaling rule was derived for SGD (with or without momentum).",
    )
    learning_rate = controls.log_slider(
        "Learning rate η at B = 32 (log scale)",
        key="lr",
        options=controls.log_options(1e-3, 1.0),
        value=DEFAULTS.learning_rate,
        help="The step size used at the reference batch of 32; the scaling rule sets the others.",
    )
    scaling = controls.radio(
        "Scale η with the batch size",
        key="scale",
        options=bs.SCALING_RULES,
        value=DEFAULTS.scaling,
        fmt={"none": "same η", "linear": "linear η·B/32", "sqrt": "√ rule η·√(B/32)"}.get,
        help="Linear scaling (Goyal et al., 2017): k times the batch, k times the step.",
    )
    epochs = controls.slider(
        "Epochs",
        key="epochs",
        min_value=1,
        max_value=40,
        value=DEFAULTS.epochs,
        help="Passes over the training set, the same for every batch size.",
    )

config = build_config(
    bs.Config,
    dataset=dataset,
    n_samples=n_samples,
    noise=noise,
    width=width,
    depth=depth,
    optimizer=optimizer,
    learning_rate=learning_rate,
    scaling=scaling,
    epochs=epochs,
    seed=int(seed),
)

if own_data is not None:
    show_data_in_use(
        own_data,
        replaces="the 2-D set chosen in the sidebar",
        ignored=("Dataset", "Examples n (train + test)", "Noise"),
        prepare=lambda: bs.prepare_data(config, own_data),
    )
sizes = bs.layer_sizes(config, own_data)
loss_name = "logistic" if sizes[-1] == 1 else "cross-entropy"

choice = lesson.predict(
    "bs",
    "Same net, same seed, **same number of epochs** (and, with scaling off, the same learning "
    "rate): which batch size ends with the lowest training loss?",
    list(PREDICT_KEYS),
)


def _batch_pill(key: str) -> str:
    return "full batch" if key == "full" else f"B = {key}"


register_widget("bs", list(bs.BATCH_KEYS), [_batch_pill(k) for k in bs.BATCH_KEYS])
selected = st.pills(
    "Batch sizes to train",
    bs.BATCH_KEYS,
    selection_mode="multi",
    default=list(bs.BATCH_KEYS),
    format_func=_batch_pill,
    key="bs",
    help="Each batch size is one cached run: toggling one does not retrain the others.",
    bind=controls.BIND,
)
selected = [k for k in bs.BATCH_KEYS if k in (selected or [])]
if not selected:
    st.info("Select at least one batch size above.", icon=":material/touch_app:")
    st.stop()

runs = {}
for key in dict.fromkeys([*selected, *PREDICT_KEYS.values()]):
    run_config = dataclasses.replace(config, batch_size=bs.parse_batch_key(key))
    runs[key] = run_experiment(
        "batch_size", run_config, spinner=f"Training with B = {key}…", data=own_data
    )
shown = [runs[k] for k in selected]
summary = bs.summarize(shown)
curves = bs.combined_curves(shown)
noise_result = run_experiment("batch_size", bs.NoiseConfig.from_config(config), data=own_data)
memory = bs.memory_table(config, own_data)

# ---- main chart -----------------------------------------------------------------------------------
diverged = summary[summary["diverged"]]
if len(diverged):
    st.warning(
        f"**Diverged: B = {', '.join(diverged['label'])}** at η = "
        f"{', '.join(f'{lr:.3g}' for lr in diverged['learning_rate'])}: the step was too large for "
        "this loss, so the loss blew up and training stopped. Lower η or switch the scaling rule.",
        icon=":material/warning:",
    )
x_axis = controls.radio(
    "Compare against",
    key="xaxis",
    options=("epoch", "updates", "seconds"),
    value="epoch",
    fmt={"epoch": "epochs", "updates": "updates", "seconds": "wall time"}.get,
    help="The same runs per pass over the data, per parameter update and per second of training.",
)
split = controls.radio(
    "Loss on",
    key="split",
    options=("train", "test"),
    value="train",
    fmt={"train": "training set", "test": "test set"}.get,
    help="Loss on the whole training set or on the held-out test set after every epoch.",
)
x_titles = {
    "epoch": "epochs (passes over the training set)",
    "updates": "updates (parameter steps, log scale)",
    "seconds": "training wall time on this server (s, log scale)",
}
# A diverged run's loss explodes: clip the axis so the other curves stay readable.
cap = 10 * float(curves.loc[curves["epoch"] == 0, f"{split}_loss"].max())
lesson.chart(
    lesson.Cached(
        charts.run_curves,
        curves,
        PALETTE,
        x=x_axis,
        y=f"{split}_loss",
        title=f"{split.capitalize()} loss of the same net trained with each batch size",
        x_title=x_titles[x_axis],
        y_title=f"{split} loss ({loss_name}, log scale)",
        legend_title="batch size B",
        log_x=x_axis != "epoch",
        log_y=True,
        y_max=cap if curves[f"{split}_loss"].max() > cap else None,
    ),
    width="stretch",
)
completed = [k for k in PREDICT_KEYS.values() if not runs[k].summary["diverged"]]
best_key = min(completed or PREDICT_KEYS.values(), key=lambda k: runs[k].summary["train_loss"])
best = runs[best_key].summary
lesson.reveal(
    choice,
    next(name for name, k in PREDICT_KEYS.items() if k == best_key),
    f"After {config.epochs} epochs B = 1 made {runs['1'].summary['updates']:,} updates and the "
    f"full batch {runs['full'].summary['updates']:,}"
    + (
        " at the same η: per epoch, more (noisier) steps go further."
        if config.scaling == "none"
        else f" with η scaled by the {config.scaling} rule (final training loss "
        f"{best['train_loss']:.3f} for B = {best['label']})."
    ),
)

# A diverged run's final numbers are meaningless; it is named in the warning above instead.
finished = summary[~summary["diverged"]]
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.split_dumbbell,
            finished,
            PALETTE,
            train="train_accuracy",
            test="test_accuracy",
            title="Final accuracy: training vs test set",
            x_title="batch size B",
            y_title="accuracy (%)",
            percent=True,
        ),
        width="stretch",
    )
with right:
    lesson.chart(
        lesson.Cached(
            charts.run_bars,
            finished,
            PALETTE,
            value="gap_loss",
            title="Generalization gap: test minus training loss",
            x_title="batch size B",
            y_title=f"test − train loss ({loss_name})",
        ),
        width="stretch",
    )

# ---- noise, memory, time --------------------------------------------------------------------------
st.header("What a batch size costs and buys")
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.noise_loglog, noise_result.variance, PALETTE, slope=noise_result.slope
        ),
        width="stretch",
    )
    st.caption(
        f"At the initial weights, {bs.NOISE_DRAWS} random mini-batches per size, drawn without "
        "replacement as in an epoch. The full batch's gradient is exact (zero variance), so it "
        "has no point on the log scale."
    )
with right:
    lesson.chart(lesson.Cached(charts.memory_chart, memory, PALETTE), width="stretch")
    st.caption(
        "Stored for the backward pass: the input (d numbers), each hidden layer's z and a "
        "(h_l each) and the logits (k), 8 bytes each in float64 (4 in float32); dropout adds a "
        "mask per hidden layer. Parameters, gradients and optimizer state do not grow with B."
    )
hidden = " + ".join([rf"2\cdot {config.width}"] * config.depth)
per_example = f"{bs.activation_memory(sizes, 1):,}".replace(",", "{,}")
st.latex(
    r"M(B) = 8\,\text{bytes}\cdot B\cdot\Big(d + \sum_{l} 2h_l + k\Big)"
    rf" = 8\cdot B\cdot({sizes[0]} + {hidden} + {sizes[-1]}) = {per_example}\cdot B\ \text{{bytes}}"
)
lesson.chart(
    lesson.Cached(
        charts.run_bars,
        summary,
        PALETTE,
        value="seconds_to_target",
        title="Training time to reach within one point of the best test accuracy"
        + (f" ({target:.1%})" if (target := summary["target_accuracy"].iloc[0]) > 0 else ""),
        x_title="batch size B",
        y_title="training wall time (s)",
        fmt=".3f",
    ),
    width="stretch",
)
never = summary.loc[summary["seconds_to_target"].isna(), "label"].tolist()
if never:
    st.caption(f"Never reached the target in {config.epochs} epochs: B = {', '.join(never)}.")

st.subheader("The practical recipe, checked against this run")
icons = {"ok": ":material/check_circle:", "warn": ":material/warning:", "info": ":material/info:"}
for status, text in bs.recipe(summary, config):
    st.markdown(f"{icons[status]} {text}")

# ---- what the run says ----------------------------------------------------------------------------
s = summary.set_index("key")
var = noise_result.variance.set_index("key")
sentences = [
    f"Spread of the mini-batch gradient: its variance fell with a log-log slope of "
    f"{noise_result.slope:.2f} (theory −1). Its standard deviation is {var.loc['1', 'std']:.3g} "
    f"for B = 1 and {var.loc['32', 'std']:.3g} for B = 32, "
    f"{var.loc['1', 'std'] / var.loc['32', 'std']:.1f}x smaller (√32 ≈ 5.7).",
]
if len(s) > 1:
    small, large = s.iloc[0], s.iloc[-1]
    epoch_ms = {k: 1000 * s.loc[k, "seconds"] / max(1, s.loc[k, "epochs_done"]) for k in s.index}
    sentences.append(
        f"One update took {small['seconds_per_update'] * 1e6:.0f} µs with B = {small['label']} "
        f"and {large['seconds_per_update'] * 1e6:.0f} µs with B = {large['label']}: "
        f"{large['batch_size'] / small['batch_size']:.0f}x the examples for "
        f"{large['seconds_per_update'] / small['seconds_per_update']:.1f}x the time, since "
        f"vectorized work is cheaper per example. An epoch took {epoch_ms[small.name]:.1f} ms "
        f"and {epoch_ms[large.name]:.1f} ms."
    )
    spread = bs.alignment(summary)
    sentences.append(
        f"With {'the same η' if config.scaling == 'none' else f'the {config.scaling} scaling rule'}"
        f", final training losses span a factor of {spread:.2f} across the selected batch sizes "
        f"(from {s['train_loss'].min():.3f} to {s['train_loss'].max():.3f})."
    )
lesson.notice(sentences)

lesson.model_answer(
    "Batch size trades **noise, speed and memory**. The mini-batch gradient is an unbiased "
    "estimate of the full gradient whose variance falls like 1/B, so larger batches give "
    "smoother, more stable curves and use vectorized hardware better per example; smaller ones "
    "update more often per epoch and their noise often helps generalization. Activation memory "
    "grows linearly with B and usually sets the upper limit.\n\n"
    "**Recipe:** use powers of two (32, 64, 128, 256); start at 32 or 64; double or halve while "
    "watching the train and validation curves; when you increase B, scale the learning rate "
    "with it (linear rule, with a warm-up for very large batches) or the larger batch simply "
    "makes too few updates. Compare runs per update and per second, not only per epoch.",
    formulas=[
        r"\operatorname{Var}[g_B] = \frac{\sigma^2}{B}\cdot\frac{n-B}{n-1},\qquad "
        r"\sigma^2 = \frac{1}{n}\sum_i \lVert g_i - g\rVert^2",
        r"\eta(B) = \eta_{32}\cdot\frac{B}{32}\quad\text{(linear scaling rule)}",
        r"M(B) = \text{bytes per number}\cdot B\cdot\Big(d + \sum_l 2h_l + k\Big)",
    ],
    pitfalls=[
        "Comparing batch sizes per epoch only: the full batch makes one update per epoch, so it "
        "looks slow per epoch and fast per second. Look at all three axes.",
        "Growing the batch without touching η: the run makes fewer steps of the same size and "
        "under-trains. Scaling η with B keeps the curves aligned, up to a point where the step "
        "becomes unstable.",
        "The 1/B law is for the variance; the gradient's standard deviation falls like 1/√B.",
        "Memory estimates that forget activations: weights are fixed, activations scale with B.",
    ],
)
