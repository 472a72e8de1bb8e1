"""Lesson: how to choose a batch size (curves, generalization gap, gradient noise, memory, time)."""

import streamlit as st

from core.experiments import batch_size as experiment
from core.facts import in_slot
from ui import controls, lesson
from ui.charts import training as charts
from ui.controls import Choice, Group, LogSlider, Multi, Slider, View
from ui.runner import run_experiment

PALETTE = charts.BATCH_SIZE_COLORS
ICONS = {"ok": ":material/check_circle:", "warn": ":material/warning:", "info": ":material/info:"}
AXES = {
    "epoch": ("epochs", "epochs (passes over the training set)"),
    "updates": ("updates", "updates (parameter steps, log scale)"),
    "seconds": ("wall time", "measured training wall time (s, log scale)"),
}
SPLITS = {"train": "training set", "test": "test set"}


def batch_pill(key: str) -> str:
    return "full batch" if key == "full" else f"B = {key}"


panel = controls.Panel(
    experiment.Config,
    controls.two_d_data(
        dataset="A 2-D two-class set; 70% trains, 30% is held out as the test set.",
        points=Slider(
            "n_samples",
            "Examples n (train + test)",
            "At least 400, so the training split holds more than 256 examples.",
            key="n",
        ),
        noise="How much the classes overlap: the standard deviation of the Gaussian noise added "
        "to the moons, circles and xor points; half of it for the spiral; the gaussians' "
        "clusters have standard deviation 0.5 + 2 × noise.",
        seed="Seeds data, initial weights and shuffling: every batch size starts from the same net.",
        validate=experiment.check_data,
        # the file reader's own minimum is 20 rows; this page needs its training split of 257
        min_rows=experiment.min_upload_rows(),
    ),
    Group(
        "Model",
        Choice(
            "width",
            "Hidden width",
            "Units per hidden layer (ReLU). Activation memory grows with it.",
            widget="slider",
        ),
        Slider(
            "depth",
            "Hidden layers",
            "Hidden layers of the network 2 → width × depth → 1 (your own data: its features "
            "in; one output for two classes, one per class for more).",
        ),
    ),
    Group(
        "Training",
        Multi(
            "batch_sizes",
            "Batch sizes to train",
            "Each batch size is one run, kept on its own: toggling one does not retrain the "
            "others. B = 1, 32 and the full batch are trained for the prediction either way.",
            key="bs",
            labels=batch_pill,
        ),
        Choice(
            "optimizer",
            "Optimizer",
            "The linear scaling rule was derived for SGD (with or without momentum); for Adam "
            "a √ rule is the usual starting point.",
            key="opt",
            labels={"gd": "SGD", "momentum": "momentum 0.9", "adam": "Adam"},
            widget="radio",
        ),
        LogSlider(
            "learning_rate",
            "Learning rate η at B = 32 (log scale)",
            "The step size used at the reference batch of 32; the scaling rule sets the others.",
            key="lr",
        ),
        Choice(
            "scaling",
            "Scale η with the batch size",
            "Linear scaling (Goyal et al., 2017): k times the batch, k times the step.",
            key="scale",
            labels={"none": "same η", "linear": "linear η·B/32", "sqrt": "√ rule η·√(B/32)"},
            widget="radio",
        ),
        Slider(
            "epochs",
            "Epochs",
            "Passes over the training set, the same for every batch size (a run that diverges "
            "stops early).",
        ),
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "xaxis",
            "Compare against",
            "The same runs per pass over the data, per parameter update and per second of "
            "training.",
            tuple(AXES),
            labels={k: v[0] for k, v in AXES.items()},
        ),
        View(
            "split",
            "Loss on",
            "Loss on the whole training set or on the held-out test set after every epoch.",
            tuple(SPLITS),
            labels=SPLITS,
        ),
    ],
)

lesson.header()
config = panel.draw()
panel.show_data(config, experiment.prepare_data)
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment(
    "batch_size",
    config,
    data=panel.data,
    spinner="Training every batch size, then the gradient-noise study…",
)
facts = experiment.facts(config, result)
lesson.warnings(facts)

