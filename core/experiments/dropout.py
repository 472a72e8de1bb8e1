"""Why dropout helps: an overfitting net with and without dropout, and inverted dropout's scaling checked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import mlp
from core.activations import sigmoid
from core.data import CLASSIFICATION_2D, Dataset, boundary_note, make_classification_2d, subsample
from core.experiments.budget import check_budget
from core.losses import log_softmax, softmax
from core.optim import adam
from core.train import fit
from core.validation import check_choice, check_int, check_number

# Every matrix here is small: one BLAS thread is several times faster than two fighting over a
# shared machine (the same choice core.train makes inside fit).
_BLAS = ThreadpoolController()

# Keep probabilities q offered by the page; core.mlp takes the drop probability p = 1 - q.
KEEP_PROBS = (1.0, 0.9, 0.8, 0.65, 0.5, 0.35, 0.2)
KEEP_KEYS = tuple(f"{q:g}" if q < 1 else "1.0" for q in KEEP_PROBS)
LOSS = "bce_with_logits"
# Test points per training point: the test set is large so its loss is a good estimate.
TEST_PER_TRAIN = 4
GRID = 32
# The Monte Carlo view pushes MC_GRID^2 x MC_SAMPLES rows through the net: a coarser grid.
MC_GRID = 25
MC_SAMPLES = 25
MASK_DRAWS = 4000
TRACE_POINTS = 200
# The expected-activation check sweeps q over this grid, with fewer masks per q.
CHECK_QS = tuple(round(q, 2) for q in np.arange(0.1, 1.0001, 0.1))
CHECK_DRAWS = 2000
# Bound on epochs x n_train x width^2 x depth (multiply-adds of the hidden layers, a proxy for time).
MAX_WORK = 7e8
# Uploaded data: the training rows are capped so that epochs x rows x the net's real multiply-adds
# per example stays within UPLOAD_WORK (and the Config's range of training points); the test split
# keeps TEST_PER_TRAIN rows per training row, as with the 2-D sets. MAX_WORK's proxy overcounts the
# first layer of a 2-D net; counted exactly, half of it gave runs as long as the 2-D sets' longest
# (about 1 s per keep probability on a 30-feature upload, measured on the shared 2-core machine).
UPLOAD_WORK = MAX_WORK / 2
UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN = 20, 200
# Seconds of one run on the lab's machine, fitted to timings (bench/budget.py). Per epoch: a fixed
# step, the element-wise work on every hidden unit of every example (masks, activations, Adam)
# and the matrix products; about 100 evaluations on train + test; then the MC-dropout grid and
# test set (MC_SAMPLES masks each) through the trained net.
SECONDS_BASE = 0.08
SECONDS_PER_EPOCH = 5e-5
SECONDS_PER_UNIT = 2.8e-8  # per example x hidden unit, per epoch
SECONDS_PER_MAC = 2.5e-11  # per multiply-add of a training step
SECONDS_PER_EVAL_MAC = 1.3e-10
SECONDS_PER_MC_MAC, SECONDS_PER_MC_UNIT = 1.7e-10, 2.7e-8


def keep_key(q: float) -> str:
    """The option name of a keep probability: ``"1.0"``, ``"0.8"``, ``"0.65"``."""
    return "1.0" if q >= 1 else f"{q:g}"


def keep_label(q: float) -> str:
    """Legend text: ``"q = 1.0 (no dropout)"`` or ``"q = 0.5"``."""
    return "q = 1.0 (no dropout)" if q >= 1 else f"q = {q:g}"


@dataclass(frozen=True)
class Config:
    """One training run of the dropout lesson (the page makes one per selected keep probability).

    Few noisy points and a wide ReLU net ``2 -> width x depth -> 1`` trained with Adam on the full
    batch overfit without dropout. Each hidden unit is kept with probability ``keep_prob`` = q
    (``core.mlp.forward`` gets ``dropout = 1 - q``) and scaled by 1/q while training. Settings
    whose page (a run per keep probability, :func:`page_seconds`) would pass the shared work
    budget are refused.
    """

    keep_prob: float = 1.0
    dataset: str = "moons"
    n_train: int = 40
    noise: float = 0.35
    width: int = 128
    depth: int = 2
    learning_rate: float = 0.003
    epochs: int = 200
    seed: int = 0

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "keep_prob", check_number("keep_prob", self.keep_prob, 0.05, 1.0))
        set_(self, "dataset", check_choice("dataset", self.dataset, CLASSIFICATION_2D))
        set_(self, "n_train", check_int("n_train", self.n_train, 20, 200))
        set_(self, "noise", check_number("noise", self.noise, 0.0, 1.0))
        set_(self, "width", check_int("width", self.width, 4, 256))
        set_(self, "depth", check_int("depth", self.depth, 1, 3))
        set_(self, "learning_rate", check_number("learning_rate", self.learning_rate, 1e-4, 0.1))
        set_(self, "epochs", check_int("epochs", self.epochs, 10, 600))
        set_(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1))
        check_budget(
            page_seconds(self),
            ("Epochs", "Hidden width", "Training points", "Hidden layers"),
            what=f"Training all {len(KEEP_PROBS)} keep probabilities",
        )

    @property
    def dropout(self) -> float:
        """PyTorch's p, the probability of zeroing a unit."""
        return 1.0 - self.keep_prob

    @property
    def sizes(self) -> tuple[int, ...]:
        return (2, *([self.width] * self.depth), 1)


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine (any q: dropout's masks cost little more)."""
    n, w, d, epochs = config.n_train, config.width, config.depth, config.epochs
    macs = 2 * w + w * w * (d - 1) + w  # multiply-adds of one example's forward pass
    evaluations = epochs // max(1, epochs // 100) + 1
    mc_rows = MC_GRID**2 * MC_SAMPLES + MC_SAMPLES * TEST_PER_TRAIN * n
    return (
        SECONDS_BASE
        + epochs * (SECONDS_PER_EPOCH + SECONDS_PER_UNIT * n * w * d + SECONDS_PER_MAC * n * macs)
        + SECONDS_PER_EVAL_MAC * evaluations * (1 + TEST_PER_TRAIN) * n * macs
        + mc_rows * (SECONDS_PER_MC_MAC * macs + SECONDS_PER_MC_UNIT * w * d)
    )


def page_seconds(config: Config) -> float:
    """Seconds of the page's worst case: one run per keep probability it offers."""
    return len(KEEP_PROBS) * estimated_seconds(config)


@dataclass(frozen=True)
class Result:
    """One keep probability's run.

    Attributes
    ----------
    key, label : str
        Option name (``"0.5"``) and legend text (``"q = 0.5"``).
    curves : DataFrame
        epoch, train_loss, test_loss, train_accuracy, test_accuracy (evaluated epochs only).
    summary : dict
        key, label, keep_prob, final losses and accuracies, gap_loss (test - train), gap_accuracy
        (train - test), best_test_loss, mc_test_loss and mc_test_accuracy (averaged over
        MC_SAMPLES masks), diverged.
    boundary : DataFrame
        x1, x2, prob: inference probability of class 1 on a GRID x GRID grid.
    mc : DataFrame
        x1, x2, mean, std: the probability averaged over MC_SAMPLES dropout masks and its spread.
    points : DataFrame
        x1, x2, y, split ("train" / "test").
    unit : dict
        The checked hidden unit: layer, index, activation a at inference, q, train_mean (mean of
        mask * a / q over MASK_DRAWS masks), unscaled_mean (mean of mask * a), draws.
    mask_trace : DataFrame
        draw, scaled (mask * a / q of that draw), running_scaled, running_unscaled (means over
        draws 1..draw), at about TRACE_POINTS log-spaced draws.
    expectation : DataFrame
        q, rule, value: the unit's expected activation for q in CHECK_QS: the training-time mean
        of mask * a / q over CHECK_DRAWS masks (measured), the inference value a, and the two
        double-scaling mistakes (inverted dropout plus x q, or plus / q, at inference).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the 2-D sets.
    """

    key: str
    label: str
    curves: pd.DataFrame
    summary: dict
    boundary: pd.DataFrame
    mc: pd.DataFrame
    points: pd.DataFrame
    unit: dict
    mask_trace: pd.DataFrame
    expectation: pd.DataFrame
    notes: tuple[str, ...] = ()


def _data(config: Config):
    return make_classification_2d(
        config.dataset,
        n_samples=config.n_train * (1 + TEST_PER_TRAIN),
        noise=config.noise,
        test_size=TEST_PER_TRAIN / (1 + TEST_PER_TRAIN),
        seed=config.seed,
    )


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't train on, with a message that says what to change."""
    if data.task != "classification":
        raise ValueError("The dropout lesson trains a classifier; pick a class-label target.")


def layer_sizes(config: Config, data: Dataset | None = None) -> tuple[int, ...]:
    """``(inputs, width x depth, outputs)``: one output for two classes, k for k > 2."""
    if data is None:
        return config.sizes
    n_out = 1 if data.n_classes <= 2 else data.n_classes
    return (data.n_features, *([config.width] * config.depth), n_out)


def upload_train_rows(config: Config, data: Dataset) -> int:
    """The most training rows of ``data`` a run may use: epochs x rows x multiply-adds <= UPLOAD_WORK."""
    sizes = layer_sizes(config, data)
    macs = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    rows = int(UPLOAD_WORK // (config.epochs * macs))
    return int(np.clip(rows, UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN))


def prepare_data(config: Config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset a run trains on and notes about it: the Config's 2-D set, or ``data``.

    Uploaded data is checked and capped to :func:`upload_train_rows` training rows and
    TEST_PER_TRAIN times as many test rows (seeded, stratified samples).
    """
    if data is None:
        return _data(config), ()
    check_data(data)
    rows = upload_train_rows(config, data)
    ds, notes = subsample(
        data,
        max_train=rows,
        max_test=TEST_PER_TRAIN * rows,
        seed=config.seed,
        why="to keep training within the page's budget (epochs × rows × network size); few "
        "training rows are also what a wide net overfits, the case dropout is for",
    )
    return ds, tuple(notes)


def _grid(X: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * (hi - lo)
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], size)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], size)
    a, b = np.meshgrid(g1, g2)
    return a.ravel(), b.ravel(), np.column_stack([a.ravel(), b.ravel()])


def mc_dropout_logits(params, X, *, dropout: float, samples: int, seed: int) -> np.ndarray:
    """Logits under ``samples`` independent dropout masks, shape (samples, n).

    All masks go through one forward pass on the input stacked ``samples`` times (training
    mode, so the masks and their 1/q scaling are core.mlp's own). A net with k > 1 outputs
    gives shape (samples, n, k).
    """
    if dropout == 0.0:
        logits = np.tile(mlp.predict_logits(params, X), (samples, 1))
    else:
        rng = np.random.default_rng(seed)
        logits, _ = mlp.forward(
            params, np.tile(X, (samples, 1)), dropout=dropout, train=True, rng=rng
        )
    k = logits.shape[1]
    return logits[:, 0].reshape(samples, len(X)) if k == 1 else logits.reshape(samples, len(X), k)


def averaged_probability(logits: np.ndarray) -> np.ndarray:
    """The probability averaged over masks: P(class 1) of shape (n,), or (n, k) for k classes."""
    if logits.ndim == 2:
        return sigmoid(logits).mean(axis=0)
    return softmax(logits, axis=2).mean(axis=0)


def averaged_log_loss(logits: np.ndarray, y: np.ndarray) -> float:
    """Cross-entropy of the probability averaged over masks, p_bar = mean_t sigmoid(z_t).

    Computed in log space, log p_bar = logsumexp_t(log sigmoid(z_t)) - log T, so saturated
    logits give the exact (large) loss instead of a clipped one. Logits of shape (T, n, k) use
    the softmax instead: log p_bar_c = logsumexp_t(log_softmax(z_t)_c) - log T.

    Parameters
    ----------
    logits : ndarray of shape (T, n), or (T, n, k)
    y : ndarray of shape (n,) with labels 0/1 (or 0..k-1)
    """
    T = logits.shape[0]
    if logits.ndim == 3:
        log_p = np.logaddexp.reduce(log_softmax(logits, axis=2), axis=0) - np.log(T)
        return float(-np.mean(log_p[np.arange(len(y)), np.asarray(y, dtype=np.int64)]))
    log_p = np.logaddexp.reduce(-np.logaddexp(0.0, -logits), axis=0) - np.log(T)
    log_not_p = np.logaddexp.reduce(-np.logaddexp(0.0, logits), axis=0) - np.log(T)
    return float(-np.mean(np.where(y > 0.5, log_p, log_not_p)))


def first_layer_outputs(
    params, x: np.ndarray, *, dropout: float, draws: int, seed: int, unit: int | None = None
) -> np.ndarray:
    """The first hidden layer's outputs for one input, under ``draws`` training-mode masks.

    Runs core.mlp.forward on the first layer with a linear read-out that copies the hidden
    units (or only ``unit``), so the values are what the next layer receives: ``mask * f(z) / q``
    while training (``dropout > 0``), ``f(z)`` at inference (``dropout = 0``).

    Returns
    -------
    ndarray of shape (draws, width), or (draws,) for one ``unit``.
    """
    width = params["W1"].shape[1]
    readout = np.eye(width) if unit is None else np.eye(width)[:, [unit]]
    head = {"W1": params["W1"], "b1": params["b1"], "W2": readout, "b2": np.zeros(readout.shape[1])}
    X = np.tile(np.reshape(x, (1, -1)), (draws, 1))
    rng = np.random.default_rng(seed)
    out, _ = mlp.forward(head, X, dropout=dropout, train=dropout > 0.0, rng=rng)
    return out if unit is None else out[:, 0]


def _activation_check(params, x, q: float, seed: int):
    """Inverted dropout on one unit: the mean of mask * a / q over many masks equals a."""
    inference = first_layer_outputs(params, x, dropout=0.0, draws=1, seed=seed)[0]
    unit = int(np.argmax(inference))  # the most active unit: its dropout effect is largest
    a = float(inference[unit])
    scaled = first_layer_outputs(params, x, dropout=1.0 - q, draws=MASK_DRAWS, seed=seed, unit=unit)
    draws = np.arange(1, MASK_DRAWS + 1)
    running = np.cumsum(scaled) / draws
    # Log-spaced draws keep the early wobble and the convergence in ~200 rows.
    keep = np.unique(np.geomspace(1, MASK_DRAWS, TRACE_POINTS).round().astype(int)) - 1
    trace = pd.DataFrame(
        {
            "draw": draws[keep],
            "scaled": scaled[keep],
            "running_scaled": running[keep],
            "running_unscaled": running[keep] * q,  # the same masks without the 1/q factor
        }
    )
    rows = []
    for check_q in CHECK_QS:
        out = first_layer_outputs(
            params, x, dropout=1.0 - check_q, draws=CHECK_DRAWS, seed=seed, unit=unit
        )
        measured = float(out.mean())
        rows += [
            (check_q, "training mean (measured)", measured),
            (check_q, "inference a (correct)", a),
            (check_q, "×q again at inference", check_q * a),
            (check_q, "÷q again at inference", a / check_q),
        ]
    unit_info = {
        "layer": 1,
        "index": unit,
        "activation": a,
        "q": q,
        "train_mean": float(running[-1]),
        "unscaled_mean": float(running[-1] * q),
        "draws": MASK_DRAWS,
        "standard_error": float(scaled.std() / math.sqrt(MASK_DRAWS)),
    }
    return unit_info, trace, pd.DataFrame(rows, columns=["q", "rule", "value"])


def run(config: Config, data: Dataset | None = None) -> Result:
    """Train with keep probability q, then draw its boundary, MC-dropout view and scaling check.

    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the 2-D set the
    config names; the maps (boundary, MC dropout, points) are then left empty unless it has two
    features and two classes.
    """
    with _BLAS.limit(limits=1, user_api="blas"):
        return _run(config, data)


def _run(config: Config, data: Dataset | None = None) -> Result:
    ds, notes = prepare_data(config, data)
    sizes = layer_sizes(config, None if data is None else ds)
    loss = LOSS if sizes[-1] == 1 else "cross_entropy"
    params = mlp.init_params(sizes, init="he", seed=config.seed)
    with np.errstate(all="ignore"):
        history = fit(
            params,
            ds.X_train,
            ds.y_train,
            loss=loss,
            optimizer=adam(config.learning_rate),
            epochs=config.epochs,
            batch_size=None,
            dropout=config.dropout,
            X_test=ds.X_test,
            y_test=ds.y_test,
            seed=config.seed,
            eval_every=max(1, config.epochs // 100),
        )
    curves = history.epochs.dropna(subset=["train_loss"])[
        ["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]
    ].reset_index(drop=True)
    trained = history.params

    maps = boundary_note(None if data is None else ds) is None
    if maps:
        x1, x2, grid = _grid(np.vstack([ds.X_train, ds.X_test]), GRID)
        prob = sigmoid(mlp.predict_logits(trained, grid)[:, 0])
        m1, m2, mc_points = _grid(np.vstack([ds.X_train, ds.X_test]), MC_GRID)
        mc_grid = sigmoid(
            mc_dropout_logits(
                trained, mc_points, dropout=config.dropout, samples=MC_SAMPLES, seed=config.seed + 1
            )
        )
        boundary = pd.DataFrame({"x1": x1, "x2": x2, "prob": prob})
        mc = pd.DataFrame(
            {"x1": m1, "x2": m2, "mean": mc_grid.mean(axis=0), "std": mc_grid.std(axis=0)}
        )
    else:
        boundary = pd.DataFrame(columns=["x1", "x2", "prob"], dtype=float)
        mc = pd.DataFrame(columns=["x1", "x2", "mean", "std"], dtype=float)
    mc_test = mc_dropout_logits(
        trained, ds.X_test, dropout=config.dropout, samples=MC_SAMPLES, seed=config.seed + 2
    )
    mean_p = averaged_probability(mc_test)
    predicted = (mean_p > 0.5) if mean_p.ndim == 1 else mean_p.argmax(axis=1)
    mc_correct = predicted.astype(np.int64) == ds.y_test.astype(np.int64)

    unit, trace, expectation = _activation_check(
        trained, ds.X_train[0], config.keep_prob, config.seed + 3
    )
    final = curves.iloc[-1]
    summary = {
        "key": keep_key(config.keep_prob),
        "label": keep_label(config.keep_prob),
        "keep_prob": config.keep_prob,
        "train_loss": float(final["train_loss"]),
        "test_loss": float(final["test_loss"]),
        "train_accuracy": float(final["train_accuracy"]),
        "test_accuracy": float(final["test_accuracy"]),
        "gap_loss": float(final["test_loss"] - final["train_loss"]),
        "gap_accuracy": float(final["train_accuracy"] - final["test_accuracy"]),
        "best_test_loss": float(curves["test_loss"].min()),
        "mc_test_loss": averaged_log_loss(mc_test, ds.y_test),
        "mc_test_accuracy": float(mc_correct.mean()),
        "diverged": bool(history.diverged),
    }
    if maps:
        points = pd.concat(
            [
                pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "y": y, "split": split})
                for split, X, y in (
                    ("train", ds.X_train, ds.y_train),
                    ("test", ds.X_test, ds.y_test),
                )
            ],
            ignore_index=True,
        )
    else:
        points = pd.DataFrame(columns=["x1", "x2", "y", "split"])
    return Result(
        key=summary["key"],
        label=summary["label"],
        curves=curves,
        summary=summary,
        boundary=boundary,
        mc=mc,
        points=points,
        unit=unit,
        mask_trace=trace,
        expectation=expectation,
        notes=notes,
    )


def summarize(results: Sequence[Result]) -> pd.DataFrame:
    """One row per run, ordered from q = 1.0 (no dropout) to the strongest dropout."""
    if not results:
        raise ValueError("'results' is empty; select at least one keep probability.")
    table = pd.DataFrame([r.summary for r in results])
    return table.sort_values("keep_prob", ascending=False).reset_index(drop=True)


def combined_curves(results: Sequence[Result]) -> pd.DataFrame:
    """Every run's curves in long form: key, label, keep_prob, epoch, split, loss, accuracy."""
    frames = []
    for r in results:
        for split in ("train", "test"):
            frames.append(
                pd.DataFrame(
                    {
                        "key": r.key,
                        "label": r.label,
                        "keep_prob": r.summary["keep_prob"],
                        "epoch": r.curves["epoch"],
                        "split": split,
                        "loss": r.curves[f"{split}_loss"],
                        "accuracy": r.curves[f"{split}_accuracy"],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
