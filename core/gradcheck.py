"""Finite-difference gradient checks: central differences are O(h^2) accurate, forward only O(h)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_METHODS = ("central", "forward")


def numerical_grad(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    *,
    h: float = 1e-5,
    method: str = "central",
) -> np.ndarray:
    """Estimate the gradient of a scalar function by finite differences.

    Each coordinate ``i`` is nudged by ``h`` along the unit vector ``e_i``:

    - ``"central"``: ``g_i = (f(x + h e_i) - f(x - h e_i)) / (2 h)``, truncation error
      ``O(h^2)`` (the ``f''`` terms of the two Taylor expansions cancel); ``2 * x.size`` calls.
    - ``"forward"``: ``g_i = (f(x + h e_i) - f(x)) / h``, truncation error ``O(h)``
      (error ``h f''(x) / 2``); ``x.size + 1`` calls.

    Round-off adds an error of about ``eps * |f| / h`` (``eps`` = 2.2e-16), so a smaller ``h`` is
    not always better: ``h ~ 1e-5`` is near the sweet spot for central differences in float64,
    ``h ~ 1e-8`` for forward differences.

    Parameters
    ----------
    f : callable
        Maps a float64 array shaped like ``x`` to a float.
    x : array_like of shape (...)
        Point at which to differentiate. It is never modified: ``f`` is evaluated on a private
        float64 copy.
    h : float, default=1e-5
        Step size, > 0.
    method : {"central", "forward"}, default="central"
        Finite-difference scheme.

    Returns
    -------
    grad : ndarray of shape x.shape, float64
        ``grad[i] ~ df/dx_i``.

    Raises
    ------
    ValueError
        If ``method`` is not one of the valid choices or ``h`` is not a positive finite number.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}.")
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive finite step size such as 1e-5; got {h!r}.")
    # A C-ordered private copy: ``flat`` is then a view, so writing to it perturbs ``x_work``,
    # and the caller's array is never touched, even if ``f`` raises half-way.
    x_work = np.array(x, dtype=np.float64, order="C", copy=True)
    flat = x_work.reshape(-1)
    grad = np.empty(flat.size, dtype=np.float64)
    f0 = float(f(x_work)) if method == "forward" else 0.0
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        f_plus = float(f(x_work))
        if method == "central":
            flat[i] = original - h
            f_minus = float(f(x_work))
            grad[i] = (f_plus - f_minus) / (2.0 * h)
        else:
            grad[i] = (f_plus - f0) / h
        flat[i] = original
    return grad.reshape(x_work.shape)


def rel_error(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """Relative error between two gradients, the number a gradient check reports.

    ``rel_error(a, b) = max|a - b| / max(1e-8, max(|a| + |b|))``, maxima over all elements.
    The ``1e-8`` floor keeps the ratio meaningful when both gradients are (nearly) zero.
    In float64, an analytic gradient that agrees with central differences has
    ``rel_error < 1e-6``; a bug typically gives ``1e-2`` or more.

    Parameters
    ----------
    a, b : array_like or float
        Gradients of the same (or broadcast-compatible) shape.

    Returns
    -------
    float
        The relative error; 0.0 for empty inputs.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0 or b.size == 0:
        return 0.0
    num = np.max(np.abs(a - b))
    den = max(1e-8, float(np.max(np.abs(a) + np.abs(b))))
    return float(num / den)


AGREE = "agree"
AGREE_WITHIN_ROUNDOFF = "agree within round-off"
AGREE_WITHIN_TRUNCATION = "agree within truncation error"
KINK = "kink (not checkable)"
DISAGREE = "disagree"
# A relative error below this is agreement outright (the verdicts' default bar).
AGREE_BELOW = 1e-6


def verdicts(
    rel_error,
    abs_error,
    roundoff,
    truncation,
    *,
    agree_below: float = AGREE_BELOW,
    truncation_factor: float = 2.0,
    kink=None,
) -> np.ndarray:
    """Each checked gradient's verdict, the first of these that holds:

    - ``KINK`` where ``kink`` is True (a nudge of ±h crosses a kink: the difference is no check);
    - ``AGREE``: ``rel_error < agree_below``;
    - ``AGREE_WITHIN_ROUNDOFF``: ``abs_error <= roundoff`` (the bound on the difference's
      round-off error);
    - ``AGREE_WITHIN_TRUNCATION``: ``abs_error <= roundoff + truncation_factor * truncation``
      (``truncation`` estimates the step-h difference's own error, ``|ĝ(2h) − ĝ(h)| / 3``);
    - ``DISAGREE`` otherwise.
    """
    rel_error, abs_error = np.asarray(rel_error, float), np.asarray(abs_error, float)
    roundoff, truncation = np.asarray(roundoff, float), np.asarray(truncation, float)
    kink = np.zeros(rel_error.shape, bool) if kink is None else np.asarray(kink, bool)
    return np.select(
        [
            kink,
            rel_error < agree_below,
            abs_error <= roundoff,
            abs_error <= roundoff + truncation_factor * truncation,
        ],
        [KINK, AGREE, AGREE_WITHIN_ROUNDOFF, AGREE_WITHIN_TRUNCATION],
        default=DISAGREE,
    )
