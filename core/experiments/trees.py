"""Why gradient boosting uses shallower trees than a random forest: depth sweeps, staged errors, bias and variance."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from core import ensembles as ens
from core.data import Dataset, boundary_note, load_bundled, make_classification_2d, subsample
from core.experiments.budget import check_budget
from core.validation import check_choice, check_int, check_number

DATASETS = ("moons", "circles", "xor", "spiral", "breast_cancer")
DEPTHS = (1, 2, 3, 4, 6, 8, 12, ens.UNLIMITED)
BOUNDARY_DEPTHS = (1, 3, 8, ens.UNLIMITED)
BOUNDARY_MODELS = ("random_forest", "gradient_boosting")
BV_DEPTHS = (1, 2, 3, 4, 6, 8, ens.UNLIMITED)
BV_MODELS = ("single_tree", "random_forest", "gradient_boosting")
N_ESTIMATORS = (25, 50, 100, 200)
# Measures of the staged curves: the misclassification rate and the log loss of the probabilities.
METRICS = ("error", "log_loss")
# The forests of the bias-variance experiment: more trees only shrink the (1 - rho) sigma^2 / T part
# of a forest's variance, already small at 25, and a forest's fit time is mostly per-tree overhead.
BV_FOREST_TREES = 25
BV_TEST_POINTS = 400
GRID_SIZE = 32  # boundary grid per panel: 32 x 32 cells, x 4 depths = 4,096 rows per chart
MAX_POINTS_SHOWN = 200
# CPU seconds of one run on this 2-core machine, fitted to bench/trees_sweep.py-style runs. Sweep:
# one forest of T trees grown out and cut at every depth, small timing forests, and boosting at
# every depth; per unit of T, a forest tree (mostly per-tree overhead) and len(DEPTHS) boosting
# rounds (which grow with the rows). Bias-variance, per training set: boosting at each depth and one
# forest of BV_FOREST_TREES cut at each depth. The Config refuses settings whose total estimate
# passes the shared work budget.
SWEEP_SECONDS_BASE = 0.25
SWEEP_SECONDS_PER_TREE = 2e-3
SWEEP_SECONDS_PER_TREE_PER_1000_ROWS = 7.8e-3
HIST_GRADIENT_BOOSTING_SECONDS_PER_TREE = 3e-3  # per round and depth
BV_SECONDS_PER_BOOSTED_TREE_PER_200_ROWS = 1.5e-4
BV_SECONDS_PER_SET = 0.05
BV_SECONDS_PER_SET_PER_200_ROWS = 0.02
UPLOAD_SWEEP_SECONDS = 5.0
# Uploaded data: the training split is capped (a seeded, stratified sample) to the most rows whose
# estimated sweep fits UPLOAD_SWEEP_SECONDS, at most the 2-D sets' largest split; the test split, which
# every staged curve predicts once per model, to the 2-D sets' largest too. The per-row cost was
# fitted on 2 features: on noisy 30-feature uploads it was ~sqrt(d / 2) times larger (histograms and
# split searches scan every feature, and noise grows big trees), and LightGBM grows one tree per
# class and round for k > 2 classes (measured with bench-style runs on a generated 20,000 x 30 CSV).
# Those runs still took ~1.5x their estimate, hence the margin in UPLOAD_SWEEP_SECONDS.
UPLOAD_MAX_TRAIN, UPLOAD_MIN_TRAIN, UPLOAD_MAX_TEST = 1400, 100, 600
# The sidebar controls that drive each experiment's cost, most effective first.
SWEEP_CONTROLS = ("Trees per ensemble T", "Points (2-D sets)")
BV_CONTROLS = ("Training sets drawn", "Trees per ensemble T", "Points per training set")

_SWEEP_FIELDS = (
    "dataset",
    "n_samples",
    "noise",
    "n_estimators",
    "learning_rate",
    "cross_check",
    "seed",
)
_BV_FIELDS = ("bv_noise", "bv_train_sets", "bv_train_size", "n_estimators", "learning_rate", "seed")


@dataclass(frozen=True)
class Config:
    """Everything one run of the trees lesson depends on.

    The depth sweep fits gradient boosting (LightGBM, with ``num_leaves = min(2^depth, 1024)``)
    at each depth in ``DEPTHS`` and reads a random forest (scikit-learn) at each depth off one
    forest grown out (``core.ensembles.ForestCuts``), on a 2-D synthetic set or the breast cancer
    set; ``cross_check`` adds scikit-learn's HistGradientBoosting. The bias-variance
    experiment draws ``bv_train_sets`` training sets of ``bv_train_size`` points from Friedman #1
    with noise ``bv_noise``. ``shallow_depth`` and ``deep_depth`` pick the two settings whose
    error is drawn against the number of trees (-1 = unlimited).
    """

    dataset: str = "moons"
    n_samples: int = 1000
    noise: float = 0.3
    n_estimators: int = 100
    learning_rate: float = 0.1
    shallow_depth: int = 2
    deep_depth: int = ens.UNLIMITED
    cross_check: bool = False
    bv_noise: float = 1.0
    bv_train_sets: int = 4
    bv_train_size: int = 200
    seed: int = 0

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "dataset", check_choice("dataset", self.dataset, DATASETS))
        set_(self, "n_samples", check_int("n_samples", self.n_samples, 200, 2000))
        set_(self, "noise", check_number("noise", self.noise, 0.0, 1.0))
        set_(self, "n_estimators", check_int("n_estimators", self.n_estimators, 1, 400))
        set_(self, "learning_rate", check_number("learning_rate", self.learning_rate, 0.01, 1.0))
        for name in ("shallow_depth", "deep_depth"):
            value = getattr(self, name)
            if value is None:
                value = ens.UNLIMITED
            if isinstance(value, bool) or value not in DEPTHS:
                raise ValueError(
                    f"'{name}' must be one of {', '.join(map(str, DEPTHS))} (-1 = unlimited); "
                    f"got {value!r}."
                )
            set_(self, name, int(value))
        if DEPTHS.index(self.shallow_depth) >= DEPTHS.index(self.deep_depth):
            raise ValueError(
                f"'shallow_depth' ({ens.depth_label(self.shallow_depth)}) must be shallower than "
                f"'deep_depth' ({ens.depth_label(self.deep_depth)}). Lower the shallow setting "
                "or raise the deep one."
            )
        if not isinstance(self.cross_check, (bool, np.bool_)):
            raise ValueError(f"'cross_check' must be True or False; got {self.cross_check!r}.")
        set_(self, "cross_check", bool(self.cross_check))
        set_(self, "bv_noise", check_number("bv_noise", self.bv_noise, 0.0, 3.0))
        set_(self, "bv_train_sets", check_int("bv_train_sets", self.bv_train_sets, 3, 8))
        set_(self, "bv_train_size", check_int("bv_train_size", self.bv_train_size, 100, 300))
        set_(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1))
        # The controls of whichever experiment costs more come first: lowering them helps most.
        sweep, bv = sweep_seconds(self), bias_variance_seconds(self)
        first, second = (
            (SWEEP_CONTROLS, BV_CONTROLS) if sweep >= bv else (BV_CONTROLS, SWEEP_CONTROLS)
        )
        check_budget(
            sweep + bv,
            tuple(dict.fromkeys((*first, *second))),
            what="The depth sweep and the bias-variance experiment",
            also=", or turn the cross-check off" if sweep >= bv and self.cross_check else "",
        )

    @property
    def sweep_key(self) -> tuple:
        """The fields the depth sweep depends on (a cache key that ignores the other controls)."""
        key = {name: getattr(self, name) for name in _SWEEP_FIELDS}
        if self.dataset == "breast_cancer":  # a fixed set: its size and noise are not controls
            key.update(n_samples=None, noise=None)
        return tuple(key.values())

    @property
    def bias_variance_key(self) -> tuple:
        """The fields the bias-variance experiment depends on."""
        return tuple(getattr(self, name) for name in _BV_FIELDS)


def _n_train(config: Config) -> int:
    n = 569 if config.dataset == "breast_cancer" else config.n_samples
    return round(0.7 * n)


def sweep_seconds(config: Config) -> float:
    """Estimated CPU seconds of the depth sweep (``run_sweep``) on this machine."""
    per_tree = (
        SWEEP_SECONDS_PER_TREE + SWEEP_SECONDS_PER_TREE_PER_1000_ROWS * _n_train(config) / 1000
    )
    if config.cross_check:
        per_tree += len(DEPTHS) * HIST_GRADIENT_BOOSTING_SECONDS_PER_TREE
    return SWEEP_SECONDS_BASE + config.n_estimators * per_tree


def bias_variance_seconds(config: Config) -> float:
    """Estimated CPU seconds of the bias-variance experiment (``run_bias_variance``)."""
    rows = config.bv_train_size / 200
    per_set = (
        len(BV_DEPTHS) * config.n_estimators * BV_SECONDS_PER_BOOSTED_TREE_PER_200_ROWS * rows
        + BV_SECONDS_PER_SET
        + BV_SECONDS_PER_SET_PER_200_ROWS * rows
    )
    return per_set * config.bv_train_sets


def estimated_seconds(config: Config) -> float:
    """Estimated CPU seconds of ``run(config)``: the depth sweep plus the bias-variance experiment."""
    return sweep_seconds(config) + bias_variance_seconds(config)


@dataclass(frozen=True)
class SweepResult:
    """The depth sweep on the chosen classification set.

    Attributes
    ----------
    summary : DataFrame
        model, max_depth (-1 = unlimited), depth (label), n_trees, train_error, test_error,
        train_log_loss, test_log_loss, fit_seconds, mean_leaves.
    staged : DataFrame
        model, max_depth, depth, n_trees and the same four measures after 1..T trees.
    best : DataFrame
        model, max_depth, depth, test_error, train_error: the shallowest depth with the lowest test
        error, per model.
    rounds : DataFrame
        model, max_depth, depth, metric ("error" or "log_loss"), best_n_trees, best_value: the
        fewest trees at which each (model, depth) reaches its lowest test error or log loss.
    boundaries : DataFrame
        model, max_depth, depth, x1, x2, p: P(class 1) on a GRID_SIZE^2 grid (2-D sets only).
    points : DataFrame
        x1, x2, label: a sample of the training points (2-D sets only).
    info : dict
        dataset, n_train, n_test, n_features, n_classes, error_name, and boundaries_note (why
        the boundaries are missing, or None).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty for the bundled sets.
    """

    summary: pd.DataFrame
    staged: pd.DataFrame
    best: pd.DataFrame
    rounds: pd.DataFrame
    boundaries: pd.DataFrame
    points: pd.DataFrame
    info: dict
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """Both experiments in one flat record (the fields of SweepResult, plus ``bias_variance``).

    ``bias_variance`` has model, max_depth, depth, bias_sq, variance, noise, expected_mse,
    measured_mse, measured_se (see ``core.ensembles.bias_variance``).
    """

    summary: pd.DataFrame
    staged: pd.DataFrame
    best: pd.DataFrame
    rounds: pd.DataFrame
    boundaries: pd.DataFrame
    points: pd.DataFrame
    bias_variance: pd.DataFrame
    info: dict
    notes: tuple[str, ...] = ()

    @classmethod
    def from_parts(cls, sweep: SweepResult, bias_variance: pd.DataFrame) -> Result:
        """Join a sweep and a bias-variance table run separately (as the page does)."""
        parts = {f.name: getattr(sweep, f.name) for f in fields(SweepResult)}
        return cls(**parts, bias_variance=bias_variance)


def load_data(config: Config):
    """The chosen dataset, split 70/30 (stratified, seeded)."""
    if config.dataset == "breast_cancer":
        return load_bundled("breast_cancer", seed=config.seed)
    return make_classification_2d(
        config.dataset, n_samples=config.n_samples, noise=config.noise, seed=config.seed
    )


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't use, with a message that says what to change."""
    if data.task != "classification":
        raise ValueError(
            "The depth sweep fits classifiers; pick a class-label target (the bias-variance part "
            "always uses its own regression problem)."
        )


