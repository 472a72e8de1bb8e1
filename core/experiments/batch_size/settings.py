"""The batch-size lesson's settings: its Config, what a run costs, and the data it trains on."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from threadpoolctl import ThreadpoolController

from core import mlp
from core.config import Settings, choice, integer, number, subset
from core.data import CLASSIFICATION_2D, Dataset, make_classification_2d, subsample
from core.experiments.budget import BUDGET_SECONDS, check_budget

# The matrices here are small: one BLAS thread beats two fighting over a shared machine
# (fit makes the same choice for its updates; this covers evaluation and the noise study).
_BLAS = ThreadpoolController()

# None is the full batch: every training example in every update.
BATCH_SIZES: tuple[int | None, ...] = (1, 8, 32, 64, 128, 256, None)
BATCH_KEYS = ("1", "8", "32", "64", "128", "256", "full")
# The prediction compares these three runs, so they are trained whichever are selected.
PREDICT_KEYS = ("1", "32", "full")
WIDTHS = (4, 8, 16, 32, 64)
OPTIMIZER_NAMES = ("gd", "momentum", "adam")
SCALING_RULES = ("none", "linear", "sqrt")
# The learning rate the user picks is the one used at this batch size; the rules scale from it.
REFERENCE_BATCH = 32
TEST_SIZE = 0.3
LOSS = "bce_with_logits"
NOISE_DRAWS = 400
# CPU seconds on the lab's 2-core machine while other jobs shared it (load 8 to 12): a
# non-negative least-squares fit to 385 training runs and 55 noise studies over n, width, depth,
# optimizer, epochs and every batch size, times 1.25, so that a page's total measured at most
# ~1.25x the fit (bench/budget.py --page batch_size checks whole pages). A training run: a fixed
# part, then per update a fixed step, a step per layer, the optimizer's step per parameter and the
# multiply-adds of B examples; per epoch an evaluation of every example. The noise study: one
# backward pass per training example, the n x n Gram matrix of the per-example gradients, and
# NOISE_DRAWS masks x n^2 per batch size.
SECONDS_BASE = 0.1  # the page's fixed part: data, tables
SECONDS_PER_RUN = 7.5e-3
SECONDS_PER_UPDATE, SECONDS_PER_UPDATE_PER_LAYER = 3.1e-5, 1.3e-5
SECONDS_PER_MAC = 4e-10  # per multiply-add of one example's forward pass, in an update
SECONDS_PER_EVAL_MAC = 4e-11
# The optimizer's own step, per parameter and update (momentum keeps one buffer, Adam two moments).
SECONDS_PER_PARAM_UPDATE = {"gd": 6e-10, "momentum": 4e-9, "adam": 9e-9}
NOISE_SECONDS_BASE, NOISE_SECONDS_PER_EXAMPLE_LAYER = 0.025, 5.5e-6
NOISE_SECONDS_PER_GRAM_MAC, NOISE_SECONDS_PER_DRAW_MAC = 6e-11, 9e-11
# Optimizer state arrays per parameter (momentum keeps one buffer, Adam two moments).
STATE_ARRAYS = {"gd": 0, "momentum": 1, "adam": 2}
# Uploaded data: every batch size up to 256 must be smaller than the full batch, and the training
# rows are capped (a seeded sample) so that B = 1 at the most epochs stays within MAX_SGD_UPDATES
# updates, the bundled sets' longest SGD run. The cap does not depend on the epochs, so the runs and
# the noise study share the same rows. The test split only costs one forward pass per epoch.
MAX_EPOCHS = 40
MAX_SGD_UPDATES = 15_000
MIN_UPLOAD_TRAIN = 257
UPLOAD_MAX_TRAIN = MAX_SGD_UPDATES // MAX_EPOCHS
UPLOAD_MAX_TEST = 2000

Progress = Callable[[float, str], None]


def batch_key(batch_size: int | None) -> str:
    """The option name of a batch size: ``"32"``, or ``"full"`` for None."""
    return "full" if batch_size is None else str(int(batch_size))


def parse_batch_key(key: str) -> int | None:
    """Inverse of :func:`batch_key`; raises ValueError for a key that is not an option."""
    if key not in BATCH_KEYS:
        raise ValueError(f"'batch_size' must be one of {', '.join(BATCH_KEYS)}; got {key!r}.")
    return None if key == "full" else int(key)


def batch_label(batch_size: int | None, n_train: int) -> str:
    """Legend text: ``"32"`` or ``"full (280)"``."""
    return f"full ({n_train})" if batch_size is None else str(int(batch_size))


@dataclass(frozen=True)
class Config(Settings):
    """Everything the batch-size lesson's run depends on.

    A 2-D binary classification set is fitted by a ReLU network ``2 -> width x depth -> 1`` with
    the logistic loss, once per batch size in ``batch_sizes`` (option names, ``"full"`` for the
    full batch) and for the prediction's B = 1, 32 and full batch. Every run shares data, initial
    weights and shuffling seed; only the batch size (and, with a scaling rule, the learning rate)
    changes: ``lr(B) = learning_rate * (B / 32)`` (linear) or ``* sqrt(B / 32)`` (square root).
    The gradient-noise study measures mini-batch gradients of the same net at its initial weights.
    """

    dataset: str = choice("moons", CLASSIFICATION_2D)
    n_samples: int = integer(400, 400, 1000, step=100)
    noise: float = number(0.25, 0.0, 1.0, step=0.05)
    seed: int = integer(0, 0, 2**31 - 1)
    width: int = integer(32, 4, 64, grid=WIDTHS)
    depth: int = integer(2, 1, 3)
    optimizer: str = choice("gd", OPTIMIZER_NAMES)
    learning_rate: float = number(0.1, 1e-3, 1.0, log=True)
    scaling: str = choice("none", SCALING_RULES)
    epochs: int = integer(20, 1, MAX_EPOCHS)
    batch_sizes: tuple = subset(BATCH_KEYS, BATCH_KEYS, hint="Select at least one batch size.")

    def check(self):
        check_budget(
            estimated_seconds(self),
            ("epochs", "n_samples", "depth", "width"),
            what=f"Training {len(self.trained_keys)} batch sizes and the gradient-noise study "
            "(B = 1 makes epochs x n updates)",
            config=self,
            estimate=estimated_seconds,
            # the fewest a run trains: the prediction's, always trained
            moves={"select fewer batch sizes": {"batch_sizes": PREDICT_KEYS}},
        )

    @property
    def n_train(self) -> int:
        """Training examples after the stratified split (scikit-learn rounds the test part up)."""
        return self.n_samples - math.ceil(TEST_SIZE * self.n_samples)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (2, *([self.width] * self.depth), 1)

    @property
    def trained_keys(self) -> tuple[str, ...]:
        """The batch sizes the run trains: the selected ones and the prediction's, in order."""
        return tuple(k for k in BATCH_KEYS if k in self.batch_sizes or k in PREDICT_KEYS)

    def scaled_learning_rate(self, batch: int) -> float:
        """The learning rate used at ``batch`` examples per update under the scaling rule."""
        ratio = batch / REFERENCE_BATCH
        factor = {"none": 1.0, "linear": ratio, "sqrt": math.sqrt(ratio)}[self.scaling]
        return self.learning_rate * factor


