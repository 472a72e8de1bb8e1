"""Vanishing and exploding gradients: backprop multiplies one factor per layer, so depth scales the signal geometrically."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from core import mlp, optim
from core.activations import ACTIVATIONS
from core.config import Settings, choice, flag, integer, number, param_of
from core.data import make_classification_2d
from core.experiments.budget import check_budget
from core.losses import LOSSES
from core.train import fit

ACTIVATION_NAMES = tuple(ACTIVATIONS)
INITS = mlp.INITS
DATASETS = ("moons", "circles", "xor")
WIDTHS = (4, 8, 16, 32, 64)
N_SAMPLES = 200  # 140 training rows: 4 mini-batches of 35 (batch norm needs >= 2 per batch)
BATCH_SIZE = 35
N_TRAIN = 140  # the 70 % training split of N_SAMPLES
SWEEP_DEPTHS = (1, 2, 5, 10, 20, 30, 40, 50)
SWEEP_ROWS = 64  # the depth sweep measures gradients on the first 64 training points


def sweep_step_words() -> str:
    """The depth sweep's step, as the chart's caption and the sweep sentence name it: a batch of
    the first SWEEP_ROWS training points, not the full batch of all N_TRAIN (audit pass 59 e:
    both said "a full-batch step on the first 64 training points", of 140)."""
    return (
        f"a gradient step on one fixed batch, the first {SWEEP_ROWS} of the {N_TRAIN} training "
        "points,"
    )


# The two regimes of the clipping experiment: fixed nets, so the demonstration does not depend
# on the settings above it. A ReLU net with N(0, 0.6^2) weights at width 16 multiplies the
# signal by about 0.6 * sqrt(16 / 2) = 1.7 per layer (He init would be sqrt(2 / 16) = 0.35).
REGIME_DEPTH, REGIME_WIDTH, REGIME_EPOCHS = 10, 16, 20
REGIMES = {
    "exploding": {"activation": "relu", "init": "normal", "sigma": 0.6},
    "vanishing": {"activation": "sigmoid", "init": "xavier", "sigma": 0.01},
}
SIGMOID_POINTS = (0.0, 2.0, 5.0, 10.0, 20.0)
# Seconds on the lab's machine (bench/budget.py): the regimes and depth sweep (SECONDS_BASE), then
# per hidden layer and epoch (4 updates and one diagnostic pass) a fixed part and a width^2 part;
# batch norm multiplies it by about 2.5.
SECONDS_BASE = 0.25
SECONDS_PER_LAYER_EPOCH, SECONDS_PER_LAYER_EPOCH_PER_WEIGHT = 6e-4, 2.5e-7
BATCH_NORM_FACTOR = 2.5


PREDICTIONS = (
    "over 1,000× smaller",
    "10× to 1,000× smaller",
    "within a factor of 10",
    "over 10× larger",
)


def gradient_regime(first_last_ratio: float) -> str | None:
    """Which of :data:`PREDICTIONS` a ratio ||dL/dW1|| / ||dL/dWL|| falls in.

    None when the ratio is undefined (NaN: both gradients zero or not finite).
    """
    if math.isnan(first_last_ratio):
        return None
    if first_last_ratio > 10.0:
        return PREDICTIONS[3]
    if first_last_ratio < 1e-3:
        return PREDICTIONS[0]
    if first_last_ratio < 0.1:
        return PREDICTIONS[1]
    return PREDICTIONS[2]


@dataclass(frozen=True)
class Config(Settings):
    """A deep, narrow classifier trained by plain SGD, its gradients measured layer by layer.

    The network has ``depth`` hidden layers of ``width`` units and one logit, trained on a 2-D
    dataset (140 training points, mini-batches of 35) with binary cross-entropy. Plain SGD keeps
    each layer's step proportional to its gradient, so a vanished gradient means a frozen layer.
    """

    depth: int = integer(10, 1, 50)
    width: int = integer(16, 4, 64, grid=WIDTHS)
    activation: str = choice("sigmoid", ACTIVATION_NAMES)
    init: str = choice("xavier", INITS)
    sigma: float = number(1.0, 0.001, 10.0, log=True)
    batch_norm: bool = flag(False)
    clip: bool = flag(False)
    max_norm: float = number(1.0, 0.01, 100.0, log=True)
    learning_rate: float = number(0.1, 0.001, 3.0, log=True)
    epochs: int = integer(20, 1, 150)
    dataset: str = choice("moons", DATASETS)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        # only the moves that bring the run within the budget alone ("Lower 'Epochs', 'Hidden
        # layers' or 'Units per hidden layer', or turn 'Batch normalization' off" at depth 50,
        # width 64, 150 epochs, batch norm: width 4 alone leaves 11.6 s, batch norm off alone
        # 12.4 s; audit pass 51 d)
        check_budget(
            estimated_seconds(self),
            ("epochs", "depth", "width"),
            config=self,
            estimate=estimated_seconds,
            moves={"turn 'batch_norm' off": {"batch_norm": False}} if self.batch_norm else None,
        )


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: hidden layers x epochs of the training run."""
    per_layer_epoch = SECONDS_PER_LAYER_EPOCH + SECONDS_PER_LAYER_EPOCH_PER_WEIGHT * config.width**2
    if config.batch_norm:
        per_layer_epoch *= BATCH_NORM_FACTOR
    return SECONDS_BASE + config.depth * config.epochs * per_layer_epoch


