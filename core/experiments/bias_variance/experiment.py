"""Detecting overfitting and choosing a model honestly: error against complexity and training-set size,
bias² / variance / noise over many training sets, k-fold cross-validation with standard errors and
the one-standard-error rule, nested cross-validation, and leakage on pure-noise features."""

from __future__ import annotations

import dataclasses
import functools
import math
import types
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from core.config import Settings, choice, integer, number, param_of
from core.data import Dataset, subsample
from core.decomposition import decompose
from core.experiments import budget
from core.experiments.bias_variance import models
from core.experiments.bias_variance.models import MLP_WIDTHS, MODELS, fit_predict, poly_columns
from core.experiments.budget import check_budget
from core.facts import ROUND_OFF, apart, decimals, listing, num, plural
from core.progress import report
from core.selection import one_standard_error

# The true functions on x ~ Uniform(-1, 1); y = f(x) + noise * eps, eps ~ N(0, 1).
TRUTHS = ("sine", "cubic", "bump")
TRUTH_FORMULAS = {"sine": "sin(1.5πx)", "cubic": "2x³ − x", "bump": "exp(−8x²)"}
TEST_POINTS = 200  # fixed x's where every fitted model is compared with f and with fresh labels
# The CV part's reference on synthetic data: a refitted model's expected test MSE, σ² + E (f̂(x) −
# f(x))² over x ~ U(−1, 1), integrated by composite Gauss–Legendre quadrature (REFERENCE_PANELS
# equal panels of REFERENCE_NODES nodes): for these smooth fits it agrees with four times the
# panels to float64 round-off, where an average over the TEST_POINTS sampled x's is an estimate
# off by a few % (0.12314 for an expected 0.11436 at the defaults).
REFERENCE_PANELS, REFERENCE_NODES = 100, 10
CURVE_POINTS = 100  # x grid of the fitted-curves chart
FITS_SHOWN = 5  # training sets whose fitted curves are drawn
LC_MIN_SIZE = 10
LC_SIZES = 6  # training-set sizes of a learning curve, log-spaced from LC_MIN_SIZE
LEAK_LABELS = ("leaky", "honest")
LEAK_FEATURES = (100, 200, 500, 1000, 2000, 5000)
CHANCE = 0.5  # two equal classes, labels drawn independently of the features
# Uploads (the cross-validation part only): rows and polynomial columns kept within the budget.
UPLOAD_CV_SECONDS = 4.0
UPLOAD_MAX_TRAIN, UPLOAD_MIN_TRAIN, UPLOAD_MAX_TEST = 1000, 20, 1000
UPLOAD_MAX_COLUMNS = 300

# CPU seconds on this 2-core machine, one BLAS thread (bench/budget.py measures them again): a
# run's base; per polynomial job a base, a part per row (standardizing, predicting), the Gram
# matrix (rows x columns²) and the solve (columns³); per MLP epoch a base plus a part per row x
# hidden unit x input. The leakage part: selecting features on n x p numbers, a fit per fold.
BASE_SECONDS = 0.05
POLY_JOB_SECONDS = 2.5e-4
POLY_SECONDS_PER_ROW = 1e-6
POLY_SECONDS_PER_ROW_COLUMN2 = 2.5e-10
POLY_SECONDS_PER_COLUMN3 = 1.5e-10
MLP_EPOCH_SECONDS = 5e-5
MLP_SECONDS_PER_ROW_UNIT_INPUT = 2e-9
LEAK_SECONDS_PER_FOLD = 4e-3
LEAK_SECONDS_PER_CELL = 2e-8


@dataclass(frozen=True)
class Config(Settings):
    """Everything one run of the bias-variance lesson depends on.

    ``n_sets`` training sets of ``n_train`` points are drawn from y = f(x) + ``noise`` * eps
    (f named by ``truth``); each model of ``model``'s family (polynomial degrees 1 to
    ``max_degree``, or MLP widths ``MLP_WIDTHS``) is fitted on each. The learning curves refit
    three of them on growing sets up to ``lc_max_size`` points. ``folds``-fold cross-validation
    (plain and nested) runs on the first training set, or on an uploaded regression set. The
    leakage part draws ``leak_n`` rows of ``leak_features`` pure-noise features with random
    balanced labels and selects ``leak_k`` of them.
    """

    truth: str = choice("sine", TRUTHS)
    noise: float = number(0.3, 0.0, 1.0, step=0.05)
    n_train: int = integer(30, 10, 200, step=5)
    model: str = choice("polynomial", MODELS)
    max_degree: int = integer(12, 2, 15)
    n_sets: int = integer(10, 2, 50)
    lc_max_size: int = integer(200, 50, 1000, step=50)
    folds: int = integer(5, 3, 10)
    leak_n: int = integer(40, 20, 200, step=10)
    leak_features: int = integer(1000, 100, 5000, grid=LEAK_FEATURES)
    leak_k: int = integer(10, 1, 50)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        if self.n_train < 2 * self.folds:
            raise ValueError(
                # the page's rule, not a need of nested CV, which runs on fewer rows (each outer
                # training part keeps k for its inner split; audit pass 49 g, as pass 47 f for
                # an upload)
                f"'n_train' ({self.n_train}) must be at least twice 'folds' ({self.folds}): "
                "this page cross-validates only with at least two rows per fold. Raise the "
                "points or lower the folds."
            )
        if self.leak_n % 2:
            raise ValueError(
                f"'leak_n' must be even (two classes of equal size); got {self.leak_n}."
            )
        seconds = estimated_seconds(self)
        if seconds <= budget.BUDGET_SECONDS:
            return
        fields, together, polynomial = budget_remedies(self)
        # budget_remedies prices each move itself (the points per set are held up by the folds)
        moves = {"pick the polynomial model": {"model": "polynomial"}} if polynomial else None
        check_budget(seconds, fields, config=self, together=together, moves=moves)


