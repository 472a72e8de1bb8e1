"""A fully connected network as pure functions: forward keeps a cache, backward applies the chain rule."""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from core.activations import ACTIVATIONS

INITS = ("normal", "xavier", "he", "lecun")
# torch.nn.BatchNorm1d's defaults.
BN_EPS = 1e-5
BN_MOMENTUM = 0.1
# torch.nn.PReLU's default initial slope.
PRELU_INIT = 0.25
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


@lru_cache(maxsize=64)
def _layer_keys(n_layers: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"W{k}", f"b{k}") for k in range(1, n_layers + 1))


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


# --- batch normalization ----------------------------------------------------------------------


class BatchNormCache(NamedTuple):
    """What one batch-norm layer keeps for backward and for the running statistics.

    ``x_hat`` (n, d) the normalized input, ``inv_std`` (d,) = 1 / sqrt(var + eps), ``mean`` and
    ``var`` (d,) the batch mean and biased batch variance (None in inference mode), ``train``.
    """

    x_hat: np.ndarray
    inv_std: np.ndarray
    mean: np.ndarray | None
    var: np.ndarray | None
    train: bool


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


def batch_norm_forward(x, gamma, beta, *, train, running_mean=None, running_var=None):
    """``y = gamma * (x - mu) / sqrt(var + eps) + beta`` per feature, as ``torch.nn.BatchNorm1d``.

    Training mode uses the batch mean and the biased batch variance ``mean((x - mu)^2)``;
    inference mode uses the running statistics. Returns ``(y, BatchNormCache)``.
    """
    if train:
        mean = x.mean(axis=0)
        centred = x - mean
        var = np.mean(centred * centred, axis=0)
        inv_std = 1.0 / np.sqrt(var + BN_EPS)
        x_hat = centred * inv_std
        return x_hat * gamma + beta, BatchNormCache(x_hat, inv_std, mean, var, True)
    inv_std = 1.0 / np.sqrt(running_var + BN_EPS)
    x_hat = (x - running_mean) * inv_std
    return x_hat * gamma + beta, BatchNormCache(x_hat, inv_std, None, None, False)


def batch_norm_backward(dy, bn: BatchNormCache, gamma):
    """Gradients ``(dx, dgamma, dbeta)`` of :func:`batch_norm_forward`.

    ``dgamma = sum(dy * x_hat)``, ``dbeta = sum(dy)``. In training mode the mean and variance
    depend on every row, so with ``g = dy * gamma``:
    ``dx = inv_std * (g - mean(g) - x_hat * mean(g * x_hat))``; in inference mode
    ``dx = g * inv_std``.
    """
    dgamma = np.sum(dy * bn.x_hat, axis=0)
    dbeta = dy.sum(axis=0)
    g = dy * gamma
    if bn.train:
        dx = (g - g.mean(axis=0) - bn.x_hat * np.mean(g * bn.x_hat, axis=0)) * bn.inv_std
    else:
        dx = g * bn.inv_std
    return dx, dgamma, dbeta


def update_bn_state(bn_state, cache, *, momentum: float = BN_MOMENTUM) -> dict[str, np.ndarray]:
    """New running statistics after a training-mode :func:`forward` (the old dict is not changed).

    As ``torch.nn.BatchNorm1d``: ``running = (1 - momentum) * running + momentum * batch``, with
    the *unbiased* batch variance ``var * n / (n - 1)`` (normalization itself used the biased one).
    """
    new = dict(bn_state)
    for k, layer in enumerate(cache[0][:-1], start=1):
        if len(layer) > 3 and layer[3].train:
            bn = layer[3]
            n = layer[0].shape[0]
            mean_key, var_key = f"running_mean{k}", f"running_var{k}"
            new[mean_key] = (1.0 - momentum) * bn_state[mean_key] + momentum * bn.mean
            new[var_key] = (1.0 - momentum) * bn_state[var_key] + momentum * bn.var * (n / (n - 1))
    return new


