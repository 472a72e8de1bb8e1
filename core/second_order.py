"""Newton, saddle-free Newton and noisy GD as transforms: why pure Newton is drawn to saddles."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from core.optim import (
    Layout,
    Optimizer,
    Params,
    chain,
    clip_by_global_norm,
    scale_by_learning_rate,
)
from core.validation import check_int, check_number

__all__ = [
    "NoiseState",
    "add_gaussian_noise",
    "hessian_memory_bytes",
    "newton",
    "newton_direction",
    "noisy_gd",
    "saddle_free_direction",
    "saddle_free_newton",
]

# A Hessian callable maps the params dict to the (n, n) matrix over the flat parameter vector
# (in the key order of the params given to ``init``).
Hessian = Callable[[Params], np.ndarray]

# Eigenvalues this small relative to the largest are treated as exactly zero (a pseudo-inverse),
# so a flat direction gets no step instead of an infinite one.
RCOND = 1e-12
NOISE_BLOCK = 256


def _inverse_curvature(h: np.ndarray, g: np.ndarray, damping: float, absolute: bool) -> np.ndarray:
    """``V diag(phi(λ)) Vᵀ g`` for the symmetric ``h = V diag(λ) Vᵀ``, ``phi(λ) = 1 / (λ' + damping)``.

    ``λ' = |λ|`` when ``absolute`` else ``λ``. Where ``|λ' + damping|`` is below ``RCOND`` times
    the largest ``|λ| + damping``, ``phi = 0`` (a pseudo-inverse). A 2 x 2 matrix uses the closed
    form with spectral projectors, about 10x faster than ``np.linalg.eigh`` on one small matrix,
    which matters inside a 500-step loop.
    """
    if h.shape == (2, 2):
        a, b, d = float(h[0, 0]), 0.5 * (float(h[0, 1]) + float(h[1, 0])), float(h[1, 1])
        mid, rad = 0.5 * (a + d), math.hypot(0.5 * (a - d), b)
        lo, hi = mid - rad, mid + rad
        cutoff = RCOND * (max(abs(lo), abs(hi)) + damping)
        c_lo = (abs(lo) if absolute else lo) + damping
        c_hi = (abs(hi) if absolute else hi) + damping
        s_lo = 1.0 / c_lo if abs(c_lo) > cutoff else 0.0
        s_hi = 1.0 / c_hi if abs(c_hi) > cutoff else 0.0
        g0, g1 = float(g[0]), float(g[1])
        if rad <= 1e-14 * abs(mid) or rad == 0.0:  # a multiple of the identity
            return np.array([s_hi * g0, s_hi * g1])
        # P_hi = (h - lo I) / (hi - lo) projects onto the eigenvector of hi; P_lo = I - P_hi.
        p0 = ((a - lo) * g0 + b * g1) / (2.0 * rad)
        p1 = (b * g0 + (d - lo) * g1) / (2.0 * rad)
        return np.array([s_lo * (g0 - p0) + s_hi * p0, s_lo * (g1 - p1) + s_hi * p1])
    lam, vecs = np.linalg.eigh(0.5 * (h + h.T))
    shifted = (np.abs(lam) if absolute else lam) + damping
    cutoff = RCOND * (float(np.max(np.abs(lam), initial=0.0)) + damping)
    keep = np.abs(shifted) > cutoff
    inverse = np.divide(1.0, shifted, out=np.zeros_like(shifted), where=keep)
    return vecs @ (inverse * (vecs.T @ g))


def _curvature_transform(hessian: Hessian, damping: float, absolute: bool, name: str) -> Optimizer:
    """A stateless transform ``u = phi(H) g``, ``phi(λ) = 1 / (λ' + damping)``, λ' = |λ| or λ."""

    def init(params: Mapping[str, np.ndarray]) -> Layout:
        return Layout(params)

    def update(grads, layout: Layout, params=None):
        if params is None:
            raise ValueError(f"{name} needs the params: call update(grads, state, params).")
        g = layout.flatten(grads)
        h = np.asarray(hessian(params), dtype=float)
        if h.shape != (g.size, g.size):
            raise ValueError(
                f"The Hessian must have shape ({g.size}, {g.size}) for {g.size} parameters; "
                f"got {h.shape}."
            )
        return layout.unflatten(_inverse_curvature(h, g, damping, absolute)), layout

    return Optimizer(init, update, name)


def newton_direction(hessian: Hessian, *, damping: float = 0.0) -> Optimizer:
    """Newton's direction ``u = (H + damping I)⁺ g`` (a pseudo-inverse: zero eigenvalues get no step).

    In the Hessian's eigenbasis the step along eigenvector ``v_i`` is ``g_i / (λ_i + damping)``.
    Where ``λ_i < 0`` that points *uphill*: followed by ``scale_by_learning_rate``, the step moves
    towards the point where the local quadratic model has zero gradient, which near a saddle is the
    saddle itself. ``damping > 0`` (Levenberg–Marquardt) shortens steps where curvature is small.

    Parameters
    ----------
    hessian : callable
        ``hessian(params) -> (n, n)`` array over the flattened params.
    damping : float, default=0.0
        Added to every eigenvalue, >= 0.
    """
    damping = check_number("damping", damping, 0.0, 1e6)
    return _curvature_transform(hessian, damping, False, f"newton_direction({damping!r})")


def saddle_free_direction(hessian: Hessian, *, damping: float = 0.0) -> Optimizer:
    """The saddle-free Newton direction ``u = (|H| + damping I)⁻¹ g`` (Dauphin et al., 2014).

    ``|H| = V |Λ| Vᵀ`` keeps Newton's rescaling by curvature but flips the sign of the step along
    negative-curvature directions, so it descends there instead of climbing back to the saddle.
    """
    damping = check_number("damping", damping, 0.0, 1e6)
    return _curvature_transform(hessian, damping, True, f"saddle_free_direction({damping!r})")


def _second_order(direction: Optimizer, lr: float, max_step: float | None) -> Optimizer:
    parts = [direction, scale_by_learning_rate(lr)]
    if max_step:
        # The cap acts on the whole step -lr * direction, so it comes after the learning rate.
        parts.append(clip_by_global_norm(max_step))
    return chain(*parts)


def newton(
    hessian: Hessian, lr: float = 1.0, *, damping: float = 0.0, max_step: float | None = None
) -> Optimizer:
    """Damped Newton's method: ``Δθ = -lr (H + damping I)⁺ ∇f``, its norm capped at ``max_step``.

    ``lr = 1, damping = 0`` is the pure Newton step, which lands on the minimum of a convex
    quadratic in one step and on the saddle of an indefinite one. Built as
    ``chain(newton_direction, scale_by_learning_rate(lr)[, clip_by_global_norm(max_step)])``.
    """
    lr = check_number("lr", lr, 1e-8, 10.0)
    max_step = None if not max_step else check_number("max_step", max_step, 1e-8, 1e6)
    return _second_order(newton_direction(hessian, damping=damping), lr, max_step)


def saddle_free_newton(
    hessian: Hessian, lr: float = 1.0, *, damping: float = 0.0, max_step: float | None = None
) -> Optimizer:
    """Saddle-free Newton: ``Δθ = -lr (|H| + damping I)⁻¹ ∇f``, its norm capped at ``max_step``."""
    lr = check_number("lr", lr, 1e-8, 10.0)
    max_step = None if not max_step else check_number("max_step", max_step, 1e-8, 1e6)
    return _second_order(saddle_free_direction(hessian, damping=damping), lr, max_step)


class NoiseState(NamedTuple):
    """Updates done so far and the current block of standard normal draws (NOISE_BLOCK x n)."""

    count: int
    block: np.ndarray


def add_gaussian_noise(scale: float, *, seed: int = 0) -> Optimizer:
    """Add isotropic Gaussian noise to the gradient: ``u = g + scale * ξ_t``, ``ξ_t ~ N(0, I)``.

    The draw at update ``t`` depends only on ``(seed, t)``: blocks of ``NOISE_BLOCK`` draws come
    from ``np.random.default_rng([seed, t // NOISE_BLOCK])``, so a stored state replays exactly.
    """
    scale = check_number("scale", scale, 0.0, 1e6)
    seed = check_int("seed", seed, 0, 2**31 - 1)
    factor = np.array(scale)

    def draw(block_index: int, n: int) -> np.ndarray:
        return np.random.default_rng([seed, block_index]).standard_normal((NOISE_BLOCK, n))

    def init(params: Mapping[str, np.ndarray]) -> tuple[Layout, NoiseState]:
        layout = Layout(params)
        return layout, NoiseState(0, draw(0, layout.size))

    def update(grads, state, params=None):
        layout, (count, block) = state
        if count and count % NOISE_BLOCK == 0:
            block = draw(count // NOISE_BLOCK, layout.size)
        noisy = layout.flatten(grads) + factor * block[count % NOISE_BLOCK]
        return layout.unflatten(noisy), (layout, NoiseState(count + 1, block))

    return Optimizer(init, update, f"add_gaussian_noise({scale!r}, seed={seed!r})")


def noisy_gd(lr: float, *, noise: float = 0.1, seed: int = 0) -> Optimizer:
    """Gradient descent on a noisy gradient: ``Δθ = -lr (∇f + noise * ξ_t)``, seeded.

    The mini-batch-like noise kicks the iterate off a saddle's stable line, where the exact
    gradient has no component that could. Built as
    ``chain(add_gaussian_noise(noise, seed=seed), scale_by_learning_rate(lr))``.
    """
    return chain(add_gaussian_noise(noise, seed=seed), scale_by_learning_rate(lr))


def hessian_memory_bytes(n_params: int, *, bytes_per_entry: int = 4) -> int:
    """Memory to store a dense Hessian of ``n_params`` weights: ``n² x bytes_per_entry`` bytes.

    For a million weights in float32 that is 10¹² entries, 4 TB (8 TB in float64); inverting it
    costs about n³ = 10¹⁸ operations. (The matrix is symmetric, so half would do: still 2 TB.)
    """
    n = check_int("n_params", n_params, 1, 10**15)
    return n * n * check_int("bytes_per_entry", bytes_per_entry, 1, 16)
