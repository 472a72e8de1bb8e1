"""Lesson: gradient descent, batch vs mini-batch vs stochastic, and why SGD works.

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS`` and
``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.gradient_descent.claims import CLAIMS, facts
from core.experiments.gradient_descent.experiment import (
    GRADIENT_DRAWS,
    MAX_POINTS_PER_CURVE,
    SAMPLE_POINTS,
    SCHEDULES,
    VARIANTS,
    Config,
    Descent,
    Result,
    _Quadratic,
    _schedule,
    descend,
    estimated_seconds,
    run,
    updates,
)
from core.experiments.gradient_descent.words import (
    MODEL_ANSWER,
    PREDICTION,
    PRESETS,
    VARIANCE_CAPTION,
)

__all__ = [
    "CLAIMS",
    "GRADIENT_DRAWS",
    "MAX_POINTS_PER_CURVE",
    "MODEL_ANSWER",
    "PREDICTION",
    "PRESETS",
    "SAMPLE_POINTS",
    "SCHEDULES",
    "VARIANCE_CAPTION",
    "VARIANTS",
    "Config",
    "Descent",
    "Result",
    "_Quadratic",
    "_schedule",
    "descend",
    "estimated_seconds",
    "facts",
    "run",
    "updates",
]
