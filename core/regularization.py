"""L1 zeroes coefficients, L2 shrinks them: scikit-learn's paths and CV choices, and the 2-D geometry."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from core.data import Dataset

# scikit-learn's spellings (LogisticRegression(penalty=...), SGDRegressor(penalty=...)).
PENALTIES = ("l1", "l2", "elasticnet")
# The display strings coef_path took before; still accepted, with a DeprecationWarning.
# Labels such as "Lasso (L1)" belong to ui/, which maps them to the values above.
LEGACY_PENALTIES = {"L1": "l1", "L2": "l2", "elastic net": "elasticnet"}
ESTIMATORS = {"l1": "Lasso", "l2": "Ridge", "elasticnet": "ElasticNet"}
# Coordinate descent stops on a duality gap below tol * ||y||^2: tight enough that a path point
# equals the estimator fitted alone at that alpha to ~1e-8 (checked in the tests).
PATH_TOL = 1e-10
PATH_MAX_ITER = 100_000
# LassoCV / ElasticNetCV's iteration cap per fit: scikit-learn's default (see cv_alpha).
CV_MAX_ITER = 1000


def _check_xy(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2 or X.shape[1] < 1:
        raise ValueError(f"X must be a 2-D array (n_samples >= 2, n_features >= 1); got {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X; got {y.shape}.")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must be finite; remove or impute NaN and infinite values.")
    return X, y


def _check_penalty(penalty: str, l1_ratio: float) -> str:
    """The penalty in scikit-learn's spelling; the old display strings warn and are mapped."""
    if isinstance(penalty, str) and penalty in LEGACY_PENALTIES:
        new = LEGACY_PENALTIES[penalty]
        warnings.warn(
            f"penalty={penalty!r} is deprecated; use penalty={new!r} (scikit-learn's spelling).",
            DeprecationWarning,
            stacklevel=3,
        )
        penalty = new
    if penalty not in PENALTIES:
        raise ValueError(
            f"'penalty' must be one of {', '.join(map(repr, PENALTIES))}; got {penalty!r}."
        )
    if penalty == "elasticnet" and not (np.isfinite(l1_ratio) and 0.0 < l1_ratio <= 1.0):
        raise ValueError(f"'l1_ratio' must be in (0, 1]; got {l1_ratio!r}.")
    return penalty


def _check_alphas(alphas) -> np.ndarray:
    a = np.asarray(alphas, dtype=np.float64).ravel()
    if a.size == 0 or not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("'alphas' must be a non-empty sequence of positive, finite numbers.")
    return np.sort(a)[::-1]


