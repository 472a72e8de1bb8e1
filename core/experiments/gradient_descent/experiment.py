"""Batch, mini-batch and stochastic gradient descent on a two-parameter model, and why SGD works."""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from core import optim
from core.config import Settings, choice, integer, number, param_of
from core.data import make_line
from core.experiments.budget import check_budget
from core.facts import num
from core.progress import timed_report

SCHEDULES = ("constant", "inverse_time", "exponential")
SAMPLE_POINTS = ("start", "minimum")
VARIANTS = ("Batch GD", "Mini-batch", "SGD")
MAX_POINTS_PER_CURVE = 600
GRADIENT_DRAWS = 400
# Seconds per parameter update of descend() (a few float operations plus the per-epoch moments)
# and the rest of a run, measured on the lab's machine; see bench/budget.py.
SECONDS_PER_UPDATE = 2e-6
SECONDS_BASE = 0.05


@dataclass(frozen=True)
class Config(Settings):
    """Everything one run of the gradient descent lesson depends on.

    The model is y_hat = w * x + b with the mean squared error
    L(w, b) = (1/n) * sum_i (w x_i + b - y_i)^2, fitted by three variants from the same start:
    batch GD (every example per update), mini-batch (``batch_size`` examples) and SGD (one).
    """

    learning_rate: float = number(0.05, 1e-4, 2.0, log=True)
    batch_size: int = integer(16, 2, 1000, grid=(2, 4, 8, 16, 32, 64, 128))
    epochs: int = integer(20, 1, 100)
    n_samples: int = integer(200, 20, 1000, step=10)
    noise: float = number(1.0, 0.0, 5.0, step=0.1)
    schedule: str = choice("constant", SCHEDULES)
    decay_rate: float = number(1.0, 0.0, 10.0, step=0.1)
    sample_at: str = choice("start", SAMPLE_POINTS)
    start_w: float = number(-1.5, -10.0, 10.0)
    start_b: float = number(3.0, -10.0, 10.0)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        if self.batch_size > self.n_samples:
            raise ValueError(
                f"'batch_size' must be at most 'n_samples' ({self.n_samples}); got "
                f"{self.batch_size}. The mini-batch must hold at least 2 and at most all the samples."
            )
        check_budget(
            estimated_seconds(self),
            ("epochs", "n_samples"),
            config=self,
            estimate=estimated_seconds,
        )


def updates(config: Config) -> int:
    """Parameter updates of one run: SGD under each of the three schedules, mini-batch, batch."""
    n = config.n_samples
    per_epoch = (
        len(SCHEDULES) * n + (1 if config.batch_size >= n else math.ceil(n / config.batch_size)) + 1
    )
    return config.epochs * per_epoch


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: dominated by SGD's epochs x n updates."""
    return SECONDS_BASE + SECONDS_PER_UPDATE * updates(config)


@dataclass(frozen=True)
class Result:
    """What the page draws. Every frame is tidy (one row per observation).

    Attributes
    ----------
    curves : DataFrame
        variant, batch_size, update, epoch, examples, seconds, w, b, loss (full training loss at
        the parameters after that update; update 0 is the start), downsampled per variant.
    summary : DataFrame
        variant, batch_size, updates, final_loss, excess_loss, loss_after_one_epoch,
        updates_per_epoch, seconds, median_update_seconds (the median wall time of one update,
        nan with none), diverged, stopped_reason, stopped_loss and divergence_limit
        (the batch loss that tripped the divergence check, and its limit), steepest_batch_curvature (the
        largest batch-Hessian eigenvalue among the batches it stepped on) and
        excess_at_equal_time (the loss above the minimum after ``equal_time`` seconds) and
        updates_at_equal_time (the update it is read after; 0 for the start).
    contours : DataFrame
        level, t, w, b: exact elliptical level sets of the quadratic loss.
    optimum : dict
        w, b, loss at the least-squares minimum, start_loss, the Hessian's eigenvalues,
        max_example_curvature (the largest one-example Hessian eigenvalue, 2 (1 + x_i^2)) and
        example_gradient_variance (sigma^2 = mean_i ||grad l_i - grad L||^2 at the sample point).
    gradient_samples : DataFrame
        batch_size, grad_w, grad_b: mini-batch gradients drawn at ``sample_point``.
    full_gradient : tuple of float
        The full-batch gradient at ``sample_point``.
    variance : DataFrame
        batch_size, measured, theory: total variance E||g_B - g||^2 of a mini-batch gradient.
    variance_slope : float
        Least-squares slope of log(measured variance) against log(batch size).
    equal_time : float
        Wall time when the quickest non-diverged variant finished (nan if all diverged).
    schedules : DataFrame
        schedule, epoch, excess_loss: SGD's loss above the minimum, averaged over each epoch
        (epoch 0 is the start), under each step-size schedule (constant, inverse_time,
        exponential), and whether that run diverged.
    data : DataFrame
        x, y: the training points.
    """

    curves: pd.DataFrame
    summary: pd.DataFrame
    contours: pd.DataFrame
    optimum: dict
    gradient_samples: pd.DataFrame
    full_gradient: tuple[float, float]
    variance: pd.DataFrame
    variance_slope: float
    schedules: pd.DataFrame
    data: pd.DataFrame
    sample_point: tuple[float, float] = field(default=(0.0, 0.0))
    equal_time: float = math.nan

    @property
    def diverged(self) -> list[str]:
        """Names of the variants whose run diverged."""
        return self.summary.loc[self.summary["diverged"], "variant"].tolist()


