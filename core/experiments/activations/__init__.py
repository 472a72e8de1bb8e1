"""Lesson: what an activation function does, and how to choose one (hidden layers and output).

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS`` and
``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.activations.claims import (
    CLAIMS,
    COLLAPSE_OPTIONS,
    facts,
    loss_digits,
    panel_caption,
)
from core.experiments.activations.experiment import (
    BATCH_SIZE,
    DATASETS,
    GRID,
    GROUPS,
    INIT_FOR,
    N_SAMPLES,
    NORM_DEPTH,
    NORM_ROWS,
    NORM_SETTINGS,
    NORM_WIDTHS,
    OUTPUT_GUIDE,
    WIDTHS,
    X_RANGE,
    Config,
    Result,
    activation_shapes,
    collapse_deep_linear,
    dead_run_names,
    estimated_seconds,
    init_for,
    off_units,
    parameter_caption,
    run,
    selu_moments,
    training_runs,
)
from core.experiments.activations.words import MODEL_ANSWER, OUTPUT_FORMULAS, PREDICTION, PRESETS

__all__ = [
    "BATCH_SIZE",
    "CLAIMS",
    "COLLAPSE_OPTIONS",
    "DATASETS",
    "GRID",
    "GROUPS",
    "INIT_FOR",
    "MODEL_ANSWER",
    "NORM_DEPTH",
    "NORM_ROWS",
    "NORM_SETTINGS",
    "NORM_WIDTHS",
    "N_SAMPLES",
    "OUTPUT_FORMULAS",
    "OUTPUT_GUIDE",
    "PREDICTION",
    "PRESETS",
    "WIDTHS",
    "X_RANGE",
    "Config",
    "Result",
    "activation_shapes",
    "collapse_deep_linear",
    "dead_run_names",
    "estimated_seconds",
    "facts",
    "init_for",
    "loss_digits",
    "off_units",
    "panel_caption",
    "parameter_caption",
    "run",
    "selu_moments",
    "training_runs",
]
