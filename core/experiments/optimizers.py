"""Nine optimizers raced on one 2-D surface: who escapes the saddle, and why pure Newton does not."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import optim, second_order
from core.experiments.budget import check_budget
from core.surfaces import SURFACES, Surface, classify_hessian, make_surface
from core.validation import check_choice, check_int, check_number

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


@dataclass(frozen=True)
class Config:
    """Everything one race depends on. Start with ``Config.for_surface(name)`` for tuned steps.

    Each optimizer has its own learning rate ``lr_<name>``; ``momentum`` is shared by heavy-ball
    and Nesterov; ``damping`` and ``max_step`` (0 = no cap) by Newton and saddle-free Newton;
    ``noise`` is the standard deviation of the Gaussian noise noisy GD adds to each gradient.
    ``condition_number`` shapes the ill-conditioned bowl and the momentum panel's quadratic.
    """

    surface: str = "saddle_two_minima"
    start_x: float = SURFACES["saddle_two_minima"].start[0]
    start_y: float = SURFACES["saddle_two_minima"].start[1]
    steps: int = 300
    escape_radius: float = 0.25
    noise: float = SURFACES["saddle_two_minima"].defaults["noise"]
    seed: int = 0
    condition_number: float = 10.0
    momentum: float = 0.9
    adam_beta1: float = 0.9
    rmsprop_alpha: float = 0.99
    damping: float = 0.0
    max_step: float = 0.0
    lr_gd: float = SURFACES["saddle_two_minima"].defaults["gd"]
    lr_momentum: float = SURFACES["saddle_two_minima"].defaults["momentum"]
    lr_nesterov: float = SURFACES["saddle_two_minima"].defaults["nesterov"]
    lr_adagrad: float = SURFACES["saddle_two_minima"].defaults["adagrad"]
    lr_rmsprop: float = SURFACES["saddle_two_minima"].defaults["rmsprop"]
    lr_adam: float = SURFACES["saddle_two_minima"].defaults["adam"]
    lr_newton: float = SURFACES["saddle_two_minima"].defaults["newton"]
    lr_saddle_free_newton: float = SURFACES["saddle_two_minima"].defaults["saddle_free_newton"]
    lr_noisy_gd: float = SURFACES["saddle_two_minima"].defaults["noisy_gd"]

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "surface", check_choice("surface", self.surface, SURFACES))
        kappa = check_number("condition_number", self.condition_number, 1.0, 1000.0)
        set_(self, "condition_number", kappa)
        surface = make_surface(self.surface, condition_number=kappa)
        (x0, x1), (y0, y1) = surface.window
        hint = f"Pick a start inside the plotted window of the {surface.label} surface."
        set_(self, "start_x", check_number("start_x", self.start_x, x0, x1, hint=hint))
        set_(self, "start_y", check_number("start_y", self.start_y, y0, y1, hint=hint))
        set_(
            self,
            "steps",
            check_int("steps", self.steps, 10, MAX_STEPS, hint="Lower 'steps' to keep a run fast."),
        )
        set_(self, "escape_radius", check_number("escape_radius", self.escape_radius, 0.01, 2.0))
        set_(self, "noise", check_number("noise", self.noise, 0.0, 100.0))
        set_(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1))
        set_(self, "momentum", check_number("momentum", self.momentum, 0.0, 0.99))
        set_(self, "adam_beta1", check_number("adam_beta1", self.adam_beta1, 0.0, 0.99))
        set_(self, "rmsprop_alpha", check_number("rmsprop_alpha", self.rmsprop_alpha, 0.5, 0.999))
        set_(self, "damping", check_number("damping", self.damping, 0.0, 100.0))
        cap = check_number("max_step", self.max_step, 0.0, 10.0)
        if 0.0 < cap < MIN_STEP_CAP:
            raise ValueError(
                f"'max_step' must be 0 (no cap) or between {MIN_STEP_CAP:g} and 10; got "
                f"{self.max_step!r}. A smaller cap would stop the Newton methods where they start."
            )
        set_(self, "max_step", cap)
        for name in LR_FIELDS:
            value = check_number(
                name, getattr(self, name), 1e-5, 10.0, hint="Learning rates live in [1e-5, 10]."
            )
            set_(self, name, value)
        check_budget(estimated_seconds(self), ("Steps",))

    @classmethod
    def for_surface(cls, surface: str, **overrides) -> Config:
        """A Config with the surface's start point, tuned learning rates and noise scale."""
        kappa = overrides.get("condition_number", cls.condition_number)
        s = make_surface(surface, condition_number=kappa)
        tuned = {f"lr_{name}": s.defaults[name] for name in OPTIMIZER_NAMES}
        base = {"surface": surface, "start_x": s.start[0], "start_y": s.start[1]}
        return cls(**{**base, **tuned, "noise": s.defaults["noise"], **overrides})

    def learning_rate(self, optimizer: str) -> float:
        return getattr(self, f"lr_{optimizer}")


