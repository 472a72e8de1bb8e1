"""The lesson's two model families, fitted many times over: polynomial ridge regression and a small MLP.

The polynomial model is scikit-learn's ``Pipeline(PolynomialFeatures(degree, include_bias=False),
StandardScaler(), Ridge(alpha=ALPHA))``. The page fits it hundreds of times per run (training
sets x degrees x folds), where scikit-learn's per-call checks cost ~3 ms a fit on this machine:
:func:`fit_predict` solves the same standardized ridge problems stacked in one NumPy call, and
``tests/core/test_bias_variance_experiment.py`` checks it against the Pipeline. The MLP is the
lab's own ``core.estimators.MLPRegressor`` (one tanh hidden layer), fitted one at a time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from threadpoolctl import ThreadpoolController

MODELS = ("polynomial", "mlp")
# Ridge's penalty on the standardized polynomial features: tiny next to n (each column's sum of
# squares), it only keeps the near-collinear high powers' solve stable.
ALPHA = 1e-3
MLP_WIDTHS = (1, 2, 4, 8, 16, 32, 64)
MLP_EPOCHS = 500
MLP_LEARNING_RATE = 0.02
EPS = np.finfo(np.float64).eps
# The stacked solves are many small matrices: BLAS threads cost more to wake than they save, and
# with another process on the cores a 2-thread solve ran 40 times slower (as in core.train).
_BLAS = ThreadpoolController()

Job = tuple[np.ndarray, np.ndarray, Sequence[np.ndarray]]  # X_train, y_train, arrays to predict


def poly_columns(n_features: int, degree: int) -> int:
    """Columns of ``PolynomialFeatures(degree, include_bias=False)`` on ``n_features`` inputs."""
    return math.comb(n_features + degree, degree) - 1


def expand(X: np.ndarray, degree: int) -> np.ndarray:
    """``PolynomialFeatures(degree, include_bias=False).fit_transform(X)``: powers x, x², … for
    one input (computed directly), every monomial up to ``degree`` for several."""
    if X.shape[1] == 1:
        return X[:, :1] ** np.arange(1, degree + 1)
    from sklearn.preprocessing import PolynomialFeatures

    return PolynomialFeatures(degree, include_bias=False).fit_transform(X)


def pipeline(degree: int):
    """The scikit-learn Pipeline that :func:`fit_predict` computes for the polynomial family."""
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    return make_pipeline(
        PolynomialFeatures(degree, include_bias=False), StandardScaler(), Ridge(alpha=ALPHA)
    )


def mlp(width: int, seed: int):
    """The MLP of width ``width``: one tanh hidden layer, full-batch Adam, fixed epochs."""
    from core.estimators import MLPRegressor

    return MLPRegressor(
        (width,),
        activation="tanh",
        init="xavier",
        optimizer="adam",
        learning_rate=MLP_LEARNING_RATE,
        epochs=MLP_EPOCHS,
        batch_size=None,
        random_state=seed,
    )


def _scale(F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """StandardScaler's mean and scale (near-constant columns get scale 1, as scikit-learn's)."""
    n = F.shape[0]
    mean, var = F.mean(axis=0), F.var(axis=0)
    constant = var <= n * EPS * var + (n * mean * EPS) ** 2
    return mean, np.where(constant, 1.0, np.sqrt(var))


def _poly_fit_predict(
    degree: int, jobs: Sequence[Job], expanded: bool = False
) -> list[list[np.ndarray]]:
    """Every job's ridge solve stacked in one call; predictions of each job's arrays.

    ``expanded``: the jobs' arrays are polynomial features already (rows of one expansion).
    """

    def features(A):
        return A if expanded else expand(A, degree)

    systems, rhs, parts = [], [], []
    for X, y, evals in jobs:
        F = features(X)
        mean, scale = _scale(F)
        Z = (F - mean) / scale
        z_mean = Z.mean(axis=0)  # Ridge centres its input again (a rounding-level change)
        Z -= z_mean
        y_mean = y.mean()
        systems.append(Z.T @ Z + ALPHA * np.eye(Z.shape[1]))
        rhs.append(Z.T @ (y - y_mean))
        parts.append((mean, scale, z_mean, y_mean, evals))
    weights = np.linalg.solve(np.stack(systems), np.stack(rhs)[..., None])[..., 0]
    out = []
    for w, (mean, scale, z_mean, y_mean, evals) in zip(weights, parts, strict=True):
        offset = y_mean - z_mean @ w
        out.append([((features(E) - mean) / scale) @ w + offset for E in evals])
    return out


def fit_predict(
    model: str, level: int, jobs: Sequence[Job], *, seed: int = 0, tick=None, expanded=False
):
    """Fit one model per job and predict that job's arrays.

    Parameters
    ----------
    model : "polynomial" or "mlp"
    level : int
        The degree, or the MLP's hidden width.
    jobs : sequence of (X_train (n, d), y_train (n,), [X_eval (m, d), ...])
    seed : int
        The MLPs' seeds are ``seed + i`` for job i (the polynomial fit has no randomness).
    tick : callable or None
        Called after each MLP fit (progress and cancellation).
    expanded : bool
        Polynomial only: the arrays are ``expand(X, level)`` already (expanding the whole table
        once and slicing its rows gives the same features as expanding each slice).

    Returns
    -------
    list (one per job) of lists of predictions, shape (m,) each.
    """
    if not jobs:
        return []
    if model == "polynomial":
        with _BLAS.limit(limits=1, user_api="blas"):
            return _poly_fit_predict(level, jobs, expanded)
    out = []
    for i, (X, y, evals) in enumerate(jobs):
        net = mlp(level, seed + i).fit(X, y)
        out.append([net.predict(E) for E in evals])
        if tick is not None:
            tick()
    return out
