"""Dropout's masks measured: the Monte Carlo average over masks, and a unit's expected output."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core import mlp
from core.activations import sigmoid
from core.losses import log_softmax, softmax

MASK_DRAWS = 4000
TRACE_POINTS = 200
# The expected-activation check sweeps q over this grid, with fewer masks per q.
CHECK_QS = tuple(round(q, 2) for q in np.arange(0.1, 1.0001, 0.1))
CHECK_DRAWS = 2000
# Layer 2's units under masks on both hidden layers: their mean is not their inference value.
DEEPER_DRAWS = 4000


def mc_dropout_logits(params, X, *, dropout: float, samples: int, seed: int) -> np.ndarray:
    """Logits under ``samples`` independent dropout masks, shape (samples, n).

    All masks go through one forward pass on the input stacked ``samples`` times (training
    mode, so the masks and their 1/q scaling are core.mlp's own). A net with k > 1 outputs
    gives shape (samples, n, k).
    """
    if dropout == 0.0:
        logits = np.tile(mlp.predict_logits(params, X), (samples, 1))
    else:
        rng = np.random.default_rng(seed)
        logits, _ = mlp.forward(
            params, np.tile(X, (samples, 1)), dropout=dropout, train=True, rng=rng
        )
    k = logits.shape[1]
    return logits[:, 0].reshape(samples, len(X)) if k == 1 else logits.reshape(samples, len(X), k)


def averaged_probability(logits: np.ndarray) -> np.ndarray:
    """The probability averaged over masks: P(class 1) of shape (n,), or (n, k) for k classes."""
    if logits.ndim == 2:
        return sigmoid(logits).mean(axis=0)
    return softmax(logits, axis=2).mean(axis=0)


def averaged_log_loss(logits: np.ndarray, y: np.ndarray) -> float:
    """Cross-entropy of the probability averaged over masks, p_bar = mean_t sigmoid(z_t).

    Computed in log space, log p_bar = logsumexp_t(log sigmoid(z_t)) - log T, so saturated
    logits give the exact (large) loss instead of a clipped one. Logits of shape (T, n, k) use
    the softmax instead: log p_bar_c = logsumexp_t(log_softmax(z_t)_c) - log T.

    The log-probabilities are capped at 0: a mean of probabilities that are all 1 can come out a
    hair above log 1 in floating point, which would make the loss negative.

    Parameters
    ----------
    logits : ndarray of shape (T, n), or (T, n, k)
    y : ndarray of shape (n,) with labels 0/1 (or 0..k-1)
    """
    T = logits.shape[0]
    if logits.ndim == 3:
        log_p = np.logaddexp.reduce(log_softmax(logits, axis=2), axis=0) - np.log(T)
        picked = log_p[np.arange(len(y)), np.asarray(y, dtype=np.int64)]
        return max(0.0, float(-np.mean(np.minimum(picked, 0.0))))  # 0.0, never -0.0
    log_p = np.logaddexp.reduce(-np.logaddexp(0.0, -logits), axis=0) - np.log(T)
    log_not_p = np.logaddexp.reduce(-np.logaddexp(0.0, logits), axis=0) - np.log(T)
    return max(0.0, float(-np.mean(np.minimum(np.where(y > 0.5, log_p, log_not_p), 0.0))))


def point_losses(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each point's cross-entropy: logits (n, 1) with labels 0/1, or (n, k) with labels 0..k-1."""
    y = np.asarray(y)
    if logits.shape[1] == 1:
        z, y = logits[:, 0], y.astype(np.float64)
        # y softplus(-z) + (1 - y) softplus(z), core.losses' form: log(1 + e^z) - z would round
        # a class-1 point's e^-z away beside z (0 for a logit of 50, whose loss is 1.9e-22)
        return y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)
    return -log_softmax(logits, axis=1)[np.arange(len(y)), y.astype(np.int64)]


