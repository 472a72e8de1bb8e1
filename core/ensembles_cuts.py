"""Read many depths off one fit: trees and forests grown out and cut, LightGBM on one Dataset.

A tree is grown top-down and each node is split using only its own samples, so a fully grown
tree (or random forest) cut at depth d is, in distribution, the tree (forest) grown with
``max_depth=d``: ``cut_tree_predictions`` and :class:`ForestCuts` / :class:`CutForest` replace a fit
per depth by one fit. ``lightgbm_predictions`` refits boosting at every depth (each round depends
on the trees before it) but bins the data once. The depth limits and the fitting settings these
share with :mod:`core.ensembles` live here, so that module imports this one and not the reverse.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.progress import report

if TYPE_CHECKING:  # scikit-learn and LightGBM are imported where a fit needs them (the app's
    import lightgbm as lgb  # server process never does: ui.runner runs fits in child processes)

TASKS = ("classification", "regression")
UNLIMITED = -1
# LightGBM grows leaf-wise and stops at num_leaves (default 31), so a depth limit alone barely binds:
# tie the leaves to the depth (a tree of depth d has at most 2^d leaves) and cap them for "unlimited".
LEAF_CAP = 1024
# Let every tree grow down to small leaves, as a forest's trees do, so depth is the capacity knob.
MIN_CHILD_SAMPLES = 5
# Measured on a shared 2-core machine with a few hundred rows. LightGBM and HistGradientBoosting with
# 2 OpenMP threads were 10-100x slower under load than with 1, and two fits side by side in Python
# threads 2-3x slower than one after the other. A forest of 100 small trees (700 x 2 or 200 x 10)
# fitted 25-35 % faster with n_jobs=1 than with 2 (joblib's dispatch costs more than the trees),
# and the page runs its two experiments side by side on the two cores anyway.
N_THREADS_PER_FIT = 1
FOREST_N_JOBS = 1
# A regression forest considers a third of the features at each split (Breiman's p/3, the default
# of R's randomForest). scikit-learn's regression default, max_features=1.0, is plain bagging.
REGRESSION_MAX_FEATURES = 1 / 3


def check_depth(max_depth) -> int:
    """A tree depth limit as an int: a positive depth, or -1 (``UNLIMITED``) for None or -1."""
    if max_depth is None or (not isinstance(max_depth, bool) and max_depth == UNLIMITED):
        return UNLIMITED
    if isinstance(max_depth, (bool, float)) or not isinstance(max_depth, (int, np.integer)):
        raise ValueError(f"'max_depth' must be a positive integer, None or -1; got {max_depth!r}.")
    if max_depth < 1:
        raise ValueError(f"'max_depth' must be a positive integer, None or -1; got {max_depth!r}.")
    return int(max_depth)


def num_leaves_for_depth(max_depth, *, cap: int = LEAF_CAP) -> int:
    """LightGBM's ``num_leaves`` for a depth limit d: min(2^d, cap), or ``cap`` when unlimited."""
    depth = check_depth(max_depth)
    if depth == UNLIMITED or depth >= 30:
        return cap
    return int(max(2, min(2**depth, cap)))


def _check_task(task: str) -> str:
    if task not in TASKS:
        raise ValueError(f"'task' must be one of {', '.join(map(repr, TASKS))}; got {task!r}.")
    return task


def _ancestors(tree) -> tuple[np.ndarray, np.ndarray]:
    """``table[node, d]``, the node a row in ``node`` sits in once the tree is cut at depth d,
    and each node's depth.

    ``table[node, d]`` is the node's ancestor at depth d, or the node itself when it is no deeper
    than d; the last column (d = the tree's depth) is the node. Built level by level from the root.
    """
    t = tree.tree_
    table = np.zeros((t.node_count, t.max_depth + 1), dtype=np.intp)
    node_depth = np.zeros(t.node_count, dtype=np.intp)
    frontier, level = np.array([0]), 0
    while frontier.size:
        table[frontier, level:] = frontier[:, None]
        node_depth[frontier] = level
        kids, parents = [], []
        for side in (t.children_left, t.children_right):
            has = side[frontier] >= 0
            kids.append(side[frontier][has])
            parents.append(frontier[has])
        kids, parents = np.concatenate(kids), np.concatenate(parents)
        level += 1
        table[kids, :level] = table[parents, :level]
        frontier = kids
    return table, node_depth


