"""Exact reverse-mode derivatives of a typed loss against finite differences, and gradient checking."""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import mlp, optim
from core.activations import sigmoid
from core.autodiff import MAX_LENGTH, CompiledLoss, EvaluationError, compile_loss
from core.config import PARAM, Param, Settings, choice, integer, number, param_of, text
from core.experiments.budget import check_budget
from core.gradcheck import numerical_grad, rel_error
from core.losses import LOSSES

# name -> (expression, the data it is meant for): the losses the presets type into the box
EXPRESSIONS = {
    "MSE": ("mean((y_pred - y_true)**2)", "regression"),
    "MAE": ("mean(abs(y_pred - y_true))", "regression"),
    "Huber": (
        "mean(minimum(abs(y_pred - y_true), delta) * "
        "(abs(y_pred - y_true) - 0.5*minimum(abs(y_pred - y_true), delta)))",
        "regression",
    ),
    "log-cosh": ("mean(log(cosh(y_pred - y_true)))", "regression"),
    "Pinball (quantile)": (
        "mean(maximum(tau*(y_true - y_pred), (tau - 1)*(y_true - y_pred)))",
        "regression",
    ),
    "Focal": (
        "mean(sigmoid((1 - 2*y_true)*y_pred)**gamma * softplus((1 - 2*y_true)*y_pred))",
        "classification",
    ),
    "BCE on logits": ("mean(softplus(y_pred) - y_true*y_pred)", "classification"),
}
DATA = ("regression", "classification")
CHECK_ACTIVATIONS = ("relu", "leaky_relu", "elu", "tanh", "sigmoid", "gelu")
# The activations with a kink at 0 (a jump in the slope, or for elu in the curvature).
KINKED_ACTIVATIONS = ("relu", "leaky_relu", "elu")
# autodiff's line is not called "exact": at an operation's kink its value is a convention, which
# can be off L's derivative (relu(r) - relu(-r) at r = 0: autodiff 0, L' = 1; audit pass 43 b)
METHODS = ("autodiff", "forward difference", "central difference")
H_OPTIONS = tuple(float(f"1e{k}") for k in range(-14, 1))  # the step h a learner may pick
# four steps per decade, each power of ten exactly the float a learner's h is: logspace's "1e-5"
# is 9.999999999999999e-06, whose errors the chart printed at "h = 1.0e-05" beside the point's
# own (log-cosh at ŷ = -1.9, y = 1: central error 1.84e-14 on the chart, 1.9e-14 in the metric)
H_GRID = np.logspace(-1, -14, 53)
H_GRID[::4] = [float(f"1e{k}") for k in range(-1, -15, -1)]
CURVE_RANGE = (-5.0, 5.0)
CURVE_POINTS = 201
CURVE_DECIMALS = 2  # the grid's step, (5 − (−5)) / 200 = 0.05, has 2 decimals
DELTA = 1e-3  # L'' and L''' from central differences of the exact gradient at y_pred +- DELTA
# An estimated L'' or L''' counts as about 0 below this (relative to max(1, |L'|, |L''|)): the
# estimates from differences at +-DELTA are accurate to about 1e-7 here.
NEGLIGIBLE = 1e-5
ONE_SIDE = 1e-8  # one-sided slopes: the exact gradient this far left and right of y_pred
GOOD, WRONG = 1e-7, 1e-2  # the usual gradient-check thresholds on the relative error
# The check's verdict on each tensor, named for what the check shows, not for backprop: a check
# straddling a kink fails although backprop has no bug (gradcheck_fail_kink says so beside it).
VERDICTS = ("passes (< 1e-7)", "grey zone (1e-7 to 1e-2)", "fails (> 1e-2)")
CHECK_STEP = 1e-5  # the gradient check's central-difference step
EPS = float(np.finfo(np.float64).eps)
N_POINTS = 60
CHECK_SIZES = (3, 4, 4, 1)
CLEAN_SLOPE, CLEAN_INTERCEPT = 1.5, 0.5  # the regression data's line before noise and outliers
# (w, b) at which the typed loss and the reference are compared on the training data
PROBES = ((-1.0, 0.5), (0.0, 0.0), (0.5, -0.5), (1.0, 0.0), (1.5, 0.5), (2.0, 1.0))
# Seconds on the lab's machine. Every training step builds the typed loss's graph on N_POINTS
# examples and runs it backward, so its cost grows with the Nodes a pass builds, counted as
# built (core.autodiff.CompiledLoss.node_counts: cosh builds seven Nodes, mean three): every
# Node costs its construction, those in the backward pass a closure call, and those of a
# function call or a power a transcendental NumPy function more. The reference loss, the model
# and Adam add a fixed cost per step; the panels (the sweep, the curve, the probes, the graph)
# cost about PANEL_PASSES passes more, the gradient check and the rest SECONDS_BASE.
SECONDS_BASE, SECONDS_PER_STEP, PANEL_PASSES = 0.03, 1.3e-4, 20
SECONDS_PER_NODE = {"total": 8e-6, "backward": 2e-6, "elementwise": 3e-6}


