"""What an optimizer race shows, each sentence emitted only when the run's numbers make it true."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from core.experiments.optimizers.experiment import (
    CAP_GRID,
    DAMPING_GRID,
    FIRST_ORDER,
    LABELS,
    LOG_FLOOR,
    LR_GRID,
    MIN_TOL,
    NEWTON_METHODS,
    OPTIMIZER_NAMES,
    RUN_OFF_FACTOR,
    at_step,
    diverges,
    eigen_directions,
    point_name,
)
from core.facts import (
    ANSWER,
    WARNING,
    Claim,
    Claims,
    Fact,
    agrees,
    alike,
    apart,
    apart_digits,
    decimals,
    ends_apart_digits,
    listing,
    minus,
    num,
    padded,
    rounded_up_half,
    significant,
    tooltip_text,
    up,
)

# The gradient norm below which a point counts as (numerically) critical.
CRITICAL = 1e-6
# "Stuck": moved less than this over its last 10 steps.
STUCK = 1e-6
# A start this close to a stable line is on it (the sliders step by 0.001; a click rounds too).
ON_LINE = 1e-12
# A shifted eigenvalue this small against the largest one makes (H + λI) nearly singular.
NEAR_SINGULAR = 1e-3
# An f − f_min within this share of max(1, |f_min|) is not ranked: it can be float round-off.
LOSS_TIE = 1e-12
# The steps at which the adaptive methods' step sizes are reported.
STEP_SAMPLES = (1, 2, 5, 10)
# Where each run ends, in words, for "it ended ..." (ENDINGS).
ENDED = {
    "minimum": "at a minimum",
    "saddle": "at a saddle point",
    "maximum": "at a maximum",
    "ran off": "off the map",
    "elsewhere": "away from every known critical point",
}
# The prediction's options for each ending (the answer is one of them).
ANSWERS = {
    "minimum": "at a minimum",
    "saddle": "at a saddle point",
    "maximum": "at a maximum",
    "ran off": "it runs away",
    "elsewhere": "somewhere else",
}
PANEL, MOMENTUM = "panel", "momentum"

CLAIMS = Claims(
    Claim(
        "diverged_first_order",
        "First-order runs diverged: their steps overshoot; a smaller learning rate keeps them on "
        "the map (for gradient descent, the largest curvature it met and its eta); noisy GD "
        "carried off by its noise instead is named as such, with its kicks' size eta sigma",
        "a first-order run became non-finite, or left 100x the window on a surface bounded below "
        "or (unbounded below) with f above its start's; "
        "'carried off by its noise' (not 'overshoot') for noisy GD when it ran off with |grad f| "
        "< sigma at its last point on the map, or with eta * lambda_max <= 2 on its path (its "
        "gradient steps grow no offset along positive curvature); for heavy-ball or Nesterov "
        "left the map even at the least eta, a smaller momentum beta named only up to the "
        "largest beta such that every beta from 0 to it (in steps of 0.01) keeps it on the map",
    ),
    Claim(
        "diverged_newton",
        "A Newton-type run diverged; its last step's length and the smallest |eigenvalue| of the "
        "shifted curvature there ('nearly singular' only when it is < 1e-3 of the largest); with "
        "eta > 1, that each step goes eta times as far as the (damped; |H| for saddle-free) "
        "model's target (a factor "
        "1 - eta per step on an undamped bowl), past it unless the cap stops the last step short "
        "of it, and a smaller eta shortens it (before the cap); at eta <= 2, that the factor "
        "grows on no bowl, so the surface along the path is none",
        "Newton or saddle-free Newton became non-finite or left 100x the window on a surface "
        "bounded below",
    ),
    Claim(
        "newton_answer",
        "Where the configured Newton ended (the prediction's answer), why (a reason that holds on "
        "this run) and where saddle-free Newton ended",
        "always; 'pure' only when eta = 1, damping 0, no cap; 'uphill towards the saddle' only "
        "when it ended at a saddle where lambda_min + damping < 0 and H + damping I at its last "
        "point is not positive definite (else H's eigenvalues there: its step descends); 'the local quadratic model is "
        "a bowl' only when H at its last point is positive definite, 'its damped model is a "
        "bowl' when only H + damping I is, with H's eigenvalues ('a cap' only when H + damping I "
        "is negative definite; 'its damped model is not a cap' when only H is), else its "
        "eigenvalues; "
        "'stopped' with no number for a non-finite step; 'converged' to a degenerate "
        "saddle only within 1e-3 of it and not moving away ('closing in' if its last step got "
        "nearer; distances printed apart); 'never moved', in place of the reason, only when "
        "it ended at a saddle, its path has length 0 and the gradient at its start is exactly 0",
    ),
    Claim(
        "gd_near_saddle",
        "Gradient descent spent N of its steps near a saddle, and left for good at step k or is "
        "still there (near one again if it left and came back, near a different saddle if it "
        "ended near another than one it was near; or, if its next step left the map, was there "
        "at its last point and then left)",
        "a point of GD's path is within r of a saddle and nearer to it than to any minimum or "
        "maximum",
    ),
    Claim(
        "gd_never_near",
        "Gradient descent never came near a saddle; its closest approach (every step at it named)",
        "no point of GD's path is within r of a saddle (and nearer it than to any other critical "
        "point)",
    ),
    Claim(
        "first_to_leave",
        "The shown optimizers that left a saddle for good first; the shown runs that by then "
        "had gone from near a saddle only by running off the map (the race table gives their "
        "run-off step in its 'left for good' column), named as such; a first to leave whose run "
        "then diverged is said not to have escaped; with several saddles, 'every saddle' (near "
        "none after), and each shown run that left one saddle for good by then but ended near "
        "another named with both",
        "at least one shown run was near a saddle and left for good; a run named as gone was "
        "near a saddle at its last point on the map and ran off at a step <= the first; 'did "
        "not escape' for each first to leave whose run diverged; a run named as moved on was "
        "near one saddle for the last time before a step <= the first and ends near another",
    ),
    Claim(
        "never_near",
        "The shown optimizers (besides GD) that never came near a saddle, with 'ran off' or "
        "'moved only L' where so",
        "at least one shown run other than GD has no point near a saddle",
    ),
    Claim(
        "still_near",
        "The shown optimizers (besides GD) near a saddle at their last step, 'stuck' where their "
        "last 10 steps add up to < 1e-6; those whose next step left the map (or came out as no "
        "number) are named as gone, not still near; 'still' only for runs near the same saddle "
        "at every step since they first came near it, 'again' for runs that left it and came "
        "back, 'a different saddle' for runs that ended near another saddle than one they were "
        "near before",
        "at least one shown run other than GD ends near a saddle",
    ),
    Claim(
        "only_noise_escaped",
        "Every method without noise is still near the saddle ('near', naming those that left its "
        "neighbourhood and came back, or ended near a different saddle; 'a saddle (not all the "
        "same one)' when they end near different saddles); only noisy GD got away ('left, and "
        "not by escaping: it diverged' when its run diverged)",
        "noise > 0, all eight noiseless runs end near a saddle and did not leave the map, noisy GD "
        "does not (all nine shown); 'got away' only when noisy GD did not diverge",
    ),
    Claim(
        "gd_slowest_near_saddle",
        "GD's smallest gradient while near a saddle (every step with it named), and its step "
        "eta * |grad f| there, printed below every larger gradient near the saddle",
        "GD has points near a saddle, and its gradient there is not the same at all of them; "
        "where one step has the smallest, eta * that |grad f| < its distance to the saddle",
    ),
    Claim(
        "gd_same_gradient_near_saddle",
        "GD's gradient had the same size at every one of its points near a saddle: it did not "
        "slow down there",
        "GD has more than one point near a saddle and |grad f| > 0 is exactly equal at all of them",
    ),
    Claim(
        "gd_not_slow_near_saddle",
        "GD's smallest gradient near a saddle, and even that step is at least as long as its "
        "distance to the saddle: it does not slow down there",
        "GD has points near a saddle, one step has the smallest gradient there, and eta * that "
        "|grad f| >= its distance to the saddle at that point",
    ),
    Claim(
        "gd_once_near_saddle",
        "GD was near a saddle at one point of its path only: its gradient and its step from "
        "there, and that one point shows no slowing down",
        "exactly one point of GD's path is near a saddle, with |grad f| > 0 there",
    ),
    Claim(
        "gd_on_stable_line",
        "GD started on the saddle's stable line and never left it; noisy GD's kicks push across "
        "(when its noise is > 0)",
        "the surface has a straight stable line, the start is on it (|n . p| <= 1e-12), every "
        "point of GD's path is on it and GD ends near the saddle",
    ),
    Claim(
        "gd_still_leaving",
        "GD is near the saddle at its last step although it started off the stable line: its "
        "offset along v grows by about |1 - eta lambda_min| per step (or slowly at a degenerate "
        "saddle; not at all from the saddle itself, where every step is zero)",
        "GD ends near a saddle and did not start on a stable line; 'never moved' only when its "
        "summed step lengths are exactly 0; 'still' only when it was near "
        "the same saddle at every step since it first came near it ('a different saddle' when it "
        "ended near another than one it was near); 'grows' only when its offset along v grew over "
        "the last step (else the quadratic model's factor is named as not holding there); the "
        "growth measured over the last step is printed beside the model's when their logs differ "
        "by more than 10%",
    ),
    Claim(
        "reached_minimum",
        "Which shown runs came within 0.001 of a minimum, and at which step first",
        "the surface has minima (first arrival, from the paths)",
    ),
    Claim(
        "lowest_loss",
        "Among the shown runs that did not diverge, the lowest and highest final loss; runs "
        "within 1e-12 x max(1, abs(f_min)) of f_min are named as at the minimum, not ranked",
        "the surface has minima and at least two shown runs did not diverge",
    ),
    Claim(
        "adaptive_steps",
        "The adaptive methods' step sizes as multiples of their eta at steps 1, 2, 5 and 10",
        "a shown adaptive method ran at least 10 steps (max over coordinates of |delta theta| / "
        "eta)",
    ),
    Claim(
        "cpu_time",
        "CPU time of the nine runs for the steps they ran",
        "always (measured when this result was computed: on this server, or, for the defaults "
        "and presets, possibly on the machine that filled the precomputed store)",
    ),
    Claim(
        "momentum_rates",
        "Spectral radius rho (long-run rate) and asymptotic steps per 10x of the best GD, the "
        "best heavy ball and the configured momentum on the quadratic with eigenvalues 1 and kappa",
        "always (theory, with this run's numbers)",
    ),
    Claim(
        "momentum_transient",
        "At Polyak's setting the error along some eigen-direction first grows before it shrinks "
        "like t rho^t",
        "the largest |e_t| / |e_0| of heavy ball from rest at Polyak's setting exceeds 1",
    ),
    Claim(
        "point_saddle",
        "Hessian panel: a saddle point (critical, eigenvalues of both signs): moving along +-v is "
        "the way down",
        "|grad f| < 1e-6, a known critical point within 1e-3, and the eigenvalues have opposite "
        "signs (none ~ 0)",
    ),
    Claim(
        "point_minimum",
        "Hessian panel: a minimum (critical, both eigenvalues > 0)",
        "|grad f| < 1e-6, a known critical point within 1e-3, and both eigenvalues > 0",
    ),
    Claim(
        "point_maximum",
        "Hessian panel: a maximum (critical, both eigenvalues < 0)",
        "|grad f| < 1e-6, a known critical point within 1e-3, and both eigenvalues < 0",
    ),
    Claim(
        "point_flat",
        "Hessian panel: a critical point where an eigenvalue is ~ 0: the second-order test says "
        "nothing",
        "|grad f| < 1e-6, a known critical point within 1e-3, and an eigenvalue within 1e-8 x "
        "max(1, max|lambda|) of 0",
    ),
    Claim(
        "point_moving",
        "Hessian panel: not a critical point; the local model's shape, and -grad f is the "
        "steepest way down",
        "|grad f| >= 1e-6, or no known critical point within 1e-3 (the surfaces list all of "
        "theirs; far out on the plateau the gradient is tiny but not zero)",
    ),
)


def _fact(key: str, text: str, **kw) -> Fact:
    """A fact whose negative numbers print the minus sign "−" of its "−∇f" and of the model
    answer, not the hyphen formatting gives ("λ = -0.4367" beside "−∇f"; audit pass 56 b)."""
    return CLAIMS.fact(key, minus(text), **kw)


def facts(config, result) -> list[Fact]:
    """Every sentence the page shows about this run, in the order it shows them.

    The Hessian panel's sentence is the one at the page's first view (gradient descent at the
    last step); the page draws :func:`point_facts` for the point the learner picks.
    """
    out = _divergence(config, result)
    out += _newton_answer(config, result)
    if result.surface.saddles:
        out += _saddles(config, result)
    if result.surface.minima:
        out += _minima(config, result)
    out += _adaptive_steps(config, result)
    out += _cpu_time(config, result)
    out += _momentum(config, result)
    out += point_facts(result, "gd", config.steps, digits=readout(config, result))
    return out


# ---- helpers shared with the tests --------------------------------------------------------------


def path_of(result, name: str):
    """One optimizer's rows of ``result.paths`` (steps 0, 1, ...).

    The runs are stored one after another in OPTIMIZER_NAMES order, each from step 0: a slice,
    far cheaper than filtering the whole frame (the page computes its facts on every rerun).
    """
    paths = result.paths
    starts = np.flatnonzero(paths["step"].to_numpy() == 0)
    i = OPTIMIZER_NAMES.index(name)
    rows = paths.iloc[starts[i] : starts[i + 1] if i + 1 < len(starts) else len(paths)]
    assert rows["optimizer"].iloc[0] == name, "runs stored out of order"
    return rows


def on_stable_line(surface, point) -> bool:
    """The point lies on the surface's straight stable line (False if it has none)."""
    if surface.stable_line is None:
        return False
    nx, ny = surface.stable_line
    return abs(nx * point[0] + ny * point[1]) <= ON_LINE


