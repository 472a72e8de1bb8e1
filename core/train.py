"""The training loop: batch, mini-batch or stochastic gradient descent, with a full history of each run.

``fit`` orchestrates; its parts live beside it: one update in ``core.train_step`` (forward,
backward, penalty and the optimizer's step on flat parameters), and evaluation, per-layer
diagnostics and the records behind ``History`` in ``core.train_monitor``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from core import heap, mlp
from core.losses import LOSSES
from core.optim import Optimizer
from core.progress import timed_report
from core.train_monitor import (
    EPOCH_COLUMNS,
    LAYER_COLUMNS,
    STEP_COLUMNS,
    Diagnostics,
    Monitor,
    Records,
    accuracy,
    evaluator,
)
from core.train_step import UpdateLoop, add_penalty_grad, batch_gradient, penalty, route

__all__ = [
    "EPOCH_COLUMNS",
    "LAYER_COLUMNS",
    "STEP_COLUMNS",
    "History",
    "Monitor",
    "accuracy",
    "add_penalty_grad",
    "fit",
    "penalty",
    "prepare_targets",
]

# On small matrices BLAS threads cost more to wake than they save; one thread is faster, and
# much faster when another process shares the cores (measured in bench/train_throughput.py).
_BLAS = ThreadpoolController()
_SINGLE_THREAD_BELOW = 128 * 128


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
    monitor: Monitor | None = None,
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
        From ``core.optim`` (e.g. ``adam(1e-3)``). One with a flat form (``optimizer.flat``,
        every library optimizer) trains on one flat parameter vector, the fast path.
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
    monitor : Monitor, optional
        ``callback``, ``record_params``, ``divergence_factor``, ``eval_every`` and
        ``diagnostics`` grouped in one object; give either it or those keywords, not both.

    Returns
    -------
    History

    Raises
    ------
    core.progress.Cancelled
        From :func:`core.progress.report`, called with no fraction at the start of every epoch
        that runs: a listener (the app's, for a run whose page has gone) may stop training there.
        Lessons report their own fractions; fit's ticks leave them alone.

    Notes
    -----
    The first call fixes glibc's heap thresholds for the process (:mod:`core.heap`), so that an
    update reuses the memory the last one freed instead of growing and trimming the heap.
    """
    heap.steady_thresholds()
    monitor = _monitor(
        monitor,
        eval_every=eval_every,
        diagnostics=diagnostics,
        record_params=record_params,
        divergence_factor=divergence_factor,
        callback=callback,
    )
    X = np.asarray(X, dtype=np.float64)
    _validate(params, X, epochs, batch_size, dropout, max_updates, loss, l1, l2)
    loss_obj = LOSSES[loss]
    n = X.shape[0]
    n_out = params[f"W{mlp.n_layers(params)}"].shape[1]
    T = prepare_targets(loss, y, n_out)
    if T.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {T.shape[0]}.")
    T_test = None
    if X_test is not None and y_test is not None:
        X_test = np.asarray(X_test, dtype=np.float64)
        T_test = prepare_targets(loss, y_test, n_out)
    else:
        X_test = None
    B = n if batch_size is None else min(int(batch_size), n)
    per_epoch = math.ceil(n / B)
    bn = mlp.has_batch_norm(params)
    if bn:
        _validate_batch_norm(n, B, bn_momentum)
    budget = epochs * per_epoch if max_updates is None else min(max_updates, epochs * per_epoch)

    shuffle_rng, dropout_rng = np.random.default_rng(seed).spawn(2)
    fwd_kw = {"activation": activation, "activation_kw": activation_kw or {}}
    evaluate = evaluator(loss, loss_obj.fn, X, T, X_test, T_test, fwd_kw=fwd_kw)
    diagnose = None
    if monitor.diagnostics:
        diagnose = Diagnostics(params, loss_obj.grad, X, T, fwd_kw=fwd_kw, batch_norm=bn)
    stepper = route(optimizer, params)
    records = Records(budget, trace_start=stepper.flat_params() if monitor.record_params else None)
    loop = UpdateLoop(
        # Checked once above (prepare_targets); the loop uses the unchecked arithmetic.
        gradient=batch_gradient(
            loss_obj.kernel or loss_obj.fn,
            loss_obj.grad_kernel or loss_obj.grad,
            fwd_kw={**fwd_kw, "dropout": dropout, "rng": dropout_rng},
            l1=l1,
            l2=l2,
        ),
        route=stepper,
        records=records,
        diagnostics=diagnose,
        batch_size=B,
        budget=budget,
        bn_momentum=bn_momentum if bn else None,
        divergence_factor=monitor.divergence_factor,
    )
    widest = max(v.shape[-1] for v in params.values())
    threads = 1 if B * widest < _SINGLE_THREAD_BELOW else None
    bn_state = mlp.init_bn_state(params) if bn else None
    u = 0
    stop = None
    reason = "completed"
    loop.start = time.perf_counter()
    with np.errstate(all="ignore"), _BLAS.limit(limits=threads, user_api="blas"):
        reuse = diagnose.end_epoch(stepper.params, 0) if diagnose else None
        first = evaluate(stepper.params, bn_state, reuse)
        if np.isfinite(first[0]):
            loop.limit = monitor.divergence_factor * max(1.0, first[0])
        records.epochs.append((0, 0, 0, 0.0, *first))
        for epoch in range(1, epochs + 1):
            if u >= budget:
                reason = "max_updates"
                break
            # A tick per epoch: the app's listener may raise core.progress.Cancelled here, which
            # ends the run between epochs (outside the app nobody listens). Its time is not the
            # run's: the clock's start moves past it (a full batch's one update an epoch read the
            # listener's milliseconds as its own; audit pass 71 h on gradient descent).
            loop.start += timed_report(None)
            if n > B:
                perm = shuffle_rng.permutation(n)
                Xe, Te = X[perm], T[perm]
            else:
                Xe, Te = X, T
            u, bn_state, stop = loop.epoch(epoch, u, Xe, Te, bn_state)
            if stop:
                break
            elapsed = time.perf_counter() - loop.start
            evaluated = monitor.evaluates(epoch, last=epoch == epochs or u >= budget)
            reuse = diagnose.end_epoch(stepper.params, epoch) if diagnose else None
            metrics = evaluate(stepper.params, bn_state, reuse) if evaluated else [math.nan] * 4
            seen = int(records.steps[u - 1, 4]) if u else 0
            records.epochs.append((epoch, u, seen, elapsed, *metrics))
            if evaluated and not math.isfinite(metrics[0]):
                stop = f"the training loss became non-finite after epoch {epoch}"
                break
            if monitor.callback is not None and monitor.callback(
                {
                    "epoch": epoch,
                    "updates": u,
                    "train_loss": metrics[0],
                    "test_loss": metrics[2],
                    "params": stepper.snapshot(),
                }
            ):
                reason = "callback"
                break
        else:
            if u >= budget and max_updates is not None and budget < epochs * per_epoch:
                reason = "max_updates"

    diverged = stop is not None
    return History(
        params=stepper.params,
        steps=records.steps_frame(u),
        epochs=records.epochs_frame(),
        diverged=diverged,
        stopped_reason=stop if diverged else reason,
        param_trace=records.param_trace(u + 1 - int(diverged)),
        layers=diagnose.frame() if diagnose else None,
        bn_state=bn_state,
    )


