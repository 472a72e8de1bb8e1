"""Cross-entropy: -log p of the true class, a gradient p - y that never vanishes, and the full softmax Jacobian."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import mlp, optim
from core.activations import ACTIVATIONS, sigmoid
from core.config import Settings, choice, integer, number
from core.data import make_classification_2d
from core.experiments.budget import check_budget
from core.gradcheck import numerical_grad
from core.losses import LOSSES, softmax
from core.train import fit

INPUT_MODES = ("logits", "probabilities")
DATASETS = ("moons", "gaussians", "circles", "xor")
# The two ways to train a binary classifier compared on the page (keys of ui.charts.COLORS).
TRAINED = ("mse", "bce_with_logits")
LABELS = {"mse": "squared error on σ(z)", "bce_with_logits": "binary cross-entropy"}
HIDDEN_UNITS = 8
HIDDEN_ACTIVATION = "tanh"
N_SAMPLES = 200
# Seconds on the lab's machine: the fixed panels, then one epoch of both full-batch trainings.
SECONDS_BASE, SECONDS_PER_EPOCH = 0.05, 7e-4
# Central differences (core.gradcheck's h) of the cross-entropy and of softmax: each evaluation
# rounds to about eps (2 + max |z|) (log-sum-exp of logits up to |z|), the difference divides two
# such errors by 2h. A gradient within this many times eps (2 + max |z|) / h of its estimate
# agrees up to round-off.
CHECK_STEP = 1e-5
ROUNDOFF_FACTOR = 50
# The textbook numbers every answer quotes: (case, probabilities, index of the true class).
STANDARD_CASES = (
    ("p = 0.9 for the true class", (0.9, 0.1), 0),
    ("p = 0.6 for the true class", (0.6, 0.4), 0),
    ("[0.7, 0.2, 0.1], true class first", (0.7, 0.2, 0.1), 0),
)


@dataclass(frozen=True)
class Config(Settings):
    """Three class scores for the cross-entropy panel, a logit for the saturation panel, and a
    small training run.

    ``input_mode="logits"`` uses ``logit_1..3``; ``"probabilities"`` uses ``probability_1..3``
    divided by their sum (any positive weights). ``true_class`` is 0-based. ``start_logit`` is
    the logit z marked on the saturation charts and the output bias the two trained networks
    start from (far below 0, every example starts as a confident "class 0").
    """

    input_mode: str = choice("logits", INPUT_MODES)
    logit_1: float = number(2.0, -10.0, 10.0, step=0.1)
    logit_2: float = number(1.0, -10.0, 10.0, step=0.1)
    logit_3: float = number(0.1, -10.0, 10.0, step=0.1)
    probability_1: float = number(0.7, 0.01, 1.0, step=0.01)
    probability_2: float = number(0.2, 0.01, 1.0, step=0.01)
    probability_3: float = number(0.1, 0.01, 1.0, step=0.01)
    true_class: int = integer(0, 0, 2, grid=(0, 1, 2))
    start_logit: float = number(-6.0, -10.0, 10.0, step=0.5)
    dataset: str = choice("moons", DATASETS)
    learning_rate: float = number(0.5, 0.01, 10.0, log=True)
    epochs: int = integer(200, 10, 1000, step=10)
    seed: int = integer(0, 0, 2**31 - 1)

    def check(self):
        check_budget(
            estimated_seconds(self),
            ("epochs",),
            config=self,
            estimate=estimated_seconds,
        )

    @property
    def logits(self) -> tuple[float, float, float]:
        """The three logits z1, z2, z3 (used in ``input_mode="logits"``)."""
        return (self.logit_1, self.logit_2, self.logit_3)

    @property
    def probabilities(self) -> tuple[float, float, float]:
        """The three class weights (used, divided by their sum, in ``"probabilities"`` mode)."""
        return (self.probability_1, self.probability_2, self.probability_3)


def estimated_seconds(config: Config) -> float:
    """Seconds of ``run(config)`` on the lab's machine: two small nets trained for ``epochs``."""
    return SECONDS_BASE + SECONDS_PER_EPOCH * config.epochs


# --- the science ----------------------------------------------------------------------------------


def cross_entropy_of(probabilities, true_class: int) -> float:
    """-log p[true_class], computed by core.losses on the logits log p (softmax(log p) = p)."""
    logits = np.log(np.asarray(probabilities, dtype=np.float64)).reshape(1, -1)
    return LOSSES["cross_entropy"].fn(logits, np.array([true_class]))


