"""Scaled dot-product attention by hand: forward and backward passes, the causal mask, many heads.

Every function is float64 NumPy and follows PyTorch's definitions, so the numbers equal
``torch.nn.functional.scaled_dot_product_attention`` and its autograd gradients to round-off
(tests/reference/make_torch_attention_reference.py)::

    out, cache = attention_forward(Q, K, V, causal=True)
    grads = attention_backward(dout, cache)  # {"Q": ..., "K": ..., "V": ...}

Each pair is a CS231n-style layer: the forward pass returns its output and a named cache of
what the backward pass needs.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np


def causal_mask(n_queries: int, n_keys: int | None = None) -> np.ndarray:
    """Which keys each query may attend to under a causal mask: key j <= query i.

    Shape (n_queries, n_keys), True where allowed: the lower triangle and the diagonal, aligned
    at the top left as PyTorch's ``is_causal=True`` (``torch.ones(L, S).tril(0)``).
    """
    n_keys = n_queries if n_keys is None else n_keys
    return np.tril(np.ones((n_queries, n_keys), dtype=bool))


def softmax_forward(scores: np.ndarray, allowed: np.ndarray | None = None):
    """Row-wise softmax over the last axis; keys not ``allowed`` get exactly zero weight.

    A masked score is set to −∞ before the softmax, so its weight is e^(−∞) = 0 exactly, not a
    small number. Every row must allow at least one key.

    Returns
    -------
    p : ndarray, the shape of ``scores``; each row sums to 1
    cache : ndarray, ``p`` itself (the backward pass needs only the weights)
    """
    scores = np.asarray(scores, dtype=np.float64)
    if allowed is not None:
        if not np.all(np.any(allowed, axis=-1)):
            raise ValueError("every query must be allowed at least one key; got a row all masked.")
        scores = np.where(allowed, scores, -np.inf)
    shifted = scores - scores.max(axis=-1, keepdims=True)  # the largest exponent is 0: no overflow
    e = np.exp(shifted)
    p = e / e.sum(axis=-1, keepdims=True)
    return p, p


def softmax_backward(dp: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """∂L/∂s from ∂L/∂p through each row's softmax: ``p ⊙ (dp − Σ_j dp_j p_j)``.

    This is Jᵀ dp with the row's Jacobian J = diag(p) − p pᵀ, without forming J. A masked key
    (p = 0) gets zero gradient.
    """
    p = cache
    return p * (dp - np.sum(dp * p, axis=-1, keepdims=True))


class AttentionCache(NamedTuple):
    """What :func:`attention_backward` needs from :func:`attention_forward`."""

    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    scores: np.ndarray  # Q Kᵀ · scale, before the mask
    weights: np.ndarray  # P = softmax(scores + mask), rows sum to 1
    scale: float
    allowed: np.ndarray | None  # the mask (True = may attend), None without one


def attention_forward(
    Q: np.ndarray,
    K: np.ndarray,
    V: np.ndarray,
    *,
    causal: bool = False,
    scale: float | None = None,
):
    """Scaled dot-product attention, ``softmax(Q Kᵀ · scale + M) V``.

    Parameters
    ----------
    Q : array of shape (..., L, d_k), one query per row
    K : array of shape (..., S, d_k), one key per row
    V : array of shape (..., S, d_v), one value per row
    causal : bool
        Query i may attend only to keys j <= i (:func:`causal_mask`): M = −∞ above the diagonal.
    scale : float or None
        Multiplies the scores; None is 1/√d_k, as in PyTorch. ``scale=1.0`` is unscaled.

    Returns
    -------
    out : array of shape (..., L, d_v), each row the weighted average of the value rows
    cache : AttentionCache
    """
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    scale = 1.0 / math.sqrt(Q.shape[-1]) if scale is None else float(scale)
    scores = (Q @ np.swapaxes(K, -1, -2)) * scale
    allowed = causal_mask(Q.shape[-2], K.shape[-2]) if causal else None
    weights, _ = softmax_forward(scores, allowed)
    return weights @ V, AttentionCache(Q, K, V, scores, weights, scale, allowed)


def attention_backward(dout: np.ndarray, cache: AttentionCache) -> dict[str, np.ndarray]:
    """Gradients of a loss L with respect to Q, K and V, given ∂L/∂out.

    With S = Q Kᵀ · c and P = softmax(S + M)::

        ∂L/∂V = Pᵀ dout,   ∂L/∂P = dout Vᵀ,   ∂L/∂S = P ⊙ (∂L/∂P − rowsum(∂L/∂P ⊙ P)),
        ∂L/∂Q = c ∂L/∂S K,   ∂L/∂K = c (∂L/∂S)ᵀ Q.

    Returns {"Q": (..., L, d_k), "K": (..., S, d_k), "V": (..., S, d_v)}.
    """
    Q, K, V, _, P, scale, _ = cache
    dV = np.swapaxes(P, -1, -2) @ dout
    dP = dout @ np.swapaxes(V, -1, -2)
    dS = softmax_backward(dP, P)
    dQ = (dS @ K) * scale
    dK = (np.swapaxes(dS, -1, -2) @ Q) * scale
    return {"Q": dQ, "K": dK, "V": dV}


# ---- many heads ---------------------------------------------------------------------------------

PARAM_NAMES = ("W_q", "W_k", "W_v", "W_o")


def init_params(d_model: int, n_heads: int, d_head: int, *, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded weights of multi-head self-attention (no biases, as in the step-through).

    W_q, W_k, W_v have shape (n_heads, d_model, d_head): one small projection per head, drawn
    N(0, 1/d_model) so a query entry has about the variance of an embedding entry. W_o has shape
    (n_heads · d_head, d_model), drawn N(0, 1/(n_heads · d_head)).
    """
    rng = np.random.default_rng(seed)
    shape = (n_heads, d_model, d_head)
    params = {name: rng.normal(0.0, 1.0 / math.sqrt(d_model), shape) for name in PARAM_NAMES[:3]}
    width = n_heads * d_head
    params["W_o"] = rng.normal(0.0, 1.0 / math.sqrt(width), (width, d_model))
    return params


