"""Gradient transforms that match PyTorch step for step, each written once as an ``(init, update)`` pair on the flat vector.

Every factory validates its arguments, defines ``init(p, layout)`` and
``update(g, state, p, layout)`` on flat float64 vectors (see ``core.optim_base.FlatTransform``)
and returns ``Optimizer.from_flat(...)``. A transform whose output a constant learning rate can
be folded into builds its pair in a small ``flat(factor)`` function, so ``chain`` fuses the
scale without a further pass.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from core.optim_base import (
    FlatTransform,
    Optimizer,
    Schedule,
    check_beta,
    check_eps,
    check_lr,
    check_real,
)

__all__ = [
    "AdamState",
    "RmsState",
    "RssState",
    "ScheduleState",
    "TraceState",
    "add_decayed_weights",
    "clip_by_global_norm",
    "scale",
    "scale_by_adam",
    "scale_by_learning_rate",
    "scale_by_rms",
    "scale_by_rss",
    "trace",
]


def _stateless(p, layout):
    return ()


def _scale_flat(factor: float) -> FlatTransform:
    # A 0-d array multiplies ~30% faster than a Python float (no scalar conversion per call).
    f = np.array(factor)

    def update(g, state, p, layout):
        return g * f, state

    return FlatTransform(
        _stateless, update, factor=factor, rescaled=lambda k: _scale_flat(factor * k)
    )


def scale(step: float) -> Optimizer:
    """Multiply the updates by a constant: ``u = step * g`` (stateless)."""
    step = check_real("step", step, low=-math.inf)
    return Optimizer.from_flat(_scale_flat(step), f"scale({step!r})")


class ScheduleState(NamedTuple):
    """Number of updates done so far (the schedule is called with it, starting at 0)."""

    count: int


def scale_by_learning_rate(lr: float | Schedule) -> Optimizer:
    """Descend: ``u = -lr(t) * g``, where ``lr`` is a float or a schedule of the count ``t``.

    ``t`` is 0 for the first update and is kept in this transform's own state. A constant
    ``lr`` needs no state and fuses into the transform before it in a ``chain``.
    """
    lr = check_lr(lr)
    name = f"scale_by_learning_rate({lr!r})"
    if not callable(lr):
        return Optimizer.from_flat(_scale_flat(-lr), name)
    schedule = lr

    def init(p, layout):
        return ScheduleState(0)

    def update(g, state, p, layout):
        count = state.count
        return g * -float(schedule(count)), ScheduleState(count + 1)

    return Optimizer.from_flat(FlatTransform(init, update), name)


def add_decayed_weights(weight_decay: float) -> Optimizer:
    """Add ``wd * params`` to the updates: ``u = g + wd * p``.

    Placed before the step rule it is L2 regularization, ``torch.optim.SGD`` / ``Adam``'s
    ``weight_decay`` (coupled: it passes through Adam's scaling). Placed after ``scale_by_adam``
    and before ``scale_by_learning_rate`` it is AdamW's decoupled decay ``p <- p - lr * wd * p``.
    ``weight_decay == 0`` gives an identity that ``chain`` skips.
    """
    weight_decay = check_real("weight_decay", weight_decay, low=0.0)
    name = f"add_decayed_weights({weight_decay!r})"
    if not weight_decay:
        return Optimizer.from_flat(_scale_flat(1.0), name)
    wd = np.array(weight_decay)

    def update(g, state, p, layout):
        if p is None:
            raise ValueError("Weight decay needs the params: call update(grads, state, params).")
        return g + p * wd, state

    return Optimizer.from_flat(FlatTransform(_stateless, update, uses_params=True), name)


class TraceState(NamedTuple):
    """The momentum buffer (flat); None until the first update, as in PyTorch."""

    momentum_buffer: np.ndarray | None


def trace(momentum: float, nesterov: bool = False) -> Optimizer:
    """Heavy-ball or Nesterov momentum with PyTorch's ``SGD`` conventions (dampening 0).

    ``b_1 = g_1`` and ``b_t = momentum * b_{t-1} + g_t``; the update is ``b_t``, or
    ``g_t + momentum * b_t`` with ``nesterov=True``. The buffer starts as ``g_1`` itself and
    sums gradients without a ``(1 - momentum)`` factor: it is not an EMA (its scale is about
    ``1 / (1 - momentum)`` times the gradient), unlike Adam's first moment.
    """
    momentum = check_real("momentum", momentum, low=0.0, high=1.0)
    check_nesterov(momentum, nesterov)
    look_ahead = bool(nesterov)
    m = np.array(momentum)

    def init(p, layout):
        return TraceState(None)

    def update(g, state, p, layout):
        buf = state.momentum_buffer
        buf = g if buf is None else buf * m + g
        if look_ahead:
            return g + buf * m, TraceState(buf)
        return buf, TraceState(buf)

    return Optimizer.from_flat(FlatTransform(init, update), f"trace({momentum!r}, {nesterov!r})")


def check_nesterov(momentum: float, nesterov) -> None:
    """Nesterov's look-ahead needs a momentum to look ahead with."""
    if nesterov and momentum <= 0:
        raise ValueError(
            f"'nesterov=True' requires 'momentum' > 0; got momentum={momentum!r}. "
            "Set momentum (e.g. 0.9) or turn Nesterov off."
        )


class AdamState(NamedTuple):
    """Adam's step count and flat first (``mu``) and second (``nu``) moment estimates."""

    count: int
    mu: np.ndarray
    nu: np.ndarray


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam's direction with ``torch.optim.Adam``'s bias correction and eps placement.

    ``m_t = b1 m_{t-1} + (1 - b1) g``, ``v_t = b2 v_{t-1} + (1 - b2) g^2`` (both start at 0),
    ``u = m_t / (1 - b1^t) / (sqrt(v_t) / sqrt(1 - b2^t) + eps)``. Unlike optax, eps is added
    to the bias-corrected root, exactly where PyTorch adds it.
    """
    b1, b2, eps = check_beta("b1", b1), check_beta("b2", b2), check_eps(eps)
    # torch updates mu with lerp(mu, g, 1 - b1), whose formula depends on the weight.
    weight = 1.0 - b1
    small = weight < 0.5
    w = np.array(weight if small else 1.0 - weight)
    beta2, c2, eps_ = np.array(b2), np.array(1.0 - b2), np.array(eps)

    def init(p, layout):
        return AdamState(0, np.zeros(p.size), np.zeros(p.size))

    def flat(factor: float) -> FlatTransform:
        def update(g, state, p, layout):
            count, mu, nu = state
            count += 1
            # PyTorch's operation order; in-place ops only on arrays created here (saves ~10%).
            mu = mu + (g - mu) * w if small else g - (g - mu) * w
            nu_new = g * c2
            nu_new *= g
            nu_new += nu * beta2
            bc1 = 1.0 - b1**count
            bc2_sqrt = math.sqrt(1.0 - b2**count)
            denom = np.sqrt(nu_new)
            denom /= bc2_sqrt
            denom += eps_
            u = mu * (factor / bc1)
            u /= denom
            return u, AdamState(count, mu, nu_new)

        return FlatTransform(init, update, rescaled=lambda k: flat(factor * k))

    return Optimizer.from_flat(flat(1.0), f"scale_by_adam({b1!r}, {b2!r}, {eps!r})")


class RssState(NamedTuple):
    """AdaGrad's flat running sum of squared gradients."""

    sum_of_squares: np.ndarray


def scale_by_rss(eps: float = 1e-10) -> Optimizer:
    """AdaGrad's direction as in ``torch.optim.Adagrad`` (initial accumulator 0, no lr decay).

    ``s_t = s_{t-1} + g^2`` and ``u = g / (sqrt(s_t) + eps)``: each coordinate's step shrinks
    with the total squared gradient it has seen. The first step is ``g / (|g| + eps)``.
    """
    eps = check_eps(eps)
    eps_ = np.array(eps)

    def init(p, layout):
        return RssState(np.zeros(p.size))

    def flat(factor: float) -> FlatTransform:
        f = np.array(factor)

        def update(g, state, p, layout):
            total = state.sum_of_squares + g * g
            return g * f / (np.sqrt(total) + eps_), RssState(total)

        return FlatTransform(init, update, rescaled=lambda k: flat(factor * k))

    return Optimizer.from_flat(flat(1.0), f"scale_by_rss({eps!r})")


class RmsState(NamedTuple):
    """RMSprop's flat running average of squared gradients."""

    nu: np.ndarray


def scale_by_rms(alpha: float = 0.99, eps: float = 1e-8) -> Optimizer:
    """RMSprop's direction as in ``torch.optim.RMSprop`` (not centered, no momentum).

    ``v_t = alpha v_{t-1} + (1 - alpha) g^2`` from ``v_0 = 0`` and ``u = g / (sqrt(v_t) + eps)``,
    with eps outside the root (optax puts it inside) and no bias correction, so the first
    step is ``g / (sqrt(1 - alpha) |g| + eps)``, about 10x larger than Adam's.
    """
    alpha, eps = check_beta("alpha", alpha), check_eps(eps)
    alpha_, c, eps_ = np.array(alpha), np.array(1.0 - alpha), np.array(eps)

    def init(p, layout):
        return RmsState(np.zeros(p.size))

    def flat(factor: float) -> FlatTransform:
        f = np.array(factor)

        def update(g, state, p, layout):
            nu = state.nu * alpha_ + g * c * g
            return g * f / (np.sqrt(nu) + eps_), RmsState(nu)

        return FlatTransform(init, update, rescaled=lambda k: flat(factor * k))

    return Optimizer.from_flat(flat(1.0), f"scale_by_rms({alpha!r}, {eps!r})")


def clip_by_global_norm(max_norm: float) -> Optimizer:
    """Rescale all gradients together as ``torch.nn.utils.clip_grad_norm_`` does.

    ``n = sqrt(sum of g^2 over every array)`` and ``u = g * min(1, max_norm / (n + 1e-6))``:
    the direction is kept, and the norm becomes ``max_norm * n / (n + 1e-6)`` (just under
    ``max_norm``, from PyTorch's 1e-6) when ``n`` exceeds it. Put it first in a ``chain``.
    """
    max_norm = check_real("max_norm", max_norm, low=0.0, low_open=True)

    def update(g, state, p, layout):
        total = math.sqrt(float(np.dot(g, g)))
        coef = max_norm / (total + 1e-6)
        if coef < 1.0:
            return g * coef, state
        return g, state

    return Optimizer.from_flat(
        FlatTransform(_stateless, update), f"clip_by_global_norm({max_norm!r})"
    )