@dataclass(frozen=True)
class Result:
    """What the page draws; every table is tidy and finite (non-finite values become NaN).

    Attributes
    ----------
    at_init : DataFrame
        One row per dense layer at initialization: layer (1 = next to the input), grad_norm
        ||dL/dWk||, weight_norm, act_mean, act_std, saturated, dead (``core.mlp.layer_statistics``),
        grad_norm_reordered (the same norm over the same training points in reverse order:
        where it differs, the norm is float64 round-off), relative = grad_norm / grad_norm of
        the output layer, and derivative_bound =
        max f'^(L - k) (0.25^(L - k) for sigmoid): what the activation derivatives alone allow.
    layers : DataFrame
        ``History.layers`` of the training run: epoch, layer and the same statistics, plus
        update_ratio ||delta Wk|| / ||Wk|| per SGD step.
    curves : DataFrame
        epoch, train_loss, train_accuracy, test_loss, test_accuracy of the training run.
    depth_sweep : DataFrame
        setting, depth, first_grad, last_grad, relative (first / last) and first_speed, the
        relative step of the first layer eta * ||dL/dW1|| / ||W1||, at initialization;
        first_speed_reordered, the same over the same rows in reverse order (where it differs,
        float64 round-off sets first_speed's digits).
    regimes : DataFrame
        regime (exploding / vanishing), clipping (off / on), epoch, train_loss (epoch 0: the
        whole training set's; then the mean of the epoch's ``batches`` mini-batch losses),
        batches and stopped (the last epoch of a diverged run: its mean runs up to the mini-batch
        whose loss exploded, and that update was not applied).
    regime_grads : DataFrame
        regime, layer, clipping (off / on), grad_norm at initialization before and after
        clipping the global norm (over all parameters, biases included) to ``max_norm``.
    regime_summary : DataFrame
        regime, clipping, diverged, stopped_reason, updates, start_loss, final_loss,
        final_accuracy (training accuracy), grad_norm (global, at initialization),
        first_layer_change (relative change of W1).
    sigmoid_derivative : DataFrame
        x, derivative: sigma'(x) on [0, 25], for a log-scale chart.
    sigmoid_at : dict
        {x: sigma'(x)} for x in SIGMOID_POINTS, computed by ``core.activations``.
    summary : dict
        diverged, stopped_reason, updates, least_rate_diverges (a run that diverged: the same
        run at the learning-rate slider's least diverges too, within its epochs),
        clipping_remedy (a run that diverged: :func:`clipping_remedy`, else None),
        least_sigma_diverges (a run from N(0, σ²) weights that diverged: the same run at the σ
        slider's least diverges too),
        first_last_ratio, first_grad_norm and last_grad_norm
        (||dL/dW1|| and ||dL/dWL|| at initialization), global_grad_norm (of all weight matrices
        on the whole training set, at initialization), gradients_zero (every layer's is exactly
        0), gradients_finite, per_layer_factor (geometric mean of the layer-to-layer gradient
        ratio over the hidden layers), saturated (mean share of saturated (unit, example) pairs
        over the hidden layers at initialization), signal_factor (geometric mean of the hidden
        layers' output std ratio, layer to layer, at initialization), first_batch_grad_norm (the
        global norm of the first mini-batch's gradient, all parameters),
        first_batch_grad_norm_reordered (the same over its points in reverse order, NaN where
        the batch cannot be rebuilt), first_step (the length
        of the first SGD step, ||delta theta||, after clipping), start and final loss and
        accuracy, first_layer_change and last_layer_change (relative change of W1 and WL over
        training).
    """

    at_init: pd.DataFrame
    layers: pd.DataFrame
    curves: pd.DataFrame
    depth_sweep: pd.DataFrame
    regimes: pd.DataFrame
    regime_grads: pd.DataFrame
    regime_summary: pd.DataFrame
    sigmoid_derivative: pd.DataFrame
    sigmoid_at: dict
    summary: dict