# ---- cost ------------------------------------------------------------------------------------------


def _forward_macs(sizes: Sequence[int]) -> int:
    """Multiply-adds of one example's forward pass through layers of these sizes."""
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def _shape(
    config: Config, data: Dataset | None, caps: tuple[float, float] | None = None
) -> tuple[int, int, tuple[int, ...]]:
    """(training rows, rows evaluated per epoch, layer sizes) of a run on the 2-D set or ``data``.

    Uploaded data is capped to UPLOAD_MAX_TRAIN training and UPLOAD_MAX_TEST test rows (or
    ``caps``, (training, test), to price a split whole); its features and classes set the net's
    input and output sizes."""
    if data is None:
        return config.n_train, config.n_samples, config.sizes
    max_train, max_test = caps or (UPLOAD_MAX_TRAIN, UPLOAD_MAX_TEST)
    n_train = int(min(len(data.y_train), max_train))
    n_test = int(min(len(data.y_test), max_test))
    return n_train, n_train + n_test, layer_sizes(config, data)


def run_seconds(
    config: Config,
    batch_size: int | None,
    data: Dataset | None = None,
    caps: tuple[float, float] | None = None,
) -> float:
    """Estimated CPU seconds of one batch size's training run (on ``data`` if uploaded; ``caps``:
    see :func:`_shape`)."""
    n, evaluated, sizes = _shape(config, data, caps)
    B = n if batch_size is None else batch_size
    updates = config.epochs * math.ceil(n / B)
    macs = _forward_macs(sizes)
    per_update = (
        SECONDS_PER_UPDATE
        + SECONDS_PER_UPDATE_PER_LAYER * (config.depth + 1)
        + SECONDS_PER_PARAM_UPDATE[config.optimizer] * mlp.count_params(sizes)
        + SECONDS_PER_MAC * B * macs
    )
    evaluation = SECONDS_PER_EVAL_MAC * evaluated * macs
    return SECONDS_PER_RUN + updates * per_update + (config.epochs + 1) * evaluation


