"""Gradient noise at the initial weights: mini-batches drawn without replacement, as in an epoch."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import mlp
from core.data import Dataset
from core.experiments.batch_size.settings import (
    _BLAS,
    BATCH_SIZES,
    LOSS,
    NOISE_DRAWS,
    Config,
    batch_key,
    batch_label,
    layer_sizes,
    output_head,
    prepare_data,
)
from core.losses import LOSSES
from core.train import prepare_targets


@dataclass(frozen=True)
class NoiseResult:
    """Spread of mini-batch gradients at the initial weights, for every batch size of the page.

    Attributes
    ----------
    variance : DataFrame
        key, label, batch_size, measured (mean of ||g_B - g||^2 over the draws), measured_se (its
        standard error over the draws), theory (sigma^2 / B * (n - B) / (n - 1)), std (the RMS
        deviation sqrt(measured)).
    sigma2 : float
        Per-example gradient variance (1/n) sum_i ||g_i - g||^2.
    full_gradient_norm : float
        ||g||, the full-batch gradient's length.
    slope, theory_slope : float
        Least-squares slope of log(measured), and of log(theory), against log(B) for B <= n / 4.
    """

    variance: pd.DataFrame
    sigma2: float
    full_gradient_norm: float
    slope: float
    theory_slope: float
    n_train: int
    n_params: int
    draws: int


def per_example_gradients(params, X, y, loss: str = LOSS) -> np.ndarray:
    """Rows g_i = gradient of the loss of example i alone, flattened in key order.

    Returns
    -------
    ndarray of shape (n, n_params); the full-batch gradient is its column mean.
    """
    n_out = params[f"W{mlp.n_layers(params)}"].shape[1]
    T = prepare_targets(loss, y, n_out)
    rows = np.empty((len(X), mlp.count_params(params)))
    for i in range(len(X)):
        logits, cache = mlp.forward(params, X[i : i + 1])
        grads = mlp.backward(params, cache, LOSSES[loss].grad(logits, T[i : i + 1]))
        rows[i] = np.concatenate([grads[k].ravel() for k in params])
    return rows


def _loglog_slope(batch_sizes, values) -> float:
    return float(np.polyfit(np.log(batch_sizes), np.log(values), 1)[0])


def gradient_noise(
    config: Config, data: Dataset | None = None, *, draws: int = NOISE_DRAWS
) -> NoiseResult:
    """Draw mini-batches without replacement (as in an epoch) and measure their gradients' spread.

    With centred per-example gradients D (n x P) and a draw's 0/1 indicator m (sum B),
    ``g_B - g = D^T m / B``, so ``||g_B - g||^2 = m^T (D D^T) m / B^2``: one n x n Gram matrix
    serves every draw and every batch size. ``data`` (uploaded) replaces the 2-D set, with the
    same rows as the training runs.
    """
    ds, _ = prepare_data(config, data)
    with _BLAS.limit(limits=1, user_api="blas"):
        return _noise(config, ds, data is not None, draws)


def _noise(config, ds, uploaded, draws=NOISE_DRAWS) -> NoiseResult:
    loss, _ = output_head(ds)
    sizes = layer_sizes(config, ds if uploaded else None)
    params = mlp.init_params(sizes, init="he", seed=config.seed)
    G = per_example_gradients(params, ds.X_train, ds.y_train, loss)
    n = len(G)
    full = G.mean(axis=0)
    D = G - full
    gram = D @ D.T
    sigma2 = float(np.trace(gram) / n)
    rng = np.random.default_rng(config.seed + 1)
    rows = []
    for B in BATCH_SIZES:
        size = n if B is None else B
        picks = np.argpartition(rng.random((draws, n)), size - 1, axis=1)[:, :size]
        m = np.zeros((draws, n))
        np.put_along_axis(m, picks, 1.0, axis=1)
        sums = np.sum((m @ gram) * m, axis=1)  # B^2 ||g_B - g||^2 of each draw
        measured = float(np.mean(sums) / size**2)
        # Round-off leaves ~1e-30 for the full batch, whose gradient is exact.
        exact = size == n
        measured = 0.0 if exact else max(measured, 0.0)
        rows.append(
            {
                "key": batch_key(B),
                "label": batch_label(B, n),
                "batch_size": size,
                "measured": measured,
                "measured_se": 0.0
                if exact
                else float(np.std(sums, ddof=1) / size**2 / math.sqrt(draws)),
                "theory": sigma2 / size * (n - size) / (n - 1),
            }
        )
    variance = pd.DataFrame(rows)
    variance["std"] = np.sqrt(variance["measured"])
    fit_rows = variance[variance["batch_size"] <= n // 4]
    measured_ok = bool((fit_rows["measured"] > 0).all())
    return NoiseResult(
        variance=variance,
        sigma2=sigma2,
        full_gradient_norm=float(np.linalg.norm(full)),
        slope=_loglog_slope(fit_rows["batch_size"], fit_rows["measured"])
        if measured_ok
        else math.nan,
        theory_slope=_loglog_slope(fit_rows["batch_size"], fit_rows["theory"])
        if sigma2 > 0
        else math.nan,
        n_train=n,
        n_params=G.shape[1],
        draws=draws,
    )