def _finite(frame: pd.DataFrame) -> pd.DataFrame:
    """Infinite values (an exploding run) as NaN: charts and CSVs cannot hold inf."""
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind == "f" and np.isinf(column.to_numpy()).any():
            frame[name] = column.where(np.isfinite(column.to_numpy()))
    return frame


def _relative_change(before: np.ndarray, after: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        change = float(np.linalg.norm(after - before) / np.linalg.norm(before))
    return change if math.isfinite(change) else math.nan


def _params(sizes, *, init, sigma, seed, batch_norm=False, activation=None):
    """The starting parameters. PReLU gets its learned slope ``a{k}`` per hidden layer (starting
    at 0.25, PyTorch's default), trained with the weights: without it the page's "PReLU" was a
    leaky ReLU of fixed slope 0.25 (audit pass 46)."""
    return mlp.init_params(
        sizes,
        init=init,
        sigma=sigma,
        seed=seed,
        batch_norm=batch_norm,
        learn_prelu=activation == "prelu",
    )


def diagnose_at_init(params, X, y, *, activation: str) -> pd.DataFrame:
    """Per-layer statistics of one forward and backward pass over (X, y) at these parameters.

    Uses batch statistics when the network has batch norm (as training does). Returns a frame
    with the columns of ``core.mlp.LAYER_STAT_COLUMNS``.
    """
    bn = mlp.has_batch_norm(params)
    with np.errstate(all="ignore"):
        logits, cache = mlp.forward(params, X, activation=activation, train=bn)
        grads = mlp.backward(params, cache, LOSSES["bce_with_logits"].grad(logits, y))
    rows = mlp.layer_statistics(params, cache, grads)
    frame = pd.DataFrame(rows, columns=list(mlp.LAYER_STAT_COLUMNS))
    # ||dL/dWk||_F without the squares' underflow: sqrt(sum g^2) is 0 once every entry is below
    # about 1.5e-162, though the gradient is not (leaky ReLU, N(0, 0.001^2), depth 50, width 4,
    # moons, seed 2: dL/dW1 has 8 entries up to 7.1e-163, and the page said "the first and the
    # last weight matrices' gradients at initialization are both exactly 0"; audit pass 59 e)
    frame["grad_norm"] = [frobenius(grads[f"W{k}"]) for k in frame["layer"]]
    # the outputs' spread likewise (the same net's layer 50 printed "std 2.22e-162", the square
    # root of the smallest subnormal, for outputs whose spread is 1.3e-162)
    hidden = frame["layer"] < len(frame)
    frame.loc[hidden, "act_std"] = [
        spread(cache.layers[k].dense.x) for k in frame.loc[hidden, "layer"]
    ]
    return frame


def _with_init(layers: pd.DataFrame, at_init: pd.DataFrame) -> pd.DataFrame:
    """The training history's per-layer rows, its epoch 0 (the initial weights on the whole
    training set) holding the at-initialization norms and spreads as the bars print them:
    computed by :func:`frobenius` and :func:`spread`, not from the squares, which underflow."""
    layers = layers.copy()
    zero = layers.index[layers["epoch"] == 0]
    by_layer = at_init.set_index("layer")
    for column in ("grad_norm", "act_std"):
        layers.loc[zero, column] = by_layer.loc[layers.loc[zero, "layer"], column].to_numpy()
    return layers


def spread(h) -> float:
    """The standard deviation of ``h``'s entries, scaled by the largest |deviation| so that the
    squares' underflow does not change it (0 only where every entry is the same)."""
    h = np.asarray(h, dtype=float)
    with np.errstate(all="ignore"):
        d = h - h.mean()
        m = float(np.max(np.abs(d))) if d.size else 0.0
        if m == 0.0 or not math.isfinite(m):
            return float(h.std())
        return m * float((d / m).std())


def frobenius(a) -> float:
    """||a||_F, scaled by the largest |entry| so that neither the squares' underflow (entries
    below about 1.5e-162) nor their overflow (above about 1.3e154) changes it: 0 only where
    every entry is 0, and not finite only where an entry is not."""
    a = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        m = float(np.max(np.abs(a))) if a.size else 0.0
        if m == 0.0 or not math.isfinite(m):
            return float(np.sqrt(np.vdot(a, a)))
        scaled = a / m
        return m * float(np.sqrt(np.vdot(scaled, scaled)))


def _optimizer(learning_rate: float, max_norm: float | None):
    sgd = optim.sgd(learning_rate)
    return sgd if max_norm is None else optim.chain(optim.clip_by_global_norm(max_norm), sgd)


def _train(params, ds, *, activation, learning_rate, max_norm, epochs, seed, diagnostics):
    # The regimes only need the mini-batch losses: no full evaluation pass per epoch.
    return fit(
        params,
        ds.X_train,
        ds.y_train,
        X_test=ds.X_test,
        y_test=ds.y_test,
        loss="bce_with_logits",
        optimizer=_optimizer(learning_rate, max_norm),
        activation=activation,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        seed=seed,
        diagnostics=diagnostics,
        eval_every=1 if diagnostics else None,
    )


def _at_init(config: Config, params, ds) -> pd.DataFrame:
    frame = diagnose_at_init(params, ds.X_train, ds.y_train[:, None], activation=config.activation)
    # The same gradients over the same points in reverse order: only float64's rounding differs,
    # so a norm that changes is round-off (sigmoid + batch norm, σ = 0.001, depth 50: layers 27
    # to 50 change by up to 68 % while ‖∂L/∂W₁‖ and the output layer's agree to 1e-15)
    reordered = diagnose_at_init(
        params, ds.X_train[::-1], ds.y_train[::-1, None], activation=config.activation
    )
    frame["grad_norm_reordered"] = reordered["grad_norm"].to_numpy()
    L = len(frame)
    peak = mlp.peak_derivative(config.activation)
    with np.errstate(all="ignore"):
        frame["relative"] = frame["grad_norm"] / frame["grad_norm"].iloc[-1]
        frame["derivative_bound"] = peak ** (L - frame["layer"].to_numpy(dtype=float))
    return frame


def _depth_sweep(config: Config, ds) -> pd.DataFrame:
    mine = (config.activation, config.init, config.batch_norm)
    references = {
        "sigmoid + Xavier": ("sigmoid", "xavier", False),
        "ReLU + He": ("relu", "he", False),
    }
    # A reference equal to this setting would hide under it: keep only the differing ones.
    settings = {"this setting": mine, **{k: v for k, v in references.items() if v != mine}}
    X, y = ds.X_train[:SWEEP_ROWS], ds.y_train[:SWEEP_ROWS, None]
    grad = LOSSES["bce_with_logits"].grad
    rows = []
    for name, (activation, init, bn) in settings.items():
        for depth in SWEEP_DEPTHS:
            sizes = (2, *[config.width] * depth, 1)
            params = _params(
                sizes,
                init=init,
                sigma=config.sigma,
                seed=config.seed,
                batch_norm=bn,
                activation=activation,
            )
            with np.errstate(all="ignore"):
                logits, cache = mlp.forward(params, X, activation=activation, train=bn)
                grads = mlp.backward(params, cache, grad(logits, y))
                # frobenius, not np.linalg.norm, whose squares underflow: sigmoid, N(0, 0.001²),
                # width 4 printed the relative step at 50 hidden layers as "0" (float64's
                # value, "lost to underflow") where ‖∂L/∂W₁‖ = 5.7e-169 and the step 3.0e-167
                # (audit pass 60 f)
                first = frobenius(grads["W1"])
                last = frobenius(grads[f"W{depth + 1}"])
                speed = config.learning_rate * first / frobenius(params["W1"])
                relative = first / last if last > 0 else math.nan
                # the same step over the same rows in reverse order: only float64's rounding
                # differs (linear + batch norm, He, depth 50, width 64, moons, seed 832: 7.6e+05
                # and 7.0e+05; audit pass 44)
                logits, cache = mlp.forward(params, X[::-1], activation=activation, train=bn)
                again = mlp.backward(params, cache, grad(logits, y[::-1]))
                reordered = config.learning_rate * frobenius(again["W1"]) / frobenius(params["W1"])
                rows.append((name, depth, first, last, relative, speed, reordered))
    columns = [
        "setting",
        "depth",
        "first_grad",
        "last_grad",
        "relative",
        "first_speed",
        "first_speed_reordered",
    ]
    return pd.DataFrame(rows, columns=columns)


def _first_batch_reordered(config: Config, params, ds, recorded: float) -> float:
    """The first mini-batch's gradient norm (all parameters, at initialization) over the same
    points in reverse order, or NaN where the batch cannot be rebuilt: ``fit`` walks the epoch's
    permutation from the first of the two generators spawned from ``seed``. Where it differs
    from ``recorded``, float64 round-off sets the recorded norm's digits (linear + batch norm,
    He, depth 50, width 64, moons, seed 832: 2.57e+09, and 2.80e+09 reversed; audit pass 44)."""
    n = len(ds.X_train)
    if not math.isfinite(recorded) or recorded <= 0 or n <= BATCH_SIZE:
        return math.nan
    rows = np.random.default_rng(config.seed).spawn(2)[0].permutation(n)[:BATCH_SIZE]
    grad = LOSSES["bce_with_logits"].grad

    def norm(index) -> float:
        X, y = ds.X_train[index], ds.y_train[index, None]
        with np.errstate(all="ignore"):
            logits, cache = mlp.forward(
                params, X, activation=config.activation, train=config.batch_norm
            )
            grads = mlp.backward(params, cache, grad(logits, y))
            return float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())))

    # the batch rebuilt in its own order must give the recorded norm, else it is not that batch
    if not abs(norm(rows) - recorded) <= 1e-6 * recorded:
        return math.nan
    return norm(rows[::-1])