def saddle_eigenvalues(surface, saddle) -> np.ndarray:
    """The Hessian's eigenvalues at a saddle, ascending."""
    return np.linalg.eigvalsh(surface.hessian(np.asarray(saddle, dtype=float)))


def nearest_saddle(surface, point):
    return min(surface.saddles, key=lambda s: math.hypot(point[0] - s[0], point[1] - s[1]))


def degenerate(eigenvalues) -> bool:
    """Every eigenvalue is ~ 0 (the monkey saddle's centre)."""
    return bool(np.all(np.abs(eigenvalues) <= 1e-8))


def newton_step(config, surface, point, name: str) -> tuple[float, float, float]:
    """(length of the step, smallest and largest |eigenvalue| of the shifted curvature) that
    ``name`` takes from ``point``: −η(H + λI)⁺∇f, or (|H| + λI) for saddle-free Newton, before
    any cap."""
    lam, vecs = np.linalg.eigh(surface.hessian(np.asarray(point, dtype=float)))
    shifted = (np.abs(lam) if name == "saddle_free_newton" else lam) + config.damping
    g = vecs.T @ surface.grad(np.asarray(point, dtype=float))
    keep = np.abs(shifted) > 1e-12 * (np.max(np.abs(lam)) + config.damping)
    step = np.where(keep, g / np.where(keep, shifted, 1.0), 0.0)
    size = np.abs(shifted)
    return (
        float(config.learning_rate(name) * np.linalg.norm(step)),
        float(size.min()),
        float(size.max()),
    )


def step_multiples(result, config, name: str) -> list[float]:
    """max_i |θ_t,i − θ_t−1,i| / η at the steps STEP_SAMPLES."""
    xy = path_of(result, name)[["x", "y"]].to_numpy()
    eta = config.learning_rate(name)
    return [float(np.max(np.abs(xy[t] - xy[t - 1])) / eta) for t in STEP_SAMPLES]


def curve_digits(paths, y: str, floor: float | None = None) -> int:
    """The significant digits of the step charts' tooltips for column ``y`` of ``paths`` (the
    shown runs' rows): 4, more until the lowest and the highest of the runs' last values (those at
    or above ``floor``) print below and above every other, as the loss sentence ranks them. The sentences that name one of these values as smallest print it with
    these digits too, so no tooltip prints a value below it ("smallest at step 75: 19.7" beside a
    tooltip of 19.69 at another step near the saddle)."""
    last = paths[np.isfinite(paths[y])].groupby("label", observed=True)[y].last()
    return ends_apart_digits(last if floor is None else last[last >= floor], 4)


# The Hessian's eigenvalues wherever the page prints them along a run (the eigenvalue chart's
# tooltips, the Hessian panel, the divergence warning's largest curvature): 4 significant digits,
# as the map's and the step charts' values, more where the warning needs them.
EIGEN_DIGITS = 4


@dataclass(frozen=True)
class Readout:
    """The significant digits of what the page prints about the points of a race, one set per
    race, so that every place printing a quantity prints it alike and no place prints a value
    beyond what a sentence calls the smallest, the lowest or the largest:

    - ``grad``: ‖∇f‖ (the gradient chart's tooltips, the saddle sentence's smallest gradient,
      the Hessian panel; a 3-digit panel's "0.0497" sat beside "smallest ... 0.04972");
    - ``loss``: f at a run's point (the map's current points, the Hessian panel, the
      prediction's answer; at 4 digits "-0.8437" for the run lowest_loss names lowest and for
      another);
    - ``eigen``: the Hessian's eigenvalues (the eigenvalue chart, the panel, the divergence
      warning; "the largest curvature ... λ = 9.82e+03" sat beside a tooltip of 9824.5).
    """

    grad: int
    loss: int
    eigen: int


def readout(config, result) -> Readout:
    """The :class:`Readout` of this race (the shown runs' tooltips and sentences)."""
    paths = result.paths[result.paths["optimizer"].isin(config.shown)]
    curvature = _gd_curvature(config, result)
    return Readout(
        grad=max(curve_digits(paths, "grad_norm", LOG_FLOOR), slowest_digits(result)),
        loss=loss_digits(config, result),
        eigen=EIGEN_DIGITS if curvature is None else curvature[3],
    )


def gd_near_gradients(result) -> tuple[np.ndarray, np.ndarray]:
    """(steps, ‖∇f‖) of gradient descent's points near a saddle (gd_slowest_near_saddle's)."""
    path = path_of(result, "gd")
    near = path["near_saddle"].to_numpy()
    return path["step"].to_numpy()[near], path["grad_norm"].to_numpy()[near]


def slowest_digits(result) -> int:
    """The significant digits (4 or more) at which gradient descent's smallest ‖∇f‖ near a saddle
    prints below every larger one near it (:func:`core.facts.ends_apart_digits`): at 4 digits
    "smallest at step 183: ‖∇f‖ = 0.02676" (the monkey saddle's defaults) sat beside gradient
    tooltips of 0.02676 at steps 181, 182 and 184 (0.0267638, 0.0267576, 0.0267605)."""
    return ends_apart_digits(gd_near_gradients(result)[1], 4)


def grad_text(g: float, digits: int) -> str:
    """‖∇f‖ as the page prints it: the gradient chart's tooltip text (:attr:`Readout.grad`)."""
    return curve_text(g, digits)


def loss_digits(config, result) -> int:
    """The significant digits of f at a run's point (:attr:`Readout.loss`): 4, more until the
    final f of the shown runs that did not diverge print as lowest_loss ranks them: the lowest
    and the highest below and above every other, the runs it names as at the minimum (not
    ranked) counted once, by the highest of them (Rosenbrock, noisy GD "the lowest (1.173156)"
    and GD "the highest (1.173161)" sat beside the map's current points, both "f = 1.173")."""
    lowest = result.surface.lowest
    rows = result.summary.set_index("optimizer").loc[list(config.shown)]
    finite = rows[~rows["diverged"]]
    if lowest is None or len(finite) < 2:
        return 4
    tol = LOSS_TIE * max(1.0, abs(float(lowest)))
    ranked = finite.loc[finite["excess_loss"] > tol, "final_loss"].tolist()
    tied = finite.loc[finite["excess_loss"] <= tol, "final_loss"]
    return ends_apart_digits(ranked + ([float(tied.max())] if len(tied) else []), 4)


def curve_text(value: float, digits: int, bar: float | None = None) -> str:
    """A step chart's tooltip value: :func:`num` at ``digits``; with ``bar``, printed apart from
    it unless equal, for a column a sentence compares with it; never a 5 that rounding up made
    (:func:`core.facts.num`): the race table prints the same final values at 3 digits, and
    a last-step tooltip of "1.715" beside its "1.71" (Adam's f − f_min of 1.71475 on the
    Rosenbrock valley's defaults) read as two roundings of different numbers (audit pass 41)."""
    if bar is None:
        return num(value, digits)
    return apart(bar, value, digits=digits)[1]


def coordinates_text(x: float, y: float) -> tuple[str, str]:
    """A point's two coordinates as the Hessian panel ("θ = (…)"), the map's tooltip of the
    current points and the sentences print them: 4 significant digits or more, both at one count
    with zeros kept (:func:`core.facts.alike`). The tooltip's d3 ".4f" printed momentum's
    x = −1.316475 at step 3 as "-1.3165" beside the panel's "-1.316" (defaults; audit pass 42);
    the plateau preset's Newton ended at θ = (−12.7, 19.41), then (−12.70, 19.41) (audit pass
    63 c); and a coordinate that 4 digits would print whole or with a 5 that rounding up made took
    more digits alone: "(−2.9999997, 2.600)" on the plateau (10 steps, Newton η = 0.1, damping 10,
    cap 0.25), "(−1.40498, 0.5010)" on Rosenbrock (audit pass 64 e)."""
    return alike(float(x) + 0.0, float(y) + 0.0, digits=4)


def point_text(x: float, y: float) -> str:
    """ "(x, y)" with :func:`coordinates_text`."""
    return "({}, {})".format(*coordinates_text(x, y))


def distance_text(d: float, digits: int = 3, radius: float | None = None) -> str:
    """A distance to the nearest minimum as the page prints it (the race table, the distance
    chart's tooltips): printed apart from MIN_TOL unless equal, beside "within 0.001 of a minimum
    (first time): Adam at step 157" a distance of 0.0010004 at step 156 is not "0.001". Given
    ``radius`` (the race table, beside its "ends within r of" column), apart from r too: RMSprop's
    0.80044 was "0.8" beside "ends within r = 0.8 of: elsewhere" (40 steps, r = 0.8; audit pass
    42), which reads as within r."""
    if radius is None:
        return curve_text(d, digits, MIN_TOL)
    return apart(MIN_TOL, radius, d, digits=digits)[2]


def ran_off_from_saddle(row) -> float:
    """The step at which a run near a saddle at its last point on the map ran off the map (the
    race table's "left the saddle for good" cell, "2 (ran off the map)"); NaN for any other run
    (a run whose step came out as no number stopped there: it did not leave)."""
    been_near = row["steps_near_saddle"] > 0 or row["started_near"]
    if math.isnan(row["escape_step"]) and been_near and row["reason"] == "ran off":
        return float(row["steps_run"] + 1)
    return math.nan


def excess_digits(excesses, tol: float) -> int:
    """The race table's digits for f − f_min: 3 significant, more until the lowest and the highest
    beyond ±tol print below and above every other ("Gradient descent has the lowest loss (13.27)
    and Noisy GD the highest (13.31)" beside a table of 13.3 and 13.3 on Himmelblau)."""
    return ends_apart_digits([v for v in excesses if abs(v) > tol], 3)


def ranked_excess_digits(summary, tol: float) -> int:
    """The race table's digits for f − f_min (:func:`excess_digits`), also enough for the runs
    lowest_loss ranks, those that did not diverge: a diverged run's huge f − f_min took the top
    of the table's column, and on the monkey saddle (10 steps, noise 10, momentum's η 1) "AdaGrad
    the highest (11.91)" sat beside table cells of 11.9 for AdaGrad, Newton and Saddle-free
    Newton."""
    finite = summary.loc[~summary["diverged"].astype(bool), "excess_loss"]
    return max(excess_digits(summary["excess_loss"], tol), excess_digits(finite, tol))


def _names(names) -> str:
    return listing([LABELS[n] for n in names])


def _diverged_names(config, names) -> str:
    """The diverged runs' labels, each the Show filter hides marked "(not shown)": the warning
    named Momentum beside a map that draws only GD and the adaptive methods (audit pass 43 b)."""
    shown = config.shown
    return listing([LABELS[n] + ("" if n in shown else " (not shown)") for n in names])


# ---- warnings -----------------------------------------------------------------------------------