def hidden_outputs(
    params,
    x: np.ndarray,
    *,
    layer: int = 1,
    dropout: float,
    draws: int,
    seed: int,
    unit: int | None = None,
) -> np.ndarray:
    """Hidden layer ``layer``'s outputs for one input, under ``draws`` training-mode masks.

    Runs core.mlp.forward on the first ``layer`` layers with a linear read-out that copies the
    hidden units (or only ``unit``), so the values are what the next layer receives: with
    ``dropout > 0`` every hidden layer up to ``layer`` is masked and scaled by 1/q (layer 1:
    ``mask * f(z) / q``); with ``dropout = 0`` the inference values ``f(z)``.

    Returns
    -------
    ndarray of shape (draws, width), or (draws,) for one ``unit``.
    """
    width = params[f"W{layer}"].shape[1]
    readout = np.eye(width) if unit is None else np.eye(width)[:, [unit]]
    head = {k: params[k] for k in (f"{p}{i}" for i in range(1, layer + 1) for p in "Wb")}
    head |= {f"W{layer + 1}": readout, f"b{layer + 1}": np.zeros(readout.shape[1])}
    X = np.tile(np.reshape(x, (1, -1)), (draws, 1))
    rng = np.random.default_rng(seed)
    out, _ = mlp.forward(head, X, dropout=dropout, train=dropout > 0.0, rng=rng)
    return out if unit is None else out[:, 0]


def first_layer_outputs(
    params, x: np.ndarray, *, dropout: float, draws: int, seed: int, unit: int | None = None
) -> np.ndarray:
    """The first hidden layer's outputs for one input (:func:`hidden_outputs` with layer 1)."""
    return hidden_outputs(params, x, layer=1, dropout=dropout, draws=draws, seed=seed, unit=unit)


def activation_check(params, x, q: float, seed: int):
    """Inverted dropout on one unit: the mean of mask * a / q over many masks equals a."""
    inference = first_layer_outputs(params, x, dropout=0.0, draws=1, seed=seed)[0]
    unit = int(np.argmax(inference))  # the most active unit: its dropout effect is largest
    a = float(inference[unit])
    scaled = first_layer_outputs(params, x, dropout=1.0 - q, draws=MASK_DRAWS, seed=seed, unit=unit)
    draws = np.arange(1, MASK_DRAWS + 1)
    running = np.cumsum(scaled) / draws
    # Log-spaced draws keep the early wobble and the convergence in ~200 rows.
    keep = np.unique(np.geomspace(1, MASK_DRAWS, TRACE_POINTS).round().astype(int)) - 1
    trace = pd.DataFrame(
        {
            "draw": draws[keep],
            "scaled": scaled[keep],
            "running_scaled": running[keep],
            "running_unscaled": running[keep] * q,  # the same masks without the 1/q factor
        }
    )
    rows = []
    for check_q in CHECK_QS:
        out = first_layer_outputs(
            params, x, dropout=1.0 - check_q, draws=CHECK_DRAWS, seed=seed, unit=unit
        )
        # mask * a / q is a / q with probability q, else 0: variance a^2 (1 - q) / q
        se = a * math.sqrt((1.0 - check_q) / (check_q * CHECK_DRAWS))
        rows += [
            (check_q, "training mean (measured)", float(out.mean()), se),
            (check_q, "inference a (correct)", a, 0.0),
            (check_q, "×q again at inference", check_q * a, 0.0),
            (check_q, "÷q again at inference", a / check_q, 0.0),
        ]
    unit_info = {
        "layer": 1,
        "index": unit,
        "activation": a,
        "q": q,
        "train_mean": float(running[-1]),
        "unscaled_mean": float(running[-1] * q),
        "draws": MASK_DRAWS,
        "standard_error": a * math.sqrt((1.0 - q) / (q * MASK_DRAWS)),
    }
    expectation = pd.DataFrame(rows, columns=["q", "rule", "value", "standard_error"])
    return unit_info, trace, expectation


def deeper_check(params, x, q: float, seed: int) -> pd.DataFrame:
    """Layer 2's units on ``x``: inference value against the mean over masks on layers 1 and 2."""
    columns = ["unit", "inference", "mean", "standard_error"]
    if q >= 1 or mlp.n_layers(params) < 3:
        return pd.DataFrame(columns=columns, dtype=float)
    inference = hidden_outputs(params, x, layer=2, dropout=0.0, draws=1, seed=seed)[0]
    masked = hidden_outputs(params, x, layer=2, dropout=1.0 - q, draws=DEEPER_DRAWS, seed=seed)
    return pd.DataFrame(
        {
            "unit": np.arange(inference.size),
            "inference": inference,
            "mean": masked.mean(axis=0),
            "standard_error": masked.std(axis=0, ddof=1) / math.sqrt(DEEPER_DRAWS),
        }
    )
