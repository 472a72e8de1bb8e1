"""Lesson: how do you choose a batch size? One net trained with batch sizes 1 to the full batch.

``Config`` and ``run`` are the experiment (``settings``: the Config, its cost and data;
``training``, ``noise`` and ``memory``: the parts of a run); ``facts(config, result)`` the
sentences its run supports (each under a declared claim of ``CLAIMS``, the recipe's in
``recipe``); ``PREDICTION``, ``PRESETS`` and ``MODEL_ANSWER`` the lesson's fixed words.
"""

from core.experiments.batch_size.claims import CLAIMS, facts, loss_digits
from core.experiments.batch_size.experiment import Result, memory_table, run
from core.experiments.batch_size.memory import activation_memory, backward_bytes, memory_frame
from core.experiments.batch_size.noise import NoiseResult, gradient_noise, per_example_gradients
from core.experiments.batch_size.recipe import time_digits
from core.experiments.batch_size.settings import (
    BATCH_KEYS,
    BATCH_SIZES,
    LOSS,
    MAX_SGD_UPDATES,
    MIN_UPLOAD_TRAIN,
    NOISE_DRAWS,
    OPTIMIZER_NAMES,
    PREDICT_KEYS,
    REFERENCE_BATCH,
    SCALING_RULES,
    STATE_ARRAYS,
    TEST_SIZE,
    UPLOAD_MAX_TEST,
    UPLOAD_MAX_TRAIN,
    WIDTHS,
    Config,
    _data,
    batch_key,
    batch_label,
    check_data,
    estimated_seconds,
    estimated_seconds_on_upload,
    layer_sizes,
    min_upload_rows,
    noise_seconds,
    output_head,
    parse_batch_key,
    prepare_data,
    run_seconds,
)
from core.experiments.batch_size.text import axis_cap
from core.experiments.batch_size.training import (
    RunResult,
    _training_seconds,
    alignment,
    combined_curves,
    summarize,
    train_run,
)
from core.experiments.batch_size.words import MODEL_ANSWER, PREDICTION, PRESETS

__all__ = [
    "BATCH_KEYS",
    "BATCH_SIZES",
    "CLAIMS",
    "LOSS",
    "MAX_SGD_UPDATES",
    "MIN_UPLOAD_TRAIN",
    "MODEL_ANSWER",
    "NOISE_DRAWS",
    "OPTIMIZER_NAMES",
    "PREDICTION",
    "PREDICT_KEYS",
    "PRESETS",
    "REFERENCE_BATCH",
    "SCALING_RULES",
    "STATE_ARRAYS",
    "TEST_SIZE",
    "UPLOAD_MAX_TEST",
    "UPLOAD_MAX_TRAIN",
    "WIDTHS",
    "Config",
    "NoiseResult",
    "Result",
    "RunResult",
    "_data",
    "_training_seconds",
    "activation_memory",
    "alignment",
    "axis_cap",
    "backward_bytes",
    "batch_key",
    "batch_label",
    "check_data",
    "combined_curves",
    "estimated_seconds",
    "estimated_seconds_on_upload",
    "facts",
    "gradient_noise",
    "layer_sizes",
    "loss_digits",
    "memory_frame",
    "memory_table",
    "min_upload_rows",
    "noise_seconds",
    "output_head",
    "parse_batch_key",
    "per_example_gradients",
    "prepare_data",
    "run",
    "run_seconds",
    "summarize",
    "time_digits",
    "train_run",
]