def softmax_jacobian(p: np.ndarray) -> np.ndarray:
    """d softmax(z)_i / d z_j = p_i ([i = j] - p_j), i.e. ``diag(p) - p p^T``, shape (k, k)."""
    p = np.asarray(p, dtype=np.float64)
    return np.diag(p) - np.outer(p, p)


def diagonal_only_jacobian(p: np.ndarray) -> np.ndarray:
    """The common mistake: only the diagonal p_i (1 - p_i) of the softmax Jacobian."""
    p = np.asarray(p, dtype=np.float64)
    return np.diag(p * (1.0 - p))


def sigmoid_mse(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Squared error on sigmoid outputs and its gradient with respect to the logits.

    ``L = mean((sigma(z) - y)^2)`` (core.losses "mse" on ``sigma(z)``), so by the chain rule
    ``dL/dz = mse'(sigma(z)) * sigma'(z) = 2 (sigma(z) - y) sigma(z) (1 - sigma(z)) / N``:
    the factor ``sigma'(z) <= 1/4`` vanishes when the sigmoid saturates, right or wrong.

    Parameters
    ----------
    logits : ndarray of shape (n, 1) or (n,)
    y : ndarray of labels 0/1, shaped like ``logits``

    Returns
    -------
    loss : float
    dlogits : ndarray shaped like ``logits``
    """
    z = np.asarray(logits, dtype=np.float64)
    p = sigmoid(z)
    mse = LOSSES["mse"]
    return mse.fn(p, y), mse.grad(p, y) * ACTIVATIONS["sigmoid"].grad(z)


def bce(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Binary cross-entropy on logits and its gradient ``(sigma(z) - y) / N`` (core.losses)."""
    loss = LOSSES["bce_with_logits"]
    return loss.fn(logits, y), loss.grad(logits, y)


OBJECTIVES = {"mse": sigmoid_mse, "bce_with_logits": bce}


def train_full_batch(params, X, y, X_test, y_test, *, objective, learning_rate: float, epochs: int):
    """Full-batch gradient descent with any (loss, dloss/dlogits) function: the loop of core.train.fit.

    Returns
    -------
    frame : DataFrame with epoch (0 = start), train_loss, train_accuracy, test_accuracy,
        grad_norm (of the update made in that epoch; NaN at epoch 0)
    diverged : bool
    """
    Y, Y_test = y.reshape(-1, 1).astype(np.float64), y_test.reshape(-1, 1)
    opt = optim.sgd(learning_rate)
    state = opt.init(params)

    def evaluate(p):
        z = mlp.forward(p, X, activation=HIDDEN_ACTIVATION)[0]
        z_test = mlp.forward(p, X_test, activation=HIDDEN_ACTIVATION)[0]
        return objective(z, Y)[0], np.mean((z > 0) == (Y > 0.5)), np.mean((z_test > 0) == Y_test)

    rows = [(0, *evaluate(params), math.nan)]
    diverged = False
    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            logits, cache = mlp.forward(params, X, activation=HIDDEN_ACTIVATION)
            _, dlogits = objective(logits, Y)
            grads = mlp.backward(params, cache, dlogits)
            updates, state = opt.update(grads, state, params)
            params = optim.apply_updates(params, updates)
            metrics = evaluate(params)
            if not all(np.isfinite(metrics)):
                diverged = True
                break
            rows.append((epoch, *metrics, optim.global_norm(grads)))
    columns = ["epoch", "train_loss", "train_accuracy", "test_accuracy", "grad_norm"]
    return pd.DataFrame(rows, columns=columns), diverged


# --- the result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """What the page draws.

    Attributes
    ----------
    probabilities, logits : ndarray of shape (3,)
    true_class : int (0-based)
    loss : float, the cross-entropy -log p[true_class] from core.losses
    classes : DataFrame (class, logit, probability, target, gradient, central_difference,
        diagonal_only): the gradient of the loss with respect to the logits, p - y, from core.losses,
        its central-difference estimate, and what the diagonal-only Jacobian would give
    jacobian : DataFrame (version, row, col, value) for the full and the diagonal-only Jacobian
    jacobian_rel_error : float, full Jacobian against central differences of softmax, as
        max |difference| / max(|a| + |b|) without core.gradcheck's 1e-8 floor on the
        denominator (every entry is below 1e-8 at logits (10, −10, −10), where the floor would
        print 0.00078 for a relative error of 0.00094)
    jacobian_abs_error : float, the largest |difference| between those two
    roundoff : float, a generous bound on float64 round-off in those central differences,
        ``ROUNDOFF_FACTOR * eps * (2 + max |z|) / h``
    standard : DataFrame (case, true_probability, loss), the textbook numbers from core.losses
    neglog : DataFrame (p, loss, loss_name): -log p and (1 - p)^2 against the true class's p
    saturation : DataFrame (z, loss_name, loss, gradient): y = 1, loss and |dL/dz| against z
    at_start : dict, |dL/dz| of each loss at ``start_logit`` (y = 1) and their ratio
    training : DataFrame (model, epoch, train_loss, train_accuracy, test_accuracy, grad_norm)
    summary : DataFrame indexed by model: start_grad_norm, final train/test accuracy,
        epochs_to_75 (first epoch with train accuracy >= 0.75, NaN if never), diverged
    start_logits : ndarray of shape (n_train,), every training example's logit at the start
        (the same for both nets)
    """

    probabilities: np.ndarray
    logits: np.ndarray
    true_class: int
    loss: float
    classes: pd.DataFrame
    jacobian: pd.DataFrame
    jacobian_rel_error: float
    jacobian_abs_error: float
    roundoff: float
    standard: pd.DataFrame
    neglog: pd.DataFrame
    saturation: pd.DataFrame
    at_start: dict
    training: pd.DataFrame
    summary: pd.DataFrame
    start_logits: np.ndarray


def _class_panel(z: np.ndarray, true_class: int):
    ce = LOSSES["cross_entropy"]
    label = np.array([true_class])
    p = softmax(z)
    y = (np.arange(3) == true_class).astype(np.float64)
    gradient = ce.grad(z.reshape(1, -1), label)[0]
    numeric = numerical_grad(lambda v: ce.fn(v.reshape(1, -1), label), z, h=CHECK_STEP)
    # dL/dp = -y / p for one-hot y; the chain rule through each Jacobian gives dL/dz = J^T dL/dp.
    dL_dp = -y / p
    classes = pd.DataFrame(
        {
            "class": [f"class {i + 1}" for i in range(3)],
            "logit": z,
            "probability": p,
            "target": y,
            "gradient": gradient,
            "central_difference": numeric,
            "diagonal_only": diagonal_only_jacobian(p).T @ dL_dp,
        }
    )
    full, diag = softmax_jacobian(p), diagonal_only_jacobian(p)
    jac = [
        (version, f"p{i + 1}", f"z{j + 1}", m[i, j])
        for version, m in (("full", full), ("diagonal only", diag))
        for i in range(3)
        for j in range(3)
    ]
    numeric_jac = np.stack(
        [numerical_grad(lambda v, i=i: softmax(v)[i], z, h=CHECK_STEP) for i in range(3)]
    )
    return (
        p,
        ce.fn(z.reshape(1, -1), label),
        classes,
        pd.DataFrame(jac, columns=["version", "row", "col", "value"]),
        relative_error(full, numeric_jac),
        float(np.max(np.abs(full - numeric_jac))),
    )


def relative_error(a, b) -> float:
    """max |a − b| / max(|a| + |b|), maxima over all entries: core.gradcheck.rel_error without
    its 1e-8 floor on the denominator, which the page's sentences do not name (p − y and the
    Jacobian are never all zero here: every p is at least about 2e-09)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b)))