def _input_digits(value: float, shown: str, implied, start: int = 3) -> int:
    """The significant digits (``start`` or more) at which ``value`` printed makes ``implied``
    (the printed result a reader computes from it, as a Decimal) round to ``shown``:
    "λ = 1.49e+05, so 2/λ = 1.35e-05" becomes "λ = 1.4863e+05" (2/1.49e+05 is 1.34e-05)."""
    for d in range(start, 18):
        try:
            if agrees(shown, implied(Decimal(num(value, d)))):
                return d
        except ArithmeticError:
            return d
    return 17


def _input_for(value: float, shown: str, implied) -> str:
    """``value`` printed with the digits of :func:`_input_digits`."""
    return num(value, _input_digits(value, shown, implied))


def _gd_curvature(config, result):
    """For a diverged gradient descent whose path met positive curvature: (λ_max on its path,
    2/λ and η printed apart, the digits of λ: at least EIGEN_DIGITS, as the eigenvalue chart
    prints it, and more until the printed 2/λ follows); None otherwise."""
    summary = result.summary.set_index("optimizer")
    if not summary.loc["gd", "diverged"]:
        return None
    lam = float(path_of(result, "gd")["lam_max"].max())
    if not lam > 0:
        return None
    # 2/λ and η printed apart: equal-looking numbers would hide which side η is on
    limit, eta_text = apart(2 / lam, config.lr_gd)
    return lam, limit, eta_text, _input_digits(lam, limit, lambda x: 2 / x, EIGEN_DIGITS)


def noise_carried(config, result) -> bool:
    """Whether noisy GD, diverged by running off the map, was carried off by its noise: at its last
    point on the map the gradient is smaller than the noise's standard deviation σ (the plateau,
    far out, where f's gradient underflows to 0), so its last steps were mostly kicks; or its
    gradient steps alone could not overshoot, η < 2/λ_max for the largest curvature on its path
    (:func:`noisy_stable_steps`: on the quadratic saddle at η = 1, σ = 50, seed 34 the step along
    x lands on the stable line and only the kicks put it at x = −129, f above its start)."""
    row = result.summary.set_index("optimizer").loc["noisy_gd"]
    if not row["diverged"] or row["reason"] != "ran off" or config.noise <= 0:
        return False
    gradient = float(path_of(result, "noisy_gd")["grad_norm"].iloc[-1])
    return gradient < config.noise or noisy_stable_steps(config, result)


def noisy_stable_steps(config, result) -> bool:
    """Whether noisy GD's gradient steps alone are stable on every curvature its path met:
    η λ_max < 2 (none positive: nothing to overshoot), the bound gradient descent needs on a
    quadratic."""
    lam = float(path_of(result, "noisy_gd")["lam_max"].max())
    # at η λ = 2 a step flips the offset without growing it (η = 2 on the quadratic saddle: only
    # the kicks random-walk x off the map)
    return not lam > 0 or config.lr_noisy_gd * lam <= 2


def _eta(config) -> Decimal:
    """gradient descent's η as the sidebar shows it (exact on the grid)."""
    return Decimal(repr(float(config.lr_gd)))


def newton_remedies(config, name: str) -> tuple[bool, bool]:
    """(damping, cap): whether raising the damping alone to the sidebar's largest, and whether
    some step cap the sidebar offers alone (shorter than the one set), keeps the diverged Newton
    method ``name`` on the map. Rosenbrock from (−0.43, 1.68), 10 steps, η = 3, no damping:
    "enough damping (added to every eigenvalue) or a step cap bounds it", where Newton still
    leaves the map at damping 10; the plateau from (−1.77, 2.21), 1000 steps, η = 3, cap 0.5:
    "a shorter step cap", where every shorter cap still walks off (audit pass 52 b)."""
    damping = config.damping < DAMPING_GRID[-1] and not diverges(
        dataclasses.replace(config, damping=DAMPING_GRID[-1]), name
    )
    cap = any(
        not diverges(dataclasses.replace(config, max_step=c), name)
        for c in CAP_GRID
        if c > 0 and (not config.max_step or c < config.max_step)
    )
    return damping, cap


def _bounds_it(config, what: str, helps: tuple[bool, bool] = (True, True)) -> str:
    """The controls that bound a diverged Newton method's step: "enough damping (added to every
    eigenvalue) or a step cap bounds", without more damping where the damping is already the
    sidebar's largest (Himmelblau from (0.9, 0.9), damping 10, η = 1: H + λI nearly singular,
    its step 614 long, and "Enough damping … bounds the step" named a damping the sidebar cannot
    raise; audit pass 51 a), and a shorter cap where a cap is already set; each only where it
    keeps this run on the map (``helps``, from :func:`newton_remedies`; audit pass 52 b)."""
    damping_helps, cap_helps = helps
    cap = "a shorter step cap" if config.max_step else "a step cap"
    largest = num(DAMPING_GRID[-1])
    if config.damping >= DAMPING_GRID[-1]:
        damping_note = f"the damping is already the sidebar's largest, {largest}"
    else:
        damping_note = f"not even the sidebar's largest damping, {largest}, keeps it on the map"
    cap_note = (
        f"no {'shorter ' if config.max_step else ''}step cap the sidebar offers keeps it on the map"
    )
    if damping_helps and cap_helps:
        return f"enough damping (added to every eigenvalue) or {cap} bounds {what}"
    if cap_helps:
        return f"{cap} bounds {what} ({damping_note})"
    if damping_helps:
        return f"enough damping (added to every eigenvalue) bounds {what} ({cap_note})"
    return f"from this start {damping_note}, and {cap_note}"


def _stubborn(config, result, overshot: list[str], stubborn: list[str]) -> str:
    """The remedy of first-order runs that the sidebar's least η alone does not keep on the map:
    a smaller η for the others, and for heavy-ball or Nesterov a momentum β up to the largest
    that keeps it on from β = 0 (gradient descent at its η) up (:func:`momentum_keeps_on`)."""
    least = num(LR_GRID[0])
    rest = [n for n in overshot if n not in stubborn]
    names = listing([LABELS[n] for n in stubborn])
    one = len(stubborn) == 1
    blown = (
        ""
        if result.surface.bounded_below
        else ("Its f there was above where it started: it blew up rather than escaping downhill. ")
    )
    text = (
        blown
        + (
            f"A smaller learning rate in *Per-optimizer hyperparameters* keeps "
            f"{listing([LABELS[n] for n in rest])} on it; {names} "
            if rest
            else f"{names} "
        )
        + (f"{'leaves' if one else 'leave'} the map even at the sidebar's least η, {least}")
    )
    # the largest β such that every β from 0 to it (on the slider's 0.01 steps) keeps the run on
    # the map: Nesterov on Rosenbrock from (2, −1), η = 0.001, β = 0.99, 300 steps, stays on at
    # β ≤ 0.05 only, where "a smaller momentum β keeps Nesterov on it" was said (audit pass 65 g)
    tops = {n: momentum_keeps_on(config, n) for n in stubborn if n in ("momentum", "nesterov")}
    beta = [n for n, top in tops.items() if top is not None]
    if beta:
        below = round(config.momentum * 100) - 1
        groups: dict[int, list[str]] = {}
        for n in beta:
            groups.setdefault(tops[n], []).append(LABELS[n])
        parts = [
            (
                "a smaller momentum β"
                if top == below
                else ("momentum β = 0" if top == 0 else f"a momentum β of at most {num(top / 100)}")
            )
            + f" keeps {listing(names)} on it"
            for top, names in sorted(groups.items(), reverse=True)
        ]
        text += f"; {listing(parts)} (at β = 0 it is gradient descent with its η)"
    return text + "."


def momentum_keeps_on(config, name: str) -> int | None:
    """The largest β, in hundredths (the momentum slider's steps), below ``config.momentum``
    such that heavy-ball or Nesterov ``name`` stays on the map at every β from 0 to it; None
    where even β = 0 diverges (or β is already 0)."""
    top = None
    for k in range(round(config.momentum * 100)):
        if diverges(dataclasses.replace(config, momentum=k / 100), name):
            break
        top = k
    return top


