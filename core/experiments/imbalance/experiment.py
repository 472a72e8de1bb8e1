"""Metrics under class imbalance: what accuracy hides, ROC against precision-recall, three remedies
(class weights, over-sampling, moving the threshold) and what they do to probabilities.

One run trains a logistic regression and a gradient-boosted model (LightGBM) three ways each (as
is, with balanced class weights, on a training split whose minority class is randomly
over-sampled) and scores a validation and a test split once. Everything that depends on the
decision threshold (the confusion matrix, precision, recall, F1, the point on the ROC and
precision-recall curves) is read off those stored scores by :func:`operating_point`, so moving
the threshold retrains nothing: the threshold and the model it applies to are Config fields the
run does not read (``RUN_IGNORES``), and runs are cached without them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.config import Settings, choice, integer, number
from core.data import Dataset
from core.experiments.budget import check_budget
from core.facts import decimals
from core.progress import report
from core.upload import MAX_UPLOAD_ROWS

MODELS = ("logistic", "boosting")
MODEL_NAMES = {"logistic": "logistic regression", "boosting": "gradient boosting"}
# How each model is trained: as is, with balanced class weights (each class's weights sum to the
# same total), or on a training split whose minority rows are drawn with replacement until both
# classes are equally many (random over-sampling; validation and test are never resampled).
TRAININGS = ("plain", "weights", "oversampled")
TRAINING_NAMES = {
    "plain": "as is",
    "weights": "class weights",
    "oversampled": "over-sampled",
}
# Decision rules of the remedies table: the usual 0.5, or the threshold that maximizes F1 on
# the validation split (chosen there, applied to the test split).
RULES = ("0.5", "tuned")
# The four remedies compared for the best F1: nothing, class weights, over-sampling (each at
# threshold 0.5) and moving the threshold (the plain model at its validation-tuned threshold).
REMEDIES = {
    "no remedy": ("plain", "0.5"),
    "class weights": ("weights", "0.5"),
    "over-sampling": ("oversampled", "0.5"),
    "moving the threshold": ("plain", "tuned"),
}
# The threshold slider's values: dense near 0 and 1 on a logit-like grid (rare positives get
# small probabilities; common ones large).
THRESHOLDS = (
    0.001,
    0.002,
    0.005,
    0.01,
    0.02,
    0.03,
    0.05,
    0.07,
    0.1,
    0.15,
    0.2,
    0.3,
    0.4,
    0.5,
    0.6,
    0.7,
    0.8,
    0.85,
    0.9,
    0.93,
    0.95,
    0.97,
    0.98,
    0.99,
    0.995,
    0.998,
    0.999,
)
# Fields the run does not read: the page applies them to the run's stored scores.
RUN_IGNORES = ("threshold", "model")

# The synthetic data: negatives ~ N(0, I) in N_FEATURES dimensions; each positive is shifted by
# the separation along feature 1 or feature 2 (half each): two kinds of positive, which a linear
# model can only partly tell apart from the negatives and trees can. Features 3..6 are noise.
N_FEATURES = 6
# Splits, stratified by class: train / validation / test.
TRAIN_SHARE, VALIDATION_SHARE = 0.5, 0.2
# ROC AUC against average precision as prevalence falls: the trained models score test sets of
# SWEEP_POSITIVES fresh positives and as many fresh negatives as each prevalence needs (39,800 at
# 0.5 %), drawn from the same two classes. Uploads use subsets of their own test split instead (no row twice).
SWEEP_PREVALENCES = (0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005)
SWEEP_POSITIVES = 200
MIN_SWEEP_POSITIVES = 10
SWEEP_COLUMNS = (
    "prevalence", "model", "positives", "negatives", "chance_ap", "auc", "ap",
    "outranked_mean", "outranked_median", "source",
)  # fmt: skip
# Paired bootstrap of the test rows for the F1 of each remedy (and the differences between them).
BOOTSTRAP = 200
# Reliability diagram: equal-count bins of the predicted probability.
CALIBRATION_BINS = 10
# Curves drawn: at most this many points each (the AUC and AP are computed on every point).
MAX_CURVE_POINTS = 400
MAX_PR_POINTS = 800
# LightGBM: small and fast. 80 rounds of 8-leaf trees at learning rate 0.1.
BOOSTING = dict(
    n_estimators=80,
    learning_rate=0.1,
    num_leaves=8,
    min_child_samples=20,
    max_bin=63,
    n_jobs=1,
    deterministic=True,
    force_row_wise=True,
    verbose=-1,
)
# Uploads: a binary target whose rarer class has at least this many rows (a few in every split).
# Every row is used: an upload has at most 20,000 rows and 50 features (core.upload), about 2 s.
MIN_UPLOAD_MINORITY = 40
# so a file needs at least twice that many rows (both classes that size): the page's minimum
MIN_UPLOAD_ROWS = 2 * MIN_UPLOAD_MINORITY
# CPU seconds of a run on this 2-core machine shared with other jobs (bench: 4,000 to 50,000
# rows): a fixed part (the sweep's 40,000 scored rows, bootstraps, curves) plus a part per row
# (six fits, boosting's on the over-sampled split twice as many rows).
SECONDS_BASE = 0.25
SECONDS_PER_1000_ROWS = 0.035


@dataclass(frozen=True)
class Config(Settings):
    """Everything one run depends on, plus the two settings of the operating point.

    ``prevalence`` is the share of positives in the synthetic data (``n_samples`` rows,
    ``separation`` standard deviations between the negatives' centre and each kind of positive).
    ``model`` and ``threshold`` pick the operating point the page reads off the stored scores
    (a row is flagged positive when its predicted probability is at least ``threshold``); the
    run does not read them (``RUN_IGNORES``).
    """

    prevalence: float = number(0.01, 0.005, 0.5, log=True)
    n_samples: int = integer(20_000, 4_000, 50_000, step=2_000)
    separation: float = number(3.0, 0.0, 5.0, step=0.25)
    seed: int = integer(0, 0, 2**31 - 1)
    model: str = choice("logistic", MODELS)
    threshold: float = number(0.5, 0.001, 0.999, grid=THRESHOLDS)

    def check(self):
        check_budget(
            estimated_seconds(self),
            ("n_samples",),
            config=self,
            estimate=estimated_seconds,
        )


def estimated_seconds(config: Config) -> float:
    """Estimated CPU seconds of ``run(config)`` (the threshold and the model cost nothing)."""
    return SECONDS_BASE + SECONDS_PER_1000_ROWS * config.n_samples / 1000


# ---- data -------------------------------------------------------------------------------------


def sample_classes(
    n_positive: int, n_negative: int, separation: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the two classes (positives last): X of shape (n, N_FEATURES), y of 0/1."""
    negatives = rng.standard_normal((n_negative, N_FEATURES))
    positives = rng.standard_normal((n_positive, N_FEATURES))
    kind = rng.random(n_positive) < 0.5
    positives[kind, 0] += separation
    positives[~kind, 1] += separation
    X = np.vstack([negatives, positives])
    y = np.r_[np.zeros(n_negative, np.int64), np.ones(n_positive, np.int64)]
    return X, y


def stratified_split(
    y: np.ndarray, shares: tuple[float, ...], rng: np.random.Generator
) -> list[np.ndarray]:
    """Row indices of each part, every class cut in the same shares (at least one row a part
    per class where the class has that many)."""
    parts = [[] for _ in shares]
    for label in (0, 1):
        rows = rng.permutation(np.flatnonzero(y == label))
        cuts = np.floor(np.cumsum(shares)[:-1] * len(rows)).astype(int)
        if len(rows) >= len(shares):  # a rare class keeps a row in every part
            cuts = np.maximum(cuts, np.arange(1, len(shares)))
            cuts = np.minimum(cuts, len(rows) - np.arange(len(shares) - 1, 0, -1))
        for part, chunk in zip(parts, np.split(rows, cuts), strict=True):
            part.append(chunk)
    return [np.sort(np.concatenate(p)) for p in parts]


@dataclass(frozen=True)
class Splits:
    """Train, validation and test rows (labels 0/1, 1 = the positive, rarer class)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    name: str
    positive: str  # what the positive class is called
    sweep_X: np.ndarray | None = None  # the sweep's fresh rows (synthetic data only)
    sweep_y: np.ndarray | None = None


def make_splits(config: Config) -> Splits:
    """The synthetic data at the Config's prevalence, split 50/20/30 stratified by class."""
    rng = np.random.default_rng([config.seed, 0])
    n_pos = max(3, round(config.prevalence * config.n_samples))
    X, y = sample_classes(n_pos, config.n_samples - n_pos, config.separation, rng)
    shares = (TRAIN_SHARE, VALIDATION_SHARE, 1 - TRAIN_SHARE - VALIDATION_SHARE)
    train, val, test = stratified_split(y, shares, rng)
    fresh = np.random.default_rng([config.seed, 1])
    n_neg = sweep_negatives(SWEEP_POSITIVES, min(SWEEP_PREVALENCES))
    sweep_X, sweep_y = sample_classes(SWEEP_POSITIVES, n_neg, config.separation, fresh)
    return Splits(
        X[train], y[train], X[val], y[val], X[test], y[test],
        name="synthetic", positive="positive", sweep_X=sweep_X, sweep_y=sweep_y,
    )  # fmt: skip


def sweep_negatives(n_positive: int, prevalence: float) -> int:
    """Negatives that make ``n_positive`` positives a share ``prevalence`` of the rows."""
    return round(n_positive * (1 - prevalence) / prevalence)


def check_data(data: Dataset) -> None:
    """Refuse uploaded data this lesson can't use, saying what to change."""
    if data.task != "classification" or data.n_classes != 2:
        raise ValueError(
            f"This lesson needs a target with exactly two classes; yours has {data.n_classes}. "
            "Pick a yes/no column (or recode the target into two classes)."
        )
    counts = np.bincount(np.r_[data.y_train, data.y_test], minlength=2)
    if counts.min() < MIN_UPLOAD_MINORITY:
        # rows kept, not rows uploaded: a row with a missing value is dropped first, and the note
        # saying so is not shown beside this error (audit pass 46 a: "The rarer class has 35
        # rows" was said of a file with 45, 10 of them incomplete); the minimum is this page's
        # rule, not a need: the lesson trains and measures on 35 (audit pass 49 g)
        # a file holds at most MAX_UPLOAD_ROWS rows: where the rows it needs would take a file
        # past that, adding rows cannot help alone (audit pass 57 a: "Upload more rows of that
        # class" said of a 20,000-row file with 39 rows of its rarer class)
        short = MIN_UPLOAD_MINORITY - int(counts.min())
        how = (
            "Upload more rows of that class."
            if counts.sum() + short <= MAX_UPLOAD_ROWS
            else f"Upload more rows of that class in place of rows of the other (a file holds at "
            f"most {MAX_UPLOAD_ROWS:,} rows)."
        )
        raise ValueError(
            f"The rarer class has {counts.min()} rows without missing values (rows with a "
            f"missing value are dropped); this page asks for at least {MIN_UPLOAD_MINORITY}. " + how
        )


def upload_splits(data: Dataset, seed: int) -> tuple[Splits, tuple[str, ...]]:
    """An upload as train / validation / test: its rarer class is the positive one; a seeded,
    stratified quarter of its training split is held out for validation."""
    check_data(data)
    notes = []
    counts = np.bincount(np.r_[data.y_train, data.y_test], minlength=2)
    rare = int(np.argmin(counts)) if counts[0] != counts[1] else 1
    names = data.target_names or ("0", "1")
    y_train = (data.y_train == rare).astype(np.int64)
    y_test = (data.y_test == rare).astype(np.int64)
    fit, val = stratified_split(y_train, (0.75, 0.25), np.random.default_rng([seed, 3]))
    positive = names[rare]
    share = decimals(counts[rare] / counts.sum(), 1, 100)
    which = (
        f"Both classes are equally common ({counts[rare]:,} rows each); the positive class is "
        f"the second, {positive!r}"
        if counts[0] == counts[1]
        else f"The positive class is the rarer one, {positive!r} ({counts[rare]:,} of "
        f"{counts.sum():,} rows, {share} %)"
    )
    notes.append(f"{which}; a quarter of the training rows is held out as the validation split.")
    splits = Splits(
        data.X_train[fit], y_train[fit], data.X_train[val], y_train[val],
        data.X_test, y_test, name=data.name, positive=positive,
    )  # fmt: skip
    return splits, tuple(notes)


def prepare_data(config: Config, data: Dataset | None = None) -> tuple[Splits, tuple[str, ...]]:
    """The run's splits and notes about them: the Config's synthetic data, or the upload."""
    if data is None:
        return make_splits(config), ()
    return upload_splits(data, config.seed)


# ---- models -----------------------------------------------------------------------------------


def oversample(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    """Random over-sampling: minority rows drawn with replacement until both classes are equal."""
    counts = np.bincount(y, minlength=2)
    minority = int(np.argmin(counts))
    extra = rng.choice(np.flatnonzero(y == minority), counts.max() - counts.min(), replace=True)
    keep = np.r_[np.arange(len(y)), extra]
    return X[keep], y[keep]


def make_model(model: str, training: str, seed: int):
    """An unfitted scikit-learn-style classifier (class weights set for ``weights``)."""
    weights = "balanced" if training == "weights" else None
    if model == "logistic":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(solver="newton-cholesky", class_weight=weights, max_iter=200)
    import lightgbm as lgb

    return lgb.LGBMClassifier(**BOOSTING, class_weight=weights, random_state=seed)


def fit_scores(splits: Splits, seed: int) -> tuple[dict, dict, dict]:
    """Every (model, training): P(positive) on validation, test and the sweep's rows."""
    val, test, sweep = {}, {}, {}
    rng = np.random.default_rng([seed, 4])
    X_over, y_over = oversample(splits.X_train, splits.y_train, rng)
    pairs = [(m, t) for m in MODELS for t in TRAININGS]
    for i, (model, training) in enumerate(pairs):
        report(0.8 * i / len(pairs), f"training {MODEL_NAMES[model]} ({TRAINING_NAMES[training]})")
        over = training == "oversampled"
        X, y = (X_over, y_over) if over else (splits.X_train, splits.y_train)
        fitted = make_model(model, training, seed).fit(X, y)
        val[model, training] = fitted.predict_proba(splits.X_val)[:, 1]
        test[model, training] = fitted.predict_proba(splits.X_test)[:, 1]
        if training == "plain" and splits.sweep_X is not None:
            sweep[model] = fitted.predict_proba(splits.sweep_X)[:, 1]
    return val, test, sweep


# ---- metrics ----------------------------------------------------------------------------------


def operating_point(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    """Every threshold metric of scores ``p`` on labels ``y`` (flagged: p >= threshold).

    The same definitions as ``sklearn.metrics``: precision TP/(TP+FP) (undefined, nan, when
    nothing is flagged), recall = TPR = TP/(TP+FN), FPR = FP/(FP+TN), F1 = 2TP/(2TP+FP+FN),
    balanced accuracy (TPR + TNR)/2, accuracy, and the accuracy of always predicting the
    majority class of ``y``.
    """
    y = np.asarray(y).astype(bool)
    flagged = np.asarray(p) >= threshold
    tp = int(np.count_nonzero(flagged & y))
    fp = int(np.count_nonzero(flagged & ~y))
    fn = int(np.count_nonzero(~flagged & y))
    tn = int(np.count_nonzero(~flagged & ~y))
    n, pos = tp + fp + fn + tn, tp + fn
    neg = n - pos
    tpr = tp / pos if pos else math.nan
    tnr = tn / neg if neg else math.nan
    return {
        "threshold": float(threshold),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "n": n,
        "positives": pos,
        "flagged": tp + fp,
        "precision": tp / (tp + fp) if tp + fp else math.nan,
        "recall": tpr,
        "tpr": tpr,
        "fpr": fp / neg if neg else math.nan,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan,
        "balanced_accuracy": (tpr + tnr) / 2,
        "accuracy": (tp + tn) / n,
        "majority_accuracy": max(pos, neg) / n,
        "majority_is_negative": neg >= pos,
    }


def accuracy_gain(point: dict) -> tuple[float, float]:
    """Accuracy minus the majority baseline's, and the standard error of that paired difference.

    Per row, the model is right where the baseline is wrong (a true positive, when the
    majority is negative: +1) or wrong where it is right (a false positive: -1); the gain is
    the mean of those, its SE the sample SD / sqrt(n).
    """
    n = point["n"]
    up, down = (
        (point["tp"], point["fp"]) if point["majority_is_negative"] else (point["tn"], point["fn"])
    )
    mean = (up - down) / n
    var = (up + down) / n - mean**2  # of the per-row differences, over n
    return mean, math.sqrt(max(var, 0.0) / max(n - 1, 1))


def ranking_metrics(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """ROC AUC and average precision of scores ``p`` on labels ``y`` (1 = positive).

    As ``sklearn.metrics.roc_auc_score`` and ``average_precision_score`` compute them, in one
    sort: the points are the distinct thresholds (tied scores move together); the AUC is the
    trapezoid area under (FPR, TPR), AP = sum over thresholds of (R_k - R_(k-1)) P_k.
    """
    order = np.argsort(p, kind="mergesort")[::-1]
    scores, hits = np.asarray(p)[order], np.asarray(y)[order].astype(np.float64)
    last = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]  # the last row of each tie
    tps = np.cumsum(hits)[last]
    fps = last + 1 - tps
    pos, neg = tps[-1], fps[-1]
    tpr, fpr = np.r_[0.0, tps / pos], np.r_[0.0, fps / neg]
    auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    ap = float(np.sum(np.diff(tpr) * (tps / (tps + fps))))
    return auc, ap


def f1_optimal_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold of highest F1 on (y, p) (the highest such threshold among ties)."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, p)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0)
    f1 = f1[:-1]  # the last point (recall 0, precision 1) has no threshold
    best = np.flatnonzero(f1 == f1.max())
    return float(thresholds[best[-1]])


def thin(frame: pd.DataFrame, most: int = MAX_CURVE_POINTS) -> pd.DataFrame:
    """At most ``most`` rows, evenly spaced, the first and the last kept."""
    if len(frame) <= most:
        return frame
    keep = np.unique(np.linspace(0, len(frame) - 1, most).round().astype(int))
    return frame.iloc[keep]


def pr_corners(recall: np.ndarray) -> np.ndarray:
    """Rows of a precision-recall curve where recall changes: the first and the last row of
    each run of equal recall. Between them only negatives are added (precision falls at one
    recall), so joining these rows in order draws every point of the curve on its line."""
    change = np.flatnonzero(np.diff(recall) != 0)
    return np.unique(np.r_[0, change, change + 1, len(recall) - 1])


def _curves(y, scores: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.metrics import precision_recall_curve, roc_curve

    rocs, prs = [], []
    for model in MODELS:
        p = scores[model, "plain"]
        fpr, tpr, thr = roc_curve(y, p)
        thr = np.where(np.isfinite(thr), thr, np.nan)  # the first point (0, 0) flags no row
        rocs.append(thin(pd.DataFrame({"model": model, "fpr": fpr, "tpr": tpr, "threshold": thr})))
        precision, recall, thr = precision_recall_curve(y, p)
        # the last point (recall 0, precision 1) has no threshold; "step" orders the line
        pr = pd.DataFrame(
            {
                "model": model,
                "recall": recall,
                "precision": precision,
                "threshold": np.r_[thr, np.nan],
                "step": np.arange(len(recall)),
            }
        )
        prs.append(thin(pr.iloc[pr_corners(recall)], MAX_PR_POINTS))
    return pd.concat(rocs, ignore_index=True), pd.concat(prs, ignore_index=True)


def _summary(splits: Splits, val: dict, test: dict) -> pd.DataFrame:
    y = splits.y_test
    rows = []
    for model in MODELS:
        plain = test[model, "plain"]
        for training in TRAININGS:
            p = test[model, training]
            sq = (p - y) ** 2
            diff = sq - (plain - y) ** 2
            auc, ap = ranking_metrics(y, p)
            rows.append(
                {
                    "model": model,
                    "training": training,
                    "auc": auc,
                    "ap": ap,
                    "brier": float(sq.mean()),
                    "brier_se": float(sq.std(ddof=1) / math.sqrt(len(y))),
                    "brier_gap": float(diff.mean()),  # minus the plain model's Brier score
                    "brier_gap_se": float(diff.std(ddof=1) / math.sqrt(len(y))),
                    "mean_p": float(p.mean()),
                    "tuned_threshold": f1_optimal_threshold(splits.y_val, val[model, training]),
                }
            )
    return pd.DataFrame(rows)


def bootstrap_counts(n: int, seed: int, b: int = BOOTSTRAP) -> np.ndarray:
    """How often each of ``n`` test rows is drawn in each of ``b`` resamples (b x n)."""
    rng = np.random.default_rng([seed, 2])
    draws = rng.integers(0, n, size=(b, n)) + n * np.arange(b)[:, None]
    return np.bincount(draws.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


def _remedies(splits: Splits, test: dict, summary: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Precision, recall and F1 of every (model, training, rule) on the test split, with the
    paired-bootstrap SE of each F1 and of its gap to the best of the four remedies."""
    y = splits.y_test.astype(bool)
    counts = bootstrap_counts(len(y), seed)
    tuned = summary.set_index(["model", "training"])["tuned_threshold"]
    rows, boot = [], {}
    for model in MODELS:
        for training in TRAININGS:
            for rule in RULES:
                t = 0.5 if rule == "0.5" else float(tuned[model, training])
                point = operating_point(y, test[model, training], t)
                flagged = test[model, training] >= t
                tp = counts @ (flagged & y).astype(np.float64)
                wrong = counts @ (flagged ^ y).astype(np.float64)  # FP + FN
                with np.errstate(invalid="ignore", divide="ignore"):
                    f1 = np.where(2 * tp + wrong > 0, 2 * tp / (2 * tp + wrong), 0.0)
                boot[model, training, rule] = f1
                rows.append(
                    {
                        "model": model,
                        "training": training,
                        "rule": rule,
                        **{k: point[k] for k in ("threshold", "tp", "fp", "fn", "tn")},
                        "precision": point["precision"],
                        "recall": point["recall"],
                        "f1": point["f1"],
                        "f1_se": float(f1.std(ddof=1)),
                    }
                )
    table = pd.DataFrame(rows)
    table["remedy"] = ""
    table["gap_to_best"] = np.nan
    table["gap_se"] = np.nan
    for model in MODELS:
        keys = {name: (model, *key) for name, key in REMEDIES.items()}
        f1 = {name: float(table.loc[_row(table, *key), "f1"].iloc[0]) for name, key in keys.items()}
        best = max(f1, key=lambda name: np.nan_to_num(f1[name], nan=-1.0))
        for name, key in keys.items():
            where = _row(table, *key)
            table.loc[where, "remedy"] = name
            table.loc[where, "gap_to_best"] = np.nan_to_num(f1[best]) - np.nan_to_num(f1[name])
            table.loc[where, "gap_se"] = float((boot[keys[best]] - boot[key]).std(ddof=1))
    return table


def _row(table: pd.DataFrame, model: str, training: str, rule: str) -> pd.Series:
    return (table["model"] == model) & (table["training"] == training) & (table["rule"] == rule)


def _calibration(splits: Splits, test: dict) -> pd.DataFrame:
    from sklearn.calibration import calibration_curve

    frames = []
    for model in MODELS:
        for training in TRAININGS:
            observed, predicted = calibration_curve(
                splits.y_test, test[model, training], n_bins=CALIBRATION_BINS, strategy="quantile"
            )
            frames.append(
                pd.DataFrame(
                    {
                        "model": model,
                        "training": training,
                        "mean_predicted": predicted,
                        "fraction_positive": observed,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def sweep_rows(y: np.ndarray, prevalence: float, rng_seed: int) -> np.ndarray | None:
    """Rows of (y, scores) that make a test set of the given prevalence: every positive and the
    first negatives needed (or, when there are too few negatives, every negative and the first
    positives), in a seeded order; None when fewer than MIN_SWEEP_POSITIVES positives remain."""
    order = np.random.default_rng([rng_seed, 5]).permutation(len(y))
    pos, neg = order[y[order] == 1], order[y[order] == 0]
    need = sweep_negatives(len(pos), prevalence)
    if need <= len(neg):
        keep_pos, keep_neg = len(pos), need
    else:
        keep_pos, keep_neg = round(len(neg) * prevalence / (1 - prevalence)), len(neg)
    if keep_pos < MIN_SWEEP_POSITIVES or keep_neg < 1:
        return None
    return np.r_[pos[:keep_pos], neg[:keep_neg]]


def outranked_counts(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """For each positive of (y, p), how many negatives score strictly above it."""
    negatives = np.sort(np.asarray(p)[np.asarray(y) == 0])
    positives = np.asarray(p)[np.asarray(y) == 1]
    return len(negatives) - np.searchsorted(negatives, positives, side="right")


def _sweep(splits: Splits, test: dict, sweep: dict, seed: int) -> pd.DataFrame:
    if splits.sweep_X is not None:
        y, scores, source = splits.sweep_y, sweep, "fresh rows"
    else:
        y, scores, source = splits.y_test, {m: test[m, "plain"] for m in MODELS}, "test split"
    rows = []
    for prevalence in SWEEP_PREVALENCES:
        keep = sweep_rows(y, prevalence, seed)
        if keep is None:
            continue
        yk = y[keep]
        for model in MODELS:
            auc, ap = ranking_metrics(yk, scores[model][keep])
            outranked = outranked_counts(yk, scores[model][keep])
            rows.append(
                {
                    "prevalence": prevalence,
                    "model": model,
                    "positives": int(yk.sum()),
                    "negatives": int(len(yk) - yk.sum()),
                    "chance_ap": float(yk.mean()),
                    "auc": auc,
                    "ap": ap,
                    # negatives scoring strictly above each positive: their mean, and the
                    # lower median (at least half the positives are outranked by at most it)
                    "outranked_mean": float(outranked.mean()),
                    "outranked_median": int(np.sort(outranked)[(len(outranked) - 1) // 2]),
                    "source": source,
                }
            )
    # the columns even where no prevalence could be drawn (a test split with fewer than
    # MIN_SWEEP_POSITIVES positives: a hand-built Dataset), so facts() reads an empty sweep
    # (audit pass 61 f: KeyError('model'))
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)


# ---- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One run: stored scores and every threshold-free table.

    Attributes
    ----------
    scores : DataFrame
        The test split: ``y`` (1 = positive) and P(positive) of each model and training, in
        columns ``<model>_<training>`` (e.g. ``logistic_plain``).
    validation : DataFrame
        The same for the validation split (where the tuned thresholds are chosen).
    roc, pr : DataFrame
        model, fpr, tpr, threshold / model, recall, precision, threshold, step: the plain
        models' test curves (``roc_curve``, whose first point, above every score, has threshold
        nan; ``precision_recall_curve`` at the rows where recall
        changes, see :func:`pr_corners`), at most MAX_CURVE_POINTS / MAX_PR_POINTS each.
    summary : DataFrame
        Per model and training, on the test split: auc, ap, brier (with brier_se, and the gap
        to the plain model's with its paired SE), mean_p, tuned_threshold (F1-optimal on the
        validation split).
    remedies : DataFrame
        Per model, training and rule ("0.5" or "tuned"): threshold, tp, fp, fn, tn, precision,
        recall, f1, f1_se (bootstrap); for the four remedies, their name and the F1 gap to the
        best of them with the SE of that paired difference.
    calibration : DataFrame
        model, training, mean_predicted, fraction_positive (``calibration_curve``, quantile
        bins).
    sweep : DataFrame
        prevalence, model, positives, negatives, chance_ap (= the prevalence of that set), auc,
        ap, outranked_mean and outranked_median (negatives scoring strictly above a positive:
        their mean over the positives, and the lower median), source.
    info : dict
        data, positive, n_train, n_val, n_test, positives in each split, test prevalence, seconds.
    notes : tuple of str
    """

    scores: pd.DataFrame
    validation: pd.DataFrame
    roc: pd.DataFrame
    pr: pd.DataFrame
    summary: pd.DataFrame
    remedies: pd.DataFrame
    calibration: pd.DataFrame
    sweep: pd.DataFrame
    info: dict
    notes: tuple[str, ...] = ()

    def test_scores(self, model: str, training: str = "plain") -> np.ndarray:
        return self.scores[f"{model}_{training}"].to_numpy()

    def point(self, model: str, threshold: float, training: str = "plain") -> dict:
        """The operating point of a model's test scores at a threshold."""
        return operating_point(
            self.scores["y"].to_numpy(), self.test_scores(model, training), threshold
        )


def _frame(y: np.ndarray, scores: dict) -> pd.DataFrame:
    columns = {"y": y.astype(np.int64)}
    columns.update({f"{m}_{t}": scores[m, t] for m in MODELS for t in TRAININGS})
    return pd.DataFrame(columns)


def run(config: Config, data: Dataset | None = None) -> Result:
    """Train, score once, and measure everything that does not depend on the threshold.

    ``data`` (an uploaded binary classification set) replaces the synthetic data; its rarer
    class is the positive one, and the sweep takes subsets of its test split (no row twice) instead of fresh rows.
    """
    from threadpoolctl import threadpool_limits

    start = time.perf_counter()
    splits, notes = prepare_data(config, data)
    # One BLAS thread: the products here are small, and threads only contend on a shared server.
    with threadpool_limits(limits=1, user_api="blas"):
        val, test, sweep = fit_scores(splits, config.seed)
        report(0.8, "measuring")
        summary = _summary(splits, val, test)
        roc, pr = _curves(splits.y_test, test)
        remedies = _remedies(splits, test, summary, config.seed)
        calibration = _calibration(splits, test)
        swept = _sweep(splits, test, sweep, config.seed)
    info = {
        "data": splits.name,
        "positive": splits.positive,
        "n_train": len(splits.y_train),
        "n_val": len(splits.y_val),
        "n_test": len(splits.y_test),
        "train_positives": int(splits.y_train.sum()),
        "val_positives": int(splits.y_val.sum()),
        "test_positives": int(splits.y_test.sum()),
        "test_prevalence": float(splits.y_test.mean()),
        "n_features": splits.X_train.shape[1],
        "uploaded": data is not None,
        "seconds": time.perf_counter() - start,
    }
    return Result(
        scores=_frame(splits.y_test, test),
        validation=_frame(splits.y_val, val),
        roc=roc,
        pr=pr,
        summary=summary,
        remedies=remedies,
        calibration=calibration,
        sweep=swept,
        info=info,
        notes=notes,
    )
