"""Lesson: gradient descent, batch vs mini-batch vs stochastic, and why SGD works."""

import dataclasses

import streamlit as st

from core.experiments import gradient_descent as experiment
from core.experiments.gradient_descent.claims import (
    LOSS_AXIS_TOP,
    TOOLTIP_DIGITS,
    gradient_noise_is_zero,
    interpolates,
    loss_axis_caption,
    loss_digits,
    round_off,
    slope_texts,
    theory_slope,
)
from core.facts import ANSWER, up
from ui import charts, controls, lesson
from ui.controls import Choice, Group, LogSlider, Seed, Slider, View
from ui.runner import run_experiment

SCHEDULE_LABELS = {
    "constant": "constant η",
    "inverse_time": "1/t decay: η / (1 + k·epoch)",
    "exponential": "exponential: η·e^(−k·epoch)",
}
LOSS_HEIGHT = 340  # the loss chart's plot height (px): its y axis leaves room for the L* label
AXES = {
    "epoch": ("epochs", "epochs (passes over the data)"),
    "update": ("updates", "updates (parameter steps, log scale)"),
    "examples": ("examples processed", "examples processed (gradient evaluations)"),
    "seconds": ("wall time", "measured wall time (s)"),
}

panel = controls.Panel(
    experiment.Config,
    Group(
        "Data",
        Slider(
            "n_samples",
            "Training examples n",
            "Points (x, y) with y = 2x − 1 + noise and x ~ N(1, 1).",
            key="n",
        ),
        Slider(
            "noise",
            "Noise (std of y around the line)",
            "The standard deviation of the noise on y. At 0 one line fits every point exactly.",
            key="noise",
        ),
        Seed(
            "seed",
            "Seed",
            "Seeds the data, the shuffling and the gradient draws: same seed, same charts (except "
            "the wall-time axis, which is measured).",
        ),
    ),
    Group(
        "Training",
        LogSlider(
            "learning_rate",
            "Learning rate η (log scale)",
            "Step size of each update (w, b) ← (w, b) − η ∇L_batch, ∇L_batch the gradient of "
            "the loss on the update's examples (the first step, under a decaying schedule). "
            "With a "
            "constant step above 2 / λ_max, batch GD's error along the steepest direction grows "
            "by |1 − ηλ_max| > 1 every step, so it diverges in the long run; just above that "
            "limit it can grow too slowly for the divergence check to stop it within the epochs "
            "run.",
            key="lr",
        ),
        Choice(
            "batch_size",
            "Mini-batch size B",
            "Examples per update for the mini-batch variant (an epoch's last batch holds the rest "
            "when B does not divide n). Batch GD uses all n, SGD uses 1.",
            key="batch",
            widget="slider",
        ),
        Slider(
            "epochs", "Epochs", "Passes over the training set, the same for all three variants."
        ),
        Choice(
            "schedule",
            "Step-size schedule",
            "The step size of all three variants; the "
            "schedule chart compares all three schedules for SGD.",
            labels=SCHEDULE_LABELS,
        ),
        Slider(
            "decay_rate",
            "Decay rate k (per epoch)",
            "How fast the decaying schedules shrink the step, here and in the schedule chart.",
            key="decay",
        ),
    ),
    Group(
        "Gradient noise",
        Choice(
            "sample_at",
            "Sample mini-batch gradients at",
            "At the minimum the full gradient is zero, yet on noisy data single mini-batches still push.",
            key="at",
            labels={"start": "the start", "minimum": "the minimum"},
            widget="radio",
        ),
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "xaxis",
            "Compare against",
            "The same runs measured four ways: per pass over the "
            "data, per step, per unit of compute and per second of measured wall time.",
            tuple(AXES),
            labels={k: v[0] for k, v in AXES.items()},
        ),
    ],
)

lesson.header()
config = panel.draw()
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment("gradient_descent", config)
facts = experiment.facts(config, result)
# Variants tied at the minimum (within 1e-12 x the start loss of L*) after one epoch: any of them is a right prediction.
facts = [
    dataclasses.replace(f, values={**f.values, "answer": choice})
    if f.slot == ANSWER and choice in f.values.get("tied", ())
    else f
    for f in facts
]
opt = result.optimum
lesson.warnings(facts)

# ---- main charts ----------------------------------------------------------------------------------
summary = result.summary.set_index("variant")
labels = {v: f"{v} (B = {int(summary.loc[v, 'batch_size'])})" for v in experiment.VARIANTS}
curves = result.curves.assign(variant=result.curves["variant"].map(labels))
# Losses (the loss chart's tooltips, its L* label and the contours' levels): 4 significant digits,
# more while two losses a sentence ranks would print alike (10.17 three times beside "SGD went
# further": 10.1686 against 10.1695 at eta 1e-4, n 20). One digit count for all three, so no
# contour prints below the printed L* (a level of 19.443 as "19.4" beside "minimum L* = 19.41").
digits = loss_digits(result)
left, right = st.columns([1, 1], gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.contour_paths,
            result.contours,
            curves,
            minimum=(opt["w"], opt["b"]),
            start=(config.start_w, config.start_b),
            title="Paths on the loss contours L(w, b)",
            level_digits=digits,
        ),
    )