def _divergence(config, result) -> list[Fact]:
    summary = result.summary.set_index("optimizer")
    diverged = [n for n in summary.index if summary.loc[n, "diverged"]]
    out = []
    first = [n for n in diverged if n in FIRST_ORDER]
    # Noisy GD can leave the map with no step overshooting: on the plateau at σ = 50 its kicks
    # η·σ·ξ (25 per coordinate) carry it where the gradient underflows to 0, a random walk off
    # the map ("The steps overshoot" was said of it; audit pass 40).
    carried = [n for n in first if n == "noisy_gd" and noise_carried(config, result)]
    overshot = [n for n in first if n not in carried]
    # the runs the sidebar's least η alone does not keep on the map (Nesterov on Rosenbrock from
    # (2, −1), β = 0.99, 300 steps, at η = 0.0001, the least, under "A smaller learning rate …
    # keeps a first-order method on it"; audit pass 52 b)
    stubborn = [
        n for n in overshot if diverges(dataclasses.replace(config, **{f"lr_{n}": LR_GRID[0]}), n)
    ]
    if first:
        text = ""
        if overshot:
            text = (
                f"**Diverged: {_diverged_names(config, overshot)}.** The steps overshoot and "
                f"the {'run' if len(overshot) == 1 else 'runs'} left the map "
                f"({'it' if len(overshot) == 1 else 'each'} stopped when a coordinate passed "
                "100× the window, or became non-finite). "
                + (
                    "A smaller learning rate in *Per-optimizer hyperparameters* keeps a "
                    "first-order method on it."
                    if result.surface.bounded_below and not stubborn
                    # unbounded below: it left with f above its start, blown up, not escaped
                    # downhill; with a stable step a run off the stable line still heads off the
                    # map, its f falling
                    else "Its f there was above where it started: it blew up rather than "
                    "escaping downhill. A smaller learning rate in *Per-optimizer "
                    "hyperparameters* stops the blow-up; a run off the stable line still heads "
                    "off the map, its f falling (an escape)."
                    if not stubborn
                    else _stubborn(config, result, overshot, stubborn)
                )
            )
        values = {"names": first, "noise_carried": carried, "stubborn": stubborn}
        if "gd" in first:
            curvature = _gd_curvature(config, result)
            if curvature is None:
                text += (
                    f" Gradient descent's path met no positive curvature, and its η = "
                    f"{num(config.lr_gd)}."
                )
            else:
                # λ with the eigenvalue chart's digits (or more, for the printed 2/λ to follow):
                # no tooltip prints a curvature above "the largest"
                lam, limit, eta_text, digits = curvature
                text += (
                    f" On a quadratic, gradient descent is stable only when η < 2/λ_max; the "
                    f"largest curvature on its path was λ = {path_eigen_text(lam, digits)}, so "
                    f"2/λ = "
                    f"{limit}, and its η = {eta_text}."
                )
            values["curvature"] = float(path_of(result, "gd")["lam_max"].max())
        if carried:
            g = float(path_of(result, "noisy_gd")["grad_norm"].iloc[-1])
            kick = config.lr_noisy_gd * config.noise
            culprit = "an overshooting step" if g < config.noise else "a step that grows its offset"
            if g < config.noise:
                why = (
                    f"the gradient at its last point on the map is smaller than σ (‖∇f‖ = {num(g)}"
                    + (" as computed: far out it underflows" if g == 0 else "")
                    + ")"
                )
            else:
                # the gradient is large there, but its steps could not overshoot: η < 2/λ_max
                # (the quadratic saddle at η = 1: the step along x lands on the stable line)
                lam = float(path_of(result, "noisy_gd")["lam_max"].max())
                if lam > 0:
                    limit, eta_text = apart(2 / lam, config.lr_noisy_gd)
                    lam_text = _input_for(lam, limit, lambda x: 2 / x)
                    side = "above" if config.lr_noisy_gd * lam < 2 else "not below"
                    why = (
                        "its gradient steps alone grow no offset along a direction of positive "
                        "curvature: along curvature λ a step multiplies the offset by 1 − ηλ, "
                        "which grows in size only once η > 2/λ, and the largest curvature on its "
                        f"path was λ = {lam_text}, so 2/λ = {limit}, {side} its η = {eta_text}"
                    )
                else:
                    why = (
                        "its gradient steps alone cannot overshoot: its path met no positive "
                        "curvature"
                    )
            rose = (
                ""
                if result.surface.bounded_below
                else " Its f there was above where it started: the kicks, not a fall downhill, "
                "set where it left."
            )
            text += (" " if text else "") + (
                f"**Diverged: {_diverged_names(config, carried)}.** Its random kicks carried it off the map (it stopped when "
                f"a coordinate passed 100× the window): each step adds η·σ·ξ, with a standard "
                f"deviation of {num(kick)} per coordinate here (η = {num(config.lr_noisy_gd)}, σ = "
                f"{num(config.noise)}), while {why}: the noise, not {culprit}, took it "
                f"there.{rose} A smaller η or σ shrinks the kicks."
            )
        out.append(_fact("diverged_first_order", text, slot=WARNING, **values))
    for name in (n for n in diverged if n in NEWTON_METHODS):
        last = path_of(result, name)[["x", "y"]].to_numpy()[-1]
        length, smallest, largest = newton_step(config, result.surface, last, name)
        shifted = "|H| + λI" if name == "saddle_free_newton" else "H + λI"
        text = (
            f"**Diverged: {_diverged_names(config, [name])}.** Its step is −η({shifted})⁻¹∇f with damping "
            # the point as the Hessian panel and the map's tooltip print it (at 3 digits
            # "(−0.44, −191.2)" sat beside the panel's θ = (−0.4396, −191.2): audit pass 63 c)
            f"λ = {num(config.damping)}. From its last recorded point, "
            f"{point_text(last[0], last[1])}, that step is "
            f"{num(length)} long"
        )
        if config.max_step:
            text += f" before the cap of {num(config.max_step)}"
        singular = smallest < NEAR_SINGULAR * largest
        # with the eigenvalue chart's and the panel's digits (at 3, "the smallest |eigenvalue| is
        # 2.06e-309" sat beside the panel's λ₂ = 2.056 × 10⁻³⁰⁹ at that point: plateau, 1000 steps)
        eigen = readout(config, result).eigen
        small_text, large_text = num(smallest, eigen), num(largest, eigen)
        if singular:
            # decided on exact values: digits added until the printed pair is under 1/1000 too
            # (3 digits could print a ratio just below 1e-3 as exactly 1/1000)
            for digits in range(eigen, 18):
                small_text, large_text = num(smallest, digits), num(largest, digits)
                if Decimal(small_text) < Decimal(str(NEAR_SINGULAR)) * Decimal(large_text):
                    break
        text += f"; there the smallest |eigenvalue| of {shifted} is {small_text}"
        if singular:
            text += (
                f" against {large_text}: on that scale the step divides by almost zero (a "
                "curvature under 1/1000 of the largest)"
            )
        summary = result.summary.set_index("optimizer")
        underflow = summary.loc[name, "reason"] == "non-finite" and math.isfinite(length)
        eta = config.learning_rate(name)
        helps = newton_remedies(config, name)
        if underflow:
            text += (
                ". Yet its next step came out as no number at all: curvature and gradient that "
                "small underflow float64, and the solve broke down. More damping (added to every "
                "eigenvalue) keeps the solve away from such tiny curvature."
            )
        elif eta > 1:
            # A step past the model's target: on a bowl the error is multiplied by 1 - eta
            # (by 1 - eta h / (h + damping) along curvature h once damping shifts the model).
            model = "the local quadratic model"
            factor = "multiplies the error by 1 − η per step, which grows once η > 2"
            if name == "saddle_free_newton" and not config.damping:
                # Where H is indefinite, |H| moves the target off H's own stationary point.
                model += " with curvature |H|"
            if config.damping:
                model += f" with curvature {shifted}"
                factor = (
                    "multiplies the error along an eigenvector of curvature h by 1 − ηh/(h + λ) "
                    "per step (1 − η without damping), which grows once ηh/(h + λ) > 2"
                )
            if eta <= 2:
                # No bowl grows the error at η ≤ 2: ηh/(h + λ) ≤ η for h > 0, λ ≥ 0 (Rosenbrock,
                # saddle-free Newton at η = 2, damping 10 was explained by an overshoot "which
                # grows once ηh/(h + λ) > 2", a condition no h meets there; audit pass 70 c).
                if config.damping:
                    factor = (
                        "multiplies the error along an eigenvector of curvature h > 0 by "
                        "1 − ηh/(h + λ) per step, which grows only once ηh/(h + λ) > 2: never at "
                        f"η = {num(eta)} with λ = {num(config.damping)}, where it shrinks along "
                        "every h > 0"
                    )
                else:
                    factor = (
                        "multiplies the error by 1 − η per step, which grows only once η > 2: at "
                        f"η = {num(eta)} it "
                        + ("shrinks in size" if eta < 2 else "flips sign and keeps its size")
                    )
                factor += (
                    ". So on a bowl this overshoot alone would not diverge: along this run's "
                    "path the surface is no such bowl (its curvature changes from point to point "
                    "or is not positive), and that, with the long step, took it off the map"
                )
            # A cap shorter than the model's own step keeps this step short of the target, and
            # a smaller eta shortens only the steps the cap does not already cut.
            capped = config.max_step and config.max_step < length / eta
            cap_text, own_text = apart(config.max_step, length / eta) if capped else ("", "")
            lands = (
                f"uncapped it would land past that point, but the cap stops this one short of it "
                f"({cap_text} against {own_text})"
                if capped
                else "it lands past that point"
            )
            shorter = "every step (before the cap)" if config.max_step else "every step"
            # The full step named as a remedy only where it keeps this run on the map: at
            # η = 2, damping 1 on the two-minima saddle Newton still leaves the map at η = 1, its
            # step divided by a curvature of 3e-06 (audit pass 69 c).
            full = dataclasses.replace(config, **{f"lr_{name}": 1.0})
            smaller = (
                f"A smaller η (1 is the full step) shortens {shorter}"
                if not diverges(full, name)
                else f"A smaller η shortens {shorter}, though from this start the full step "
                "(η = 1) still leaves the map"
            )
            text += (
                f". With η = {num(eta)} the step (before any cap) is {num(eta)}× the one to the "
                f"point {model} aims at, so {lands}; on a bowl-shaped quadratic that {factor}. "
                f"{smaller}; {_bounds_it(config, 'it', helps)}."
            )
        else:
            # Damping bounds the step only once it outweighs every negative eigenvalue (near
            # one, it lengthens it); a smaller eta scales only the step before the cap.
            bounds = _bounds_it(config, "the step", helps)
            text += f". {bounds[0].upper()}{bounds[1:]}; a smaller η only scales it" + (
                " (before the cap)." if config.max_step else "."
            )
        out.append(
            _fact(
                "diverged_newton",
                text,
                slot=WARNING,
                name=name,
                length=length,
                smallest=smallest,
                singular=singular,
                underflow=underflow,
                damping_helps=helps[0],
                cap_helps=helps[1],
            )
        )
    return out


# ---- the prediction -----------------------------------------------------------------------------


def _where(row, result, config) -> str:
    if row["ends"] == "ran off":
        step = int(row["steps_run"]) + 1
        if row["reason"] == "non-finite":
            # Its step underflowed to no number (the plateau far out): it did not leave then.
            (x0, x1), (y0, y1) = result.surface.window
            x, y = float(row["final_x"]), float(row["final_y"])
            off = not (x0 <= x <= x1 and y0 <= y <= y1)
            return (
                f"stopped at step {step}, when its step came out as no number, from "
                + point_text(x, y)
                + (", off the map" if off else "")
            )
        return f"ran off the map at step {step}"
    if row["ends"] == "elsewhere":
        text = (
            f"ended {ENDED['elsewhere']}, at {point_text(row['final_x'], row['final_y'])} after "
            f"{int(row['steps_run'])} steps"
        )
        # Off the map yet not "ran off" (pure Newton on the plateau walks out to (-10.2, 15.1)):
        # name the line the prediction's "it runs away" draws
        (x0, x1), (y0, y1) = result.surface.window
        x, y = float(row["final_x"]), float(row["final_y"])
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            bound = RUN_OFF_FACTOR * max(abs(v) for pair in result.surface.window for v in pair)
            text += (
                f", off the map (a run counts as running away only once a coordinate passes "
                f"±{num(bound)}, {num(RUN_OFF_FACTOR)}× the map's extent)"
            )
        return text
    text = f"ended {ENDED[row['ends']]}, {row['ends_at']}"
    # "At" means within r (up to 2) of it: say so when the last point is visibly away from it
    # (Rosenbrock at r = 2: "at a minimum, (1, 1)" with f = 0.28).
    end = (float(row["final_x"]), float(row["final_y"]))
    away = min(
        math.hypot(end[0] - x, end[1] - y)
        for kind, x, y in result.surface.critical_points()
        if kind == row["ends"]
    )
    if away > MIN_TOL:
        text += (
            f", to within r = {num(config.escape_radius)} (its last point is "
            f"{end_distance_text(away)} from it)"
        )
    return text


def end_distance_text(d: float, digits: int = 2) -> str:
    """A run's last distance to the critical point it ended at, for the answer: printed apart
    from MIN_TOL and never a 5 that rounding up made (:func:`core.facts.num`), so that it
    reads as the same rounding as every other printing of it (the race table's distance to the
    nearest minimum at 3 digits, the distance chart's tooltips at 4 or more); zeros kept: the
    first preset's noisy GD, 0.1044 from (0, −1), read "its last point is 0.1 from it" beside the
    race table's 0.104 (audit pass 67 f)."""
    return padded(apart(MIN_TOL, d, digits=digits)[1], digits)


def _shifted_at_end(config, result, name: str) -> np.ndarray:
    """Eigenvalues (ascending) of H + λI at the last point of ``name``'s run."""
    end = path_of(result, name)[["x", "y"]].to_numpy()[-1]
    return np.linalg.eigvalsh(result.surface.hessian(end)) + config.damping


