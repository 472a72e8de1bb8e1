"""The training loop: batch, mini-batch or stochastic gradient descent, with a full history of each run."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import mlp
from core.losses import LOSSES
from core.optim import Optimizer, OptState, apply_updates, global_norm

# On small matrices BLAS threads cost more to wake than they save; one thread is faster, and
# much faster when another process shares the cores (measured in bench/train_throughput.py).
_BLAS = ThreadpoolController()
_SINGLE_THREAD_BELOW = 128 * 128

STEP_COLUMNS = ("update", "epoch", "loss", "grad_norm", "examples", "seconds")
_INT_STEP_COLUMNS = frozenset({"update", "epoch", "examples"})
EPOCH_COLUMNS = (
    "epoch",
    "updates",
    "examples",
    "seconds",
    "train_loss",
    "train_accuracy",
    "test_loss",
    "test_accuracy",
)
LAYER_COLUMNS = (
    "epoch",
    "layer",
    "grad_norm",
    "weight_norm",
    "update_ratio",
    "act_mean",
    "act_std",
    "saturated",
    "dead",
)


@dataclass
class History:
    """What one call of :func:`fit` did.

    Attributes
    ----------
    params : dict of arrays
        The trained parameters (the last finite ones if the run diverged).
    steps : DataFrame
        One row per update: ``update`` (1-based), ``epoch`` (1-based), ``loss`` (mini-batch loss
        before the update), ``grad_norm`` (global L2 norm of the gradient), ``examples`` (seen so
        far), ``seconds`` (wall time since the start of training).
    epochs : DataFrame
        One row per epoch, starting with epoch 0 (before training): ``updates``, ``examples``,
        ``seconds``, and train/test loss and accuracy on the whole split (accuracy is NaN for
        regression, test columns NaN without a test set).
    diverged : bool
        True when the loss or a gradient became non-finite or exploded.
    stopped_reason : str
        ``"completed"``, ``"max_updates"``, ``"callback"`` or a sentence saying why it diverged.
    param_trace : ndarray of shape (updates + 1, n_params) or None
        Every parameter vector visited (flattened in key order), when ``record_params=True``.
    layers : DataFrame or None
        With ``diagnostics=True``, one row per epoch (0 = at initialization) and dense layer
        (1 = first): ``grad_norm`` ||dL/dWk|| of the data loss (no dropout, no penalty),
        ``weight_norm`` ||Wk|| (Frobenius norms), the activation's ``act_mean``, ``act_std``,
        ``saturated`` and ``dead`` fractions (see :func:`core.mlp.layer_statistics`; NaN for the
        output layer), all measured at the end of the epoch on the whole training set, and
        ``update_ratio``, the mean over the epoch's updates of ||delta Wk|| / ||Wk|| (NaN for
        epoch 0).
    bn_state : dict of arrays or None
        The running batch-norm statistics for inference (``core.mlp.predict_logits(...,
        bn_state=...)``) when the network has batch norm.
    """

    params: dict[str, np.ndarray]
    steps: pd.DataFrame
    epochs: pd.DataFrame
    diverged: bool
    stopped_reason: str
    param_trace: np.ndarray | None = None
    layers: pd.DataFrame | None = None
    bn_state: dict[str, np.ndarray] | None = None

    @property
    def n_updates(self) -> int:
        return len(self.steps)


def prepare_targets(loss: str, y: np.ndarray, n_outputs: int) -> np.ndarray:
    """Reshape labels once so every loss gets targets shaped like its logits.

    ``cross_entropy`` takes integer labels of shape (n,); ``mse`` and ``bce_with_logits`` take
    targets of shape (n, n_outputs).
    """
    y = np.asarray(y)
    if loss == "cross_entropy":
        if y.ndim != 1:
            raise ValueError(f"cross_entropy needs integer labels of shape (n,); got {y.shape}.")
        labels = y.astype(np.int64)
        if not np.array_equal(labels, y):
            raise ValueError("cross_entropy needs integer class labels; got non-integer values.")
        if labels.size and (labels.min() < 0 or labels.max() >= n_outputs):
            raise ValueError(
                f"Labels must be in [0, {n_outputs}) for a network with {n_outputs} outputs; "
                f"got labels from {labels.min()} to {labels.max()}."
            )
        return labels
    y = y.astype(np.float64)
    if y.ndim == 1:
        if n_outputs != 1:
            raise ValueError(
                f"Targets of shape (n,) need a network with one output; it has {n_outputs}."
            )
        return y.reshape(-1, 1)
    if y.shape[1] != n_outputs:
        raise ValueError(f"Targets have {y.shape[1]} columns but the network has {n_outputs}.")
    return y


def penalty(params: dict[str, np.ndarray], *, l1: float = 0.0, l2: float = 0.0) -> float:
    """``l1 * sum|W| + l2 * sum W**2`` over the weight matrices ``W1 .. WL`` (not the biases)."""
    total = 0.0
    for key, value in params.items():
        if key[0] == "W":
            if l1:
                total += l1 * float(np.abs(value).sum())
            if l2:
                total += l2 * float(np.vdot(value, value))
    return total


def add_penalty_grad(params, grads, *, l1: float = 0.0, l2: float = 0.0) -> dict[str, np.ndarray]:
    """Gradients with the penalty's (sub)gradient ``l1 * sign(W) + 2 * l2 * W`` added to each W."""
    out = dict(grads)
    for key, value in params.items():
        if key[0] == "W":
            g = grads[key]
            if l1:
                g = g + l1 * np.sign(value)
            if l2:
                g = g + (2.0 * l2) * value
            out[key] = g
    return out