def count_params(d_model: int, n_heads: int, d_head: int) -> int:
    """Weights of :func:`init_params`: 3 · n_heads · d_model · d_head + n_heads · d_head · d_model."""
    return 4 * n_heads * d_head * d_model


class HeadCache(NamedTuple):
    """One head's projections and its attention cache."""

    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    attention: AttentionCache


class MultiHeadCache(NamedTuple):
    """What :func:`multi_head_backward` needs from :func:`multi_head_forward`."""

    X: np.ndarray
    params: dict
    heads: tuple[HeadCache, ...]
    concat: np.ndarray  # (n, n_heads · d_head): the heads' outputs side by side


def multi_head_forward(
    X: np.ndarray, params: dict, *, causal: bool = False, scale: float | None = None
):
    """Multi-head self-attention: separate small heads, concatenated, then one output projection.

    Head h computes Q_h = X W_q[h], K_h = X W_k[h], V_h = X W_v[h] and
    A_h = attention(Q_h, K_h, V_h); the output is [A_1 | ... | A_H] W_o.

    Parameters
    ----------
    X : array of shape (n, d_model), one token embedding per row
    params : dict from :func:`init_params`
    causal, scale : as in :func:`attention_forward` (the same for every head)

    Returns
    -------
    out : array of shape (n, d_model)
    cache : MultiHeadCache
    """
    X = np.asarray(X, dtype=np.float64)
    heads, outputs = [], []
    for W_q, W_k, W_v in zip(params["W_q"], params["W_k"], params["W_v"], strict=True):
        Q, K, V = X @ W_q, X @ W_k, X @ W_v
        out, cache = attention_forward(Q, K, V, causal=causal, scale=scale)
        heads.append(HeadCache(Q, K, V, cache))
        outputs.append(out)
    concat = np.concatenate(outputs, axis=-1)
    return concat @ params["W_o"], MultiHeadCache(X, params, tuple(heads), concat)


def multi_head_backward(dout: np.ndarray, cache: MultiHeadCache) -> dict[str, np.ndarray]:
    """Gradients with respect to X and every weight, given ∂L/∂out of shape (n, d_model).

    Returns {"X", "W_q", "W_k", "W_v", "W_o"}, each shaped like its input.
    """
    X, params, heads, concat = cache
    grads = {"W_o": concat.T @ dout, "X": np.zeros_like(X)}
    dconcat = dout @ params["W_o"].T
    d_head = heads[0].V.shape[-1]
    for name in PARAM_NAMES[:3]:
        grads[name] = np.zeros_like(params[name])
    for h, head in enumerate(heads):
        d = attention_backward(dconcat[:, h * d_head : (h + 1) * d_head], head.attention)
        for name, key in (("W_q", "Q"), ("W_k", "K"), ("W_v", "V")):
            grads[name][h] = X.T @ d[key]
            grads["X"] += d[key] @ params[name][h].T
    return grads


# ---- what a softmax row looks like --------------------------------------------------------------


