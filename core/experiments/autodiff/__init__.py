"""Lesson: derivatives of a custom loss, by reverse-mode autodiff, checked with finite differences.

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS`` and
``MODEL_ANSWER`` the lesson's fixed words. ``EXPRESSIONS`` names the losses the presets type.
"""

from core.experiments.autodiff.claims import CLAIMS, autodiff_off, facts
from core.experiments.autodiff.experiment import (
    CHECK_ACTIVATIONS,
    CHECK_SIZES,
    CHECK_STEP,
    CLEAN_SLOPE,
    CURVE_RANGE,
    DATA,
    EPS,
    EXPRESSIONS,
    GOOD,
    H_GRID,
    H_OPTIONS,
    KINKED_ACTIVATIONS,
    METHODS,
    N_POINTS,
    PROBES,
    SHAPES,
    VERDICTS,
    WRONG,
    Config,
    Result,
    central_errors,
    check_problem,
    estimated_seconds,
    offsets_for,
    read_shape,
    reference_loss,
    run,
)
from core.experiments.autodiff.words import MODEL_ANSWER, PREDICTION, PRESETS

__all__ = [
    "CHECK_ACTIVATIONS",
    "CHECK_SIZES",
    "CHECK_STEP",
    "CLAIMS",
    "CLEAN_SLOPE",
    "CURVE_RANGE",
    "DATA",
    "EPS",
    "EXPRESSIONS",
    "GOOD",
    "H_GRID",
    "H_OPTIONS",
    "KINKED_ACTIVATIONS",
    "METHODS",
    "MODEL_ANSWER",
    "N_POINTS",
    "PREDICTION",
    "PRESETS",
    "PROBES",
    "SHAPES",
    "VERDICTS",
    "WRONG",
    "Config",
    "Result",
    "autodiff_off",
    "central_errors",
    "check_problem",
    "estimated_seconds",
    "facts",
    "offsets_for",
    "read_shape",
    "reference_loss",
    "run",
]
