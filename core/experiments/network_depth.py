"""How deep should a network be: cross-validate a depth x width grid, compare AIC/BIC, and see what depth buys."""

from __future__ import annotations

import itertools
import math
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, cross_validate

from core import mlp, optim
from core.data import Dataset, boundary_note, fingerprint, make_classification_2d, subsample
from core.estimators import MLPClassifier
from core.experiments.budget import check_budget
from core.losses import LOSSES
from core.train import fit
from core.validation import check_choice, check_int, check_number

DATASETS = ("moons", "circles", "xor", "spiral")
ACTIVATION_CHOICES = ("relu", "tanh", "gelu", "sigmoid")
WIDTH_OPTIONS = (2, 4, 8, 16, 32, 64)
UA_TARGETS = ("sawtooth", "sine")
UA_BUDGETS = (25, 50, 100, 200, 400)
UA_POINTS = 256
PIECE_GRID = 4097
# Estimated seconds of training one run may cost on this 2-core machine (see _update_seconds).
MAX_SECONDS = 8.0
# Uploaded data: at most the 2-D sets' largest training split, fewer when the grid on the upload's
# features and classes would pass UPLOAD_SECONDS (a seeded, stratified sample of the training
# split). The cost model, fitted on 2-D binary data, ran ~1.3x slow on 30 features and 3 classes
# (softmax, wider first layer), hence the margin.
UPLOAD_MAX_TRAIN = 420
UPLOAD_MIN_TRAIN = 60
UPLOAD_SECONDS = 0.7 * MAX_SECONDS


@dataclass(frozen=True)
class Config:
    """Everything one run of the network depth lesson depends on.

    The grid trains ``MLPClassifier(hidden_layer_sizes=(width,) * depth)`` for depth 0 .. max_depth
    and every width, full-batch Adam for ``epochs`` epochs, scored by ``folds``-fold
    cross-validation (``KFold(shuffle=True, random_state=seed)``) on the training split. The
    universal-approximation part fits a 1-D target with one wide ReLU layer and with a deeper
    narrow ReLU net of about the same parameter count.
    """

    dataset: str = "moons"
    n_samples: int = 300
    noise: float = 0.2
    max_depth: int = 3
    widths: tuple[int, ...] = (2, 8, 32)
    width: int = 8
    folds: int = 5
    epochs: int = 60
    learning_rate: float = 0.05
    activation: str = "relu"
    tolerance: float = 0.01
    ua_target: str = "sine"
    ua_level: int = 2
    ua_budget: int = 200
    ua_depth: int = 3
    ua_epochs: int = 400
    seed: int = 0

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "dataset", check_choice("dataset", self.dataset, DATASETS))
        set_(self, "n_samples", check_int("n_samples", self.n_samples, 100, 600))
        set_(self, "noise", check_number("noise", self.noise, 0.0, 0.5))
        set_(self, "max_depth", check_int("max_depth", self.max_depth, 1, 8))
        if isinstance(self.widths, (str, bytes)) or not hasattr(self.widths, "__iter__"):
            raise ValueError(
                f"'widths' must be a sequence of layer widths such as (2, 8, 32); got {self.widths!r}."
            )
        widths = tuple(sorted({check_int("widths", w, 1, 64) for w in self.widths}))
        if not 1 <= len(widths) <= len(WIDTH_OPTIONS):
            raise ValueError(f"'widths' must hold 1 to 6 layer widths; got {self.widths!r}.")
        set_(self, "widths", widths)
        set_(self, "width", check_int("width", self.width, 1, 64))
        set_(self, "folds", check_int("folds", self.folds, 3, 10))
        set_(self, "epochs", check_int("epochs", self.epochs, 10, 400))
        set_(self, "learning_rate", check_number("learning_rate", self.learning_rate, 1e-4, 0.5))
        set_(self, "activation", check_choice("activation", self.activation, ACTIVATION_CHOICES))
        set_(self, "tolerance", check_number("tolerance", self.tolerance, 0.0, 0.1))
        set_(self, "ua_target", check_choice("ua_target", self.ua_target, UA_TARGETS))
        set_(self, "ua_level", check_int("ua_level", self.ua_level, 1, 5))
        set_(self, "ua_budget", check_int("ua_budget", self.ua_budget, 13, 400))
        set_(self, "ua_depth", check_int("ua_depth", self.ua_depth, 2, 6))
        set_(self, "ua_epochs", check_int("ua_epochs", self.ua_epochs, 100, 3000))
        set_(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1))
        check_budget(
            estimated_seconds(self),
            (
                "Deepest net (hidden layers)",
                "Epochs",
                "Cross-validation folds",
                "Points n",
                "Epochs for the 1-D fits",
            ),
            what="Training this grid",
            also=", or pick fewer or narrower 'Widths in the grid'",
        )

    @property
    def grid_widths(self) -> tuple[int, ...]:
        """The grid's widths plus the focus ``width`` (the depth curve and boundaries use it)."""
        return tuple(sorted({*self.widths, self.width}))

    def models(self) -> list[tuple[int, ...]]:
        """Distinct hidden-layer tuples of the grid; depth 0 (no hidden layer) appears once."""
        return [()] + [(w,) * d for w in self.grid_widths for d in range(1, self.max_depth + 1)]