def _all_parameter_norm(params, ds, spec) -> float:
    """The norm of the whole training set's gradient over all parameters (biases included) at
    ``params``: what clip_grad_norm_ would compare with the max norm for that gradient."""
    with np.errstate(all="ignore"):
        logits, cache = mlp.forward(params, ds.X_train, activation=spec["activation"])
        grads = mlp.backward(
            params, cache, LOSSES["bce_with_logits"].grad(logits, ds.y_train[:, None])
        )
        return float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())))


def _regimes(config: Config):
    """The clipping experiment; it depends on four settings only, so reruns reuse it."""
    frames = _regimes_cached(config.learning_rate, config.max_norm, config.seed, config.dataset)
    return tuple(frame.copy() for frame in frames)


@lru_cache(maxsize=16)
def _regimes_cached(learning_rate: float, max_norm: float, seed: int, dataset: str):
    ds = make_classification_2d(dataset, n_samples=N_SAMPLES, noise=0.2, seed=seed)
    curves, grads, summary = [], [], []
    sizes = (2, *[REGIME_WIDTH] * REGIME_DEPTH, 1)
    y = ds.y_train[:, None]
    for regime, spec in REGIMES.items():
        params = _params(sizes, init=spec["init"], sigma=spec["sigma"], seed=seed)
        stats = diagnose_at_init(params, ds.X_train, y, activation=spec["activation"])
        with np.errstate(all="ignore"):
            total = float(np.sqrt(np.sum(stats["grad_norm"].to_numpy() ** 2)))
            # clip_by_global_norm scales every layer by the same factor (PyTorch's 1e-6 guard),
            # from the norm over all parameters, biases included, as training clips: the
            # weights' norm alone drew the clipped bars 1.13x too tall (seed 1; audit pass 41)
            factor = min(1.0, max_norm / (_all_parameter_norm(params, ds, spec) + 1e-6))
        for clipping, scale in (("off", 1.0), ("on", factor)):
            grads.append(
                pd.DataFrame(
                    {
                        "regime": regime,
                        "layer": stats["layer"],
                        "clipping": clipping,
                        "grad_norm": stats["grad_norm"] * scale,
                    }
                )
            )
            h = _train(
                params,
                ds,
                activation=spec["activation"],
                learning_rate=learning_rate,
                max_norm=max_norm if clipping == "on" else None,
                epochs=REGIME_EPOCHS,
                seed=seed,
                diagnostics=False,
            )
            # Epoch 0: the loss at initialization; epoch e: the mean of its mini-batch losses
            # (``batches`` of them; in a diverged run's last epoch, those up to the one that
            # exploded, whose update was not applied: ``stopped``).
            per_epoch = h.steps.groupby("epoch")["loss"].agg(["mean", "count"])
            stopped = [False] * len(per_epoch)
            if h.diverged and stopped:
                stopped[-1] = True
            curves.append(
                pd.DataFrame(
                    {
                        "regime": regime,
                        "clipping": clipping,
                        "epoch": [0, *per_epoch.index],
                        "train_loss": [h.epochs["train_loss"].iloc[0], *per_epoch["mean"]],
                        "batches": [0, *per_epoch["count"]],
                        "stopped": [False, *stopped],
                    }
                )
            )
            ep = h.epochs.dropna(subset=["train_loss"])
            summary.append(
                {
                    "regime": regime,
                    "clipping": clipping,
                    "diverged": h.diverged,
                    "stopped_reason": h.stopped_reason,
                    "updates": h.n_updates,
                    "start_loss": float(h.epochs["train_loss"].iloc[0]),
                    "final_loss": float(ep["train_loss"].iloc[-1]),
                    "final_accuracy": float(ep["train_accuracy"].iloc[-1]),
                    "grad_norm": total,
                    "first_layer_change": _relative_change(params["W1"], h.params["W1"]),
                }
            )
    return (
        _finite(pd.concat(curves, ignore_index=True)),
        _finite(pd.concat(grads, ignore_index=True)),
        _finite(pd.DataFrame(summary)),
    )