def entropy(p: np.ndarray) -> np.ndarray:
    """−Σ p log p over the last axis, in nats (0 log 0 = 0); log n for a uniform row of n.

    The largest weight's log is log1p(−rest), rest the other weights' sum: once float64 rounds
    that weight to 1.0 (rest under 1.1e-16) log p_max would be 0, and a nearly one-hot row's
    entropy lost its term ≈ rest (1.549e-20 for 1.58e-20).
    """
    p = np.asarray(p, dtype=np.float64)
    top = np.argmax(p, axis=-1)[..., None]
    others = p.copy()
    np.put_along_axis(others, top, 0.0, axis=-1)
    logs = np.log(np.where(others > 0, others, 1.0))
    largest = np.take_along_axis(p, top, axis=-1)[..., 0]
    return -np.sum(others * logs, axis=-1) - largest * np.log1p(-others.sum(axis=-1))


def remaining_weight(p: np.ndarray) -> np.ndarray:
    """1 − max_i p_i of each row, summed from the other weights (accurate when it is tiny).

    A saturated row's largest weight rounds to 1.0 once the rest fall below 1.1e-16, while the
    other weights keep their values: their sum is the honest distance from one-hot.
    """
    p = np.asarray(p, dtype=np.float64)
    top = np.argmax(p, axis=-1)[..., None]
    rest = p.copy()
    np.put_along_axis(rest, top, 0.0, axis=-1)
    return rest.sum(axis=-1)


def jacobian_norm(p: np.ndarray) -> np.ndarray:
    """‖∂p/∂s‖_F of each softmax row, without forming J = diag(p) − p pᵀ.

    ‖J‖_F² = Σ_i p_i² (1 − p_i)² + Σ_i p_i² Σ_{j≠i} p_j², with 1 − p_i and Σ_{j≠i} p_j² summed
    from the other weights for the largest one (no cancellation when the row is nearly one-hot).

    ‖J‖_F ≤ 2 (1 − max_i p_i): the gradient through the softmax vanishes as its largest weight
    nears 1. Proof: with m the largest weight's index, ε = 1 − p_m and A = Σ_{i≠m} p_i² ≤ ε²,
    ‖J‖_F² = p_m² ε² + Σ_{i≠m} p_i² (1 − p_i)² + 2 p_m² A + Σ_{i≠j; i,j≠m} p_i² p_j²
    ≤ (1 − ε)² ε² + A + 2 (1 − ε)² A + A² ≤ ε² [3 (1 − ε)² + 1 + ε²] ≤ 4 ε² for ε ≤ 1.
    And ‖J‖_F ≥ p_m (1 − p_m), its largest diagonal entry.
    """
    p = np.asarray(p, dtype=np.float64)
    top = np.argmax(p, axis=-1)[..., None]
    p_top = np.take_along_axis(p, top, axis=-1)[..., 0]
    rest = p.copy()
    np.put_along_axis(rest, top, 0.0, axis=-1)
    # Measured in units of the largest other weight s, so that squares of weights far below
    # 1e-154 do not underflow: ‖J‖_F = s √(Σ_{i≠m} r_i² ((1 − p_i)² + Σ_{j≠i} p_j²)
    # + p_m² ((ε/s)² + Σ_i r_i²)) with r = rest / s.
    s = rest.max(axis=-1)
    unit = np.where(s > 0, s, 1.0)
    r = rest / unit[..., None]
    eps_over_s = rest.sum(axis=-1) / unit
    squares = p * p
    others = squares.sum(axis=-1, keepdims=True) - squares  # Σ_{j≠i} p_j² for i ≠ m (≥ p_m²)
    non_top = np.sum(r * r * ((1.0 - p) ** 2 + others), axis=-1)  # r = 0 at the top
    top_term = p_top**2 * (eps_over_s**2 + np.sum(r * r, axis=-1))
    return unit * np.sqrt(non_top + top_term)


def softmax_jacobian(p: np.ndarray) -> np.ndarray:
    """The full Jacobian diag(p) − p pᵀ of one softmax row p, shape (n, n)."""
    p = np.asarray(p, dtype=np.float64)
    return np.diag(p) - np.outer(p, p)


def dot_product_std(d_k: int, entry_std: float = 1.0, *, scaled: bool = False) -> float:
    """The standard deviation of q · k for independent entries of mean 0 and SD ``entry_std``.

    Var(q · k) = Σ_i Var(q_i k_i) = d_k σ⁴, so its SD is σ² √d_k; divided by √d_k it is σ².
    """
    variance = d_k * entry_std**4
    return math.sqrt(variance / d_k) if scaled else math.sqrt(variance)
