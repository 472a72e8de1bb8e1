"""Lesson: vanishing and exploding gradients, and what fixes them (ReLU, init, batch norm, clipping).

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS`` and
``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.vanishing_gradients.claims import (
    CLAIMS,
    RATIO_CLAIMS,
    facts,
    loss_digits,
    norm_digits,
    ratio_print,
    regime_side_text,
    spread_digits,
)
from core.experiments.vanishing_gradients.experiment import (
    ACTIVATION_NAMES,
    BATCH_SIZE,
    DATASETS,
    INITS,
    N_SAMPLES,
    PREDICTIONS,
    REGIME_DEPTH,
    REGIME_EPOCHS,
    REGIME_WIDTH,
    REGIMES,
    SIGMOID_POINTS,
    SWEEP_DEPTHS,
    SWEEP_ROWS,
    WIDTHS,
    Config,
    Result,
    _regimes_cached,
    diagnose_at_init,
    estimated_seconds,
    first_step_length,
    gradient_regime,
    run,
)
from core.experiments.vanishing_gradients.words import MODEL_ANSWER, PREDICTION, PRESETS

__all__ = [
    "ACTIVATION_NAMES",
    "BATCH_SIZE",
    "CLAIMS",
    "DATASETS",
    "INITS",
    "MODEL_ANSWER",
    "N_SAMPLES",
    "PREDICTION",
    "PREDICTIONS",
    "PRESETS",
    "RATIO_CLAIMS",
    "REGIMES",
    "REGIME_DEPTH",
    "REGIME_EPOCHS",
    "REGIME_WIDTH",
    "SIGMOID_POINTS",
    "SWEEP_DEPTHS",
    "SWEEP_ROWS",
    "WIDTHS",
    "Config",
    "Result",
    "_regimes_cached",
    "diagnose_at_init",
    "estimated_seconds",
    "facts",
    "first_step_length",
    "gradient_regime",
    "loss_digits",
    "norm_digits",
    "ratio_print",
    "regime_side_text",
    "run",
    "spread_digits",
]