def _geometric_factor(relative: np.ndarray) -> float:
    """Geometric mean of the layer-to-layer ratio g_k / g_(k+1) over the hidden layers."""
    hidden = relative[:-1]
    with np.errstate(all="ignore"):
        if len(hidden) < 2 or not np.all(np.isfinite(hidden)) or np.any(hidden <= 0):
            return math.nan
        return float(np.exp(np.log(hidden[0] / hidden[-1]) / (len(hidden) - 1)))


def _signal_factor(stds: np.ndarray) -> float:
    """Geometric mean of std(h_(k+1)) / std(h_k) over the hidden layers (NaN if undefined)."""
    with np.errstate(all="ignore"):
        if len(stds) < 2 or not np.all(np.isfinite(stds)) or np.any(stds <= 0):
            return math.nan
        return float(np.exp(np.log(stds[-1] / stds[0]) / (len(stds) - 1)))


def first_step_length(config: Config, grad_norm: float) -> float:
    """||delta theta|| of an SGD step with gradient norm ``grad_norm``: eta ||g||, or with
    clipping eta ||g|| min(1, c / (||g|| + 1e-6)) (PyTorch's clip_grad_norm_)."""
    if not math.isfinite(grad_norm):
        return math.nan
    scale = min(1.0, config.max_norm / (grad_norm + 1e-6)) if config.clip else 1.0
    return config.learning_rate * grad_norm * scale