def noise_seconds(
    config: Config, data: Dataset | None = None, caps: tuple[float, float] | None = None
) -> float:
    """Estimated CPU seconds of the gradient-noise study (on ``data`` if uploaded; ``caps``: see
    :func:`_shape`)."""
    n, _, sizes = _shape(config, data, caps)
    return (
        NOISE_SECONDS_BASE
        + NOISE_SECONDS_PER_EXAMPLE_LAYER * n * (config.depth + 1)
        + NOISE_SECONDS_PER_GRAM_MAC * n**2 * mlp.count_params(sizes)
        + NOISE_SECONDS_PER_DRAW_MAC * len(BATCH_SIZES) * NOISE_DRAWS * n**2
    )


def estimated_seconds(
    config: Config, data: Dataset | None = None, caps: tuple[float, float] | None = None
) -> float:
    """CPU seconds of ``run(config, data)`` on the lab's machine, computed from scratch.

    Every trained batch size (B = 1 makes ``epochs x n_train`` updates: the expensive one) and
    the noise study. Runs already computed in this process cost nothing (see ``run``). The
    Config's budget check prices the 2-D sets (a Config knows no upload); with ``data`` the
    estimate is the upload's: at most UPLOAD_MAX_TRAIN training rows, with its own input and
    output sizes (``caps``: other row caps, (training, test), see :func:`_shape`).
    """
    runs = sum(run_seconds(config, parse_batch_key(k), data, caps) for k in config.trained_keys)
    # with scaling off, the larger batches are trained under the rule too (rule_keys): their
    # cost does not depend on the learning rate
    runs += sum(run_seconds(config, parse_batch_key(k), data, caps) for k in rule_keys(config))
    # with a rule on, the larger batches at the η set for B = 32 (cap_keys): priced for all of
    # them, though only those that diverged are trained
    runs += sum(run_seconds(config, parse_batch_key(k), data, caps) for k in cap_keys(config))
    return SECONDS_BASE + runs + noise_seconds(config, data, caps)


def estimated_seconds_on_upload(config: Config, data: Dataset) -> float:
    """CPU seconds of ``run(config, data)``: :func:`estimated_seconds` of the rows
    :func:`prepare_data` keeps of the upload, for the page's spinner (``ui.runner.estimate``).
    The Config's own estimate prices the 2-D set the upload idles: with a 400-row, 2-feature file
    at n = 1,000, width 64, depth 3, 40 epochs and Adam the spinner said "about 7 s" of a run
    estimated at 3 s (audit pass 54 d)."""
    return estimated_seconds(config, data)


def advised_rule(config) -> str:
    """The scaling rule the recipe advises for this optimizer: √ for Adam, linear for SGD."""
    return "sqrt" if config.optimizer == "adam" else "linear"


def rule_keys(config) -> tuple[str, ...]:
    """With scaling off, the selected batch sizes larger than REFERENCE_BATCH: the recipe's
    "try scaling η with B" is checked by training them under :func:`advised_rule` too."""
    if config.scaling != "none":
        return ()
    return tuple(
        k for k in config.batch_sizes if (B := parse_batch_key(k)) is None or B > REFERENCE_BATCH
    )


def cap_keys(config) -> tuple[str, ...]:
    """With a scaling rule on, the selected batch sizes larger than REFERENCE_BATCH, whose η the
    rule raised: a divergence warning's "cap the scaled η" is checked by training those that
    diverged again at the η set for B = 32 (gaussians, n = 1,000, noise 0.1, seed 460, width 64,
    depth 3, SGD at η = 0.7 under the √ rule: B = 64 diverged at η = 0.99 and again at 0.7,
    beside "To fix it: lower η, or cap the scaled η"; audit pass 58 b)."""
    if config.scaling == "none":
        return ()
    return tuple(
        k for k in config.batch_sizes if (B := parse_batch_key(k)) is None or B > REFERENCE_BATCH
    )


