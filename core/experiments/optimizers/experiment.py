"""Nine optimizers raced on one 2-D surface: who escapes the saddle, and why pure Newton does not."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import optim, second_order
from core.config import Settings, choice, integer, number
from core.experiments.budget import check_budget
from core.facts import alike, num, read
from core.surfaces import SURFACES, Surface, classify_hessian, make_surface
from core.validation import check_number

OPTIMIZER_NAMES = (
    "gd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "newton",
    "saddle_free_newton",
    "noisy_gd",
)
LABELS = {
    "gd": "Gradient descent",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "newton": "Newton",
    "saddle_free_newton": "Saddle-free Newton",
    "noisy_gd": "Noisy GD",
}
# Where each run ends: within the escape radius of a known critical point, run off, or elsewhere.
ENDINGS = ("minimum", "saddle", "maximum", "ran off", "elsewhere")
MAX_STEPS = 2000
# The shortest Newton step cap (max_step) other than 0, which means no cap.
MIN_STEP_CAP = 1e-3
GRID_CELLS = 60  # per axis: 3,600 heatmap cells
RATE_GRID = (60, 50)  # (learning rates, momenta) of the momentum heatmap
# A run stops once a coordinate leaves this multiple of the window (far beyond the plot).
RUN_OFF_FACTOR = 100.0
# Values below round-off are floored before a log axis (a loss of exactly f_min is common).
LOG_FLOOR = 1e-16
# "Reached a minimum": the first step within this distance of one.
MIN_TOL = 1e-3
LR_FIELDS = tuple(f"lr_{name}" for name in OPTIMIZER_NAMES)
# Seconds on the lab's machine: the heatmaps and momentum map, then one step of all nine optimizers.
SECONDS_BASE, SECONDS_PER_STEP = 0.05, 1.5e-4


def log_grid(low: float, high: float, mantissas=(1, 1.5, 2, 3, 5, 7)) -> tuple[float, ...]:
    """Round, log-spaced values from ``low`` to ``high`` (1, 1.5, 2, 3, 5, 7 per decade)."""
    values = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for m in mantissas:
            # a grid value rounded to its 3 significant digits, not printed
            v = float(f"{m * 10.0**exponent:.3g}")  # plain-format: a grid value, not printed
            if low * (1 - 1e-9) <= v <= high * (1 + 1e-9):
                values.append(v)
    return tuple(values)


def nearest(grid, value: float) -> float:
    """The positive grid value closest to ``value`` on a log scale."""
    return min((g for g in grid if g > 0), key=lambda g: abs(math.log(g) - math.log(value)))


# The values the sidebar offers (any value in a field's domain stays valid for Config itself).
LR_GRID = log_grid(1e-4, 3.0)
NOISE_GRID = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
ALPHA_GRID = (0.9, 0.95, 0.99, 0.999)
DAMPING_GRID = (0.0, 0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0)
CAP_GRID = (0.0, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
# Which optimizers the page draws and its sentences compare (all nine always run).
SHOWN = {
    "all": OPTIMIZER_NAMES,
    "momentum": ("gd", "momentum", "nesterov"),
    "adaptive": ("gd", "adagrad", "rmsprop", "adam"),
    "second_order": ("gd", "newton", "saddle_free_newton"),
    "noise": ("gd", "noisy_gd"),
}
FIRST_ORDER = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "noisy_gd")
NEWTON_METHODS = ("newton", "saddle_free_newton")
ADAPTIVE = ("adagrad", "rmsprop", "adam")
# Every start the sidebar can offer lies in this square (the largest window, Himmelblau's);
# Config.check narrows it to the chosen surface's window.
START_BOUND = 5.0
_HOME = SURFACES["saddle_two_minima"]


def _lr(name: str):
    return number(_HOME.defaults[name], 1e-4, 3.0, log=True, grid=LR_GRID)


@dataclass(frozen=True)
class Config(Settings):
    """Everything one race depends on. ``Config.for_surface(name)`` gives a surface its start,
    tuned learning rates and noise.

    Each optimizer has its own learning rate ``lr_<name>``; ``momentum`` is shared by heavy-ball
    and Nesterov; ``damping`` and ``max_step`` (0 = no cap) by Newton and saddle-free Newton;
    ``noise`` is the standard deviation of the Gaussian noise noisy GD adds to each gradient.
    ``condition_number`` shapes the ill-conditioned bowl and the momentum panel's quadratic.
    ``show`` picks the optimizers the page draws and compares (all nine always run).
    """

    surface: str = choice("saddle_two_minima", tuple(SURFACES))
    condition_number: float = number(10.0, 1.0, 1000.0, log=True)
    start_x: float = number(_HOME.start[0], -START_BOUND, START_BOUND)
    start_y: float = number(_HOME.start[1], -START_BOUND, START_BOUND)
    steps: int = integer(300, 10, MAX_STEPS, step=10)
    escape_radius: float = number(0.25, 0.05, 2.0, step=0.05)
    noise: float = number(_HOME.defaults["noise"], 0.0, 50.0, grid=NOISE_GRID)
    seed: int = integer(0, 0, 2**31 - 1)
    show: str = choice("all", tuple(SHOWN))
    momentum: float = number(0.9, 0.0, 0.99, step=0.01)
    adam_beta1: float = number(0.9, 0.0, 0.99, step=0.01)
    rmsprop_alpha: float = number(0.99, 0.9, 0.999, grid=ALPHA_GRID)
    damping: float = number(0.0, 0.0, 10.0, grid=DAMPING_GRID)
    max_step: float = number(0.0, 0.0, 10.0, grid=CAP_GRID)
    lr_gd: float = _lr("gd")
    lr_momentum: float = _lr("momentum")
    lr_nesterov: float = _lr("nesterov")
    lr_adagrad: float = _lr("adagrad")
    lr_rmsprop: float = _lr("rmsprop")
    lr_adam: float = _lr("adam")
    lr_newton: float = _lr("newton")
    lr_saddle_free_newton: float = _lr("saddle_free_newton")
    lr_noisy_gd: float = _lr("noisy_gd")

    def check(self):
        surface = make_surface(self.surface, condition_number=self.condition_number)
        (x0, x1), (y0, y1) = surface.window
        hint = f"Pick a start inside the plotted window of the {surface.label} surface."
        check_number("start_x", self.start_x, x0, x1, hint=hint)
        check_number("start_y", self.start_y, y0, y1, hint=hint)
        if 0.0 < self.max_step < MIN_STEP_CAP:
            raise ValueError(
                f"'max_step' must be 0 (no cap) or between {num(MIN_STEP_CAP, 6)} and 10; got "
                f"{self.max_step!r}. A smaller cap would stop the Newton methods where they start."
            )
        check_budget(
            estimated_seconds(self),
            ("steps",),
            config=self,
            estimate=estimated_seconds,
        )

    @staticmethod
    def surface_settings(surface: str, condition_number: float = 10.0) -> dict:
        """The fields a surface sets: its start point, its noise scale and tuned learning rates
        (on the sidebar's grids, so the sidebar shows exactly these values)."""
        s = make_surface(surface, condition_number=condition_number)
        values = {"start_x": s.start[0], "start_y": s.start[1]}
        values["noise"] = nearest(NOISE_GRID, s.defaults["noise"])
        for name in OPTIMIZER_NAMES:
            values[f"lr_{name}"] = nearest(LR_GRID, s.defaults[name])
        return values

    @classmethod
    def for_surface(cls, surface: str, **overrides) -> Config:
        """A Config with the surface's start point, tuned learning rates and noise scale."""
        kappa = overrides.get("condition_number", cls.condition_number)
        tuned = cls.surface_settings(surface, kappa)
        return cls(**{"surface": surface, **tuned, **overrides})

    def learning_rate(self, optimizer: str) -> float:
        return getattr(self, f"lr_{optimizer}")

    @property
    def shown(self) -> tuple[str, ...]:
        """The optimizers the page draws and compares."""
        return SHOWN[self.show]

    @property
    def pure_newton(self) -> bool:
        """Newton's full step −H⁻¹∇f: η = 1, no damping, no cap."""
        return self.lr_newton == 1.0 and self.damping == 0.0 and self.max_step == 0.0


@dataclass(frozen=True)
class Result:
    """What the page draws. Frames are tidy (one row per observation).

    Attributes
    ----------
    paths : DataFrame
        optimizer, label, step, x, y, loss, gx, gy, grad_norm, hxx, hxy, hyy, lam_min, lam_max,
        shape (what the Hessian says: minimum, maximum, saddle, flat), dist_min (to the nearest
        minimum; NaN without minima), dist_saddle, near_saddle (within ``escape_radius`` of a
        saddle and nearer to it than to any minimum or maximum). Step 0 is the start; a run that
        ran off or diverged stops early.
    summary : DataFrame, one row per optimizer
        optimizer, label, steps_run, final_x, final_y, final_loss, excess_loss, dist_min,
        reached_min_at (first step within MIN_TOL of a minimum, NaN if never), steps_near_saddle
        (updates that landed near a saddle, in the sense of ``near_saddle``; the start is not
        counted), started_near (the start is near a saddle), escape_step (the first step after
        the last one near a saddle: it left for good there; NaN if it never was near or is near
        at its last step), final_dist_saddle, closest_saddle (the smallest distance to a saddle
        along the path), path_length (the summed length of its steps), moved_last (the distance
        between its last point and the point 10 steps before), ends (one of ENDINGS: the nearest
        critical point within ``escape_radius`` of its last point, "ran off" or "elsewhere"),
        ends_at (that point, or ""), diverged, reason.
    grid : DataFrame
        x, y (cell centres), loss, log_excess = log10(loss - lowest on grid + floor).
    critical : DataFrame
        kind, x, y, loss for the surface's known minima, saddles and maxima inside the window.
    momentum_map : DataFrame
        lr, lr_lo, lr_hi, momentum, m_lo, m_hi, rate: heavy-ball convergence rate (the spectral
        radius of the iteration for the worst eigenvalue: the long-run factor per step, < 1
        converges) on a quadratic with Hessian eigenvalues 1 and kappa.
    momentum_best : dict
        kappa, lr, momentum, rate (Polyak's optimum), gd_lr, gd_rate (best plain GD),
        current_lr, current_momentum, current_rate (this config's momentum optimizer),
        peak_growth, peak_step, peak_eigenvalue (the largest |error| / |start error| of any
        eigen-direction under Polyak's setting, started from rest as PyTorch's SGD starts, the
        step it happens at and that direction's eigenvalue).
    surface_name : str
    condition_number : float
    race_seconds : float
        CPU seconds of the nine runs (not part of any frame, so frames stay deterministic).
    """

    paths: pd.DataFrame
    summary: pd.DataFrame
    grid: pd.DataFrame
    critical: pd.DataFrame
    momentum_map: pd.DataFrame
    momentum_best: dict
    surface_name: str
    condition_number: float
    race_seconds: float

    @property
    def surface(self) -> Surface:
        """The raced surface (rebuilt on access: its formulas are closures that don't pickle)."""
        return make_surface(self.surface_name, condition_number=self.condition_number)

    @property
    def diverged(self) -> list[str]:
        """Names of the optimizers whose run diverged."""
        return self.summary.loc[self.summary["diverged"], "optimizer"].tolist()


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: the race is ``steps`` x nine 2-D updates."""
    return SECONDS_BASE + SECONDS_PER_STEP * config.steps


def build_optimizers(config: Config, surface: Surface) -> dict[str, optim.Optimizer]:
    """The nine optimizers; first-order ones are ``core.optim``'s PyTorch-equivalent factories."""

    def hessian(params):
        return surface.hessian(params["theta"])

    lr = config.learning_rate
    beta = config.momentum
    cap = config.max_step or None
    return {
        "gd": optim.sgd(lr("gd")),
        "momentum": optim.sgd(lr("momentum"), momentum=beta),
        # Nesterov needs momentum > 0; with 0 it is plain GD.
        "nesterov": optim.sgd(lr("nesterov"), momentum=beta, nesterov=beta > 0),
        "adagrad": optim.adagrad(lr("adagrad")),
        "rmsprop": optim.rmsprop(lr("rmsprop"), alpha=config.rmsprop_alpha),
        "adam": optim.adam(lr("adam"), betas=(config.adam_beta1, 0.999)),
        "newton": second_order.newton(hessian, lr("newton"), damping=config.damping, max_step=cap),
        "saddle_free_newton": second_order.saddle_free_newton(
            hessian, lr("saddle_free_newton"), damping=config.damping, max_step=cap
        ),
        "noisy_gd": second_order.noisy_gd(lr("noisy_gd"), noise=config.noise, seed=config.seed),
    }


def race_one(
    optimizer: optim.Optimizer, surface: Surface, start, steps: int, bound: float
) -> tuple[np.ndarray, str]:
    """Run ``steps`` updates from ``start``; return the visited points (k + 1, 2) and why it stopped.

    The reason is "" (all steps done), "non-finite" or "ran off" (a coordinate left [-bound, bound]).
    """
    params = {"theta": np.array(start, dtype=float)}
    state = optimizer.init(params)
    x, y = params["theta"].tolist()
    points = [(x, y)]
    grad_xy, update = surface.grad_xy, optimizer.update
    reason = ""
    for _ in range(steps):
        # Plain floats in the loop: the surface formulas and the bound check are ~3x faster.
        updates, state = update({"theta": np.array(grad_xy(x, y), dtype=float)}, state, params)
        # optim.apply_updates for our single array, inlined (it is a quarter of a GD step's time)
        params = {"theta": params["theta"] + updates["theta"]}
        x, y = params["theta"].tolist()
        if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
            reason = "ran off" if math.isfinite(x) and math.isfinite(y) else "non-finite"
            break
        points.append((x, y))
    return np.array(points), reason


def heavy_ball_rate(lr, momentum, eigenvalues) -> np.ndarray:
    """Worst-case error factor per step of heavy-ball momentum on a quadratic, over its eigenvalues.

    Along an eigenvector with eigenvalue λ the error obeys
    ``e_{t+1} = (1 + β - ηλ) e_t - β e_{t-1}``; the rate is the largest root modulus of
    ``z² - (1 + β - ηλ) z + β = 0``, and the run converges iff it is < 1. PyTorch's
    ``SGD(momentum=β)`` follows the same recursion. Broadcasts over ``lr`` and ``momentum``.
    """
    lr, beta = np.broadcast_arrays(np.asarray(lr, dtype=float), np.asarray(momentum, dtype=float))
    worst = np.zeros(lr.shape)
    for lam in np.atleast_1d(eigenvalues):
        b = 1.0 + beta - lr * lam
        disc = b * b - 4.0 * beta
        root = np.sqrt(np.maximum(disc, 0.0))
        rate = np.where(disc < 0, np.sqrt(beta), 0.5 * (np.abs(b) + root))
        worst = np.maximum(worst, rate)
    return worst


def momentum_optimum(kappa: float) -> dict:
    """Polyak's optimal heavy ball and the best plain GD for eigenvalues in [1, kappa].

    ``η* = 4 / (√κ + 1)²``, ``β* = ((√κ - 1) / (√κ + 1))²``, rate ``(√κ - 1) / (√κ + 1)``;
    plain GD at best ``η = 2 / (κ + 1)`` reaches only ``(κ - 1) / (κ + 1)``.
    """
    root = math.sqrt(kappa)
    return {
        "kappa": kappa,
        "lr": 4.0 / (root + 1.0) ** 2,
        "momentum": ((root - 1.0) / (root + 1.0)) ** 2,
        "rate": (root - 1.0) / (root + 1.0),
        "gd_lr": 2.0 / (kappa + 1.0),
        "gd_rate": (kappa - 1.0) / (kappa + 1.0),
    }


def _momentum_map(config: Config) -> tuple[pd.DataFrame, dict]:
    kappa = config.condition_number
    n_lr, n_beta = RATE_GRID
    # Step sizes relative to the largest curvature kappa: the stable range ends at 2(1 + β)/κ.
    lr_edges = np.geomspace(0.01 / kappa, 4.4 / kappa, n_lr + 1)
    beta_edges = np.linspace(0.0, 0.99, n_beta + 1)
    lr_mid = np.sqrt(lr_edges[:-1] * lr_edges[1:])
    beta_mid = 0.5 * (beta_edges[:-1] + beta_edges[1:])
    L, B = np.meshgrid(lr_mid, beta_mid, indexing="ij")
    rate = heavy_ball_rate(L, B, (1.0, kappa))
    i, j = np.meshgrid(np.arange(n_lr), np.arange(n_beta), indexing="ij")
    frame = pd.DataFrame(
        {
            "lr": L.ravel(),
            "lr_lo": lr_edges[i.ravel()],
            "lr_hi": lr_edges[i.ravel() + 1],
            "momentum": B.ravel(),
            "m_lo": beta_edges[j.ravel()],
            "m_hi": beta_edges[j.ravel() + 1],
            "rate": rate.ravel(),
        }
    )
    best = momentum_optimum(kappa)
    best["current_lr"] = config.lr_momentum
    best["current_momentum"] = config.momentum
    best["current_rate"] = float(heavy_ball_rate(config.lr_momentum, config.momentum, (1, kappa)))
    peak = transient_peak(best["lr"], best["momentum"], (1.0, kappa))
    best["peak_growth"], best["peak_step"], best["peak_eigenvalue"] = peak
    return frame, best


def transient_peak(
    lr: float, momentum: float, eigenvalues, steps: int = 2000
) -> tuple[float, int, float]:
    """The largest |e_t| / |e_0| of heavy ball along any eigen-direction, its step t and that
    direction's eigenvalue.

    PyTorch's ``SGD(momentum=β)`` starts from rest: b_0 = g_0, then b_t = β b_{t-1} + g_t and
    θ_{t+1} = θ_t − η b_t, so along eigenvalue λ the error goes e_1 = (1 − ηλ) e_0, then
    e_{t+1} = (1 + β − ηλ) e_t − β e_{t−1}. The spectral radius ρ says how fast |e_t| falls in
    the long run; before that, a step can shrink the error less than ρ, or grow it.
    """
    peak, at, where = 1.0, 0, float(eigenvalues[0])
    for lam in eigenvalues:
        prev, cur = 1.0, 1.0 - lr * lam
        for t in range(1, steps + 1):
            if abs(cur) > peak:
                peak, at, where = abs(cur), t, float(lam)
            prev, cur = cur, (1.0 + momentum - lr * lam) * cur - momentum * prev
    return float(peak), int(at), where


def _grid(surface: Surface) -> pd.DataFrame:
    (x0, x1), (y0, y1) = surface.window
    n = GRID_CELLS
    xs = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n
    ys = y0 + (np.arange(n) + 0.5) * (y1 - y0) / n
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    loss = surface.values(X, Y).ravel()
    span = float(loss.max() - loss.min()) or 1.0
    excess = loss - loss.min() + 1e-4 * span
    return pd.DataFrame(
        {"x": X.ravel(), "y": Y.ravel(), "loss": loss, "log_excess": np.log10(excess)}
    )


def _nearest(points: np.ndarray, targets) -> np.ndarray:
    """Distance from each of ``points`` (k, 2) to the nearest of ``targets``; NaN if none."""
    if not len(targets):
        return np.full(len(points), np.nan)
    t = np.asarray(targets, dtype=float)
    return np.min(np.linalg.norm(points[:, None, :] - t[None, :, :], axis=2), axis=1)


def _escape(near: np.ndarray) -> tuple[int, float]:
    """Updates that landed near a saddle (the start not counted), and the first step after the
    last point near one (NaN if none was near, or the last point is)."""
    if not near.any():
        return 0, math.nan
    last = int(np.flatnonzero(near)[-1])
    return int(near[1:].sum()), (math.nan if last == len(near) - 1 else float(last + 1))


def _first(mask: np.ndarray) -> float:
    """The first index where ``mask`` holds, as a float (NaN if never)."""
    hits = np.flatnonzero(mask)
    return float(hits[0]) if len(hits) else math.nan


def point_name(x: float, y: float) -> str:
    """A critical point as the page names it, "(x, y)": a coordinate that 3 significant digits
    print exactly as it is ("(1, 1)", "(−1.5, 0)", "0.75"), the others together at one count of
    significant digits with zeros kept (:func:`core.facts.alike`), so neither coordinate reads as
    less precise than the other: Himmelblau's minimum (3.5844, −1.8481) was "(3.58, −1.848)" in
    the race table and the prediction's answer (audit pass 64 e), the monkey saddle's
    (0.75, 1.2990) "(0.75, 1.3)", which reads as exact."""
    values = [float(x) + 0.0, float(y) + 0.0]
    texts = [num(v, 3) for v in values]
    rough = [
        i for i, (v, t) in enumerate(zip(values, texts, strict=True)) if read(t) != read(repr(v))
    ]
    for i, text in zip(rough, alike(*(values[i] for i in rough)), strict=True):
        texts[i] = text
    return f"({texts[0]}, {texts[1]})"


def _ending(surface: Surface, point: np.ndarray, reason: str, radius: float) -> tuple[str, str]:
    if reason:
        return "ran off", ""
    best = ("elsewhere", "", math.inf)
    for kind, x, y in surface.critical_points():
        d = math.hypot(point[0] - x, point[1] - y)
        if d <= radius and d < best[2]:
            best = (kind, point_name(x, y), d)
    return best[0], best[1]


def rose_off(loss: np.ndarray) -> bool:
    """Whether a run's loss at its last point on the map is above its start's: on a surface
    unbounded below, one that left the map so blew up, it did not escape downhill."""
    return bool(loss[-1] > loss[0])


def _diverged(reason: str, loss: np.ndarray, surface: Surface) -> bool:
    """A run's verdict (see :func:`_describe`): it blew up, or left the map on a surface bounded
    below, or (unbounded below) left it with f above its start."""
    return reason == "non-finite" or (
        reason == "ran off" and (surface.bounded_below or rose_off(loss))
    )


def diverges(config: Config, name: str) -> bool:
    """Whether ``name``'s run under ``config`` diverges (its race alone, by the rule of
    :func:`run`): what a warning checks before it names a change of the sidebar as a remedy."""
    surface = make_surface(config.surface, condition_number=config.condition_number)
    optimizer = build_optimizers(config, surface)[name]
    bound = RUN_OFF_FACTOR * max(abs(v) for pair in surface.window for v in pair)
    traj, reason = race_one(
        optimizer, surface, (config.start_x, config.start_y), config.steps, bound
    )
    return _diverged(reason, surface.f(traj), surface)


def _describe(name: str, traj: np.ndarray, reason: str, surface: Surface, config: Config):
    """The per-step frame and the summary row of one run."""
    loss = surface.f(traj)
    grads = surface.grad(traj)
    hess = surface.hessian(traj)
    lam = np.linalg.eigvalsh(hess)
    dist_min = _nearest(traj, surface.minima)
    dist_saddle = _nearest(traj, surface.saddles)
    dist_other = _nearest(traj, surface.minima + surface.maxima)
    # Near a saddle: within r of it and nearer to it than to any minimum or maximum (a large r
    # must not count a run resting at a minimum as "at the saddle").
    near = (dist_saddle <= config.escape_radius) & ~(dist_other <= dist_saddle)
    frame = pd.DataFrame(
        {
            "optimizer": pd.Categorical([name] * len(traj), categories=OPTIMIZER_NAMES),
            "label": pd.Categorical([LABELS[name]] * len(traj), categories=list(LABELS.values())),
            "step": np.arange(len(traj)),
            "x": traj[:, 0],
            "y": traj[:, 1],
            "loss": loss,
            "gx": grads[:, 0],
            "gy": grads[:, 1],
            "grad_norm": np.hypot(grads[:, 0], grads[:, 1]),
            "hxx": hess[:, 0, 0],
            "hxy": hess[:, 0, 1],
            "hyy": hess[:, 1, 1],
            "lam_min": lam[:, 0],
            "lam_max": lam[:, 1],
            "shape": classify_hessian(lam),
            "dist_min": dist_min,
            "dist_saddle": dist_saddle,
            "near_saddle": near,
        }
    )
    steps_near, escape = _escape(near)
    steps = np.hypot(*np.diff(traj, axis=0).T)
    ends, ends_at = _ending(surface, traj[-1], reason, config.escape_radius)
    lowest = surface.lowest
    # Diverged: the run blew up, or left the map on a surface that has minima to go to, or, on a
    # surface unbounded below, left it with f above its start (an escape falls; at η = 3 gradient
    # descent on the quadratic saddle leaves with f = +5010 from 1.1, its steps overshooting along
    # x by |1 − η| = 2: the table said "diverged: False"; audit pass 45).
    diverged = _diverged(reason, loss, surface)
    row = {
        "optimizer": name,
        "label": LABELS[name],
        "steps_run": len(traj) - 1,
        "final_x": float(traj[-1, 0]),
        "final_y": float(traj[-1, 1]),
        "final_loss": float(loss[-1]),
        "excess_loss": math.nan if lowest is None else float(loss[-1] - lowest),
        "dist_min": float(dist_min[-1]),
        "reached_min_at": _first(dist_min <= MIN_TOL),
        "steps_near_saddle": steps_near,
        "started_near": bool(near[0]),
        "escape_step": escape,
        "final_dist_saddle": float(dist_saddle[-1]),
        "closest_saddle": float(np.min(dist_saddle)) if surface.saddles else math.nan,
        "path_length": float(steps.sum()),
        "moved_last": float(np.hypot(*(traj[-1] - traj[max(0, len(traj) - 11)]))),
        "ends": ends,
        "ends_at": ends_at,
        "diverged": diverged,
        "reason": reason,
    }
    return frame, row


def run(config: Config) -> Result:
    """Race the nine optimizers from the same start on the configured surface (pure, seeded)."""
    surface = make_surface(config.surface, condition_number=config.condition_number)
    optimizers = build_optimizers(config, surface)
    start = (config.start_x, config.start_y)
    bound = RUN_OFF_FACTOR * max(abs(v) for pair in surface.window for v in pair)
    began = time.thread_time()  # CPU time of this thread: steadier than wall time on a busy server
    runs = {
        name: race_one(opt, surface, start, config.steps, bound) for name, opt in optimizers.items()
    }
    race_seconds = time.thread_time() - began
    frames, rows = zip(
        *(_describe(name, traj, reason, surface, config) for name, (traj, reason) in runs.items()),
        strict=True,
    )
    critical = pd.DataFrame(
        [
            (kind, x, y, surface.f(np.array([x, y])))
            for kind, x, y in surface.critical_points()
            if surface.in_window(x, y)
        ],
        columns=["kind", "x", "y", "loss"],
    )
    momentum_map, momentum_best = _momentum_map(config)
    return Result(
        paths=pd.concat(frames, ignore_index=True),
        summary=pd.DataFrame(list(rows)),
        grid=_grid(surface),
        critical=critical,
        momentum_map=momentum_map,
        momentum_best=momentum_best,
        surface_name=config.surface,
        condition_number=config.condition_number,
        race_seconds=race_seconds,
    )


def at_step(result: Result, step: int) -> pd.DataFrame:
    """One row per optimizer: where it is at ``step`` (its last point if its run stopped earlier)."""
    paths = result.paths
    steps = paths["step"].to_numpy()
    # Each run's rows are contiguous with steps 0, 1, ..., last: take min(step, last) of each.
    starts = np.flatnonzero(steps == 0)
    lasts = np.append(starts[1:], len(steps)) - 1
    return paths.iloc[np.minimum(starts + step, lasts)].reset_index(drop=True)


def eigen_directions(hxx: float, hxy: float, hyy: float) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (ascending) and unit eigenvectors (columns) of the 2 x 2 Hessian."""
    return np.linalg.eigh(np.array([[hxx, hxy], [hxy, hyy]]))
