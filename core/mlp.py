"""A fully connected network as pure functions: forward keeps a cache, backward applies the chain rule."""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

from core.activations import ACTIVATIONS

INITS = ("normal", "xavier", "he", "lecun")


@lru_cache(maxsize=64)
def _layer_keys(n_layers: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"W{k}", f"b{k}") for k in range(1, n_layers + 1))


def n_layers(params: dict[str, np.ndarray]) -> int:
    """The number of dense layers (weight matrices) in ``params``."""
    return sum(1 for key in params if key[0] == "W")


def init_params(
    sizes, *, init: str = "he", seed: int | np.random.Generator = 0, sigma: float = 0.01
) -> dict[str, np.ndarray]:
    """Random weights and zero biases for a dense network.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``(2, 16, 16, 1)``.
    init : {"normal", "xavier", "he", "lecun"}
        Standard deviation of the zero-mean normal weights for a layer with ``n_in`` inputs and
        ``n_out`` outputs: ``sigma`` (normal), sqrt(2 / (n_in + n_out)) (Xavier/Glorot normal),
        sqrt(2 / n_in) (He/Kaiming normal, fan-in), sqrt(1 / n_in) (LeCun normal).
    seed : int or numpy.random.Generator
    sigma : float
        Standard deviation for ``init="normal"``.

    Returns
    -------
    dict with ``W1 .. WL`` of shape (n_in, n_out) and ``b1 .. bL`` of shape (n_out,), float64.
    """
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"'sizes' needs at least two positive layer widths; got {sizes!r}.")
    if init not in INITS:
        raise ValueError(f"'init' must be one of {', '.join(INITS)}; got {init!r}.")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"'sigma' must be a positive number; got {sigma!r}.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    params: dict[str, np.ndarray] = {}
    for k, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        std = {
            "normal": sigma,
            "xavier": np.sqrt(2.0 / (n_in + n_out)),
            "he": np.sqrt(2.0 / n_in),
            "lecun": np.sqrt(1.0 / n_in),
        }[init]
        params[f"W{k}"] = rng.standard_normal((n_in, n_out)) * std
        params[f"b{k}"] = np.zeros(n_out)
    return params


def count_params(params_or_sizes) -> int:
    """Number of trainable scalars, from a params dict or from layer sizes."""
    if isinstance(params_or_sizes, dict):
        return int(sum(v.size for v in params_or_sizes.values()))
    sizes = tuple(params_or_sizes)
    return int(sum((a + 1) * b for a, b in itertools.pairwise(sizes)))


def forward(
    params: dict[str, np.ndarray],
    X: np.ndarray,
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    train: bool = False,
    rng: np.random.Generator | None = None,
    activation_kw: dict | None = None,
):
    """Run the network on a batch.

    Hidden layer k computes ``z = a_prev @ Wk + bk`` and ``a = f(z)``; the last layer is linear
    (the loss owns the output non-linearity). With ``train=True`` and ``dropout = p > 0``, each
    hidden unit is kept with probability ``q = 1 - p`` and scaled by ``1 / q`` (inverted dropout,
    as ``torch.nn.Dropout``), so the expected activation is unchanged and inference needs no scaling.

    Parameters
    ----------
    params : dict of arrays from :func:`init_params`
    X : ndarray of shape (n, n_in)
    activation : str
        A key of ``core.activations.ACTIVATIONS``.
    dropout : float in [0, 1)
        Probability of zeroing a hidden unit (PyTorch's ``p``).
    train : bool
        Dropout is active only when True.
    rng : numpy.random.Generator
        Required when dropout is active.
    activation_kw : dict, optional
        Keyword arguments for the activation (e.g. ``{"negative_slope": 0.1}``).

    Returns
    -------
    logits : ndarray of shape (n, n_out)
    cache : tuple needed by :func:`backward`
    """
    act = ACTIVATIONS.get(activation)
    if act is None:
        raise ValueError(
            f"Unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}."
        )
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"'dropout' must be in [0, 1); got {dropout!r}.")
    use_dropout = train and dropout > 0.0
    if use_dropout and rng is None:
        raise ValueError("Dropout in training mode needs 'rng' (a numpy.random.Generator).")
    kw = activation_kw or {}
    keys = _layer_keys(n_layers(params))
    keep = 1.0 - dropout
    layers = []
    a = X
    last = len(keys) - 1
    for i, (wk, bk) in enumerate(keys):
        z = a @ params[wk]
        z += params[bk]  # in place: saves one allocation per layer in the training hot path
        if i == last:
            layers.append((a, None, None))
            a = z
            break
        h = act.fn(z, **kw)
        mask = None
        if use_dropout:
            mask = (rng.random(h.shape) < keep) / keep
            h = h * mask
        layers.append((a, z, mask))
        a = h
    return a, (tuple(layers), act, kw)


def backward(params: dict[str, np.ndarray], cache, dlogits: np.ndarray) -> dict[str, np.ndarray]:
    """Backpropagate dL/dlogits through the cached forward pass.

    For each layer, from the output back: ``dW = a_prev.T @ dz``, ``db = sum(dz, axis=0)``,
    ``da_prev = dz @ W.T``, then through the previous hidden unit ``dz_prev = da_prev * mask * f'(z)``.

    Returns
    -------
    dict with the keys and shapes of ``params``.
    """
    layers, act, kw = cache
    keys = _layer_keys(len(layers))
    grads: dict[str, np.ndarray] = {}
    dz = dlogits
    for i in range(len(layers) - 1, -1, -1):
        a_prev = layers[i][0]
        wk, bk = keys[i]
        grads[wk] = a_prev.T @ dz
        grads[bk] = dz.sum(axis=0)
        if i == 0:
            break
        da = dz @ params[wk].T
        _, z, mask = layers[i - 1]
        if mask is not None:
            da *= mask  # da is a fresh array from the matmul, so in-place is safe
        da *= act.grad(z, **kw)
        dz = da
    return grads


def predict_logits(params, X, *, activation="relu", activation_kw=None) -> np.ndarray:
    """Inference-mode logits (no dropout)."""
    return forward(params, X, activation=activation, activation_kw=activation_kw)[0]


def __getattr__(name: str):
    # The scikit-learn estimators live in core.estimators (they import this module and
    # core.train); loading them lazily keeps `core.mlp.MLPClassifier` working without a cycle.
    if name in ("MLPClassifier", "MLPRegressor"):
        from core import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'core.mlp' has no attribute {name!r}")
