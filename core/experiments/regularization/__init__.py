"""Lesson: L1 and L2 regularization (and elastic net): what each does to the weights, when to use which.

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS``,
``WHEN_TO_USE`` and ``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.regularization.claims import (
    CLAIMS,
    OPTIONS,
    exact_alphas,
    facts,
    partial_zero_penalties,
    zero_input_ratio,
)
from core.experiments.regularization.experiment import (
    CORRELATIONS,
    CV_FOLDS,
    DATASETS,
    GEOMETRY_BUDGETS,
    LOG10_BINS,
    N_ALPHAS,
    N_TEST_SYNTHETIC,
    NET_EPOCHS,
    NET_HIDDEN,
    NET_LR,
    NET_MOMENTUM,
    PAIR_NOISE,
    PAIR_SAMPLES,
    PENALTIES,
    SMALL_WEIGHT,
    UPLOAD_MAX_TEST,
    UPLOAD_MAX_TRAIN,
    Config,
    Result,
    alpha_grid,
    check_data,
    estimated_seconds,
    estimated_seconds_on_upload,
    prepare_data,
    run,
)

# Internal parts that tests and benchmarks reach for (their caches, the fixed 2-D problem).
from core.experiments.regularization.experiment import _geometry_problem as _geometry_problem
from core.experiments.regularization.experiment import _pair_part as _pair_part
from core.experiments.regularization.experiment import _penalty_part as _penalty_part
from core.experiments.regularization.words import (
    ESTIMATOR_TITLES,
    MODEL_ANSWER,
    OBJECTIVE_ROWS,
    OBJECTIVES,
    PREDICTION,
    PRESETS,
    WHEN_TO_USE,
)

__all__ = [
    "CLAIMS",
    "CORRELATIONS",
    "CV_FOLDS",
    "DATASETS",
    "ESTIMATOR_TITLES",
    "GEOMETRY_BUDGETS",
    "LOG10_BINS",
    "MODEL_ANSWER",
    "NET_EPOCHS",
    "NET_HIDDEN",
    "NET_LR",
    "NET_MOMENTUM",
    "N_ALPHAS",
    "N_TEST_SYNTHETIC",
    "OBJECTIVES",
    "OBJECTIVE_ROWS",
    "OPTIONS",
    "PAIR_NOISE",
    "PAIR_SAMPLES",
    "PENALTIES",
    "PREDICTION",
    "PRESETS",
    "SMALL_WEIGHT",
    "UPLOAD_MAX_TEST",
    "UPLOAD_MAX_TRAIN",
    "WHEN_TO_USE",
    "Config",
    "Result",
    "alpha_grid",
    "check_data",
    "estimated_seconds",
    "estimated_seconds_on_upload",
    "exact_alphas",
    "facts",
    "partial_zero_penalties",
    "prepare_data",
    "run",
    "zero_input_ratio",
]
