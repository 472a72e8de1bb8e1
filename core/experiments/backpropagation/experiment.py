"""Backpropagation is the chain rule run from the loss back to every weight; gradient descent then uses it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from core import gradcheck as gc
from core import mlp
from core.activations import ACTIVATIONS
from core.config import Settings, choice, integer, number, param_of
from core.experiments.budget import check_budget
from core.facts import num
from core.gradcheck import numerical_grad, rel_error

ACTIVATION_CHOICES = ("sigmoid", "relu")
N_INPUTS, N_HIDDEN = 2, 3
# The parameter layout of core.mlp for sizes (2, 3, 1): Wk has shape (n_in, n_out).
PARAM_SHAPES = {"W1": (N_INPUTS, N_HIDDEN), "b1": (N_HIDDEN,), "W2": (N_HIDDEN, 1), "b2": (1,)}
N_PARAMS = sum(math.prod(s) for s in PARAM_SHAPES.values())
# A weight this large means the updates ran away; the trajectory stops before it.
WEIGHT_LIMIT = 1e6
# A loss this many times max(1, its start) means the updates ran away too.
LOSS_LIMIT = 1e6
MAX_UPDATES = 1000
# Seconds of a run on the lab's machine: the fixed passes, then each update of the 13-weight net.
SECONDS_BASE, SECONDS_PER_UPDATE = 0.02, 1e-4
# The gradient check's step h; a second pass at 2h estimates the check's truncation error.
CHECK_STEP = 1e-5
# The check's one bar: "agree" means a relative error |g - g_num| / (|g| + |g_num|) below
# AGREE_BELOW (float64, h = 1e-5); a wrong gradient (a forgotten factor) gives above BUG_LEVEL.
AGREE_BELOW = 1e-6
BUG_LEVEL = 1e-2
# Rounding one loss to float64 errs by about eps (r^2 / 2 + r s), r the residual |y_hat - y| at
# the nudged weight and s the size of the terms summed into y_hat; a central difference divides
# two such errors by 2h. A gradient within this many times that / h of its estimate agrees up to
# round-off (see roundoff_bound).
ROUNDOFF_FACTOR = 50
# |g(2h) - g(h)| / 3 estimates g(h)'s truncation error h^2 L''' / 6 (Richardson); a gradient
# within this many times that estimate (plus the round-off bound) agrees up to the check's error.
TRUNCATION_FACTOR = 2
VERDICTS = (gc.AGREE, gc.AGREE_WITHIN_ROUNDOFF, gc.AGREE_WITHIN_TRUNCATION, gc.KINK, gc.DISAGREE)


@dataclass(frozen=True)
class Config(Settings):
    """One example (x, y), the network's weights and the gradient-descent settings.

    The network: ``z = x W1 + b1`` (3 hidden pre-activations), ``a = f(z)`` with f sigmoid or
    ReLU, ``y_hat = a W2 + b2`` (linear output), loss ``L = (y_hat - y)^2 / 2``.
    ``weights`` holds the current 13 parameters flattened in the order W1 (row-major), b1, W2, b2;
    ``None`` draws them from ``seed`` (Xavier-normal weights times ``weight_scale``, zero biases).
    ``weights`` is the page's stepping state (the updates made so far), not a sidebar control.
    """

    x1: float = number(1.0, -5.0, 5.0, step=0.1)
    x2: float = number(-0.5, -5.0, 5.0, step=0.1)
    target: float = number(1.0, -5.0, 5.0, step=0.1)
    activation: str = choice("sigmoid", ACTIVATION_CHOICES)
    seed: int = integer(0, 0, 2**31 - 1)
    weight_scale: float = number(1.0, 0.1, 5.0, step=0.1)
    learning_rate: float = number(0.05, 1e-4, 5.0, log=True)
    n_updates: int = integer(50, 1, MAX_UPDATES)
    weights: tuple[float, ...] | None = None

    def check(self):
        if self.weights is not None:
            object.__setattr__(self, "weights", _check_weights(self.weights))
        check_budget(
            estimated_seconds(self),
            ("n_updates",),
            config=self,
            estimate=estimated_seconds,
        )


def _check_weights(weights) -> tuple[float, ...]:
    try:
        values = tuple(float(w) for w in weights)
    except (TypeError, ValueError):
        raise ValueError(
            f"'weights' must be a sequence of {N_PARAMS} numbers (W1, b1, W2, b2) or "
            f"None; got {weights!r}."
        ) from None
    if len(values) != N_PARAMS:
        raise ValueError(
            f"'weights' must hold {N_PARAMS} numbers (W1, b1, W2, b2); got {len(values)}."
        )
    if not all(math.isfinite(w) and abs(w) <= WEIGHT_LIMIT for w in values):
        raise ValueError(
            f"'weights' must be finite numbers in [-{num(WEIGHT_LIMIT)}, {num(WEIGHT_LIMIT)}]. "
            "Reset the weights."
        )
    return values


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine (well inside the budget at every setting)."""
    return SECONDS_BASE + SECONDS_PER_UPDATE * config.n_updates


