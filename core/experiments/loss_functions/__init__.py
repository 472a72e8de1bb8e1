"""Lesson: cross-entropy, why not squared error for classification, and the softmax gradient p − y.

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS`` and
``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.loss_functions.claims import CLAIMS, facts
from core.experiments.loss_functions.experiment import (
    CHECK_STEP,
    DATASETS,
    HIDDEN_ACTIVATION,
    HIDDEN_UNITS,
    INPUT_MODES,
    LABELS,
    N_SAMPLES,
    OBJECTIVES,
    ROUNDOFF_FACTOR,
    SECONDS_BASE,
    SECONDS_PER_EPOCH,
    STANDARD_CASES,
    TRAINED,
    Config,
    Result,
    bce,
    cross_entropy_of,
    diagonal_only_jacobian,
    estimated_seconds,
    run,
    sigmoid_mse,
    softmax_jacobian,
    train_full_batch,
)
from core.experiments.loss_functions.words import MODEL_ANSWER, PREDICTION, PRESETS

__all__ = [
    "CHECK_STEP",
    "CLAIMS",
    "DATASETS",
    "HIDDEN_ACTIVATION",
    "HIDDEN_UNITS",
    "INPUT_MODES",
    "LABELS",
    "MODEL_ANSWER",
    "N_SAMPLES",
    "OBJECTIVES",
    "PREDICTION",
    "PRESETS",
    "ROUNDOFF_FACTOR",
    "SECONDS_BASE",
    "SECONDS_PER_EPOCH",
    "STANDARD_CASES",
    "TRAINED",
    "Config",
    "Result",
    "bce",
    "cross_entropy_of",
    "diagonal_only_jacobian",
    "estimated_seconds",
    "facts",
    "run",
    "sigmoid_mse",
    "softmax_jacobian",
    "train_full_batch",
]