def _flag_choice(default: bool, options: tuple[bool, bool]):
    """A True/False field offered as two labelled choices in ``options`` order (a radio)."""
    return dataclasses.field(default=default, metadata={PARAM: Param("flag", grid=options)})


@functools.lru_cache(maxsize=256)
def _compiled(expression: str, delta: float, tau: float, gamma: float) -> CompiledLoss:
    return compile_loss(expression, constants={"delta": delta, "tau": tau, "gamma": gamma})


@dataclass(frozen=True)
class Config(Settings):
    """One run of the autodiff lesson.

    The typed loss is evaluated at the single example (``y_pred``, ``y_true``), its exact
    derivative compared with finite differences of step ``h``; a linear model is trained with it
    on ``data`` (with ``outliers`` or not); an MLP with ``activation`` is gradient-checked.
    """

    expression: str = text(EXPRESSIONS["log-cosh"][0], MAX_LENGTH)
    delta: float = number(1.0, 0.1, 5.0, step=0.1)
    tau: float = number(0.5, 0.05, 0.95, step=0.05)
    gamma: float = number(2.0, 0.0, 5.0, step=0.5)
    y_pred: float = number(1.5, -5.0, 5.0, step=0.05)
    y_true: float = number(0.0, -5.0, 5.0, step=0.1)
    h: float = number(1e-5, 1e-14, 1.0, log=True, grid=H_OPTIONS)
    data: str = choice("regression", DATA)
    outliers: bool = _flag_choice(True, (True, False))
    learning_rate: float = number(0.1, 1e-3, 1.0, log=True)
    steps: int = integer(300, 10, 2000, step=10)
    activation: str = choice("relu", CHECK_ACTIVATIONS)
    on_kink: bool = _flag_choice(False, (False, True))
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        self.loss()  # an ExpressionError (a ValueError) names the problem and its column
        check_budget(
            estimated_seconds(self),
            ("steps",),
            config=self,
            estimate=estimated_seconds,
            moves={"shorten your loss": {"expression": "mean(y_pred)"}},  # the shortest loss
        )

    def loss(self) -> CompiledLoss:
        return _compiled(self.expression, self.delta, self.tau, self.gamma)


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: ``steps`` passes through the typed loss."""
    nodes = config.loss().node_counts()
    per_pass = sum(seconds * nodes[kind] for kind, seconds in SECONDS_PER_NODE.items())
    return SECONDS_BASE + config.steps * (SECONDS_PER_STEP + per_pass) + PANEL_PASSES * per_pass


@dataclass(frozen=True)
class Result:
    """What the page draws, and what its facts read.

    Attributes
    ----------
    latex : str
        The parsed loss.
    point : dict
        value, exact, forward, central, forward_error, central_error, h, error (a message, or "").
    graph : list of dict
        The computation graph at the point (see ``CompiledLoss.graph``); empty on an error.
    curve : DataFrame
        y_pred, method, grad: d loss / d y_pred across y_pred for the fixed y_true, exact and by
        both finite differences with step h; rows where the loss is undefined are dropped.
    curve_undefined : int
        Number of grid points (of CURVE_POINTS) where the loss or its gradient is not finite.
    local : DataFrame
        offset, value, grad: the loss and its exact derivative at y_pred + offset, for offsets
        0, +-H_GRID and +-h (sorted); NaN where undefined.
    sweep : DataFrame
        h, method, error: |estimate - exact| for h from 1e-1 to 1e-14 (NaN where undefined).
    guides : DataFrame
        h, guide, error: truncation h|L''|/2 (slope 1), h^2|L'''|/6 (slope 2), drawn only for
        steps that stay clear of the nearest breakpoint, and round-off eps R/h (roundoff_scale).
    best : dict
        method -> (h, error) at the smallest finite measured error (no entry when none is).
    shape : str
        How the central error behaves as h shrinks, one of SHAPES ("" if not measured).
    floor : float
        eps |dL/dy_pred|: central errors below it count as it when reading the shape.
    derivatives : dict
        second, third: L'' and L''' at the point (central differences of the exact gradient at
        +-DELTA); NaN when a breakpoint lies within DELTA or the gradient is undefined there.
    breakpoints : list of dict
        label, column, near, far: for each switch of a branching function (core.autodiff), the
        nearest place it changes branch, between distances ``near`` and ``far`` from y_pred
        (both 0 when y_pred sits on it), nearest first; only within the largest offset.
    one_sided : dict
        left, right: the exact derivative at y_pred -+ ONE_SIDE; limits: L's exact one-sided
        derivatives at y_pred, (left, right), or None (:meth:`CompiledLoss.one_sided`).
    data, fits, fit_summary : DataFrame
        Training points (x, y, kind); fitted curves (x, model, y_hat); per model w, b, loss,
        steps, stopped_reason.
    probes : DataFrame
        w, b, yours, reference, grad_proportional: both losses on the training data at PROBES,
        and whether your gradient is (yours / reference) times the reference's there.
    gradcheck : DataFrame
        tensor, shape, rel_error, verdict: backprop against central differences per tensor.
    kink : dict
        min_abs_z (smallest |pre-activation| of the first hidden layer), min_abs_z_all (of
        every hidden layer) and on_kink.
    """

    latex: str
    point: dict
    graph: list
    curve: pd.DataFrame
    curve_undefined: int
    local: pd.DataFrame
    sweep: pd.DataFrame
    guides: pd.DataFrame
    best: dict
    shape: str
    floor: float
    derivatives: dict
    breakpoints: list
    one_sided: dict
    data: pd.DataFrame
    fits: pd.DataFrame
    fit_summary: pd.DataFrame
    probes: pd.DataFrame
    gradcheck: pd.DataFrame
    kink: dict


SHAPES = (
    "keeps shrinking",
    "shrinks, then levels off",
    "shrinks, then grows",
    "only grows",
    "stays about the same",
)
CHANGE = 10.0  # the error "shrinks" or "grows" when it changes by more than this factor


def read_shape(errors: np.ndarray, floor: float) -> str:
    """How an error curve behaves as h shrinks (``errors`` in order of shrinking h, finite).

    Errors below ``floor`` count as ``floor`` (round-off noise below eps |L'| means nothing).
    With e0 the first error, em the smallest (first at index k) and eN the last: it shrinks if
    e0 > CHANGE em, grows if eN > CHANGE em; "keeps shrinking" needs the smallest within the last
    two steps.
    """
    e = np.maximum(errors, floor)
    k = int(np.argmin(e))
    shrinks, grows = e[0] > CHANGE * e[k], e[-1] > CHANGE * e[k]
    if shrinks and grows:
        return SHAPES[2]
    if shrinks:
        return SHAPES[0] if k >= len(e) - 2 else SHAPES[1]
    return SHAPES[3] if grows else SHAPES[4]


def _finite_differences(loss: CompiledLoss, y_pred: float, y_true: float, h: float):
    """Forward and central estimates of d loss / d y_pred by core.gradcheck; NaN where undefined."""
    yt = np.array([y_true])

    def f(x):
        return loss.value(x, yt)

    out = []
    for method in ("forward", "central"):
        try:
            out.append(float(numerical_grad(f, np.array([y_pred]), h=h, method=method)[0]))
        except EvaluationError:
            out.append(np.nan)
    return out


def slider_grid(name: str) -> np.ndarray:
    """Every value the sidebar's slider for ``name`` (y_pred or y_true) offers."""
    param = param_of(Config, name)
    count = round((param.high - param.low) / param.step)
    return np.round(param.low + param.step * np.arange(count + 1), 10)


def defined_point(loss: CompiledLoss, config: Config) -> tuple[float, float] | None:
    """The point (y_pred, y_true) nearest the chosen one, among those the sliders offer, where the
    loss and its derivative are defined (evaluated as the page evaluates its point), or None
    where there is none: "Move the point" is then no way out of an undefined loss."""
    yp, yt = np.meshgrid(slider_grid("y_pred"), slider_grid("y_true"), indexing="ij")
    yp, yt = yp.reshape(-1, 1), yt.reshape(-1, 1)
    values, grads = loss.batch(yp, yt)
    ok = np.flatnonzero(np.isfinite(values) & np.isfinite(grads[:, 0]))
    distance = np.hypot(yp[ok, 0] - config.y_pred, yt[ok, 0] - config.y_true)
    for i in ok[np.argsort(distance, kind="stable")]:
        try:  # strictly, as at the point (an overflow inside may still raise where batch is finite)
            loss.value_and_grad(yp[i], yt[i])
        except EvaluationError:
            continue
        return float(yp[i, 0]), float(yt[i, 0])
    return None


def _point(loss: CompiledLoss, config: Config) -> tuple[dict, list]:
    yp, yt = np.array([config.y_pred]), np.array([config.y_true])
    point = dict.fromkeys(("value", "exact", "forward", "central", "roundoff"), np.nan)
    point.update(h=config.h, error="")
    try:
        value, grad = loss.value_and_grad(yp, yt)
        graph = loss.graph(yp, yt)
    except EvaluationError as err:
        point["error"] = str(err)
        # where the loss is defined elsewhere on the sliders, or None (see defined_point)
        point["defined_at"] = defined_point(loss, config)
        return point | {"forward_error": np.nan, "central_error": np.nan}, []
    forward, central = _finite_differences(loss, config.y_pred, config.y_true, config.h)
    exact = float(grad[0])
    point.update(value=value, exact=exact, forward=forward, central=central)
    point.update(roundoff=roundoff_scale(graph, value))
    point.update(forward_error=abs(forward - exact), central_error=abs(central - exact))
    return point, graph


# Estimates from values near the float64 limit may overflow: they become NaN rows, not warnings.
_overflow_is_a_result = np.errstate(over="ignore", invalid="ignore")


@_overflow_is_a_result
def _curve(loss: CompiledLoss, config: Config) -> tuple[pd.DataFrame, int]:
    """The exact derivative and both estimates on a grid of y_pred, vectorized as rows."""
    # snapped to the grid's decimals (0.05 apart): linspace's 3.5999999999999996 printed "ŷ = 3.6"
    # beside a target y = 3.6, just left of MAE's kink there, where L′ = −1 and not autodiff's
    # convention 0 on the kink (audit pass 65 d)
    y = np.round(np.linspace(*CURVE_RANGE, CURVE_POINTS), CURVE_DECIMALS)[:, None]
    t = np.full_like(y, config.y_true)
    h = config.h
    values, exact = loss.batch(y, t)
    plus = loss.batch(y + h, t, grad=False)[0]
    minus = loss.batch(y - h, t, grad=False)[0]
    grads = {
        METHODS[0]: exact[:, 0],
        METHODS[1]: (plus - values) / h,
        METHODS[2]: (plus - minus) / (2.0 * h),
    }
    frame = pd.concat(
        [pd.DataFrame({"y_pred": y[:, 0], "method": m, "grad": g}) for m, g in grads.items()],
        ignore_index=True,
    )
    return frame, int(np.isnan(exact[:, 0]).sum())


def offsets_for(h: float) -> np.ndarray:
    """0, +-H_GRID and +-h, sorted: where the loss is sampled around y_pred."""
    steps = np.union1d(H_GRID, [h])
    return np.concatenate([-steps[::-1], [0.0], steps])


@_overflow_is_a_result
def _local(loss: CompiledLoss, config: Config) -> tuple[pd.DataFrame, list]:
    """The loss, its exact derivative and the branch switches at y_pred + offsets."""
    offsets = offsets_for(config.h)
    y = (config.y_pred + offsets)[:, None]
    t = np.full_like(y, config.y_true)
    values, grads = loss.batch(y, t)
    local = pd.DataFrame({"offset": offsets, "value": values, "grad": grads[:, 0]})
    return local, loss.switches(y, t)


def _breakpoints(offsets: np.ndarray, switches: list) -> list[dict]:
    """For each switch, the nearest place it crosses 0, bracketed by two sampled offsets."""
    centre = int(np.flatnonzero(offsets == 0.0)[0])
    found = []
    for switch in switches:
        s = switch.values[:, 0]
        if s[centre] == 0.0:
            found.append({"label": switch.label, "column": switch.column, "near": 0.0, "far": 0.0})
            continue
        best = None
        for side in (1, -1):
            j = centre
            while 0 <= j + side < len(s):
                k = j + side
                if s[k] == 0.0:
                    bracket = (abs(offsets[k]), abs(offsets[k]))
                elif np.sign(s[j]) * np.sign(s[k]) < 0.0:
                    bracket = (abs(offsets[j]), abs(offsets[k]))
                else:
                    j = k
                    continue
                best = bracket if best is None or bracket < best else best
                break
        if best is not None:
            found.append(
                {"label": switch.label, "column": switch.column, "near": best[0], "far": best[1]}
            )
    return sorted(found, key=lambda b: (b["near"], b["far"]))


def _at(local: pd.DataFrame, offset: float, column: str) -> float:
    """The local frame's value at the sampled offset nearest ``offset``."""
    return float(local[column].iloc[int(np.argmin(np.abs(local["offset"] - offset)))])


# The round-off of a difference of L's values at ŷ ± h, about ε·R/h: every value v computed from ŷ
# (ŷ ± h itself, each operation's result, L) is rounded by up to about ε·|v|, which moves L by
# ε·|v|·|∂L/∂v|; R is the largest of those, so at least |L| and |ŷ|·|L′|. Audit pass 40: the
# guide, the caption and the model answer said ε·|L|/h, which is 0 for mean(ŷ − y) at ŷ = y = 5
# (the rounding of ŷ ± h: a central error of 2.3e-02 at h = 1e-14, all round-off) and for
# mean(ŷ − y + 5) at ŷ = 0, y = 5 (the rounding of ŷ − y = −5: the same 2.3e-02).
ROUNDOFF = "ε·R"


def roundoff_scale(graph: list, value: float) -> float:
    """R of ROUNDOFF: the largest |v|·|∂L/∂v| over the graph's nodes that depend on y_pred (those
    with a gradient: y_pred itself and every operation on it, L among them); |L| without a
    graph. Values computed from y_true and constants alone round alike at ŷ + h and ŷ − h."""
    sizes = [abs(value)] + [
        float(np.max(np.abs(np.asarray(n["value"]) * np.asarray(n["grad"]))))
        for n in graph
        if n["grad"] is not None
    ]
    finite = [v for v in sizes if math.isfinite(v)]
    return max(finite, default=0.0)


@_overflow_is_a_result
def _sweep(loss: CompiledLoss, config: Config, point: dict, breaks: list):
    """|estimate - exact| over H_GRID, and the theory guides (one row per step)."""
    y, t = config.y_pred, np.full((H_GRID.size, 1), config.y_true)
    at = loss.batch(np.full((1, 1), y), t[:1], grad=False)[0][0]
    plus = loss.batch(y + H_GRID[:, None], t, grad=False)[0]
    minus = loss.batch(y - H_GRID[:, None], t, grad=False)[0]
    estimates = {METHODS[1]: (plus - at) / H_GRID, METHODS[2]: (plus - minus) / (2.0 * H_GRID)}
    sweep = pd.concat(
        [
            pd.DataFrame({"h": H_GRID, "method": m, "error": np.abs(e - point["exact"])})
            for m, e in estimates.items()
        ],
        ignore_index=True,
    )
    # L'' and L''' from central differences of the exact gradient (accurate to ~1e-6 here),
    # only when no branch switch lies within DELTA (the differences would straddle it)
    clear = min((b["near"] for b in breaks), default=np.inf)
    delta = DELTA
    yt = np.full((3, 1), config.y_true)
    _, g = loss.batch(config.y_pred + np.array([[-delta], [0.0], [delta]]), yt)
    second = float((g[2, 0] - g[0, 0]) / (2 * delta))
    third = float((g[2, 0] - 2 * g[1, 0] + g[0, 0]) / delta**2)
    if not clear > 1.5 * delta:
        second = third = np.nan
    smooth = clear > H_GRID  # steps that do not reach the nearest switch
    scale = max(1.0, abs(point["exact"]))
    curved = smooth & (abs(second) > NEGLIGIBLE * scale)  # no guide for an estimate of ~0
    skewed = smooth & (abs(third) > NEGLIGIBLE * max(scale, abs(second)))
    guides = pd.concat(
        [
            pd.DataFrame(
                {
                    "h": H_GRID[curved],
                    "guide": "slope 1: h·|L″|/2",
                    "error": H_GRID[curved] * abs(second) / 2,
                }
            ),
            pd.DataFrame(
                {
                    "h": H_GRID[skewed],
                    "guide": "slope 2: h²·|L‴|/6",
                    "error": H_GRID[skewed] ** 2 * abs(third) / 6,
                }
            ),
            pd.DataFrame(
                {
                    "h": H_GRID,
                    "guide": f"round-off: {ROUNDOFF}/h",
                    "error": EPS * max(point["roundoff"], EPS) / H_GRID,
                }
            ),
        ],
        ignore_index=True,
    )
    return sweep, guides, {"second": second, "third": third}


def central_errors(sweep: pd.DataFrame) -> pd.Series:
    """The central difference's errors indexed by h (largest first), finite ones only."""
    rows = sweep[sweep["method"] == METHODS[2]]
    errors = rows.set_index("h")["error"]
    return errors[np.isfinite(errors)]


def _training_data(config: Config) -> pd.DataFrame:
    rng = np.random.default_rng(config.seed)
    n_out = N_POINTS // 10
    if config.data == "regression":
        x = rng.uniform(-2.0, 2.0, N_POINTS)
        y = CLEAN_SLOPE * x + CLEAN_INTERCEPT + 0.3 * rng.standard_normal(N_POINTS)
        idx = np.argsort(x)[-n_out:]  # the points at the right end fall far below the line
        shift = np.zeros(N_POINTS)
        shift[idx] = -8.0
    else:
        y = (np.arange(N_POINTS) % 2).astype(float)
        x = np.where(y == 1, 1.2, -1.2) + 0.8 * rng.standard_normal(N_POINTS)
        idx = np.flatnonzero(y == 1)[:n_out]  # a few positives sit far on the negative side
        shift = np.zeros(N_POINTS)
        shift[idx] = -4.0 - x[idx]
    kind = np.full(N_POINTS, "inlier", dtype=object)
    if config.outliers:
        if config.data == "regression":
            y = y + shift
        else:
            x = x + shift
        kind[idx] = "outlier"
    return pd.DataFrame({"x": x, "y": y, "kind": kind})


def _fit(config: Config, data: pd.DataFrame, value_and_grad) -> tuple[dict, dict]:
    """Adam on y_hat = w x + b (core.mlp with one linear layer) with a loss's gradient."""
    params = mlp.init_params((1, 1), init="xavier", seed=config.seed)
    X, y = data[["x"]].to_numpy(), data["y"].to_numpy()
    opt = optim.adam(config.learning_rate)
    state = opt.init(params)
    summary = {"steps": config.steps, "loss": np.nan, "stopped_reason": ""}
    for step in range(config.steps + 1):
        logits, cache = mlp.forward(params, X, activation="linear")
        try:
            summary["loss"], g = value_and_grad(logits[:, 0], y)
        except EvaluationError as err:
            return params, summary | {"steps": step, "stopped_reason": f"step {step}: {err}"}
        if step == config.steps:  # the last pass only measures the final loss
            break
        updates, state = opt.update(mlp.backward(params, cache, g[:, None]), state, params)
        params = optim.apply_updates(params, updates)
        if not all(np.all(np.isfinite(v)) for v in params.values()):
            return params, summary | {"steps": step, "stopped_reason": f"diverged at step {step}"}
    return params, summary


def reference_loss(config: Config):
    """The library loss the typed one is trained against: mse, or bce_with_logits."""
    return LOSSES["mse" if config.data == "regression" else "bce_with_logits"]


@_overflow_is_a_result
def _train(loss: CompiledLoss, config: Config, data: pd.DataFrame):
    reference = reference_loss(config)
    models = {
        "your loss": loss.value_and_grad,
        reference.name: lambda p, t: (reference.fn(p, t), reference.grad(p, t)),
    }
    grid = np.linspace(data["x"].min(), data["x"].max(), 100)
    fits, rows = [], []
    for name, value_and_grad in models.items():
        params, summary = _fit(config, data, value_and_grad)
        w, b = float(params["W1"][0, 0]), float(params["b1"][0])
        y_hat = w * grid + b
        if config.data == "classification":
            y_hat = sigmoid(y_hat)  # logits are drawn as probabilities of class 1
        fits.append(pd.DataFrame({"x": grid, "model": name, "y_hat": y_hat}))
        rows.append({"model": name, "w": w, "b": b, **summary})
    return pd.concat(fits, ignore_index=True), pd.DataFrame(rows)


PROPORTIONAL = 1e-9  # relative tolerance of "your gradient is c times the reference's"


def _probes(loss: CompiledLoss, config: Config, data: pd.DataFrame) -> pd.DataFrame:
    """Both losses (and whether their gradients are proportional) at PROBES on the data."""
    reference = reference_loss(config)
    x, y = data["x"].to_numpy(), data["y"].to_numpy()
    rows = []
    for w, b in PROBES:
        p = w * x + b
        ref, ref_grad = float(reference.fn(p, y)), reference.grad(p, y)
        try:
            yours, grad = loss.value_and_grad(p, y)
        except EvaluationError:
            yours, grad = np.nan, np.full_like(p, np.nan)
        ratio = yours / ref if ref != 0 else np.nan
        gap = np.max(np.abs(grad - ratio * ref_grad)) if np.isfinite(ratio) else np.nan
        scale = max(np.max(np.abs(grad)), np.max(np.abs(ratio * ref_grad)), 1e-300)
        proportional = bool(np.isfinite(gap) and gap <= PROPORTIONAL * scale)
        rows.append(
            {"w": w, "b": b, "yours": yours, "reference": ref, "grad_proportional": proportional}
        )
    return pd.DataFrame(rows)


def _gradcheck(config: Config) -> tuple[pd.DataFrame, dict]:
    """Backprop (core.mlp) against central differences, one relative error per weight tensor."""
    params, X, y = check_problem(config)
    mse = LOSSES["mse"]

    def loss_at(p):
        return mse.fn(mlp.forward(p, X, activation=config.activation)[0], y)

    logits, cache = mlp.forward(params, X, activation=config.activation)
    analytic = mlp.backward(params, cache, mse.grad(logits, y))
    rows = []
    for key, value in params.items():
        numeric = numerical_grad(
            lambda v, key=key: loss_at({**params, key: v}), value, h=CHECK_STEP
        )
        err = rel_error(analytic[key], numeric)
        verdict = VERDICTS[0] if err < GOOD else VERDICTS[2] if err > WRONG else VERDICTS[1]
        rows.append(
            {"tensor": key, "shape": str(value.shape), "rel_error": err, "verdict": verdict}
        )
    hidden = [layer.act.z for layer in cache.layers if layer.act is not None]
    kink = {
        "min_abs_z": float(np.min(np.abs(hidden[0]))),
        "min_abs_z_all": float(min(np.min(np.abs(z)) for z in hidden)),
        "on_kink": config.on_kink,
    }
    return pd.DataFrame(rows), kink


def check_problem(config: Config) -> tuple[dict, np.ndarray, np.ndarray]:
    """The 3-4-4-1 network's weights, its 4 inputs and targets, as the gradient check sees them."""
    rng = np.random.default_rng(config.seed)
    X, y = rng.standard_normal((4, CHECK_SIZES[0])), rng.standard_normal((4, 1))
    params = mlp.init_params(CHECK_SIZES, init="he", seed=config.seed)
    # Small random biases: with zero biases, an example whose first-layer units are all dead
    # gives second-layer pre-activations of exactly 0, on the kink (a real trap of gradient checks).
    for k in range(1, len(CHECK_SIZES)):
        params[f"b{k}"] = 0.1 * rng.standard_normal(CHECK_SIZES[k])
    if config.on_kink:
        # The same product the forward pass computes, so z[0, 0] = v + (-v) is exactly 0.
        params["b1"][0] = -(X @ params["W1"])[0, 0]
    return params, X, y


def run(config: Config) -> Result:
    """Differentiate the typed loss, sweep the finite-difference step, train with it, check a net."""
    loss = config.loss()
    point, graph = _point(loss, config)
    curve, undefined = _curve(loss, config)
    local, switches = _local(loss, config)
    breaks = _breakpoints(local["offset"].to_numpy(), switches)
    one_sided = {
        "left": _at(local, -ONE_SIDE, "grad"),
        "right": _at(local, ONE_SIDE, "grad"),
        # L's exact one-sided derivatives at y_pred (directional derivatives along the parse
        # tree), or None where they cannot be had (an infinite slope, an undefined point)
        "limits": loss.one_sided(config.y_pred, config.y_true),
    }
    floor = EPS * abs(point["exact"]) if not point["error"] else np.nan
    if point["error"]:
        sweep = pd.DataFrame(columns=["h", "method", "error"], dtype=float)
        guides = pd.DataFrame(columns=["h", "guide", "error"], dtype=float)
        derivatives, shape, best = {"second": np.nan, "third": np.nan}, "", {}
    else:
        sweep, guides, derivatives = _sweep(loss, config, point, breaks)
        central = central_errors(sweep)
        floor = max(floor, np.finfo(np.float64).tiny)
        shape = read_shape(central.to_numpy(), floor) if len(central) >= 3 else ""
        # over finite errors only: an overflowing estimate is missing from the chart and called
        # undefined, so it is no "smallest error" (a sweep that overflows at every step has none)
        finite = sweep[np.isfinite(sweep["error"].to_numpy(dtype=float))]
        best = {
            m: tuple(sweep.loc[g["error"].idxmin(), ["h", "error"]])
            for m, g in finite.groupby("method")
        }
    data = _training_data(config)
    fits, fit_summary = _train(loss, config, data)
    probes = _probes(loss, config, data)
    gradcheck, kink = _gradcheck(config)
    # Overflowing estimates (a huge loss over a tiny h) are flagged as missing, not drawn as inf.
    curve, sweep, guides, fits, fit_summary, local = (
        frame.replace([np.inf, -np.inf], np.nan)
        for frame in (curve, sweep, guides, fits, fit_summary, local)
    )
    curve = curve.dropna(ignore_index=True)
    return Result(
        latex=loss.latex,
        point=point,
        graph=graph,
        curve=curve,
        curve_undefined=undefined,
        local=local,
        sweep=sweep,
        guides=guides,
        best=best,
        shape=shape,
        floor=floor,
        derivatives=derivatives,
        breakpoints=breaks,
        one_sided=one_sided,
        data=data,
        fits=fits,
        fit_summary=fit_summary,
        probes=probes,
        gradcheck=gradcheck,
        kink=kink,
    )
