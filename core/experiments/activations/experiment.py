"""Activation functions: without one depth collapses to a single linear map; each choice trades saturation, dead units and scale."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from scipy.special import ndtr
from threadpoolctl import threadpool_limits

from core import mlp, optim
from core.activations import ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, sigmoid
from core.config import Settings, choice, integer, number
from core.data import make_classification_2d
from core.experiments.budget import check_budget
from core.facts import alike, not_whole, num
from core.losses import softmax
from core.train import fit
from core.train_monitor import accuracy

GROUPS = {
    "classic": ("linear", "sigmoid", "tanh", "relu"),
    "relu_family": ("relu", "leaky_relu", "prelu", "elu"),
    "smooth": ("elu", "selu", "gelu", "swish"),
}
DATASETS = ("moons", "circles", "xor", "spiral")
# The init each activation is usually paired with: variance-preserving for its slope at 0.
INIT_FOR = {
    "linear": "xavier",
    "sigmoid": "xavier",
    "tanh": "xavier",
    "selu": "lecun",
}
N_SAMPLES, BATCH_SIZE = 200, 28  # 140 training points: 5 updates per epoch
X_RANGE = (-5.0, 5.0)
GRID = 36  # decision-boundary grid per axis
# Self-normalization: 50 hidden layers at initialization on standard-normal inputs.
NORM_DEPTH, NORM_ROWS = 50, 200
NORM_SETTINGS = {
    "SELU + LeCun normal": ("selu", "lecun"),
    "SELU + He": ("selu", "he"),
    "ReLU + He": ("relu", "he"),
    "tanh + Xavier": ("tanh", "xavier"),
    "sigmoid + naive N(0, σ²)": ("sigmoid", "normal"),
}
# Seconds on the lab's machine (bench/budget.py): a fixed part; per epoch of each training run (the
# group's four, plus the dead-ReLU runs) a fixed step, a step per hidden layer and the layers'
# width^2 multiply-adds; and the self-normalization nets' multiply-adds.
SECONDS_BASE = 0.11
SECONDS_PER_RUN_EPOCH, SECONDS_PER_RUN_EPOCH_PER_LAYER = 4.4e-4, 4.4e-4
SECONDS_PER_RUN_EPOCH_PER_WEIGHT = 1.6e-7  # per hidden layer x width^2
SECONDS_PER_NORM_MAC = 4.1e-10
WIDTHS = (4, 8, 16, 32, 64)
NORM_WIDTHS = (8, 16, 32, 64, 128)
# The output layer by task: its activation, the loss it pairs with (a key of core.losses.LOSSES),
# PyTorch's loss, what the output means, what that loss takes as its input and what the last
# layer's z is called (a logit only where an output activation turns it into a probability).
OUTPUT_GUIDE = pd.DataFrame(
    [
        (
            "binary",
            "sigmoid",
            "bce_with_logits",
            "nn.BCEWithLogitsLoss",
            "P(y = 1 | x)",
            "takes the logit and applies the sigmoid inside, stably",
            "logit",
        ),
        (
            "multi-class",
            "softmax",
            "cross_entropy",
            "nn.CrossEntropyLoss",
            "P(y = k | x), sum 1",
            "takes the logits and applies the (log-)softmax inside, stably",
            "logits",
        ),
        (
            "regression",
            "linear (identity)",
            "mse",
            "nn.MSELoss",
            "any real number",
            "takes the raw output ŷ = z: the identity has nothing to fuse",
            "raw output",
        ),
    ],
    columns=[
        "task",
        "output_activation",
        "loss",
        "pytorch_loss",
        "output_means",
        "loss_input",
        "raw_output",
    ],
)


def slope_text(a: float, start: float) -> str:
    """One learned PReLU slope as :func:`slope_texts` prints it."""
    return slope_texts([a], start)[0]


def slope_texts(slopes, start: float) -> list[str]:
    """Learned PReLU slopes (one per hidden layer), listed together: at one count of significant
    digits with zeros kept (:func:`core.facts.alike`, 3 or more), more while a slope that moved
    from its ``start`` would print as the start: a = 0.7500996 learned from 0.75 is not "0.750",
    nor a = 0.00049 learned from 0 "0.000", as if they had not moved (a slope that never moved
    prints as its start). Fixed 3 decimals printed "a = 0.051, 0.517" (relu_family at the
    defaults) and "0.0048, −0.029": slopes read side by side at two precisions (audit pass 70 a)."""
    slopes = [float(a) for a in slopes]
    exact = Decimal(repr(float(start)))
    texts: list[str] = []
    for digits in range(3, 18):
        texts = list(alike(*slopes, digits=digits)) if slopes else []
        if all(
            a == start or not math.isfinite(a) or Decimal(t) != exact
            for a, t in zip(slopes, texts, strict=True)
        ):
            return texts
    return [num(a, 17) for a in slopes]


def parameter_caption(config: Config, name: str) -> str | None:
    """The caption under activation ``name``'s formula: its sidebar settings, named by the
    formula's own symbols (PReLU's learned slope a, where training starts it; ELU's α), or None
    for an activation without any."""
    if name == "prelu":
        a = f"{config.prelu_init:g}"  # plain-format: a setting
        if "prelu" in GROUPS[config.group]:
            return (
                f"a = {a} where training starts it (sidebar: PReLU initial slope a); the training "
                "comparison learns one a per hidden layer, and the charts above draw a at its start"
            )
        # no PReLU net is trained in this comparison: "learns one a per hidden layer" was said
        # beside the classic group's Linear, Sigmoid, Tanh and ReLU runs (Config(), audit 46h)
        family = ", ".join(
            ACTIVATIONS[n].label for n in next(g for g in GROUPS.values() if "prelu" in g)
        )
        return (
            f"a = {a} (sidebar: PReLU initial slope a), as the charts above draw it; PReLU is "
            f"trained, one a per hidden layer from this start, only when the activations "
            f"compared are {family}: this comparison has no PReLU run"
        )
    if name == "elu":
        return f"α = {config.elu_alpha:g} (sidebar)"  # plain-format: a setting
    if name == "leaky_relu":
        return f"negative_slope = {config.negative_slope:g} (sidebar)"  # plain-format: a setting
    return None


def init_for(activation: str) -> str:
    """The weight init this lesson pairs with an activation (He for the ReLU family and gates)."""
    return INIT_FOR.get(activation, "he")


@dataclass(frozen=True)
class Config(Settings):
    """Shapes of every activation, a deep linear net, the same classifier trained per activation,
    dead ReLUs at a large learning rate, and activation statistics through 50 layers."""

    negative_slope: float = number(0.01, 0.0, 0.5, step=0.01)
    elu_alpha: float = number(1.0, 0.1, 3.0, step=0.1)
    prelu_init: float = number(0.25, 0.0, 1.0, step=0.05)
    group: str = choice("classic", tuple(GROUPS))
    dataset: str = choice("moons", DATASETS)
    hidden_layers: int = integer(2, 1, 4)
    width: int = integer(16, 4, 64, grid=WIDTHS)
    learning_rate: float = number(0.01, 0.001, 0.3, log=True)
    large_learning_rate: float = number(1.0, 0.1, 3.0, log=True)
    epochs: int = integer(40, 5, 150, step=5)
    linear_depth: int = integer(10, 2, 50)
    norm_width: int = integer(64, 8, 128, grid=NORM_WIDTHS)
    naive_sigma: float = number(1.0, 0.001, 10.0, log=True)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        check_budget(
            estimated_seconds(self),
            ("epochs", "hidden_layers", "width", "norm_width"),
            config=self,
            estimate=estimated_seconds,
        )

    def activation_kw(self, name: str) -> dict:
        """Keyword arguments of activation ``name`` from the sliders."""
        return {
            "leaky_relu": {"negative_slope": self.negative_slope},
            "elu": {"alpha": self.elu_alpha},
            "prelu": {"alpha": self.prelu_init},
        }.get(name, {})


def training_runs(config: Config) -> int:
    """Nets trained by one run: the group's activations and the dead-ReLU runs (ReLU's is reused)."""
    names = GROUPS[config.group]
    return len(names) + 3 - ("relu" in names)


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: training runs x epochs x layers, and the
    self-normalization nets (NORM_DEPTH layers of ``norm_width`` units)."""
    L, w = config.hidden_layers, config.width
    per_epoch = (
        SECONDS_PER_RUN_EPOCH
        + SECONDS_PER_RUN_EPOCH_PER_LAYER * L
        + SECONDS_PER_RUN_EPOCH_PER_WEIGHT * L * w * w
    )
    norm_macs = len(NORM_SETTINGS) * NORM_DEPTH * NORM_ROWS * config.norm_width**2
    return (
        SECONDS_BASE
        + training_runs(config) * config.epochs * per_epoch
        + SECONDS_PER_NORM_MAC * norm_macs
    )


