"""How deep should a network be: cross-validate a depth x width grid, compare AIC/BIC, and see what depth buys."""

from __future__ import annotations

import copy
import itertools
import math
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, wraps
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import mlp
from core.config import Settings, choice, integer, number, param_of, subset
from core.data import Dataset, boundary_note, fingerprint, make_classification_2d, subsample
from core.experiments.budget import _either, can_lower, check_budget, format_seconds
from core.experiments.network_depth.approximation import (
    UA_BUDGETS,
    UA_POINTS,
    UA_TARGETS,
    _ua_architectures,
    universal_approximation,
)
from core.facts import decimals, listing, num, plural
from core.losses import LOSSES
from core.progress import report as report_progress
from core.selection import one_standard_error

if TYPE_CHECKING:  # scikit-learn is imported where a fit needs it (the app's server never does)
    from core.estimators import MLPClassifier

DATASETS = ("moons", "circles", "xor", "spiral")
ACTIVATION_CHOICES = ("relu", "tanh", "gelu", "sigmoid")
WIDTH_OPTIONS = (2, 4, 8, 16, 32, 64)
# The grids of widths the sidebar offers (the Config accepts any subset of WIDTH_OPTIONS).
WIDTH_GRIDS = ((2, 8, 32), (4, 16, 64), (2, 4, 8, 16), (8, 32), (2, 4, 8, 16, 32, 64))
# Two CV means closer than this are a tie (the same number of points right, summed in another
# order): ties go to the model with fewer parameters, never to a round-off difference.
TIE = 1e-9
# The share of the epochs over which a fit's training loss must still fall by more than
# LEVEL_DROP (relative) to count as "still learning" at the end.
TAIL_SHARE = 0.1
LEVEL_DROP = 0.01
# Uploaded data: at most the 2-D sets' largest training split, fewer when the grid on the upload's
# features and classes would pass UPLOAD_SECONDS (a seeded, stratified sample of the training
# split).
UPLOAD_MAX_TRAIN = 420
UPLOAD_MIN_TRAIN = 60
UPLOAD_SECONDS = 6.0

# Every fit here is small (at most 420 rows x 64 units): one BLAS thread is faster, and when other
# processes share the two cores, OpenBLAS's second thread spins and costs 10-17x the CPU time
# (measured: width 64, 3 layers, 280 rows, 10.7 ms per update with two threads, 0.64 ms with one).
# core.train limits only products below 128 x 128 entries; this lesson limits them all.
_BLAS = ThreadpoolController()


