"""Exact reverse-mode derivatives of a typed loss against finite differences, and gradient checking."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import mlp, optim
from core.activations import sigmoid
from core.autodiff import CompiledLoss, EvaluationError, compile_loss
from core.experiments.budget import check_budget
from core.gradcheck import numerical_grad, rel_error
from core.losses import LOSSES
from core.validation import check_choice, check_int, check_number

# name -> (expression, the data it is meant for)
PRESETS = {
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
METHODS = ("exact (autodiff)", "forward difference", "central difference")
SHAPES = ("keeps shrinking", "shrinks, then grows", "only grows")
H_GRID = np.logspace(-1, -14, 53)  # four steps per decade
CURVE_RANGE = (-5.0, 5.0)
GOOD, WRONG = 1e-7, 1e-2  # the usual gradient-check thresholds on the relative error
VERDICTS = ("correct (< 1e-7)", "suspicious (1e-7 to 1e-2)", "wrong (> 1e-2)")
EPS = float(np.finfo(np.float64).eps)
N_POINTS = 60
CHECK_SIZES = (3, 4, 4, 1)
# Seconds on the lab's machine: every training step evaluates and differentiates the typed loss's
# graph on N_POINTS examples (the cost grows with its nodes: a leaf, an operator, a function call)
# and steps the reference loss and Adam; the panels cost a few dozen graph evaluations more.
SECONDS_BASE, SECONDS_PER_STEP, PANEL_EVALUATIONS = 0.06, 3e-4, 20
SECONDS_PER_NODE = {"leaf": 1.2e-5, "operator": 1.8e-5, "function": 5.2e-5}
_OPERATORS = {"+", "-", "*", "/", "**", "neg"}


@dataclass(frozen=True)
class Config:
    """One run of the autodiff lesson.

    The typed loss is evaluated at the single example (``y_pred``, ``y_true``), its exact
    derivative compared with finite differences of step ``h``; a linear model is trained with it
    on ``data`` (with ``outliers`` or not); an MLP with ``activation`` is gradient-checked.
    """

    expression: str = PRESETS["log-cosh"][0]
    delta: float = 1.0
    tau: float = 0.5
    gamma: float = 2.0
    y_pred: float = 1.5
    y_true: float = 0.0
    h: float = 1e-5
    data: str = "regression"
    outliers: bool = True
    learning_rate: float = 0.1
    steps: int = 300
    activation: str = "relu"
    on_kink: bool = False
    seed: int = 0

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "delta", check_number("delta", self.delta, 0.01, 10.0))
        set_(self, "tau", check_number("tau", self.tau, 0.01, 0.99))
        set_(self, "gamma", check_number("gamma", self.gamma, 0.0, 5.0))
        set_(self, "y_pred", check_number("y_pred", self.y_pred, -10.0, 10.0))
        set_(self, "y_true", check_number("y_true", self.y_true, -10.0, 10.0))
        set_(self, "h", check_number("h", self.h, 1e-16, 1.0))
        set_(self, "data", check_choice("data", self.data, DATA))
        set_(self, "learning_rate", check_number("learning_rate", self.learning_rate, 1e-4, 1.0))
        set_(self, "steps", check_int("steps", self.steps, 1, 3000))
        set_(self, "activation", check_choice("activation", self.activation, CHECK_ACTIVATIONS))
        set_(self, "seed", check_int("seed", self.seed, 0, 2**31 - 1))
        for name in ("outliers", "on_kink"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise ValueError(f"'{name}' must be True or False; got {getattr(self, name)!r}.")
            set_(self, name, bool(getattr(self, name)))
        self.loss()  # an ExpressionError (a ValueError) names the problem and its column
        check_budget(estimated_seconds(self), ("Steps",), also=", or shorten your loss")

    def loss(self) -> CompiledLoss:
        constants = {"delta": self.delta, "tau": self.tau, "gamma": self.gamma}
        return compile_loss(self.expression, constants=constants)


def _graph_seconds(tree) -> float:
    """Seconds of one forward and backward pass through the loss's graph, node by node."""
    if tree.op in ("num", "name"):
        kind = "leaf"
    else:
        kind = "operator" if tree.op in _OPERATORS else "function"
    return SECONDS_PER_NODE[kind] + sum(_graph_seconds(a) for a in tree.args)


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: ``steps`` passes through the typed loss."""
    per_step = SECONDS_PER_STEP + _graph_seconds(config.loss().tree)
    return SECONDS_BASE + (config.steps + PANEL_EVALUATIONS) * per_step


@dataclass(frozen=True)
class Result:
    """What the page draws.

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
        Number of grid points (of 201) where the loss or its gradient is not finite.
    sweep : DataFrame
        h, method, error: |estimate - exact| for h from 1e-1 to 1e-14.
    guides : DataFrame
        h, guide, error: truncation h|L''|/2 (slope 1), h^2|L'''|/6 (slope 2), round-off eps|L|/h.
    best : dict
        method -> (h, error) at the smallest measured error.
    shape : str
        How the central error behaves as h shrinks, one of SHAPES ("" if the point is undefined).
    derivatives : dict
        second, third: L'' and L''' at the point (central differences of the exact gradient).
    data, fits, fit_summary : DataFrame
        Training points (x, y, kind); fitted curves (x, model, y_hat); per model w, b, loss,
        steps, stopped_reason.
    gradcheck : DataFrame
        tensor, shape, rel_error, verdict: backprop against central differences per tensor.
    kink : dict
        min_abs_z (smallest |pre-activation| of the first hidden layer) and on_kink.
    """

    latex: str
    point: dict
    graph: list
    curve: pd.DataFrame
    curve_undefined: int
    sweep: pd.DataFrame
    guides: pd.DataFrame
    best: dict
    shape: str
    derivatives: dict
    data: pd.DataFrame
    fits: pd.DataFrame
    fit_summary: pd.DataFrame
    gradcheck: pd.DataFrame
    kink: dict


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


def _point(loss: CompiledLoss, config: Config) -> tuple[dict, list]:
    yp, yt = np.array([config.y_pred]), np.array([config.y_true])
    point = dict.fromkeys(("value", "exact", "forward", "central"), np.nan)
    point.update(h=config.h, error="")
    try:
        value, grad = loss.value_and_grad(yp, yt)
        graph = loss.graph(yp, yt)
    except EvaluationError as err:
        point["error"] = str(err)
        return point | {"forward_error": np.nan, "central_error": np.nan}, []
    forward, central = _finite_differences(loss, config.y_pred, config.y_true, config.h)
    exact = float(grad[0])
    point.update(value=value, exact=exact, forward=forward, central=central)
    point.update(forward_error=abs(forward - exact), central_error=abs(central - exact))
    return point, graph


# Estimates from values near the float64 limit may overflow: they become NaN rows, not warnings.
_overflow_is_a_result = np.errstate(over="ignore", invalid="ignore")


@_overflow_is_a_result
def _curve(loss: CompiledLoss, config: Config) -> tuple[pd.DataFrame, int]:
    """The exact derivative and both estimates on a grid of y_pred, vectorized as rows."""
    y = np.linspace(*CURVE_RANGE, 201)[:, None]
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


@_overflow_is_a_result
def _sweep(loss: CompiledLoss, config: Config, point: dict):
    """|estimate - exact| over H_GRID, every step at once (one row per step, NaN if undefined)."""
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
    # L'' and L''' from central differences of the exact gradient (accurate to ~1e-6 here)
    delta = 1e-3
    yt = np.full((3, 1), config.y_true)
    _, g = loss.batch(config.y_pred + np.array([[-delta], [0.0], [delta]]), yt)
    second = float((g[2, 0] - g[0, 0]) / (2 * delta))
    third = float((g[2, 0] - 2 * g[1, 0] + g[0, 0]) / delta**2)
    guides = pd.concat(
        [
            pd.DataFrame(
                {"h": H_GRID, "guide": "slope 1: h·|L″|/2", "error": H_GRID * abs(second) / 2}
            ),
            pd.DataFrame(
                {"h": H_GRID, "guide": "slope 2: h²·|L‴|/6", "error": H_GRID**2 * abs(third) / 6}
            ),
            pd.DataFrame(
                {
                    "h": H_GRID,
                    "guide": "round-off: ε·|L|/h",
                    "error": EPS * max(abs(point["value"]), EPS) / H_GRID,
                }
            ),
        ],
        ignore_index=True,
    )
    return sweep, guides, {"second": second, "third": third}


def _shape(sweep: pd.DataFrame) -> str:
    """Read the central-difference error curve as h shrinks (H_GRID runs from large to small)."""
    err = sweep.loc[sweep["method"] == METHODS[2], "error"].to_numpy()
    err = np.where(np.isfinite(err), np.maximum(err, 1e-300), np.inf)
    lowest = int(np.argmin(err))
    if lowest >= len(err) - 2:
        return SHAPES[0]
    if err[0] <= 10.0 * err[lowest]:
        return SHAPES[2]
    return SHAPES[1]


def _training_data(config: Config) -> pd.DataFrame:
    rng = np.random.default_rng(config.seed)
    n_out = N_POINTS // 10
    if config.data == "regression":
        x = rng.uniform(-2.0, 2.0, N_POINTS)
        y = 1.5 * x + 0.5 + 0.3 * rng.standard_normal(N_POINTS)
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


@_overflow_is_a_result
def _train(loss: CompiledLoss, config: Config, data: pd.DataFrame):
    reference = LOSSES["mse" if config.data == "regression" else "bce_with_logits"]
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


def _gradcheck(config: Config) -> tuple[pd.DataFrame, dict]:
    """Backprop (core.mlp) against central differences, one relative error per weight tensor."""
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
    mse = LOSSES["mse"]

    def loss_at(p):
        return mse.fn(mlp.forward(p, X, activation=config.activation)[0], y)

    logits, cache = mlp.forward(params, X, activation=config.activation)
    analytic = mlp.backward(params, cache, mse.grad(logits, y))
    rows = []
    for key, value in params.items():
        numeric = numerical_grad(lambda v, key=key: loss_at({**params, key: v}), value)
        err = rel_error(analytic[key], numeric)
        verdict = VERDICTS[0] if err < GOOD else VERDICTS[2] if err > WRONG else VERDICTS[1]
        rows.append(
            {"tensor": key, "shape": str(value.shape), "rel_error": err, "verdict": verdict}
        )
    z1 = X @ params["W1"] + params["b1"]
    return pd.DataFrame(rows), {"min_abs_z": float(np.min(np.abs(z1))), "on_kink": config.on_kink}


def run(config: Config) -> Result:
    """Differentiate the typed loss, sweep the finite-difference step, train with it, check a net."""
    loss = config.loss()
    point, graph = _point(loss, config)
    curve, undefined = _curve(loss, config)
    if point["error"]:
        sweep = pd.DataFrame(columns=["h", "method", "error"], dtype=float)
        guides = pd.DataFrame(columns=["h", "guide", "error"], dtype=float)
        derivatives, shape, best = {"second": np.nan, "third": np.nan}, "", {}
    else:
        sweep, guides, derivatives = _sweep(loss, config, point)
        shape = _shape(sweep)
        best = {
            m: tuple(sweep.loc[g["error"].idxmin(), ["h", "error"]])
            for m, g in sweep.dropna().groupby("method")
        }
    data = _training_data(config)
    fits, fit_summary = _train(loss, config, data)
    gradcheck, kink = _gradcheck(config)
    # Overflowing estimates (a huge loss over a tiny h) are flagged as missing, not drawn as inf.
    curve, sweep, guides, fits, fit_summary = (
        frame.replace([np.inf, -np.inf], np.nan)
        for frame in (curve, sweep, guides, fits, fit_summary)
    )
    curve = curve.dropna(ignore_index=True)
    return Result(
        latex=loss.latex,
        point=point,
        graph=graph,
        curve=curve,
        curve_undefined=undefined,
        sweep=sweep,
        guides=guides,
        best=best,
        shape=shape,
        derivatives=derivatives,
        data=data,
        fits=fits,
        fit_summary=fit_summary,
        gradcheck=gradcheck,
        kink=kink,
    )