@dataclass(frozen=True)
class Result:
    """What the page draws (tidy tables) and the numbers its sentences quote.

    Attributes
    ----------
    shapes : DataFrame
        activation, x, f, derivative for every activation on [-5, 5] (slider parameters applied).
    collapse : DataFrame
        x1, x2, deep (the deep linear net's output), collapsed (x @ W + b with W = W1 ... WL and
        the folded bias): equal up to round-off.
    collapse_map : dict
        w1, w2, b of the single affine map, depth, max_abs_diff, scale (max |output|).
    training : DataFrame
        activation, epoch, train_loss, test_loss, train_accuracy, test_accuracy.
    boundaries : DataFrame
        activation, x1, x2, probability P(y = 1) on a 36 x 36 grid.
    points : DataFrame
        x1, x2, label of the test set (drawn over the boundaries).
    summary : DataFrame
        activation, init, final_train_loss, test_accuracy (the last evaluated epoch's; before a
        divergence, the last one completed), last_epoch (that epoch; 0 = at initialization),
        drawn_test_accuracy (the test accuracy of the weights the boundary is drawn with: after a
        divergence, the last finite ones), dead_fraction (hidden units with |f'(z)| below 1 %
        of the peak on every training point, after training), learned_slopes, diverged, updates,
        stopped_reason.
    dead : DataFrame
        run, activation, learning_rate, epoch, off (fraction of hidden units whose
        pre-activation z <= 0 on every training point at the end of the epoch: for ReLU, dead
        units, whose own weights and bias get no gradient; a leaky unit there still passes slope x its
        gradient), train_loss. Epochs up to the last one completed.
    dead_summary : DataFrame
        run, activation, learning_rate, units (hidden units in the net), off_start, off_peak,
        off_end (fractions), ever_off (units off at some recorded epoch), revived (of those, the
        units on again at the last recorded epoch), final_loss, final_accuracy, diverged,
        updates, stopped_reason.
    off_masks : dict
        run -> bool array of shape (recorded epochs, units): which hidden units were off (z <= 0
        on every training point) at the end of each epoch (row 0 = at initialization).
    self_norm : DataFrame
        setting, activation, init, layer (1..50), mean, std of the layer's outputs.
    selu_moments : DataFrame
        variant, mean, variance of SELU(z) for z ~ N(0, 1), with lambda on both branches or only
        on the positive one (Gauss-Hermite quadrature).
    output_examples : DataFrame
        task, output (class or value), logit (the last layer's z), value (z through the output
        activation), raw (what z is called: "logit", "logits" or, for regression, "raw output").
    """

    shapes: pd.DataFrame
    collapse: pd.DataFrame
    collapse_map: dict
    training: pd.DataFrame
    boundaries: pd.DataFrame
    points: pd.DataFrame
    summary: pd.DataFrame
    dead: pd.DataFrame
    dead_summary: pd.DataFrame
    self_norm: pd.DataFrame
    selu_moments: pd.DataFrame
    output_examples: pd.DataFrame
    off_masks: dict = field(default_factory=dict)