class _Quadratic:
    """The mean squared error of y_hat = w x + b, evaluated from five data moments in O(1)."""

    def __init__(self, x: np.ndarray, y: np.ndarray):
        self.x, self.y = x, y
        self.sxx, self.sx = float(np.mean(x * x)), float(np.mean(x))
        self.sxy, self.sy, self.syy = (
            float(np.mean(x * y)),
            float(np.mean(y)),
            float(np.mean(y * y)),
        )
        self.hessian = 2.0 * np.array([[self.sxx, self.sx], [self.sx, 1.0]])
        w, b = np.linalg.solve(self.hessian / 2.0, [self.sxy, self.sy])
        self.minimum = np.array([w, b])
        self.min_loss = float(self.loss(w, b))

    def loss(self, w, b):
        return (
            w * w * self.sxx
            + 2.0 * w * b * self.sx
            + b * b
            - 2.0 * w * self.sxy
            - 2.0 * b * self.sy
            + self.syy
        )

    def example_grads(self, w: float, b: float) -> np.ndarray:
        """Per-example gradients of (w x_i + b - y_i)^2, shape (n, 2)."""
        r = 2.0 * (w * self.x + b - self.y)
        return np.column_stack([r * self.x, r])


def _schedule(config: Config, kind: str, updates_per_epoch: int):
    """A learning-rate schedule that decays per epoch, so every batch size decays alike."""
    lr, k = config.learning_rate, config.decay_rate / updates_per_epoch
    if kind == "inverse_time":
        return optim.inverse_time_decay(lr, k)
    if kind == "exponential":
        return optim.exponential_decay(lr, math.exp(-k))
    return lr