# ---- levels of complexity ----------------------------------------------------------------------


def levels_of(config: Config) -> tuple[int, ...]:
    """The complexities fitted: degrees 1..max_degree, or the MLP widths."""
    if config.model == "polynomial":
        return tuple(range(1, config.max_degree + 1))
    return MLP_WIDTHS


def level_name(model: str) -> str:
    return "degree" if model == "polynomial" else "width"


def level_label(model: str, level: int) -> str:
    """'degree 3', 'width 16'."""
    return f"{level_name(model)} {level}"


def n_params(model: str, level: int, n_features: int = 1) -> int:
    """Fitted parameters: polynomial columns + intercept, or the MLP's weights and biases."""
    if model == "polynomial":
        return poly_columns(n_features, level) + 1
    return (n_features + 1) * level + level + 1


def lc_sizes(config: Config) -> tuple[int, ...]:
    """Training-set sizes of the learning curves, log-spaced from LC_MIN_SIZE to lc_max_size."""
    sizes = np.geomspace(LC_MIN_SIZE, config.lc_max_size, LC_SIZES)
    return tuple(sorted({round(float(s)) for s in sizes}))


# ---- cost --------------------------------------------------------------------------------------


def fit_seconds(model: str, level: int, rows: float, n_features: int = 1) -> float:
    """Estimated CPU seconds of one fit (a polynomial job, or an MLP's full-batch epochs)."""
    if model == "polynomial":
        columns = poly_columns(n_features, level)
        return (
            POLY_JOB_SECONDS
            + POLY_SECONDS_PER_ROW * rows
            + POLY_SECONDS_PER_ROW_COLUMN2 * rows * columns**2
            + POLY_SECONDS_PER_COLUMN3 * columns**3
        )
    per_epoch = MLP_EPOCH_SECONDS + MLP_SECONDS_PER_ROW_UNIT_INPUT * rows * level * (n_features + 1)
    return models.MLP_EPOCHS * per_epoch


def cv_seconds(model: str, levels, rows: int, folds: int, n_features: int = 1) -> float:
    """Plain CV, the refits and the nested search: per level folds + 1 + folds x (folds + 1) fits."""
    train_rows = rows * (folds - 1) / folds
    inner_rows = train_rows * (folds - 1) / folds
    total = 0.0
    for level in levels:
        total += (folds + 1) * fit_seconds(model, level, train_rows, n_features)
        total += folds * folds * fit_seconds(model, level, inner_rows, n_features)
        total += folds * fit_seconds(model, level, train_rows, n_features) / len(levels)
    return total