# One-sided derivatives at 0 are taken this far from it; they differ (a kink) beyond round-off.
ONE_SIDE = 1e-12


def kink_at_zero(name: str, kw: dict) -> bool:
    """Whether activation ``name`` (with the sliders' parameters ``kw``) has a kink at 0: its
    one-sided derivatives there differ, so f'(0) does not exist (PyTorch's backward uses the
    x <= 0 branch's value there, a convention)."""
    grad = ACTIVATIONS[name].grad
    left, right = (float(grad(np.array(side), **kw)) for side in (-ONE_SIDE, ONE_SIDE))
    return not math.isclose(left, right, rel_tol=1e-6, abs_tol=1e-9)


def derivative_text(value: float, kink: bool) -> str:
    """A point of the f'(x) chart as its tooltip prints it: the value (never a fraction printed
    as a whole number), or, at a kink, that f' does not exist there and the value PyTorch uses."""
    text = not_whole(float(value))
    return f"none: a kink (PyTorch uses {text})" if kink else text


def activation_shapes(config: Config) -> pd.DataFrame:
    """f(x) and f'(x) of every activation on 201 points of [-5, 5], with the sliders' parameters.

    Returns a tidy frame: activation, x, f, derivative, kink (x = 0 where the activation has a
    kink there at these settings: ``derivative`` is then PyTorch's convention, not a derivative).
    """
    x = np.linspace(*X_RANGE, 201)
    frames = []
    for name, act in ACTIVATIONS.items():
        kw = config.activation_kw(name)
        frames.append(
            pd.DataFrame(
                {
                    "activation": name,
                    "x": x,
                    "f": act.fn(x, **kw),
                    "derivative": act.grad(x, **kw),
                    "kink": (x == 0.0) & kink_at_zero(name, kw),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def collapse_deep_linear(config: Config, X: np.ndarray):
    """A deep net with the identity activation is one affine map: fold its layers and compare.

    ``f(x) = (((x W1 + b1) W2 + b2) ...) WL + bL = x W + b`` with ``W = W1 W2 ... WL`` and the
    biases folded the same way. The net has ``config.linear_depth`` layers, 8 units wide, Xavier
    weights and small random biases. ``X`` has shape (n, 2).

    Returns
    -------
    frame : DataFrame with x1, x2, deep (the net's output) and collapsed (x W + b)
    info : dict with w1, w2, b, depth, max_abs_diff and scale (max |deep|)
    """
    sizes = (2, *[8] * (config.linear_depth - 1), 1)
    rng = np.random.default_rng(config.seed)
    params = mlp.init_params(sizes, init="xavier", seed=rng)
    for k in range(1, len(sizes)):
        params[f"b{k}"] = 0.1 * rng.standard_normal(params[f"b{k}"].shape)  # nonzero biases
    deep = mlp.forward(params, X, activation="linear")[0][:, 0]
    W, b = np.eye(2), np.zeros(2)
    for k in range(1, len(sizes)):  # x W1 + b1, then (. ) W2 + b2, ...: W = W1 W2 ..., b folded
        W, b = W @ params[f"W{k}"], b @ params[f"W{k}"] + params[f"b{k}"]
    collapsed = (X @ W + b)[:, 0]
    frame = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "deep": deep, "collapsed": collapsed})
    info = {
        "w1": float(W[0, 0]),
        "w2": float(W[1, 0]),
        "b": float(b[0]),
        "depth": config.linear_depth,
        "max_abs_diff": float(np.max(np.abs(deep - collapsed))),
        "scale": float(np.max(np.abs(deep))),
    }
    return frame, info


def off_units(params, X, activation: str, kw: dict) -> np.ndarray:
    """Which hidden units have pre-activation z <= 0 on every row of X (one bool per unit,
    layer after layer): a ReLU unit there outputs 0 and its own weights and bias get no gradient."""
    with np.errstate(all="ignore"):
        _, cache = mlp.forward(params, X, activation=activation, activation_kw=kw)
    return np.concatenate([np.all(layer.act.z <= 0.0, axis=0) for layer in cache.layers[:-1]])


class _OffRecorder:
    """A ``fit`` callback that records :func:`off_units` at initialization and after each epoch."""

    def __init__(self, params, X, activation, kw):
        self.X, self.activation, self.kw = X, activation, kw
        self.masks = [off_units(params, X, activation, kw)]

    def __call__(self, info) -> bool:
        self.masks.append(off_units(info["params"], self.X, self.activation, self.kw))
        return False

    def array(self) -> np.ndarray:
        return np.vstack(self.masks)


def _fit(config, ds, activation, learning_rate, *, record_off=False):
    sizes = (2, *[config.width] * config.hidden_layers, 1)
    params = mlp.init_params(
        sizes,
        init=init_for(activation),
        seed=config.seed,
        learn_prelu=activation == "prelu",
        prelu_init=config.prelu_init,
    )
    kw = config.activation_kw(activation)
    if activation == "prelu":
        kw = {}  # the learned slopes a1, a2, ... start at prelu_init and replace alpha
    recorder = None
    if record_off:
        recorder = _OffRecorder(params, ds.X_train, activation, kw)
    history = fit(
        params,
        ds.X_train,
        ds.y_train,
        X_test=ds.X_test,
        y_test=ds.y_test,
        loss="bce_with_logits",
        optimizer=optim.adam(learning_rate),
        activation=activation,
        activation_kw=kw,
        epochs=config.epochs,
        batch_size=BATCH_SIZE,
        seed=config.seed,
        callback=recorder,
    )
    return history, recorder


def _grid(ds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.vstack([ds.X_train, ds.X_test])
    lo, hi = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID))
    return g1.ravel(), g2.ravel(), np.column_stack([g1.ravel(), g2.ravel()])