def _downsample(n: int, most: int) -> np.ndarray:
    """Indices 0..n-1, at most ``most`` of them, always keeping the first and the last."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, most).round().astype(int))


class Descent(NamedTuple):
    """One run of :func:`descend`: the parameters visited and the clock after each update."""

    trace: np.ndarray  # (updates + 1, 2): (w, b) at the start and after every update
    examples: np.ndarray  # (updates,) examples processed after each update
    seconds: np.ndarray  # (updates,) wall time after each update
    diverged: bool
    stopped_reason: str
    # The largest eigenvalue of a batch's Hessian among the batches it stepped on: a step on that
    # batch multiplies the error along its steepest direction by |1 - eta * curvature|.
    steepest_batch_curvature: float = 0.0
    # The batch loss that tripped the divergence check, and the check's limit (nan if none did).
    stopped_loss: float = math.nan
    limit: float = math.nan


def descend(quad, batch_size, lr, start, epochs, seed, divergence_factor=1e6) -> Descent:
    """(Mini-)batch gradient descent on the line's mean squared error, by hand.

    The same algorithm as ``core.train.fit`` on a one-weight linear network with ``optim.sgd``
    (the same reshuffle per epoch from ``seed``, the same divergence rule), written out for two
    parameters: each batch's gradient comes from its five moments, so an update is a few float
    operations instead of a forward and a backward pass through the general network. The
    equivalence is tested against ``fit``.

    Parameters
    ----------
    quad : _Quadratic
        The data (x, y) and the full loss.
    batch_size : int or None
        None (or n) is batch GD, 1 is SGD.
    lr : float or schedule
        A constant step or a callable of the update count (from ``core.optim``).
    """
    x, y = quad.x, quad.y
    n = len(x)
    B = n if batch_size is None else min(batch_size, n)
    total = epochs * math.ceil(n / B)
    steps = [float(lr(t)) for t in range(total)] if callable(lr) else [float(lr)] * total
    shuffle_rng = np.random.default_rng(seed).spawn(2)[0]  # fit's shuffling stream
    w, b = float(start[0]), float(start[1])
    limit = divergence_factor * max(1.0, float(quad.loss(w, b)))
    ws, bs, seen, clock = [w], [b], [], []
    starts = np.arange(0, n, B)
    counts = np.diff(np.append(starts, n)).tolist()
    diverged, reason, u = False, "completed", 0
    steepest = 0.0
    t0 = time.perf_counter()
    # the app's progress listener is not the run's work: with one update an epoch (batch GD)
    # its time was each update's, "Batch GD 33.0 ms (1 update)" for 35 µs of arithmetic
    # (audit pass 71 h), so the clock leaves it out
    listened = 0.0
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            listened += timed_report(None)  # the app may stop a run whose page has gone
            if n > B:
                perm = shuffle_rng.permutation(n)
                xe, ye = x[perm], y[perm]
            else:
                xe, ye = x, y
            moments = zip(
                counts,
                np.add.reduceat(xe * xe, starts).tolist(),
                np.add.reduceat(xe, starts).tolist(),
                np.add.reduceat(xe * ye, starts).tolist(),
                np.add.reduceat(ye, starts).tolist(),
                np.add.reduceat(ye * ye, starts).tolist(),
                strict=True,
            )
            done = epoch * n
            for m, sxx, sx, sxy, sy, syy in moments:
                # The batch's mean of (w x + b - y)^2 and its gradient, from the moments.
                batch_loss = (
                    w * w * sxx + 2.0 * w * b * sx + b * b * m - 2.0 * w * sxy - 2.0 * b * sy + syy
                ) / m
                gw = 2.0 * (w * sxx + b * sx - sxy) / m
                gb = 2.0 * (w * sx + b * m - sy) / m
                # the batch Hessian 2 [[sxx, sx], [sx, m]] / m: its largest eigenvalue
                a, c = sxx / m, sx / m
                curvature = (a + 1.0) + math.sqrt((a - 1.0) ** 2 + 4.0 * c * c)
                steepest = max(steepest, curvature)
                u += 1
                done += m
                if not (math.isfinite(batch_loss) and math.isfinite(gw) and math.isfinite(gb)):
                    diverged = True
                    reason = f"the loss or gradient became non-finite at update {u}"
                elif batch_loss > limit:
                    diverged = True
                    reason = (
                        f"the loss exploded to {num(batch_loss, 3)} at update {u} "
                        f"(more than {num(divergence_factor, 1)} times its start)"
                    )
                if diverged:
                    break
                eta = steps[u - 1]
                w -= eta * gw
                b -= eta * gb
                ws.append(w)
                bs.append(b)
                seen.append(done)
                clock.append(time.perf_counter() - t0 - listened)
            if diverged:
                break
    return Descent(
        trace=np.column_stack([ws, bs]),
        examples=np.array(seen, dtype=np.int64),
        seconds=np.array(clock),
        diverged=diverged,
        stopped_reason=reason,
        steepest_batch_curvature=steepest,
        stopped_loss=float(batch_loss) if diverged and math.isfinite(batch_loss) else math.nan,
        limit=limit,
    )


def _run_variant(config, quad, batch_size, schedule):
    per_epoch = 1 if batch_size is None else math.ceil(len(quad.x) / batch_size)
    run = descend(
        quad,
        batch_size,
        _schedule(config, schedule, per_epoch),
        (config.start_w, config.start_b),
        config.epochs,
        config.seed,
    )
    trace = run.trace
    with np.errstate(all="ignore"):
        losses = quad.loss(trace[:, 0], trace[:, 1])
    examples = np.concatenate([[0], run.examples])
    frame = pd.DataFrame(
        {
            "update": np.arange(len(trace)),
            "epoch": examples / len(quad.x),
            "examples": examples,
            "seconds": np.concatenate([[0.0], run.seconds]),
            "w": trace[:, 0],
            "b": trace[:, 1],
            "loss": losses,
        }
    )
    return run, frame


def _contours(quad: _Quadratic, start_loss: float, n_levels: int = 9) -> pd.DataFrame:
    """Level sets {L = L* + c} of the quadratic loss: ellipses from the Hessian's eigenvectors."""
    evals, evecs = np.linalg.eigh(quad.hessian)
    top = max(start_loss - quad.min_loss, 1e-6) * 2.0
    excess = top * np.geomspace(1e-3, 1.0, n_levels)
    t = np.linspace(0.0, 2.0 * np.pi, 121)
    circle = np.vstack([np.cos(t), np.sin(t)])
    rows = []
    for c in excess:
        radii = np.sqrt(2.0 * c / evals)
        pts = quad.minimum[:, None] + evecs @ (radii[:, None] * circle)
        rows.append(
            pd.DataFrame(
                {"level": quad.min_loss + c, "t": np.arange(t.size), "w": pts[0], "b": pts[1]}
            )
        )
    return pd.concat(rows, ignore_index=True)


