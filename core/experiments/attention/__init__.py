"""Lesson: how self-attention works, and why its scores are divided by √d_k.

``Config`` and ``run`` are the experiment; ``facts(config, result)`` the sentences its run
supports (each under a declared claim of ``CLAIMS``); ``PREDICTION``, ``PRESETS`` and
``MODEL_ANSWER`` the lesson's fixed words. The attention itself is ``core.attention``.
"""

from core.experiments.attention.claims import CLAIMS, facts
from core.experiments.attention.experiment import (
    AGREE_BELOW,
    CHECK_ENTRIES,
    CHECK_STEP,
    CHECKED,
    D_HEADS,
    D_MODELS,
    MAX_D_KS,
    N_KEYS,
    NEARLY_ONE_HOT,
    SCALINGS,
    VERDICTS,
    Config,
    Result,
    check_gradients,
    draw_dots,
    estimated_seconds,
    roundoff_bound,
    run,
    step_inputs,
    step_scale,
    step_through,
    sweep,
    sweep_dims,
    token_labels,
)
from core.experiments.attention.words import MODEL_ANSWER, PREDICTION, PRESETS

__all__ = [
    "AGREE_BELOW",
    "CHECKED",
    "CHECK_ENTRIES",
    "CHECK_STEP",
    "CLAIMS",
    "D_HEADS",
    "D_MODELS",
    "MAX_D_KS",
    "MODEL_ANSWER",
    "NEARLY_ONE_HOT",
    "N_KEYS",
    "PREDICTION",
    "PRESETS",
    "SCALINGS",
    "VERDICTS",
    "Config",
    "Result",
    "check_gradients",
    "draw_dots",
    "estimated_seconds",
    "facts",
    "roundoff_bound",
    "run",
    "step_inputs",
    "step_scale",
    "step_through",
    "sweep",
    "sweep_dims",
    "token_labels",
]