def _final_dead(history, activation, kw, X) -> float:
    """Fraction of hidden units dead on the whole training set with the trained weights."""
    with np.errstate(all="ignore"):
        logits, cache = mlp.forward(history.params, X, activation=activation, activation_kw=kw)
        grads = mlp.backward(history.params, cache, np.zeros_like(logits))
    rows = mlp.layer_statistics(history.params, cache, grads)
    return float(np.mean([r[-1] for r in rows[:-1]]))


def _train_group(config: Config, ds):
    names = GROUPS[config.group]
    g1, g2, G = _grid(ds)
    training, boundaries, summary, relu = [], [], [], None
    for name in names:
        # ReLU records its dead units: the dead-unit experiment reuses this run.
        h, recorder = _fit(config, ds, name, config.learning_rate, record_off=name == "relu")
        if name == "relu":
            relu = (h, recorder)
        kw = {} if name == "prelu" else config.activation_kw(name)
        ep = h.epochs.dropna(subset=["train_loss"])
        training.append(
            ep[["epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"]].assign(
                activation=name
            )
        )
        with np.errstate(all="ignore"):
            logits = mlp.predict_logits(h.params, G, activation=name, activation_kw=kw)[:, 0]
            # the drawn boundary's weights on the test points: after a divergence the last
            # finite ones, not those of the last epoch evaluated
            test_logits = mlp.predict_logits(h.params, ds.X_test, activation=name, activation_kw=kw)
        boundaries.append(
            pd.DataFrame({"activation": name, "x1": g1, "x2": g2, "probability": sigmoid(logits)})
        )
        slopes = [
            float(h.params[f"a{k}"][0])
            for k in range(1, config.hidden_layers + 1)
            if f"a{k}" in h.params
        ]
        summary.append(
            {
                "activation": name,
                "init": init_for(name),
                "final_train_loss": float(ep["train_loss"].iloc[-1]),
                "test_accuracy": float(ep["test_accuracy"].iloc[-1]),
                "last_epoch": int(ep["epoch"].iloc[-1]),
                "drawn_test_accuracy": accuracy("bce_with_logits", test_logits, ds.y_test[:, None]),
                "dead_fraction": _final_dead(h, name, kw, ds.X_train),
                "learned_slopes": ", ".join(slope_texts(slopes, config.prelu_init)),
                "diverged": h.diverged,
                "updates": h.n_updates,
                "stopped_reason": h.stopped_reason,
            }
        )
    return (
        pd.concat(training, ignore_index=True),
        pd.concat(boundaries, ignore_index=True),
        pd.DataFrame(summary),
        relu,
    )


