"""A fully connected network as pure functions: forward chains the layer pairs and keeps their caches, backward walks them back."""

from __future__ import annotations

import itertools
import warnings
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from core.activations import ACTIVATIONS, Activation
from core.layer_stats import (
    LAYER_STAT_COLUMNS,
    SATURATION_THRESHOLD,
    layer_statistics,
    peak_derivative,
)
from core.layers import (
    BN_EPS,
    ActivationCache,
    BatchNormCache,
    DenseCache,
    DropoutCache,
    activation_backward,
    activation_forward,
    batch_norm_backward,
    batch_norm_forward,
    dense_backward,
    dense_forward,
    dropout_backward,
    dropout_forward,
)

__all__ = [
    "BN_EPS",
    "BN_MOMENTUM",
    "INITS",
    "LAYER_STAT_COLUMNS",
    "PRELU_INIT",
    "SATURATION_THRESHOLD",
    "BatchNormCache",
    "ForwardCache",
    "LayerCache",
    "backward",
    "batch_norm_backward",
    "batch_norm_forward",
    "count_params",
    "forward",
    "has_batch_norm",
    "init_bn_state",
    "init_params",
    "layer_statistics",
    "n_layers",
    "peak_derivative",
    "predict_logits",
    "update_bn_state",
]

INITS = ("normal", "xavier", "he", "lecun")
# torch.nn.BatchNorm1d's momentum for the running statistics (its eps is core.layers.BN_EPS).
BN_MOMENTUM = 0.1
# torch.nn.PReLU's default initial slope.
PRELU_INIT = 0.25


def n_layers(params: dict[str, np.ndarray]) -> int:
    """The number of dense layers (weight matrices) in ``params``."""
    return sum(1 for key in params if key[0] == "W")


def has_batch_norm(params: dict[str, np.ndarray]) -> bool:
    """True when ``params`` holds batch-norm scales and shifts (``gamma1``, ``beta1``, ...)."""
    return "gamma1" in params