def alpha_max(X, y, *, l1_ratio: float = 1.0) -> float:
    """The smallest alpha at which Lasso (``l1_ratio=1``) or ElasticNet sets every coefficient to 0.

    With centred data, ``w = 0`` is optimal exactly when ``|x_j^T y| / n <= alpha * l1_ratio`` for
    every feature j, so ``alpha_max = max_j |x_j^T y| / (n * l1_ratio)``.
    """
    X, y = _check_xy(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return float(np.max(np.abs(Xc.T @ yc)) / (len(y) * l1_ratio))


def coef_path(
    X,
    y,
    *,
    penalty: str,
    alphas,
    l1_ratio: float = 0.5,
    feature_names=None,
) -> pd.DataFrame:
    """Coefficients along a grid of penalty strengths, with scikit-learn's own objectives.

    The intercept is fitted and not penalized (X and y are centred, as scikit-learn's estimators
    do with ``fit_intercept=True``), so each row equals that estimator fitted at that alpha:

    - ``"l1"`` (``Lasso``, via ``lasso_path``): ``(1 / (2n)) ||y - Xw||_2^2 + alpha ||w||_1``
    - ``"l2"`` (``Ridge``): ``||y - Xw||_2^2 + alpha ||w||_2^2``; no ``1 / (2n)``, so a Ridge alpha
      is ``n`` times the ElasticNet alpha with ``l1_ratio = 0`` that gives the same fit.
    - ``"elasticnet"`` (``ElasticNet``, via ``enet_path``): ``(1 / (2n)) ||y - Xw||_2^2
      + alpha * l1_ratio * ||w||_1 + (alpha * (1 - l1_ratio) / 2) * ||w||_2^2``

    Parameters
    ----------
    X : array of shape (n, d)
    y : array of shape (n,)
    penalty : {"l1", "l2", "elasticnet"}
        scikit-learn's spellings. The former ``"L1"``, ``"L2"`` and ``"elastic net"`` still work
        but raise a DeprecationWarning.
    alphas : sequence of positive floats
        Penalty strengths, in the scale of that penalty's scikit-learn estimator.
    l1_ratio : float in (0, 1]
        The L1 share of the elastic net (ignored by L1 and L2).
    feature_names : sequence of str of length d, optional
        Defaults to ``x0 .. x{d-1}``.

    Returns
    -------
    DataFrame with columns alpha, feature, coef: one row per (alpha, feature), alpha descending,
    features in column order. L1 and elastic-net zeros are exact (coordinate descent
    soft-thresholds), L2 coefficients only approach zero.
    """
    from sklearn.linear_model import Ridge, enet_path, lasso_path

    X, y = _check_xy(X, y)
    penalty = _check_penalty(penalty, l1_ratio)
    grid = _check_alphas(alphas)
    names = [f"x{j}" for j in range(X.shape[1])] if feature_names is None else list(feature_names)
    if len(names) != X.shape[1]:
        raise ValueError(f"'feature_names' has {len(names)} names for {X.shape[1]} features.")
    # Centred, Fortran-ordered float64 is what coordinate descent wants, so its per-alpha input
    # checks can be skipped (they cost more than the solves on data this small).
    Xc, yc = np.asfortranarray(X - X.mean(axis=0)), np.ascontiguousarray(y - y.mean())
    if penalty == "l2":
        # One multi-target Ridge fit: target k is y with its own alpha_k (same solution per target).
        model = Ridge(alpha=grid, fit_intercept=False).fit(Xc, np.tile(yc[:, None], grid.size))
        coefs = np.atleast_2d(model.coef_).T  # (d, n_alphas)
    else:
        kw = {"alphas": grid, "tol": PATH_TOL, "max_iter": PATH_MAX_ITER, "check_input": False}
        if penalty == "l1":
            _, coefs, _ = lasso_path(Xc, yc, **kw)
        else:
            _, coefs, _ = enet_path(Xc, yc, l1_ratio=l1_ratio, **kw)
    d = X.shape[1]
    return pd.DataFrame(
        {
            "alpha": np.repeat(grid, d),
            "feature": np.tile(names, grid.size),
            "coef": coefs.T.ravel(),
        }
    )


def estimator(penalty: str, alpha: float, *, l1_ratio: float = 0.5):
    """The unfitted scikit-learn estimator whose objective ``coef_path`` traces, at one alpha."""
    from sklearn.linear_model import ElasticNet, Lasso, Ridge

    penalty = _check_penalty(penalty, l1_ratio)
    if penalty == "l1":
        return Lasso(alpha=alpha, tol=PATH_TOL, max_iter=PATH_MAX_ITER)
    if penalty == "l2":
        return Ridge(alpha=alpha)
    return ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=PATH_TOL, max_iter=PATH_MAX_ITER)


def cv_alpha(X, y, *, penalty: str, alphas, l1_ratio: float = 0.5, n_folds: int = 5, seed: int = 0):
    """The alpha that cross-validation picks among ``alphas``.

    L1 and elastic net use ``LassoCV`` / ``ElasticNetCV`` with shuffled ``n_folds``-fold splits
    (lowest mean validation MSE); L2 uses ``RidgeCV``'s exact, efficient leave-one-out error.
    """
    from sklearn.linear_model import ElasticNetCV, LassoCV, RidgeCV
    from sklearn.model_selection import KFold

    X, y = _check_xy(X, y)
    penalty = _check_penalty(penalty, l1_ratio)
    grid = _check_alphas(alphas)
    if penalty == "l2":
        return float(RidgeCV(alphas=grid).fit(X, y).alpha_)
    folds = KFold(n_splits=n_folds, shuffle=True, random_state=seed)
    # The folds are solved to the paths' tolerance: at scikit-learn's default tol of 1e-4
    # coordinate descent stops early at small alphas, and the alpha with the lowest mean
    # validation MSE of those unfinished fits is not the Lasso's (preset "No noise, many true
    # features": 0.00189, where the converged folds' error is 12 times that of their best,
    # 0.000546). The iteration cap stays scikit-learn's 1000 (a near-collinear, noise-free upload
    # can need 100 times more), and with more rows than features the sweeps run on the folds'
    # Gram matrices ("auto"): a near-collinear 20,000 x 30 upload's run takes 4.1 s where
    # without them it took 7.1 s (and 4.3 s at the default tolerance); small sets cost the same.
    kw = {"cv": folds, "precompute": "auto", "tol": PATH_TOL, "max_iter": CV_MAX_ITER}
    if penalty == "l1":
        model = LassoCV(alphas=grid, **kw)
    else:
        model = ElasticNetCV(alphas=grid, l1_ratio=l1_ratio, **kw)
    return float(model.fit(X, y).alpha_)