def _newton_answer(config, result) -> list[Fact]:
    summary = result.summary.set_index("optimizer")
    row = summary.loc["newton"]
    surface = result.surface
    who = (
        "Pure Newton (η = 1, no damping, no cap)"
        if config.pure_newton
        else (
            f"Newton as set (η = {num(config.lr_newton)}, damping λ = {num(config.damping)}, "
            + (f"steps capped at {num(config.max_step)})" if config.max_step else "no cap)")
        )
    )
    text = f"{who} {_where(row, result, config)}"
    if row["ends"] not in ("ran off", "elsewhere"):
        # f as the map's current points and the Hessian panel print it
        # (the map's tooltip keeps zeros: "(f = 0.25)" sat beside its 0.2500 at ?y0=0; audit
        # pass 71 f)
        text += f" (f = {tooltip_text(float(row['final_loss']), loss_digits(config, result))})"
    text += ". "
    reason = "none"
    before = text
    if row["ends"] == "saddle":
        end = (float(row["final_x"]), float(row["final_y"]))
        lam = saddle_eigenvalues(surface, nearest_saddle(surface, end))
        shifted = float(lam[0]) + config.damping
        if degenerate(lam):
            reason = "degenerate"
            saddle = np.asarray(nearest_saddle(surface, end))
            xy = path_of(result, "newton")[["x", "y"]].to_numpy()
            dist = np.hypot(*(xy - saddle).T)
            # Within 1e-3 but drifting out (damped Newton steps like GD, away along a downhill
            # ray: start (-0.0005, 0), damping 10) has not converged.
            away = len(dist) > 1 and dist[-1] > dist[-2]
            if dist[-1] <= MIN_TOL and not away:
                text += (
                    "Newton's method solves ∇f = 0, and it converged to this degenerate saddle, "
                    "where the gradient and the whole Hessian vanish. "
                )
            elif len(dist) > 1 and dist[-1] < dist[-2]:
                text += (
                    "Newton's method solves ∇f = 0, and it is closing in on this degenerate "
                    f"saddle (now {end_distance_text(float(dist[-1]))} from it), where the "
                    "gradient and the "
                    "whole Hessian vanish. "
                )
            else:
                # never a 5 that rounding up made: the same distance is "its last point is …"
                for k in range(2, 18):
                    before, after = apart(float(dist[-2]), float(dist[-1]), digits=k)
                    if not (
                        rounded_up_half(before, float(dist[-2]))
                        or rounded_up_half(after, float(dist[-1]))
                    ):
                        break
                moved = (
                    f"its last step took it further away (from {before} to {after})"
                    if away
                    else f"its last step did not bring it nearer (it stayed {after} from it)"
                )
                text += (
                    "This saddle is degenerate (the gradient and the whole Hessian vanish "
                    f"there), and Newton is within r of it, but {moved}: it has not "
                    "converged to it. "
                )
        elif shifted < 0:
            reason = "uphill"
            # The curvature it divides by at its last point, as the Hessian panel reads that
            # point (H there) plus the damping: "within r" (up to 2) of the saddle is not always
            # where the saddle's curvature holds. On Himmelblau from (1.54, 4), 10 steps, η =
            # 0.005, damping 10, r = 2, H there has eigenvalues 3.649 and 170.2: its step is a
            # descent step that moved it away from the saddle, not one that "heads for the
            # saddle itself" (audit pass 48 c)
            here = _shifted_at_end(config, result, "newton")
            if (here > 0).all():
                last = path_of(result, "newton").iloc[-1]
                bare, _ = eigen_directions(last["hxx"], last["hxy"], last["hyy"])
                e = readout(config, result).eigen
                text += (
                    "At the saddle the curvature it would divide by along the downhill direction "
                    f"v, λ_min + λ = {num(shifted)}, is negative, so there its step would head "
                    "uphill along v, for the saddle itself. But its last point is only within r "
                    f"of the saddle: there H has eigenvalues {num(float(bare[0]), e)} and "
                    f"{num(float(bare[1]), e)}, and the curvature it divides by, H + λI, has "
                    f"eigenvalues {num(float(here[0]))} and {num(float(here[1]))}, both positive: "
                    "its step there points downhill and need not head for the saddle. "
                )
            else:
                text += (
                    "Its step points towards where the local quadratic model (its curvature "
                    "shifted by the damping) has zero gradient. Along the saddle's downhill "
                    f"direction v the curvature it divides by, λ_min + λ = {num(shifted)}, is "
                    "negative, so that point lies uphill along v: near a saddle the step heads "
                    "for the saddle itself. "
                )
        elif abs(shifted) <= 1e-12 * (float(np.max(np.abs(lam))) + config.damping):
            reason = "no_step"
            text += (
                f"Along the saddle's downhill direction v the curvature it divides by, λ_min + λ "
                f"= {num(shifted)}, is zero: Newton's pseudo-inverse takes no step along v at "
                "all, so nothing moves it away from the saddle that way. "
            )
        elif on_stable_line(surface, (config.start_x, config.start_y)):
            reason = "stable_line"
            text += (
                f"Here the curvature it divides by along v, λ_min + λ = {num(shifted)}, is not "
                "negative, so its step points downhill; but it started on the saddle's stable "
                "line, where the gradient has no component along v, so nothing pushes it off. "
            )
        else:
            reason = "lingering"
            text += (
                f"The curvature it divides by along v, λ_min + λ = {num(shifted)}, is not "
                "negative, so its step points downhill; it is still near the saddle after "
                f"{int(row['steps_run'])} steps. "
            )
        start_grad = float(path_of(result, "newton")["grad_norm"].iloc[0])
        if float(row["path_length"]) == 0.0 and start_grad == 0.0:
            # started exactly on the saddle (a centre on the sliders' grid): ∇f = 0 there, so
            # every step is zero; it neither "converged" nor had a step that "points downhill"
            text = before + (
                "It started exactly on the saddle, where ∇f = 0, so its step is zero (whatever "
                "the curvature it divides by) and it never moved. "
            )
    elif row["ends"] == "minimum":
        reason = "bowl"
        # "Within r" of a minimum (r up to 2) is not always where the model is a bowl: on the
        # monkey saddle from (-1.32, -1.32) at η = 1e-4, r = 2, H has eigenvalues -2.9 and 31.
        here = _shifted_at_end(config, result, "newton")
        # H's own eigenvalues at its last point, as the Hessian panel computes and prints them
        last = path_of(result, "newton").iloc[-1]
        bare, _ = eigen_directions(last["hxx"], last["hxy"], last["hyy"])
        if (here > 0).all() and (np.asarray(bare) > 0).all():
            text += (
                "Near a minimum the local quadratic model is a bowl, and Newton's step heads for "
                "its bottom. "
            )
        elif (here > 0).all():
            # Only the damping makes the curvature it divides by positive: H's own model is a
            # saddle there, which the Hessian panel says of the same point ("Near a minimum the
            # local quadratic model is a bowl" beside the panel's "opposite signs ... a saddle":
            # saddle between two minima from (0, 0.4), 10 steps, η = 0.1, damping 3, r = 2;
            # audit pass 47 e)
            e = readout(config, result).eigen
            text += (
                "Its last point is only within r of that minimum: there H has eigenvalues "
                f"{num(float(bare[0]), e)} and {num(float(bare[1]), e)}, so the local quadratic "
                "model is not a bowl there. The damping added to each makes the curvature it "
                "divides by, H + λI, positive: its damped model is a bowl, and the step heads "
                "for that model's bottom. "
            )
        else:
            text += (
                f"Its last point is only within r of that minimum: there the curvature it divides "
                f"by ({'H + λI' if config.damping else 'H'}) has eigenvalues "
                f"{num(float(here[0]))} and {num(float(here[1]))}, so the local quadratic model "
                "is not a bowl there and its step need not head for that minimum. "
            )
        if (here > 0).all() and surface.saddles and config.damping > 0:
            lam = [saddle_eigenvalues(surface, s)[0] for s in surface.saddles]
            if min(lam) < 0 and all(v + config.damping > 0 for v in lam):
                reason = "damped"
                damping_text, deepest = apart(config.damping, -float(min(lam)))
                text += (
                    f"The damping λ = {damping_text} outweighs every saddle's negative "
                    f"curvature (down to −{deepest}), so Newton's step points "
                    "downhill there too and no saddle attracts it. "
                )
    elif row["ends"] == "maximum":
        reason = "cap"
        here = _shifted_at_end(config, result, "newton")
        last = path_of(result, "newton").iloc[-1]
        bare, _ = eigen_directions(last["hxx"], last["hxy"], last["hyy"])
        if (here < 0).all():
            text += (
                "Newton's method solves ∇f = 0: near a maximum the local model is a cap whose "
                "critical point is its top, and the step heads for it. "
            )
        elif (np.asarray(bare) < 0).all():
            # H itself is a cap's there, which the Hessian panel says of the same point: only
            # the damping makes H + λI not negative definite ("the local quadratic model is not
            # a cap" beside the panel's "Both eigenvalues are negative: ... a cap": Himmelblau
            # from (-1.471, -1.323), 10 steps, η = 0.001, damping 10, r = 2; audit pass 47 e)
            e = readout(config, result).eigen
            text += (
                "Its last point is only within r of that maximum: there H has eigenvalues "
                f"{num(float(bare[0]), e)} and {num(float(bare[1]), e)}, so the local quadratic "
                "model is a cap, but the damping added to each makes the curvature it divides "
                f"by, H + λI, not negative definite (eigenvalues {num(float(here[0]))} and "
                f"{num(float(here[1]))}): its damped model is not a cap, and its step need not "
                "head for that maximum. "
            )
        else:
            text += (
                f"Its last point is only within r of that maximum: there the curvature it divides "
                f"by ({'H + λI' if config.damping else 'H'}) has eigenvalues "
                f"{num(float(here[0]))} and {num(float(here[1]))}, so the local quadratic model "
                "is not a cap there. "
            )
    sfn = summary.loc["saddle_free_newton"]
    text += f"Saddle-free Newton, which divides by |λ| (plus the damping) instead, {_where(sfn, result, config)}."
    return [
        _fact(
            "newton_answer",
            text,
            slot=ANSWER,
            answer=ANSWERS[row["ends"]],
            reason=reason,
            pure=config.pure_newton,
        )
    ]


# ---- saddles ------------------------------------------------------------------------------------


def _near_words(config) -> str:
    return (
        f"within r = {num(config.escape_radius)} of it, and nearer to it than to any minimum or "
        "maximum"
    )


def _saddles(config, result) -> list[Fact]:
    summary = result.summary.set_index("optimizer")
    shown = [n for n in config.shown if n in summary.index]
    gd = summary.loc["gd"]
    gd_path = path_of(result, "gd")
    near = gd_path["near_saddle"].to_numpy()
    out = []
    if near.any():
        n, total = int(gd["steps_near_saddle"]), int(gd["steps_run"])
        # "of its 1 step": a run whose second step left the map made one (Himmelblau from
        # (0.387, 3.184), GD's η = 3, r = 2: "spent 0 of its 1 steps"; audit pass 54 c)
        text = (
            f"Near a saddle ({_near_words(config)}), gradient descent spent {n} of its {total} "
            f"step{'s' * (total != 1)}"
        )
        if not math.isnan(gd["escape_step"]):
            text += f" and left for good at step {int(gd['escape_step'])}."
        elif gd["reason"] and total == 0:
            # its start was near a saddle and its first step left the map: it made no step
            # there ("spent 0 of its 0 steps" reads as if it had never been near)
            text = (
                f"Gradient descent started near a saddle ({_near_words(config)}), and then it "
                f"{_where(gd, result, config)}."
            )
        elif gd["reason"]:
            # its last point on the map was near a saddle; its next step left the map (or came
            # out as no number): it is not "still there"
            text += f"; its last point, at step {total}, was near one, and then it {_where(gd, result, config)}."
        elif came_back(result, "gd"):
            # it left the neighbourhood and came back (η = 1.5 from (-1.306, 0.193), r = 2:
            # "is still there at step 100" beside gd_still_leaving's "near a saddle again";
            # audit pass 40)
            text += f", and is near one again at its last step, {total}, after leaving on the way."
        elif moved_on(result, "gd"):
            # near another saddle than the one it was near (Himmelblau has four): not "still there"
            text += (
                f", and is near a different saddle at its last step, {total}, from one it was "
                "near before."
            )
        else:
            text += f", and is still there at step {total}."
        out.append(_fact("gd_near_saddle", text, n=n, total=total, escape=float(gd["escape_step"])))
    else:
        distances = gd_path["dist_saddle"].to_numpy()
        at = int(distances.argmin())
        closest = float(gd["closest_saddle"])
        # every step at that very distance is named: at η = 2 from the stable line of the saddle
        # between two minima GD bounces between x = ±1.8, 1.8 from the saddle at all 31 points,
        # and "its closest approach was 1.8 at step 0" named one of 31 equal steps
        lows = [int(s) for s in gd_path["step"].to_numpy()[distances == distances[at]]]
        # a closest approach just outside r must not print as r itself
        _, closest_text = apart(config.escape_radius, closest)
        # Himmelblau has four saddles: "from the saddle" does not say which (a start on the
        # minimum (3, 2) stays 1.96 from (3.39, 0.0739) at all its points; audit pass 51 a)
        saddles = result.surface.saddles
        which = "the saddle"
        if len(saddles) > 1:
            xy = gd_path[["x", "y"]].to_numpy()
            nearest = {
                int(np.argmin([math.hypot(x - sx, y - sy) for sx, sy in saddles])) for x, y in xy
            }
            if len(nearest) == 1:
                sx, sy = saddles[nearest.pop()]
                which = f"the saddle at {point_name(sx, sy)}"
            else:
                which = "the nearest saddle"
        approach = (
            f"it stayed {closest_text} from {which} at all {len(lows)} of its points"
            if len(lows) == len(distances) > 1
            else f"its closest approach was {closest_text} at {_steps_words(lows)}"
        )
        out.append(
            _fact(
                "gd_never_near",
                f"Gradient descent never came near a saddle ({_near_words(config)}); {approach}"
                + (
                    ", within r but nearer to a minimum or maximum there."
                    if closest <= config.escape_radius
                    else "."
                ),
                closest=float(gd["closest_saddle"]),
                at=at,
                steps=tuple(lows),
            )
        )
    left = summary.loc[shown].dropna(subset=["escape_step"])
    if len(left):
        first = float(left["escape_step"].min())
        names = left.index[left["escape_step"] == first].tolist()
        # "first" among the runs drawn: with Show on a group, a hidden run (all nine run) can
        # have left earlier ("First to leave ...: Gradient descent (step 59)" beside Saddle-free
        # Newton's 14, Show = adaptive; audit pass 42)
        among = "" if len(shown) == len(summary.index) else " (among those shown)"
        # with several saddles "a saddle" was true of a run that left one for good and ended
        # near another (Himmelblau from (−2.356, −1.798), r = 2: Newton left (−3.07, −0.0814)
        # for good at step 1 and ended near (0.0867, 2.88), unnamed; audit pass 59 c)
        several = len(result.surface.saddles) > 1
        what = "every saddle for good (near none after)" if several else "a saddle for good"
        text = f"First to leave {what}{among}: {_names(names)} (step {int(first)})."
        moved = []
        for n in shown if several else ():
            visits = saddle_visits(result, n)
            if n in names or visits[-1] < 0:
                continue
            left = [
                (int(np.flatnonzero(visits == k)[-1]) + 1, k)
                for k in set(visits[visits >= 0].tolist()) - {int(visits[-1])}
            ]
            if left and min(left)[0] <= first:
                step, k = min(left)
                moved.append((n, step, k, int(visits[-1])))
        saddles = result.surface.saddles

        def at(k: int) -> str:
            return point_name(*saddles[k])

        for n, step, k, end in moved:
            text += (
                f" {LABELS[n]} left the saddle {at(k)} for good at step {step}, but ended "
                f"near another, {at(end)}."
            )
        # the race table's "left the saddle for good" column also gives the step a run near a
        # saddle ran off the map ("2 (ran off the map)"): one that did so by then is named
        # (Himmelblau, Newton's η = 3, r = 2: Newton at step 2, the first to leave at step 4)
        ran_off = {n: s for n in shown if (s := ran_off_from_saddle(summary.loc[n])) <= first}
        if ran_off:
            gone = listing([f"{LABELS[n]} (step {int(s)})" for n, s in ran_off.items()])
            text += (
                f" By then, {gone} had also gone from near a saddle, but only by running off "
                "the map."
            )
        # a first to leave that then diverged did not escape: it left on its way off the map
        # ("First to leave a saddle for good: Noisy GD (step 3)" for a run that ran off the map
        # at step 5: saddle_two_minima from (-1.8, 0.001), noise 0.3, seed 37, noisy GD's η 2,
        # r = 1; audit pass 55 c)
        diverged = [n for n in names if bool(summary.loc[n, "diverged"])]
        for n in diverged:
            text += (
                f" {LABELS[n]} did not escape, though: it diverged (it "
                f"{_where(summary.loc[n], result, config)})."
            )
        out.append(
            _fact(
                "first_to_leave",
                text,
                names=names,
                step=first,
                ran_off=ran_off,
                diverged=diverged,
                moved=moved,
            )
        )
    out += _never_and_still(config, result, summary, [n for n in shown if n != "gd"])
    if near.any():
        out.append(_slowest(config, result, gd_path[near]))
    if near[-1] and not gd["reason"]:
        out += _gd_stuck(config, result, summary)
    return out