with right:
    x_axis = panel.view("xaxis")
    # An MSE is >= 0; on noise-free data the moment formula can give -2e-15 (round-off).
    lowest = max(opt["loss"], 0.0)
    # On noise-free data L* comes out as ~1e-15 instead of 0: round-off, not a value to print.
    exact = interpolates(result)
    floor = round_off(result)
    shown = curves[curves["update"] > 0] if x_axis == "update" else curves
    if exact:
        # Losses this close to L* (1e-12 x the start loss) are not drawn: the lowest are round-off
        # of the moment formula (8.3e-14, 6.4e-14 … on a grid of 2^-47), and the sentences give
        # them as "within 1.2e-11 of L*". Not all are round-off (SGD passes through 9e-12 on its
        # way down), so the rule is labelled as the cut it is, not as the round-off level.
        shown = shown[shown["loss"] > floor]
    lesson.chart(
        lesson.Cached(
            charts.line_chart,
            shown,
            x=x_axis,
            y="loss",
            color="variant",
            title="Training loss on all n examples",
            x_title=AXES[x_axis][1],
            y_title="L(w, b), mean squared error (log scale)",
            log_x=x_axis == "update",
            log_y=True,
            height=LOSS_HEIGHT,
            digits=digits,
            reference=(
                (floor, "losses on or below this line are not drawn (L* = 0 lies below)")
                if exact
                # printed as the tooltips print each loss (same digits): at 3 digits the
                # defaults' L* = 1.04678 read "1.05" beside tooltip losses of 1.047 to 1.049
                else (lowest, f"minimum L* = {charts.value_texts([lowest], digits)[0]}")
            ),
            # the label under the rule, where no loss is drawn: above it, SGD's and the
            # mini-batches' lines level off through it (defaults: 51 of SGD's last 120 points)
            reference_below=True,
            y_domain=[
                charts.log_room_below(
                    floor if exact else lowest,
                    opt["start_loss"] * LOSS_AXIS_TOP,
                    LOSS_HEIGHT,
                    charts.REFERENCE_LABEL_PX,
                    1.15,
                ),
                opt["start_loss"] * LOSS_AXIS_TOP,
            ],
        ),
    )
    cut = loss_axis_caption(shown, opt["start_loss"], digits)
    if cut:
        st.caption(cut)
lesson.reveal_answer(choice, facts)

# ---- why SGD works --------------------------------------------------------------------------------
st.header("Why SGD works")
where = "the start" if config.sample_at == "start" else "the minimum"
# At the minimum the full gradient is 0: the float minimum's 1.6e-15 is round-off, not a value.
full_w = 0.0 if config.sample_at == "minimum" else result.full_gradient[0]
# No gradient noise (noise-free data, at the minimum): every mini-batch gradient, their spread
# and their variance are round-off (2.6e-31), not values to draw and hover.
silent = gradient_noise_is_zero(result)
c1, c2 = st.columns(2, gap="medium")
with c1:
    if not silent:
        lesson.chart(
            lesson.Cached(
                charts.gradient_histogram,
                result.gradient_samples,
                full_w,
                title=f"Mini-batch gradients at {where}",
                x_title="∂L/∂w of one mini-batch",
            ),
        )
    lesson.captions(facts, "histogram")
with c2:
    if silent:
        st.caption(
            "No histogram or variance plot here: every mini-batch gradient is the full gradient "
            "up to round-off, so their spread and variance are round-off too."
        )
    else:
        lesson.chart(
            lesson.Cached(
                charts.variance_loglog,
                result.variance,
                result.variance_slope,
                slope_text=slope_texts(result.variance_slope, theory_slope(result))[0],
            )
        )
        st.caption(experiment.VARIANCE_CAPTION)
schedules = result.schedules.assign(schedule=result.schedules["schedule"].map(SCHEDULE_LABELS))
# Epoch means within 1e-12 x the start loss of L* (L* itself is ~1e-15 instead of 0 on noise-free
# data) are "within 1.2e-11 of L*" in the sentences: a difference such as 3.95e-16 is round-off,
# not a value to hover. Not every hidden mean is round-off (1/t decay's 1.5e-12 at epoch 7 of
# preset "Noise-free data" is a real loss), so the caption does not call them all round-off.
hidden = int((schedules["excess_loss"] <= floor).sum())
schedules_all = schedules
schedules = schedules[schedules["excess_loss"] > floor]
lesson.chart(
    lesson.Cached(
        charts.line_chart,
        schedules,
        x="epoch",
        y="excess_loss",
        color="schedule",
        title="SGD (B = 1) under three step-size schedules",
        x_title="epochs (passes over the data)",
        y_title="L − L*, mean over the epoch (log scale)",
        log_y=True,
        height=300,
        digits=TOOLTIP_DIGITS,  # the digits the sentences compare the epoch means at
    ),
)
if hidden:
    # one mean is "1 epoch mean, within 1.2e-11 of L*, is not drawn", not "1 epoch means … are"
    means = (
        f"1 epoch mean, within {up(floor, 2)} of L*, is not drawn"
        if hidden == 1
        else f"{hidden} epoch means, all within {up(floor, 2)} of L*, are not drawn"
    )
    below = (schedules_all["excess_loss"] < 0).any()  # below L*: round-off of the formula
    st.caption(
        f"{means}: it is round-off of the loss formula (below L*)."
        if below and hidden == 1
        else f"{means}: the lowest of them are round-off of the loss formula (some below L*)."
        if below
        else f"{means}."
    )
lesson.captions(facts, "schedules")
lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