def dead_run_names(config: Config) -> tuple[str, str, str]:
    """The dead-unit runs' names: ReLU at η, ReLU at the large η, leaky ReLU at the large η
    (the "large" slider's η called large only when it is larger than η)."""
    big, small = config.large_learning_rate, config.learning_rate
    # "large" only when it is larger: the slider allows 0.1 beside η = 0.3 (audit pass 39);
    # names stay distinct when both learning rates are equal (each run is one line)
    rate = f"η = {big:g}"  # plain-format: a setting (a run's name)
    if big > small:
        second, leaky = f"large {rate}", f"large {rate}"
    elif big < small:
        second, leaky = f"smaller {rate}", f"smaller {rate}"
    else:
        second, leaky = f"{rate} (second run)", rate
    return (
        f"ReLU, η = {small:g}",  # plain-format: a setting (a run's name)
        f"ReLU, {second}",
        f"leaky ReLU, {leaky}",
    )


def _dead_units(config: Config, ds, relu=None):
    """ReLU at the chosen and at a large learning rate, and leaky ReLU at the large one."""
    big = config.large_learning_rate
    specs = zip(
        dead_run_names(config),
        (("relu", config.learning_rate), ("relu", big), ("leaky_relu", big)),
        strict=True,
    )
    curves, summary, masks = [], [], {}
    for i, (run_name, (activation, lr)) in enumerate(specs):
        if i == 0 and relu is not None:
            h, recorder = relu
        else:
            h, recorder = _fit(config, ds, activation, lr, record_off=True)
        off = recorder.array()
        masks[run_name] = off
        fraction = off.mean(axis=1)
        epochs = np.arange(len(fraction))
        losses = h.epochs.set_index("epoch")["train_loss"].reindex(epochs)
        curves.append(
            pd.DataFrame(
                {
                    "run": run_name,
                    "activation": activation,
                    "learning_rate": lr,
                    "epoch": epochs,
                    "off": fraction,
                    "train_loss": losses.to_numpy(),
                }
            )
        )
        ep = h.epochs.dropna(subset=["train_loss"])
        ever = off.any(axis=0)
        summary.append(
            {
                "run": run_name,
                "activation": activation,
                "learning_rate": lr,
                "units": off.shape[1],
                "off_start": float(fraction[0]),
                "off_peak": float(fraction.max()),
                "off_end": float(fraction[-1]),
                "ever_off": int(ever.sum()),
                "revived": int((ever & ~off[-1]).sum()),
                "final_loss": float(ep["train_loss"].iloc[-1]),
                "final_accuracy": float(ep["train_accuracy"].iloc[-1]),
                "diverged": h.diverged,
                "updates": h.n_updates,
                "stopped_reason": h.stopped_reason,
            }
        )
    return pd.concat(curves, ignore_index=True), pd.DataFrame(summary), masks