def _cut_column(tree, depth: int) -> int:
    return tree.tree_.max_depth if depth == UNLIMITED else min(depth, tree.tree_.max_depth)


def cut_tree_predictions(tree, X: np.ndarray, depths: Sequence) -> dict[int, np.ndarray]:
    """Predictions of a fitted scikit-learn regression tree cut off at each depth: {depth: (n,)}.

    A tree is grown top-down and each node is split using only its own samples, so cutting a fully
    grown tree at depth d gives the tree grown with ``max_depth=d`` (internal nodes keep the mean
    of their samples as their value). The one difference is in tie-breaking: when two features
    split a small node into the same two groups, the order in which the splitter visits features
    (random in both cases) picks one, so the two trees are equal in distribution, and exactly
    equal with a single feature. One full fit then serves every depth.
    """
    table = _ancestors(tree)[0]
    leaves = tree.apply(np.ascontiguousarray(X, dtype=np.float32))
    values = tree.tree_.value[:, 0, 0]
    return {
        check_depth(d): values[table[leaves, _cut_column(tree, check_depth(d))]].copy()
        for d in depths
    }


class ForestCuts:
    """One fitted random forest, read at any shallower depth by cutting each of its trees.

    A node's split uses only the samples that reach it and a fresh random draw of candidate
    features, so a forest grown without a depth limit and cut at depth d is a random forest of
    depth-d trees: the same bootstrap samples, and the same distribution of trees as fitting with
    ``max_depth=d`` (the draws below a cut differ from a refit, which is why the two agree exactly
    only when every split sees every feature, e.g. with one feature). Growing once and cutting
    replaces a fit per depth, whose cost on small data is mostly scikit-learn's per-tree overhead.

    Use ``at(depth)`` for a predictor with the forest's ``predict`` / ``predict_proba``.
    """

    def __init__(self, forest):
        from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

        if not isinstance(forest, (RandomForestClassifier, RandomForestRegressor)):
            raise ValueError(
                f"ForestCuts needs a fitted random forest; got {type(forest).__name__}."
            )
        if forest.max_depth is not None:
            raise ValueError("Grow the forest without a depth limit (max_depth=None) to cut it.")
        self.forest = forest
        self._last = None
        self.classify = isinstance(forest, RandomForestClassifier)
        self.tables, self.node_depths = zip(
            *(_ancestors(tree) for tree in forest.estimators_), strict=True
        )
        self.values = []
        for tree in forest.estimators_:
            value = tree.tree_.value[:, 0, :]
            # class fractions, as DecisionTreeClassifier.predict_proba; values for regression
            self.values.append(
                value / value.sum(axis=1, keepdims=True) if self.classify else value[:, 0]
            )

    def at(self, max_depth) -> CutForest:
        """The forest with every tree cut at ``max_depth`` (-1 / None: as grown)."""
        return CutForest(self, check_depth(max_depth))

    def per_tree(self, X: np.ndarray, max_depth) -> np.ndarray:
        """Each tree's output cut at ``max_depth``: (T, n, K) class fractions or (T, n) values."""
        depth = check_depth(max_depth)
        out = []
        for tree, table, value, leaves in zip(
            self.forest.estimators_, self.tables, self.values, self._leaves(X), strict=True
        ):
            out.append(value[table[leaves, _cut_column(tree, depth)]])
        return np.stack(out)

    def _leaves(self, X: np.ndarray) -> list[np.ndarray]:
        """The leaf of every row in every tree; remembered for the last X (a sweep asks per depth)."""
        if self._last is not None and self._last[0] is X:
            return self._last[1]
        X32 = np.ascontiguousarray(X, dtype=np.float32)  # what the forest passes its trees
        leaves = [tree.apply(X32, check_input=False) for tree in self.forest.estimators_]
        self._last = (X, leaves)
        return leaves

    def leaf_counts(self, max_depth) -> np.ndarray:
        """Leaves of each tree cut at ``max_depth``: nodes at that depth plus shallower leaves."""
        depth = check_depth(max_depth)
        counts = []
        for tree, level in zip(self.forest.estimators_, self.node_depths, strict=True):
            leaf = tree.tree_.children_left < 0
            limit = _cut_column(tree, depth)
            counts.append(int(np.sum((level == limit) | ((level < limit) & leaf))))
        return np.array(counts)