def _steps_words(steps: list[int]) -> str:
    """The steps at which a run's smallest value (exact ties all named) was reached: "step 183",
    "steps 4 and 9 (equal)", or "12 steps, first at step 3 (equal)"."""
    if len(steps) == 1:
        return f"step {steps[0]}"
    if len(steps) <= 5:
        return f"steps {listing([str(s) for s in steps])} (equal)"
    return f"{len(steps)} steps, first at step {steps[0]} (equal)"


def _slowest(config, result, rows) -> Fact:
    """Gradient descent's smallest gradient among its points near a saddle (``rows``), every
    step with that very gradient named: at η = 2 from the stable line of the saddle between two
    minima, GD bounces between x = ±1.8 with ‖∇f‖ = 1.8 at each of its 31 points, and "smallest
    at step 0 ... so its step η‖∇f‖ was only 3.6 ... slows down near one" named one of 31 equal
    steps and a slowing that never happened."""
    slow = rows.loc[rows["grad_norm"].idxmin()]
    g = float(slow["grad_norm"])
    # its points near a saddle can be near different ones (Himmelblau has four: from (-0.921,
    # -3.584) at η = 0.03, r = 2, GD comes near three in 10 steps): "the saddles", not "the
    # saddle" (audit pass 50 c)
    visits = saddle_visits(result, "gd")
    several = len({int(v) for v in visits[visits >= 0]}) > 1
    the = "the saddles" if several else "the saddle"
    lows = [int(s) for s in rows.loc[rows["grad_norm"] == g, "step"]]
    # ‖∇f‖ with the gradient chart's tooltip digits (a 3-digit "19.7" sat beside a tooltip
    # of 19.69 at another step near the saddle; :func:`slowest_digits`), and the printed step is
    # η times the printed ‖∇f‖ (not "0.0246, so 0.000739" at η = 0.03), at no fewer significant
    # digits than that ‖∇f‖ ("‖∇f‖ = 0.1528, so its step η‖∇f‖ was only 0.0153" at η = 0.1 on
    # the quadratic saddle's defaults printed the exact product 0.01528 a digit shorter than its
    # factor; audit pass 65 g)
    g_text = grad_text(g, readout(config, result).grad)
    implied = _eta(config) * Decimal(g_text)
    least = max(3, significant(g_text))
    exact = max(least, significant(format(implied.normalize(), "f")))
    step_text = next(
        (
            text
            for text in (padded(num(config.lr_gd * g, k), k) for k in range(least, 18))
            if agrees(text, implied)
        ),
        padded(num(float(implied), exact), exact),
    )
    if g == 0:
        # exactly on the saddle (a start at the monkey saddle's centre): no step
        text = (
            f"At step {lows[0]} gradient descent was exactly on the saddle: ‖∇f‖ = 0 there, so "
            "its step η‖∇f‖ was 0 and it does not move from there at all."
        )
    elif len(rows) == 1:
        # one point near the saddle is no "smallest" of its gradients there, and shows no
        # slowing down (saddle between two minima from (0.633, 0.48), r = 2, 20 steps: near only
        # at its start, it "spent 0 of its 20 steps" there, and the page said "smallest at step
        # 0 ... so plain gradient descent slows down near one"; audit pass 54 c)
        return _fact(
            "gd_once_near_saddle",
            f"Gradient descent was near {the} at one point of its path only, step {lows[0]}, "
            f"where ‖∇f‖ = {g_text} (its step from there, η‖∇f‖, was {step_text}): one point "
            "shows no slowing down.",
            step=lows[0],
            grad=g,
        )
    elif len(lows) == len(rows) > 1:
        return _fact(
            "gd_same_gradient_near_saddle",
            f"Near {the} gradient descent's gradient had the same size at all {len(lows)} "
            f"of its points there, ‖∇f‖ = {g_text}, so its step η‖∇f‖ = {step_text} never "
            f"shrank: it did not slow down near {the}.",
            steps=tuple(lows),
            grad=g,
        )
    elif len(lows) == 1 and config.lr_gd * g >= float(slow["dist_saddle"]):
        # even its shortest step near the saddle is longer than its distance to it (η = 2 from
        # y = 0.001 on the saddle between two minima, r = 2: 3.6 from 1.8 away): "so its step
        # was only 3.6 ... slows down near one" said what this run does not show
        step_value, distance = config.lr_gd * g, float(slow["dist_saddle"])
        shown_step, shown_distance = apart(step_value, distance)
        return _fact(
            "gd_not_slow_near_saddle",
            f"Near {the} gradient descent's gradient was smallest at step {lows[0]}: "
            f"‖∇f‖ = {g_text}, yet even that step, η‖∇f‖ = {shown_step}, is "
            f"{'as long as' if step_value == distance else 'longer than'} its distance to the "
            f"saddle there ({shown_distance}): at this η it does not slow down near {the} "
            f"(every step it takes near {'them' if several else 'it'} is at least that long).",
            step=lows[0],
            grad=g,
            distance=distance,
        )
    else:
        text = (
            f"Near {the} gradient descent's gradient was smallest at {_steps_words(lows)}: ‖∇f‖ = "
            f"{g_text}, so its step η‖∇f‖ was only {step_text}. The gradient vanishes at a "
            "saddle, so plain gradient descent slows down near one."
        )
    return _fact("gd_slowest_near_saddle", text, step=lows[0], steps=tuple(lows), grad=g)


def _never_and_still(config, result, summary, others) -> list[Fact]:
    out = []
    never, still, stuck, gone = [], [], [], []
    # The lengths "moved only" prints, read together in one sentence: at one precision
    # ("1.40 … 1.0497", not "1.4 … 1.0497": audit pass 67 f), and apart from r, which each is
    # below.
    short = [
        n
        for n in others
        if not path_of(result, n)["near_saddle"].any()
        and not summary.loc[n, "diverged"]
        and summary.loc[n, "ends"] != "ran off"
        and summary.loc[n, "path_length"] < config.escape_radius
    ]
    lengths = alike(
        *(float(summary.loc[n, "path_length"]) for n in short), float(config.escape_radius)
    )
    moved_text = dict(zip(short, lengths, strict=False))
    for name in others:
        path = path_of(result, name)
        row = summary.loc[name]
        if not path["near_saddle"].any():
            words = LABELS[name]
            if row["diverged"]:
                words += " (diverged)"
            elif row["ends"] == "ran off":
                words += f" (ran off at step {int(row['steps_run']) + 1})"
            elif row["path_length"] < config.escape_radius:
                words += f" (moved only {moved_text[name]} in all)"
            never.append((name, words))
        elif path["near_saddle"].iloc[-1] and row["reason"]:
            # near a saddle at its last point on the map, but its next step left the map (or
            # came out as no number): not "still near" (Himmelblau, η = 3, r = 2)
            gone.append((name, f"{LABELS[name]} ({_where(row, result, config)})"))
        elif path["near_saddle"].iloc[-1]:
            still.append(name)
            # Summed step lengths, not the net move: a run that bounces back and forth (e.g. a
            # factor −1 per step) returns to the same point without being stuck.
            last = path[["x", "y"]].to_numpy()[-11:]
            moved = float(np.hypot(*np.diff(last, axis=0).T).sum())
            if row["steps_run"] >= 10 and moved < STUCK:
                stuck.append(name)
    if never:
        out.append(
            _fact(
                "never_near",
                f"Never near a saddle: {listing([w for _, w in never])}.",
                names=[n for n, _ in never],
                moved_only=[n for n, w in never if "moved only" in w],
            )
        )
    if still or gone:
        parts = []
        # "still" only for runs near a saddle at every step since they first came near: on the
        # stable line (the first preset) momentum swings out past r along the line and back
        # (audit pass 40), as gd_still_leaving says "again" for GD
        back = [n for n in still if came_back(result, n)]
        # near another saddle than one they were near before: neither "still" nor "again"
        moved = [n for n in still if moved_on(result, n)]
        stayed = [n for n in still if n not in back and n not in moved]
        if still:
            lists = []
            if stayed:
                lists.append(f"Still near a saddle at their last step: {_names(stayed)}")
            if back:
                lists.append(
                    f"{'near' if stayed else 'Near'} a saddle again at their last step, after "
                    f"leaving its neighbourhood on the way: {_names(back)}"
                )
            if moved:
                lists.append(
                    f"{'near' if stayed or back else 'Near'} a different saddle at their last "
                    f"step from one they were near before: {_names(moved)}"
                )
            text = "; ".join(lists)
            if stuck:
                text += (
                    f"; stuck there (their last 10 steps add up to less than 1e-6): {_names(stuck)}"
                )
            parts.append(text + ".")
        if gone:
            parts.append(
                "Near a saddle at their last point on the map, and then gone: "
                f"{listing([w for _, w in gone])}."
            )
        gone_names = [n for n, _ in gone]
        out.append(
            _fact(
                "still_near",
                " ".join(parts),
                # every run whose last point on the map is near a saddle (the tests' reading)
                names=[n for n in others if n in still or n in gone_names],
                back=back,
                moved=moved if still else [],
                stuck=stuck,
                gone=gone_names,
            )
        )
    summary_near = {
        n: bool(path_of(result, n)["near_saddle"].iloc[-1]) and not summary.loc[n, "reason"]
        for n in summary.index
    }
    noiseless = [n for n in summary.index if n != "noisy_gd"]
    if (
        config.show == "all"
        and config.noise > 0
        and all(summary_near[n] for n in noiseless)
        and not summary_near["noisy_gd"]
    ):
        back = [n for n in noiseless if came_back(result, n)]
        moved = [n for n in noiseless if moved_on(result, n)]
        notes = [f"{_names(back)} after leaving its neighbourhood and coming back"] if back else []
        if moved:
            notes.append(
                f"{_names(moved)} near a different saddle from one "
                f"{'it was' if len(moved) == 1 else 'they were'} near before"
            )
        swung = f" ({'; '.join(notes)})" if notes else ""
        # on Himmelblau the eight can end near different saddles (audit pass 50 c)
        several = len(end_saddles(result, noiseless)) > 1
        where = "a saddle (not all the same one)" if several else "the saddle"
        noisy = summary.loc["noisy_gd"]
        # a diverged noisy GD did not get away: its kicks blew it off the map (the stable-line
        # preset at σ = 20: "only noisy GD got away (it ran off the map at step 43)" beside the
        # warning "Diverged: Noisy GD" and the table's "diverged: True"; audit pass 54 c)
        diverged = bool(noisy["diverged"])
        away = (
            f"only noisy GD left, and not by escaping: it diverged (it "
            f"{_where(noisy, result, config)})"
            if diverged
            else f"only noisy GD got away (it {_where(noisy, result, config)})"
        )
        out.append(
            _fact(
                "only_noise_escaped",
                f"Every method without noise is {'near' if notes else 'still near'} {where} "
                f"after {config.steps} steps{swung}; {away}.",
                back=back,
                moved=moved,
                saddles=len(end_saddles(result, noiseless)),
                diverged=diverged,
            )
        )
    return out