def _one_blas_thread(function):
    @wraps(function)
    def wrapper(*args, **kwargs):
        with _BLAS.limit(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class Config(Settings):
    """Everything one run of the network depth lesson depends on.

    The grid trains ``MLPClassifier(hidden_layer_sizes=(width,) * depth)`` for depth 0 .. max_depth
    and every width of ``widths`` (plus the focus ``width``), full-batch Adam for ``epochs``
    epochs, scored by ``folds``-fold cross-validation (``KFold(shuffle=True, random_state=seed)``)
    on the training split. The universal-approximation part fits a 1-D target with one wide ReLU
    layer (from two starts) and with a deeper narrow ReLU net, all within ``ua_budget`` parameters.
    """

    dataset: str = choice("moons", DATASETS)
    n_samples: int = integer(300, 100, 600, step=50)
    noise: float = number(0.2, 0.0, 0.5, step=0.05)
    max_depth: int = integer(3, 1, 8)
    widths: tuple[int, ...] = subset((2, 8, 32), WIDTH_OPTIONS)
    width: int = integer(8, 1, 64, grid=WIDTH_OPTIONS)
    folds: int = integer(5, 3, 10)
    epochs: int = integer(60, 10, 400, step=10)
    learning_rate: float = number(0.05, 1e-3, 0.3, log=True)
    activation: str = choice("relu", ACTIVATION_CHOICES)
    tolerance: float = number(0.01, 0.0, 0.05, step=0.001)
    ua_target: str = choice("sine", UA_TARGETS)
    ua_level: int = integer(2, 1, 5)
    ua_budget: int = integer(200, 25, 400, grid=UA_BUDGETS)
    ua_depth: int = integer(3, 2, 6)
    ua_epochs: int = integer(400, 100, 3000, step=100)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        moves = {
            "pick fewer or narrower 'widths'": {"widths": cheapest_widths(self, estimated_seconds)}
        }
        if self.activation != "relu":  # relu is the cheapest activation to compute
            moves[f"choose a cheaper 'activation' than {self.activation} (relu costs least)"] = {
                "activation": "relu"
            }
        check_budget(
            estimated_seconds(self),
            ("max_depth", "epochs", "folds", "n_samples", "ua_epochs"),
            # the estimate prices the 1-D fits too, and names their epochs among the remedies
            # (audit pass 57 f: "Training this grid would take about 10.1 s" of a grid estimated
            # at 8 s beside 2.1 s of 1-D fits)
            what="Training this grid and the 1-D fits",
            config=self,
            estimate=estimated_seconds,  # names only the moves that are enough (audit passes 50, 51)
            moves=moves,
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
        One row per (depth, width) cell: hidden, n_params, cv_mean, cv_std (population standard
        deviation of the fold scores, ddof 0), cv_se (standard error of the mean: sample standard
        deviation, ddof 1, over sqrt(folds)), cv_train_mean, tail_drop (the largest relative fall
        of a fold fit's training loss over the last TAIL_SHARE of its epochs), fit_ms (median over
        folds), log_likelihood, aic, bic, train_accuracy and test_accuracy of the model refitted
        on the whole training split, off_units and hidden_units (hidden units of the refit whose
        activation derivative is below 1 % of its peak on every training point: dead or
        saturated), and diverged (any of its fits blew up). Depth 0 repeats for every width.
    folds : DataFrame
        depth, width, fold, test_score, train_score (accuracy per fold).
    depth_curve : DataFrame
        depth, split ("train" or "validation"), accuracy, low, high (validation: mean +- one
        standard error over folds) at the focus width.
    grow : DataFrame
        The "grow while validation improves" trace: step, depth, cv_mean, gain, decision.
    grow_depth : int
        The depth it keeps.
    picks : DataFrame
        criterion (cross-validation, one-SE rule, AIC, BIC), depth, width, n_params, cv_mean,
        test_accuracy. Cross-validation's pick is the best mean (ties within TIE go to fewer
        parameters); the one-SE rule's the model with the fewest parameters whose mean is at
        least the best mean minus its standard error.
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
    info : dict
        data_name, n_features, n_outputs (logits: 1 for two classes), majority (share of the most
        common training label), fold_train (training rows of the smallest fold fit),
        boundaries_note (why no boundaries are drawn, or None).
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
    info: Mapping = field(default_factory=dict)


# ---- cost model ------------------------------------------------------------------------------
# CPU seconds on the lab's 2-core machine with one BLAS thread (see _BLAS): non-negative least
# squares on 200 timed grid cells and 20 1-D fits while other jobs shared the machine (load 7 to
# 11; bench/network_depth_cells.py), times 1.25 so that a run allowed by the budget stays within
# it on a busy machine. One full-batch update costs a fixed part, a part per layer, the three
# matrix products per layer (forward, dW, dA), Adam's arithmetic per parameter, and the activation
# and its derivative per hidden value: GELU (the exact x Phi(x)) costs about nine times ReLU there,
# which made GELU grids up to 2.6x their old estimate. Each fit and each cell add a fixed part
# (scikit-learn's cross_validate and clone, the history frames, the log-likelihood).
UPDATE_SECONDS = 1.7e-5
LAYER_SECONDS = 1.75e-5
MAC_SECONDS = 5e-11
PARAM_SECONDS = 6.7e-9
ACTIVATION_SECONDS = {"relu": 5e-9, "tanh": 1.1e-8, "sigmoid": 1.8e-8, "gelu": 4.5e-8}
FIT_SECONDS = 5.2e-3
CELL_SECONDS = 6.3e-3
RUN_SECONDS = 0.15  # data, frames, boundaries, the 1-D pieces


def _update_seconds(n: int, sizes: tuple[int, ...], activation: str = "relu") -> float:
    """Estimated CPU seconds of one full-batch update of ``core.train.fit`` for layer ``sizes``."""
    macs = n * sum(a * b for a, b in itertools.pairwise(sizes))
    hidden = n * sum(sizes[1:-1])
    return (
        UPDATE_SECONDS
        + LAYER_SECONDS * (len(sizes) - 1)
        + 3 * macs * MAC_SECONDS
        + mlp.count_params(sizes) * PARAM_SECONDS
        + hidden * ACTIVATION_SECONDS[activation]
    )


def cheapest_widths(config: Config, seconds) -> tuple[int, ...]:
    """The grid of widths the sidebar offers (:data:`WIDTH_GRIDS`) that ``seconds`` prices
    lowest for ``config``, the focus width added as the run adds it."""

    def priced(grid: tuple[int, ...]) -> float:
        other = copy.copy(config)
        object.__setattr__(other, "widths", grid)  # no Config.check: its cost is what we ask
        return seconds(other)

    return min(WIDTH_GRIDS, key=priced)


def cheaper_widths(config: Config, seconds) -> bool:
    """Whether another grid of widths the sidebar offers (:data:`WIDTH_GRIDS`, the focus width
    added as the run adds it) lowers ``seconds(config)``: at widths (2, 4, 8, 16), the cheapest
    grid, no other one does, and a refusal that said "pick fewer or narrower 'widths'" named a
    remedy that cannot help (audit pass 51: 8 layers, 400 epochs, 10 folds, 600 points, 3,000 1-D
    epochs: 31.6 s with those widths, 31.6 s to 110.7 s with the others)."""
    other = copy.copy(config)
    object.__setattr__(other, "widths", cheapest_widths(config, seconds))
    return seconds(other) < seconds(config)


def estimated_seconds(config: Config) -> float:
    """Predicted CPU seconds of a cold run: (folds + 1) fits per grid model, plus the 1-D fits."""
    return upload_seconds(config, round(config.n_samples * 0.7), 2, 1)


def upload_seconds(config: Config, n_train: int, n_features: int, n_outputs: int) -> float:
    """:func:`estimated_seconds` for ``n_train`` training rows of ``n_features`` inputs and
    ``n_outputs`` logits (the bundled 2-D sets: 2 and 1), the 1-D fits included."""
    n_fold = n_train * (config.folds - 1) // config.folds
    grid = 0.0
    for h in config.models():
        sizes = (n_features, *h, n_outputs)
        grid += (config.folds + 1) * FIT_SECONDS + CELL_SECONDS
        grid += config.epochs * (
            config.folds * _update_seconds(n_fold, sizes, config.activation)
            + _update_seconds(n_train, sizes, config.activation)
        )
    wide, deep = _ua_architectures(config.ua_budget, config.ua_depth)
    ua = sum(
        FIT_SECONDS + config.ua_epochs * _update_seconds(UA_POINTS, (1, *h, 1))
        for h in (wide, wide, deep)
    )
    return RUN_SECONDS + grid + ua


# ---- the grid: one cached cell per (data, model, training) -------------------------------------


@lru_cache(maxsize=16)
def _data(dataset: str, n_samples: int, noise: float, seed: int):
    return make_classification_2d(dataset, n_samples=n_samples, noise=noise, seed=seed)


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't use, with a message that says what to change."""
    if data.task != "classification":
        raise ValueError("The network depth lesson trains classifiers; pick a class-label target.")


def _seconds_over(seconds: float, limit: float = UPLOAD_SECONDS) -> str:
    """An estimate over ``limit`` as :func:`format_seconds` prints it, with decimals until it
    prints above the limit (audit pass 52: "about 6 s even on 60 training rows (limit 6 s)" for
    6.15 s)."""
    text = format_seconds(seconds)
    places = 1
    while Decimal(text.split()[0]) <= Decimal(str(limit)) and places < 17:
        text = f"{decimals(seconds, places)} s"
        places += 1
    return text


def upload_train_rows(config: Config, data: Dataset) -> int:
    """The most training rows of ``data`` the grid may use within UPLOAD_SECONDS (estimated).

    Raises ValueError when even UPLOAD_MIN_TRAIN rows (or all of a smaller file's) would not fit."""
    n_out = 1 if data.n_classes <= 2 else data.n_classes
    # a file with fewer training rows than UPLOAD_MIN_TRAIN runs on all of them: priced on those
    # (audit pass 52: a 50-row file, 35 training rows at 5.5 s, was refused "about 6.2 s even on
    # 60 training rows")
    fewest = min(UPLOAD_MIN_TRAIN, len(data.y_train))
    least = upload_seconds(config, fewest, data.n_features, n_out)
    if least > UPLOAD_SECONDS:
        # refused rather than run on UPLOAD_MIN_TRAIN rows under a note saying the sample keeps
        # the run "within its time budget" (50 features, 20 classes, 10 folds of 400 epochs over
        # six widths: 11 s estimated on 60 rows, limit 6 s; audit pass 50)
        text = upload_remedy(config, lambda c: upload_seconds(c, fewest, data.n_features, n_out))
        rows = (
            f"even on {fewest} training rows"
            if fewest == UPLOAD_MIN_TRAIN
            else f"on its {fewest} training rows"
        )
        raise ValueError(
            # "With 1 feature", not "1 features" (a one-column file; audit pass 56 a)
            f"With {plural(data.n_features, 'feature')} and {data.n_classes} classes, this grid "
            "and the 1-D fits would take "
            f"about {_seconds_over(least)} {rows} (limit "
            f"{num(UPLOAD_SECONDS)} s). {text[0].upper()}{text[1:]}."
        )
    if fewest < UPLOAD_MIN_TRAIN:
        return fewest
    low, high = UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN
    while low < high:  # the estimate grows with the rows: the largest n within the budget
        mid = (low + high + 1) // 2
        if upload_seconds(config, mid, data.n_features, n_out) <= UPLOAD_SECONDS:
            low = mid
        else:
            high = mid - 1
    return low


def estimated_seconds_on_upload(config: Config, data: Dataset) -> float:
    """Estimated CPU seconds of ``run(config, data=data)``: the grid on the training rows
    :func:`prepare_data` keeps of the upload, plus the 1-D fits (``ui.runner.estimate`` reads it
    for the spinner). :func:`estimated_seconds` prices the 2-D set the file replaces: the spinner
    said "about 9 s" at 600 points, 6 layers and 300 epochs for a run on the 105 training rows of
    a 150-row file estimated at 5.5 s, and "about 3 s" at 100 points, 5 layers and 200 epochs for
    one on 420 rows of a 30-feature file estimated at 5.1 s (audit pass 54)."""
    n_out = 1 if data.n_classes <= 2 else data.n_classes
    try:
        rows = min(upload_train_rows(config, data), len(data.y_train))
    except ValueError:  # refused (the page says so before it runs): its fewest rows
        rows = min(UPLOAD_MIN_TRAIN, len(data.y_train))
    return upload_seconds(config, rows, data.n_features, n_out)


# The controls that price an upload's grid, most effective first (the 2-D set's points and noise
# have no effect on it).
UPLOAD_CONTROLS = ("max_depth", "epochs", "folds", "ua_epochs")


def _with(config: Config, change: Mapping) -> Config:
    """``config`` with ``change`` applied, unchecked (its cost is what we ask)."""
    other = copy.copy(config)
    for name, value in change.items():
        object.__setattr__(other, name, value)
    return other


def upload_moves(config: Config, seconds) -> dict[str, dict]:
    """The ways out of an upload refusal: each phrase and the change it makes, each control at the
    least its sidebar offers (only those that can still move), a cheaper grid of widths and
    relu."""
    moves = {
        f"lower '{name}'": {name: param_of(Config, name).least}
        for name in UPLOAD_CONTROLS
        if can_lower(config, name)
    }
    if cheaper_widths(config, seconds):
        moves["pick fewer or narrower 'widths'"] = {"widths": cheapest_widths(config, seconds)}
    if config.activation != "relu":  # relu is the cheapest activation to compute
        moves[f"choose a cheaper 'activation' than {config.activation}"] = {"activation": "relu"}
    return moves


def upload_remedy(config: Config, seconds) -> str:
    """What brings ``seconds(config)`` (an upload's grid on UPLOAD_MIN_TRAIN rows) within
    UPLOAD_SECONDS: the moves of :func:`upload_moves` that do it alone, else all of them
    together where that does, else a smaller file. Audit pass 52: with 50 features and 20
    classes at depth 3, six widths, 10 folds of 150 GELU epochs (8 s on 60 rows, limit 6 s) the
    refusal said "Lower 'max_depth', 'epochs', 'folds' or 'ua_epochs', …", though 'ua_epochs' at
    its least alone leaves 7.7 s."""
    moves = upload_moves(config, seconds)
    alone = [
        phrase
        for phrase, change in moves.items()
        if seconds(_with(config, change)) <= UPLOAD_SECONDS
    ]
    if alone:
        lowered = [phrase.removeprefix("lower ") for phrase in alone if phrase.startswith("lower ")]
        ways = [f"lower {_either([name.strip(chr(39)) for name in lowered])}"] if lowered else []
        return ", or ".join(ways + [phrase for phrase in alone if not phrase.startswith("lower ")])
    everything = {name: value for change in moves.values() for name, value in change.items()}
    if len(moves) > 1 and seconds(_with(config, everything)) <= UPLOAD_SECONDS:
        return f"{listing(list(moves), 'and')} together (no one of them is enough)"
    return "use a file with fewer features or classes (no setting of this page is enough)"


def prepare_data(config: Config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The dataset the grid uses and notes about it: the Config's 2-D set, or ``data``.

    Uploaded data is checked and its training split capped to :func:`upload_train_rows` rows
    (seeded, stratified); its test split, used once per model, is kept whole.
    """
    if data is None:
        return _data(config.dataset, config.n_samples, config.noise, config.seed), ()
    check_data(data)
    rows = upload_train_rows(config, data)
    ds, notes = subsample(
        data, max_train=rows, seed=config.seed, why=upload_cap_reason(config, data, rows)
    )
    return ds, tuple(notes)


def upload_cap_reason(config: Config, data: Dataset, rows: int) -> str:
    """Why :func:`prepare_data` cuts an upload's training split to ``rows``, as the note ends:
    the time budget where one row more would pass UPLOAD_SECONDS; else the page's most training
    rows (audit pass 53: "Used 420 of the 2,100 train rows … to keep this page's run within its
    time budget" at the default settings, where all 2,100 were estimated at 2.1 s, limit 6 s)."""
    n_out = 1 if data.n_classes <= 2 else data.n_classes
    if upload_seconds(config, rows + 1, data.n_features, n_out) > UPLOAD_SECONDS:
        return "to keep this page's run within its time budget"
    return (
        f"as the page trains on at most {UPLOAD_MAX_TRAIN} rows of an upload (the 2-D sets' "
        "largest training split)"
    )


def _estimator(config: Config, hidden: tuple[int, ...]) -> MLPClassifier:
    from core.estimators import MLPClassifier

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


def layers_text(hidden: tuple[int, ...]) -> str:
    """'no hidden layer', '1 hidden layer of width 8', '3 hidden layers of width 8'."""
    if not hidden:
        return "no hidden layer"
    depth = len(hidden)
    return f"{depth} hidden layer{'s' if depth > 1 else ''} of width {hidden[0]}"


def tail_drop(losses: np.ndarray) -> float:
    """Relative fall of a training-loss curve over its last TAIL_SHARE of epochs (at least one).

    ``(L[-m - 1] - L[-1]) / L[-m - 1]`` with m = max(1, floor(TAIL_SHARE * len)); NaN when the
    curve is too short or not finite.
    """
    losses = np.asarray(losses, dtype=float)
    m = max(1, int(TAIL_SHARE * len(losses)))
    if len(losses) <= m or not np.all(np.isfinite(losses[-m - 1 :])) or losses[-m - 1] <= 0:
        return math.nan
    return float((losses[-m - 1] - losses[-1]) / losses[-m - 1])


def off_units(estimator: MLPClassifier, X: np.ndarray) -> tuple[int, int]:
    """(units off, hidden units) of a fitted net on ``X``: a unit is off when its activation's
    derivative is below 1 % of its peak on every row (a dead ReLU, a saturated sigmoid or tanh)."""
    params = estimator.params_
    hidden = [params[f"W{k}"].shape[1] for k in range(1, mlp.n_layers(params))]
    if not hidden:
        return 0, 0
    _, cache = mlp.forward(params, X, activation=estimator.activation)
    act = cache.activation
    floor = mlp.SATURATION_THRESHOLD * mlp.peak_derivative(estimator.activation)
    off = 0
    with np.errstate(all="ignore"):
        for layer in cache.layers[:-1]:
            z = layer.act.z
            off += int(np.all(np.abs(act.grad(z)) < floor, axis=0).sum())
    return off, sum(hidden)


@_one_blas_thread
def _cell(
    config: Config, hidden: tuple[int, ...], data: Dataset | None = None, data_key: str = ""
) -> dict:
    """Cross-validate one architecture and refit it on the whole training split (cached).

    ``data`` is a prepared upload (see :func:`prepare_data`) and ``data_key`` its fingerprint,
    part of the cache key; without them the Config's 2-D set is used. Any failure of a fit
    becomes a ValueError in the lab's words (scikit-learn's own message names server files).
    """
    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import KFold, cross_validate

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
    try:
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
                error_score="raise",
            )
            full = clone(est).fit(X, y)
        # Log-likelihood of the training labels under the refitted model: -n * mean cross-entropy.
        loss = "bce_with_logits" if len(full.classes_) == 2 else "cross_entropy"
        log_lik = -len(y) * LOSSES[loss].fn(
            full.decision_function(X), np.searchsorted(full.classes_, y)
        )
        off, units = off_units(full, X)
        test_accuracy = _accuracy(full, data.X_test, data.y_test)
    except Exception as err:  # any failure: reported in the lab's words, never scikit-learn's
        raise ValueError(
            f"Training the net with {layers_text(hidden)} failed on these data: a fit produced "
            "no usable result. Check the features for missing or extreme values, or lower the "
            "learning rate."
        ) from err
    drops = [tail_drop(e.loss_curve_) for e in scores["estimator"] if not e.diverged_]
    cell = {
        "test_scores": scores["test_score"],
        "train_scores": scores["train_score"],
        # the median resists the odd fold slowed by another process on the shared cores
        "fit_ms": 1000.0 * float(np.median(scores["fit_time"])),
        "n_params": full.n_params_,
        "log_likelihood": float(log_lik),
        "train_accuracy": _accuracy(full, X, y),
        "test_accuracy": test_accuracy,
        "tail_drop": float(np.nanmax(drops)) if drops and not np.all(np.isnan(drops)) else math.nan,
        "off_units": off,
        "hidden_units": units,
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
    """The grid models not yet computed for this config."""
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

    A gain within TIE of the tolerance does not count: two equal CV means summed in another
    order differ by float round-off (1e-16), which at tolerance 0 would otherwise add a layer.

    Parameters
    ----------
    depth_scores : Series indexed by depth (0, 1, ...) of mean cross-validated accuracy.
    tolerance : float
        The smallest gain that justifies another layer (fixed: not tied to the noise).
    start : int
        The first depth tried (CURRICULUM: start with 1 to 3 hidden layers).

    Returns
    -------
    DataFrame with step, depth, cv_mean, gain (over the depth kept so far) and decision; the
    depth kept is the last row whose decision is not "stop". Without a "stop" row the grid ran
    out before the rule stopped.
    """
    depths = [d for d in depth_scores.index if d >= start]
    rows = [(1, depths[0], float(depth_scores[depths[0]]), math.nan, "start")]
    kept = depths[0]
    for step, depth in enumerate(depths[1:], start=2):
        score = float(depth_scores[depth])
        gain = score - float(depth_scores[kept])
        if gain > tolerance + TIE:
            rows.append((step, depth, score, gain, "grow"))
            kept = depth
        else:
            rows.append((step, depth, score, gain, "stop"))
            break
    return pd.DataFrame(rows, columns=["step", "depth", "cv_mean", "gain", "decision"])


def best_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose ``cv_mean`` is within TIE of the largest (round-off ties), fewest parameters first."""
    best = frame["cv_mean"].max()
    return frame[frame["cv_mean"] >= best - TIE].sort_values(["n_params", "depth"], kind="stable")


def one_se_row(frame: pd.DataFrame) -> pd.Series:
    """The one-standard-error rule over ``frame``'s models (rows with cv_mean, cv_se, n_params).

    The best mean (the tie with the fewest parameters) less its standard error is the bar; the
    pick is the model with the fewest parameters (then the shallowest) whose mean reaches it.
    """
    order = frame.sort_values(["n_params", "depth"], kind="stable")
    rule = one_standard_error(order["cv_mean"], order["cv_se"], higher_is_better=True, tie=TIE)
    return order.iloc[rule.choice]


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


# ---- the run ---------------------------------------------------------------------------------


def _grid(config: Config, upload: Dataset | None, data_key: str, n_train: int):
    rows, fold_rows = [], []
    for width in config.grid_widths:
        for depth in range(config.max_depth + 1):
            hidden = (width,) * depth
            cell = _cell(config, hidden, upload, data_key)
            aic, bic = information_criteria(cell["log_likelihood"], cell["n_params"], n_train)
            scores = cell["test_scores"]
            rows.append(
                {
                    "depth": depth,
                    "width": width,
                    "hidden": str(hidden),
                    "n_params": cell["n_params"],
                    "cv_mean": float(np.mean(scores)),
                    "cv_std": float(np.std(scores)),
                    "cv_se": float(np.std(scores, ddof=1) / math.sqrt(len(scores))),
                    "cv_train_mean": float(np.mean(cell["train_scores"])),
                    "tail_drop": cell["tail_drop"],
                    "fit_ms": cell["fit_ms"],
                    "log_likelihood": cell["log_likelihood"],
                    "aic": aic,
                    "bic": bic,
                    "train_accuracy": cell["train_accuracy"],
                    "test_accuracy": cell["test_accuracy"],
                    "off_units": cell["off_units"],
                    "hidden_units": cell["hidden_units"],
                    "diverged": cell["diverged"],
                }
            )
            for fold, (te, tr) in enumerate(zip(scores, cell["train_scores"], strict=True)):
                fold_rows.append((depth, width, fold + 1, float(te), float(tr)))
    grid = pd.DataFrame(rows)
    folds = pd.DataFrame(fold_rows, columns=["depth", "width", "fold", "test_score", "train_score"])
    return grid, folds


def _depth_curve(focus: pd.DataFrame) -> pd.DataFrame:
    curve = []
    for split, mean, se in (("train", "cv_train_mean", None), ("validation", "cv_mean", "cv_se")):
        spread = focus[se] if se else 0.0 * focus[mean]
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
    return pd.concat(curve, ignore_index=True)


def _picks(models: pd.DataFrame) -> pd.DataFrame:
    chosen = {
        "cross-validation": best_rows(models).iloc[0],
        "one-SE rule": one_se_row(models),
        "AIC": models.loc[models["aic"].idxmin()],
        "BIC": models.loc[models["bic"].idxmin()],
    }
    return pd.DataFrame(
        [
            {
                "criterion": criterion,
                "depth": int(row["depth"]),
                "width": int(row["width"]),
                "n_params": int(row["n_params"]),
                "cv_mean": float(row["cv_mean"]),
                "test_accuracy": float(row["test_accuracy"]),
            }
            for criterion, row in chosen.items()
        ]
    )


def run(
    config: Config,
    progress: Callable[[float, str], None] | None = None,
    data: Dataset | None = None,
) -> Result:
    """Cross-validate the grid (cells cached), compare criteria, draw boundaries, fit the 1-D nets.

    ``progress(fraction, message)`` (optional) hears after each grid model is trained.
    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the 2-D set the
    config names for the grid; the boundaries are then left empty unless it has two features and
    two classes. The 1-D universal-approximation part never uses it.
    """
    progress = progress or report_progress  # the app listens there (and may cancel)
    start = time.perf_counter()
    upload, data_key, notes = _prepared(config, data)
    data = upload if upload is not None else prepare_data(config)[0]
    n_train = len(data.y_train)
    report = None
    if progress is not None:
        todo = max(1, len(pending_models(config, upload)))
        progress(0.0, f"cross-validating {todo} networks")

        def report(done: int, total: int) -> None:
            progress(0.9 * done / total, f"cross-validated {done} of {total} networks")

    precompute(config, progress=report, data=upload)
    grid, folds = _grid(config, upload, data_key, n_train)

    focus = grid[grid["width"] == config.width].set_index("depth")
    grow = grow_until_no_gain(focus["cv_mean"], config.tolerance)
    kept = grow[grow["decision"] != "stop"]["depth"].iloc[-1]

    # Distinct models (depth 0 once) for the criteria and the picks.
    models = grid.drop_duplicates("hidden").reset_index(drop=True)
    criteria = models.melt(
        id_vars=["depth", "width", "n_params"],
        value_vars=["aic", "bic"],
        var_name="criterion",
        value_name="value",
    )
    criteria["criterion"] = criteria["criterion"].str.upper()

    note = boundary_note(upload)
    if note is None:
        resolution = 30 if config.max_depth <= 5 else 24
        boundaries, points = _one_blas_thread(_boundaries)(
            config, data, resolution, upload, data_key
        )
    else:
        boundaries = pd.DataFrame(columns=["depth", "x1", "x2", "x1_end", "x2_end", "p"])
        points = pd.DataFrame(columns=["x1", "x2", "label"])
    if progress is not None:
        progress(0.9, "fitting the 1-D nets")
    ua_curves, ua_summary = _one_blas_thread(universal_approximation)(
        config.ua_target,
        config.ua_level,
        config.ua_budget,
        config.ua_depth,
        config.ua_epochs,
        config.seed,
    )
    n_classes = len(np.unique(data.y_train))
    return Result(
        grid=grid,
        folds=folds,
        depth_curve=_depth_curve(focus),
        grow=grow,
        grow_depth=int(kept),
        picks=_picks(models),
        criteria=criteria,
        boundaries=boundaries,
        points=points,
        ua_curves=ua_curves.copy(),
        ua_summary=ua_summary.copy(),
        n_train=n_train,
        n_test=len(data.y_test),
        seconds=time.perf_counter() - start,
        notes=notes,
        info={
            "data_name": config.dataset if upload is None else upload.name,
            "n_features": int(data.X_train.shape[1]),
            "n_outputs": 1 if n_classes <= 2 else n_classes,
            "majority": float(np.max(np.unique(data.y_train, return_counts=True)[1]) / n_train),
            "fold_train": n_train - math.ceil(n_train / config.folds),
            "boundaries_note": note,
            # an uploaded file: its grid is priced by upload_seconds against UPLOAD_SECONDS
            "uploaded": upload is not None,
        },
    )
