"""Lesson: metrics under class imbalance. Accuracy is 99 %: is the model good?"""

import streamlit as st

from core.experiments import imbalance as experiment
from core.experiments.imbalance.claims import (
    ap_decimals,
    chance_texts,
    point_places,
    prevalence_text,
    remedy_decimals,
    set_share_texts,
    sweep_decimals,
)
from ui import controls, lesson
from ui.charts import imbalance as ic
from ui.controls import Choice, Group, LogSlider, Seed, Slider, Upload
from ui.runner import run_experiment


def percent(value) -> str:
    """A prevalence as the slider shows it ("1 %"); a label passed back in stays as it is."""
    if isinstance(value, str):
        return value
    return f"{100 * value:g} %"  # plain-format: the slider's own setting


panel = controls.Panel(
    experiment.Config,
    Group(
        "Data",
        LogSlider(
            "prevalence",
            "Prevalence of positives (log scale)",
            "The share of positive rows in the synthetic data; every split keeps about that "
            "share (stratified, up to rounding the counts: at 0.7 % of 4,000 rows the "
            "validation split has 5 of 799). At 1 %, always answering 'negative' is 99 % accurate.",
            key="prev",
            fmt=percent,
        ),
        Slider(
            "n_samples",
            "Rows",
            "Synthetic rows before the split: 50 % train, 20 % validation, 30 % test. Rare "
            "positives need many rows: at 0.5 % of 20,000 the test split holds 30 positives.",
            key="n",
        ),
        Slider(
            "separation",
            "Class separation Δ",
            "Negatives are standard normal in 6 features; each positive is shifted by Δ along "
            "feature 1 or feature 2 (each with probability ½). At 0 the classes are identical: "
            "no model can rank them better than chance in expectation (on one test set a ROC "
            "AUC can land above 0.5 by luck).",
            key="sep",
        ),
        Seed("seed", "Seed", "Seeds the data, the splits, the over-sampling and the bootstrap."),
        Upload(
            "classification",
            validate=experiment.check_data,
            idle=("prevalence", "n_samples", "separation"),
            # the file reader's own minimum is 20 rows; this page needs its rarer class's 40,
            # so at least twice that (a 15-row file was told "at least 20 are needed", and 20
            # were refused)
            min_rows=experiment.MIN_UPLOAD_ROWS,
        ),
    ),
    Group(
        "Operating point",
        Choice(
            "model",
            "Model",
            "Whose threshold you move, and whose remedies and reliability curves are shown. "
            "Both models' curves are always drawn.",
            labels=ic.MODEL_LABELS,
            widget="radio",
        ),
        Choice(
            "threshold",
            "Threshold",
            "A test row is flagged positive when its predicted probability is at least this. "
            "Moving it retrains nothing: the run's test scores are thresholded again.",
            key="t",
            labels="{:g}".format,
            widget="slider",
        ),
    ),
    presets=experiment.PRESETS,
)


lesson.header()
config = panel.draw()
panel.show_data(
    config,
    experiment.prepare_data,
    replaces="the synthetic data in every part of the page: the curves, the remedies and the "
    "reliability diagram use your splits, and the prevalence sweep takes subsets of your test "
    "split (no row drawn twice) instead of drawing fresh rows",
)
choice = lesson.predict(experiment.PREDICTION)
result = run_experiment(
    "imbalance",
    config,
    data=panel.data,
    spinner="Training a logistic regression and gradient boosting three ways each…",
)
facts = experiment.facts(config, result)
point = result.point(config.model, config.threshold)
lesson.warnings(facts)

# ---- the operating point --------------------------------------------------------------------------
st.header("One threshold, one point on both curves")
moving = ic.point_data(point, config.model, point_places(config, result))
left, right = st.columns(2, gap="medium")
with left:
    lesson.chart(lesson.Cached(ic.roc_chart, result.roc), datasets=moving)
with right:
    lesson.chart(
        lesson.Cached(
            ic.pr_chart,
            result.pr,
            result.info["test_prevalence"],
            prevalence_text=prevalence_text(config, result),
        ),
        datasets=moving,
    )
st.caption(
    "Each curve follows one model's test scores through every threshold (a long curve is "
    "drawn from evenly spaced points of it); the diamond is the sidebar's threshold on the "
    "chosen model. Dotted: chance, the diagonal for ROC and the prevalence "
    "for precision-recall. Lowering the threshold never moves the point down or left on "
    "the ROC curve; on the precision-recall curve it moves it right (or not at all), "
    "usually down."
)
matrix, words = st.columns([3, 2], gap="medium")
with matrix:
    lesson.chart(lesson.Cached(ic.confusion_chart, point, places=point_places(config, result)))
with words:
    lesson.captions(facts, "threshold")
lesson.reveal_answer(choice, facts)

# ---- AUC against AP -------------------------------------------------------------------------------
st.header("ROC AUC vs average precision as positives get rarer")
lesson.chart(
    lesson.Cached(
        ic.sweep_chart,
        result.sweep,
        auc_decimals=sweep_decimals(result),
        ap_decimals=ap_decimals(config, result),
        chance_texts=chance_texts(config, result),
        share_texts=set_share_texts(result),
    )
)
st.caption(
    "The trained models (as is) score test sets of falling prevalence: with the synthetic "
    f"data, {experiment.SWEEP_POSITIVES} fresh positives and as many fresh negatives as each "
    "prevalence needs; with your data, subsets of your test split (every positive and as many "
    "of its negatives as each prevalence needs, or every negative and fewer positives; no row "
    "drawn twice). Only the test set's mix "
    "changes, not the models. A random ranking scores ROC AUC 0.5 on average at any "
    "prevalence and an average precision of about the prevalence (grey)."
)
lesson.captions(facts, "sweep")

# ---- remedies -------------------------------------------------------------------------------------
st.header("Class weights, over-sampling, or moving the threshold")
lesson.chart(
    lesson.Cached(
        ic.remedies_chart,
        result.remedies,
        config.model,
        f1_decimals=remedy_decimals(config, result),
    )
)
st.caption(
    "No remedy, class weights and over-sampling (the minority rows of the training split drawn "
    "again until both classes are equal; validation and test untouched) flag at threshold 0.5. "
    "Moving the threshold keeps the plain model and flags at the threshold of highest F1 on "
    "the validation split. Black bars: F1 ± one standard error over "
    f"{experiment.BOOTSTRAP} bootstrap resamples of the test rows. A remedy that flags no row "
    "has no precision (0/0): its bar is left at 0."
)
lesson.captions(facts, "remedies")

# ---- calibration ----------------------------------------------------------------------------------
st.header("Calibration: can the probabilities be read as probabilities?")
lesson.chart(lesson.Cached(ic.reliability_chart, result.calibration, config.model))
st.caption(
    f"Test rows sorted by predicted probability into {experiment.CALIBRATION_BINS} bins of "
    "about equal count (scikit-learn's calibration_curve, quantile edges; tied probabilities "
    "share a bin, and empty bins are dropped): each point is a bin's mean predicted "
    "probability against the share of positives in it. On the diagonal, a predicted 0.2 comes "
    "true one time in five; below it, the model over-predicts. The square-root axes spread "
    "the small probabilities of a rare class."
)
lesson.captions(facts, "calibration")

lesson.notice_facts(facts)
lesson.model_answer(experiment.MODEL_ANSWER)