# --- the network --------------------------------------------------------------------------------


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
):
    """Run the network on a batch.

    Hidden layer k computes ``z = a_prev @ Wk + bk``, then (with batch norm)
    ``z = gammak * (z - mu) / sqrt(var + eps) + betak``, and ``a = f(z)``; the last layer is
    linear (the loss owns the output non-linearity). With ``train=True`` and ``dropout = p > 0``,
    each hidden unit is kept with probability ``q = 1 - p`` and scaled by ``1 / q`` (inverted
    dropout, as ``torch.nn.Dropout``), so the expected activation is unchanged and inference
    needs no scaling.

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
        Required when dropout is active.
    activation_kw : dict, optional
        Keyword arguments for the activation (e.g. ``{"negative_slope": 0.1}``).
    bn_state : dict of arrays, optional
        Running statistics from :func:`init_bn_state` / :func:`update_bn_state`; required in
        inference mode when the network has batch norm.

    Returns
    -------
    logits : ndarray of shape (n, n_out)
    cache : tuple needed by :func:`backward`
        ``(layers, activation, activation_kw)``; ``layers[i]`` is ``(a_prev, z, mask)`` for
        dense layer i + 1 (``z`` the activation's input, None for the output layer), with a
        fourth entry, a :class:`BatchNormCache`, on batch-normalized layers.
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
        bn_cache = None
        if bn:
            k = i + 1
            z, bn_cache = batch_norm_forward(
                z,
                params[f"gamma{k}"],
                params[f"beta{k}"],
                train=train,
                running_mean=None if train else bn_state[f"running_mean{k}"],
                running_var=None if train else bn_state[f"running_var{k}"],
            )
        h = act.fn(z, **kw) if not slopes else act.fn(z, **{**kw, "alpha": params[f"a{i + 1}"][0]})
        mask = None
        if use_dropout:
            mask = (rng.random(h.shape) < keep) / keep
            h = h * mask
        layers.append((a, z, mask) if bn_cache is None else (a, z, mask, bn_cache))
        a = h
    return a, (tuple(layers), act, kw)


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


def backward(params: dict[str, np.ndarray], cache, dlogits: np.ndarray) -> dict[str, np.ndarray]:
    """Backpropagate dL/dlogits through the cached forward pass.

    For each layer, from the output back: ``dW = a_prev.T @ dz``, ``db = sum(dz, axis=0)``,
    ``da_prev = dz @ W.T``, then through the previous hidden unit ``dz_prev = da_prev * mask * f'(z)``
    (and through its batch norm, see :func:`batch_norm_backward`). A learned PReLU slope gets
    ``d a_k = sum(da * min(z, 0))``, since d prelu(z) / d alpha = min(z, 0).

    Returns
    -------
    dict with the keys and shapes of ``params``.
    """
    layers, act, kw = cache
    keys = _layer_keys(len(layers))
    slopes = "a1" in params
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
        prev = layers[i - 1]
        z, mask = prev[1], prev[2]
        if mask is not None:
            da *= mask  # da is a fresh array from the matmul, so in-place is safe
        if slopes:
            alpha = params[f"a{i}"][0]
            grads[f"a{i}"] = np.array([np.vdot(da, np.minimum(z, 0.0))])
            da *= act.grad(z, **{**kw, "alpha": alpha})
        else:
            da *= act.grad(z, **kw)
        if len(prev) > 3:
            da, grads[f"gamma{i}"], grads[f"beta{i}"] = batch_norm_backward(
                da, prev[3], params[f"gamma{i}"]
            )
        dz = da
    return grads


def predict_logits(
    params, X, *, activation="relu", activation_kw=None, bn_state=None
) -> np.ndarray:
    """Inference-mode logits (no dropout; batch norm with the running statistics ``bn_state``)."""
    return forward(
        params, X, activation=activation, activation_kw=activation_kw, bn_state=bn_state
    )[0]


# --- per-layer diagnostics ----------------------------------------------------------------------


@lru_cache(maxsize=256)
def peak_derivative(activation: str, kw_items: tuple = ()) -> float:
    """max_x f'(x) on a fine grid over [-10, 10] (1 for ReLU, 0.25 for sigmoid, ...)."""
    grid = np.linspace(-10.0, 10.0, 8001)
    return float(np.max(ACTIVATIONS[activation].grad(grid, **dict(kw_items))))


def layer_statistics(params, cache, grads) -> list[tuple]:
    """Per dense layer k = 1..L: how the signal and the gradient look after one forward/backward.

    ``grad_norm`` = ||dL/dWk||_F, ``weight_norm`` = ||Wk||_F, and for hidden layers the output
    ``h = f(z)``'s mean and standard deviation over all units and examples, ``saturated`` the
    fraction of (example, unit) pairs where |f'(z)| < 1 % of f's peak derivative (a saturated
    sigmoid or tanh, an inactive ReLU), and ``dead`` the fraction of units for which that holds on
    every example (for ReLU a dead unit: no gradient flows through it; a leaky ReLU with a slope
    under 1 % counts too, though it passes that small slope). NaN for the linear output layer.
    Run the forward pass without dropout, so ``h`` is the next layer's input.

    Returns
    -------
    list of tuples in the order of :data:`LAYER_STAT_COLUMNS`.
    """
    layers, act, kw = cache
    rows = []
    last = len(layers) - 1
    with np.errstate(all="ignore"):
        for i, layer in enumerate(layers):
            k = i + 1
            W = params[f"W{k}"]
            g = grads[f"W{k}"]
            grad_norm = float(np.sqrt(np.vdot(g, g)))
            weight_norm = float(np.sqrt(np.vdot(W, W)))
            if i == last:
                rows.append((k, grad_norm, weight_norm, *([np.nan] * 4)))
                continue
            z = layer[1]
            layer_kw = dict(kw)
            if f"a{k}" in params:
                layer_kw["alpha"] = float(params[f"a{k}"][0])
            h = layers[i + 1][0]
            off = np.abs(act.grad(z, **layer_kw)) < SATURATION_THRESHOLD * peak_derivative(
                act.name, tuple(sorted(layer_kw.items()))
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


def __getattr__(name: str):
    # The scikit-learn estimators live in core.estimators (they import this module and
    # core.train); loading them lazily keeps `core.mlp.MLPClassifier` working without a cycle.
    if name in ("MLPClassifier", "MLPRegressor"):
        from core import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'core.mlp' has no attribute {name!r}")