def retry_diverges(config: Config, params, ds, learning_rate: float, max_norm) -> bool:
    """Whether the run from ``params`` at ``learning_rate``, clipped at ``max_norm`` (None: not
    clipped), diverges within all of ``config``'s epochs: how a warning's remedy is checked."""
    with np.errstate(all="ignore"):
        h = fit(
            params,
            ds.X_train,
            ds.y_train,
            loss="bce_with_logits",
            optimizer=_optimizer(learning_rate, max_norm),
            activation=config.activation,
            epochs=config.epochs,
            batch_size=BATCH_SIZE,
            seed=config.seed,
            eval_every=None,
        )
    return bool(h.diverged)


def least_rate_diverges(config: Config, params, ds, updates: int) -> bool:
    """Whether the same run at the learning-rate slider's least also diverges (all its epochs):
    then no lower η the page offers keeps it from diverging, and a warning should not say "lower
    η" (ReLU, N(0, 10²), depth 50, width 64 diverges at update 2 at every η from 0.001 up; audit
    pass 51 d). A smaller η can diverge later than the run did: ReLU, N(0, 0.5²), depth 30,
    width 16, η = 0.01, seed 0 diverges at update 2 and at η = 0.001 at update 3, so a check
    within the run's own ``updates`` updates named "lower η" (audit pass 53 c)."""
    least = param_of(Config, "learning_rate").low
    if updates < 1 or config.learning_rate <= least:
        return config.learning_rate <= least
    return retry_diverges(config, params, ds, least, config.max_norm if config.clip else None)


