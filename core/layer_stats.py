"""Per-layer diagnostics after one forward and backward pass: gradient and weight norms, activation statistics, saturated and dead units."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from core.activations import ACTIVATIONS

__all__ = ["LAYER_STAT_COLUMNS", "SATURATION_THRESHOLD", "layer_statistics", "peak_derivative"]

# A unit counts as saturated (or off) where f'(z) is below this fraction of f's peak derivative.
SATURATION_THRESHOLD = 0.01
LAYER_STAT_COLUMNS = (
    "layer",
    "grad_norm",
    "weight_norm",
    "act_mean",
    "act_std",
    "saturated",
    "dead",
)


@lru_cache(maxsize=256)
def peak_derivative(activation: str, kw_items: tuple = ()) -> float:
    """max_x f'(x) on a fine grid over [-10, 10] (1 for ReLU, 0.25 for sigmoid, ...)."""
    grid = np.linspace(-10.0, 10.0, 8001)
    return float(np.max(ACTIVATIONS[activation].grad(grid, **dict(kw_items))))


def scaled_norm(a) -> float:
    """||a||_F scaled by the largest |entry|, so that the squares' underflow (entries below about
    1.5e-162) does not print a gradient that is not 0 as 0: the vanishing-gradients heatmap
    counted such cells "of exactly 0" (leaky ReLU, N(0, 0.001²), depth 50, width 4, seed 2;
    audit pass 62 e)."""
    m = float(np.max(np.abs(a))) if a.size else 0.0
    if m == 0.0 or not np.isfinite(m):
        return float(np.sqrt(np.vdot(a, a)))
    scaled = a / m
    return m * float(np.sqrt(np.vdot(scaled, scaled)))


def layer_statistics(params, cache, grads) -> list[tuple]:
    """Per dense layer k = 1..L: how the signal and the gradient look after one forward/backward.

    ``grad_norm`` = ||dL/dWk||_F, ``weight_norm`` = ||Wk||_F, and for hidden layers the output
    ``h = f(z)``'s mean and standard deviation over all units and examples, ``saturated`` the
    fraction of (example, unit) pairs where |f'(z)| < 1 % of f's peak derivative (a saturated
    sigmoid or tanh, an inactive ReLU), and ``dead`` the fraction of units for which that holds on
    every example (for ReLU a dead unit: no gradient flows through it; a leaky ReLU with a slope
    under 1 % counts too, though it passes that small slope). NaN for the linear output layer.
    Run the forward pass without dropout, so ``h`` is the next layer's input.

    Parameters
    ----------
    params, grads : dicts of arrays with keys ``W1 .. WL`` (and ``b1 .. bL``, ...)
    cache : core.mlp.ForwardCache
        From ``core.mlp.forward(params, X)``; ``grads`` from ``core.mlp.backward`` on it.

    Returns
    -------
    list of tuples in the order of :data:`LAYER_STAT_COLUMNS`.
    """
    layers = cache.layers
    rows = []
    with np.errstate(all="ignore"):
        for k, layer in enumerate(layers, start=1):
            W = params[f"W{k}"]
            g = grads[f"W{k}"]
            grad_norm = scaled_norm(g)
            weight_norm = float(np.sqrt(np.vdot(W, W)))
            if layer.act is None:  # the linear output layer
                rows.append((k, grad_norm, weight_norm, *([np.nan] * 4)))
                continue
            z, act, kw, _ = layer.act
            h = layers[k].dense.x  # the next layer's input
            off = np.abs(act.grad(z, **kw)) < SATURATION_THRESHOLD * peak_derivative(
                act.name, tuple(sorted(kw.items()))
            )
            rows.append(
                (
                    k,
                    grad_norm,
                    weight_norm,
                    float(h.mean()),
                    float(h.std()),
                    float(off.mean()),
                    float(off.all(axis=0).mean()),
                )
            )
    return rows