# ---- main chart -----------------------------------------------------------------------------------
x_axis, split = panel.view("xaxis"), panel.view("split")
curves = result.curves
loss = f"{split}_loss"
loss_digits = experiment.loss_digits(result, facts)
# A run whose loss explodes would flatten the others: the axis stops at 10x the largest start,
# and a caption names the runs it cuts off.
cap, cap_caption = experiment.axis_cap(curves, result.summary, loss)
lesson.chart(
    lesson.Cached(
        charts.run_curves,
        curves,
        PALETTE,
        x=x_axis,
        y=loss,
        title=f"{SPLITS[split].capitalize()} loss by batch size",
        x_title=AXES[x_axis][1],
        y_title=f"{split} loss ({result.loss_name}, log scale)",
        legend_title="batch size B",
        log_x=x_axis != "epoch",
        log_y=True,
        y_max=cap,
        # the final losses the answer and loss_spread rank print apart (and divide to their
        # printed factors) in the tooltips too
        digits=loss_digits,
        # the wall time to the target as the time chart and the recipe print it: with their
        # digits, not more (4 digits put 41.2 and 51.5 ms "within 25 %" 25.02 % apart)
        x_digits=experiment.time_digits(facts),
    )
)
if cap_caption:
    st.caption(cap_caption)
lesson.reveal_answer(choice, facts)

# A diverged run's final numbers are meaningless; the warning above names it instead.
finished = result.summary[~result.summary["diverged"]]
lesson.side_by_side(
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
    lesson.Cached(
        charts.run_bars,
        finished,
        PALETTE,
        value="gap_loss",
        title="Generalization gap: test minus training loss",
        x_title="batch size B",
        y_title=f"test − train loss ({result.loss_name})",
        # the difference of the final losses as the loss curves' tooltips print them
        difference=("train_loss", "test_loss"),
        digits=loss_digits,
    ),
)
st.caption("Final values after the last epoch; diverged runs are left out.")

# ---- noise, memory, time --------------------------------------------------------------------------
st.header("What a batch size costs and buys")
left, right = st.columns(2, gap="medium")
with left:
    # the RMS deviations with the digits of the sentence that divides them (noise_ratio)
    ratio_fact = next((f for f in facts if f.claim == "noise_ratio"), None)
    lesson.chart(
        lesson.Cached(
            charts.noise_loglog,
            result.variance,
            PALETTE,
            slope=result.noise_slope,
            std_digits=ratio_fact.values["digits"] if ratio_fact else 4,
            # the slope as the noise sentence prints it
            slope_text=next(
                (f.values["slope_text"] for f in facts if "slope_text" in f.values), None
            ),
        )
    )
    st.caption(
        f"At the initial weights, {result.noise_draws} random mini-batches per size, drawn "
        "without replacement as in an epoch; g is the full-batch gradient. The full batch's "
        "gradient is exact (zero variance), so it has no point on the log scale."
    )
    lesson.captions(facts, "noise")
with right:
    lesson.chart(lesson.Cached(charts.memory_chart, result.memory, PALETTE))
    st.caption(
        "The forward cache: what one forward pass keeps for the backward pass (the input, "
        "each hidden layer's z and a, the logits), 8 bytes a number in float64 (4 in float32). "
        "This implementation keeps both z and a; for ReLU one of them would do."
    )
    lesson.captions(facts, "memory")
lesson.chart(
    lesson.Cached(
        charts.run_bars,
        result.summary,
        PALETTE,
        value="seconds_to_target",
        title="Training time to reach the target test accuracy",
        x_title="batch size B",
        y_title="training wall time (s)",
        # with the digits of the recipe's "within 25 %" (its times must not print further apart)
        digits=experiment.time_digits(facts),
    )
)
lesson.captions(facts, "time")

st.subheader("The practical recipe, checked against this run")
for fact in in_slot(facts, "recipe"):
    st.markdown(f"{ICONS[fact.values['status']]} {fact.text}")
lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