@dataclass(frozen=True)
class Result:
    """What the page draws; every frame is tidy.

    Attributes
    ----------
    grid : DataFrame
        One row per (depth, width) cell: hidden, n_params, cv_mean, cv_std, cv_train_mean,
        fit_ms (median over folds), log_likelihood, aic, bic, train_accuracy and test_accuracy of the
        model refitted on the whole training split, and diverged (any of its fits blew up).
        Depth 0 repeats for every width.
    folds : DataFrame
        depth, width, fold, test_score, train_score (accuracy per fold).
    depth_curve : DataFrame
        depth, split ("train" or "validation"), accuracy, low, high (mean +- one std over folds)
        at the focus width.
    grow : DataFrame
        The "grow while validation improves" trace: step, depth, cv_mean, gain, decision.
    grow_depth : int
        The depth it stops at.
    picks : DataFrame
        criterion (cross-validation, AIC, BIC), depth, width, n_params, cv_mean, test_accuracy.
    criteria : DataFrame
        depth, width, n_params, criterion (AIC or BIC), value: one row per distinct model.
    boundaries : DataFrame
        depth, x1, x2, x1_end, x2_end, p (P(class 1) on a grid cell) at the focus width.
    points : DataFrame
        x1, x2, label: the training points (at most 200).
    ua_curves : DataFrame
        model, x, y: the target and each net's output on [0, 1].
    ua_summary : DataFrame
        model, hidden, n_params, rel_mse (MSE / variance of the target), pieces, max_pieces.
    n_train, n_test : int
    seconds : float
        Wall time of this run (cells already cached cost nothing).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the 2-D sets.
    """

    grid: pd.DataFrame
    folds: pd.DataFrame
    depth_curve: pd.DataFrame
    grow: pd.DataFrame
    grow_depth: int
    picks: pd.DataFrame
    criteria: pd.DataFrame
    boundaries: pd.DataFrame
    points: pd.DataFrame
    ua_curves: pd.DataFrame
    ua_summary: pd.DataFrame
    n_train: int
    n_test: int
    seconds: float
    notes: tuple[str, ...] = ()


# ---- cost model ------------------------------------------------------------------------------


def _update_seconds(n: int, sizes: tuple[int, ...]) -> float:
    """Rough seconds of one full-batch update of ``core.train.fit`` for layer ``sizes``.

    Measured here (bench-style, under load): ~0.15 ms fixed per update, ~0.04 ms per layer, and
    the three matrix products per layer (forward, dW, dA) at ~2.5 multiply-adds per ns.
    """
    macs = n * sum(a * b for a, b in itertools.pairwise(sizes))
    return 1.5e-4 + 4e-5 * (len(sizes) - 1) + 3 * macs * 4e-10


def estimated_seconds(config: Config) -> float:
    """Predicted training time of a cold run: (folds + 1) fits per grid model, plus the 1-D fits."""
    return upload_seconds(config, round(config.n_samples * 0.7), 2, 1)


