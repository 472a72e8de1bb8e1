"""Lesson: metrics under class imbalance (is 99 % accuracy good?).

``Config`` and ``run`` are the experiment (``RUN_IGNORES``: the Config fields the run does not
read, the operating point the page applies to its stored scores); ``facts(config, result)`` the
sentences its run supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``,
``PRESETS`` and ``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.imbalance.claims import CLAIMS, facts
from core.experiments.imbalance.experiment import (
    BOOTSTRAP,
    CALIBRATION_BINS,
    MODEL_NAMES,
    MODELS,
    REMEDIES,
    RULES,
    RUN_IGNORES,
    SWEEP_POSITIVES,
    SWEEP_PREVALENCES,
    THRESHOLDS,
    TRAINING_NAMES,
    TRAININGS,
    Config,
    Result,
    Splits,
    accuracy_gain,
    bootstrap_counts,
    check_data,
    estimated_seconds,
    f1_optimal_threshold,
    make_splits,
    operating_point,
    oversample,
    prepare_data,
    ranking_metrics,
    run,
    sweep_rows,
)
from core.experiments.imbalance.words import MODEL_ANSWER, PREDICTION, PRESETS

__all__ = [
    "BOOTSTRAP",
    "CALIBRATION_BINS",
    "CLAIMS",
    "MODELS",
    "MODEL_ANSWER",
    "MODEL_NAMES",
    "PREDICTION",
    "PRESETS",
    "REMEDIES",
    "RULES",
    "RUN_IGNORES",
    "SWEEP_POSITIVES",
    "SWEEP_PREVALENCES",
    "THRESHOLDS",
    "TRAININGS",
    "TRAINING_NAMES",
    "Config",
    "Result",
    "Splits",
    "accuracy_gain",
    "bootstrap_counts",
    "check_data",
    "estimated_seconds",
    "f1_optimal_threshold",
    "facts",
    "make_splits",
    "operating_point",
    "oversample",
    "prepare_data",
    "ranking_metrics",
    "run",
    "sweep_rows",
]