@dataclass(frozen=True)
class Result:
    """What the page draws. Frames are tidy (one row per observation).

    Attributes
    ----------
    paths : DataFrame
        optimizer, label, step, x, y, loss, gx, gy, grad_norm, hxx, hxy, hyy, lam_min, lam_max,
        shape (what the Hessian says: minimum, maximum, saddle, flat), dist_min (to the nearest
        minimum; NaN without minima), dist_saddle. Step 0 is the start; a run that ran off or
        diverged stops early.
    summary : DataFrame, one row per optimizer
        optimizer, label, steps_run, final_x, final_y, final_loss, excess_loss, dist_min,
        reached_min_at (first step within MIN_TOL of a minimum, NaN if never), steps_near_saddle (steps within ``escape_radius`` of a saddle), escape_step (first step of
        leaving that radius for good; NaN if it never came near or never left), ends (one of
        ENDINGS), ends_at (the critical point it ends near, or ""), diverged, reason.
    grid : DataFrame
        x, y (cell centres), loss, log_excess = log10(loss - lowest on grid + floor).
    critical : DataFrame
        kind, x, y, loss for the surface's known minima, saddles and maxima inside the window.
    momentum_map : DataFrame
        lr, lr_lo, lr_hi, momentum, m_lo, m_hi, rate: heavy-ball convergence rate (error factor per
        step, < 1 converges) on a quadratic with Hessian eigenvalues 1 and kappa.
    momentum_best : dict
        kappa, lr, momentum, rate (Polyak's optimum), gd_lr, gd_rate (best plain GD),
        current_lr, current_momentum, current_rate (this config's momentum optimizer).
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
    return frame, best


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


def _escape(dist_saddle: np.ndarray, radius: float) -> tuple[int, float]:
    """Steps spent within ``radius`` of a saddle, and the first step after the last such visit."""
    near = dist_saddle <= radius
    if not near.any():
        return 0, math.nan
    last = int(np.flatnonzero(near)[-1])
    return int(near.sum()), (math.nan if last == len(near) - 1 else float(last + 1))


def _first(mask: np.ndarray) -> float:
    """The first index where ``mask`` holds, as a float (NaN if never)."""
    hits = np.flatnonzero(mask)
    return float(hits[0]) if len(hits) else math.nan


def _ending(surface: Surface, point: np.ndarray, reason: str, radius: float) -> tuple[str, str]:
    if reason:
        return "ran off", ""
    best = ("elsewhere", "", math.inf)
    for kind, x, y in surface.critical_points():
        d = math.hypot(point[0] - x, point[1] - y)
        if d <= radius and d < best[2]:
            best = (kind, f"({x:.3g}, {y:.3g})", d)
    return best[0], best[1]


def _describe(name: str, traj: np.ndarray, reason: str, surface: Surface, config: Config):
    """The per-step frame and the summary row of one run."""
    loss = surface.f(traj)
    grads = surface.grad(traj)
    hess = surface.hessian(traj)
    lam = np.linalg.eigvalsh(hess)
    dist_min = _nearest(traj, surface.minima)
    dist_saddle = _nearest(traj, surface.saddles)
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
        }
    )
    near, escape = _escape(dist_saddle, config.escape_radius)
    ends, ends_at = _ending(surface, traj[-1], reason, config.escape_radius)
    lowest = surface.lowest
    # Diverged: the run blew up, or left the map on a surface that has minima to go to.
    diverged = reason == "non-finite" or (reason == "ran off" and surface.bounded_below)
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
        "steps_near_saddle": near,
        "escape_step": escape,
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