def _gradient_noise(config, quad, point, rng):
    """Mini-batch gradients at ``point`` (drawn without replacement, as in an epoch) and their variance."""
    G = quad.example_grads(*point)
    n = len(G)
    full = G.mean(axis=0)
    sigma2 = float(np.mean(np.sum((G - full) ** 2, axis=1)))
    sizes = [b for b in (1, 2, 4, 8, 16, 32, 64) if b <= n // 4]
    samples = {}
    measured = []
    for B in sorted({*sizes, config.batch_size}):
        idx = np.argpartition(rng.random((GRADIENT_DRAWS, n)), B - 1, axis=1)[:, :B]
        est = G[idx].mean(axis=1)
        samples[B] = est
        if B in sizes:
            var = float(np.mean(np.sum((est - full) ** 2, axis=1)))
            theory = sigma2 / B * (n - B) / (n - 1)
            measured.append((B, var, theory))
    variance = pd.DataFrame(measured, columns=["batch_size", "measured", "theory"])
    measured_ok = bool((variance["measured"] > 0).all())
    slope = (
        float(np.polyfit(np.log(variance["batch_size"]), np.log(variance["measured"]), 1)[0])
        if measured_ok
        else math.nan  # no gradient noise at all (every example fitted exactly)
    )
    shown = (1, config.batch_size)
    grads = pd.concat(
        [
            pd.DataFrame({"batch_size": B, "grad_w": samples[B][:, 0], "grad_b": samples[B][:, 1]})
            for B in dict.fromkeys(shown)
        ],
        ignore_index=True,
    )
    return grads, (float(full[0]), float(full[1])), variance, slope, sigma2


def _epoch_means(frame: pd.DataFrame, min_loss: float) -> pd.DataFrame:
    """The loss above the minimum averaged over each epoch (epoch 0 is the start).

    SGD's per-update loss jumps by orders of magnitude; the epoch mean shows the trend.
    """
    epoch = np.ceil(frame["epoch"].to_numpy()).astype(int)
    means = (frame["loss"] - min_loss).groupby(epoch).mean()
    return pd.DataFrame({"epoch": means.index, "excess_loss": means.to_numpy()})


def _at_time(frame: pd.DataFrame, seconds: float, column: str = "loss") -> float:
    """The loss (or another ``column``) of a run at the last update completed by ``seconds`` of
    wall time (update 0, the start, when none was)."""
    done = frame.loc[frame["seconds"] <= seconds, column]
    return float(done.iloc[-1])


def _least_rate_rises(config, quad, summary, sizes) -> list[bool]:
    """For each variant that did not diverge and ended above its start (beyond round-off, 1e-12 x
    the start loss), whether the same run at the learning-rate slider's least η ends above its
    start too (or diverges): then "try a smaller η" names a remedy the slider cannot give (audit
    pass 52: SGD at η 0.005, B 16, 20 epochs, n 30, noise 3, exponential k 10, seed 880597 ended
    at 13.1362 from 13.1204, and at η 0.0001 at 13.1209). False for every other variant."""
    start = float(quad.loss(config.start_w, config.start_b))
    floor = 1e-12 * max(1.0, start)
    least = param_of(type(config), "learning_rate").least
    out = []
    for row in summary.itertuples():
        if row.diverged or not row.final_loss > start + floor:
            out.append(False)
            continue
        slow = dataclasses.replace(config, learning_rate=least)
        B = sizes[row.variant]
        history, frame = _run_variant(
            slow, quad, None if config.n_samples == B else B, config.schedule
        )
        out.append(bool(history.diverged or float(frame["loss"].iloc[-1]) > start + floor))
    return out


def run(config: Config) -> Result:
    """Fit the line three ways from the same start and seed, and measure mini-batch gradient noise."""
    X, y = make_line(n_samples=config.n_samples, noise=config.noise, seed=config.seed)
    quad = _Quadratic(X[:, 0], y)
    n = config.n_samples
    sizes = {"Batch GD": n, "Mini-batch": config.batch_size, "SGD": 1}
    curves, summary, frames = [], [], {}
    for variant, B in sizes.items():
        history, frame = _run_variant(config, quad, None if n == B else B, config.schedule)
        frames[variant] = frame
        keep = _downsample(len(frame), MAX_POINTS_PER_CURVE)
        curves.append(frame.iloc[keep].assign(variant=variant, batch_size=B))
        final = frame.iloc[-1]
        summary.append(
            {
                "variant": variant,
                "batch_size": B,
                "updates": int(final["update"]),
                "final_loss": float(final["loss"]),
                "excess_loss": float(final["loss"] - quad.min_loss),
                "loss_after_one_epoch": float(frame.loc[frame["examples"] <= n, "loss"].iloc[-1]),
                "updates_per_epoch": math.ceil(n / B),
                "seconds": float(final["seconds"]),
                # the typical update's wall time: a mean per update (seconds / updates) carries
                # every pause of the machine within the run, and SGD's run, the longest, meets
                # most (audit pass 60 d: preset "SGD's noise floor" printed SGD's 4.04 µs beside
                # the mini-batch run's 1.637 µs, where the median update of each took 0.8 µs)
                "median_update_seconds": (
                    float(np.median(np.diff(frame["seconds"].to_numpy())))
                    if len(frame) > 1
                    else math.nan
                ),
                "diverged": history.diverged,
                "stopped_reason": history.stopped_reason,
                "steepest_batch_curvature": history.steepest_batch_curvature,
                "stopped_loss": history.stopped_loss,
                "divergence_limit": history.limit,
            }
        )
    summary = pd.DataFrame(summary)
    summary["least_rate_rises"] = _least_rate_rises(config, quad, summary, sizes)
    # Equal wall time: every variant read at the moment the quickest (non-diverged) run ended.
    finished = summary.loc[~summary["diverged"], "seconds"]
    equal_time = float(finished.min()) if len(finished) else math.nan
    summary["excess_at_equal_time"] = [
        _at_time(frames[v], equal_time) - quad.min_loss if not d else math.nan
        for v, d in zip(summary["variant"], summary["diverged"], strict=True)
    ]
    # the update each variant's loss at that time is read after (0: it had not made one yet)
    summary["updates_at_equal_time"] = [
        int(_at_time(frames[v], equal_time, "update")) if not d else 0
        for v, d in zip(summary["variant"], summary["diverged"], strict=True)
    ]

    # SGD under each step-size schedule (the main SGD run is the one of config.schedule).
    sgd_runs = {config.schedule: (frames["SGD"], summary.loc[2, "diverged"])}
    for kind in SCHEDULES:
        if kind not in sgd_runs:
            history, frame = _run_variant(config, quad, 1, kind)
            sgd_runs[kind] = (frame, history.diverged)
    schedules = pd.concat(
        [
            _epoch_means(sgd_runs[kind][0], quad.min_loss).assign(
                schedule=kind, diverged=sgd_runs[kind][1]
            )
            for kind in SCHEDULES
        ],
        ignore_index=True,
    )[["schedule", "epoch", "excess_loss", "diverged"]]

    point = (config.start_w, config.start_b) if config.sample_at == "start" else tuple(quad.minimum)
    rng = np.random.default_rng(config.seed + 1)
    grads, full, variance, slope, sigma2 = _gradient_noise(config, quad, point, rng)
    start_loss = float(quad.loss(config.start_w, config.start_b))
    example_curvature = 2.0 * (1.0 + quad.x**2)  # per-example Hessian eigenvalues: 0 and these
    return Result(
        curves=pd.concat(curves, ignore_index=True),
        summary=summary,
        contours=_contours(quad, start_loss),
        optimum={
            "w": float(quad.minimum[0]),
            "b": float(quad.minimum[1]),
            "loss": quad.min_loss,
            "start_loss": start_loss,
            "hessian_eigenvalues": tuple(float(v) for v in np.linalg.eigvalsh(quad.hessian)),
            "max_example_curvature": float(example_curvature.max()),
            "example_gradient_variance": sigma2,
        },
        gradient_samples=grads,
        full_gradient=full,
        variance=variance,
        variance_slope=slope,
        schedules=schedules,
        data=pd.DataFrame({"x": X[:, 0], "y": y}),
        sample_point=(float(point[0]), float(point[1])),
        equal_time=equal_time,
    )
