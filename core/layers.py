"""The network's building blocks as CS231n-style pairs: ``forward -> (out, cache)``, ``backward(dout, cache) -> (dx, grads)``.

Every pair is pure: forward keeps what backward needs in a named cache, backward returns the
gradient with respect to the layer's input and a dict of gradients with respect to its own
parameters (empty for a layer without any). ``core.mlp`` chains them into a network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from core.activations import Activation

__all__ = [
    "BN_EPS",
    "ActivationCache",
    "BatchNormCache",
    "DenseCache",
    "DropoutCache",
    "activation_backward",
    "activation_forward",
    "batch_norm_backward",
    "batch_norm_forward",
    "dense_backward",
    "dense_forward",
    "dropout_backward",
    "dropout_forward",
]

# torch.nn.BatchNorm1d's default.
BN_EPS = 1e-5


# --- dense (affine) ---------------------------------------------------------------------------


class DenseCache(NamedTuple):
    """What a dense layer keeps: its input ``x`` (n, n_in) and weights ``W`` (n_in, n_out)."""

    x: np.ndarray
    W: np.ndarray


def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, DenseCache]:
    """``z = x @ W + b``: x (n, n_in), W (n_in, n_out), b (n_out,) -> z (n, n_out)."""
    z = x @ W
    z += b  # in place on the fresh product: one allocation less per layer in the hot path
    return z, DenseCache(x, W)


def dense_backward(
    dout: np.ndarray, cache: DenseCache, *, input_grad: bool = True
) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
    """``dW = x.T @ dout``, ``db = sum(dout, axis=0)``, ``dx = dout @ W.T``.

    ``input_grad=False`` skips ``dx`` (returned as None): the first layer's input is the data,
    which nothing upstream needs a gradient for.
    """
    x, W = cache
    grads = {"W": x.T @ dout, "b": dout.sum(axis=0)}
    return (dout @ W.T if input_grad else None), grads


# --- elementwise activation ---------------------------------------------------------------------


class ActivationCache(NamedTuple):
    """What an activation keeps: its input ``z``, the ``activation`` and its keyword arguments.

    ``learned_slope`` marks a PReLU whose ``alpha`` (in ``kw``) is a trained parameter, so
    backward also returns its gradient.
    """

    z: np.ndarray
    activation: Activation
    kw: Mapping
    learned_slope: bool


def activation_forward(
    z: np.ndarray,
    activation: Activation,
    kw: Mapping | None = None,
    *,
    slope: np.ndarray | None = None,
) -> tuple[np.ndarray, ActivationCache]:
    """``h = f(z)`` elementwise, with ``f = activation.fn`` and its keyword arguments ``kw``.

    ``slope`` is a learned PReLU slope of shape (1,) (``torch.nn.PReLU()``): it becomes the
    activation's ``alpha`` and :func:`activation_backward` returns its gradient.
    """
    kw = {} if kw is None else kw
    if slope is not None:
        kw = {**kw, "alpha": slope[0]}
    h = activation.fn(z, **kw) if kw else activation.fn(z)  # no empty ** in the hot path
    return h, ActivationCache(z, activation, kw, slope is not None)


def activation_backward(
    dout: np.ndarray, cache: ActivationCache
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``dz = dout * f'(z)``; a learned PReLU slope gets ``dalpha = sum(dout * min(z, 0))``.

    Returns ``(dz, {})``, or ``(dz, {"alpha": array of shape (1,)})`` for a learned slope
    (d prelu(z) / d alpha = min(z, 0)).
    """
    z, activation, kw, learned_slope = cache
    grads = {}
    if learned_slope:
        grads["alpha"] = np.array([np.vdot(dout, np.minimum(z, 0.0))])
    dz = activation.grad(z, **kw) if kw else activation.grad(z)
    dz *= dout  # in place on the fresh derivative array (never on dout)
    return dz, grads


# --- inverted dropout ---------------------------------------------------------------------------


class DropoutCache(NamedTuple):
    """The dropout mask: 0 for a dropped unit, ``1 / keep_prob`` for a kept one."""

    mask: np.ndarray


def dropout_forward(
    x: np.ndarray, p: float, rng: np.random.Generator
) -> tuple[np.ndarray, DropoutCache]:
    """Inverted dropout, as ``torch.nn.Dropout(p)`` in training mode.

    Each unit is kept with probability ``q = 1 - p`` and scaled by ``1 / q``, so the expected
    output equals ``x`` and inference needs no scaling. Draws ``rng.random(x.shape)`` once.
    """
    keep_prob = 1.0 - p
    mask = (rng.random(x.shape) < keep_prob) / keep_prob
    return x * mask, DropoutCache(mask)


def dropout_backward(
    dout: np.ndarray, cache: DropoutCache
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``dx = dout * mask``: a dropped unit passes no gradient. No parameters."""
    return dout * cache.mask, {}


# --- batch normalization ------------------------------------------------------------------------


class BatchNormCache(NamedTuple):
    """What one batch-norm layer keeps for backward and for the running statistics.

    ``x_hat`` (n, d) the normalized input, ``inv_std`` (d,) = 1 / sqrt(var + eps), ``mean`` and
    ``var`` (d,) the batch mean and biased batch variance (None in inference mode), ``train``,
    and the scale ``gamma`` (d,).
    """

    x_hat: np.ndarray
    inv_std: np.ndarray
    mean: np.ndarray | None
    var: np.ndarray | None
    train: bool
    gamma: np.ndarray


def batch_norm_forward(x, gamma, beta, *, train, running_mean=None, running_var=None):
    """``y = gamma * (x - mu) / sqrt(var + eps) + beta`` per feature, as ``torch.nn.BatchNorm1d``.

    Training mode uses the batch mean and the biased batch variance ``mean((x - mu)^2)``;
    inference mode uses the running statistics. x (n, d), gamma and beta (d,).
    Returns ``(y, BatchNormCache)``.
    """
    if train:
        mean = x.mean(axis=0)
        centred = x - mean
        var = np.mean(centred * centred, axis=0)
        inv_std = 1.0 / np.sqrt(var + BN_EPS)
        x_hat = centred * inv_std
        return x_hat * gamma + beta, BatchNormCache(x_hat, inv_std, mean, var, True, gamma)
    inv_std = 1.0 / np.sqrt(running_var + BN_EPS)
    x_hat = (x - running_mean) * inv_std
    return x_hat * gamma + beta, BatchNormCache(x_hat, inv_std, None, None, False, gamma)


def batch_norm_backward(
    dout: np.ndarray, cache: BatchNormCache
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Gradients ``(dx, {"gamma": dgamma, "beta": dbeta})`` of :func:`batch_norm_forward`.

    ``dgamma = sum(dout * x_hat)``, ``dbeta = sum(dout)``. In training mode the mean and
    variance depend on every row, so with ``g = dout * gamma``:
    ``dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat))``; in inference mode
    ``dx = g * inv_std``.
    """
    grads = {"gamma": np.sum(dout * cache.x_hat, axis=0), "beta": dout.sum(axis=0)}
    g = dout * cache.gamma
    if cache.train:
        x_hat = cache.x_hat
        dx = (g - g.mean(axis=0) - x_hat * np.mean(g * x_hat, axis=0)) * cache.inv_std
    else:
        dx = g * cache.inv_std
    return dx, grads