def support_scores(coef, true_support) -> tuple[float, float]:
    """Precision and recall of the selected features ``coef != 0`` against the true support.

    Precision = |selected and true| / |selected| (NaN when nothing is selected);
    recall = |selected and true| / |true|.
    """
    selected = np.asarray(coef) != 0
    truth = np.asarray(true_support, dtype=bool)
    hits = int(np.sum(selected & truth))
    n_selected, n_true = int(selected.sum()), int(truth.sum())
    precision = hits / n_selected if n_selected else float("nan")
    recall = hits / n_true if n_true else float("nan")
    return precision, recall


# ---- data for the lesson ----------------------------------------------------------------------------


def make_sparse_regression(
    *,
    n_samples: int,
    n_features: int,
    n_informative: int,
    noise: float,
    seed: int,
    n_test: int = 200,
) -> tuple[Dataset, np.ndarray]:
    """A linear regression set whose true weights are zero except on ``n_informative`` features.

    ``X ~ N(0, I)``, true weights of random sign and size in [0.5, 2] on a random support,
    ``y = X w + noise * eps``; ``n_samples`` training and ``n_test`` test rows. X and y are standardized
    with the training statistics (as ``core.data.load_bundled``).

    Returns
    -------
    (Dataset, true_coef) with true_coef of shape (n_features,) in standardized units.
    """
    rng = np.random.default_rng(seed)
    n = n_samples + n_test
    X = rng.standard_normal((n, n_features))
    coef = np.zeros(n_features)
    support = rng.choice(n_features, n_informative, replace=False)
    coef[support] = rng.choice([-1.0, 1.0], n_informative) * rng.uniform(0.5, 2.0, n_informative)
    y = X @ coef + noise * rng.standard_normal(n)
    Xtr, ytr = X[:n_samples], y[:n_samples]
    mx, sx, my, sy = Xtr.mean(axis=0), Xtr.std(axis=0), ytr.mean(), ytr.std()
    width = len(str(n_features))
    names = tuple(f"x{j + 1:0{width}d}" for j in range(n_features))
    ds = Dataset(
        X_train=(Xtr - mx) / sx,
        X_test=(X[n_samples:] - mx) / sx,
        y_train=(ytr - my) / sy,
        y_test=(y[n_samples:] - my) / sy,
        task="regression",
        feature_names=names,
        n_classes=0,
        name="synthetic",
    )
    return ds, coef * sx / sy


