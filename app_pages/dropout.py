"""Lesson: why dropout helps (an overfitting net, inverted dropout's scaling, the ensemble view)."""

import streamlit as st

from core.data import boundary_note
from core.experiments import dropout as experiment
from core.facts import in_slot
from ui import controls, lesson
from ui.charts import training as charts
from ui.controls import Choice, Group, LogSlider, Multi, Seed, Slider, Upload, View
from ui.runner import run_experiment
from ui.upload import show_data_in_use

PALETTE = charts.KEEP_PROB_COLORS
PER_ROW = 4
LOSS_TITLE = "cross-entropy (log scale)"

panel = controls.Panel(
    experiment.Config,
    Group(
        "Data",
        Choice(
            "dataset",
            "Dataset",
            "A 2-D two-class set, with four test points for every training point (an uploaded "
            "file keeps at most four test rows per training row).",
            key="data",
        ),
        Slider(
            "n_train",
            "Training points",
            "Few points are easy to memorize: that is the overfitting dropout fights.",
            key="ntrain",
        ),
        Slider(
            "noise",
            "Noise",
            "Gaussian noise on the points' positions (not on the labels): standard deviation = "
            "noise for moons, circles and xor, 0.5 × noise for the spiral; the gaussians' "
            "clusters have standard deviation 0.5 + 2 × noise. More overlap near the boundary "
            "gives a wide net more to memorize.",
            key="noise",
        ),
        Seed(
            "seed",
            "Seed",
            "Seeds data, initial weights and masks: every q starts from the same net.",
        ),
        Upload("classification", validate=experiment.check_data),
    ),
    Group(
        "Model and training",
        Choice(
            "width",
            "Hidden width",
            "Units per hidden layer (ReLU). Wide nets on few points can memorize them when "
            "trained long enough.",
            widget="slider",
        ),
        Slider(
            "depth",
            "Hidden layers",
            "Dropout acts on every hidden layer's output (never on the inputs or logits here).",
        ),
        LogSlider(
            "learning_rate",
            "Learning rate (Adam, log scale)",
            "Adam's step size; full-batch training, a fresh dropout mask every step.",
            key="lr",
        ),
        Slider(
            "epochs",
            "Epochs",
            "Full-batch steps. Long training gives the net time to memorize the noise.",
        ),
        Multi(
            "keep_probs",
            "Keep probabilities q to train",
            "Each unit is kept with probability q (dropped with p = 1 − q) at every training "
            "step; each q trains its own network from the same start. q = 1.0 and 0.5 are "
            "always trained (the prediction compares them) and drawn when selected.",
            key="q",
            labels=experiment.keep_label,
        ),
    ),
    presets=experiment.PRESETS,
    views=[
        View(
            "inspect",
            "Inspect the run with",
            "The masks, the expected activation and the Monte Carlo view of this run's network.",
            experiment.KEEP_PROBS[1:],
            default=0.5,
            labels=lambda q: f"q = {q:g}",
        )
    ],
)

lesson.header()
config = panel.draw()
maps_note = boundary_note(panel.data)
if panel.data is not None:
    show_data_in_use(
        panel.data,
        replaces="the 2-D set chosen in the sidebar",
        ignored=("Dataset", "Training points", "Noise"),
        prepare=lambda: experiment.prepare_data(config, panel.data),
    )
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment(
    "dropout",
    config,
    data=panel.data,
    spinner=f"Training {len(experiment.trained_keep_probs(config))} networks…",
)
facts = experiment.facts(config, result)
lesson.warnings(facts)
shown = result.shown()

# ---- training and test loss -------------------------------------------------------------------------
lesson.chart(
    lesson.Cached(
        charts.run_curves,
        result.curves,
        PALETTE,
        x="epoch",
        y="loss",
        dash="split",
        title="Training (dashed) and test (solid) loss",
        x_title="epochs (full-batch Adam steps)",
        y_title=LOSS_TITLE,
        legend_title="keep probability",
        log_y=True,
    )
)
every = max(1, config.epochs // 100)
st.caption(
    "Both losses are measured without masks, on the network as used at inference, "
    + ("after every epoch" if every == 1 else f"every {every} epochs")
    + ": the training curve is not the masked loss each step minimizes. Test loss: the mean "
    f"over {result.n_test} held-out points."
)
lesson.reveal_answer(choice, facts)
lesson.chart(
    lesson.Cached(
        charts.split_dumbbell,
        result.summary[result.summary["selected"]],
        PALETTE,
        train="train_loss",
        test="test_loss",
        title="Final training and test loss per q",
        x_title="keep probability q",
        y_title=LOSS_TITLE,
        log_y=True,
    )
)

st.subheader("Decision boundaries (inference: no masks, no scaling)")
if maps_note:
    st.info(maps_note, icon=":material/visibility_off:")
else:
    for start in range(0, len(shown), PER_ROW):
        row = shown[start : start + PER_ROW]
        for i, (col, r) in enumerate(zip(st.columns(PER_ROW)[: len(row)], row, strict=True)):
            with col:
                s = r.summary
                lesson.chart(
                    lesson.Cached(
                        charts.probability_map,
                        r.boundary,
                        r.points[r.points["split"] == "train"],
                        value="prob",
                        title=f"q = {s['keep_prob']:g}: test acc. {s['test_accuracy']:.0%}",
                        legend_title="P(class 1)",
                        height=240,
                        show_legend=start + i == 0,
                    )
                )

# ---- inverted dropout ----------------------------------------------------------------------------
st.header("Inverted dropout, checked")
view = panel.views["inspect"]
options = [q for q in view.options if q in result.runs]
inspect = st.radio(
    view.label,
    options,
    index=options.index(view.initial),
    format_func=view.fmt,
    key=view.key,
    help=view.help + " q = 0.5 is always trained; the others when selected.",
    horizontal=True,
    bind=controls.BIND,
)
run = result.runs[inspect]
unit = run.unit
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(
        lesson.Cached(
            charts.mask_running_mean, run.mask_trace, activation=unit["activation"], q=inspect
        )
    )
with right:
    lesson.chart(
        lesson.Cached(charts.expectation_by_q, run.expectation, activation=unit["activation"])
    )
for fact in in_slot(facts, experiment.inspect_slot(inspect)):
    st.markdown(fact.text)

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
                title=f"Mean P(class 1) over {experiment.MC_SAMPLES} masks (q = {inspect:g})",
                legend_title="mean P(class 1)",
            )
        )
    with mc_std:
        lesson.chart(
            lesson.Cached(
                charts.probability_map,
                run.mc.rename(columns={"std": "value"}),
                None,
                value="value",
                title=f"Spread: std of P over the {experiment.MC_SAMPLES} masks",
                legend_title="std of P(class 1)",
                uncertainty=True,
            )
        )
    st.caption(
        f"Each map averages {experiment.MC_SAMPLES} random masks (training mode, 1/q scaling) "
        "over a grid: the mean and the spread are Monte Carlo estimates, themselves noisy."
    )
for fact in in_slot(facts, experiment.ensemble_slot(inspect)):
    st.markdown(fact.text)

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