def saddle_visits(result, name: str) -> np.ndarray:
    """For each point of ``name``'s path, the index (into ``surface.saddles``) of the saddle it is
    near, or -1 where it is near none: a run near a saddle at two steps need not be near the same
    one (Himmelblau has four)."""
    path = path_of(result, name)
    near = path["near_saddle"].to_numpy().astype(bool)
    saddles = np.asarray(result.surface.saddles, dtype=float).reshape(-1, 2)
    if not len(saddles):
        return np.full(len(near), -1)
    xy = path[["x", "y"]].to_numpy()
    d = np.hypot(xy[:, None, 0] - saddles[None, :, 0], xy[:, None, 1] - saddles[None, :, 1])
    return np.where(near, np.argmin(np.nan_to_num(d, nan=np.inf), axis=1), -1)


def came_back(result, name: str) -> bool:
    """Whether ``name``'s run, near a saddle at its last point, left that saddle's neighbourhood
    at some step after it first came near it (so it is near it "again", not "still"). A run that
    left one saddle and ended near another did not come back (:func:`moved_on`): on Himmelblau
    momentum left (-0.128, -1.95) and ended near (3.39, 0.0739), and "after leaving its
    neighbourhood and coming back" was said of it (audit pass 50 c)."""
    visits = saddle_visits(result, name)
    if visits[-1] < 0:
        near = visits >= 0
        return bool(near.any() and not near[int(np.argmax(near)) :].all())
    on = visits == visits[-1]
    return bool(not on[int(np.argmax(on)) :].all())


def moved_on(result, name: str) -> bool:
    """Whether ``name``'s run ends near a saddle other than one it was near earlier, without
    having come back to its last saddle (:func:`came_back`): near a different saddle, not "still"
    near the one it was near, nor near it "again"."""
    visits = saddle_visits(result, name)
    if visits[-1] < 0 or came_back(result, name):
        return False
    return bool(((visits >= 0) & (visits != visits[-1])).any())


def end_saddles(result, names) -> set[int]:
    """The saddles (indices into ``surface.saddles``) the runs ``names`` are near at their last
    point (runs near none left out)."""
    return {int(v[-1]) for n in names if (v := saddle_visits(result, n))[-1] >= 0}


def _gd_stuck(config, result, summary) -> list[Fact]:
    surface = result.surface
    gd = summary.loc["gd"]
    end = (float(gd["final_x"]), float(gd["final_y"]))
    saddle = nearest_saddle(surface, end)
    lam = saddle_eigenvalues(surface, saddle)
    path = path_of(result, "gd")
    start = (config.start_x, config.start_y)
    if on_stable_line(surface, start) and all(
        on_stable_line(surface, p) for p in path[["x", "y"]].to_numpy()
    ):
        noisy = summary.loc["noisy_gd"]
        text = (
            "Gradient descent started on the saddle's stable line, where the gradient has no "
            "component across the line, so it never left it: it ended "
            f"{num(float(gd['final_dist_saddle']))} from the saddle."
        )
        if "noisy_gd" in config.shown and config.noise > 0:
            text += f" Noisy GD's random kicks push across the line: it {_where(noisy, result, config)}."
        return [_fact("gd_on_stable_line", text, distance=float(gd["final_dist_saddle"]))]
    # "Still": near a saddle at every point since it first came near (a large step can bounce
    # across the map and land near a saddle again).
    # ... and near the same saddle: a run that moved on to another one is near "a different
    # saddle", not "still near the saddle" (Himmelblau has four; audit pass 50 c)
    if came_back(result, "gd"):
        where = f"is near a saddle again at its last step, {int(gd['steps_run'])}"
    elif moved_on(result, "gd"):
        where = (
            f"is near a different saddle at its last step, {int(gd['steps_run'])}, from one it "
            "was near before"
        )
    else:
        where = f"is still near the saddle at step {int(gd['steps_run'])}"
    if float(gd["path_length"]) == 0.0:
        # started exactly on the saddle (the monkey saddle's centre, (0, 0), is on the sliders'
        # grid): ∇f = 0 there, so every step is zero; it neither creeps nor grows an offset
        text = (
            f"Gradient descent {where}: it started exactly on the saddle, where ∇f = 0, so "
            "every step η∇f is zero and it never moved."
        )
        factor = math.nan if degenerate(lam) else abs(1.0 - config.lr_gd * float(lam[0]))
        return [_fact("gd_still_leaving", text, factor=factor)]
    if degenerate(lam):
        text = (
            f"Gradient descent {where}. This "
            "saddle is degenerate: its whole Hessian vanishes, so no direction curves down, and "
            "near the centre the gradient is only quadratic in the distance: gradient descent "
            "creeps there, neither leaving nor arriving by a constant factor per step."
        )
        return [_fact("gd_still_leaving", text, factor=math.nan)]
    factor = abs(1.0 - config.lr_gd * float(lam[0]))
    # Its offset from the saddle along the downhill eigenvector, at its last two points.
    v = np.linalg.eigh(surface.hessian(np.asarray(saddle, dtype=float)))[1][:, 0]
    offsets = np.abs((path[["x", "y"]].to_numpy()[-2:] - np.asarray(saddle)) @ v)
    # 3 digits print 1 + 1e-4 as "1", which is no growth (eta 1e-4, lambda -1).
    grows = apart(factor, 1.0)[0]
    # Far from the saddle the quadratic model's rate can be off (plateau, r = 1, η = 1e-4: the
    # model says ×1.00015, the path grew ×1.0001): then the measured factor is given beside it.
    measured = float(offsets[-1] / offsets[0]) if offsets[0] > 0 else math.nan
    off_model = (
        offsets[-1] > offsets[0]
        and factor > 1
        and abs(math.log(measured) / math.log(factor) - 1) > 0.1
    )
    if off_model:
        grows, measured_text, _ = apart(factor, measured, 1.0)
    # λ with the digits that make the printed |1 − ηλ| follow from it and the sidebar's η
    lam_text = _input_for(float(lam[0]), grows, lambda x: abs(1 - _eta(config) * x))
    # a start within ON_LINE of the line counts as on it elsewhere, but a path that grows its
    # offset still leaves (start y = 1e-13 on the saddle between two minima, a notebook value)
    started = "although it did not start on a stable line"
    if on_stable_line(surface, start):
        nx, ny = surface.stable_line
        offset = abs(nx * start[0] + ny * start[1])
        started = (
            f"although it started only {num(offset)} off the stable line (not on it)"
            if offset > 0
            else "although round-off took its path off the stable line it started on"
        )
    text = f"Gradient descent {where}, {started}: "
    if offsets[-1] > offsets[0]:
        text += (
            f"along the saddle's downhill direction (λ = {lam_text}) its offset grows "
            f"by about |1 − ηλ| = {grows} per step"
        )
        if off_model:
            text += (
                " in the saddle's quadratic model; on this path, this far from the saddle, it "
                f"grew by {measured_text} over the last step (the model is only approximate here)"
            )
        text += "."
    else:
        text += (
            f"the saddle's quadratic model says its offset along the downhill direction (λ = "
            f"{lam_text}) grows by |1 − ηλ| = {grows} per step, but on this path "
            "it did not grow over the last step: the path is too far from the saddle, or its "
            "steps too large, for that model to hold there."
        )
    return [_fact("gd_still_leaving", text, factor=factor)]


# ---- minima, step sizes, time -------------------------------------------------------------------


def _minima(config, result) -> list[Fact]:
    summary = result.summary.set_index("optimizer")
    rows = summary.loc[list(config.shown)]
    reached = rows["reached_min_at"].dropna().sort_values()
    missed = rows.index[rows["reached_min_at"].isna()].tolist()
    text = f"Within {num(MIN_TOL, 6)} of a minimum (first time, among those shown): " + (
        ", ".join(f"{LABELS[n]} at step {int(v)}" for n, v in reached.items()) or "none"
    )
    text += "."
    # a run that stopped early did not run its steps: it is not "not within 300 steps" unsaid
    # (GD off the map at step 9 listed so; audit pass 58)
    stopped = [n for n in missed if rows.loc[n, "steps_run"] < config.steps]
    ran = [n for n in missed if n not in stopped]
    if ran:
        text += f" Not within {config.steps} steps: {_names(ran)}."
    if stopped:
        reasons = {rows.loc[n, "reason"] for n in stopped}
        why = {
            frozenset({"ran off"}): "ran off the map",
            frozenset({"non-finite"}): "a step came out as no number",
        }.get(frozenset(reasons), "ran off the map or a step came out as no number")
        text += f" Stopped early ({why}) before coming that close: {_names(stopped)}."
    out = [_fact("reached_minimum", text, reached=dict(reached), missed=missed, stopped=stopped)]
    finite = rows[~rows["diverged"]]
    if len(finite) >= 2:
        low, high = finite["excess_loss"].min(), finite["excess_loss"].max()
        lows = finite.index[finite["excess_loss"] == low].tolist()
        highs = finite.index[finite["excess_loss"] == high].tolist()
        # f − f_min this small is not ranked: it can be float round-off of f (−8.9e-16 and
        # 4.4e-16 on the monkey saddle, f_min = −0.84375), so those runs are named as tied.
        tol = LOSS_TIE * max(1.0, abs(float(result.surface.lowest)))
        at_min = finite.index[finite["excess_loss"] <= tol].tolist()
        start = "After their runs, among those shown that did not diverge, "
        # the table's and the loss tooltips' digits (or more): at 2 digits "the highest
        # (0.25)" sat beside table cells of 0.25000076723979 for runs below it
        paths = result.paths[result.paths["optimizer"].isin(config.shown)]
        paths = paths.assign(excess=paths["loss"] - float(result.surface.lowest))
        d = max(
            ranked_excess_digits(rows, tol),
            curve_digits(paths, "excess", LOG_FLOOR),
            apart_digits([float(low), float(high)], 2),
        )
        # as the loss chart's tooltips print them (never a 5 that rounding up made, which the
        # table's 3 digits would contradict)
        low_text, high_text = curve_text(float(low), d), curve_text(float(high), d)
        if not at_min:
            # the two compared in one sentence at one significant-digit count, zeros kept
            # (core.facts.alike): "the lowest loss (f − f_min = 0.3612) and Gradient descent the
            # highest (0.447)" read 0.4470 one digit coarser (audit pass 66 d)
            low_text, high_text = alike(float(low), float(high), digits=d)
        if at_min:
            # two runs are "both", not "all" (?show=noise&noise=0: "Gradient descent and Noisy
            # GD all end with f − f_min within ±1e-12"; audit pass 71 f)
            every = "both" if len(at_min) == 2 else "all"
            tied = (
                f"{every} end"
                if len(at_min) == len(finite)
                else ("end" if len(at_min) > 1 else "ends")
            )
            text = (
                f"{start}{_names(at_min)} {tied} with f − f_min within ±{up(tol, 2)} (at the minimum "
                "to that tolerance; gaps that small are not ranked, as they can be float round-off)"
            )
            if high > tol:
                text += f" and {_names(highs)} the highest ({high_text})"
        else:
            verb = "tie for" if len(lows) > 1 else "has"
            text = f"{start}{_names(lows)} {verb} the lowest loss (f − f_min = {low_text})"
            if high > low:
                text += f" and {_names(highs)} the highest ({high_text})"
        out.append(_fact("lowest_loss", text + ".", lowest=lows, highest=highs, at_minimum=at_min))
    return out