def upload_seconds(config: Config, n_train: int, n_features: int, n_outputs: int) -> float:
    """:func:`estimated_seconds` for ``n_train`` training rows of ``n_features`` inputs and
    ``n_outputs`` logits (the bundled 2-D sets: 2 and 1), the 1-D fits included."""
    n_fold = n_train * (config.folds - 1) // config.folds
    grid = sum(
        config.epochs
        * (
            config.folds * _update_seconds(n_fold, (n_features, *h, n_outputs))
            + _update_seconds(n_train, (n_features, *h, n_outputs))
        )
        for h in config.models()
    )
    wide, deep = _ua_architectures(config.ua_budget, config.ua_depth)
    ua = config.ua_epochs * sum(_update_seconds(UA_POINTS, (1, *h, 1)) for h in (wide, wide, deep))
    return grid + ua


# ---- the grid: one cached cell per (data, model, training) -------------------------------------


@lru_cache(maxsize=16)
def _data(dataset: str, n_samples: int, noise: float, seed: int):
    return make_classification_2d(dataset, n_samples=n_samples, noise=noise, seed=seed)


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't use, with a message that says what to change."""
    if data.task != "classification":
        raise ValueError("The network depth lesson trains classifiers; pick a class-label target.")


def upload_train_rows(config: Config, data: Dataset) -> int:
    """The most training rows of ``data`` the grid may use within UPLOAD_SECONDS (estimated)."""
    n_out = 1 if data.n_classes <= 2 else data.n_classes
    low, high = UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN
    while low < high:  # the estimate grows with the rows: the largest n within the budget
        mid = (low + high + 1) // 2
        if upload_seconds(config, mid, data.n_features, n_out) <= UPLOAD_SECONDS:
            low = mid
        else:
            high = mid - 1
    return low