def clipped_diverges(config: Config, params, ds, max_norm: float) -> bool:
    """Whether the same run with gradient clipping at ``max_norm`` diverges too (all its epochs:
    a clipped run can diverge later than the unclipped one, SELU + Xavier at η = 3, max norm 10,
    circles, seed 87: at update 8 against 4)."""
    return retry_diverges(config, params, ds, config.learning_rate, max_norm)


def clipping_remedy(config: Config, params, ds) -> str | None:
    """For a run that diverged: which clipping the sidebar offers keeps it from diverging.

    Without clipping: "on" (turning clipping on at the max norm set), "lower" (only with the max
    norm lowered: at its least it does not diverge), or None (not even at the least). With
    clipping: "lower" where the max norm can go lower and its least keeps the run from diverging,
    else None. "Turn on gradient clipping" was said of SELU + He, depth 40, width 64, η = 1,
    max norm 100, circles, seed 89, whose clipped run diverges at update 2 too (audit pass 52 c).
    """
    least = param_of(Config, "max_norm").least
    if not config.clip and not clipped_diverges(config, params, ds, config.max_norm):
        return "on"
    if config.max_norm > least and not clipped_diverges(config, params, ds, least):
        return "lower"
    return None


def least_sigma_diverges(config: Config, ds) -> bool:
    """Whether the same run from N(0, σ²) weights at the σ slider's least diverges too (all its
    epochs). With batch norm the net is scale-invariant and its gradient grows as σ shrinks:
    linear + batch norm, σ = 0.01, depth 20, width 64, η = 3, 30 epochs diverged at update 20
    under "shrink σ", and at σ = 0.001 it diverges at update 25 (audit pass 52 c)."""
    least = param_of(Config, "sigma").least
    params = _params(
        (2, *[config.width] * config.depth, 1),
        init=config.init,
        sigma=least,
        seed=config.seed,
        batch_norm=config.batch_norm,
        activation=config.activation,
    )
    return retry_diverges(
        config, params, ds, config.learning_rate, config.max_norm if config.clip else None
    )


def zero_gradient_remedies(config: Config, ds) -> tuple[str, ...]:
    """For a run whose every weight matrix's gradient at initialization is exactly 0: which of
    the sidebar's moves alone give some weight matrix a gradient that is not 0 at initialization
    (same seed, same data): "width" (a wider layer), "activation" (another activation), "init"
    (another init) and "sigma" (another σ of the normal init). A ReLU net with zero biases is
    positively homogeneous and every init draws the same weights scaled, so another init or σ
    turns off the same units: ReLU + He, width 4, depth 20, seed 0 was told "Try a wider layer,
    another activation or another init" where every init leaves every gradient 0 (audit pass
    55 e)."""

    def zero(**changes) -> bool:
        c = replace(config, **changes)
        params = _params(
            (2, *[c.width] * c.depth, 1),
            init=c.init,
            sigma=c.sigma,
            seed=c.seed,
            batch_norm=c.batch_norm,
            activation=c.activation,
        )
        frame = diagnose_at_init(params, ds.X_train, ds.y_train[:, None], activation=c.activation)
        return bool((frame["grad_norm"].to_numpy() == 0).all())

    sigma = param_of(Config, "sigma")
    moves = {
        "width": [{"width": w} for w in WIDTHS if w > config.width],
        "activation": [{"activation": a} for a in ACTIVATION_NAMES if a != config.activation],
        "init": [{"init": i} for i in INITS if i != config.init],
        "sigma": [
            {"sigma": s}
            for s in (sigma.least, 0.01, 0.1, 1.0, sigma.high)
            if config.init == "normal" and s != config.sigma
        ],
    }
    return tuple(name for name, tries in moves.items() if any(not zero(**t) for t in tries))