def part_seconds(config: Config) -> dict[str, float]:
    """Estimated CPU seconds of each part of ``run(config)``."""
    levels = levels_of(config)
    sweep = config.n_sets * sum(fit_seconds(config.model, lv, config.n_train) for lv in levels)
    curve_levels = (levels[0], levels[len(levels) // 2], levels[-1])
    curves = config.n_sets * sum(
        fit_seconds(config.model, lv, size) for lv in curve_levels for size in lc_sizes(config)
    )
    cv = cv_seconds(config.model, levels, config.n_train, config.folds)
    leak = config.folds * 2 * LEAK_SECONDS_PER_FOLD + LEAK_SECONDS_PER_CELL * (
        (config.folds + 1) * config.leak_n * config.leak_features
    )
    return {"sweep": sweep, "curves": curves, "cv": cv, "leak": leak}


def _least(config, name: str) -> float:
    """The lowest value the sidebar offers ``name`` with the other settings of ``config`` kept:
    the points per set stay at least twice the folds (:meth:`Config.check`)."""
    domain = param_of(Config, name)
    least = domain.least
    if name == "n_train":
        step = domain.step or 1
        least += step * max(0, math.ceil((2 * config.folds - least) / step))
    return least


def budget_remedies(config: Config) -> tuple[tuple[str, ...], bool, bool]:
    """What brings a run over the budget within it: (fields, together, polynomial).

    ``fields`` are the controls that do it alone, each lowered to the least the sidebar offers
    with the others kept, the part that costs most first; where none does alone, those that do
    it together (``together`` True); ``polynomial`` is whether picking the polynomial model
    instead of the MLP does it. "Lower 'Folds k', 'Points per training set n', 'Largest
    learning-curve size' or 'Training sets R'" was said of an MLP run at R = 4, n = 100, 500
    points, k = 7 that none of the four brings within the limit alone (audit pass 51 h)."""

    def seconds(**changes) -> float:
        values = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
        return estimated_seconds(types.SimpleNamespace(**{**values, **changes}))

    parts = part_seconds(config)
    degree = ("max_degree",) if config.model == "polynomial" else ()
    drivers = {
        "sweep": ("n_sets", *degree, "n_train"),
        "curves": ("lc_max_size", "n_sets"),
        "cv": ("folds", "n_train", *degree),
        "leak": ("leak_features", "leak_n", "folds"),
    }
    # The controls of the part that costs most come first: changing them helps most.
    order = sorted(parts, key=parts.get, reverse=True)
    fields = tuple(dict.fromkeys(f for part in order for f in drivers[part]))
    movable = [f for f in fields if _least(config, f) < getattr(config, f)]
    alone = tuple(f for f in movable if seconds(**{f: _least(config, f)}) <= budget.BUDGET_SECONDS)
    polynomial = config.model == "mlp" and seconds(model="polynomial") <= budget.BUDGET_SECONDS
    if alone:
        return alone, False, polynomial
    # none alone: the fewest that do it together, those that save most alone first, each
    # lowered to its own least (the points per set with the folds lowered too)
    floor = {f: _least(types.SimpleNamespace(folds=_least(config, "folds")), f) for f in fields}
    movable = sorted(
        (f for f in fields if floor[f] < getattr(config, f)),
        key=lambda f: seconds(**{f: _least(config, f)}),
    )
    chosen: dict[str, float] = {}
    for f in movable:
        folds = types.SimpleNamespace(folds=chosen.get("folds", config.folds))
        if _least(folds, f) == getattr(config, f):
            continue  # the points per set, held up by the folds
        chosen[f] = _least(folds, f)
        if seconds(**chosen) <= budget.BUDGET_SECONDS:
            return tuple(f for f in fields if f in chosen), True, polynomial
    if movable and seconds(**{f: floor[f] for f in movable}) <= budget.BUDGET_SECONDS:
        return tuple(f for f in fields if f in movable), True, polynomial
    # not even every control at its least: unreachable at this page's budget (the cheapest run of
    # either model fits it, tests/core/test_bias_variance_experiment.py); the costliest parts'
    # controls, as before, for a budget set lower
    return tuple(f for f in fields if f in movable), False, polynomial


def estimated_seconds(config: Config) -> float:
    """Estimated CPU seconds of ``run(config)`` on this machine."""
    return BASE_SECONDS + sum(part_seconds(config).values())


def estimated_seconds_on_upload(config: Config, data: Dataset) -> float:
    """Estimated CPU seconds of ``run(config, data)``: the Config's sweep, learning curves and
    leak, and the CV part on the rows :func:`prepare_data` keeps of the upload (the page's
    spinner priced the CV part on the Config's points per set: no estimate, 0.29 s, at the
    defaults for a run on 1,000 rows of a 3-feature file estimated at 1.6 s; audit pass 54 g). A
    file the page refuses is priced as the Config: the page says so before it runs."""
    try:
        check_data(data)
        rows = min(upload_train_rows(config, data), len(data.y_train))
    except ValueError:
        return estimated_seconds(config)
    parts = part_seconds(config)
    parts["cv"] = upload_seconds(config, data.n_features, rows)
    return BASE_SECONDS + sum(parts.values())


# ---- data --------------------------------------------------------------------------------------


def truth(name: str, x: np.ndarray) -> np.ndarray:
    """The true function f(x)."""
    if name == "sine":
        return np.sin(1.5 * np.pi * x)
    if name == "cubic":
        return 2 * x**3 - x
    if name == "bump":
        return np.exp(-8 * x**2)
    raise ValueError(f"'truth' must be one of {', '.join(TRUTHS)}; got {name!r}.")


def _rng(config: Config, *parts: int) -> np.random.Generator:
    """A stream of its own per part and training set: one part's settings leave the others' draws."""
    return np.random.default_rng([config.seed, *parts])


def test_points(config: Config) -> tuple[np.ndarray, np.ndarray]:
    """The fixed x's of every comparison and f there."""
    x = _rng(config, 0).uniform(-1, 1, TEST_POINTS)
    return x, truth(config.truth, x)


def training_set(config: Config, r: int, n: int | None = None, part: int = 1):
    """Training set ``r``: n points x ~ U(-1, 1), y = f(x) + noise * eps."""
    rng = _rng(config, part, r)
    x = rng.uniform(-1, 1, config.n_train if n is None else n)
    return x, truth(config.truth, x) + config.noise * rng.standard_normal(x.size)


@functools.cache
def reference_points() -> tuple[np.ndarray, np.ndarray]:
    """Quadrature nodes on [−1, 1] and weights summing to 1: Σ w g(x) is E g(x) for x ~ U(−1, 1)
    (composite Gauss–Legendre, REFERENCE_PANELS panels of REFERENCE_NODES nodes)."""
    t, w = np.polynomial.legendre.leggauss(REFERENCE_NODES)
    edges = np.linspace(-1.0, 1.0, REFERENCE_PANELS + 1)
    mid, half = (edges[1:] + edges[:-1]) / 2, (edges[1:] - edges[:-1]) / 2
    x = (mid[:, None] + half[:, None] * t).ravel()
    weights = (half[:, None] * w / 2).ravel()
    x.flags.writeable = weights.flags.writeable = False
    return x, weights


def validation_labels(config: Config, f_test: np.ndarray, r: int) -> np.ndarray:
    """Fresh noisy labels at the test points for training set ``r`` (independent of its fit)."""
    return f_test + config.noise * _rng(config, 2, r).standard_normal(f_test.size)


def leak_data(config: Config) -> tuple[np.ndarray, np.ndarray]:
    """Pure-noise features and random labels of two equal classes."""
    rng = _rng(config, 5)
    X = rng.standard_normal((config.leak_n, config.leak_features))
    y = rng.permutation(np.repeat([0, 1], config.leak_n // 2))
    return X, y


# ---- result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One run of every part.

    Attributes
    ----------
    sweep : DataFrame, one row per level
        level, label, n_params, train_mse, train_se, val_mse, val_se (mean over the R training
        sets and its standard error, SD / sqrt(R)), bias_sq, variance, noise (sigma²),
        expected_mse (bias_sq + variance + noise), measured_se (standard error of val_mse as a
        measurement of expected_mse: the fresh-noise terms over R x TEST_POINTS).
    sets : DataFrame, one row per (training set, level)
        set, level, train_mse, val_mse (against that set's fresh labels), expected_mse (the
        mean squared distance of its predictions from f, plus sigma²).
    fits : DataFrame
        level, label, set, x, prediction: the first FITS_SHOWN sets' fits of the simplest, the
        best (lowest val_mse) and the most complex level on a grid.
    points, truth_curve : DataFrame
        x, y of training set 0; x, f on the grid.
    curves : DataFrame, one row per (level, size)
        level, label, size, train_mse, train_se, val_mse, val_se, gap, gap_se (gap = val − train,
        its standard error from the per-set differences).
    curve_sets : DataFrame
        level, size, set, train_mse, val_mse.
    cv_folds : DataFrame
        level, label, fold, mse: the held-out MSE of each fold.
    cv : DataFrame, one row per level
        level, label, n_params, mean, sd, se (sd / sqrt(k)), reference_mse (the model refitted on
        all the CV rows: its true expected test MSE, or its MSE on an upload's test split).
    nested : DataFrame, one row per outer fold
        fold, level, label (chosen by the inner search), inner_mse (the inner search's best mean),
        mse (the outer fold's MSE of the model refitted at that level).
    leak : DataFrame
        pipeline ("leaky" or "honest"), fold, accuracy.
    info : dict
        See :func:`run`.
    notes : tuple of str
        What was done to uploaded data.
    """

    sweep: pd.DataFrame
    sets: pd.DataFrame
    fits: pd.DataFrame
    points: pd.DataFrame
    truth_curve: pd.DataFrame
    curves: pd.DataFrame
    curve_sets: pd.DataFrame
    cv_folds: pd.DataFrame
    cv: pd.DataFrame
    nested: pd.DataFrame
    leak: pd.DataFrame
    info: dict
    notes: tuple[str, ...] = ()


class _Progress:
    """Reports a fraction of the run's estimated work (each MLP fit ticks)."""

    def __init__(self, config: Config):
        self.parts = part_seconds(config)
        self.total = sum(self.parts.values()) or 1.0
        self.done = 0.0
        self.fit = 0.0
        self.message = ""

    def start(self, part: str, message: str, fits: int = 1) -> None:
        self.message = message
        self.fit = self.parts.get(part, 0.0) / max(fits, 1)
        report(min(1.0, self.done / self.total), message)

    def tick(self) -> None:
        self.done += self.fit
        report(min(1.0, self.done / self.total), self.message)


def _seed(config: Config, *parts: int) -> int:
    return int(_rng(config, 9, *parts).integers(2**31 - 1))


def _mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((a - b) ** 2))


def standard_error(values) -> float:
    """The standard error of a mean: the sample SD (n − 1 in the denominator) / √n."""
    values = np.asarray(values, dtype=float)
    return float(values.std(ddof=1) / np.sqrt(values.size))


_se = standard_error


# ---- the complexity sweep and the decomposition ---------------------------------------------------


def run_sweep(config: Config, progress: _Progress | None = None):
    """Every level fitted on every training set: errors, the decomposition, the fitted curves."""
    progress = progress or _Progress(config)
    levels = levels_of(config)
    x_test, f_test = test_points(config)
    grid = np.linspace(-1, 1, CURVE_POINTS)
    data = [training_set(config, r) for r in range(config.n_sets)]
    y_val = np.stack([validation_labels(config, f_test, r) for r in range(config.n_sets)])
    sigma2 = config.noise**2
    R = config.n_sets
    rows, set_rows, curves = [], [], {}
    poly = config.model == "polynomial"  # one tick per level, else one per fit
    progress.start(
        "sweep", "Fitting every level on every training set", len(levels) * (1 if poly else R)
    )
    for level in levels:
        jobs = [
            (x[:, None], y, [x_test[:, None], x[:, None]] + [grid[:, None]] * (r < FITS_SHOWN))
            for r, (x, y) in enumerate(data)
        ]
        preds = fit_predict(
            config.model, level, jobs, seed=_seed(config, 1, level), tick=progress.tick
        )
        if poly:
            progress.tick()
        P = np.stack([p[0] for p in preds])  # (R, TEST_POINTS)
        train = np.array([_mse(p[1], y) for p, (_x, y) in zip(preds, data, strict=True)])
        val = ((P - y_val) ** 2).mean(axis=1)
        terms = decompose(P, f_test, sigma2)
        per_set = terms.per_set_mse
        excess = (P - y_val) ** 2 - (P - f_test) ** 2
        rows.append(
            {
                "level": level,
                "label": level_label(config.model, level),
                "n_params": n_params(config.model, level),
                "train_mse": float(train.mean()),
                "train_se": _se(train),
                "val_mse": float(val.mean()),
                "val_se": _se(val),
                "bias_sq": terms.bias_sq,
                "variance": terms.variance,
                "noise": sigma2,
                "expected_mse": terms.expected_mse,
                "measured_se": _se(excess.ravel()),
            }
        )
        set_rows += [
            {
                "set": r,
                "level": level,
                "train_mse": float(train[r]),
                "val_mse": float(val[r]),
                "expected_mse": float(per_set[r]),
            }
            for r in range(R)
        ]
        curves[level] = [p[2] for p in preds[:FITS_SHOWN]]
    sweep = pd.DataFrame(rows)
    best = int(sweep.loc[sweep["val_mse"].idxmin(), "level"])
    shown = list(dict.fromkeys((levels[0], best, levels[-1])))
    fits = pd.DataFrame(
        [
            {
                "level": level,
                "label": level_label(config.model, level),
                "set": r,
                "x": float(x),
                "prediction": float(p),
            }
            for level in shown
            for r, curve in enumerate(curves[level])
            for x, p in zip(grid, curve, strict=True)
        ]
    )
    x0, y0 = data[0]
    points = pd.DataFrame({"x": x0, "y": y0})
    truth_curve = pd.DataFrame({"x": grid, "f": truth(config.truth, grid)})
    return sweep, pd.DataFrame(set_rows), fits, points, truth_curve, (x_test, f_test, y_val)


# ---- learning curves -------------------------------------------------------------------------------


def curve_levels(config: Config, sweep: pd.DataFrame) -> tuple[int, ...]:
    """The simplest level, the sweep's best (lowest validation MSE) and the most complex."""
    levels = levels_of(config)
    best = int(sweep.loc[sweep["val_mse"].idxmin(), "level"])
    return tuple(sorted({levels[0], best, levels[-1]}))


def run_curves(config: Config, sweep: pd.DataFrame, test, progress: _Progress | None = None):
    """Train and validation MSE against training-set size for three levels (nested sets)."""
    progress = progress or _Progress(config)
    x_test, _f_test, y_val = test
    sizes = lc_sizes(config)
    pools = [training_set(config, r, config.lc_max_size, part=3) for r in range(config.n_sets)]
    chosen = curve_levels(config, sweep)
    rows, set_rows = [], []
    poly = config.model == "polynomial"
    fits = len(sizes) * config.n_sets
    progress.start("curves", "Learning curves", len(chosen) * (1 if poly else fits))
    for level in chosen:
        jobs = [
            (x[:size, None], y[:size], [x_test[:, None], x[:size, None]])
            for size in sizes
            for x, y in pools
        ]
        preds = fit_predict(
            config.model, level, jobs, seed=_seed(config, 3, level), tick=progress.tick
        )
        if poly:
            progress.tick()
        for i, size in enumerate(sizes):
            part = preds[i * config.n_sets : (i + 1) * config.n_sets]
            train = np.array([_mse(p[1], y[:size]) for p, (_x, y) in zip(part, pools, strict=True)])
            val = np.array([_mse(p[0], y_val[r]) for r, p in enumerate(part)])
            rows.append(
                {
                    "level": level,
                    "label": level_label(config.model, level),
                    "size": size,
                    "train_mse": float(train.mean()),
                    "train_se": _se(train),
                    "val_mse": float(val.mean()),
                    "val_se": _se(val),
                    "gap": float((val - train).mean()),
                    "gap_se": _se(val - train),
                }
            )
            set_rows += [
                {
                    "level": level,
                    "size": size,
                    "set": r,
                    "train_mse": float(train[r]),
                    "val_mse": float(val[r]),
                }
                for r in range(config.n_sets)
            ]
    return pd.DataFrame(rows), pd.DataFrame(set_rows)


# ---- cross-validation ------------------------------------------------------------------------------


def cv_levels(config: Config, n_features: int = 1) -> tuple[int, ...]:
    """Levels the CV part compares: uploads keep the degrees with at most UPLOAD_MAX_COLUMNS columns."""
    levels = levels_of(config)
    if config.model == "polynomial" and n_features > 1:
        levels = tuple(d for d in levels if poly_columns(n_features, d) <= UPLOAD_MAX_COLUMNS)
    return levels


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't use, with a message that says what to change."""
    if data.task != "regression":
        raise ValueError(
            "Cross-validation here compares regression models: pick a numeric target (the "
            "other parts keep their own synthetic data)."
        )


def upload_cv_limit(config) -> float:
    """Seconds the CV part on an upload may take: UPLOAD_CV_SECONDS, and no more than the page's
    work budget leaves after the parts that keep the synthetic data (the sweep, the learning
    curves, the leakage part), which run beside it. Capped to UPLOAD_CV_SECONDS alone, an MLP run
    estimated at 9.9 s (10 sets of 30 points, curves to 400, 3 folds) ran with a 3-feature file
    at about 11.5 s, over the 10 s every other run is refused above (audit pass 55 h)."""
    parts = part_seconds(config)
    rest = BASE_SECONDS + parts["sweep"] + parts["curves"] + parts["leak"]
    return min(UPLOAD_CV_SECONDS, budget.BUDGET_SECONDS - rest)


def _limit_text(config, cost: float) -> tuple[str, str]:
    """An upload refusal's estimate and its limit, printed apart (4.04 s is not "4.0 s … (limit
    4 s)"), the limit with where it comes from where the page's budget sets it."""
    limit = upload_cv_limit(config)
    cost_text, limit_text = apart(cost, limit, digits=2)
    if limit >= UPLOAD_CV_SECONDS:
        return cost_text, f"limit {limit_text} s"
    places = max(0, -Decimal(limit_text).as_tuple().exponent)
    rest = budget.BUDGET_SECONDS - limit
    return cost_text, (
        f"limit {limit_text} s: what the page's {num(budget.BUDGET_SECONDS)} s budget leaves "
        f"after the sweep, the learning curves and the leakage part ({decimals(rest, places)} s)"
    )


def upload_train_rows(config: Config, data: Dataset) -> int:
    """The most training rows of ``data`` whose CV part fits :func:`upload_cv_limit` (ValueError
    if none)."""
    levels = cv_levels(config, data.n_features)
    if len(levels) < 2:
        raise ValueError(
            f"With {data.n_features} features even degree 2 has "
            f"{poly_columns(data.n_features, 2):,} polynomial columns (limit "
            f"{UPLOAD_MAX_COLUMNS}): pick fewer feature columns, or the MLP."
        )
    limit = upload_cv_limit(config)

    def cost(rows):
        return cv_seconds(config.model, levels, rows, config.folds, data.n_features)

    # a file with fewer training rows than the page's least is cross-validated on all of them:
    # priced on those (audit pass 56 e: a 20-row file, 14 training rows, was refused "about
    # 5.7 s even on 20 rows" for the MLP at 5 folds)
    available = len(data.y_train)
    low = min(max(UPLOAD_MIN_TRAIN, 2 * config.folds), available)
    if cost(low) > limit:
        cost_text, limit_text = _limit_text(config, cost(low))
        rows = f"even on {low} rows" if low < available else f"on its {low} training rows"
        raise ValueError(
            f"Cross-validating {len(levels)} models on {plural(data.n_features, 'feature')} "
            f"would take about {cost_text} s {rows} ({limit_text}). "
            f"{_upload_remedy(config, data.n_features, available)}"
        )
    if low == available:
        return low
    high = UPLOAD_MAX_TRAIN
    while low < high:
        mid = (low + high + 1) // 2
        if cost(mid) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def upload_seconds(
    config, n_features: int, rows: int | None = None, available: int | None = None
) -> float:
    """Estimated CPU seconds of the CV part on an upload of ``n_features`` columns: on ``rows``
    training rows, or on the fewest the page cross-validates (:func:`upload_train_rows`; all of
    a file's ``available`` training rows where it has fewer)."""
    levels = cv_levels(config, n_features)
    low = max(UPLOAD_MIN_TRAIN, 2 * config.folds)
    if available is not None:
        low = min(low, available)
    return cv_seconds(config.model, levels, low if rows is None else rows, config.folds, n_features)


def _upload_remedy(config, n_features: int, available: int | None = None) -> str:
    """The ways out of an upload refused for time that bring it within :func:`upload_cv_limit`
    alone: 'folds' at its least, 'max_degree' at its least (the polynomial model only: the slider
    sets no MLP width, audit pass 49 g), where the page's budget sets the limit the controls of
    the other parts at their least, the polynomial model, one feature column (none to drop from
    one); all of them "together" where none does alone. "Lower 'folds', or pick fewer feature
    columns" was said of the MLP at 5 folds on a 2-feature file, where even one column needs
    5.7 s (audit pass 52 c)."""
    values = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}

    def fits(features: int = n_features, **change) -> bool:
        changed = types.SimpleNamespace(**{**values, **change})
        return upload_seconds(changed, features, available=available) <= upload_cv_limit(changed)

    lowers = ["folds"] + (["max_degree"] if config.model == "polynomial" else [])
    if upload_cv_limit(config) < UPLOAD_CV_SECONDS:
        lowers += ["n_sets", "lc_max_size", "n_train", "leak_features", "leak_n"]
    lowers = [name for name in lowers if getattr(config, name) > _least(config, name)]
    alone = [f"'{name}'" for name in lowers if fits(**{name: _least(config, name)})]
    polynomial = config.model == "mlp" and fits(model="polynomial")
    fewer = n_features > 1 and fits(1)
    if alone or polynomial:
        ways = [f"lower {listing(alone, 'or')}"] if alone else []
        ways += ["pick the polynomial model"] if polynomial else []
        ways += ["pick fewer feature columns"] if fewer else []
        text = ", or ".join(ways)
        return f"{text[:1].upper()}{text[1:]}."
    if fewer:
        return "Pick fewer feature columns."
    names = [f"'{name}'" for name in lowers] + (["the feature columns"] if n_features > 1 else [])
    return f"Lower {listing(names, 'and')} together (no one of them is enough)."


def prepare_data(config: Config, data: Dataset | None = None):
    """The CV part's rows: (X, y, X_ref, y_ref, reference, name, notes).

    Without an upload: training set 0 and, as the reference, f at the quadrature nodes of
    :func:`reference_points` (``reference`` "truth"). With one: its training split (capped) and
    its test split ("holdout").
    """
    if data is None:
        x, y = training_set(config, 0)
        nodes, _ = reference_points()
        return (
            x[:, None],
            y,
            nodes[:, None],
            truth(config.truth, nodes),
            "truth",
            "training set 1",
            (),
        )
    check_data(data)
    rows = upload_train_rows(config, data)
    if len(data.y_train) < 2 * config.folds:
        # the page's own minimum, two rows per fold: nested k-fold CV itself runs on k + 2 rows
        # (each outer training part keeps k for its inner split), so "10-fold nested
        # cross-validation needs at least 20" was false of 14 rows it runs on (audit pass 47 f)
        raise ValueError(
            f"Your data has {len(data.y_train)} training rows; this page cross-validates only "
            f"with at least two rows per fold, {2 * config.folds} for {config.folds} folds. "
            "Lower 'folds'."
        )
    # why each split is cut: the time budget only where the whole training split is estimated
    # over it, else the page's caps (a 3,500-row file at degree 12 said "to keep the
    # cross-validation within its time budget" where all of it needs 1.5 s of 4, and of the test
    # split, which the cross-validation does not use; audit pass 52 c)
    # ... and the budget only where it, not the page's UPLOAD_MAX_TRAIN, sets the rows kept: a
    # 14,000-row file at 10 folds said "to keep the cross-validation within its time budget" of
    # a cut to 1,000 rows where the budget allows 3,287 (audit pass 53 g)
    over = rows < UPLOAD_MAX_TRAIN and upload_seconds(
        config, data.n_features, len(data.y_train)
    ) > upload_cv_limit(config)
    ds, notes = subsample(
        data,
        max_train=rows,
        max_test=UPLOAD_MAX_TEST,
        seed=config.seed,
        why=(
            "to keep the cross-validation within its time budget"
            if over
            else f"because this page cross-validates at most {UPLOAD_MAX_TRAIN:,} training rows"
        ),
        why_test=f"because this page scores the refitted models on at most {UPLOAD_MAX_TEST:,} "
        "test rows",
    )
    return ds.X_train, ds.y_train, ds.X_test, ds.y_test, "holdout", ds.name, tuple(notes)


def _reference_mse(pred: np.ndarray, target: np.ndarray, reference: str, sigma2: float) -> float:
    """Against f: the expected test MSE, sigma² + E (f̂(x) − f(x))² over x ~ U(−1, 1) by
    quadrature (:func:`reference_points`); against a test split: its MSE."""
    if reference == "truth":
        return float(reference_points()[1] @ (pred - target) ** 2) + sigma2
    return _mse(pred, target)


def run_cv(config: Config, data: Dataset | None = None, progress: _Progress | None = None):
    """Plain k-fold CV per level (with a refit on all rows) and nested CV around the same search."""
    from sklearn.model_selection import KFold

    progress = progress or _Progress(config)
    X, y, X_ref, y_ref, reference, name, notes = prepare_data(config, data)
    levels = cv_levels(config, X.shape[1])
    k = config.folds
    outer = list(KFold(k, shuffle=True, random_state=config.seed).split(X))
    inner_cv = KFold(k, shuffle=True, random_state=config.seed + 1)
    inner = [[(tr[a], tr[b]) for a, b in inner_cv.split(tr)] for tr, _te in outer]
    sigma2 = config.noise**2 if reference == "truth" else 0.0
    fold_rows, rows, inner_means = [], [], {}
    poly = config.model == "polynomial"
    progress.start("cv", "Cross-validation", len(levels) * (1 if poly else k + 1 + k * k) + k)
    for level in levels:
        # Polynomial features are per row: the whole table is expanded once per degree.
        F, F_ref = (models.expand(X, level), models.expand(X_ref, level)) if poly else (X, X_ref)
        jobs = [(F[tr], y[tr], [F[te]]) for tr, te in outer] + [(F, y, [F_ref])]
        jobs += [(F[a], y[a], [F[b]]) for folds in inner for a, b in folds]
        preds = fit_predict(
            config.model,
            level,
            jobs,
            seed=_seed(config, 4, level),
            tick=progress.tick,
            expanded=poly,
        )
        if poly:
            progress.tick()
        scores = np.array([_mse(p[0], y[te]) for p, (_tr, te) in zip(preds, outer, strict=False)])
        label = level_label(config.model, level)
        fold_rows += [
            {"level": level, "label": label, "fold": i, "mse": float(s)}
            for i, s in enumerate(scores)
        ]
        rows.append(
            {
                "level": level,
                "label": label,
                "n_params": n_params(config.model, level, X.shape[1]),
                "mean": float(scores.mean()),
                "sd": float(scores.std(ddof=1)),
                "se": _se(scores),
                "reference_mse": _reference_mse(preds[k][0], y_ref, reference, sigma2),
            }
        )
        inner_scores = [
            _mse(p[0], y[b]) for p, (_a, b) in zip(preds[k + 1 :], _flat(inner), strict=True)
        ]
        inner_means[level] = np.array(inner_scores).reshape(k, k).mean(axis=1)
    # Nested: each outer fold's inner search picks the level with the lowest inner mean (the
    # first, so the simplest, among ties, as GridSearchCV does), refits it on the outer training
    # part and scores it on the outer fold.
    table = np.stack([inner_means[level] for level in levels], axis=1)  # (k, levels)
    chosen = [levels[int(np.argmin(row))] for row in table]
    nested_rows = []
    for i, ((tr, te), level) in enumerate(zip(outer, chosen, strict=True)):
        F = models.expand(X, level) if poly else X
        (pred,) = fit_predict(
            config.model, level, [(F[tr], y[tr], [F[te]])], seed=_seed(config, 5, i), expanded=poly
        )[0]
        progress.tick()
        nested_rows.append(
            {
                "fold": i,
                "level": level,
                "label": level_label(config.model, level),
                "inner_mse": float(table[i].min()),
                "mse": _mse(pred, y[te]),
            }
        )
    info = {
        "cv_data": name,
        "cv_rows": len(y),
        "cv_features": X.shape[1],
        "reference": reference,
        "reference_rows": len(y_ref),  # a test split's rows, or the quadrature's nodes
        "cv_levels": levels,
    }
    return pd.DataFrame(fold_rows), pd.DataFrame(rows), pd.DataFrame(nested_rows), info, notes


def _flat(inner):
    return [pair for folds in inner for pair in folds]


def one_se_choice(cv: pd.DataFrame) -> dict:
    """The one-standard-error rule: the simplest level whose mean is within one SE of the best.

    Returns best (the level of the lowest mean, the simplest among ties), best_mean, best_se,
    threshold (best_mean + best_se) and choice (the simplest level with mean <= threshold).
    """
    # round-off relative to the errors: at noise 0 the MSEs are about 1e-10, and an absolute
    # 1e-12 would be a tenth of an SE, not round-off (it put a level 1.13 SE above in the list)
    tie = ROUND_OFF * float(np.abs(cv["mean"]).max())
    rule = one_standard_error(cv["mean"], cv["se"], tie=tie)
    best = cv.iloc[rule.best]
    within = cv[cv["mean"] <= rule.bar + tie]
    return {
        "best": int(best["level"]),
        "best_mean": float(best["mean"]),
        "best_se": float(best["se"]),
        "threshold": rule.bar,
        "choice": int(cv["level"].iloc[rule.choice]),
        "within": [int(v) for v in within["level"]],
    }


# ---- leakage --------------------------------------------------------------------------------------


def run_leak(config: Config, progress: _Progress | None = None) -> pd.DataFrame:
    """CV accuracy on pure noise with features selected on all rows (leaky) or inside each fold."""
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline

    progress = progress or _Progress(config)
    progress.start("leak", "Leakage on pure noise")
    X, y = leak_data(config)
    cv = StratifiedKFold(config.folds, shuffle=True, random_state=config.seed)
    selected = SelectKBest(f_classif, k=config.leak_k).fit_transform(X, y)
    leaky = cross_val_score(
        LogisticRegression(solver="liblinear"), selected, y, cv=cv, scoring="accuracy"
    )
    honest_model = make_pipeline(
        SelectKBest(f_classif, k=config.leak_k), LogisticRegression(solver="liblinear")
    )
    honest = cross_val_score(honest_model, X, y, cv=cv, scoring="accuracy")
    progress.tick()
    return pd.DataFrame(
        [
            {"pipeline": name, "fold": i, "accuracy": float(a)}
            for name, scores in (("leaky", leaky), ("honest", honest))
            for i, a in enumerate(scores)
        ]
    )


# ---- the run ----------------------------------------------------------------------------------------


def run(config: Config, data: Dataset | None = None) -> Result:
    """Every part: the sweep and decomposition, the learning curves, CV and nested CV, the leak.

    ``data`` (an uploaded regression set) replaces the CV part's rows; the sweep, the learning
    curves (they need the true function) and the leak (it needs pure noise) keep their own.
    """
    progress = _Progress(config)
    sweep, sets, fits, points, truth_curve, test = run_sweep(config, progress)
    curves, curve_sets = run_curves(config, sweep, test, progress)
    cv_folds, cv, nested, cv_info, notes = run_cv(config, data, progress)
    leak = run_leak(config, progress)
    best = int(sweep.loc[sweep["val_mse"].idxmin(), "level"])
    info = {
        "model": config.model,
        "level_name": level_name(config.model),
        "levels": levels_of(config),
        "best_level": best,
        "curve_levels": curve_levels(config, sweep),
        "sizes": lc_sizes(config),
        "sigma2": config.noise**2,
        "null_mse": float(test[1].var() + config.noise**2),
        "n_test": TEST_POINTS,
        "truth": TRUTH_FORMULAS[config.truth],
        "chance": CHANCE,
        **cv_info,
        **{f"one_se_{k}": v for k, v in one_se_choice(cv).items()},
    }
    report(1.0, "Done")
    return Result(
        sweep=sweep,
        sets=sets,
        fits=fits,
        points=points,
        truth_curve=truth_curve,
        curves=curves,
        curve_sets=curve_sets,
        cv_folds=cv_folds,
        cv=cv,
        nested=nested,
        leak=leak,
        info=info,
        notes=notes,
    )