def init_params(
    sizes,
    *,
    init: str = "he",
    seed: int | np.random.Generator = 0,
    sigma: float = 0.01,
    batch_norm: bool = False,
    learn_prelu: bool = False,
    prelu_init: float = PRELU_INIT,
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
    batch_norm : bool
        Add a batch-normalization layer after every hidden dense layer (before its activation):
        a scale ``gamma{k}`` (ones) and a shift ``beta{k}`` (zeros) of shape (n_out,), trained
        like the weights. The running statistics are not parameters: see :func:`init_bn_state`.
    learn_prelu : bool
        Add a learned PReLU slope ``a{k}`` of shape (1,) per hidden layer, one scalar shared by
        the layer's units like ``torch.nn.PReLU()`` (``num_parameters=1``); use with
        ``activation="prelu"``.
    prelu_init : float
        Initial slope of the learned PReLU (PyTorch's default 0.25).

    Returns
    -------
    dict with ``W1 .. WL`` of shape (n_in, n_out) and ``b1 .. bL`` of shape (n_out,), float64,
    plus ``gamma{k}``, ``beta{k}`` and ``a{k}`` for the hidden layers k < L when asked for.
    The random draws do not depend on these options: the same seed gives the same weights.
    """
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"'sizes' needs at least two positive layer widths; got {sizes!r}.")
    if init not in INITS:
        raise ValueError(f"'init' must be one of {', '.join(INITS)}; got {init!r}.")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"'sigma' must be a positive number; got {sigma!r}.")
    if learn_prelu and not np.isfinite(prelu_init):
        raise ValueError(f"'prelu_init' must be a finite number; got {prelu_init!r}.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    params: dict[str, np.ndarray] = {}
    last = len(sizes) - 1
    for k, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        std = {
            "normal": sigma,
            "xavier": np.sqrt(2.0 / (n_in + n_out)),
            "he": np.sqrt(2.0 / n_in),
            "lecun": np.sqrt(1.0 / n_in),
        }[init]
        params[f"W{k}"] = rng.standard_normal((n_in, n_out)) * std
        params[f"b{k}"] = np.zeros(n_out)
        if k < last:
            if batch_norm:
                params[f"gamma{k}"] = np.ones(n_out)
                params[f"beta{k}"] = np.zeros(n_out)
            if learn_prelu:
                params[f"a{k}"] = np.full(1, float(prelu_init))
    return params


def count_params(params_or_sizes) -> int:
    """Number of trainable scalars, from a params dict or from layer sizes."""
    if isinstance(params_or_sizes, dict):
        return int(sum(v.size for v in params_or_sizes.values()))
    sizes = tuple(params_or_sizes)
    return int(sum((a + 1) * b for a, b in itertools.pairwise(sizes)))


# --- batch-norm running statistics -------------------------------------------------------------


def init_bn_state(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Running statistics for every batch-norm layer: ``running_mean{k}`` = 0, ``running_var{k}`` = 1.

    They are buffers, not parameters (never trained): :func:`update_bn_state` folds in each
    training batch, and :func:`forward` with ``train=False`` normalizes with them.
    """
    state = {}
    for key, gamma in params.items():
        if key.startswith("gamma"):
            k = key[5:]
            state[f"running_mean{k}"] = np.zeros_like(gamma)
            state[f"running_var{k}"] = np.ones_like(gamma)
    return state


def update_bn_state(
    bn_state, cache: ForwardCache, *, momentum: float = BN_MOMENTUM
) -> dict[str, np.ndarray]:
    """New running statistics after a training-mode :func:`forward` (the old dict is not changed).

    As ``torch.nn.BatchNorm1d``: ``running = (1 - momentum) * running + momentum * batch``, with
    the *unbiased* batch variance ``var * n / (n - 1)`` (normalization itself used the biased one).
    """
    new = dict(bn_state)
    for k, layer in enumerate(cache.layers, start=1):
        bn = layer.norm
        if bn is not None and bn.train:
            n = bn.x_hat.shape[0]
            mean_key, var_key = f"running_mean{k}", f"running_var{k}"
            new[mean_key] = (1.0 - momentum) * bn_state[mean_key] + momentum * bn.mean
            new[var_key] = (1.0 - momentum) * bn_state[var_key] + momentum * bn.var * (n / (n - 1))
    return new


# --- the network --------------------------------------------------------------------------------


class LayerCache(NamedTuple):
    """The caches of one dense layer's pairs, in forward order (None where a pair is absent).

    ``dense`` (its ``x`` is the layer's input), then for hidden layers ``norm`` (batch norm),
    ``act`` (its ``z`` is the activation's input) and ``drop`` (the dropout mask); the output
    layer has only ``dense``.
    """

    dense: DenseCache
    norm: BatchNormCache | None = None
    act: ActivationCache | None = None
    drop: DropoutCache | None = None


class ForwardCache(NamedTuple):
    """What :func:`forward` keeps for :func:`backward`: one :class:`LayerCache` per dense layer."""

    layers: tuple[LayerCache, ...]
    activation: Activation
    activation_kw: dict


class _Keys(NamedTuple):
    W: str
    b: str
    gamma: str
    beta: str
    a: str
    running_mean: str
    running_var: str


@lru_cache(maxsize=64)
def _layer_keys(n_layers: int) -> tuple[_Keys, ...]:
    names = ("W", "b", "gamma", "beta", "a", "running_mean", "running_var")
    return tuple(_Keys(*(f"{name}{k}" for name in names)) for k in range(1, n_layers + 1))


def _depth(params: dict[str, np.ndarray]) -> int:
    """:func:`n_layers` for weights named ``W1 .. WL``, probing down from the most there can be
    (one dict lookup for a plain network) instead of scanning every key on every forward."""
    depth = len(params) // 2
    while depth > 0 and f"W{depth}" not in params:
        depth -= 1
    if depth == 0:
        raise ValueError(f"params has no weights 'W1', 'W2', ...; got keys {list(params)}.")
    return depth


def forward(
    params: dict[str, np.ndarray],
    X: np.ndarray,
    *,
    activation: str = "relu",
    dropout: float = 0.0,
    train: bool = False,
    rng: np.random.Generator | None = None,
    activation_kw: dict | None = None,
    bn_state: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, ForwardCache]:
    """Run the network on a batch.

    Hidden layer k computes ``z = a_prev @ Wk + bk`` (:func:`~core.layers.dense_forward`), then
    with batch norm ``z = gammak * (z - mu) / sqrt(var + eps) + betak``, ``a = f(z)`` and, in
    training with dropout, ``a = a * mask``; the last layer is linear (the loss owns the output
    non-linearity). Dropout is inverted dropout (as ``torch.nn.Dropout``): each hidden unit is
    kept with probability ``q = 1 - p`` and scaled by ``1 / q``, so the expected activation is
    unchanged and inference needs no scaling.

    Batch norm (``gamma{k}``/``beta{k}`` in ``params``) normalizes with the batch's statistics
    when ``train=True`` (pass the cache to :func:`update_bn_state` for the running statistics)
    and with ``bn_state``'s running statistics when ``train=False``, as ``model.train()`` /
    ``model.eval()`` in PyTorch. A learned PReLU slope ``a{k}`` in ``params`` replaces the
    activation's ``alpha`` for layer k.

    Parameters
    ----------
    params : dict of arrays from :func:`init_params`
    X : ndarray of shape (n, n_in)
    activation : str
        A key of ``core.activations.ACTIVATIONS``.
    dropout : float in [0, 1)
        Probability of zeroing a hidden unit (PyTorch's ``p``).
    train : bool
        Dropout and batch statistics are used only when True.
    rng : numpy.random.Generator
        Required when dropout is active; each hidden layer draws ``rng.random((n, width))``.
    activation_kw : dict, optional
        Keyword arguments for the activation (e.g. ``{"negative_slope": 0.1}``).
    bn_state : dict of arrays, optional
        Running statistics from :func:`init_bn_state` / :func:`update_bn_state`; required in
        inference mode when the network has batch norm.

    Returns
    -------
    logits : ndarray of shape (n, n_out)
    cache : ForwardCache
        What :func:`backward` needs: ``cache.layers[k - 1]`` is layer k's :class:`LayerCache`.
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
    bn = "gamma1" in params
    slopes = "a1" in params
    if bn:
        _check_batch_norm(X, train, bn_state)
    if slopes and activation != "prelu":
        raise ValueError(
            f"Learned slopes 'a1', ... need activation='prelu'; got {activation!r}. "
            "Build the parameters without learn_prelu=True or pick PReLU."
        )
    kw = activation_kw or {}
    keys = _layer_keys(_depth(params))
    layers = []
    a = X
    for key in keys[:-1]:
        z, dense = dense_forward(a, params[key.W], params[key.b])
        norm = drop = None
        if bn:
            z, norm = batch_norm_forward(
                z,
                params[key.gamma],
                params[key.beta],
                train=train,
                running_mean=None if train else bn_state[key.running_mean],
                running_var=None if train else bn_state[key.running_var],
            )
        a, act_cache = activation_forward(z, act, kw, slope=params[key.a] if slopes else None)
        if use_dropout:
            a, drop = dropout_forward(a, dropout, rng)
        layers.append(LayerCache(dense, norm, act_cache, drop))
    out = keys[-1]
    logits, dense = dense_forward(a, params[out.W], params[out.b])
    layers.append(LayerCache(dense))
    return logits, ForwardCache(tuple(layers), act, kw)


def _check_batch_norm(X, train, bn_state):
    if train and X.shape[0] < 2:
        raise ValueError(
            "Batch norm in training mode needs at least 2 examples per batch (the variance of "
            f"one example is 0); got {X.shape[0]}. Use a larger batch_size."
        )
    if not train and bn_state is None:
        raise ValueError(
            "Inference with batch norm needs the running statistics: pass 'bn_state' "
            "(History.bn_state after fit, or init_bn_state(params)), or use train=True for "
            "batch statistics."
        )


def backward(
    params: dict[str, np.ndarray], cache: ForwardCache, dlogits: np.ndarray
) -> dict[str, np.ndarray]:
    """Backpropagate dL/dlogits through the cached forward pass, layer by layer from the output.

    Each layer runs its pairs' backward in reverse order: dropout (``da * mask``), the
    activation (``dz = da * f'(z)``; a learned PReLU slope gets ``sum(da * min(z, 0))``), batch
    norm (:func:`~core.layers.batch_norm_backward`), then the dense layer
    (``dW = a_prev.T @ dz``, ``db = sum(dz, axis=0)``, ``da_prev = dz @ W.T``).

    Returns
    -------
    dict with the keys and shapes of ``params``.
    """
    layers = cache.layers
    keys = _layer_keys(len(layers))
    grads: dict[str, np.ndarray] = {}
    dout = dlogits
    for i in range(len(layers) - 1, -1, -1):
        layer, key = layers[i], keys[i]
        if layer.drop is not None:
            dout, _ = dropout_backward(dout, layer.drop)
        if layer.act is not None:
            dout, g = activation_backward(dout, layer.act)
            if g:
                grads[key.a] = g["alpha"]
        if layer.norm is not None:
            dout, g = batch_norm_backward(dout, layer.norm)
            grads[key.gamma], grads[key.beta] = g["gamma"], g["beta"]
        dout, g = dense_backward(dout, layer.dense, input_grad=i > 0)
        grads[key.W], grads[key.b] = g["W"], g["b"]
    return grads


def predict_logits(
    params, X, *, activation="relu", activation_kw=None, bn_state=None
) -> np.ndarray:
    """Inference-mode logits (no dropout; batch norm with the running statistics ``bn_state``)."""
    return forward(
        params, X, activation=activation, activation_kw=activation_kw, bn_state=bn_state
    )[0]


def __getattr__(name: str):
    # Deprecated: the scikit-learn estimators live in core.estimators, a higher layer that
    # imports this module; `core.mlp.MLPClassifier` still resolves, lazily, with a warning.
    if name in ("MLPClassifier", "MLPRegressor"):
        warnings.warn(
            f"core.mlp.{name} is deprecated; import it from core.estimators "
            f"(from core.estimators import {name}).",
            DeprecationWarning,
            stacklevel=2,
        )
        from core import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'core.mlp' has no attribute {name!r}")