_MONITOR_DEFAULTS = {f.name: f.default for f in fields(Monitor)}


def _monitor(monitor: Monitor | None, **options) -> Monitor:
    """The monitoring options as one Monitor, from ``monitor=`` or from fit's keywords."""
    if monitor is None:
        return Monitor(**options)
    if not isinstance(monitor, Monitor):
        raise ValueError(f"'monitor' must be a core.train.Monitor; got {type(monitor).__name__}.")
    given = sorted(k for k, v in options.items() if v != _MONITOR_DEFAULTS[k])
    if given:
        raise ValueError(
            f"Pass the monitoring options either as 'monitor' or as keywords, not both; got "
            f"monitor and {', '.join(map(repr, given))}. Put them in the Monitor."
        )
    return monitor


def _validate(params, X, epochs, batch_size, dropout, max_updates, loss, l1, l2):
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
    if max_updates is not None and max_updates < 0:
        raise ValueError(f"'max_updates' must be >= 0 or None; got {max_updates!r}.")
    for name, value in (("l1", l1), ("l2", l2)):
        if not (np.isfinite(value) and 0.0 <= value <= 100.0):
            raise ValueError(f"'{name}' must be in [0, 100]; got {value!r}.")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values; clean or impute them first.")


def _validate_batch_norm(n: int, batch: int, momentum: float) -> None:
    if not (np.isfinite(momentum) and 0.0 <= momentum <= 1.0):
        raise ValueError(f"'bn_momentum' must be in [0, 1]; got {momentum!r}.")
    if batch < 2 or n % batch == 1:
        raise ValueError(
            "Batch norm needs at least 2 examples in every mini-batch; with "
            f"batch_size={batch} and {n} examples a batch would hold only one. "
            "Pick another batch_size."
        )
