"""Random forests average deep trees, gradient boosting adds shallow ones: fits, staged errors, bias and variance."""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, softmax
from threadpoolctl import threadpool_limits

from core.decomposition import decompose
from core.ensembles_cuts import (
    FOREST_N_JOBS,
    LEAF_CAP,
    MIN_CHILD_SAMPLES,
    N_THREADS_PER_FIT,
    REGRESSION_MAX_FEATURES,
    TASKS,
    UNLIMITED,
    CutForest,
    EarlyStopped,
    ForestCuts,
    _check_task,
    check_depth,
    cut_tree_predictions,
    fit_early_stopped,
    lightgbm_params,
    lightgbm_predictions,
    num_leaves_for_depth,
    split_validation,
    validation_count,
)
from core.progress import report

# Includes the depth limits, settings and cut machinery of core.ensembles_cuts: users import them here.
__all__ = [
    "ENSEMBLES",
    "FOREST_N_JOBS",
    "FOREST_TIMING_TREES",
    "LEAF_CAP",
    "LOG_LOSS_EPS",
    "MIN_CHILD_SAMPLES",
    "MODELS",
    "N_THREADS_PER_FIT",
    "REGRESSION_MAX_FEATURES",
    "STAGED_CHECKPOINTS",
    "TASKS",
    "UNLIMITED",
    "CutForest",
    "DepthSweep",
    "EarlyStopped",
    "ForestCuts",
    "Progress",
    "bias_variance",
    "check_depth",
    "checkpoints",
    "cut_tree_predictions",
    "depth_label",
    "depth_sweep",
    "fit_early_stopped",
    "friedman1",
    "lightgbm_params",
    "lightgbm_predictions",
    "log_losses",
    "make_model",
    "num_leaves_for_depth",
    "prediction_errors",
    "split_validation",
    "staged_outputs",
    "staged_predictions",
    "sweep_depths",
    "validation_count",
]

MODELS = ("single_tree", "random_forest", "gradient_boosting", "hist_gradient_boosting")
ENSEMBLES = ("random_forest", "gradient_boosting")
# Trees per forest when timing a forest at a depth it was not fitted at (sweep_depths(forest="cut")).
FOREST_TIMING_TREES = 5
LOG_LOSS_EPS = 1e-15
# Staged curves are measured at most this many tree counts (spread evenly on a log and a linear
# scale, see checkpoints), plus the round early stopping keeps: not after every round.
STAGED_CHECKPOINTS = 60

Progress = Callable[[float, str], None]


def depth_label(max_depth) -> str:
    """'unlimited' for -1 / None, else the depth as text."""
    depth = check_depth(max_depth)
    return "unlimited" if depth == UNLIMITED else str(depth)