def upload_sweep_seconds(config: Config, n_train: int, n_features: int, n_classes: int) -> float:
    """:func:`estimated_seconds`'s sweep part for ``n_train`` uploaded rows (see UPLOAD_MAX_TRAIN)."""
    rows = (
        SWEEP_SECONDS_PER_TREE_PER_1000_ROWS * n_train / 1000 * max(1.0, math.sqrt(n_features / 2))
    )
    boosted = n_classes if n_classes > 2 else 1
    # the per-row cost is mostly boosting's, which grows one tree per class and round
    per_tree = SWEEP_SECONDS_PER_TREE + rows * boosted
    if config.cross_check:
        per_tree += len(DEPTHS) * HIST_GRADIENT_BOOSTING_SECONDS_PER_TREE * boosted
    return SWEEP_SECONDS_BASE + config.n_estimators * per_tree


def upload_train_rows(config: Config, data: Dataset) -> int:
    """The most training rows of ``data`` whose estimated sweep fits UPLOAD_SWEEP_SECONDS.

    Raises ValueError when even UPLOAD_MIN_TRAIN rows would not fit (too many trees for the
    upload's features and classes).
    """

    def cost(n):
        return upload_sweep_seconds(config, n, data.n_features, data.n_classes)

    if cost(UPLOAD_MIN_TRAIN) > UPLOAD_SWEEP_SECONDS:
        raise ValueError(
            f"With {data.n_features} features and {data.n_classes} classes, the depth sweep "
            f"would take about {cost(UPLOAD_MIN_TRAIN):.1f} s even on {UPLOAD_MIN_TRAIN} rows "
            f"(limit {UPLOAD_SWEEP_SECONDS:g} s). Lower 'Trees per ensemble' or turn off the "
            "cross-check."
        )
    low, high = UPLOAD_MIN_TRAIN, UPLOAD_MAX_TRAIN
    while low < high:
        mid = (low + high + 1) // 2
        if cost(mid) <= UPLOAD_SWEEP_SECONDS:
            low = mid
        else:
            high = mid - 1
    return low