def multiples_text(multiples) -> tuple[str, ...]:
    """One method's step multiples as adaptive_steps lists them: :func:`core.facts.alike`, one
    count of significant digits for the four, so no step reads as less precise than its
    neighbour (defaults: Adam "0.99999999, 0.9997, 0.998, 1.003", now "0.99999999, 0.99969316,
    0.99751252, 1.0034080"; audit pass 64 e); a step of exactly 0 prints "0"."""
    return alike(*(float(m) for m in multiples))


def _adaptive_steps(config, result) -> list[Fact]:
    summary = result.summary.set_index("optimizer")
    names = [
        n
        for n in ("adam", "rmsprop", "adagrad")
        if n in config.shown and summary.loc[n, "steps_run"] >= max(STEP_SAMPLES)
    ]
    if not names:
        return []
    multiples = {n: step_multiples(result, config, n) for n in names}
    parts = [f"{LABELS[n]} {', '.join(multiples_text(multiples[n]))}" for n in names]
    return [
        _fact(
            "adaptive_steps",
            "Step sizes of the adaptive methods, as multiples of their η (the larger coordinate's "
            f"|Δθ| / η) at steps {listing([str(t) for t in STEP_SAMPLES])}: {'; '.join(parts)}.",
            multiples=multiples,
        )
    ]


def _cpu_time(config, result) -> list[Fact]:
    ran = int(result.summary["steps_run"].sum())
    planned = len(result.summary) * config.steps
    text = (
        f"The nine runs took {decimals(result.race_seconds * 1000, 0)} ms of CPU time (on the machine that computed this "
        "result) for "
        f"the {ran:,} steps they ran"
    )
    if ran < planned:
        # a run whose step came out as no number stopped there: it did not run off the map
        reasons = set(result.summary.loc[result.summary["steps_run"] < config.steps, "reason"])
        why = {
            frozenset({"ran off"}): "runs that ran off the map",
            frozenset({"non-finite"}): "runs whose step came out as no number",
        }.get(frozenset(reasons), "runs that ran off the map or whose step came out as no number")
        text += f" (of {planned:,}: {why} stopped early)"
    return [_fact("cpu_time", text + ".", steps=ran)]


# ---- the momentum map ---------------------------------------------------------------------------


def per_decade(rate: float, per: str = "per 10×") -> str:
    """Steps ``per`` 10x error reduction at rate ρ, in the long run: ln 10 / −ln ρ; where ρ ≥ 1
    no count of steps gives one ("never (ρ ≥ 1 ...) per 10×" read as no sentence; audit pass
    59 c: η = 1, β = 0.99, κ = 1000)."""
    if rate >= 1:
        return (
            "which is at least 1: it does not converge, and no number of steps reduces its "
            "error 10×"
        )
    if rate == 0:  # κ = 1, η = 1, β = 0: the step lands on the minimum exactly
        # not "1 step per 10×", which reads as a factor of 10 a step where one step leaves an
        # error of 0 (audit pass 60 g)
        return "1 step reaches the minimum exactly (the error is 0 after it)"
    if rate < 1e-12:
        return f"1 step {per}"
    return f"asymptotically {decimals(math.log(10) / -math.log(rate), 1)} steps {per}"


def path_eigen_text(value: float, digits: int) -> str:
    """An eigenvalue of the Hessian at a point of a path, as the eigenvalue chart's tooltip prints
    it (``ui.charts.value_texts``: zeros kept, a whole value exactly): the Hessian panel's λ and
    the divergence warning's largest curvature read as that tooltip ("λ = −0.25" beside the
    tooltip's −0.2500 at ?y0=0.5&t=0; "λ = 1.83e+05" beside 1.830e+05 on Himmelblau from
    (4.302, 0.228), GD η = 1; audit pass 71 f)."""
    return tooltip_text(value, digits)


def eigenvalue_text(value: float) -> str:
    """κ (or the momentum map's eigenvalue 1 or κ) as the page prints it: the map's title and
    the transient sentence alike ("κ = 1000" beside "λ = 1e+03"; audit pass 59 c)."""
    return num(value, 6)


def _steps_follow(rate: float, shown: str) -> bool:
    """Whether ``per_decade(rate)``'s count of steps is the one the printed ρ gives."""
    text = per_decade(rate)
    if not text.startswith("asymptotically"):
        return True
    shown_rate = float(shown)
    if not 0 < shown_rate < 1:
        return False
    implied = Decimal(math.log(10) / -math.log(shown_rate))
    return agrees(text.split()[1], implied)


def _about(value: float, text: str) -> str:
    """``= text`` when ``text`` reads back as ``value`` (2/10 as "0.2"), else ``≈ text``."""
    return f"= {text}" if float(text) == value else f"≈ {text}"


def _beta(beta: float) -> str:
    """Polyak's β to 2 decimals, or 2 significant digits where 2 decimals would print a positive
    β as plain GD's "0.00" (κ = 1.1 gives 0.00057; the map's tooltip does the same)."""
    if beta == 0:  # κ = 1: "β = 0", as plain GD's line and the map's marker print it
        return "0"
    return num(beta, 2) if 0 < beta < 0.005 else decimals(beta, 2)


def _momentum(config, result) -> list[Fact]:
    best = result.momentum_best
    # "best" and "never (ρ ≥ 1)" beside the rates: print them so that different rates (and a
    # rate against 1) never print alike
    # ... and with digits added until each printed count of steps is ln 10 / −ln ρ of the printed
    # ρ ("ρ = 0.949, 43.7 steps" gives 44.0 steps; ρ is 0.94868)
    rates = (best["gd_rate"], best["rate"], best["current_rate"])
    for d in range(3, 18):
        # one count of significant digits for the three (audit pass 64 e: the defaults printed
        # "ρ = 0.8182", "ρ = 0.51949" and "ρ = 0.9487", a 5-digit rate among 4-digit ones)
        gd_rho, best_rho, your_rho, _ = alike(*rates, 1.0, digits=d)
        # ... and never a 5 that rounding up made: the map's markers print the same ρ to 4
        # decimals ("ρ = 0.98205" beside a marker's 0.9820 for 0.9820458; audit pass 41)
        if all(
            _steps_follow(rate, text) and not rounded_up_half(text, rate)
            for rate, text in zip(rates, (gd_rho, best_rho, your_rho), strict=True)
        ):
            break
    # The optimal η and β (2/(κ + 1), Polyak's) rarely have a short decimal form, and ρ has a
    # kink there, so ρ of the rounded values is not the printed ρ (η = 0.182 gives 0.82, β = 0.27
    # gives √0.27 = 0.5196): print them as rounded ("≈") unless they are exact.
    lines = [
        f"- **Best plain GD** (η {_about(best['gd_lr'], num(best['gd_lr']))}, β = 0): "
        f"ρ = {gd_rho}, {per_decade(best['gd_rate'], 'per 10× error reduction')}.",
        f"- **Best momentum** (η {_about(best['lr'], num(best['lr']))}, "
        f"β {_about(best['momentum'], _beta(best['momentum']))}): "
        f"ρ = {best_rho}, {per_decade(best['rate'])}.",
        f"- **Your momentum setting** (η = {num(best['current_lr'])}, β = "
        f"{num(best['current_momentum'])}): ρ = {your_rho}, "
        f"{per_decade(best['current_rate'])}",
    ]
    frame = result.momentum_map
    inside = frame["lr_lo"].min() <= best["current_lr"] <= frame["lr_hi"].max()
    lines[-1] += "." if inside else " (η is outside the map's range: the dot sits at its edge)."
    out = [
        _fact(
            "momentum_rates",
            "\n".join(lines),
            slot=MOMENTUM,
            rates=(best["gd_rate"], best["rate"], best["current_rate"]),
            inside=inside,
        )
    ]
    if best["peak_growth"] > 1:
        lam = best["peak_eigenvalue"]
        steep = "steep" if lam == max(1.0, best["kappa"]) else "shallow"
        out.append(
            _fact(
                "momentum_transient",
                f"ρ is a long-run rate, not the factor of every step: at Polyak's setting, started "
                f"from rest as PyTorch's SGD starts, the error along the {steep} direction "
                f"(λ = {eigenvalue_text(lam)}) first grows to {apart(best['peak_growth'], 1.0)[0]}× its start (step "
                f"{best['peak_step']}) before it shrinks like t·ρᵗ (at Polyak's setting the roots "
                "for the extreme eigenvalues repeat).",
                slot=MOMENTUM,
                peak=best["peak_growth"],
                step=best["peak_step"],
                eigenvalue=lam,
            )
        )
    return out


# ---- the Hessian panel --------------------------------------------------------------------------


def point_facts(result, optimizer: str, step: int, *, digits: Readout) -> list[Fact]:
    """What the Hessian panel says about ``optimizer``'s point at ``step`` (its last point if its
    run stopped earlier), its numbers printed with the race's :func:`readout` ``digits``."""
    here = at_step(result, step).set_index("optimizer").loc[optimizer]
    lam, vecs = eigen_directions(here["hxx"], here["hxy"], here["hyy"])
    g = float(here["grad_norm"])
    shape = here["shape"]
    down = vecs[:, 0]
    # a unit vector's components to 2 decimals: "≈", since 0.99999998 prints "1.00" and 3e-12
    # "0.00" (and a negative component that rounds to 0 prints "0.00", not "-0.00")
    shown = [
        f"{c:.2f}".replace("-0.00", "0.00")  # plain-format: a direction's components, after "v ≈"
        for c in down
    ]
    v = f"v ≈ ({shown[0]}, {shown[1]}) (λ = {path_eigen_text(float(lam[0]), digits.eigen)})"
    values = {"optimizer": optimizer, "step": int(here["step"]), "grad": g}
    point = (float(here["x"]), float(here["y"]))
    known = result.surface.critical_points()
    far = not any(math.hypot(point[0] - x, point[1] - y) <= MIN_TOL for _, x, y in known)
    if g >= CRITICAL or far:
        text = {
            "saddle": "The eigenvalues have **opposite signs**: the local quadratic model is a "
            f"saddle, curving up along one eigenvector and down along {v}.",
            "minimum": "Both eigenvalues are **positive**: the local quadratic model is a bowl.",
            "maximum": "Both eigenvalues are **negative**: the local quadratic model is a cap, "
            "curving down in every direction.",
            "flat": "An eigenvalue is **≈ 0**: the local quadratic model is flat along its "
            "eigenvector.",
        }[shape]
        if g >= CRITICAL:
            text += (
                f" ‖∇f‖ = {grad_text(g, digits.grad)}, so this is **not a critical point**: the steepest way down "
                "from here is −∇f."
            )
        elif g == 0:
            # far out on the plateau e^(−r²/2s²) underflows: the true gradient is not 0
            text += (
                " ‖∇f‖ computes as 0 here only because it is below the smallest float64 number "
                "(it underflows); no critical point of this surface is near: this is "
                "**not a critical point**, only a very flat stretch, and the steepest way down "
                "from here is −∇f."
            )
        else:
            text += (
                f" ‖∇f‖ = {grad_text(g, digits.grad)} is tiny, but no critical point of this surface is near: this is "
                "**not a critical point**, only a very flat stretch, and the steepest way down "
                "from here is −∇f."
            )
        return [_fact("point_moving", text, slot=PANEL, shape=shape, **values)]
    # an exact 0 is not "≈ 0", and a gradient step from it does not move at all (audit pass 58)
    critical = "∇f = 0 exactly" if g == 0 else f"‖∇f‖ = {grad_text(g, digits.grad)} ≈ 0"
    barely = "does not move at all" if g == 0 else "barely moves"
    text = {
        "saddle": f"The eigenvalues have **opposite signs** and {critical}: this is a **saddle "
        f"point**. f curves up along one eigenvector and down along {v}: moving along ±v is the "
        f"way down, while a gradient step here {barely}.",
        "minimum": f"Both eigenvalues are **positive** and {critical}: this is a **minimum**; "
        "every direction curves up.",
        "maximum": f"Both eigenvalues are **negative** and {critical}: this is a **maximum**; "
        "every direction curves down.",
        "flat": f"An eigenvalue is **≈ 0** and {critical}: a critical point where the "
        "second-order test says nothing, and higher-order terms decide (the monkey saddle's "
        "centre is like this).",
    }[shape]
    return [_fact(f"point_{shape}", text, slot=PANEL, **values)]
