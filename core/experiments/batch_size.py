"""How to choose a batch size: one net and seed trained with batch sizes 1 to the full batch."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import mlp
from core.data import CLASSIFICATION_2D, Dataset, make_classification_2d, subsample
from core.experiments.budget import check_budget
from core.losses import LOSSES
from core.optim import OPTIMIZERS
from core.train import accuracy, fit, prepare_targets
from core.validation import check_choice, check_int, check_number

# The matrices here are small: one BLAS thread beats two fighting over a shared machine
# (fit makes the same choice for its updates; this covers evaluation and the noise study).
_BLAS = ThreadpoolController()

# None is the full batch: every training example in every update.
BATCH_SIZES: tuple[int | None, ...] = (1, 8, 32, 64, 128, 256, None)
BATCH_KEYS = ("1", "8", "32", "64", "128", "256", "full")
OPTIMIZER_NAMES = ("gd", "momentum", "adam")
SCALING_RULES = ("none", "linear", "sqrt")
# The learning rate the user picks is the one used at this batch size; the rules scale from it.
REFERENCE_BATCH = 32
TEST_SIZE = 0.3
LOSS = "bce_with_logits"
NOISE_DRAWS = 400
# Seconds on the lab's machine, fitted to timings (bench/budget.py). A training run: a fixed part,
# then per update a fixed step, a step per layer and the multiply-adds of B examples; per epoch an
# evaluation of every example. The noise study: one backward pass per training example, the n x n
# Gram matrix of the per-example gradients, and NOISE_DRAWS masks x n^2 per batch size.
SECONDS_BASE = 0.05
SECONDS_PER_UPDATE, SECONDS_PER_UPDATE_PER_LAYER = 4.5e-5, 4.5e-5
SECONDS_PER_MAC = 8.6e-10  # per multiply-add of one example's forward pass, in an update
SECONDS_PER_EVAL_MAC = 2e-10
NOISE_SECONDS_BASE, NOISE_SECONDS_PER_EXAMPLE_LAYER = 0.02, 2.5e-5
NOISE_SECONDS_PER_GRAM_MAC, NOISE_SECONDS_PER_DRAW_MAC = 4e-11, 7e-11
_CONTROLS = ("Epochs", "Examples n (train + test)", "Hidden layers", "Hidden width")
# Optimizer state arrays per parameter (momentum keeps one buffer, Adam two moments).
STATE_ARRAYS = {"gd": 0, "momentum": 1, "adam": 2}
# Uploaded data: every batch size up to 256 must be smaller than the full batch, and the training
# rows are capped (a seeded sample) so that B = 1 at the most epochs stays within MAX_SGD_UPDATES
# updates, the bundled sets' longest SGD run. The cap does not depend on the epochs, so the runs and the noise
# study share the same rows. The test split only costs one forward pass per epoch.
MAX_EPOCHS = 40  # Config.epochs upper bound
MAX_SGD_UPDATES = 15_000
MIN_UPLOAD_TRAIN = 257
UPLOAD_MAX_TRAIN = MAX_SGD_UPDATES // MAX_EPOCHS
UPLOAD_MAX_TEST = 2000


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
class Config:
    """One training run of the batch-size lesson (the page makes one per selected batch size).

    A 2-D binary classification set is fitted by a ReLU network ``2 -> width x depth -> 1`` with
    the logistic loss. Every run shares data, initial weights and shuffling seed; only the batch
    size (and, with a scaling rule, the learning rate) changes:
    ``lr(B) = learning_rate * (B / 32)`` (linear) or ``* sqrt(B / 32)`` (square root).
    Settings whose page (every batch size and the noise study, :func:`page_seconds`) would pass
    the shared work budget are refused.
    """

    batch_size: int | None = 32
    dataset: str = "moons"
    n_samples: int = 400
    noise: float = 0.25
    width: int = 32
    depth: int = 2
    optimizer: str = "gd"
    learning_rate: float = 0.1
    scaling: str = "none"
    epochs: int = 20
    seed: int = 0

    def __post_init__(self):
        set_ = object.__setattr__
        if self.batch_size is not None:
            set_(self, "batch_size", check_int("batch_size", self.batch_size, 1, 256))
        set_(self, "dataset", check_choice("dataset", self.dataset, CLASSIFICATION_2D))
        set_(self, "n_samples", check_int("n_samples", self.n_samples, 400, 1000))
        set_(self, "noise", check_number("noise", self.noise, 0.0, 1.0))
        set_(self, "width", check_int("width", self.width, 2, 64))
        set_(self, "depth", check_int("depth", self.depth, 1, 3))
        set_(self, "optimizer", check_choice("optimizer", self.optimizer, OPTIMIZER_NAMES))
        set_(self, "learning_rate", check_number("learning_rate", self.learning_rate, 1e-4, 1.0))
        set_(self, "scaling", check_choice("scaling", self.scaling, SCALING_RULES))
        set_(self, "epochs", check_int("epochs", self.epochs, 1, 40))
        set_(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1))
        check_budget(
            page_seconds(self),
            _CONTROLS,
            what=f"Training all {len(BATCH_SIZES)} batch sizes (B = 1 makes epochs x n updates)",
        )

    @property
    def n_train(self) -> int:
        """Training examples after the stratified split (scikit-learn rounds the test part up)."""
        return self.n_samples - math.ceil(TEST_SIZE * self.n_samples)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (2, *([self.width] * self.depth), 1)

    @property
    def effective_batch(self) -> int:
        return self.n_train if self.batch_size is None else self.batch_size

    def scaled_learning_rate(self, batch_size: int | None = None) -> float:
        """The learning rate used at ``batch_size`` (default: this run's) under the scaling rule."""
        B = self.effective_batch if batch_size is None else batch_size
        ratio = B / REFERENCE_BATCH
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
        One row per epoch (0 = before training): epoch, updates, examples, seconds (training
        time only, evaluation excluded), train_loss, test_loss, train_accuracy, test_accuracy.
    summary : dict
        key, label, batch_size, learning_rate, updates, updates_per_epoch, final losses and
        accuracies, gap_accuracy (train - test), gap_loss (test - train), seconds,
        seconds_per_update, activation_bytes, diverged, stopped_reason.
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the bundled sets.
    """

    key: str
    label: str
    curves: pd.DataFrame
    summary: dict
    notes: tuple[str, ...] = ()


def _forward_macs(sizes: Sequence[int]) -> int:
    """Multiply-adds of one example's forward pass through layers of these sizes."""
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def _run_seconds(config: Config, batch_size: int | None) -> float:
    n = config.n_train
    B = n if batch_size is None else batch_size
    updates = config.epochs * math.ceil(n / B)
    macs = _forward_macs(config.sizes)
    per_update = (
        SECONDS_PER_UPDATE
        + SECONDS_PER_UPDATE_PER_LAYER * (config.depth + 1)
        + SECONDS_PER_MAC * B * macs
    )
    evaluation = SECONDS_PER_EVAL_MAC * config.n_samples * macs
    return SECONDS_BASE + updates * per_update + (config.epochs + 1) * evaluation


def _noise_seconds(config: Config | NoiseConfig) -> float:
    n_train = config.n_samples - math.ceil(TEST_SIZE * config.n_samples)
    n_params = mlp.count_params(config.sizes)
    draws = getattr(config, "draws", NOISE_DRAWS)
    return (
        NOISE_SECONDS_BASE
        + NOISE_SECONDS_PER_EXAMPLE_LAYER * n_train * (config.depth + 1)
        + NOISE_SECONDS_PER_GRAM_MAC * n_train**2 * n_params
        + NOISE_SECONDS_PER_DRAW_MAC * len(BATCH_SIZES) * draws * n_train**2
    )


def estimated_seconds(config: Config | NoiseConfig) -> float:
    """Seconds of ``run(config)`` on the lab's machine: one training run, or the noise study.

    A run makes ``epochs x ceil(n_train / B)`` updates: B = 1 is the expensive one.
    """
    if isinstance(config, NoiseConfig):
        return _noise_seconds(config)
    return _run_seconds(config, config.batch_size)


def page_seconds(config: Config) -> float:
    """Seconds of the page's worst case: every batch size trained with these settings, plus the
    noise study (whatever ``config.batch_size`` is)."""
    runs = sum(_run_seconds(config, B) for B in BATCH_SIZES)
    return runs + _noise_seconds(config)


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


def activation_memory(sizes: Sequence[int], batch_size: int, *, dropout: bool = False) -> int:
    """Bytes of float64 activations one forward pass keeps for the backward pass.

    ``M(B) = 8 * B * (d + sum_l (2 + m) * h_l + k)``: the input (B x d), every hidden layer's
    pre-activation z and activation a (B x h_l each, plus the dropout mask when ``m = 1``) and the
    logits (B x k). Parameters, gradients and optimizer state do not depend on B.
    """
    d, *hidden, k = (int(s) for s in sizes)
    per_example = d + sum((3 if dropout else 2) * h for h in hidden) + k
    return 8 * int(batch_size) * per_example


def memory_table(config: Config, data: Dataset | None = None) -> pd.DataFrame:
    """Activation memory for every batch size of the page and the B-independent parameter memory.

    With uploaded ``data`` the net's input and output sizes and the full batch are the upload's.

    Returns
    -------
    DataFrame with key, label, batch_size, activation_bytes, parameter_bytes (parameters +
    gradients + optimizer state, 8 bytes each).
    """
    ds, _ = prepare_data(config, data)
    sizes, n_train = layer_sizes(config, None if data is None else ds), len(ds.y_train)
    n_params = mlp.count_params(sizes)
    parameter_bytes = 8 * n_params * (2 + STATE_ARRAYS[config.optimizer])
    rows = []
    for B in BATCH_SIZES:
        size = n_train if B is None else B
        rows.append(
            {
                "key": batch_key(B),
                "label": batch_label(B, n_train),
                "batch_size": size,
                "activation_bytes": activation_memory(sizes, size),
                "parameter_bytes": parameter_bytes,
            }
        )
    return pd.DataFrame(rows)


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


@dataclass(frozen=True)
class NoiseConfig:
    """The gradient-noise study: the same data and initial net as the training runs, no training.

    Build it with :meth:`from_config` so it shares every setting a run depends on (the batch
    size, optimizer and learning rate do not change the gradients at the start).
    """

    dataset: str = "moons"
    n_samples: int = 400
    noise: float = 0.25
    width: int = 32
    depth: int = 2
    seed: int = 0
    draws: int = NOISE_DRAWS

    def __post_init__(self):
        Config(
            dataset=self.dataset,
            n_samples=self.n_samples,
            noise=self.noise,
            width=self.width,
            depth=self.depth,
            seed=self.seed,
            epochs=1,
        )
        object.__setattr__(self, "draws", check_int("draws", self.draws, 10, 2000))
        check_budget(
            estimated_seconds(self),
            ("Examples n (train + test)", "Hidden width"),
            what="The gradient-noise study",
            also=", or pass fewer draws",
        )

    @classmethod
    def from_config(cls, config: Config, *, draws: int = NOISE_DRAWS) -> NoiseConfig:
        return cls(
            dataset=config.dataset,
            n_samples=config.n_samples,
            noise=config.noise,
            width=config.width,
            depth=config.depth,
            seed=config.seed,
            draws=draws,
        )

    @property
    def sizes(self) -> tuple[int, ...]:
        return (2, *([self.width] * self.depth), 1)


@dataclass(frozen=True)
class NoiseResult:
    """Spread of mini-batch gradients at the initial weights, for every batch size of the page.

    Attributes
    ----------
    variance : DataFrame
        key, label, batch_size, measured (mean of ||g_B - g||^2 over the draws), theory
        (sigma^2 / B * (n - B) / (n - 1)), std (sqrt of measured).
    sigma2 : float
        Per-example gradient variance (1/n) sum_i ||g_i - g||^2.
    full_gradient_norm : float
        ||g||, the full-batch gradient's length (the signal the noise is compared with).
    slope : float
        Least-squares slope of log(measured) against log(B) for B <= n / 4 (theory: -1).
    n_train, n_params : int
    """

    variance: pd.DataFrame
    sigma2: float
    full_gradient_norm: float
    slope: float
    n_train: int
    n_params: int
    notes: tuple[str, ...] = ()


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


def gradient_noise(config: NoiseConfig, data: Dataset | None = None) -> NoiseResult:
    """Draw mini-batches without replacement (as in an epoch) and measure their gradients' spread.

    With centred per-example gradients D (n x P) and a draw's 0/1 indicator m (sum B),
    ``g_B - g = D^T m / B``, so ``||g_B - g||^2 = m^T (D D^T) m / B^2``: one n x n Gram matrix
    serves every draw and every batch size. ``data`` (uploaded) replaces the 2-D set, with the
    same rows as the training runs.
    """
    ds, notes = prepare_data(config, data)
    loss, _ = output_head(ds)
    sizes = layer_sizes(config, None if data is None else ds)
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
        picks = np.argpartition(rng.random((config.draws, n)), size - 1, axis=1)[:, :size]
        m = np.zeros((config.draws, n))
        np.put_along_axis(m, picks, 1.0, axis=1)
        measured = float(np.mean(np.sum((m @ gram) * m, axis=1)) / size**2)
        # Round-off leaves ~1e-30 for the full batch, whose gradient is exact.
        measured = 0.0 if size == n else max(measured, 0.0)
        rows.append(
            {
                "key": batch_key(B),
                "label": batch_label(B, n),
                "batch_size": size,
                "measured": measured,
                "theory": sigma2 / size * (n - size) / (n - 1),
            }
        )
    variance = pd.DataFrame(rows)
    variance["std"] = np.sqrt(variance["measured"])
    fit_rows = variance[variance["batch_size"] <= n // 4]
    slope = float(np.polyfit(np.log(fit_rows["batch_size"]), np.log(fit_rows["measured"]), 1)[0])
    return NoiseResult(
        variance=variance,
        sigma2=sigma2,
        full_gradient_norm=float(np.linalg.norm(full)),
        slope=slope,
        n_train=n,
        n_params=G.shape[1],
        notes=notes,
    )


def run(config: Config | NoiseConfig, data: Dataset | None = None) -> RunResult | NoiseResult:
    """One training run (a :class:`Config`) or the gradient-noise study (a :class:`NoiseConfig`).

    One entry point lets the page cache each batch size's run and the noise study separately,
    so selecting another batch size recomputes only that run. ``data`` (an uploaded
    classification set, see :func:`prepare_data`) replaces the 2-D set the config names; its
    dataset, n_samples and noise are then unused.
    """
    with _BLAS.limit(limits=1, user_api="blas"):
        if isinstance(config, NoiseConfig):
            return gradient_noise(config, data)
        return train_run(config, data)


def train_run(config: Config, data: Dataset | None = None) -> RunResult:
    """Train the net with ``config.batch_size``; loss and accuracy per epoch, training time only.

    Evaluation happens in a callback whose own time is subtracted, so the wall-time axis
    measures training (per-update seconds come from ``History.steps``).
    """
    ds, notes = prepare_data(config, data)
    loss, n_out = output_head(ds)
    sizes = layer_sizes(config, None if data is None else ds)
    n_train = len(ds.y_train)
    B = n_train if config.batch_size is None else config.batch_size
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

    with np.errstate(all="ignore"):
        history = fit(
            params,
            ds.X_train,
            ds.y_train,
            loss=loss,
            optimizer=OPTIMIZERS[config.optimizer](lr),
            epochs=config.epochs,
            batch_size=config.batch_size,
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
    updates = int(history.n_updates)
    seconds = float(final["seconds"])
    summary = {
        "key": batch_key(config.batch_size),
        "label": batch_label(config.batch_size, n_train),
        "batch_size": B,
        "learning_rate": lr,
        "updates": updates,
        "updates_per_epoch": math.ceil(n_train / B),
        "epochs_done": int(final["epoch"]),
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

    1.0 means identical curves at the end; the linear scaling rule keeps it small for SGD.
    """
    losses = summary.loc[~summary["diverged"], "train_loss"]
    if len(losses) < 2 or losses.min() <= 0:
        return math.nan
    return float(losses.max() / losses.min())


def recipe(summary: pd.DataFrame, config: Config) -> list[tuple[str, str]]:
    """The practical recipe as checklist items ``(status, text)`` that react to this run.

    ``status`` is ``"ok"`` (the run agrees with the rule of thumb), ``"warn"`` (the run shows the
    failure the rule prevents) or ``"info"`` (select more batch sizes to check it).
    """
    s = summary.set_index("key")
    ok = s[~s["diverged"]]
    ref = str(REFERENCE_BATCH)
    items: list[tuple[str, str]] = []
    starts = [
        f"B = {k} reaches {ok.loc[k, 'test_accuracy']:.1%}" for k in ("32", "64") if k in ok.index
    ]
    items.append(
        ("ok", "**Start at 32 or 64** (powers of two): " + "; ".join(starts) + " test accuracy.")
        if starts
        else ("info", "**Start at 32 or 64**: select them to see where the search begins.")
    )
    if len(ok):
        best, gap = ok["test_accuracy"].idxmax(), ok["gap_accuracy"].idxmax()
        items.append(
            (
                "ok",
                f"**Double or halve while watching train and test curves**: the best test accuracy "
                f"here is B = {ok.loc[best, 'label']} ({ok.loc[best, 'test_accuracy']:.1%}); the "
                f"largest train-test gap is at B = {ok.loc[gap, 'label']} "
                f"({ok.loc[gap, 'gap_accuracy']:+.1%}).",
            )
        )
    reached = ok["seconds_to_target"].dropna()
    if len(reached):
        fast = ok.loc[reached.idxmin()]
        items.append(
            (
                "ok",
                f"**Prefer the batch size that gets there first**: B = {fast['label']} reached "
                f"{fast['target_accuracy']:.1%} test accuracy (within one point of the best) after "
                f"{fast['seconds_to_target'] * 1000:.0f} ms of training "
                f"({int(fast['updates_to_target'])} updates).",
            )
        )
    diverged = s[s["diverged"]]
    big = ok[ok["batch_size"] > REFERENCE_BATCH]
    if len(diverged):
        fix = "lower η" if config.scaling == "none" else "cap the scaled η or warm it up"
        items.append(
            (
                "warn",
                f"**Scale the learning rate, but not without limit**: B = "
                f"{', '.join(diverged['label'])} diverged at η = "
                f"{diverged['learning_rate'].iloc[-1]:.3g}; {fix}.",
            )
        )
    elif config.scaling != "none":
        items.append(
            (
                "ok",
                f"**Scale the learning rate with the batch** ({config.scaling} rule): final "
                f"training losses span a factor of {alignment(summary):.2f} across the selected "
                "batch sizes.",
            )
        )
    elif len(big) and ref in ok.index:
        worst = big.loc[big["train_loss"].idxmax()]
        ratio = worst["train_loss"] / ok.loc[ref, "train_loss"]
        items.append(
            (
                "warn" if ratio > 1.1 else "ok",
                f"**Scale the learning rate with the batch**: at the same η, B = {worst['label']} "
                f"ends with {ratio:.2f}x the training loss of B = 32 after {config.epochs} epochs "
                f"({int(worst['updates'])} updates instead of {int(ok.loc[ref, 'updates'])}). "
                "Try the linear rule.",
            )
        )
    else:
        items.append(
            ("info", "**Scale the learning rate with the batch**: select 32 and a larger batch.")
        )
    largest = s.loc[s["batch_size"].idxmax()]
    items.append(
        (
            "ok",
            f"**Memory caps the batch**: B = {largest['label']} keeps "
            f"{largest['activation_bytes'] / 1024:,.1f} KiB of activations for this net, "
            f"{largest['batch_size']}x the cost of one example; halve B when it does not fit.",
        )
    )
    return items