def accuracy(loss: str, logits: np.ndarray, targets: np.ndarray) -> float:
    """Classification accuracy for the classification losses; NaN for regression (``mse``)."""
    if loss == "cross_entropy":
        return float(np.mean(logits.argmax(axis=1) == targets))
    if loss == "bce_with_logits":
        return float(np.mean((logits > 0.0) == (targets > 0.5)))
    return math.nan


def _validate(params, X, epochs, batch_size, dropout, max_updates, loss, eval_every, l1, l2):
    if loss not in LOSSES:
        raise ValueError(f"Unknown loss {loss!r}; choose one of {', '.join(LOSSES)}.")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (n_samples, n_features); got {X.shape}.")
    n_in = params["W1"].shape[0]
    if X.shape[1] != n_in:
        raise ValueError(f"X has {X.shape[1]} features but the network expects {n_in}.")
    if not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"'epochs' must be a non-negative integer; got {epochs!r}.")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise ValueError(f"'batch_size' must be a positive integer or None; got {batch_size!r}.")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"'dropout' must be in [0, 1); got {dropout!r}.")
    if eval_every is not None and (not isinstance(eval_every, (int, np.integer)) or eval_every < 1):
        raise ValueError(f"'eval_every' must be a positive integer or None; got {eval_every!r}.")
    if max_updates is not None and max_updates < 0:
        raise ValueError(f"'max_updates' must be >= 0 or None; got {max_updates!r}.")
    for name, value in (("l1", l1), ("l2", l2)):
        if not (np.isfinite(value) and 0.0 <= value <= 100.0):
            raise ValueError(f"'{name}' must be in [0, 100]; got {value!r}.")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values; clean or impute them first.")


