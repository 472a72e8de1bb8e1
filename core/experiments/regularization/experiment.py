"""L1 vs L2 vs elastic net: coefficient paths, exact zeros, the diamond and the circle, a small net."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from core import mlp, optim
from core import regularization as reg
from core.config import Settings, choice, integer, number, param_of
from core.data import Dataset, load_bundled, subsample
from core.experiments.budget import check_budget
from core.train import fit

DATASETS = ("diabetes", "synthetic")
# scikit-learn's spellings (Lasso / Ridge / ElasticNet), as core.regularization takes them;
# the page's labels live in ui/.
PENALTIES = reg.PENALTIES
N_ALPHAS = 50
CV_FOLDS = 5
N_TEST_SYNTHETIC = 200
# The correlated pair: y = x1 + x2 + noise; few samples and sizeable noise make the marginal
# correlations of x1 and x2 with y differ enough for L1 to pick one of them for much of the path.
PAIR_SAMPLES, PAIR_NOISE = 100, 2.0
CORRELATIONS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999)
# The 2-D least-squares problem behind the geometry panel (fixed, so the picture is stable).
GEOMETRY_SAMPLES, GEOMETRY_WEIGHTS, GEOMETRY_CORRELATION, GEOMETRY_NOISE = 60, (2.0, 0.6), 0.4, 0.5
GEOMETRY_BUDGETS = np.round(np.linspace(0.02, 3.0, 150), 4)
# The small network: one hidden layer, full-batch SGD with momentum (subgradient for L1).
NET_HIDDEN, NET_LR, NET_MOMENTUM = 16, 0.05, 0.9
NET_EPOCHS = (100, 200, 300, 500, 1000, 2000)
SMALL_WEIGHT = 1e-3
LOG10_BINS = np.arange(-8.0, 1.25, 0.25)
# Uploaded data feeds the coefficient paths and the CV choices only (the other panels need a known
# truth or a fixed 2-D problem). Capped (seeded sample) so three paths and their cross-validation
# stay within the page's budget; see bench/upload_worst_case.py.
UPLOAD_MAX_TRAIN, UPLOAD_MAX_TEST = 3000, 3000
# Seconds on the lab's machine (one core's CPU seconds), fitted to bench/budget.py timings (a
# fresh process per run, every dataset x n x p x epochs corner, on the shared 2-core machine): a
# fixed part (first run, the synthetic data, the geometry and the correlated pair), loading the
# diabetes set, the paths and their cross-validation per training row x feature, and each epoch
# of the three small nets, whose full-batch steps grow with rows x (features + hidden units).
SECONDS_BASE, SECONDS_DIABETES = 0.15, 0.1
SECONDS_PER_PATH_CELL = 2.5e-6
SECONDS_PER_EPOCH, SECONDS_PER_EPOCH_PER_CELL = 1.2e-4, 1.1e-8
DIABETES_TRAIN_ROWS, DIABETES_FEATURES = 309, 10


@dataclass(frozen=True)
class Config(Settings):
    """Everything one run of the regularization lesson depends on.

    ``dataset`` feeds the coefficient paths; the synthetic set (``n_samples`` training rows,
    ``n_features`` standard-normal features of which ``n_informative`` have non-zero true weights,
    y = X w + ``noise`` * eps) also feeds the support-recovery curve and the network, whichever
    data the paths use.
    """

    dataset: str = choice("diabetes", DATASETS)
    n_samples: int = integer(150, 40, 400, step=10)
    n_features: int = integer(20, 5, 30)
    n_informative: int = integer(5, 1, 10)
    noise: float = number(1.0, 0.0, 5.0, step=0.1)
    seed: int = integer(0, 0, 2**31 - 1)
    l1_ratio: float = number(0.5, 0.1, 0.9, step=0.1)
    budget: float = number(1.0, 0.1, 3.0, step=0.1)
    correlation: float = number(0.99, 0.0, 0.999, grid=CORRELATIONS)
    net_l1: float = number(0.01, 1e-4, 0.1, log=True)
    net_l2: float = number(0.01, 1e-4, 0.1, log=True)
    net_epochs: int = integer(300, 100, 2000, grid=NET_EPOCHS)

    def check(self):
        if self.n_informative > self.n_features:
            raise ValueError(
                f"'n_informative' must be at most 'n_features' ({self.n_features}); got "
                f"{self.n_informative}. Lower 'n_informative' or raise 'n_features'."
            )
        check_budget(
            estimated_seconds(self),
            ("net_epochs", "n_samples", "n_features"),
            config=self,
            estimate=estimated_seconds,
        )


def estimated_seconds(config: Config, data: Dataset | None = None) -> float:
    """Seconds of ``run(config, data)`` on the lab's machine (a cold run: nothing reused from the
    caches in core).

    The paths' cost grows with the rows x features of the data they use (the synthetic set, the
    diabetes set's 309 x 10, or the upload's capped sample); support recovery always fits the L1
    path of the synthetic set, and the three nets (none, L1, L2) train on it whichever data the
    paths use.
    """
    synthetic = config.n_samples * config.n_features
    seconds = SECONDS_BASE + SECONDS_PER_PATH_CELL * synthetic
    if data is not None:
        seconds += (
            SECONDS_PER_PATH_CELL * min(len(data.y_train), UPLOAD_MAX_TRAIN) * data.n_features
        )
    elif config.dataset == "diabetes":
        seconds += (
            SECONDS_DIABETES + SECONDS_PER_PATH_CELL * DIABETES_TRAIN_ROWS * DIABETES_FEATURES
        )
    net_cells = config.n_samples * (config.n_features + NET_HIDDEN)
    seconds += config.net_epochs * (SECONDS_PER_EPOCH + SECONDS_PER_EPOCH_PER_CELL * net_cells)
    return seconds


def estimated_seconds_on_upload(config: Config, data: Dataset) -> float:
    """Estimated seconds of ``run(config, data)`` with a file loaded (``ui.runner.estimate`` reads
    it for the spinner): the paths on the upload's capped sample in place of the diabetes set's
    (audit pass 58 e: the spinner priced the idle diabetes set, and said nothing at 400 rows, 30
    features and 2,000 epochs for a run on a 3,000-row, 50-feature file estimated at 1.2 s)."""
    return estimated_seconds(config, data)


@dataclass(frozen=True)
class Result:
    """What the page draws. Frames are tidy; ``alpha`` is always the scikit-learn estimator's own,
    and ``penalty`` is ``l1``, ``l2`` or ``elasticnet`` (``none`` for the unpenalized net).

    Attributes
    ----------
    paths : DataFrame
        penalty, alpha, alpha_common, feature, coef, truth: coefficient paths on the chosen data.
        ``alpha_common`` puts all three on the ElasticNet scale (Ridge's alpha divided by n).
    models : DataFrame
        penalty, alpha_cv, alpha_common_cv, n_nonzero, n_features, train_r2, test_r2,
        alpha_max (the smallest alpha with every coefficient 0; NaN for Ridge): each penalty
        refitted at its cross-validated alpha.
    zeros : DataFrame
        penalty, alpha, alpha_common, n_zero, n_features: exactly-zero coefficients per alpha.
    recovery : DataFrame
        alpha, n_selected, precision, recall, n_true_kept, n_false_kept: L1's support on the
        synthetic set against the truth, at every alpha of its grid.
    recovery_cv : dict
        alpha, n_selected, n_true, n_true_kept, precision, recall at LassoCV's alpha on the
        synthetic set.
    truth : DataFrame
        feature, coef: the synthetic set's true weights (standardized units), zero off the support.
    contours, boundaries, optima, budget_sweep : DataFrame
        The geometry panel: loss level sets (level, t, w1, w2, kind), the diamond and the circle
        (penalty, t, w1, w2), the constrained optima (penalty, w1, w2, loss, active, corner,
        multiplier, equivalent_alpha) and the optima over budgets (budget, penalty, coefficient,
        value, corner). Penalty ``l1`` is the diamond, ``l2`` the circle.
    geometry : dict
        ols (w1, w2), ols_loss, corner_edge (the largest budget whose L1 optimum is a corner),
        corner_up_to (on the sweep, the L1 optimum is a corner for every
        budget up to this one).
    pair_paths, pair_reference : DataFrame
        Correlated features: (penalty, alpha, alpha_common, feature, coef) along a shared grid and
        (penalty, feature, coef) at the reference alpha.
    pair : dict
        correlation (sample), alpha_reference, alpha_max, n_samples, l1_ratio_least (the least
        L1 share the slider offers) and elasticnet_least (elastic net's (w1, w2) at it, at the
        reference alpha), and per penalty in
        ``entry``: alpha_first (largest alpha with a non-zero weight), alpha_both (largest alpha
        with both non-zero; NaN if never), first (the feature non-zero first), alone (grid
        points with exactly one non-zero weight) and nonzero (grid points with any), on the
        ElasticNet scale.
    net_weights, net_histogram, net_inputs, net_summary : DataFrame
        The small network trained without a penalty, with L1 and with L2: every weight
        (penalty, layer, weight), a histogram of log10|w| (penalty, log10_low, log10_high, count),
        each input's total |first-layer weight| (penalty, feature, truth, weight_l1), and per
        penalty: strength, n_weights, n_small, share_small, n_exact_zero, train_mse, test_mse,
        diverged, stopped_reason.
    feature_names : tuple of str
    dataset : str
        The config's dataset, or ``"upload"`` when uploaded data fed the paths.
    n_train : int
        Training rows of the chosen data (Ridge's alpha is n_train times ElasticNet's).
    data_name : str
        The data of the paths as the page names it ("diabetes", "synthetic" or the file name).
    notes : tuple of str
        What was done to uploaded data (rows sampled); empty otherwise.
    """

    paths: pd.DataFrame
    models: pd.DataFrame
    zeros: pd.DataFrame
    recovery: pd.DataFrame
    recovery_cv: dict
    truth: pd.DataFrame
    contours: pd.DataFrame
    boundaries: pd.DataFrame
    optima: pd.DataFrame
    budget_sweep: pd.DataFrame
    geometry: dict
    pair_paths: pd.DataFrame
    pair_reference: pd.DataFrame
    pair: dict
    net_weights: pd.DataFrame
    net_histogram: pd.DataFrame
    net_inputs: pd.DataFrame
    net_summary: pd.DataFrame
    feature_names: tuple[str, ...]
    dataset: str
    n_train: int
    data_name: str = ""
    notes: tuple[str, ...] = ()


# ---- data -----------------------------------------------------------------------------------------


def _synthetic_key(config: Config) -> tuple:
    return (config.n_samples, config.n_features, config.n_informative, config.noise, config.seed)


@lru_cache(maxsize=8)
def _synthetic(key: tuple) -> tuple[Dataset, np.ndarray]:
    n_samples, n_features, n_informative, noise, seed = key
    return reg.make_sparse_regression(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_informative,
        noise=noise,
        seed=seed,
        n_test=N_TEST_SYNTHETIC,
    )


@lru_cache(maxsize=2)
def _diabetes() -> Dataset:
    return load_bundled("diabetes")


def _data(dataset: str, synthetic_key: tuple) -> tuple[Dataset, np.ndarray | None]:
    return (_diabetes(), None) if dataset == "diabetes" else _synthetic(synthetic_key)


# ---- coefficient paths ----------------------------------------------------------------------------


def alpha_grid(X, y, penalty: str, l1_ratio: float = 0.5, n_alphas: int = N_ALPHAS) -> np.ndarray:
    """Each penalty's grid in its own estimator's scale, descending.

    L1 and elastic net span ``2 alpha_max`` (all zero) to ``alpha_max / 1000``; Ridge has no
    alpha_max, so its grid is ``n * [1e3 .. 1e-3]`` (on the ElasticNet scale: 1e3 .. 1e-3).
    """
    if penalty == "l2":
        return len(y) * np.geomspace(1e3, 1e-3, n_alphas)
    top = reg.alpha_max(X, y, l1_ratio=1.0 if penalty == "l1" else l1_ratio)
    return np.geomspace(2.0 * top, 1e-3 * top, n_alphas)


def check_data(data: Dataset) -> None:
    """Refuse uploaded data the coefficient paths can't use, with a message that says what to change."""
    if data.task != "regression":
        raise ValueError(
            "The coefficient paths fit linear regressions; pick a numeric target (upload it as "
            "regression data)."
        )
    if data.X_train.shape[0] and np.all(np.ptp(data.X_train, axis=0) == 0):
        raise ValueError(
            "Every feature is constant in the training rows: standardized they are all 0, so no "
            "penalty has a coefficient to shrink. Upload at least one feature that varies."
        )


def prepare_data(config: Config, data: Dataset) -> tuple[Dataset, tuple[str, ...]]:
    """Uploaded data for the paths, checked and capped to UPLOAD_MAX_TRAIN / UPLOAD_MAX_TEST rows."""
    check_data(data)
    # the page's caps, named as such: "to keep this page's run within its time budget" was said
    # of 3,010 training rows of 5 features cut to 3,000, all estimated at 0.3 s of the 10 s
    # budget, and of the test rows, which the estimate does not price (audit pass 53)
    ds, notes = subsample(
        data,
        max_train=UPLOAD_MAX_TRAIN,
        max_test=UPLOAD_MAX_TEST,
        seed=config.seed,
        why=f"because this page fits the coefficient paths on at most {UPLOAD_MAX_TRAIN:,} "
        "training rows",
        why_test=f"because this page scores the refitted models on at most {UPLOAD_MAX_TEST:,} "
        "test rows",
    )
    if len(ds.y_train) < len(data.y_train):
        # a sample can hold none of the few rows that vary: the grids start at alpha_max = 0 and
        # the run failed with numpy's "Geometric sequence cannot include zero" (audit pass 58 e:
        # a 5,000-row file whose target is 0 except in one row, at seed 3)
        flat = {
            "target": bool(np.ptp(ds.y_train) == 0),
            "feature": bool(np.all(np.ptp(ds.X_train, axis=0) == 0)),
        }
        if any(flat.values()):
            same = " and ".join(
                text
                for key, text in (
                    ("target", "the same target value"),
                    ("feature", "the same value in every feature"),
                )
                if flat[key]
            )
            varies = {
                (True, False): "target varies",
                (False, True): "features vary",
                (True, True): "target and features vary",
            }[flat["target"], flat["feature"]]
            raise ValueError(
                f"The {UPLOAD_MAX_TRAIN:,} training rows this page samples of your "
                f"{len(data.y_train):,} (at seed {config.seed}) all have {same}: the rows that "
                "differ were left out of the sample, so no penalty has anything to fit. Another "
                f"seed draws another sample; or upload a file whose {varies} in more rows."
            )
        ds = _restandardized(ds)
        notes.append(
            "The sampled training rows' features and target are standardized again on those "
            "rows (the test rows with the same means and standard deviations): the file was "
            "standardized on its whole training split, which a sample's spread can differ from."
        )
    return ds, tuple(notes)


def _restandardized(ds: Dataset) -> Dataset:
    """``ds`` with its features and target standardized on its own training rows (a feature or
    target constant there is only centred). The upload reader standardizes on the whole training
    split; the sample the page keeps of it need not have mean 0 and std 1: a file whose feature
    has one far outlier, left out of the sample, gave that feature a std of 0.059 in the rows
    the paths used, beside a caption saying "standardized features" (audit pass 56 d)."""
    mx, sx = ds.X_train.mean(axis=0), ds.X_train.std(axis=0)
    sx = np.where(sx > 0, sx, 1.0)
    my, sy = float(ds.y_train.mean()), float(ds.y_train.std())
    sy = sy if sy > 0 else 1.0
    return Dataset(
        X_train=(ds.X_train - mx) / sx,
        X_test=(ds.X_test - mx) / sx,
        y_train=(ds.y_train - my) / sy,
        y_test=(ds.y_test - my) / sy,
        task=ds.task,
        feature_names=ds.feature_names,
        n_classes=ds.n_classes,
        name=ds.name,
        target_names=ds.target_names,
    )


@lru_cache(maxsize=16)
def _penalty_part(dataset: str, synthetic_key: tuple, penalty: str, l1_ratio, seed: int):
    """Path, CV alpha and refitted scores of one penalty (cached: sliders elsewhere reuse it)."""
    ds, _ = _data(dataset, synthetic_key)
    return _fit_penalty(ds, penalty, l1_ratio, seed)


def r2_or_nan(model, X: np.ndarray, y: np.ndarray) -> float:
    """``model``'s R² on (X, y), or nan where R² is undefined: every target the same value makes
    its denominator, the targets' spread, 0 (scikit-learn reports 0.0 or 1.0 there by
    convention, which a sentence would print as a result). A small upload's test split can be
    all one value."""
    if len(y) == 0 or np.ptp(y) == 0:
        return math.nan
    return float(model.score(X, y))


def _fit_penalty(ds: Dataset, penalty: str, l1_ratio, seed: int):
    """Path, CV alpha and refitted scores of one penalty on ``ds``."""
    X, y = ds.X_train, ds.y_train
    ratio = 0.5 if l1_ratio is None else l1_ratio
    grid = alpha_grid(X, y, penalty, ratio)
    path = reg.coef_path(
        X, y, penalty=penalty, alphas=grid, l1_ratio=ratio, feature_names=ds.feature_names
    )
    best = reg.cv_alpha(
        X, y, penalty=penalty, alphas=grid, l1_ratio=ratio, n_folds=CV_FOLDS, seed=seed
    )
    model = reg.estimator(penalty, best, l1_ratio=ratio).fit(X, y)
    scale = len(y) if penalty == "l2" else 1.0
    row = {
        "penalty": penalty,
        "alpha_cv": best,
        "alpha_common_cv": best / scale,
        "n_nonzero": int(np.count_nonzero(model.coef_)),
        "n_features": X.shape[1],
        "train_r2": r2_or_nan(model, X, y),
        "test_r2": r2_or_nan(model, ds.X_test, ds.y_test),
        "alpha_max": math.nan
        if penalty == "l2"
        else reg.alpha_max(X, y, l1_ratio=1.0 if penalty == "l1" else ratio),
    }
    return path.assign(penalty=penalty, alpha_common=path["alpha"] / scale), row


def _recovery(synthetic_key: tuple, seed: int):
    ds, truth = _synthetic(synthetic_key)
    path, row = _penalty_part("synthetic", synthetic_key, "l1", None, seed)
    support = truth != 0
    rows = []
    for alpha, group in path.groupby("alpha", sort=False):
        kept = group["coef"].to_numpy() != 0
        precision, recall = reg.support_scores(group["coef"].to_numpy(), support)
        hits = int(np.sum(kept & support))
        rows.append((alpha, int(kept.sum()), precision, recall, hits, int(kept.sum()) - hits))
    recovery = pd.DataFrame(
        rows,
        columns=["alpha", "n_selected", "precision", "recall", "n_true_kept", "n_false_kept"],
    )
    at_cv = path[np.isclose(path["alpha"], row["alpha_cv"], rtol=1e-12)]["coef"].to_numpy()
    precision, recall = reg.support_scores(at_cv, support)
    recovery_cv = {
        "alpha": row["alpha_cv"],
        "n_selected": int(np.count_nonzero(at_cv)),
        "n_true": int(support.sum()),
        "n_true_kept": int(np.sum((at_cv != 0) & support)),
        "precision": precision,
        "recall": recall,
    }
    recovery_cv["exact_segment"] = exact_support_segment(ds.X_train, ds.y_train, support)
    truth_frame = pd.DataFrame({"feature": ds.feature_names, "coef": truth})
    return recovery, recovery_cv, truth_frame


def exact_support_segment(X, y, support) -> tuple[float, float] | None:
    """The α interval (low, high) on the exact Lasso path (LARS, ``method="lasso"``, on centred
    data, in Lasso's α scale) where the non-zero coefficients are exactly ``support``, or None
    where no α gives that support. The grid of N_ALPHAS values can miss such an interval, or
    seem to leave room for one that the path does not have: preset "No noise, many true
    features" said "a finer grid may find an α that selects exactly the true ones" where a
    truly-zero feature enters at α = 0.0528, before the last true one at 0.0511, so no α does
    (audit pass 56 d)."""
    from sklearn.linear_model import lars_path

    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, _, coefs = lars_path(Xc, yc, method="lasso")
    support = np.asarray(support, dtype=bool)
    for i in range(len(alphas) - 1):
        # on the open segment between two breakpoints the active set is fixed
        inside = (coefs[:, i] + coefs[:, i + 1]) / 2
        if alphas[i] > alphas[i + 1] and np.array_equal(inside != 0, support):
            return float(alphas[i + 1]), float(alphas[i])
    if alphas[-1] > 0 and np.array_equal(coefs[:, -1] != 0, support):
        return 0.0, float(alphas[-1])
    return None


def _zeros(paths: pd.DataFrame) -> pd.DataFrame:
    counts = paths.assign(is_zero=paths["coef"] == 0.0).groupby(
        ["penalty", "alpha", "alpha_common"], sort=False
    )
    return counts.agg(n_zero=("is_zero", "sum"), n_features=("is_zero", "size")).reset_index()


# ---- correlated features --------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _pair_part(correlation: float, l1_ratio: float, seed: int):
    """Paths of two correlated features under each penalty on one ElasticNet-scale grid."""
    X, y = reg.make_correlated_pair(
        correlation=correlation, n_samples=PAIR_SAMPLES, noise=PAIR_NOISE, seed=seed
    )
    n = len(y)
    top = reg.alpha_max(X, y)
    grid = np.geomspace(1.2 * top / l1_ratio, 1e-2 * top, 60)
    reference = top / 2.0
    paths, reference_rows, entry = [], [], {}
    for penalty in PENALTIES:
        # Ridge's objective has no 1/(2n): alpha_ridge = n * alpha gives the ElasticNet-scale fit.
        scale = n if penalty == "l2" else 1.0
        path = reg.coef_path(
            X,
            y,
            penalty=penalty,
            alphas=grid * scale,
            l1_ratio=l1_ratio,
            feature_names=["x1", "x2"],
        )
        paths.append(path.assign(penalty=penalty, alpha_common=path["alpha"] / scale))
        entry[penalty] = _entry(path, scale)
        coef = reg.estimator(penalty, reference * scale, l1_ratio=l1_ratio).fit(X, y).coef_
        reference_rows += [
            (penalty, name, float(c)) for name, c in zip(["x1", "x2"], coef, strict=True)
        ]
    # Elastic net at the least L1 share the slider offers, at the same reference alpha: whether a
    # larger L2 share than the slider's can be the reason the pair is split (audit pass 54 f)
    least = float(param_of(Config, "l1_ratio").least)
    at_least = reg.estimator("elasticnet", reference, l1_ratio=least).fit(X, y).coef_
    info = {
        "correlation": float(np.corrcoef(X.T)[0, 1]),
        "alpha_reference": reference,
        "l1_ratio_least": least,
        "elasticnet_least": (float(at_least[0]), float(at_least[1])),
        "alpha_max": top,
        "entry": entry,
        "n_samples": n,
    }
    reference_frame = pd.DataFrame(reference_rows, columns=["penalty", "feature", "coef"])
    return pd.concat(paths, ignore_index=True), reference_frame, info


def _entry(path: pd.DataFrame, scale: float) -> dict:
    """Where along the (descending) grid the first and the second weight of the pair appear."""
    wide = path.pivot(index="alpha", columns="feature", values="coef").sort_index(ascending=False)
    counts = (wide != 0).sum(axis=1)
    first = counts.index[counts >= 1].max() / scale if (counts >= 1).any() else math.nan
    both = counts.index[counts == 2].max() / scale if (counts == 2).any() else math.nan
    leader = ""
    if (counts >= 1).any():
        row = wide.loc[counts.index[counts >= 1].max()]
        leader = str(row.abs().idxmax())
    return {
        "alpha_first": float(first),
        "alpha_both": float(both),
        "first": leader,
        "alone": int((counts == 1).sum()),
        "nonzero": int((counts >= 1).sum()),
    }


# ---- geometry -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _geometry_problem():
    """The fixed 2-D least-squares loss (1/(2n))||y - Xw||^2 as (H, ols, loss at ols, X, y)."""
    X, y = reg.make_correlated_pair(
        correlation=GEOMETRY_CORRELATION,
        weights=GEOMETRY_WEIGHTS,
        n_samples=GEOMETRY_SAMPLES,
        noise=GEOMETRY_NOISE,
        seed=0,
    )
    H = X.T @ X / len(y)
    ols = np.linalg.solve(H, X.T @ y / len(y))
    ols_loss = float(np.sum((y - X @ ols) ** 2) / (2 * len(y)))
    return H, ols, ols_loss, X, y


@lru_cache(maxsize=1)
def _budget_sweep() -> tuple[pd.DataFrame, float]:
    H, ols, *_ = _geometry_problem()
    rows = []
    for t in GEOMETRY_BUDGETS:
        for penalty in ("l1", "l2"):
            opt = reg.constrained_optimum(H, ols, norm=penalty.upper(), budget=float(t))
            for k, name in enumerate(("w1", "w2")):
                rows.append((float(t), penalty, name, float(opt["w"][k]), opt["corner"]))
    sweep = pd.DataFrame(rows, columns=["budget", "penalty", "coefficient", "value", "corner"])
    # The budgets from the smallest up to the first one whose L1 optimum is not a corner.
    l1 = sweep[(sweep["penalty"] == "l1") & (sweep["coefficient"] == "w1")]
    off_corner = l1.loc[~l1["corner"], "budget"]
    first_off = off_corner.min() if len(off_corner) else np.inf
    corners = l1.loc[l1["budget"] < first_off, "budget"]
    return sweep, float(corners.max()) if len(corners) else 0.0


@lru_cache(maxsize=1)
def _corner_edge() -> float:
    """The largest budget whose L1 optimum is a corner (to float precision), by bisection
    between the sweep's last corner and its first budget past it: the sweep's 0.02 steps put
    that last corner at 1.38, while t = 1.39 is a corner too (the edge is at 1.39076...). NaN
    when the sweep has no budget past the corners."""
    H, ols, *_ = _geometry_problem()
    sweep, up_to = _budget_sweep()
    l1 = sweep[(sweep["penalty"] == "l1") & (sweep["coefficient"] == "w1")]
    past = l1.loc[l1["budget"] > up_to, "budget"]
    if not len(past) or up_to <= 0:
        return math.nan
    lo, hi = up_to, float(past.min())

    def corner(t: float) -> bool:
        return bool(reg.constrained_optimum(H, ols, norm="L1", budget=t)["corner"])

    while True:
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            return lo
        lo, hi = (mid, hi) if corner(mid) else (lo, mid)


@lru_cache(maxsize=32)
def _geometry_part(budget: float):
    H, ols, ols_loss, _, y = _geometry_problem()
    f, _ = reg.quadratic_loss(H, ols, ols_loss)
    n = len(y)
    optima, boundaries = [], []
    for penalty in ("l1", "l2"):
        opt = reg.constrained_optimum(H, ols, norm=penalty.upper(), budget=budget)
        # The penalized problem with the same solution, in scikit-learn's scale: Lasso's alpha is
        # the multiplier; f + (mu/2)||w||^2 is Ridge's objective divided by 2n, so alpha = n mu.
        equivalent = opt["multiplier"] * (n if penalty == "l2" else 1.0)
        optima.append(
            {
                "penalty": penalty,
                "w1": float(opt["w"][0]),
                "w2": float(opt["w"][1]),
                "loss": float(f(opt["w"])),
                "active": opt["active"],
                "corner": opt["corner"],
                "multiplier": opt["multiplier"],
                "equivalent_alpha": equivalent,
            }
        )
        boundaries.append(reg.constraint_boundary(penalty.upper(), budget).assign(penalty=penalty))
    optima = pd.DataFrame(optima)
    tangent = sorted(set(optima["loss"]))
    spread = max(max(tangent) - ols_loss, 0.05)
    others = ols_loss + spread * np.array([0.06, 0.3, 2.2, 4.5, 8.0])
    contours = pd.concat(
        [
            reg.quadratic_contours(H, ols, base=ols_loss, levels=others).assign(kind="loss"),
            reg.quadratic_contours(H, ols, base=ols_loss, levels=tangent).assign(kind="touching"),
        ],
        ignore_index=True,
    )
    return contours, pd.concat(boundaries, ignore_index=True), optima


# ---- the small network ----------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _network_run(synthetic_key: tuple, penalty: str, strength: float, epochs: int, seed: int):
    ds, _ = _synthetic(synthetic_key)
    params = mlp.init_params((ds.n_features, NET_HIDDEN, 1), init="he", seed=seed)
    history = fit(
        params,
        ds.X_train,
        ds.y_train,
        loss="mse",
        optimizer=optim.sgd(NET_LR, momentum=NET_MOMENTUM),
        activation="relu",
        epochs=epochs,
        batch_size=None,
        X_test=ds.X_test,
        y_test=ds.y_test,
        seed=seed,
        eval_every=None,
        l1=strength if penalty == "l1" else 0.0,
        l2=strength if penalty == "l2" else 0.0,
    )
    trained = history.params
    weights = np.concatenate([trained[k].ravel() for k in trained if k[0] == "W"])
    last = history.epochs.iloc[-1]
    summary = {
        "penalty": penalty,
        "strength": strength,
        "n_weights": int(weights.size),
        "n_small": int(np.sum(np.abs(weights) < SMALL_WEIGHT)),
        "share_small": float(np.mean(np.abs(weights) < SMALL_WEIGHT)),
        "n_exact_zero": int(np.sum(weights == 0.0)),
        "train_mse": float(last["train_loss"]),
        "test_mse": float(last["test_loss"]),
        "diverged": history.diverged,
        "stopped_reason": history.stopped_reason,
    }
    layers = np.concatenate([np.full(trained[k].size, k) for k in trained if k[0] == "W"])
    frame = pd.DataFrame({"penalty": penalty, "layer": layers, "weight": weights})
    inputs = pd.DataFrame(
        {"penalty": penalty, "feature": ds.feature_names, "weight_l1": np.abs(trained["W1"]).sum(1)}
    )
    return frame, inputs, summary


def _log10_histogram(weights: pd.DataFrame) -> pd.DataFrame:
    """Counts of log10|w| per penalty in fixed bins; |w| below 1e-8 (or 0) lands in the first bin."""
    rows = []
    low, high = LOG10_BINS[0], LOG10_BINS[-1]
    for penalty, group in weights.groupby("penalty", sort=False):
        magnitude = np.abs(group["weight"].to_numpy())
        with np.errstate(divide="ignore"):
            logs = np.clip(np.log10(magnitude), low, high - 1e-9)
        counts, _ = np.histogram(logs, bins=LOG10_BINS)
        rows.append(
            pd.DataFrame(
                {
                    "penalty": penalty,
                    "log10_low": LOG10_BINS[:-1],
                    "log10_high": LOG10_BINS[1:],
                    "count": counts,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


# ---- the run --------------------------------------------------------------------------------------


def run(config: Config, data: Dataset | None = None) -> Result:
    """Paths and CV choices on the chosen data, support recovery, geometry, correlated pair, net.

    ``data`` (an uploaded regression set, see :func:`prepare_data`) replaces the dataset the
    config names for the coefficient paths, the zero counts and the CV choices; support
    recovery and the network stay on the synthetic set (they need the true weights), the
    geometry and the correlated pair on their fixed problems.
    """
    key = _synthetic_key(config)
    notes: tuple[str, ...] = ()
    if data is None:
        ds, truth = _data(config.dataset, key)
        # the diabetes paths do not depend on the synthetic sliders: one cache entry for them
        path_key = key if config.dataset == "synthetic" else None
        parts = [
            _penalty_part(
                config.dataset,
                path_key,
                penalty,
                config.l1_ratio if penalty == "elasticnet" else None,
                config.seed,
            )
            for penalty in PENALTIES
        ]
    else:
        (ds, notes), truth = prepare_data(config, data), None
        parts = [
            _fit_penalty(
                ds, penalty, config.l1_ratio if penalty == "elasticnet" else None, config.seed
            )
            for penalty in PENALTIES
        ]
    paths = pd.concat([p for p, _ in parts], ignore_index=True)
    if truth is None:
        paths["truth"] = "unknown"
    else:
        informative = dict(zip(ds.feature_names, truth != 0, strict=True))
        paths["truth"] = (
            paths["feature"].map(informative).map({True: "truly non-zero", False: "truly zero"})
        )
    recovery, recovery_cv, truth_frame = _recovery(key, config.seed)

    contours, boundaries, optima = _geometry_part(config.budget)
    sweep, corner_up_to = _budget_sweep()
    _, ols, ols_loss, *_ = _geometry_problem()

    pair_paths, pair_reference, pair = _pair_part(config.correlation, config.l1_ratio, config.seed)

    strengths = {"none": 0.0, "l1": config.net_l1, "l2": config.net_l2}
    runs = [
        _network_run(key, penalty, strength, config.net_epochs, config.seed)
        for penalty, strength in strengths.items()
    ]
    net_weights = pd.concat([w for w, _, _ in runs], ignore_index=True)
    synthetic, synthetic_truth = _synthetic(key)
    informative = dict(zip(synthetic.feature_names, synthetic_truth != 0, strict=True))
    net_inputs = pd.concat([i for _, i, _ in runs], ignore_index=True)
    net_inputs["truth"] = (
        net_inputs["feature"].map(informative).map({True: "truly non-zero", False: "truly zero"})
    )
    return Result(
        paths=paths,
        models=pd.DataFrame([row for _, row in parts]),
        zeros=_zeros(paths),
        recovery=recovery.copy(),
        recovery_cv=dict(recovery_cv),
        truth=truth_frame.copy(),
        contours=contours.copy(),
        boundaries=boundaries.copy(),
        optima=optima.copy(),
        budget_sweep=sweep.copy(),
        geometry={
            "ols": (float(ols[0]), float(ols[1])),
            "ols_loss": ols_loss,
            "corner_up_to": corner_up_to,
            "corner_edge": _corner_edge(),
        },
        pair_paths=pair_paths.copy(),
        pair_reference=pair_reference.copy(),
        pair={**pair, "entry": {k: dict(v) for k, v in pair["entry"].items()}},
        net_weights=net_weights,
        net_histogram=_log10_histogram(net_weights),
        net_inputs=net_inputs,
        net_summary=pd.DataFrame([s for _, _, s in runs]),
        feature_names=tuple(ds.feature_names),
        dataset=config.dataset if data is None else "upload",
        n_train=len(ds.y_train),
        data_name=config.dataset if data is None else ds.name,
        notes=notes,
    )
