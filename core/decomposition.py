"""Squared bias, variance and noise of a model's predictions over many training sets.

Shared by the lessons that measure the decomposition (bias-variance on a polynomial or net,
random forest vs boosting on Friedman #1). ``P[r, j]`` is the prediction at test point ``j`` of
the model fitted on training set ``r`` (R sets, drawn independently), ``f[j]`` the true function
there and ``noise_var`` the variance of the label noise. With the mean prediction ``P̄_j`` and
the sample variance ``s²_j = Σ_r (P[r, j] − P̄_j)² / (R − 1)``:

    variance = mean_j s²_j
    bias²    = mean_j [(P̄_j − f_j)² − s²_j / R]      (unbiased: (P̄ − f)² alone is biased up)

so that bias² + variance = mean_{r,j} (P[r, j] − f_j)² exactly, and the expected test error
on fresh labels is bias² + variance + noise_var.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Decomposition(NamedTuple):
    bias_sq: float
    variance: float
    noise: float
    expected_mse: float  # bias_sq + variance + noise
    per_set_mse: np.ndarray  # (R,) each training set's expected test error


def decompose(P: np.ndarray, f: np.ndarray, noise_var: float) -> Decomposition:
    """The decomposition of predictions ``P`` (R training sets x test points) against ``f``."""
    P, f = np.asarray(P, dtype=float), np.asarray(f, dtype=float)
    if P.ndim != 2 or P.shape[0] < 2 or P.shape[1] != f.shape[0]:
        raise ValueError("P must be (R >= 2 training sets) x (one column per point of f)")
    R = P.shape[0]
    s2 = P.var(axis=0, ddof=1)
    bias_sq = float(np.mean((P.mean(axis=0) - f) ** 2 - s2 / R))
    variance = float(s2.mean())
    per_set = ((P - f) ** 2).mean(axis=1) + noise_var
    return Decomposition(bias_sq, variance, noise_var, bias_sq + variance + noise_var, per_set)