# ---- data ------------------------------------------------------------------------------------------


def _data(config):
    return make_classification_2d(
        config.dataset,
        n_samples=config.n_samples,
        noise=config.noise,
        test_size=TEST_SIZE,
        seed=config.seed,
    )


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't train on, with a message that says what to change."""
    if data.task != "classification":
        raise ValueError("The batch-size lesson trains a classifier; pick a class-label target.")
    n = len(data.y_train)
    if n < MIN_UPLOAD_TRAIN:
        # rows, not rows uploaded: a row with a missing value is dropped before the split, so 400
        # rows with 40 incomplete ones split into 252 training rows (audit pass 43 c: "Upload at
        # least 368 rows" was said to a learner who had uploaded 400)
        raise ValueError(
            f"The training split has {n} rows; this lesson needs at least {MIN_UPLOAD_TRAIN} so "
            "that every batch size up to 256 is smaller than the full batch. Upload at least "
            f"{min_upload_rows()} rows without missing values (rows with a missing value are "
            "dropped; 70 % of the rest train)."
        )


def min_upload_rows() -> int:
    """The fewest complete rows whose training split (scikit-learn rounds the test part up)
    holds MIN_UPLOAD_TRAIN rows: 368."""
    n = MIN_UPLOAD_TRAIN
    while n - math.ceil(TEST_SIZE * n) < MIN_UPLOAD_TRAIN:
        n += 1
    return n


def prepare_data(config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset a run trains on and notes about it: the Config's 2-D set, or ``data``.

    Uploaded data is checked (:func:`check_data`) and capped to ``UPLOAD_MAX_TRAIN`` training and
    ``UPLOAD_MAX_TEST`` test rows (seeded, stratified), the same rows for every batch size.
    """
    if data is None:
        return _data(config), ()
    check_data(data)
    # why each split is cut: the time budget only where the run on the whole split (the other
    # capped) is estimated over it, else the page's fixed caps (a 600-row file at 1 epoch, width
    # 4, depth 1 said "Used 375 of the 420 train rows … to keep this page's run within its time
    # budget" where all 420 are estimated at 0.26 s of 10; audit pass 53 a)
    whole_train = estimated_seconds(config, data, (math.inf, UPLOAD_MAX_TEST)) > BUDGET_SECONDS
    whole_test = estimated_seconds(config, data, (UPLOAD_MAX_TRAIN, math.inf)) > BUDGET_SECONDS
    # the number kept is always the page's fixed cap, which the budget never makes smaller: the
    # budget is named beside it, only where the whole split is over it (a 20,000-row file at 1
    # epoch, width 4, depth 1 said "Used 375 of the 14,000 train rows … to keep this page's run
    # within its time budget", where about 6,000 of them are estimated within it; audit pass 56 c)
    also = "; all {:,} would also take this page's run past its time budget"
    ds, notes = subsample(
        data,
        max_train=UPLOAD_MAX_TRAIN,
        max_test=UPLOAD_MAX_TEST,
        seed=config.seed,
        why=f"because this page trains at most {UPLOAD_MAX_TRAIN:,} rows of a file (B = 1 "
        f"then makes at most {MAX_SGD_UPDATES:,} updates in {MAX_EPOCHS} epochs)"
        + (also.format(len(data.y_train)) if whole_train else ""),
        why_test=f"because this page evaluates at most {UPLOAD_MAX_TEST:,} test rows of a file"
        + (also.format(len(data.y_test)) if whole_test else ""),
    )
    return ds, tuple(notes)


def output_head(ds: Dataset) -> tuple[str, int]:
    """(loss, outputs): one logit and the logistic loss for two classes, k logits and softmax else."""
    return (LOSS, 1) if ds.n_classes <= 2 else ("cross_entropy", ds.n_classes)


def layer_sizes(config, data: Dataset | None = None) -> tuple[int, ...]:
    """``(inputs, width x depth, outputs)`` of the net trained on ``data`` (default: the 2-D set)."""
    if data is None:
        return config.sizes
    return (data.n_features, *([config.width] * config.depth), output_head(data)[1])