def _saturation(start_logit: float):
    z = np.linspace(-10.0, 10.0, 201)
    rows = []
    for name in TRAINED:
        objective = OBJECTIVES[name]
        values = [objective(np.array([[v]]), np.array([[1.0]])) for v in z]
        rows.append(
            pd.DataFrame(
                {
                    "z": z,
                    "loss_name": name,
                    "loss": [v[0] for v in values],
                    "gradient": [abs(float(v[1][0, 0])) for v in values],
                }
            )
        )
    at = {
        n: abs(float(OBJECTIVES[n](np.array([[start_logit]]), np.array([[1.0]]))[1][0, 0]))
        for n in TRAINED
    }
    at["ratio"] = at["mse"] / at["bce_with_logits"]
    at["z"] = start_logit
    at["sigmoid"] = float(sigmoid(np.array(start_logit)))
    return pd.concat(rows, ignore_index=True), at


def _neglog():
    # Logits in [-10, 10] put the true class's p as low as about 1e-9: the curve reaches there.
    p = np.concatenate([np.geomspace(1e-9, 0.05, 80), np.linspace(0.05, 1.0, 120)[1:]])
    return pd.concat(
        [
            pd.DataFrame({"p": p, "loss": -np.log(p), "loss_name": "cross_entropy"}),
            pd.DataFrame({"p": p, "loss": (1.0 - p) ** 2, "loss_name": "mse"}),
        ],
        ignore_index=True,
    )