def fit(
    params: dict[str, np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    *,
    loss: str,
    optimizer: Optimizer,
    activation: str = "relu",
    epochs: int = 10,
    batch_size: int | None = 32,
    dropout: float = 0.0,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    seed: int = 0,
    callback: Callable[[dict], bool | None] | None = None,
    max_updates: int | None = None,
    activation_kw: dict | None = None,
    record_params: bool = False,
    divergence_factor: float = 1e6,
    eval_every: int | None = 1,
    l1: float = 0.0,
    l2: float = 0.0,
    diagnostics: bool = False,
    bn_momentum: float = mlp.BN_MOMENTUM,
) -> History:
    """Train a dense network by (mini-)batch gradient descent with any ``core.optim`` optimizer.

    Each epoch reshuffles the training set with a generator seeded from ``seed`` and walks it in
    batches of ``batch_size`` (the last batch may be smaller); one update per batch::

        grads = backward(forward(params, X_batch)); params <- params + optimizer.update(grads)

    Parameters
    ----------
    params : dict of arrays
        Starting parameters (not modified).
    X : ndarray of shape (n, n_in)
    y : ndarray of shape (n,) or (n, n_out)
        Labels or targets; (n,) works with every loss.
    loss : str
        A key of ``core.losses.LOSSES``.
    optimizer : Optimizer
        From ``core.optim`` (e.g. ``adam(1e-3)``).
    activation : str
        Hidden-layer activation, a key of ``core.activations.ACTIVATIONS``.
    epochs : int
        Passes over the training set.
    batch_size : int or None
        ``None`` (or >= n) is full-batch gradient descent; 1 is stochastic gradient descent.
    dropout : float
        Probability of dropping a hidden unit during training (inverted dropout).
    X_test, y_test : arrays, optional
        Evaluated after every epoch.
    seed : int
        Seeds shuffling and dropout: the same seed gives the same history.
    callback : callable, optional
        Called after every epoch with a dict (``epoch``, ``updates``, ``train_loss``,
        ``test_loss``, ``params``); returning True stops training.
    max_updates : int, optional
        A budget of updates; training stops when it is spent.
    activation_kw : dict, optional
        Keyword arguments of the activation.
    record_params : bool
        Keep every visited parameter vector in ``History.param_trace``.
    divergence_factor : float
        The run counts as diverged when a mini-batch loss exceeds this factor times
        ``max(1, initial training loss)``, or when anything becomes non-finite.
    l1, l2 : float
        Penalty strengths: the objective adds ``l1 * sum|W| + l2 * sum W**2`` over the weight
        matrices (biases are not penalized), with gradient ``l1 * sign(W) + 2 * l2 * W``
        (the subgradient 0 at W = 0). Recorded losses are the data loss without the penalty.
    eval_every : int or None
        Evaluate the whole training (and test) set every this many epochs, and always after the
        last one; ``None`` only at the start and the end. Other epoch rows hold NaN metrics.
        A full pass costs as much as an epoch of updates, so sparse evaluation speeds up long runs.
    diagnostics : bool
        Fill ``History.layers`` with per-layer gradient, weight, update and activation statistics
        per epoch. Costs one forward and backward pass over the training set per epoch and two
        norms per layer per update; nothing when False.
    bn_momentum : float
        Momentum of the batch-norm running statistics (PyTorch's 0.1), when ``params`` has batch
        norm (``core.mlp.init_params(..., batch_norm=True)``). Training normalizes each batch with
        its own statistics; every evaluation uses the running ones, like ``model.eval()``.

    Returns
    -------
    History
    """
    X = np.asarray(X, dtype=np.float64)
    _validate(params, X, epochs, batch_size, dropout, max_updates, loss, eval_every, l1, l2)
    loss_obj = LOSSES[loss]
    n = X.shape[0]
    keys = list(params)
    n_out = params[f"W{mlp.n_layers(params)}"].shape[1]
    T = prepare_targets(loss, y, n_out)
    if T.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {T.shape[0]}.")
    has_test = X_test is not None and y_test is not None
    if has_test:
        X_test = np.asarray(X_test, dtype=np.float64)
        T_test = prepare_targets(loss, y_test, n_out)
    B = n if batch_size is None else min(int(batch_size), n)
    per_epoch = math.ceil(n / B)
    bn = mlp.has_batch_norm(params)
    if bn:
        _validate_batch_norm(n, B, bn_momentum)
    bn_state = mlp.init_bn_state(params) if bn else None
    budget = epochs * per_epoch if max_updates is None else min(max_updates, epochs * per_epoch)

    shuffle_rng, dropout_rng = np.random.default_rng(seed).spawn(2)
    act_kw = activation_kw or {}
    fwd_kw = {"activation": activation, "activation_kw": act_kw}
    loss_grad = loss_obj.grad
    # Checked once above (prepare_targets); the loop uses the unchecked arithmetic.
    loss_value = loss_obj.kernel or loss_obj.fn
    loss_grad_fast = loss_obj.grad_kernel or loss_grad

    steps = np.full((budget, len(STEP_COLUMNS)), np.nan)
    epoch_rows: list[tuple] = []
    trace = None
    if record_params:
        trace = np.empty((budget + 1, sum(params[k].size for k in keys)))
        trace[0] = np.concatenate([params[k].ravel() for k in keys])

    def evaluate(p, logits=None):
        if logits is None:
            logits = mlp.forward(p, X, bn_state=bn_state, **fwd_kw)[0]
        row = [loss_obj.fn(logits, T), accuracy(loss, logits, T)]
        if has_test:
            logits_t = mlp.forward(p, X_test, bn_state=bn_state, **fwd_kw)[0]
            row += [loss_obj.fn(logits_t, T_test), accuracy(loss, logits_t, T_test)]
        else:
            row += [math.nan, math.nan]
        return row

    def diagnose(p, epoch, update_ratio):
        # The whole training set, no dropout; batch statistics for batch norm, as in training.
        logits, cache = mlp.forward(p, X, train=bn, **fwd_kw)
        grads = mlp.backward(p, cache, loss_grad(logits, T))
        for row, ratio in zip(mlp.layer_statistics(p, cache, grads), update_ratio, strict=True):
            layer_rows.append((epoch, row[0], row[1], row[2], ratio, *row[3:]))
        # Without batch norm these are the inference-mode logits: evaluate() can reuse them.
        return None if bn else logits

    layer_rows: list[tuple] = []
    weight_keys = [f"W{k}" for k in range(1, mlp.n_layers(params) + 1)]
    ratio_sum = np.zeros(len(weight_keys))
    ratio_count = 0
    penalized = l1 > 0.0 or l2 > 0.0
    widest = max(v.shape[-1] for v in params.values())
    threads = 1 if B * widest < _SINGLE_THREAD_BELOW else None
    state = optimizer.init(params)
    # The library's optimizers run on one flat vector (core.optim.Layout): keep the parameters
    # flat here too, so a step is one flatten of the gradients, the transform and one addition,
    # instead of a flatten and an unflatten per step. Custom optimizers take the dict route.
    # optimizer.flat is the public hook for that fast path (core.optim.FlatTransform).
    flat = optimizer.flat is not None and isinstance(state, OptState)
    if flat:
        layout, inner = state
        transform_update = optimizer.flat.update
        p_flat = layout.flatten(params)
        params = layout.unflatten(p_flat)
        uses_params = optimizer.flat.uses_params
    u = 0
    diverged = False
    reason = "completed"
    start = time.perf_counter()
    with np.errstate(all="ignore"), _BLAS.limit(limits=threads, user_api="blas"):
        reuse = None
        if diagnostics:
            reuse = diagnose(params, 0, [math.nan] * len(weight_keys))
        first = evaluate(params, reuse)
        limit = divergence_factor * max(1.0, first[0]) if np.isfinite(first[0]) else math.inf
        epoch_rows.append((0, 0, 0, 0.0, *first))
        for epoch in range(1, epochs + 1):
            if u >= budget:
                reason = "max_updates"
                break
            if n > B:
                perm = shuffle_rng.permutation(n)
                Xe, Te = X[perm], T[perm]
            else:
                Xe, Te = X, T
            for lo in range(0, n, B):
                if u >= budget:
                    break
                xb, tb = Xe[lo : lo + B], Te[lo : lo + B]
                logits, cache = mlp.forward(
                    params, xb, dropout=dropout, train=True, rng=dropout_rng, **fwd_kw
                )
                batch_loss = loss_value(logits, tb)
                grads = mlp.backward(params, cache, loss_grad_fast(logits, tb))
                if penalized:
                    grads = add_penalty_grad(params, grads, l1=l1, l2=l2)
                if flat:
                    g_flat = layout.flatten(grads)
                    gnorm = math.sqrt(float(g_flat @ g_flat))
                else:
                    gnorm = global_norm(grads)
                row = steps[u]
                row[0] = u + 1
                row[1] = epoch
                row[2] = batch_loss
                row[3] = gnorm
                row[4] = lo + len(xb) + (epoch - 1) * n
                if not (math.isfinite(batch_loss) and math.isfinite(gnorm)):
                    diverged = True
                    reason = f"the loss or gradient became non-finite at update {u + 1}"
                elif batch_loss > limit:
                    diverged = True
                    reason = (
                        f"the loss exploded to {batch_loss:.3g} at update {u + 1} "
                        f"(more than {divergence_factor:.0e} times its start)"
                    )
                if diverged:
                    row[5] = time.perf_counter() - start
                    u += 1
                    break
                if flat:
                    step, inner = transform_update(
                        g_flat, inner, p_flat if uses_params else None, layout
                    )
                    p_flat = p_flat + step
                    new_params = layout.unflatten(p_flat)
                    if diagnostics:
                        updates = layout.unflatten(step)
                else:
                    updates, state = optimizer.update(grads, state, params)
                    new_params = apply_updates(params, updates)
                if bn:
                    bn_state = mlp.update_bn_state(bn_state, cache, momentum=bn_momentum)
                if diagnostics:
                    ratio_sum += [_ratio(updates[k], params[k]) for k in weight_keys]
                    ratio_count += 1
                row[5] = time.perf_counter() - start
                u += 1
                if record_params:
                    trace[u] = (
                        p_flat if flat else np.concatenate([new_params[k].ravel() for k in keys])
                    )
                params = new_params
            if diverged:
                break
            elapsed = time.perf_counter() - start
            last = epoch == epochs or u >= budget
            evaluated = last or bool(eval_every and epoch % eval_every == 0)
            reuse = None
            if diagnostics:
                reuse = diagnose(params, epoch, ratio_sum / max(ratio_count, 1))
                ratio_sum[:] = 0.0
                ratio_count = 0
            metrics = evaluate(params, reuse) if evaluated else [math.nan] * 4
            seen = int(steps[u - 1, 4]) if u else 0
            epoch_rows.append((epoch, u, seen, elapsed, *metrics))
            if evaluated and not math.isfinite(metrics[0]):
                diverged = True
                reason = f"the training loss became non-finite after epoch {epoch}"
                break
            if callback is not None and callback(
                {
                    "epoch": epoch,
                    "updates": u,
                    "train_loss": metrics[0],
                    "test_loss": metrics[2],
                    "params": params,
                }
            ):
                reason = "callback"
                break
        else:
            if u >= budget and max_updates is not None and budget < epochs * per_epoch:
                reason = "max_updates"

    # Column by column, with the integer columns cast up front: a frame built from the 2-D array
    # and then cast costs ~1 ms, which is most of the fixed cost of a short fit.
    steps_df = pd.DataFrame(
        {
            name: steps[:u, i].astype(np.int64) if name in _INT_STEP_COLUMNS else steps[:u, i]
            for i, name in enumerate(STEP_COLUMNS)
        }
    )
    epochs_df = pd.DataFrame(
        dict(zip(EPOCH_COLUMNS, map(list, zip(*epoch_rows, strict=True)), strict=True))
    )
    layers_df = None
    if diagnostics:
        layers_df = pd.DataFrame(layer_rows, columns=list(LAYER_COLUMNS))
        layers_df[["epoch", "layer"]] = layers_df[["epoch", "layer"]].astype(np.int64)
    return History(
        params=params,
        steps=steps_df,
        epochs=epochs_df,
        diverged=diverged,
        stopped_reason=reason,
        param_trace=None if trace is None else trace[: u + 1 - int(diverged)],
        layers=layers_df,
        bn_state=bn_state,
    )


def _ratio(update: np.ndarray, weight: np.ndarray) -> float:
    """||update|| / ||weight||, the relative size of one step (NaN for an all-zero weight)."""
    w = math.sqrt(float(np.vdot(weight, weight)))
    u = math.sqrt(float(np.vdot(update, update)))
    return u / w if w > 0.0 else math.nan


def _validate_batch_norm(n: int, batch: int, momentum: float) -> None:
    if not (np.isfinite(momentum) and 0.0 <= momentum <= 1.0):
        raise ValueError(f"'bn_momentum' must be in [0, 1]; got {momentum!r}.")
    if batch < 2 or n % batch == 1:
        raise ValueError(
            "Batch norm needs at least 2 examples in every mini-batch; with "
            f"batch_size={batch} and {n} examples a batch would hold only one. "
            "Pick another batch_size."
        )
