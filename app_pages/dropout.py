"""Lesson: why dropout helps (an overfitting net, inverted dropout's scaling, the ensemble view)."""

import streamlit as st

from core.data import boundary_note
from core.experiments import dropout as experiment
from ui import controls, lesson
from ui.charts import training as charts
from ui.controls import Choice, Group, LogSlider, Multi, Slider, View
from ui.runner import run_experiment

PALETTE = charts.KEEP_PROB_COLORS
PER_ROW = 4
LOSS_TITLE = "cross-entropy (log scale)"


panel = controls.Panel(
    experiment.Config,
    controls.two_d_data(
        dataset="A 2-D two-class set, with four test points for every training point (an "
        "uploaded file keeps at most four test rows per training row).",
        points=Slider(
            "n_train",
            "Training points",
            "Few points are easy to memorize: that is the overfitting dropout fights.",
            key="ntrain",
        ),
        noise="Gaussian noise on the points' positions (not on the labels): standard deviation = "
        "noise for moons, circles and xor, 0.5 × noise for the spiral; the gaussians' clusters "
        "have standard deviation 0.5 + 2 × noise. More overlap near the boundary gives a wide "
        "net more to memorize.",
        seed="Seeds data, initial weights and masks: every q starts from the same net.",
        validate=experiment.check_data,
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
            labels=lambda q: f"q = {q:g}",  # plain-format: the option's own keep probability
        )
    ],
)

lesson.header()
config = panel.draw()
maps_note = boundary_note(panel.data)
panel.show_data(config, experiment.prepare_data)
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
# every loss prints with the sentences' digits: one text per loss wherever it appears
digits = experiment.loss_digits(result)

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
        digits=digits,
    )
)
st.caption(experiment.curves_caption(config, result.n_test))
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
        digits=digits,
        nonnegative=True,  # losses: the gap printed as the report prints it
    )
)

st.subheader("Decision boundaries (inference: no masks, no scaling)")
if maps_note:
    st.info(maps_note, icon=":material/visibility_off:")
else:
    for i, (col, r) in enumerate(lesson.in_columns(shown, PER_ROW)):
        with col:
            s = r.summary
            lesson.chart(
                lesson.Cached(
                    charts.probability_map,
                    r.boundary,
                    r.points[r.points["split"] == "train"],
                    value="prob",
                    # the accuracy as the Monte Carlo sentence prints it (one text)
                    title=f"q = {s['keep_prob']:g}: test acc. "  # plain-format: the run's keep probability setting
                    f"{experiment.test_accuracy_text(s['keep_prob'], r)}",
                    legend_title="P(class 1)",
                    height=240,
                    show_legend=i == 0,
                )
            )

# ---- inverted dropout ----------------------------------------------------------------------------
st.header("Inverted dropout, checked")
inspect = panel.view(
    "inspect", among=result.runs, note="q = 0.5 is always trained; the others when selected."
)
run = result.runs[inspect]
activation = run.unit["activation"]
lesson.side_by_side(
    lesson.Cached(
        charts.mask_running_mean,
        run.mask_trace,
        activation=activation,
        q=inspect,
        # the last point, the mean over every mask, as the unit sentence prints it
        places=experiment.trace_places(inspect, run),
        unscaled_places=experiment.unscaled_places(inspect, run),
    ),
    lesson.Cached(
        charts.expectation_by_q,
        run.expectation,
        activation=activation,
        # a, q·a and a/q at this q as the unit sentence prints them (one text per value)
        q=inspect,
        shown=experiment.scale_texts(inspect, run),
    ),
)
lesson.paragraphs(facts, experiment.inspect_slot(inspect))

st.subheader("The ensemble view: Monte Carlo dropout")
if maps_note:
    st.info(
        f"{maps_note} The averaged predictions are still scored on the test set (below).",
        icon=":material/visibility_off:",
    )
else:
    lesson.side_by_side(
        lesson.Cached(
            charts.probability_map,
            run.mc.rename(columns={"mean": "value"}),
            run.points[run.points["split"] == "train"],
            value="value",
            title=f"Mean P(class 1) over {experiment.MC_SAMPLES} masks (q = {inspect:g})",  # plain-format: the selected keep probability setting
            legend_title="mean P(class 1)",
        ),
        lesson.Cached(
            charts.probability_map,
            run.mc.rename(columns={"std": "value"}),
            None,
            value="value",
            title=f"Spread: std of P over each point's {experiment.MC_SAMPLES} masks",
            legend_title="std of P(class 1)",
            uncertainty=True,
        ),
    )
    st.caption(experiment.mc_caption())
lesson.paragraphs(facts, experiment.ensemble_slot(inspect))

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