def prepare_data(config: Config, data: Dataset | None = None) -> tuple[Dataset, tuple[str, ...]]:
    """The sweep's dataset and notes about it: the Config's set, or ``data`` (checked and capped)."""
    if data is None:
        return load_data(config), ()
    check_data(data)
    ds, notes = subsample(
        data,
        max_train=upload_train_rows(config, data),
        max_test=UPLOAD_MAX_TEST,
        seed=config.seed,
    )
    return ds, tuple(notes)


def _best_depths(summary: pd.DataFrame) -> pd.DataFrame:
    """Per model, the shallowest depth whose test error is the lowest (unlimited counts as deepest)."""
    order = summary.assign(_rank=summary["max_depth"].replace(ens.UNLIMITED, 10**6))
    order = order.sort_values(["model", "test_error", "_rank"], kind="stable")
    best = order.groupby("model", sort=False).head(1)
    cols = ["model", "max_depth", "depth", "test_error", "train_error"]
    return best[cols].reset_index(drop=True)


def _best_rounds(staged: pd.DataFrame) -> pd.DataFrame:
    """Per (model, depth, metric): the fewest trees at which the test metric is lowest."""
    rows = []
    for (model, depth), part in staged.groupby(["model", "max_depth"], sort=False):
        for metric in METRICS:
            values = part[f"test_{metric}"].to_numpy()
            i = int(np.argmin(values))  # the first (fewest trees) among ties
            rows.append(
                {
                    "model": model,
                    "max_depth": depth,
                    "depth": part["depth"].iloc[0],
                    "metric": metric,
                    "best_n_trees": int(part["n_trees"].iloc[i]),
                    "best_value": float(values[i]),
                }
            )
    return pd.DataFrame(rows)