def run(config: Config) -> Result:
    """Measure gradients layer by layer at initialization and during training, and clip two regimes."""
    # Small matrices: one BLAS thread is faster than waking several (and fairer to other users).
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(config)


def _run(config: Config) -> Result:
    ds = make_classification_2d(config.dataset, n_samples=N_SAMPLES, noise=0.2, seed=config.seed)
    sizes = (2, *[config.width] * config.depth, 1)
    params = _params(
        sizes,
        init=config.init,
        sigma=config.sigma,
        seed=config.seed,
        batch_norm=config.batch_norm,
        activation=config.activation,
    )
    at_init = _at_init(config, params, ds)
    start = {k: v.copy() for k, v in params.items()}
    history = _train(
        params,
        ds,
        activation=config.activation,
        learning_rate=config.learning_rate,
        max_norm=config.max_norm if config.clip else None,
        epochs=config.epochs,
        seed=config.seed,
        diagnostics=True,
    )
    curves = history.epochs[
        ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"]
    ].copy()
    evaluated = curves.dropna(subset=["train_loss"])
    regimes, regime_grads, regime_summary = _regimes(config)
    grid = np.linspace(0.0, 25.0, 251)
    sigmoid_grad = ACTIVATIONS["sigmoid"].grad
    relative = at_init["relative"].to_numpy()
    grad_norms = at_init["grad_norm"].to_numpy()
    last = f"W{config.depth + 1}"
    first_batch = float(history.steps["grad_norm"].iloc[0]) if history.n_updates else math.nan
    first_batch_reordered = _first_batch_reordered(config, start, ds, first_batch)
    summary = {
        "diverged": history.diverged,
        # only for a run that diverged: whether η's least diverges too (within its epochs)
        "least_rate_diverges": history.diverged
        and least_rate_diverges(config, start, ds, history.n_updates),
        # only for a run that diverged: which clipping keeps it from diverging
        "clipping_remedy": clipping_remedy(config, start, ds) if history.diverged else None,
        # only for a diverged run from N(0, σ²) weights with σ above its least
        "least_sigma_diverges": history.diverged
        and config.init == "normal"
        and config.sigma > param_of(Config, "sigma").least
        and least_sigma_diverges(config, ds),
        "stopped_reason": history.stopped_reason,
        "updates": history.n_updates,
        "first_last_ratio": float(relative[0]),
        "first_grad_norm": float(grad_norms[0]),
        "last_grad_norm": float(grad_norms[-1]),
        "global_grad_norm": frobenius(grad_norms),
        "gradients_zero": bool(np.all(grad_norms == 0.0)),
        # only where every weight matrix's gradient is 0: the moves that give one a gradient
        "zero_remedies": zero_gradient_remedies(config, ds) if np.all(grad_norms == 0.0) else (),
        "gradients_finite": bool(np.all(np.isfinite(grad_norms))),
        "per_layer_factor": _geometric_factor(relative),
        "saturated": float(at_init["saturated"].iloc[:-1].mean()),
        "signal_factor": _signal_factor(at_init["act_std"].to_numpy()[:-1]),
        "first_batch_grad_norm": first_batch,
        "first_batch_grad_norm_reordered": first_batch_reordered,
        "first_step": first_step_length(config, first_batch),
        "start_loss": float(curves["train_loss"].iloc[0]),
        "final_loss": float(evaluated["train_loss"].iloc[-1]),
        "final_accuracy": float(evaluated["train_accuracy"].iloc[-1]),
        "first_layer_change": _relative_change(params["W1"], history.params["W1"]),
        "last_layer_change": _relative_change(params[last], history.params[last]),
    }
    summary = {
        k: (math.nan if isinstance(v, float) and not math.isfinite(v) else v)
        for k, v in summary.items()
    }
    return Result(
        at_init=_finite(at_init),
        layers=_finite(_with_init(history.layers, at_init)),
        curves=_finite(curves),
        depth_sweep=_finite(_depth_sweep(config, ds)),
        regimes=regimes,
        regime_grads=regime_grads,
        regime_summary=regime_summary,
        sigmoid_derivative=pd.DataFrame({"x": grid, "derivative": sigmoid_grad(grid)}),
        sigmoid_at={x: float(sigmoid_grad(np.array(x))) for x in SIGMOID_POINTS},
        summary=summary,
    )
