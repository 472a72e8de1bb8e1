"""How to choose a batch size: one net and seed trained with batch sizes 1 to the full batch."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import mlp
from core.config import Settings, choice, integer, number, subset
from core.data import CLASSIFICATION_2D, Dataset, fingerprint, make_classification_2d, subsample
from core.experiments.budget import check_budget
from core.losses import LOSSES
from core.optim import OPTIMIZERS
from core.train import accuracy, fit, prepare_targets

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
            also=", or select fewer batch sizes",
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


@dataclass(frozen=True)
class RunResult:
    """One batch size's run.

    Attributes
    ----------
    key, label : str
        Option name (``"32"``, ``"full"``) and legend text.
    curves : DataFrame
        One row per completed epoch (0 = before training): epoch, updates, examples, seconds
        (training time only, evaluation excluded), train_loss, test_loss, train_accuracy,
        test_accuracy.
    summary : dict
        key, label, batch_size, learning_rate, updates (including a diverging one), updates_per_epoch,
        epochs_done, start_train_loss, final losses and accuracies, gap_accuracy (train - test),
        gap_loss (test - train), seconds, seconds_per_update, activation_bytes, diverged,
        stopped_reason.
    """

    key: str
    label: str
    curves: pd.DataFrame
    summary: dict
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoiseResult:
    """Spread of mini-batch gradients at the initial weights, for every batch size of the page.

    Attributes
    ----------
    variance : DataFrame
        key, label, batch_size, measured (mean of ||g_B - g||^2 over the draws), measured_se (its
        standard error over the draws), theory (sigma^2 / B * (n - B) / (n - 1)), std (the RMS
        deviation sqrt(measured)).
    sigma2 : float
        Per-example gradient variance (1/n) sum_i ||g_i - g||^2.
    full_gradient_norm : float
        ||g||, the full-batch gradient's length.
    slope, theory_slope : float
        Least-squares slope of log(measured), and of log(theory), against log(B) for B <= n / 4.
    """

    variance: pd.DataFrame
    sigma2: float
    full_gradient_norm: float
    slope: float
    theory_slope: float
    n_train: int
    n_params: int
    draws: int


@dataclass(frozen=True)
class Result:
    """What the page shows: the selected runs, the prediction's runs, gradient noise and memory.

    Attributes
    ----------
    summary : DataFrame
        One row per selected batch size, in batch-size order (:func:`summarize`): the run's
        summary plus the time, updates and epochs it took to reach the target test accuracy.
    curves : DataFrame
        The selected runs' per-epoch curves, stacked, with key and label.
    trained : DataFrame
        The summary of every run trained (the selected ones and the prediction's 1, 32, full).
    variance : DataFrame
        The gradient-noise study (see :class:`NoiseResult`).
    memory : DataFrame
        The forward activation cache and the peak of one update's activations per batch size, and
        the B-independent parameter memory (:func:`memory_table`).
    sigma2, noise_slope, theory_slope, full_gradient_norm : float
        The noise study's per-example variance and fitted slopes (B <= n / 4).
    noise_draws, n_train, n_test : int
    sizes : tuple of int
        The net's layer sizes (inputs, hidden..., outputs).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the bundled sets.
    """

    summary: pd.DataFrame
    curves: pd.DataFrame
    trained: pd.DataFrame
    variance: pd.DataFrame
    memory: pd.DataFrame
    sigma2: float
    noise_slope: float
    theory_slope: float
    full_gradient_norm: float
    noise_draws: int
    n_train: int
    n_test: int
    sizes: tuple[int, ...]
    notes: tuple[str, ...] = ()

    @property
    def loss_name(self) -> str:
        """'logistic' for one output, 'cross-entropy' for k classes (uploaded data)."""
        return "logistic" if self.sizes[-1] == 1 else "cross-entropy"


# ---- cost ------------------------------------------------------------------------------------------


def _forward_macs(sizes: Sequence[int]) -> int:
    """Multiply-adds of one example's forward pass through layers of these sizes."""
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def run_seconds(config: Config, batch_size: int | None) -> float:
    """Estimated CPU seconds of one batch size's training run."""
    n = config.n_train
    B = n if batch_size is None else batch_size
    updates = config.epochs * math.ceil(n / B)
    macs = _forward_macs(config.sizes)
    per_update = (
        SECONDS_PER_UPDATE
        + SECONDS_PER_UPDATE_PER_LAYER * (config.depth + 1)
        + SECONDS_PER_PARAM_UPDATE[config.optimizer] * mlp.count_params(config.sizes)
        + SECONDS_PER_MAC * B * macs
    )
    evaluation = SECONDS_PER_EVAL_MAC * config.n_samples * macs
    return SECONDS_PER_RUN + updates * per_update + (config.epochs + 1) * evaluation


def noise_seconds(config: Config) -> float:
    """Estimated CPU seconds of the gradient-noise study."""
    n = config.n_train
    n_params = mlp.count_params(config.sizes)
    return (
        NOISE_SECONDS_BASE
        + NOISE_SECONDS_PER_EXAMPLE_LAYER * n * (config.depth + 1)
        + NOISE_SECONDS_PER_GRAM_MAC * n**2 * n_params
        + NOISE_SECONDS_PER_DRAW_MAC * len(BATCH_SIZES) * NOISE_DRAWS * n**2
    )


def estimated_seconds(config: Config) -> float:
    """CPU seconds of ``run(config)`` on the lab's machine, computed from scratch.

    Every trained batch size (B = 1 makes ``epochs x n_train`` updates: the expensive one) and
    the noise study. Runs already computed in this process cost nothing (see :func:`run`).
    """
    runs = sum(run_seconds(config, parse_batch_key(k)) for k in config.trained_keys)
    return SECONDS_BASE + runs + noise_seconds(config)


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
        raise ValueError(
            f"The training split has {n} rows; this lesson needs at least {MIN_UPLOAD_TRAIN} so "
            "that every batch size up to 256 is smaller than the full batch. Upload at least 368 "
            "rows (70 % of them train)."
        )


def prepare_data(config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset a run trains on and notes about it: the Config's 2-D set, or ``data``.

    Uploaded data is checked (:func:`check_data`) and capped to ``UPLOAD_MAX_TRAIN`` training and
    ``UPLOAD_MAX_TEST`` test rows (seeded, stratified), the same rows for every batch size.
    """
    if data is None:
        return _data(config), ()
    check_data(data)
    ds, notes = subsample(
        data, max_train=UPLOAD_MAX_TRAIN, max_test=UPLOAD_MAX_TEST, seed=config.seed
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


def _evaluate(params, X, T, loss=LOSS):
    logits = mlp.forward(params, X)[0]
    return LOSSES[loss].fn(logits, T), accuracy(loss, logits, T)


# ---- memory ----------------------------------------------------------------------------------------


def activation_memory(sizes: Sequence[int], batch_size: int, *, dropout: bool = False) -> int:
    """Bytes of float64 activations one forward pass keeps for the backward pass (its cache).

    ``M(B) = 8 * B * (d + sum_l (2 + m) * h_l + k)``: the input (B x d), every hidden layer's
    pre-activation z and activation a (B x h_l each, plus the dropout mask when ``m = 1``) and the
    logits (B x k). Parameters, gradients and optimizer state do not depend on B.
    """
    d, *hidden, k = (int(s) for s in sizes)
    per_example = d + sum((3 if dropout else 2) * h for h in hidden) + k
    return 8 * int(batch_size) * per_example


def backward_bytes(sizes: Sequence[int]) -> int:
    """Bytes per example the backward pass of ``core.mlp`` holds at its peak beyond the cache.

    Going down from the output, the step into hidden layer l holds dz (the layer above's width;
    dL/dlogits itself at the top), the new ``da = dz W^T`` and the derivative f'(z) (h_l numbers
    each) and, while f'(z) is built, ReLU's boolean mask (h_l bytes); dL/dlogits (k) stays alive
    below the top. The peak is the largest step, in float64.
    """
    _, *hidden, k = (int(s) for s in sizes)
    widths = [*hidden, k]
    steps = [
        8 * ((k if i < len(hidden) else 0) + widths[i] + 2 * widths[i - 1]) + widths[i - 1]
        for i in range(1, len(widths))
    ]
    return max(steps, default=0)


def memory_table(config: Config, data: Dataset | None = None) -> pd.DataFrame:
    """Activation memory for every batch size of the page and the B-independent parameter memory.

    With uploaded ``data`` the net's input and output sizes and the full batch are the upload's.

    Returns
    -------
    DataFrame with key, label, batch_size, activation_bytes (the forward cache), step_bytes (the
    cache plus the backward pass's temporaries at their peak, float64) and parameter_bytes
    (parameters + gradients + optimizer state, 8 bytes each).
    """
    ds, _ = prepare_data(config, data)
    return _memory(config, layer_sizes(config, None if data is None else ds), len(ds.y_train))


def _memory(config: Config, sizes: Sequence[int], n_train: int) -> pd.DataFrame:
    n_params = mlp.count_params(sizes)
    parameter_bytes = 8 * n_params * (2 + STATE_ARRAYS[config.optimizer])
    rows = []
    for B in BATCH_SIZES:
        size = n_train if B is None else B
        cache = activation_memory(sizes, size)
        rows.append(
            {
                "key": batch_key(B),
                "label": batch_label(B, n_train),
                "batch_size": size,
                "activation_bytes": cache,
                "step_bytes": cache + size * backward_bytes(sizes),
                "parameter_bytes": parameter_bytes,
            }
        )
    return pd.DataFrame(rows)


# ---- one training run ------------------------------------------------------------------------------


def _training_seconds(update_ends, updates_done, callback_seconds) -> np.ndarray:
    """Cumulative training time at the end of each epoch, evaluation time removed.

    ``update_ends[u]`` is fit's clock after update u + 1; ``updates_done[e]`` counts the updates
    after epoch e (``updates_done[0] = 0``). Epoch e >= 2 took the time between the last updates of
    epochs e - 1 and e minus the evaluating callback in between. Epoch 1 follows fit's own
    initial evaluation, so it is timed as the median of the others (all do the same work).
    """
    ends = [update_ends[u - 1] for u in updates_done[1:]]
    durations = [ends[e] - ends[e - 1] - callback_seconds[e - 1] for e in range(1, len(ends))]
    if ends:
        first = float(np.median(durations)) if durations else float(ends[0])
        durations = [first, *durations]
    return np.concatenate([[0.0], np.cumsum(np.maximum(durations, 0.0))])


def train_run(
    config: Config,
    batch_size: int | None,
    data: Dataset | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Train the net with ``batch_size`` (None: the full batch); loss and accuracy per epoch.

    Evaluation happens in a callback whose own time is subtracted, so the wall-time axis
    measures training (per-update seconds come from ``History.steps``). ``progress(fraction,
    message)`` is told after every epoch.
    """
    ds, notes = prepare_data(config, data)
    with _BLAS.limit(limits=1, user_api="blas"):
        return _train(config, batch_size, ds, notes, data is not None, progress)


def _train(config, batch_size, ds, notes, uploaded, progress=None) -> RunResult:
    loss, n_out = output_head(ds)
    sizes = layer_sizes(config, ds if uploaded else None)
    n_train = len(ds.y_train)
    B = n_train if batch_size is None else batch_size
    T_train = prepare_targets(loss, ds.y_train, n_out)
    T_test = prepare_targets(loss, ds.y_test, n_out)
    params = mlp.init_params(sizes, init="he", seed=config.seed)
    lr = config.scaled_learning_rate(B)
    callback_seconds: list[float] = []
    rows = [
        (
            0,
            *_evaluate(params, ds.X_train, T_train, loss),
            *_evaluate(params, ds.X_test, T_test, loss),
        )
    ]

    def record(info):
        entry = time.perf_counter()
        p = info["params"]
        rows.append(
            (
                info["epoch"],
                *_evaluate(p, ds.X_train, T_train, loss),
                *_evaluate(p, ds.X_test, T_test, loss),
            )
        )
        callback_seconds.append(time.perf_counter() - entry)
        if progress is not None:
            progress(info["epoch"] / config.epochs, f"epoch {info['epoch']} of {config.epochs}")

    with np.errstate(all="ignore"):
        history = fit(
            params,
            ds.X_train,
            ds.y_train,
            loss=loss,
            optimizer=OPTIMIZERS[config.optimizer](lr),
            epochs=config.epochs,
            batch_size=batch_size,
            seed=config.seed,
            callback=record,
            eval_every=None,
        )
    curves = pd.DataFrame(
        rows, columns=["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"]
    )
    per_epoch = history.epochs.set_index("epoch").loc[curves["epoch"]]
    updates_done = per_epoch["updates"].to_numpy()
    curves["updates"] = updates_done
    curves["examples"] = per_epoch["examples"].to_numpy()
    curves["seconds"] = _training_seconds(
        history.steps["seconds"].to_numpy(), updates_done, callback_seconds
    )
    final = curves.iloc[-1]
    seconds = float(final["seconds"])
    summary = {
        "key": batch_key(batch_size),
        "label": batch_label(batch_size, n_train),
        "batch_size": B,
        "learning_rate": lr,
        "updates": int(history.n_updates),
        "updates_per_epoch": math.ceil(n_train / B),
        "epochs_done": int(final["epoch"]),
        "start_train_loss": float(curves["train_loss"].iloc[0]),
        "train_loss": float(final["train_loss"]),
        "test_loss": float(final["test_loss"]),
        "train_accuracy": float(final["train_accuracy"]),
        "test_accuracy": float(final["test_accuracy"]),
        "gap_accuracy": float(final["train_accuracy"] - final["test_accuracy"]),
        "gap_loss": float(final["test_loss"] - final["train_loss"]),
        "seconds": seconds,
        "seconds_per_update": seconds / max(1, int(final["updates"])),
        "activation_bytes": activation_memory(sizes, B),
        "diverged": bool(history.diverged),
        "stopped_reason": history.stopped_reason,
    }
    return RunResult(
        key=summary["key"], label=summary["label"], curves=curves, summary=summary, notes=notes
    )


# ---- gradient noise --------------------------------------------------------------------------------


def per_example_gradients(params, X, y, loss: str = LOSS) -> np.ndarray:
    """Rows g_i = gradient of the loss of example i alone, flattened in key order.

    Returns
    -------
    ndarray of shape (n, n_params); the full-batch gradient is its column mean.
    """
    n_out = params[f"W{mlp.n_layers(params)}"].shape[1]
    T = prepare_targets(loss, y, n_out)
    rows = np.empty((len(X), mlp.count_params(params)))
    for i in range(len(X)):
        logits, cache = mlp.forward(params, X[i : i + 1])
        grads = mlp.backward(params, cache, LOSSES[loss].grad(logits, T[i : i + 1]))
        rows[i] = np.concatenate([grads[k].ravel() for k in params])
    return rows


def _loglog_slope(batch_sizes, values) -> float:
    return float(np.polyfit(np.log(batch_sizes), np.log(values), 1)[0])


def gradient_noise(
    config: Config, data: Dataset | None = None, *, draws: int = NOISE_DRAWS
) -> NoiseResult:
    """Draw mini-batches without replacement (as in an epoch) and measure their gradients' spread.

    With centred per-example gradients D (n x P) and a draw's 0/1 indicator m (sum B),
    ``g_B - g = D^T m / B``, so ``||g_B - g||^2 = m^T (D D^T) m / B^2``: one n x n Gram matrix
    serves every draw and every batch size. ``data`` (uploaded) replaces the 2-D set, with the
    same rows as the training runs.
    """
    ds, _ = prepare_data(config, data)
    with _BLAS.limit(limits=1, user_api="blas"):
        return _noise(config, ds, data is not None, draws)


def _noise(config, ds, uploaded, draws=NOISE_DRAWS) -> NoiseResult:
    loss, _ = output_head(ds)
    sizes = layer_sizes(config, ds if uploaded else None)
    params = mlp.init_params(sizes, init="he", seed=config.seed)
    G = per_example_gradients(params, ds.X_train, ds.y_train, loss)
    n = len(G)
    full = G.mean(axis=0)
    D = G - full
    gram = D @ D.T
    sigma2 = float(np.trace(gram) / n)
    rng = np.random.default_rng(config.seed + 1)
    rows = []
    for B in BATCH_SIZES:
        size = n if B is None else B
        picks = np.argpartition(rng.random((draws, n)), size - 1, axis=1)[:, :size]
        m = np.zeros((draws, n))
        np.put_along_axis(m, picks, 1.0, axis=1)
        sums = np.sum((m @ gram) * m, axis=1)  # B^2 ||g_B - g||^2 of each draw
        measured = float(np.mean(sums) / size**2)
        # Round-off leaves ~1e-30 for the full batch, whose gradient is exact.
        exact = size == n
        measured = 0.0 if exact else max(measured, 0.0)
        rows.append(
            {
                "key": batch_key(B),
                "label": batch_label(B, n),
                "batch_size": size,
                "measured": measured,
                "measured_se": 0.0
                if exact
                else float(np.std(sums, ddof=1) / size**2 / math.sqrt(draws)),
                "theory": sigma2 / size * (n - size) / (n - 1),
            }
        )
    variance = pd.DataFrame(rows)
    variance["std"] = np.sqrt(variance["measured"])
    fit_rows = variance[variance["batch_size"] <= n // 4]
    measured_ok = bool((fit_rows["measured"] > 0).all())
    return NoiseResult(
        variance=variance,
        sigma2=sigma2,
        full_gradient_norm=float(np.linalg.norm(full)),
        slope=_loglog_slope(fit_rows["batch_size"], fit_rows["measured"])
        if measured_ok
        else math.nan,
        theory_slope=_loglog_slope(fit_rows["batch_size"], fit_rows["theory"])
        if sigma2 > 0
        else math.nan,
        n_train=n,
        n_params=G.shape[1],
        draws=draws,
    )


# ---- the page's run --------------------------------------------------------------------------------


class _Memo:
    """The last few runs of this process, so a changed selection of batch sizes (or a changed
    optimizer, for the noise study) recomputes only what it changes. A run's result depends only
    on its key; a run stopped by its progress callback is not kept. Bounded by entries: a
    RunResult holds one row per epoch (at most 41), a few kilobytes."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, compute):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_RUNS = _Memo(128)


def _part(progress: Progress | None, start: float, width: float, key: str) -> Progress | None:
    """A run's share [start, start + width] of the whole progress, told before it starts."""
    if progress is None:
        return None
    label = "gradient noise" if key == "noise" else f"B = {key}"
    progress(start, label)
    return lambda fraction, message: progress(start + width * fraction, f"{label}, {message}")


def run(config: Config, data: Dataset | None = None, progress: Progress | None = None) -> Result:
    """Train every batch size of ``config.trained_keys`` and measure the gradient noise.

    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the 2-D set
    the config names; its dataset, n_samples and noise are then unused. ``progress(fraction,
    message)`` hears of every epoch (it may raise to stop the run). Each batch size's run and
    the noise study are kept per their own settings (the last 128 of this process), so
    selecting another batch size trains only that one.
    """
    ds, notes = prepare_data(config, data)
    uploaded, data_key = data is not None, None if data is None else fingerprint(data)
    base = replace(config, batch_sizes=BATCH_KEYS)  # a run does not depend on the selection
    noise_base = replace(base, optimizer="gd", learning_rate=0.1, scaling="none", epochs=1)
    parts = [(k, run_seconds(config, parse_batch_key(k))) for k in config.trained_keys]
    parts.append(("noise", noise_seconds(config)))
    total = sum(seconds for _, seconds in parts)
    runs, done = {}, 0.0
    with _BLAS.limit(limits=1, user_api="blas"):
        for key, seconds in parts:
            report = _part(progress, done / total, seconds / total, key)
            if key == "noise":
                noise = _RUNS.get(
                    ("noise", noise_base, data_key), lambda: _noise(config, ds, uploaded)
                )
            else:
                runs[key] = _RUNS.get(
                    (key, base, data_key),
                    lambda key=key, report=report: _train(
                        config, parse_batch_key(key), ds, notes, uploaded, report
                    ),
                )
            done += seconds
    shown = [runs[k] for k in config.batch_sizes]
    sizes = layer_sizes(config, None if data is None else ds)
    return Result(
        summary=summarize(shown),
        curves=combined_curves(shown),
        trained=pd.DataFrame([runs[k].summary for k in config.trained_keys]),
        variance=noise.variance,
        memory=_memory(config, sizes, len(ds.y_train)),
        sigma2=noise.sigma2,
        noise_slope=noise.slope,
        theory_slope=noise.theory_slope,
        full_gradient_norm=noise.full_gradient_norm,
        noise_draws=noise.draws,
        n_train=len(ds.y_train),
        n_test=len(ds.y_test),
        sizes=tuple(int(s) for s in sizes),
        notes=notes,
    )


def summarize(results: Sequence[RunResult], *, within: float = 0.01) -> pd.DataFrame:
    """One row per run in batch-size order, with the time each needed to reach a good model.

    ``target_accuracy`` is the best final test accuracy among the runs that did not diverge,
    minus ``within``; ``seconds_to_target`` / ``updates_to_target`` / ``epochs_to_target`` are
    read at the first epoch whose test accuracy reaches it (NaN if it never does).

    Returns
    -------
    DataFrame with the columns of ``RunResult.summary`` plus target_accuracy and the three
    ``*_to_target`` columns, and ``rank`` (position in :data:`BATCH_KEYS`).
    """
    if not results:
        raise ValueError("'results' is empty; select at least one batch size.")
    table = pd.DataFrame([r.summary for r in results])
    table["rank"] = table["key"].map(BATCH_KEYS.index)
    ok = ~table["diverged"]
    best = float(table.loc[ok, "test_accuracy"].max()) if ok.any() else math.nan
    target = best - within
    reach = {"seconds_to_target": [], "updates_to_target": [], "epochs_to_target": []}
    for r in results:
        hit = r.curves[r.curves["test_accuracy"] >= target]
        first = hit.iloc[0] if len(hit) and not r.summary["diverged"] else None
        reach["seconds_to_target"].append(math.nan if first is None else float(first["seconds"]))
        reach["updates_to_target"].append(math.nan if first is None else float(first["updates"]))
        reach["epochs_to_target"].append(math.nan if first is None else float(first["epoch"]))
    table = table.assign(target_accuracy=target, **reach)
    return table.sort_values("rank").reset_index(drop=True)


def combined_curves(results: Sequence[RunResult]) -> pd.DataFrame:
    """Every run's per-epoch curves stacked, with its key and label (tidy, for one chart)."""
    return pd.concat(
        [r.curves.assign(key=r.key, label=r.label) for r in results], ignore_index=True
    )


def alignment(summary: pd.DataFrame) -> float:
    """How far apart the runs end: max / min final training loss over runs that did not diverge.

    1.0 means identical losses at the end; with SGD the linear scaling rule keeps it small.
    NaN with fewer than two such runs.
    """
    losses = summary.loc[~summary["diverged"], "train_loss"]
    if len(losses) < 2 or losses.min() <= 0:
        return math.nan
    return float(losses.max() / losses.min())