# --- the lesson: one example, every intermediate quantity named -----------------------------------


@dataclass(frozen=True)
class ForwardPass:
    """Every value the forward pass computes (and the backward pass reuses).

    Attributes
    ----------
    x : ndarray of shape (2,)
    y : float, the target
    z : ndarray of shape (3,), hidden pre-activations ``z = x W1 + b1``
    a : ndarray of shape (3,), hidden activations ``a = f(z)``
    y_hat : float, the linear output ``a W2 + b2``
    loss : float, ``(y_hat - y)^2 / 2``
    """

    x: np.ndarray
    y: float
    z: np.ndarray
    a: np.ndarray
    y_hat: float
    loss: float


@dataclass(frozen=True)
class BackwardPass:
    """Every derivative the backward pass computes, from the loss back to the first layer.

    Attributes
    ----------
    dL_dyhat : float, ``y_hat - y``
    dL_dW2 : ndarray of shape (3,), ``dL/dy_hat * a_j``
    dL_db2 : float, ``dL/dy_hat``
    dL_da : ndarray of shape (3,), ``dL/dy_hat * W2_j``
    f_prime : ndarray of shape (3,), ``f'(z_j)``: ``a_j (1 - a_j)`` for sigmoid, ``[z_j > 0]`` for ReLU
    dL_dz : ndarray of shape (3,), ``dL/da_j * f'(z_j)``
    dL_dW1 : ndarray of shape (2, 3), ``outer(x, dL/dz)``
    dL_db1 : ndarray of shape (3,), ``dL/dz``
    """

    dL_dyhat: float
    dL_dW2: np.ndarray
    dL_db2: float
    dL_da: np.ndarray
    f_prime: np.ndarray
    dL_dz: np.ndarray
    dL_dW1: np.ndarray
    dL_db1: np.ndarray

    def grads(self) -> dict[str, np.ndarray]:
        """The gradients with the keys and shapes of the parameters (core.mlp's layout)."""
        return {
            "W1": self.dL_dW1,
            "b1": self.dL_db1,
            "W2": self.dL_dW2.reshape(N_HIDDEN, 1),
            "b2": np.array([self.dL_db2]),
        }


def forward(params: dict[str, np.ndarray], x, y: float, activation: str) -> ForwardPass:
    """The forward pass of the 2-3-1 network on one example, keeping every intermediate value."""
    x = np.asarray(x, dtype=np.float64)
    z = x @ params["W1"] + params["b1"]
    a = ACTIVATIONS[activation].fn(z)
    y_hat = float(a @ params["W2"][:, 0] + params["b2"][0])
    loss = 0.5 * (y_hat - y) ** 2
    return ForwardPass(x=x, y=float(y), z=z, a=a, y_hat=y_hat, loss=loss)


def backward(params: dict[str, np.ndarray], fwd: ForwardPass, activation: str) -> BackwardPass:
    """The backward pass: the chain rule from L back to W1, reusing the forward pass's values.

    Each derivative is the one after it (closer to the loss) times one local derivative:
    ``dL/dy_hat = y_hat - y``; ``dL/dW2_j = dL/dy_hat * a_j``; ``dL/da_j = dL/dy_hat * W2_j``;
    ``dL/dz_j = dL/da_j * f'(z_j)``; ``dL/dW1_ij = x_i * dL/dz_j``; a bias gets its unit's ``dL/dz``.
    """
    dL_dyhat = fwd.y_hat - fwd.y
    # "+ 0.0" turns the -0.0 of a negative factor times a dead unit's 0 into a plain 0
    dL_dW2 = dL_dyhat * fwd.a + 0.0
    dL_da = dL_dyhat * params["W2"][:, 0]
    # f'(z) from the registry; for sigmoid it equals a (1 - a), the forward value reused.
    f_prime = ACTIVATIONS[activation].grad(fwd.z)
    dL_dz = dL_da * f_prime + 0.0
    return BackwardPass(
        dL_dyhat=dL_dyhat,
        dL_dW2=dL_dW2,
        dL_db2=dL_dyhat,
        dL_da=dL_da,
        f_prime=f_prime,
        dL_dz=dL_dz,
        dL_dW1=np.outer(fwd.x, dL_dz) + 0.0,
        dL_db1=dL_dz.copy(),
    )