@dataclass(frozen=True)
class CutForest:
    """A random forest cut at ``max_depth`` (see :class:`ForestCuts`), with the forest's API."""

    cuts: ForestCuts
    max_depth: int

    @property
    def classes_(self) -> np.ndarray:
        return self.cuts.forest.classes_

    @property
    def n_estimators(self) -> int:
        return len(self.cuts.forest.estimators_)

    def staged(self, X: np.ndarray) -> np.ndarray:
        """Output after 1..T trees: the running mean of the cut trees (see staged_outputs)."""
        per_tree = self.cuts.per_tree(X, self.max_depth)
        counts = np.arange(1, len(per_tree) + 1).reshape(-1, *([1] * (per_tree.ndim - 1)))
        return np.cumsum(per_tree, axis=0) / counts

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if not self.cuts.classify:
            raise ValueError("predict_proba needs a classification forest.")
        return self.cuts.per_tree(X, self.max_depth).mean(axis=0)

    def predict(self, X: np.ndarray) -> np.ndarray:
        mean = self.cuts.per_tree(X, self.max_depth).mean(axis=0)
        return self.classes_[np.argmax(mean, axis=1)] if self.cuts.classify else mean


def lightgbm_predictions(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    *,
    depths: Sequence,
    task: str = "regression",
    n_estimators: int = 100,
    learning_rate: float = 0.1,
    seed: int = 0,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    patience: int = 50,
    rounds: dict | None = None,
) -> dict[int, np.ndarray]:
    """``make_model("gradient_boosting", max_depth=d, ...).fit(X, y).predict(X_test)`` for each d.

    The same models, trained through ``lightgbm.train`` on one binned ``Dataset`` shared by every
    depth: the scikit-learn wrapper bins the data again for each fit and copies each model through
    its text form, which costs about a third of a small fit. Predictions are the ``predict``
    output: values for regression, P(class 1) for binary classification.

    With ``validation = (X_val, y_val)`` each depth stops early (:func:`fit_early_stopped`, at most
    ``n_estimators`` rounds, ``patience``); ``rounds[d]`` then receives the rounds kept.
    """
    import lightgbm as lgb

    if _check_task(task) == "classification" and len(np.unique(y)) != 2:
        raise ValueError("lightgbm_predictions classifies two classes only; use make_model.")
    base = lightgbm_params(task, max_depth=1, learning_rate=learning_rate, seed=seed)
    data = _binned(X, y, base)
    X_test = np.asarray(X_test, dtype=np.float64)
    out = {}
    for depth in (check_depth(d) for d in depths):
        if validation is not None:
            model = fit_early_stopped(
                X,
                y,
                *validation,
                max_depth=depth,
                task=task,
                learning_rate=learning_rate,
                max_rounds=n_estimators,
                patience=patience,
                seed=seed,
                data=data,
            )
            if rounds is not None:
                rounds[depth] = model.best_iteration
            pred = model.booster_.predict(
                X_test, num_iteration=model.best_iteration, num_threads=N_THREADS_PER_FIT
            )
        else:
            params = lightgbm_params(task, max_depth=depth, learning_rate=learning_rate, seed=seed)
            booster = lgb.train(
                params,
                data,
                num_boost_round=n_estimators,
                keep_training_booster=True,
                callbacks=[report_each_round],
            )
            pred = booster.predict(X_test, num_threads=N_THREADS_PER_FIT)
        out[depth] = pred
    return out


def report_each_round(_env) -> None:
    """LightGBM callback: a progress tick after every boosting round (the app may cancel)."""
    report(None)


def lightgbm_params(task: str, *, max_depth, learning_rate: float, seed: int, n_classes: int = 2):
    """The ``lightgbm.train`` parameters of ``make_model("gradient_boosting", ...)`` for ``task``."""
    depth = check_depth(max_depth)
    if _check_task(task) == "regression":
        objective = {"objective": "regression", "metric": "l2"}
    elif n_classes == 2:
        objective = {"objective": "binary", "metric": "binary_logloss"}
    else:
        objective = {"objective": "multiclass", "num_class": n_classes, "metric": "multi_logloss"}
    return {
        **objective,
        "learning_rate": learning_rate,
        "max_depth": depth,
        "num_leaves": num_leaves_for_depth(depth),
        "min_data_in_leaf": MIN_CHILD_SAMPLES,
        "num_threads": N_THREADS_PER_FIT,
        "deterministic": True,
        "force_row_wise": True,
        "seed": seed,
        "verbose": -1,
    }