def make_correlated_pair(
    *,
    correlation: float,
    weights=(1.0, 1.0),
    n_samples: int = 100,
    noise: float = 2.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Two standardized features with population correlation ``correlation``, and a linear target.

    ``x1 = z1``, ``x2 = correlation * z1 + sqrt(1 - correlation^2) * z2`` (z ~ N(0, 1)), both
    standardized; ``y = weights . x + noise * eps``, centred.

    Returns X of shape (n_samples, 2) and y of shape (n_samples,).
    """
    if not 0.0 <= correlation < 1.0:
        raise ValueError(f"'correlation' must be in [0, 1); got {correlation!r}.")
    rng = np.random.default_rng(seed)
    z1, z2, eps = rng.standard_normal((3, n_samples))
    X = np.column_stack([z1, correlation * z1 + np.sqrt(1.0 - correlation**2) * z2])
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = X @ np.asarray(weights, dtype=float) + noise * eps
    return X, y - y.mean()


# ---- the geometry in two dimensions ---------------------------------------------------------------


def quadratic_loss(H, center, base: float = 0.0):
    """``f(w) = base + (1/2) (w - center)^T H (w - center)``: any least-squares loss in w.

    For ``(1 / (2n)) ||y - Xw||^2``, ``H = X^T X / n``, ``center`` is the least-squares solution
    and ``base`` the loss there. Returns ``(f, grad)`` taking arrays of shape (..., 2).
    """
    H, c = np.asarray(H, dtype=float), np.asarray(center, dtype=float)

    def f(w):
        d = np.asarray(w, dtype=float) - c
        return base + 0.5 * np.einsum("...i,ij,...j->...", d, H, d)

    def grad(w):
        return (np.asarray(w, dtype=float) - c) @ H

    return f, grad


def constrained_optimum(H, center, *, norm: str, budget: float) -> dict:
    """Exact minimizer of ``(1/2)(w - c)^T H (w - c)`` over ``{w : ||w|| <= budget}`` in 2-D.

    - ``norm="L1"``: the diamond ``|w1| + |w2| <= t``. If the unconstrained minimum ``c`` is
      inside, it is the answer; otherwise the optimum is on one of the four edges, and on an edge
      ``w(s) = a + s (b - a)`` the loss is a 1-D quadratic in s, minimized in closed form and
      clipped to [0, 1]. A clipped s is a corner: one coordinate is exactly 0.
    - ``norm="L2"``: the disc ``||w||_2 <= t``. On the boundary the KKT condition is
      ``(H + mu I) w = H c`` with ``mu >= 0``; ``||w(mu)||`` falls monotonically in mu, so the
      root of ``||w(mu)|| = t`` is bracketed and found to machine precision (Brent).

    Returns
    -------
    dict with ``w`` (array (2,)), ``active`` (the constraint binds), ``corner`` (L1 optimum at a
    vertex), and ``multiplier``: the Lagrange multiplier, i.e. the penalized problem with the
    same solution is ``f + multiplier * ||w||_1`` (L1) or ``f + (multiplier / 2) ||w||_2^2`` (L2).
    """
    H, c = np.asarray(H, dtype=float), np.asarray(center, dtype=float)
    if H.shape != (2, 2) or c.shape != (2,):
        raise ValueError(f"H must be (2, 2) and center (2,); got {H.shape} and {c.shape}.")
    if not (np.isfinite(budget) and budget > 0):
        raise ValueError(f"'budget' must be a positive number; got {budget!r}.")
    if norm == "L1":
        return _l1_optimum(H, c, budget)
    if norm == "L2":
        return _l2_optimum(H, c, budget)
    raise ValueError(f"'norm' must be 'L1' or 'L2'; got {norm!r}.")


def _l1_optimum(H, c, t) -> dict:
    if np.abs(c).sum() <= t:
        return {"w": c.copy(), "active": False, "corner": False, "multiplier": 0.0}
    f, grad = quadratic_loss(H, c)
    corners = [np.array(v, dtype=float) for v in ((t, 0.0), (0.0, t), (-t, 0.0), (0.0, -t))]
    best = None
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        e = b - a
        s = float(np.clip(e @ H @ (c - a) / (e @ H @ e), 0.0, 1.0))
        # Endpoints exactly, so a corner has an exact zero coordinate.
        w = a.copy() if s == 0.0 else b.copy() if s == 1.0 else a + s * e
        value = float(f(w))
        if best is None or value < best[0]:
            best = (value, w, s in (0.0, 1.0))
    _, w, corner = best
    return {
        "w": w,
        "active": True,
        "corner": corner,
        "multiplier": float(np.max(np.abs(grad(w)))),
    }


def _l2_optimum(H, c, t) -> dict:
    from scipy.optimize import brentq

    if np.linalg.norm(c) <= t:
        return {"w": c.copy(), "active": False, "corner": False, "multiplier": 0.0}
    evals, Q = np.linalg.eigh(H)
    u = Q.T @ (H @ c)

    def excess(mu):
        return float(np.linalg.norm(u / (evals + mu)) - t)

    # At mu_hi, ||w|| <= ||u|| / mu_hi = t, so the root lies in [0, mu_hi].
    mu = brentq(excess, 0.0, float(np.linalg.norm(u)) / t, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    w = Q @ (u / (evals + mu))
    return {"w": w, "active": True, "corner": False, "multiplier": float(mu)}


def quadratic_contours(H, center, *, base: float, levels, n_points: int = 121) -> pd.DataFrame:
    """Level sets ``{w : f(w) = level}`` of ``f = base + (1/2)(w - c)^T H (w - c)``: exact ellipses.

    Returns a DataFrame (level, t, w1, w2) with ``n_points`` points per level, in drawing order t.
    """
    evals, evecs = np.linalg.eigh(np.asarray(H, dtype=float))
    angle = np.linspace(0.0, 2.0 * np.pi, n_points)
    circle = np.vstack([np.cos(angle), np.sin(angle)])
    rows = []
    for level in levels:
        excess = level - base
        if excess <= 0:
            continue
        radii = np.sqrt(2.0 * excess / evals)
        pts = np.asarray(center, dtype=float)[:, None] + evecs @ (radii[:, None] * circle)
        rows.append(
            pd.DataFrame({"level": level, "t": np.arange(n_points), "w1": pts[0], "w2": pts[1]})
        )
    if not rows:
        return pd.DataFrame(columns=["level", "t", "w1", "w2"])
    return pd.concat(rows, ignore_index=True)


def constraint_boundary(norm: str, budget: float, n_points: int = 181) -> pd.DataFrame:
    """The L1 diamond (its 4 corners, closed) or the L2 circle of radius ``budget``: (t, w1, w2)."""
    if norm == "L1":
        w1 = budget * np.array([1.0, 0.0, -1.0, 0.0, 1.0])
        w2 = budget * np.array([0.0, 1.0, 0.0, -1.0, 0.0])
    elif norm == "L2":
        angle = np.linspace(0.0, 2.0 * np.pi, n_points)
        w1, w2 = budget * np.cos(angle), budget * np.sin(angle)
    else:
        raise ValueError(f"'norm' must be 'L1' or 'L2'; got {norm!r}.")
    return pd.DataFrame({"t": np.arange(w1.size), "w1": w1, "w2": w2})