def exact_residual(params: dict[str, np.ndarray], x, y: float, activation: str) -> Fraction | None:
    """ŷ − y for the exact ŷ of these float64 weights and inputs (no rounding), where it is a
    rational number: always with ReLU, and with sigmoid where every unit whose output weight is
    not 0 sits at z = 0 (σ(0) = 1/2); else None (σ(z) of a rational z ≠ 0 is irrational).
    Float64's ŷ − y of 0 is the exact residual only where this is 0 (audit pass 59 h: ReLU, x =
    (0, 0), y = 0, where ŷ = 0·W2 + 0 is 0 exactly, beside "ŷ equals y to float64's precision,
    not necessarily exactly")."""
    W1, b1, W2 = params["W1"], params["b1"], params["W2"][:, 0]
    x = [Fraction(float(v)) for v in np.asarray(x, dtype=np.float64)]
    y_hat = Fraction(float(params["b2"][0]))
    for j in range(W1.shape[1]):
        w2 = Fraction(float(W2[j]))
        z = sum((xi * Fraction(float(W1[i, j])) for i, xi in enumerate(x)), Fraction(float(b1[j])))
        if activation == "relu":
            a = max(z, Fraction(0))
        elif w2 == 0:
            continue
        elif z == 0:
            a = Fraction(1, 2)
        else:
            return None
        y_hat += a * w2
    return y_hat - Fraction(float(y))


def gradient_step(
    params: dict[str, np.ndarray], grads: dict[str, np.ndarray], learning_rate: float
) -> dict[str, np.ndarray]:
    """Gradient descent, the separate step that uses the gradients: ``W <- W - lr * dL/dW``."""
    return {k: params[k] - learning_rate * grads[k] for k in params}


# --- parameters as one vector (the state the page keeps) -------------------------------------------


def initial_params(seed: int, weight_scale: float = 1.0) -> dict[str, np.ndarray]:
    """Xavier-normal weights times ``weight_scale`` and zero biases, drawn by core.mlp."""
    params = mlp.init_params((N_INPUTS, N_HIDDEN, 1), init="xavier", seed=seed)
    return {k: v * weight_scale if k[0] == "W" else v for k, v in params.items()}


def to_vector(params: dict[str, np.ndarray]) -> np.ndarray:
    """The 13 parameters flattened in the order W1 (row-major), b1, W2, b2."""
    return np.concatenate([np.ravel(params[k]) for k in PARAM_SHAPES])


def moved_from_start(weights, seed: int, weight_scale: float = 1.0) -> bool:
    """Whether ``weights`` (a :func:`to_vector`, or None for the start) differ from the seeded
    start the page's link opens: at an exact fit (x = (0, 0), y = 0, ReLU) no update moves a
    weight, and the link opens those very weights (audit pass 64 c)."""
    if weights is None:
        return False
    start = to_vector(initial_params(seed, weight_scale))
    return not np.array_equal(np.asarray(weights, dtype=np.float64), start)


def from_vector(vector) -> dict[str, np.ndarray]:
    """Inverse of :func:`to_vector`."""
    vector = np.asarray(vector, dtype=np.float64)
    out, start = {}, 0
    for key, shape in PARAM_SHAPES.items():
        size = math.prod(shape)
        out[key] = vector[start : start + size].reshape(shape).copy()
        start += size
    return out


def param_names() -> list[str]:
    """Display names in vector order: W1[i,j] joins input i to hidden unit j (1-based)."""
    names = [f"W1[{i + 1},{j + 1}]" for i in range(N_INPUTS) for j in range(N_HIDDEN)]
    names += [f"b1[{j + 1}]" for j in range(N_HIDDEN)]
    names += [f"W2[{j + 1}]" for j in range(N_HIDDEN)]
    return [*names, "b2"]