def _self_norm(config: Config) -> pd.DataFrame:
    """Mean and std of each hidden layer's outputs through 50 layers, at initialization."""
    w = config.norm_width
    X = np.random.default_rng(config.seed).standard_normal((NORM_ROWS, w))
    sizes = (w,) * (NORM_DEPTH + 1) + (1,)
    frames = []
    for setting, (activation, init) in NORM_SETTINGS.items():
        params = mlp.init_params(sizes, init=init, sigma=config.naive_sigma, seed=config.seed)
        with np.errstate(all="ignore"):
            _, cache = mlp.forward(params, X, activation=activation)
            outputs = [layer.dense.x for layer in cache.layers[1:]]  # h_1 .. h_50
            frames.append(
                pd.DataFrame(
                    {
                        "setting": setting,
                        "activation": activation,
                        "init": init,
                        "layer": np.arange(1, NORM_DEPTH + 1),
                        "mean": [float(h.mean()) for h in outputs],
                        "std": [float(h.std()) for h in outputs],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def selu_moments() -> pd.DataFrame:
    """E[f(z)] and Var[f(z)] for z ~ N(0, 1), exactly: 0 and 1 for SELU, not without lambda on x <= 0.

    With Phi the standard normal CDF, E[z; z > 0] = 1 / sqrt(2 pi), E[z^2; z > 0] = 1/2,
    E[e^z - 1; z <= 0] = e^(1/2) Phi(-1) - 1/2 and
    E[(e^z - 1)^2; z <= 0] = e^2 Phi(-2) - 2 e^(1/2) Phi(-1) + 1/2. The second variant applies
    lambda to the positive branch only, a common slip.
    """
    pos1, pos2 = 1.0 / np.sqrt(2.0 * np.pi), 0.5
    neg1 = np.exp(0.5) * ndtr(-1.0) - 0.5
    neg2 = np.exp(2.0) * ndtr(-2.0) - 2.0 * np.exp(0.5) * ndtr(-1.0) + 0.5
    lam, alpha = SELU_LAMBDA, SELU_ALPHA
    rows = []
    for name, neg_scale in (
        ("λ on both branches (SELU)", lam * alpha),
        ("λ on the positive branch only", alpha),
    ):
        mean = lam * pos1 + neg_scale * neg1
        second = lam**2 * pos2 + neg_scale**2 * neg2
        rows.append((name, float(mean), float(second - mean**2)))
    return pd.DataFrame(rows, columns=["variant", "mean", "variance"])


def _output_examples() -> pd.DataFrame:
    logits = np.array([2.0, 1.0, 0.1])
    rows = [("binary", "P(y = 1)", 0.8, float(sigmoid(np.array(0.8))))]
    rows += [
        ("multi-class", f"class {k}", float(z), float(p))
        for k, (z, p) in enumerate(zip(logits, softmax(logits), strict=True))
    ]
    rows += [("regression", "ŷ", -1.7, -1.7)]
    frame = pd.DataFrame(rows, columns=["task", "output", "logit", "value"])
    # what the chart calls z: a logit for the classifiers, the raw output for regression
    names = OUTPUT_GUIDE.set_index("task")["raw_output"]
    return frame.assign(raw=frame["task"].map(names))


def run(config: Config) -> Result:
    """Draw every activation, collapse a deep linear net, and train one classifier per activation."""
    ds = make_classification_2d(config.dataset, n_samples=N_SAMPLES, noise=0.2, seed=config.seed)
    # Small matrices: one BLAS thread is faster than waking several (and fairer to other users).
    with threadpool_limits(limits=1, user_api="blas"):
        collapse, collapse_map = collapse_deep_linear(config, ds.X_test)
        training, boundaries, summary, relu = _train_group(config, ds)
        dead, dead_summary, off_masks = _dead_units(config, ds, relu)
        self_norm = _self_norm(config)
    return Result(
        shapes=activation_shapes(config),
        collapse=collapse,
        collapse_map=collapse_map,
        training=training,
        boundaries=boundaries,
        points=pd.DataFrame({"x1": ds.X_test[:, 0], "x2": ds.X_test[:, 1], "label": ds.y_test}),
        summary=summary,
        dead=dead,
        dead_summary=dead_summary,
        self_norm=self_norm,
        selu_moments=selu_moments(),
        output_examples=_output_examples(),
        off_masks=off_masks,
    )