def make_model(
    name: str,
    *,
    max_depth,
    task: str = "classification",
    n_estimators: int = 100,
    learning_rate: float = 0.1,
    seed: int = 0,
):
    """An unfitted estimator with scikit-learn's API.

    Parameters
    ----------
    name : {"single_tree", "random_forest", "gradient_boosting", "hist_gradient_boosting"}
        ``gradient_boosting`` is LightGBM with ``num_leaves = num_leaves_for_depth(max_depth)``;
        ``random_forest`` considers sqrt(p) features per split for classification and p/3 for
        regression (``REGRESSION_MAX_FEATURES``; scikit-learn's 1.0 would be plain bagging);
        ``hist_gradient_boosting`` is scikit-learn's histogram boosting with the same limits.
    max_depth : int, None or -1
        Deepest root-to-leaf path (edges); None or -1 for no limit.
    task : {"classification", "regression"}
    n_estimators : int
        Trees in the ensemble (boosting rounds); ignored for ``single_tree``.
    learning_rate : float
        Shrinkage of each boosted tree; ignored by the tree and the forest.
    seed : int
    """
    import lightgbm as lgb
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    depth = check_depth(max_depth)
    sk_depth = None if depth == UNLIMITED else depth
    classify = _check_task(task) == "classification"
    if name == "single_tree":
        cls = DecisionTreeClassifier if classify else DecisionTreeRegressor
        return cls(max_depth=sk_depth, random_state=seed)
    if name == "random_forest":
        if classify:  # max_features="sqrt", scikit-learn's default for classification
            return RandomForestClassifier(
                n_estimators=n_estimators,
                max_depth=sk_depth,
                n_jobs=FOREST_N_JOBS,
                random_state=seed,
            )
        return RandomForestRegressor(
            n_estimators=n_estimators,
            max_depth=sk_depth,
            max_features=REGRESSION_MAX_FEATURES,
            n_jobs=FOREST_N_JOBS,
            random_state=seed,
        )
    if name == "gradient_boosting":
        cls = lgb.LGBMClassifier if classify else lgb.LGBMRegressor
        return cls(
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            max_depth=depth,
            num_leaves=num_leaves_for_depth(depth),
            min_child_samples=MIN_CHILD_SAMPLES,
            n_jobs=N_THREADS_PER_FIT,
            deterministic=True,
            force_row_wise=True,
            random_state=seed,
            verbose=-1,
        )
    if name == "hist_gradient_boosting":
        cls = HistGradientBoostingClassifier if classify else HistGradientBoostingRegressor
        return cls(
            max_iter=n_estimators,
            learning_rate=learning_rate,
            max_depth=sk_depth,
            max_leaf_nodes=num_leaves_for_depth(depth),
            min_samples_leaf=MIN_CHILD_SAMPLES,
            early_stopping=False,
            random_state=seed,
        )
    raise ValueError(f"'model' must be one of {', '.join(map(repr, MODELS))}; got {name!r}.")


# Forests grow this many trees at a time, with a progress tick in between (the app may cancel).
FOREST_STEP = 20