@dataclass(frozen=True)
class EarlyStopped:
    """LightGBM boosting whose number of rounds was chosen by early stopping on a validation set.

    ``booster_`` holds every round grown (``rounds_fitted``: the chosen round plus the patience
    that confirmed it, or the cap); the model predicts with the first ``best_iteration`` rounds,
    which is what ``LGBMClassifier(n_estimators=best_iteration)`` fitted on the same rows predicts.
    ``stop`` says why growing ended: ``"patience"`` (the validation loss did not improve for
    ``patience`` rounds), ``"cap"`` (``max_rounds`` reached while it was still improving within the
    patience) or ``"exhausted"`` (no leaf met the split requirements any more, which happens when
    the training rows are fitted almost exactly, again while the validation loss was improving).
    ``capped`` is True unless the patience ran out.
    """

    booster_: lgb.Booster
    classes_: np.ndarray | None
    best_iteration: int
    rounds_fitted: int
    stop: str

    @property
    def capped(self) -> bool:
        return self.stop != "patience"

    @property
    def n_estimators(self) -> int:
        return self.rounds_fitted

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = self.booster_.predict(
            np.asarray(X, dtype=np.float64),
            num_iteration=self.best_iteration,
            num_threads=N_THREADS_PER_FIT,
        )
        return np.column_stack([1.0 - p, p]) if p.ndim == 1 else p

    def predict(self, X: np.ndarray) -> np.ndarray:
        if self.classes_ is None:
            return self.booster_.predict(
                np.asarray(X, dtype=np.float64),
                num_iteration=self.best_iteration,
                num_threads=N_THREADS_PER_FIT,
            )
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def fit_early_stopped(
    X: np.ndarray,
    y: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    *,
    max_depth,
    task: str = "classification",
    learning_rate: float = 0.1,
    max_rounds: int = 1000,
    patience: int = 50,
    seed: int = 0,
    data: lgb.Dataset | None = None,
) -> EarlyStopped:
    """Boosting on (X, y) that stops once the validation loss (log loss, or squared error for
    regression) has not improved for ``patience`` rounds, keeping its best round.

    ``data`` (optional) is (X, y) already binned as a ``lightgbm.Dataset`` (several depths share
    it; see :func:`lightgbm_predictions`).
    """
    import lightgbm as lgb

    classes = None if _check_task(task) == "regression" else np.unique(y)
    if classes is not None:
        y, y_val = np.searchsorted(classes, y), np.searchsorted(classes, y_val)
    params = lightgbm_params(
        task,
        max_depth=max_depth,
        learning_rate=learning_rate,
        seed=seed,
        n_classes=2 if classes is None else len(classes),
    )
    if data is None:
        data = _binned(X, y, params)
    valid = lgb.Dataset(
        np.asarray(X_val, dtype=np.float64),
        np.asarray(y_val, dtype=np.float64),
        reference=data,
        params=data.params,  # the reference's binning (LightGBM warns when they differ)
    )
    booster = lgb.train(
        params,
        data,
        num_boost_round=max_rounds,
        valid_sets=[valid],
        callbacks=[
            lgb.early_stopping(patience, first_metric_only=True, verbose=False),
            report_each_round,
        ],
        keep_training_booster=True,
    )
    grown = booster.current_iteration()
    best = int(booster.best_iteration) or grown
    if grown >= best + patience:
        stop = "patience"
    elif grown >= max_rounds:
        stop = "cap"
    else:
        stop = "exhausted"
    return EarlyStopped(booster, classes, best, grown, stop)


def _binned(X: np.ndarray, y: np.ndarray, params: dict) -> lgb.Dataset:
    import lightgbm as lgb

    # feature_pre_filter off: the Dataset must not drop features by a different min_data_in_leaf.
    return lgb.Dataset(
        np.asarray(X, dtype=np.float64),
        np.asarray(y, dtype=np.float64),
        params={**params, "feature_pre_filter": False},
    )


def validation_count(n: int, fraction: float) -> int:
    """How many of ``n`` rows :func:`split_validation` holds out: scikit-learn's
    ``train_test_split`` rounds a fractional test size up. Computed without importing
    scikit-learn, which the server process never does (a caption counts the rows)."""
    return math.ceil(fraction * n)


def split_validation(y: np.ndarray, fraction: float, seed: int, *, stratify: bool):
    """Indices (fit, validation) of a seeded split holding out ``fraction`` of the rows."""
    from sklearn.model_selection import train_test_split

    index = np.arange(len(y))
    return train_test_split(
        index, test_size=fraction, random_state=seed, stratify=y if stratify else None
    )