def prepare_data(config: Config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset the grid uses and notes about it: the Config's 2-D set, or ``data``.

    Uploaded data is checked and its training split capped to :func:`upload_train_rows` rows
    (seeded, stratified); its test split, used once per model, is kept whole.
    """
    if data is None:
        return _data(config.dataset, config.n_samples, config.noise, config.seed), ()
    check_data(data)
    ds, notes = subsample(data, max_train=upload_train_rows(config, data), seed=config.seed)
    return ds, tuple(notes)


def _estimator(config: Config, hidden: tuple[int, ...]) -> MLPClassifier:
    return MLPClassifier(
        hidden_layer_sizes=hidden,
        activation=config.activation,
        learning_rate=config.learning_rate,
        epochs=config.epochs,
        batch_size=None,  # full batch: the fewest updates per epoch, the fastest grid here
        random_state=config.seed,
    )


def _cell_key(config: Config, hidden: tuple[int, ...]) -> tuple:
    return (
        config.dataset,
        config.n_samples,
        config.noise,
        config.seed,
        config.folds,
        config.epochs,
        config.learning_rate,
        config.activation,
        hidden,
    )


_CELLS: dict[tuple, dict] = {}
_MAX_CELLS = 2048
_CELLS_LOCK = threading.Lock()


def _accuracy(estimator, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of labels predicted right: ``accuracy_score`` without its input checks.

    scikit-learn's scorer re-validates the labels on every call (~2 ms, a fifth of a grid cell's
    time on these small sets); the labels here are the Dataset's own 1-D integer arrays.
    """
    return float(np.mean(estimator.predict(X) == y))


def _cell(
    config: Config, hidden: tuple[int, ...], data: Dataset | None = None, data_key: str = ""
) -> dict:
    """Cross-validate one architecture and refit it on the whole training split (cached).

    ``data`` is a prepared upload (see :func:`prepare_data`) and ``data_key`` its fingerprint,
    part of the cache key; without them the Config's 2-D set is used.
    """
    key = (*_cell_key(config, hidden), data_key) if data_key else _cell_key(config, hidden)
    if key in _CELLS:
        return _CELLS[key]
    if data is None:
        data = _data(config.dataset, config.n_samples, config.noise, config.seed)
    X, y = data.X_train, data.y_train
    est = _estimator(config, hidden)
    # n_jobs=1: with 2 shared cores, loky workers made this grid ~3x slower (measured 17.5 s vs
    # 6.1 s for 15 cells), since each fit is only milliseconds of Python-bound work.
    cv = KFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_validate(
            est,
            X,
            y,
            cv=cv,
            n_jobs=1,
            scoring=_accuracy,
            return_train_score=True,
            return_estimator=True,
        )
        full = clone(est).fit(X, y)
    # Log-likelihood of the training labels under the refitted model: -n * mean cross-entropy.
    loss = "bce_with_logits" if len(full.classes_) == 2 else "cross_entropy"
    log_lik = -len(y) * LOSSES[loss].fn(
        full.decision_function(X), np.searchsorted(full.classes_, y)
    )
    cell = {
        "test_scores": scores["test_score"],
        "train_scores": scores["train_score"],
        # the median resists the odd fold slowed by another process on the shared cores
        "fit_ms": 1000.0 * float(np.median(scores["fit_time"])),
        "n_params": full.n_params_,
        "log_likelihood": float(log_lik),
        "train_accuracy": _accuracy(full, X, y),
        "test_accuracy": _accuracy(full, data.X_test, data.y_test),
        "diverged": full.diverged_ or any(e.diverged_ for e in scores["estimator"]),
        "estimator": full,
    }
    with _CELLS_LOCK:  # Streamlit runs sessions in threads
        if len(_CELLS) >= _MAX_CELLS:
            _CELLS.pop(next(iter(_CELLS)))
        _CELLS[key] = cell
    return cell


def _prepared(config: Config, data: Dataset | None) -> tuple[Dataset | None, str, tuple[str, ...]]:
    """(prepared upload or None, its fingerprint or "", notes) for the cell cache."""
    if data is None:
        return None, "", ()
    ds, notes = prepare_data(config, data)
    return ds, fingerprint(ds), notes


def pending_models(config: Config, data: Dataset | None = None) -> list[tuple[int, ...]]:
    """The grid models not yet computed for this config (the page shows a progress bar for them)."""
    _, data_key = _prepared(config, data)[:2]
    keys = {
        h: (*_cell_key(config, h), data_key) if data_key else _cell_key(config, h)
        for h in config.models()
    }
    return [h for h, key in keys.items() if key not in _CELLS]


def precompute(
    config: Config,
    progress: Callable[[int, int], None] | None = None,
    data: Dataset | None = None,
) -> None:
    """Compute every missing grid cell, calling ``progress(done, total)`` after each."""
    ds, data_key, _ = _prepared(config, data)
    todo = pending_models(config, data)
    for i, hidden in enumerate(todo, start=1):
        _cell(config, hidden, ds, data_key)
        if progress is not None:
            progress(i, len(todo))


def information_criteria(log_likelihood: float, k: int, n: int) -> tuple[float, float]:
    """(AIC, BIC) = (2k - 2 ln L, k ln n - 2 ln L) for k parameters and n training examples."""
    return 2.0 * k - 2.0 * log_likelihood, k * math.log(n) - 2.0 * log_likelihood


def grow_until_no_gain(depth_scores: pd.Series, tolerance: float, start: int = 1) -> pd.DataFrame:
    """Add one hidden layer at a time while the mean CV score improves by more than ``tolerance``.

    Parameters
    ----------
    depth_scores : Series indexed by depth (0, 1, ...) of mean cross-validated accuracy.
    tolerance : float
        The smallest gain that justifies another layer.
    start : int
        The first depth tried (CURRICULUM: start with 1 to 3 hidden layers).

    Returns
    -------
    DataFrame with step, depth, cv_mean, gain (over the depth kept so far) and decision; the
    depth kept is the last row whose decision is not "stop".
    """
    depths = [d for d in depth_scores.index if d >= start]
    rows = [(1, depths[0], float(depth_scores[depths[0]]), math.nan, "start")]
    kept = depths[0]
    for step, depth in enumerate(depths[1:], start=2):
        score = float(depth_scores[depth])
        gain = score - float(depth_scores[kept])
        if gain > tolerance:
            rows.append((step, depth, score, gain, "grow"))
            kept = depth
        else:
            rows.append((step, depth, score, gain, "stop"))
            break
    return pd.DataFrame(rows, columns=["step", "depth", "cv_mean", "gain", "decision"])


def _boundaries(
    config: Config, data, resolution: int, upload: Dataset | None = None, data_key: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """P(class 1) on a grid over the data for every depth at the focus width."""
    X = np.vstack([data.X_train, data.X_test])
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    edges = [np.linspace(lo[j], hi[j], resolution + 1) for j in (0, 1)]
    a1, a2 = np.meshgrid(edges[0][:-1], edges[1][:-1])
    b1, b2 = np.meshgrid(edges[0][1:], edges[1][1:])
    centres = np.column_stack([(a1 + b1).ravel() / 2, (a2 + b2).ravel() / 2])
    frames = []
    for depth in range(config.max_depth + 1):
        hidden = (config.width,) * depth
        est = _cell(config, hidden, upload, data_key)["estimator"]
        p = est.predict_proba(centres)[:, 1]
        frames.append(
            pd.DataFrame(
                {
                    "depth": depth,
                    "x1": a1.ravel(),
                    "x2": a2.ravel(),
                    "x1_end": b1.ravel(),
                    "x2_end": b2.ravel(),
                    "p": p,
                }
            )
        )
    rng = np.random.default_rng(config.seed)
    keep = np.sort(rng.permutation(len(data.y_train))[:200])
    points = pd.DataFrame(
        {
            "x1": data.X_train[keep, 0],
            "x2": data.X_train[keep, 1],
            "label": np.where(data.y_train[keep] == 1, "class 1", "class 0"),
        }
    )
    return pd.concat(frames, ignore_index=True), points


# ---- universal approximation vs depth (1-D, ReLU) --------------------------------------------


def tent(x: np.ndarray) -> np.ndarray:
    """The tent map on [0, 1]: 2x below 1/2, 2 - 2x above."""
    return np.where(x < 0.5, 2.0 * x, 2.0 - 2.0 * x)


def sawtooth(x: np.ndarray, level: int) -> np.ndarray:
    """``tent`` composed ``level`` times: 2**(level-1) teeth and 2**level linear pieces on [0, 1]."""
    for _ in range(level):
        x = tent(x)
    return x


def sawtooth_params(level: int) -> dict[str, np.ndarray]:
    """Hand-set weights of a width-2 ReLU net with ``level`` hidden layers that equals ``sawtooth``.

    Each hidden layer computes relu(t) and relu(t - 1/2) of the previous tent value t, and
    tent(t) = 2 relu(t) - 4 relu(t - 1/2) on [0, 1]; the next layer folds that in. 6 * level + 1
    parameters draw 2**level pieces (Telgarsky, 2016).
    """
    params = {"W1": np.array([[1.0, 1.0]]), "b1": np.array([0.0, -0.5])}
    fold = np.array([[2.0, 2.0], [-4.0, -4.0]])
    for k in range(2, level + 1):
        params[f"W{k}"], params[f"b{k}"] = fold.copy(), np.array([0.0, -0.5])
    params[f"W{level + 1}"], params[f"b{level + 1}"] = np.array([[2.0], [-4.0]]), np.array([0.0])
    return params


def bends(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The x positions of the kinks of a piecewise-linear curve sampled on an even grid.

    A kink shows as a non-zero second difference at one or two neighbouring samples; each run
    of such samples is one kink (placed at its first sample).
    """
    d2 = np.abs(np.diff(y, 2))
    scale = max(float(np.abs(np.diff(y)).max()), 1e-12)
    bent = d2 > 1e-7 * scale
    starts = np.flatnonzero(bent & ~np.concatenate([[False], bent[:-1]]))
    return x[starts + 1]


def count_pieces(y: np.ndarray, x: np.ndarray) -> int:
    """Linear pieces of a piecewise-linear curve sampled on an even grid: kinks + 1."""
    return len(bends(y, x)) + 1


def _ua_architectures(budget: int, depth: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """One hidden layer and ``depth`` equal layers with at most ``budget`` parameters (1 in, 1 out)."""
    wide = max(1, (budget - 1) // 3)
    narrow = max(
        (w for w in range(1, 65) if mlp.count_params((1, *(w,) * depth, 1)) <= budget), default=1
    )
    return (wide,), (narrow,) * depth


def _ua_target(kind: str, level: int, x: np.ndarray) -> np.ndarray:
    return sawtooth(x, level) if kind == "sawtooth" else np.sin(2.0 * np.pi * level * x)


def _fit_1d(params, u, y, epochs, seed) -> dict[str, np.ndarray]:
    """Full-batch Adam (lr 0.01) on the mean squared error, as the grid's estimator would."""
    history = fit(
        params, u, y, loss="mse", optimizer=optim.adam(0.01), activation="relu", epochs=epochs,
        batch_size=None, seed=seed, eval_every=None,
    )  # fmt: skip
    return history.params


@lru_cache(maxsize=32)
def universal_approximation(
    kind, level, budget, depth, epochs, seed
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a 1-D target on [0, 1] with one wide ReLU layer (two starts) and a deep narrow net.

    Parameters
    ----------
    kind : {"sawtooth", "sine"}
        ``sawtooth(x, level)`` (2**level linear pieces) or ``sin(2 pi level x)``.
    level : int
    budget : int
        Both trained architectures have at most this many parameters; one hidden layer gets
        width (budget - 1) // 3, the deep net ``depth`` layers of the widest width that fits.
    depth : int
    epochs : int
        Full-batch Adam (lr 0.01) updates on 256 evenly spaced points.
    seed : int

    Returns
    -------
    curves : DataFrame (model, x, y), 801 points per model, the target included.
    summary : DataFrame
        model, hidden, n_params, rel_mse (MSE / Var(target) on 4,097 points), pieces,
        max_pieces (width + 1 for one layer, else NaN), bends_from / bends_to (the outermost
        kinks), target_pieces. The cached frames are shared: copy before changing them.
    """
    x_train = np.linspace(0.0, 1.0, UA_POINTS)
    # inputs standardized to u in [-1, 1]; the first layer absorbs the affine map
    u_train = 2.0 * x_train[:, None] - 1.0
    y_train = _ua_target(kind, level, x_train)
    x = np.linspace(0.0, 1.0, PIECE_GRID)
    u = 2.0 * x[:, None] - 1.0
    y = _ua_target(kind, level, x)
    wide, deep = _ua_architectures(budget, depth)
    # core.mlp starts every bias at 0, so every first-layer bend relu(w u + b) sits at u = 0
    # (x = 1/2). The "spread" variant draws each bend's position uniformly over [-1, 1] instead.
    zero_bias = mlp.init_params((1, *wide, 1), seed=seed)
    spread = dict(zero_bias)
    where = np.random.default_rng(seed).uniform(-1.0, 1.0, wide[0])
    spread["b1"] = -zero_bias["W1"][0] * where
    nets = {
        "one wide layer": _fit_1d(zero_bias, u_train, y_train, epochs, seed),
        "one wide layer, spread bends": _fit_1d(spread, u_train, y_train, epochs, seed),
        "deep and narrow": _fit_1d(
            mlp.init_params((1, *deep, 1), seed=seed), u_train, y_train, epochs, seed
        ),
    }
    outputs = {name: mlp.predict_logits(p, u)[:, 0] for name, p in nets.items()}
    hidden = {"one wide layer": wide, "one wide layer, spread bends": wide, "deep and narrow": deep}
    n_params = {name: mlp.count_params(p) for name, p in nets.items()}
    if kind == "sawtooth":
        name = "deep, hand-set weights"
        params = sawtooth_params(level)
        outputs[name] = mlp.predict_logits(params, x[:, None])[:, 0]
        hidden[name], n_params[name] = (2,) * level, mlp.count_params(params)
    var = float(np.var(y))
    rows = []
    for name, out in outputs.items():
        kinks = bends(out, x)
        rows.append(
            {
                "model": name,
                "hidden": hidden[name],
                "n_params": n_params[name],
                "rel_mse": float(np.mean((out - y) ** 2)) / var,
                "pieces": len(kinks) + 1,
                "max_pieces": hidden[name][0] + 1 if len(hidden[name]) == 1 else math.nan,
                "bends_from": float(kinks.min()) if len(kinks) else math.nan,
                "bends_to": float(kinks.max()) if len(kinks) else math.nan,
            }
        )
    summary = pd.DataFrame(rows)
    summary["target_pieces"] = count_pieces(y, x) if kind == "sawtooth" else math.nan
    thin = np.unique(np.linspace(0, PIECE_GRID - 1, 801).round().astype(int))
    curves = {"target": y, **outputs}
    frame = pd.concat(
        [pd.DataFrame({"model": m, "x": x[thin], "y": v[thin]}) for m, v in curves.items()],
        ignore_index=True,
    )
    return frame, summary


# ---- the run ---------------------------------------------------------------------------------


def run(config: Config, data: Dataset | None = None) -> Result:
    """Cross-validate the grid (cells cached), compare criteria, draw boundaries, fit the 1-D nets.

    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the 2-D set the
    config names for the grid; the boundaries are then left empty unless it has two features and
    two classes. The 1-D universal-approximation part never uses it.
    """
    start = time.perf_counter()
    upload, data_key, notes = _prepared(config, data)
    data = upload if upload is not None else prepare_data(config)[0]
    n_train = len(data.y_train)
    precompute(config, data=None if upload is None else data)
    rows, fold_rows = [], []
    for width in config.grid_widths:
        for depth in range(config.max_depth + 1):
            hidden = (width,) * depth
            cell = _cell(config, hidden, upload, data_key)
            aic, bic = information_criteria(cell["log_likelihood"], cell["n_params"], n_train)
            rows.append(
                {
                    "depth": depth,
                    "width": width,
                    "hidden": str(hidden),
                    "n_params": cell["n_params"],
                    "cv_mean": float(np.mean(cell["test_scores"])),
                    "cv_std": float(np.std(cell["test_scores"])),
                    "cv_train_mean": float(np.mean(cell["train_scores"])),
                    "fit_ms": cell["fit_ms"],
                    "log_likelihood": cell["log_likelihood"],
                    "aic": aic,
                    "bic": bic,
                    "train_accuracy": cell["train_accuracy"],
                    "test_accuracy": cell["test_accuracy"],
                    "diverged": cell["diverged"],
                }
            )
            for fold, (te, tr) in enumerate(
                zip(cell["test_scores"], cell["train_scores"], strict=True)
            ):
                fold_rows.append((depth, width, fold + 1, float(te), float(tr)))
    grid = pd.DataFrame(rows)
    folds = pd.DataFrame(fold_rows, columns=["depth", "width", "fold", "test_score", "train_score"])

    focus = grid[grid["width"] == config.width].set_index("depth")
    curve = []
    for split, mean, std in (
        ("train", "cv_train_mean", None),
        ("validation", "cv_mean", "cv_std"),
    ):
        spread = focus[std] if std else 0.0 * focus[mean]
        curve.append(
            pd.DataFrame(
                {
                    "depth": focus.index,
                    "split": split,
                    "accuracy": focus[mean].to_numpy(),
                    "low": (focus[mean] - spread).to_numpy(),
                    "high": (focus[mean] + spread).to_numpy(),
                }
            )
        )
    grow = grow_until_no_gain(focus["cv_mean"], config.tolerance)
    kept = grow[grow["decision"] != "stop"]["depth"].iloc[-1]

    # Distinct models (depth 0 once) for the criteria and the picks.
    models = grid.drop_duplicates("hidden").reset_index(drop=True)
    picks = []
    for criterion, column, best in (
        ("cross-validation", "cv_mean", "max"),
        ("AIC", "aic", "min"),
        ("BIC", "bic", "min"),
    ):
        i = models[column].idxmax() if best == "max" else models[column].idxmin()
        row = models.loc[i]
        picks.append(
            {
                "criterion": criterion,
                "depth": int(row["depth"]),
                "width": int(row["width"]),
                "n_params": int(row["n_params"]),
                "cv_mean": float(row["cv_mean"]),
                "test_accuracy": float(row["test_accuracy"]),
            }
        )
    criteria = models.melt(
        id_vars=["depth", "width", "n_params"],
        value_vars=["aic", "bic"],
        var_name="criterion",
        value_name="value",
    )
    criteria["criterion"] = criteria["criterion"].str.upper()

    resolution = 30 if config.max_depth <= 5 else 24
    if boundary_note(upload) is None:
        boundaries, points = _boundaries(config, data, resolution, upload, data_key)
    else:
        boundaries = pd.DataFrame(columns=["depth", "x1", "x2", "x1_end", "x2_end", "p"])
        points = pd.DataFrame(columns=["x1", "x2", "label"])
    ua_curves, ua_summary = universal_approximation(
        config.ua_target,
        config.ua_level,
        config.ua_budget,
        config.ua_depth,
        config.ua_epochs,
        config.seed,
    )
    return Result(
        grid=grid,
        folds=folds,
        depth_curve=pd.concat(curve, ignore_index=True),
        grow=grow,
        grow_depth=int(kept),
        picks=pd.DataFrame(picks),
        criteria=criteria,
        boundaries=boundaries,
        points=points,
        ua_curves=ua_curves.copy(),
        ua_summary=ua_summary.copy(),
        n_train=n_train,
        n_test=len(data.y_test),
        seconds=time.perf_counter() - start,
        notes=notes,
    )