def fit_model(model, X, y):
    """``model.fit(X, y)``; a random forest grows FOREST_STEP trees at a time with warm_start and a
    ``core.progress.report`` between steps. scikit-learn skips the seeds of the trees already
    grown, so the forest is the one a single fit grows (tested)."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    if not isinstance(model, (RandomForestClassifier, RandomForestRegressor)):
        return model.fit(X, y)
    total = model.n_estimators
    model.set_params(warm_start=True)
    for grown in range(min(FOREST_STEP, total), total + FOREST_STEP, FOREST_STEP):
        model.set_params(n_estimators=min(grown, total))
        model.fit(X, y)
        report(None)
        if grown >= total:
            break
    return model.set_params(warm_start=False)


def _lightgbm_scores(model, X: np.ndarray, n_rounds: int) -> np.ndarray:
    """Raw scores after 1..T rounds, shape (T, n, K): every tree's leaf output, summed cumulatively.

    The first tree's leaves include LightGBM's starting score (the mean or log-odds), so the running
    sum after k trees equals ``booster.predict(X, raw_score=True, num_iteration=k)``.
    """
    booster = model.booster_
    per_round = booster.num_model_per_iteration()
    leaves = booster.predict(
        X, pred_leaf=True, num_iteration=-1, num_threads=N_THREADS_PER_FIT
    ).reshape(len(X), -1)
    values = _lightgbm_leaf_values(booster)
    n_trees = len(values)
    outputs = np.zeros((n_trees, max(len(v) for v in values)))
    for tree, value in enumerate(values):
        outputs[tree, : len(value)] = value
    contributions = outputs[np.arange(n_trees), leaves]  # (n, trees)
    scores = np.cumsum(contributions.reshape(len(X), -1, per_round), axis=1).transpose(1, 0, 2)
    return _pad_rounds(scores, n_rounds)


def _lightgbm_leaf_values(booster) -> list[np.ndarray]:
    """Every tree's leaf outputs, read from the model's text form in one call.

    LightGBM writes each double with 17 significant digits, so the values are exact; asking for
    them leaf by leaf (``get_leaf_output``) costs one foreign call per leaf.
    """
    rounds = booster.current_iteration()
    cached = _LEAF_VALUES.get(booster)
    if cached is None or cached[0] != rounds:  # the staged scores and the leaf count both ask
        values = [
            np.array(line[11:].split(), dtype=np.float64)
            for line in booster.model_to_string(num_iteration=-1).splitlines()
            if line.startswith("leaf_value=")
        ]
        cached = _LEAF_VALUES[booster] = (rounds, values)
    return cached[1]


_LEAF_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _pad_rounds(scores: np.ndarray, n_rounds: int) -> np.ndarray:
    # Boosting stops early when no leaf can be split any more; later rounds predict the same.
    if len(scores) < n_rounds:
        tail = np.repeat(scores[-1:], n_rounds - len(scores), axis=0)
        scores = np.concatenate([scores, tail])
    return scores


def staged_outputs(model, X: np.ndarray, *, task: str = "classification") -> np.ndarray:
    """What a fitted ensemble outputs after 1, 2, ..., T trees.

    Classification: class probabilities, shape (T, n, K); regression: predictions, shape (T, n).
    A forest's output after t trees is the mean of its first t trees (scikit-learn averages class
    probabilities); boosting's is the link function of the running sum of its trees' scores,
    p = sigmoid(F) for two classes and softmax(F) for more. Each tree predicts once. A single tree
    gives T = 1.
    """
    import lightgbm as lgb
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )

    classify = _check_task(task) == "classification"
    X = np.asarray(X, dtype=np.float64)
    if isinstance(model, CutForest):
        return model.staged(X)
    if isinstance(model, (RandomForestClassifier, RandomForestRegressor)):
        X32 = np.ascontiguousarray(X, dtype=np.float32)  # what the forest itself passes its trees
        if classify:
            per_tree = np.stack(
                [t.predict_proba(X32, check_input=False) for t in model.estimators_]
            )
        else:
            per_tree = np.stack([t.predict(X32, check_input=False) for t in model.estimators_])
        counts = np.arange(1, len(per_tree) + 1).reshape(-1, *([1] * (per_tree.ndim - 1)))
        return np.cumsum(per_tree, axis=0) / counts
    if isinstance(model, (lgb.LGBMClassifier, lgb.LGBMRegressor, EarlyStopped)):
        scores = _lightgbm_scores(model, X, model.n_estimators)
        if not classify:
            return scores[:, :, 0]
        if scores.shape[2] == 1:
            p1 = expit(scores[:, :, 0])
            return np.stack([1.0 - p1, p1], axis=2)
        return softmax(scores, axis=2)
    if isinstance(model, HistGradientBoostingClassifier):
        return _pad_rounds(np.stack(list(model.staged_predict_proba(X))), model.max_iter)
    if isinstance(model, HistGradientBoostingRegressor):
        return _pad_rounds(np.stack(list(model.staged_predict(X))), model.max_iter)
    if classify:
        return model.predict_proba(X)[None, :, :]
    return model.predict(X)[None, :]


def staged_predictions(model, X: np.ndarray, *, task: str = "classification") -> np.ndarray:
    """Predicted labels (classification) or values (regression) after 1..T trees, shape (T, n).

    A label is the class of highest probability (the first one on a tie, as scikit-learn and
    LightGBM's p > 0.5 rule do).
    """
    outputs = staged_outputs(model, X, task=task)
    if task == "regression":
        return outputs
    return model.classes_[np.argmax(outputs, axis=2)]


def prediction_errors(predictions: np.ndarray, y: np.ndarray, *, task: str) -> np.ndarray:
    """Error of each row of ``predictions`` (shape (T, n)): misclassification rate or mean squared error."""
    if _check_task(task) == "classification":
        return np.mean(predictions != np.asarray(y)[None, :], axis=1)
    return np.mean((predictions - np.asarray(y, dtype=np.float64)[None, :]) ** 2, axis=1)


def log_losses(proba: np.ndarray, y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Mean log loss -(1/n) sum_i log p_i[y_i] of each stage of ``proba`` (shape (T, n, K)).

    Probabilities are clipped to [1e-15, 1] first, as scikit-learn's log_loss used to do, so a
    fully grown tree's 0 for the true class costs -log(1e-15) = 34.5 instead of infinity.
    """
    index = np.searchsorted(classes, np.asarray(y))
    p_true = np.take_along_axis(proba, index[None, :, None], axis=2)[:, :, 0]
    return -np.mean(np.log(np.clip(p_true, LOG_LOSS_EPS, 1.0)), axis=1)


def checkpoints(n_trees: int, *, most: int = STAGED_CHECKPOINTS) -> np.ndarray:
    """At most ``most`` tree counts in 1..n_trees, spaced evenly on a log and a linear scale."""
    grid = np.concatenate(
        [np.geomspace(1, n_trees, most // 2), np.linspace(1, n_trees, most - most // 2)]
    )
    return np.unique(np.clip(np.round(grid).astype(int), 1, n_trees))


def _leaf_count(model) -> float:
    """Mean number of leaves per tree."""
    import lightgbm as lgb
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    if isinstance(model, CutForest):
        return float(np.mean(model.cuts.leaf_counts(model.max_depth)))
    if isinstance(model, (RandomForestClassifier, RandomForestRegressor)):
        return float(np.mean([t.get_n_leaves() for t in model.estimators_]))
    if isinstance(model, (lgb.LGBMClassifier, lgb.LGBMRegressor)):
        return float(np.mean([len(v) for v in _lightgbm_leaf_values(model.booster_)]))
    if isinstance(model, EarlyStopped):  # the rounds the model keeps
        kept = model.best_iteration * model.booster_.num_model_per_iteration()
        return float(np.mean([len(v) for v in _lightgbm_leaf_values(model.booster_)[:kept]]))
    if isinstance(model, (DecisionTreeClassifier, DecisionTreeRegressor)):
        return float(model.get_n_leaves())
    return float("nan")  # scikit-learn's histogram boosting has no public leaf count


def _map_with_progress(fn, items, on_done) -> list:
    """``[fn(x) for x in items]``, calling ``on_done(n_finished, item)`` after each item."""
    results = []
    for item in items:
        results.append(fn(item))
        on_done(len(results), item)
    return results


@dataclass(frozen=True)
class DepthSweep:
    """Fits of each model at each depth on one train/test split.

    Attributes
    ----------
    summary : DataFrame
        model, max_depth (-1 = unlimited), depth (label), n_trees (trees the model predicts
        with: the forest's T, boosting's rounds), rounds_fitted, stop (why an early-stopped model
        stopped growing, see :class:`EarlyStopped`; "rounds" otherwise), train_error,
        test_error, test_se, train_log_loss, test_log_loss (NaN for regression), fit_seconds,
        seconds_per_tree, mean_leaves; one row per (model, depth). ``test_se`` is the standard
        error of a misclassification rate e on n test points, sqrt(e (1 - e) / n) (NaN for
        regression). Train measures are on the rows the model was fitted on.
    staged : DataFrame
        model, max_depth, depth, n_trees, train_error, test_error, train_log_loss,
        test_log_loss: the same fits after 1..rounds_fitted trees, at ``checkpoints`` (and the
        round each model keeps).
    models : dict
        (model, max_depth) -> fitted estimator (a :class:`CutForest` for the forest with
        ``forest="cut"``, an :class:`EarlyStopped` for boosting with early stopping), when
        ``keep_models=True``.
    """

    summary: pd.DataFrame
    staged: pd.DataFrame
    models: dict = field(default_factory=dict)


BOOSTED = ("gradient_boosting", "hist_gradient_boosting")


def sweep_depths(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    *,
    depths: Sequence,
    task: str = "classification",
    models: Sequence[str] = ENSEMBLES,
    n_estimators: int = 100,
    learning_rate: float = 0.1,
    seed: int = 0,
    keep_models: bool = False,
    progress: Progress | None = None,
    forest: str = "refit",
    timing_trees: int = FOREST_TIMING_TREES,
    validation_fraction: float | None = None,
    max_rounds: int = 1000,
    patience: int = 50,
) -> DepthSweep:
    """Fit every model at every depth; record final and staged train/test errors and fit time.

    Errors are the misclassification rate (classification) or the mean squared error (regression);
    for classification the log loss of the predicted probabilities is recorded too.
    ``progress(fraction, message)`` is called after each fit.

    ``forest="refit"`` fits a forest of ``n_estimators`` trees at every depth and times it.
    ``forest="cut"`` grows one forest without a depth limit and reads every depth off it
    (:class:`ForestCuts`: the same distribution of forests, for one fit instead of one per depth);
    its time per tree at each depth is then measured on a separate forest of ``timing_trees``
    trees grown to that depth, and ``fit_seconds`` is that time per tree times ``n_estimators``
    (a forest's trees are independent, so its fit time grows in proportion to their number).
    ``seconds_per_tree`` is ``fit_seconds`` per tree grown (per round for boosting).

    With ``validation_fraction`` boosting chooses its rounds as practitioners do (scikit-learn's
    ``early_stopping`` holds out rows too, but keeps the rounds grown past its best): a seeded split holds out that fraction of the
    training rows, LightGBM fits the rest and stops when the held-out loss has not improved for
    ``patience`` rounds (at most ``max_rounds``), keeping its best round; HistGradientBoosting
    then runs the same number of rounds on the same rows. The forest fits every training row
    and has ``n_estimators`` trees.
    """
    _check_task(task)
    if forest not in ("refit", "cut"):
        raise ValueError(f"'forest' must be 'refit' or 'cut'; got {forest!r}.")
    depths = [check_depth(d) for d in depths]
    jobs = [(name, d) for name in models for d in depths]
    X_all = np.vstack([X_train, X_test])
    n = len(X_train)
    every_row = np.arange(n)
    if validation_fraction:
        fit_rows, val_rows = split_validation(
            y_train, validation_fraction, seed, stratify=task == "classification"
        )
    else:
        fit_rows, val_rows = every_row, None
    chosen: dict[int, int] = {}

    def timed_fit(name, depth, trees):
        model = make_model(
            name,
            max_depth=depth,
            task=task,
            n_estimators=trees,
            learning_rate=learning_rate,
            seed=seed,
        )
        rows = fit_rows if name in BOOSTED else every_row
        start = time.perf_counter()
        fit_model(model, X_train[rows], y_train[rows])
        return model, time.perf_counter() - start

    @functools.cache
    def grown_forest() -> ForestCuts:
        """The one forest of ``forest="cut"``, grown when the first forest job asks for it."""
        return ForestCuts(timed_fit("random_forest", UNLIMITED, n_estimators)[0])

    def fit_one(job):
        name, depth = job
        rows = fit_rows if name in BOOSTED else every_row
        if name == "random_forest" and forest == "cut":
            model = grown_forest().at(depth)
            seconds = timed_fit(name, depth, timing_trees)[1] / timing_trees * n_estimators
        elif name == "gradient_boosting" and val_rows is not None:
            start = time.perf_counter()
            model = fit_early_stopped(
                X_train[fit_rows],
                y_train[fit_rows],
                X_train[val_rows],
                y_train[val_rows],
                max_depth=depth,
                task=task,
                learning_rate=learning_rate,
                max_rounds=max_rounds,
                patience=patience,
                seed=seed,
            )
            seconds = time.perf_counter() - start
            chosen[depth] = model.best_iteration
        elif name == "hist_gradient_boosting" and val_rows is not None:
            model, seconds = timed_fit(name, depth, chosen.get(depth, max_rounds))
        else:
            model, seconds = timed_fit(name, depth, n_estimators)
        outputs = staged_outputs(model, X_all, task=task)
        keep = getattr(model, "best_iteration", len(outputs))
        if task == "classification":
            preds = model.classes_[np.argmax(outputs, axis=2)]
            losses = (
                log_losses(outputs[:, rows], y_train[rows], model.classes_),
                log_losses(outputs[:, n:], y_test, model.classes_),
            )
        else:
            preds, losses = outputs, (np.full(len(outputs), np.nan),) * 2
        train = (prediction_errors(preds[:, rows], y_train[rows], task=task), losses[0])
        test = (prediction_errors(preds[:, n:], y_test, task=task), losses[1])
        return model, seconds, keep, train, test

    def report(finished, job):
        if progress is not None:
            name, depth = job
            label = f"{name.replace('_', ' ')} at depth {depth_label(depth)}"
            progress(finished / len(jobs), f"Fitted {label} ({finished} of {len(jobs)})")

    with threadpool_limits(limits=N_THREADS_PER_FIT, user_api="openmp"):
        # A first fit pays one-off costs (thread pools, lazy imports); keep them out of the timings.
        for name in models:
            make_model(name, max_depth=1, task=task, n_estimators=2, seed=seed).fit(
                X_train, y_train
            )
        fits = _map_with_progress(fit_one, jobs, report)

    rows, staged, fitted = [], [], {}
    n_test = len(y_test)
    for (name, depth), (model, seconds, keep, train, test) in zip(jobs, fits, strict=True):
        label = depth_label(depth)
        (train_error, train_loss), (test_error, test_loss) = train, test
        grown = len(train_error)
        error = float(test_error[keep - 1])
        rows.append(
            {
                "model": name,
                "max_depth": depth,
                "depth": label,
                "n_trees": keep,
                "rounds_fitted": grown,
                "stop": getattr(model, "stop", "rounds"),
                "train_error": float(train_error[keep - 1]),
                "test_error": error,
                "test_se": (
                    float(np.sqrt(error * (1 - error) / n_test))
                    if task == "classification"
                    else np.nan
                ),
                "train_log_loss": float(train_loss[keep - 1]),
                "test_log_loss": float(test_loss[keep - 1]),
                "fit_seconds": seconds,
                "seconds_per_tree": seconds / grown,
                "mean_leaves": _leaf_count(model),
            }
        )
        at = np.union1d(checkpoints(grown), [keep]) - 1
        staged.append(
            pd.DataFrame(
                {
                    "model": name,
                    "max_depth": depth,
                    "depth": label,
                    "n_trees": at + 1,
                    "train_error": train_error[at],
                    "test_error": test_error[at],
                    "train_log_loss": train_loss[at],
                    "test_log_loss": test_loss[at],
                }
            )
        )
        if keep_models:
            fitted[(name, depth)] = model
    return DepthSweep(pd.DataFrame(rows), pd.concat(staged, ignore_index=True), fitted)


def depth_sweep(
    X: np.ndarray,
    y: np.ndarray,
    *,
    depths: Sequence,
    task: str = "classification",
    n_estimators: int = 200,
    seed: int = 0,
    learning_rate: float = 0.1,
    models: Sequence[str] = ENSEMBLES,
    test_size: float = 0.3,
) -> pd.DataFrame:
    """Train and test error and fit time of each model at each depth, on a seeded split of (X, y).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)
        Class labels or regression targets.
    depths : sequence of int, None or -1
        Depth limits to try; None or -1 means unlimited.
    task : {"classification", "regression"}
    n_estimators, seed, learning_rate : see ``make_model``.
    models : sequence of model names
        Default: ``random_forest`` (scikit-learn) and ``gradient_boosting`` (LightGBM).
    test_size : float
        Held-out fraction (stratified for classification).

    Returns
    -------
    DataFrame with columns model, max_depth (-1 = unlimited), depth, n_trees, train_error,
    test_error, train_log_loss, test_log_loss (NaN for regression), fit_seconds, mean_leaves.
    """
    from sklearn.model_selection import train_test_split

    _check_task(task)
    X_train, X_test, y_train, y_test = train_test_split(
        np.asarray(X, dtype=np.float64),
        np.asarray(y),
        test_size=test_size,
        random_state=seed,
        stratify=y if task == "classification" else None,
    )
    sweep = sweep_depths(
        X_train,
        y_train,
        X_test,
        y_test,
        depths=depths,
        task=task,
        models=models,
        n_estimators=n_estimators,
        learning_rate=learning_rate,
        seed=seed,
    )
    return sweep.summary


def friedman1(
    n_samples: int, *, noise: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Friedman #1 on [0, 1]^10: X, the noiseless f(X) and y = f(X) + noise * N(0, 1).

    f(x) = 10 sin(pi x1 x2) + 20 (x3 - 1/2)^2 + 10 x4 + 5 x5; x6..x10 are irrelevant.
    """
    from sklearn.datasets import make_friedman1

    X, f = make_friedman1(n_samples=n_samples, n_features=10, noise=0.0, random_state=seed)
    rng = np.random.default_rng(seed)
    return X, f, f + noise * rng.standard_normal(n_samples)


def bias_variance(
    *,
    depths: Sequence,
    models: Sequence[str] = ("single_tree", "random_forest", "gradient_boosting"),
    n_train_sets: int = 8,
    n_train: int = 200,
    n_test: int = 500,
    noise: float = 1.0,
    n_estimators: int = 100,
    forest_trees: int | None = None,
    learning_rate: float = 0.1,
    seed: int = 0,
    progress: Progress | None = None,
    validation_fraction: float | None = None,
    max_rounds: int = 1000,
    patience: int = 50,
) -> pd.DataFrame:
    """Squared bias, variance and noise of each model at each depth on Friedman #1.

    R = ``n_train_sets`` training sets are drawn from y = f(x) + noise * eps; each model is fitted
    on each and predicts fixed test points x_j, giving P[r, j]; ``core.decomposition.decompose``
    gives variance, the unbiased bias^2 and noise = noise^2, with bias^2 + variance =
    mean_{r, j} (P[r, j] - f(x_j))^2 exactly (an identity, not a measurement), and the expected squared error against a fresh noisy label is
    E[(P - y)^2] = bias^2 + variance + noise^2. ``measured_mse`` is the mean squared error against
    one fresh label per (r, j) and ``measured_se`` its standard error: measured minus expected is
    noise^2 (mean eps^2 - 1) - 2 noise mean(eps (P - f)), so comparing them tests only that the
    fresh noise has variance noise^2 and is independent of the predictions.

    The spread over training sets: m_r = mean_j (P[r, j] - f(x_j))^2 + noise^2 is the expected
    test error of the model fitted on set r; ``set_mse_sd`` is the standard deviation of m_r over
    the R sets, ``expected_se`` = set_mse_sd / sqrt(R) the standard error of ``expected_mse`` (their
    mean), and ``set_mse_min`` / ``set_mse_max`` the extremes.

    The single tree and the forest (``forest_trees`` trees, default ``n_estimators``) are fitted
    on the whole training set, grown once and cut at each depth (see ``cut_tree_predictions`` and
    :class:`ForestCuts`). Boosting is refitted at each depth, since every round depends on the
    trees before it: with ``validation_fraction`` it fits the rest of each training set and stops
    early on that held-out fraction (at most ``max_rounds``; ``rounds`` is the mean number of
    rounds kept), otherwise it runs ``n_estimators`` rounds.

    Returns
    -------
    DataFrame with columns model, max_depth, depth, bias_sq, variance, noise, expected_mse,
    expected_se, set_mse_sd, set_mse_min, set_mse_max, measured_mse, measured_se, rounds (NaN
    except for early-stopped boosting); one row per (model, depth).
    """
    depths = [check_depth(d) for d in depths]
    if n_train_sets < 2:
        raise ValueError(f"'n_train_sets' must be at least 2; got {n_train_sets!r}.")
    rng = np.random.default_rng(seed)
    X_test, f_test, _ = friedman1(n_test, noise=0.0, seed=int(rng.integers(2**31)))
    set_seeds = rng.integers(2**31, size=n_train_sets)
    y_fresh = f_test[None, :] + noise * rng.standard_normal((n_train_sets, n_test))
    jobs = [(r, name) for r in range(n_train_sets) for name in models]

    def fit_one(job) -> tuple[dict[int, np.ndarray], dict[int, int]]:
        r, name = job
        X, _, y = friedman1(n_train, noise=noise, seed=int(set_seeds[r]))
        trees = forest_trees if name == "random_forest" and forest_trees else n_estimators
        kw = {
            "n_estimators": trees,
            "learning_rate": learning_rate,
            "seed": int(set_seeds[r]) % 10_000,
        }
        if name == "gradient_boosting":
            if not validation_fraction:
                return lightgbm_predictions(X, y, X_test, depths=depths, **kw), {}
            fit, val = split_validation(y, validation_fraction, kw["seed"], stratify=False)
            rounds: dict[int, int] = {}
            kw["n_estimators"] = max_rounds
            preds = lightgbm_predictions(
                X[fit],
                y[fit],
                X_test,
                depths=depths,
                validation=(X[val], y[val]),
                patience=patience,
                rounds=rounds,
                **kw,
            )
            return preds, rounds
        if name in ("single_tree", "random_forest"):
            model = fit_model(make_model(name, max_depth=UNLIMITED, task="regression", **kw), X, y)
            if name == "single_tree":
                return cut_tree_predictions(model, X_test, depths), {}
            cuts = ForestCuts(model)
            return {d: cuts.per_tree(X_test, d).mean(axis=0) for d in depths}, {}
        return {
            d: fit_model(make_model(name, max_depth=d, task="regression", **kw), X, y).predict(
                X_test
            )
            for d in depths
        }, {}

    def report(finished, job):
        if progress is not None:
            progress(
                finished / len(jobs),
                f"Bias-variance: {finished} of {len(jobs)} training sets x models",
            )

    with threadpool_limits(limits=N_THREADS_PER_FIT, user_api="openmp"):
        preds = _map_with_progress(fit_one, jobs, report)
    P, R = {}, {}
    for (r, name), (by_depth, rounds) in zip(jobs, preds, strict=True):
        for depth, pred in by_depth.items():
            P.setdefault((name, depth), np.empty((n_train_sets, n_test)))[r] = pred
            if depth in rounds:
                R.setdefault((name, depth), []).append(rounds[depth])

    rows = []
    for name in models:
        for depth in depths:
            p = P[(name, depth)]
            terms = decompose(p, f_test, noise**2)
            per_set = terms.per_set_mse
            squared = (p - y_fresh) ** 2
            # Given the predictions, the fresh-noise terms are independent across (r, j).
            excess = squared - (p - f_test[None, :]) ** 2
            sd = float(per_set.std(ddof=1))
            rows.append(
                {
                    "model": name,
                    "max_depth": depth,
                    "depth": depth_label(depth),
                    "bias_sq": terms.bias_sq,
                    "variance": terms.variance,
                    "noise": noise**2,
                    "expected_mse": terms.expected_mse,
                    "expected_se": sd / np.sqrt(n_train_sets),
                    "set_mse_sd": sd,
                    "set_mse_min": float(per_set.min()),
                    "set_mse_max": float(per_set.max()),
                    "measured_mse": float(squared.mean()),
                    "measured_se": float(excess.std(ddof=1) / np.sqrt(excess.size)),
                    "rounds": float(np.mean(R[(name, depth)])) if (name, depth) in R else np.nan,
                }
            )
    return pd.DataFrame(rows)