def _training(config: Config):
    data = make_classification_2d(config.dataset, n_samples=N_SAMPLES, noise=0.2, seed=config.seed)
    params = mlp.init_params((2, HIDDEN_UNITS, 1), init="xavier", seed=config.seed)
    params["b2"] = np.array([config.start_logit])
    start_logits = mlp.forward(params, data.X_train, activation=HIDDEN_ACTIVATION)[0][:, 0]
    history = fit(
        params,
        data.X_train,
        data.y_train,
        loss="bce_with_logits",
        optimizer=optim.sgd(config.learning_rate),
        activation=HIDDEN_ACTIVATION,
        epochs=config.epochs,
        batch_size=None,
        X_test=data.X_test,
        y_test=data.y_test,
        seed=config.seed,
    )
    bce_frame = history.epochs[["epoch", "train_loss", "train_accuracy", "test_accuracy"]].copy()
    bce_frame["grad_norm"] = np.concatenate([[math.nan], history.steps["grad_norm"].to_numpy()])[
        : len(bce_frame)
    ]
    mse_frame, mse_diverged = train_full_batch(
        params,
        data.X_train,
        data.y_train,
        data.X_test,
        data.y_test,
        objective=sigmoid_mse,
        learning_rate=config.learning_rate,
        epochs=config.epochs,
    )
    frames = {"bce_with_logits": (bce_frame, history.diverged), "mse": (mse_frame, mse_diverged)}
    summary = []
    for name in TRAINED:
        frame, diverged = frames[name]
        reached = frame.loc[frame["train_accuracy"] >= 0.75, "epoch"]
        summary.append(
            {
                "model": name,
                "start_grad_norm": float(frame["grad_norm"].iloc[1])
                if len(frame) > 1
                else math.nan,
                "train_accuracy": float(frame["train_accuracy"].iloc[-1]),
                "test_accuracy": float(frame["test_accuracy"].iloc[-1]),
                "epochs_to_75": float(reached.iloc[0]) if len(reached) else math.nan,
                "diverged": diverged,
            }
        )
    training = pd.concat([frames[n][0].assign(model=n) for n in TRAINED], ignore_index=True)
    # A diverged run's last evaluation can be inf or NaN: the curves stop where the run stopped.
    training = training[np.isfinite(training["train_loss"])].reset_index(drop=True)
    return training, pd.DataFrame(summary).set_index("model"), start_logits


def run(config: Config) -> Result:
    """Cross-entropy at the chosen scores, the saturation comparison, and both training runs."""
    if config.input_mode == "logits":
        z = np.array(config.logits, dtype=np.float64)
    else:
        weights = np.array(config.probabilities, dtype=np.float64)
        z = np.log(weights / weights.sum())
    p, loss, classes, jacobian, jac_err, jac_abs = _class_panel(z, config.true_class)
    standard = pd.DataFrame(
        [(case, probs[k], cross_entropy_of(probs, k)) for case, probs, k in STANDARD_CASES],
        columns=["case", "true_probability", "loss"],
    )
    saturation, at_start = _saturation(config.start_logit)
    training, summary, start_logits = _training(config)
    return Result(
        probabilities=p,
        logits=z,
        true_class=config.true_class,
        loss=loss,
        classes=classes,
        jacobian=jacobian,
        jacobian_rel_error=jac_err,
        jacobian_abs_error=jac_abs,
        roundoff=ROUNDOFF_FACTOR
        * np.finfo(np.float64).eps
        * (2 + float(np.max(np.abs(z))))
        / CHECK_STEP,
        standard=standard,
        neglog=_neglog(),
        saturation=saturation,
        at_start=at_start,
        training=training,
        summary=summary,
        start_logits=start_logits,
    )