def _layers() -> list[str]:
    return ["hidden (W1, b1)"] * (N_INPUTS * N_HIDDEN + N_HIDDEN) + ["output (W2, b2)"] * (
        N_HIDDEN + 1
    )


def loss_of_vector(vector, x, y: float, activation: str) -> float:
    """L as a function of the 13 parameters (what central differences perturb)."""
    return forward(from_vector(vector), x, y, activation).loss


# --- the result the page draws ---------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What the page draws, all computed at the current weights.

    Attributes
    ----------
    params : dict of arrays, the current weights
    forward : ForwardPass
    backward : BackwardPass
    check : DataFrame, one row per parameter (see :func:`check_gradients`)
    max_rel_error : float, the largest relative error among the rows whose verdict is "agree"
        (nan if there is none)
    mlp_max_difference : float, max |backprop - core.mlp.backward| with dL/dy_hat = y_hat - y
    update_table : DataFrame (weight, before, gradient, step, after) for one update
    after_update : tuple of 13 floats, the weights after one gradient-descent update (the current
        weights if that update ran away)
    loss_after_update : float, the loss after that update (nan if it ran away)
    update_stopped_reason : str, "completed" or why that one update ran away
    trajectory : DataFrame (update, loss): the loss before update 0..k (update 0 = now)
    after_n : tuple of 13 floats, the weights after the updates the trajectory made
    n_done : int, updates made (fewer than asked if the run diverged)
    diverged : bool
    stopped_reason : str, "completed" or why the run stopped (a weight or the loss ran away)
    derivative_curve : DataFrame (z, derivative): f'(z) on a grid
    hidden_units : DataFrame (unit, z, a, derivative) at the current example
    least_rate_update_runs_away : bool, the single update at the least η the sidebar offers
        runs away too (computed only where the update at η runs away; else False)
    least_rate_diverges : bool, the N-update run at the least η runs away too (computed only for
        a diverged run; else False)
    """

    params: dict
    forward: ForwardPass
    backward: BackwardPass
    check: pd.DataFrame
    max_rel_error: float
    mlp_max_difference: float
    update_table: pd.DataFrame
    after_update: tuple[float, ...]
    loss_after_update: float
    trajectory: pd.DataFrame
    after_n: tuple[float, ...]
    n_done: int
    diverged: bool
    stopped_reason: str
    derivative_curve: pd.DataFrame
    hidden_units: pd.DataFrame
    update_stopped_reason: str = "completed"
    least_rate_update_runs_away: bool = False
    least_rate_diverges: bool = False


def least_rate() -> float:
    """The least learning rate the sidebar offers."""
    return param_of(Config, "learning_rate").least


def output_gradient(params, fwd: ForwardPass, activation: str) -> np.ndarray:
    """d y_hat / d w for the 13 parameters (vector order): the backward pass with dL/dy_hat = 1."""
    W2 = params["W2"][:, 0]
    dz = W2 * ACTIVATIONS[activation].grad(fwd.z)
    return to_vector(
        {"W1": np.outer(fwd.x, dz), "b1": dz, "W2": fwd.a.reshape(N_HIDDEN, 1), "b2": np.ones(1)}
    )


def roundoff_bound(params, fwd: ForwardPass, activation: str, h: float = CHECK_STEP) -> np.ndarray:
    """A generous bound on the float64 round-off in each parameter's central difference of L.

    Rounding y_hat errs by about eps times the size s of the terms summed into it (each
    ``|W2_j| (|a_j| + f'(z_j) (sum_i |x_i W1_ij| + |b1_j|))`` and ``|b2|``). At a nudged weight
    w +- h the residual is r = |y_hat - y| + h |d y_hat / d w|, so L = r^2 / 2 errs by about
    eps (r^2 / 2 + r s). A central difference divides the difference of two such errors by 2h:
    ``ROUNDOFF_FACTOR * eps * (r^2 / 2 + r s) / h``, shape (13,).
    """
    W1, b1, W2 = params["W1"], params["b1"], params["W2"][:, 0]
    f_prime = ACTIVATIONS[activation].grad(fwd.z)
    into_z = np.abs(fwd.x) @ np.abs(W1) + np.abs(b1)
    size = float(np.sum(np.abs(W2) * (np.abs(fwd.a) + f_prime * into_z)) + abs(params["b2"][0]))
    r = abs(fwd.y_hat - fwd.y) + h * np.abs(output_gradient(params, fwd, activation))
    eps = np.finfo(np.float64).eps
    return ROUNDOFF_FACTOR * eps * (r * r / 2 + r * size) / h


def kink_mask(z, x, activation: str, h: float = CHECK_STEP) -> np.ndarray:
    """Which parameters' +-h nudge moves a ReLU pre-activation across 0 (or starts on it).

    A nudge of W1[i, j] by h moves z_j by h |x_i|; a nudge of b1[j] moves it by h; W2 and b2 do
    not move z. Shape (13,), in the vector order of :func:`to_vector`.
    """
    kink = np.zeros(N_PARAMS, dtype=bool)
    if activation != "relu":
        return kink
    z, reach = np.abs(np.asarray(z)), h * np.abs(np.asarray(x, dtype=np.float64))
    first = N_INPUTS * N_HIDDEN
    kink[:first] = (z[None, :] < reach[:, None]).ravel()
    kink[first : first + N_HIDDEN] = z < h
    return kink


def check_gradients(params, x, y: float, activation: str) -> pd.DataFrame:
    """Each backprop gradient beside its central-difference estimate, their errors and a verdict.

    Returns
    -------
    DataFrame with one row per parameter: weight, layer, backprop, central_difference (step h),
    central_difference_2h (step 2h), abs_error, rel_error (``|g - g_num| / max(1e-8, |g| +
    |g_num|)``, core.gradcheck.rel_error), roundoff (:func:`roundoff_bound`), truncation
    (``|g_num(2h) - g_num(h)| / 3``, the estimated truncation error h^2 L''' / 6 of the step-h
    estimate), at_kink (the +-h nudge crosses a ReLU kink, see :func:`kink_mask`) and verdict
    (``core.gradcheck.verdicts`` with AGREE_BELOW and TRUNCATION_FACTOR).
    """
    x = np.asarray(x, dtype=np.float64)
    fwd = forward(params, x, y, activation)
    analytic = to_vector(backward(params, fwd, activation).grads())

    def loss(v):
        return loss_of_vector(v, x, y, activation)

    numeric = numerical_grad(loss, to_vector(params), h=CHECK_STEP)
    numeric_2h = numerical_grad(loss, to_vector(params), h=2 * CHECK_STEP)
    abs_error = np.abs(analytic - numeric)
    rel = np.array([rel_error(a, b) for a, b in zip(analytic, numeric, strict=True)])
    roundoff = roundoff_bound(params, fwd, activation)
    truncation = np.abs(numeric_2h - numeric) / 3.0
    kink = kink_mask(fwd.z, x, activation)
    verdict = gc.verdicts(
        rel,
        abs_error,
        roundoff,
        truncation,
        agree_below=AGREE_BELOW,
        truncation_factor=TRUNCATION_FACTOR,
        kink=kink,
    )
    return pd.DataFrame(
        {
            "weight": param_names(),
            "layer": _layers(),
            "backprop": analytic,
            "central_difference": numeric,
            "central_difference_2h": numeric_2h,
            "abs_error": abs_error,
            "rel_error": rel,
            "roundoff": roundoff,
            "truncation": truncation,
            "at_kink": kink,
            "verdict": verdict,
        }
    )


def mlp_gradients(params, x, y: float, activation: str) -> dict[str, np.ndarray]:
    """core.mlp.backward on the same weights, with dL/dy_hat = y_hat - y (the 1/2 loss).

    ``core.losses`` "mse" is ``(y_hat - y)^2`` without the 1/2, so its gradient is twice ours;
    feeding ``y_hat - y`` directly gives the gradients of this page's loss.
    """
    X = np.asarray(x, dtype=np.float64).reshape(1, N_INPUTS)
    logits, cache = mlp.forward(params, X, activation=activation)
    return mlp.backward(params, cache, logits - y)


def descend(params, x, y: float, activation: str, learning_rate: float, n_updates: int):
    """Repeat forward, backward, update; stop early if the loss or a weight runs away.

    An update is not made when it would put a weight past WEIGHT_LIMIT (or make one non-finite)
    or the loss past LOSS_LIMIT * max(1, the starting loss) (or make it non-finite).

    Returns
    -------
    losses : list of float, the loss before each update (index 0 = the start) and after the last
    params : dict, the last weights reached within the limits
    reason : str, "completed" or why the run stopped
    """
    fwd = forward(params, x, y, activation)
    losses = [fwd.loss]
    limit = LOSS_LIMIT * max(1.0, fwd.loss)
    reason = "completed"
    with np.errstate(all="ignore"):
        for k in range(n_updates):
            grads = backward(params, fwd, activation).grads()
            candidate = gradient_step(params, grads, learning_rate)
            fwd_next = forward(candidate, x, y, activation)
            weights = to_vector(candidate)
            if not np.all(np.isfinite(weights)) or np.max(np.abs(weights)) > WEIGHT_LIMIT:
                reason = f"update {k + 1} would move a weight past {num(int(WEIGHT_LIMIT))}"
                break
            if not math.isfinite(fwd_next.loss):
                reason = f"update {k + 1} would make the loss overflow"
                break
            if fwd_next.loss > limit:
                # digits enough that the printed loss is past the limit (1.00001e+06 is not "1e+06")
                shown = next(
                    (
                        num(fwd_next.loss, d)
                        for d in range(3, 18)
                        if float(num(fwd_next.loss, d)) > limit
                    ),
                    repr(fwd_next.loss),
                )
                reason = (
                    f"update {k + 1} would raise the loss to {shown}, past "
                    f"{num(int(LOSS_LIMIT))} × max(1, the starting loss)"
                )
                break
            params, fwd = candidate, fwd_next
            losses.append(fwd.loss)
    return losses, params, reason


def _derivative_curve(activation: str) -> pd.DataFrame:
    z = np.linspace(-8.0, 8.0, 641)
    return pd.DataFrame({"z": z, "derivative": ACTIVATIONS[activation].grad(z)})


def _as_tuple(params) -> tuple[float, ...]:
    return tuple(float(v) for v in to_vector(params))


def run(config: Config) -> Result:
    """Forward, backward, check and update at the current weights; then the next N updates."""
    params = (
        initial_params(config.seed, config.weight_scale)
        if config.weights is None
        else from_vector(config.weights)
    )
    x, y, act = np.array([config.x1, config.x2]), config.target, config.activation
    fwd = forward(params, x, y, act)
    bwd = backward(params, fwd, act)
    grads = bwd.grads()
    check = check_gradients(params, x, y, act)
    ref = mlp_gradients(params, x, y, act)
    mlp_diff = max(float(np.max(np.abs(ref[k] - grads[k]))) for k in grads)

    # One update is what the page's third button applies; it stays put if that step runs away.
    losses_1, one, one_reason = descend(params, x, y, act, config.learning_rate, 1)
    before, gradient = to_vector(params), to_vector(grads)
    update_table = pd.DataFrame(
        {
            "weight": param_names(),
            "before": before,
            "gradient": gradient,
            "step": -config.learning_rate * gradient,
            "after": before - config.learning_rate * gradient,
        }
    )
    losses_n, end, reason = descend(params, x, y, act, config.learning_rate, config.n_updates)
    n_done = len(losses_n) - 1
    # "Lower the learning rate" helps only where the least η the page offers does not run away
    # from these weights too (audit pass 52 h: weights of 2e5 reached by two presses at η = 5,
    # where η = 0.0001's first update still moves a weight past 1,000,000)
    least = least_rate()

    def least_runs_away(updates: int) -> bool:
        return descend(params, x, y, act, least, updates)[2] != "completed"

    least_update = one_reason != "completed" and least_runs_away(1)
    least_run = reason != "completed" and least_runs_away(config.n_updates)
    return Result(
        params=params,
        forward=fwd,
        backward=bwd,
        check=check,
        max_rel_error=float(check.loc[check["verdict"] == "agree", "rel_error"].max()),
        mlp_max_difference=mlp_diff,
        update_table=update_table,
        after_update=_as_tuple(one),
        loss_after_update=losses_1[-1] if one_reason == "completed" else math.nan,
        update_stopped_reason=one_reason,
        least_rate_update_runs_away=bool(least_update),
        least_rate_diverges=bool(least_run),
        trajectory=pd.DataFrame({"update": np.arange(len(losses_n)), "loss": losses_n}),
        after_n=_as_tuple(end),
        n_done=n_done,
        diverged=reason != "completed",
        stopped_reason=reason,
        derivative_curve=_derivative_curve(act),
        hidden_units=pd.DataFrame(
            {
                "unit": [f"unit {j + 1}" for j in range(N_HIDDEN)],
                "z": fwd.z,
                "a": fwd.a,
                "derivative": bwd.f_prime,
            }
        ),
    )