def _boundaries(models: dict, X: np.ndarray) -> pd.DataFrame:
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (high - low)
    g1 = np.linspace(low[0] - pad[0], high[0] + pad[0], GRID_SIZE)
    g2 = np.linspace(low[1] - pad[1], high[1] + pad[1], GRID_SIZE)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(g1, g2)])
    frames = []
    for name in BOUNDARY_MODELS:
        for depth in BOUNDARY_DEPTHS:
            model = models[(name, depth)]
            p = model.predict_proba(grid)[:, 1]
            frames.append(
                pd.DataFrame(
                    {
                        "model": name,
                        "max_depth": depth,
                        "depth": ens.depth_label(depth),
                        "x1": grid[:, 0],
                        "x2": grid[:, 1],
                        "p": p,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def run_sweep(
    config: Config, progress: ens.Progress | None = None, data: Dataset | None = None
) -> SweepResult:
    """Fit both ensembles at every depth; staged errors, best depths, decision boundaries.

    ``progress(fraction, message)`` (optional, not part of the config) reports each fit.
    ``data`` (an uploaded classification set, see :func:`prepare_data`) replaces the set the
    config names (then its dataset, n_samples and noise are unused).
    """
    data, notes = prepare_data(config, data)
    models = (*ens.ENSEMBLES, "hist_gradient_boosting") if config.cross_check else ens.ENSEMBLES
    sweep = ens.sweep_depths(
        data.X_train,
        data.y_train,
        data.X_test,
        data.y_test,
        depths=DEPTHS,
        models=models,
        n_estimators=config.n_estimators,
        learning_rate=config.learning_rate,
        seed=config.seed,
        keep_models=True,
        progress=progress,
        forest="cut",
    )
    hidden = boundary_note(data)
    if hidden is None:
        boundaries = _boundaries(sweep.models, data.X_train)
        rng = np.random.default_rng(config.seed)
        keep = rng.permutation(len(data.y_train))[:MAX_POINTS_SHOWN]
        points = pd.DataFrame(
            {
                "x1": data.X_train[keep, 0],
                "x2": data.X_train[keep, 1],
                "label": data.y_train[keep].astype(int),
            }
        )
    else:
        boundaries = pd.DataFrame(columns=["model", "max_depth", "depth", "x1", "x2", "p"])
        points = pd.DataFrame(columns=["x1", "x2", "label"])
    return SweepResult(
        summary=sweep.summary,
        staged=sweep.staged,
        best=_best_depths(sweep.summary),
        rounds=_best_rounds(sweep.staged),
        boundaries=boundaries,
        points=points,
        info={
            "dataset": data.name,
            "n_train": len(data.y_train),
            "n_test": len(data.y_test),
            "n_features": data.n_features,
            "n_classes": data.n_classes,
            "error_name": "misclassification rate",
            "boundaries_note": hidden,
        },
        notes=notes,
    )


def run_bias_variance(config: Config, progress: ens.Progress | None = None) -> pd.DataFrame:
    """Squared bias, variance and noise by depth for a tree, a forest and boosting on Friedman #1."""
    return ens.bias_variance(
        depths=BV_DEPTHS,
        models=BV_MODELS,
        n_train_sets=config.bv_train_sets,
        n_train=config.bv_train_size,
        n_test=BV_TEST_POINTS,
        noise=config.bv_noise,
        n_estimators=config.n_estimators,
        forest_trees=min(BV_FOREST_TREES, config.n_estimators),
        learning_rate=config.learning_rate,
        seed=config.seed,
        progress=progress,
    )


def run(
    config: Config, progress: ens.Progress | None = None, data: Dataset | None = None
) -> Result:
    """Both experiments; ``progress`` sees the sweep as 0-60 % and the bias-variance part as the rest.

    ``data`` (uploaded) replaces the sweep's dataset; the bias-variance part keeps Friedman #1,
    whose true function it needs.
    """

    def part(start: float, width: float):
        if progress is None:
            return None
        return lambda fraction, message: progress(start + width * fraction, message)

    sweep = run_sweep(config, part(0.0, 0.6), data)
    return Result.from_parts(sweep, run_bias_variance(config, part(0.6, 0.4)))
