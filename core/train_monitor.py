"""What the training loop measures and keeps besides the training itself: evaluation, per-layer diagnostics, and the records behind ``History``."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import mlp
from core.layer_stats import scaled_norm

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


@dataclass(frozen=True)
class Monitor:
    """The monitoring options of :func:`core.train.fit`, grouped (each is also a keyword of fit).

    Attributes
    ----------
    eval_every : int or None
        Evaluate the whole training (and test) set every this many epochs, and always after the
        last one; ``None`` only at the start and the end. Other epoch rows hold NaN metrics.
    diagnostics : bool
        Fill ``History.layers`` with per-layer statistics per epoch.
    record_params : bool
        Keep every visited parameter vector in ``History.param_trace``.
    divergence_factor : float
        A mini-batch loss above this factor times ``max(1, initial training loss)`` counts as
        diverged (as does anything non-finite).
    callback : callable or None
        Called after every epoch with a dict (``epoch``, ``updates``, ``train_loss``,
        ``test_loss``, ``params``); returning True stops training.
    """

    eval_every: int | None = 1
    diagnostics: bool = False
    record_params: bool = False
    divergence_factor: float = 1e6
    callback: Callable[[dict], bool | None] | None = None

    def __post_init__(self):
        every = self.eval_every
        if every is not None and (not isinstance(every, (int, np.integer)) or every < 1):
            raise ValueError(f"'eval_every' must be a positive integer or None; got {every!r}.")

    def evaluates(self, epoch: int, last: bool) -> bool:
        """Whether epoch ``epoch`` (1-based) ends with a full evaluation."""
        return last or bool(self.eval_every and epoch % self.eval_every == 0)


def accuracy(loss: str, logits: np.ndarray, targets: np.ndarray) -> float:
    """Classification accuracy for the classification losses; NaN for regression (``mse``)."""
    if loss == "cross_entropy":
        return float(np.mean(logits.argmax(axis=1) == targets))
    if loss == "bce_with_logits":
        return float(np.mean((logits > 0.0) == (targets > 0.5)))
    return math.nan


def evaluator(loss: str, loss_fn, X, T, X_test, T_test, *, fwd_kw) -> Callable:
    """``evaluate(params, bn_state, logits=None)`` -> [train_loss, train_accuracy, test_loss,
    test_accuracy] in inference mode (NaN test columns without a test set); ``logits`` are the
    training set's inference logits when already computed."""
    has_test = X_test is not None

    def evaluate(params, bn_state, logits=None):
        if logits is None:
            logits = mlp.forward(params, X, bn_state=bn_state, **fwd_kw)[0]
        row = [loss_fn(logits, T), accuracy(loss, logits, T)]
        if has_test:
            logits_t = mlp.forward(params, X_test, bn_state=bn_state, **fwd_kw)[0]
            row += [loss_fn(logits_t, T_test), accuracy(loss, logits_t, T_test)]
        else:
            row += [math.nan, math.nan]
        return row

    return evaluate


class Diagnostics:
    """Per-layer statistics once per epoch, and the mean relative update size over its updates.

    ``weight_norms(params)`` before an update and ``record(updates, norms)`` after it accumulate
    ||delta Wk|| / ||Wk||; ``end_epoch(params, epoch)`` measures the whole training set (no
    dropout; batch statistics for batch norm, as in training) and appends one row per layer to
    ``rows``.
    """

    def __init__(self, params, loss_grad, X, T, *, fwd_kw, batch_norm: bool):
        self._loss_grad, self._X, self._T = loss_grad, X, T
        self._fwd_kw, self._bn = fwd_kw, batch_norm
        self._weight_keys = [f"W{k}" for k in range(1, mlp.n_layers(params) + 1)]
        self._ratio_sum = np.zeros(len(self._weight_keys))
        self._count = 0
        self.rows: list[tuple] = []

    def weight_norms(self, params) -> list[float]:
        """||Wk|| (Frobenius) per layer, taken before an update changes the weights."""
        return [math.sqrt(float(np.vdot(params[k], params[k]))) for k in self._weight_keys]

    def record(self, updates, weight_norms) -> None:
        """Add one update's ||delta Wk|| / ||Wk|| per layer (NaN for an all-zero weight)."""
        ratios = []
        for key, w in zip(self._weight_keys, weight_norms, strict=True):
            # scaled: an update of entries below 1.5e-162 is not 0 (audit pass 62 e)
            u = scaled_norm(updates[key])
            ratios.append(u / w if w > 0.0 else math.nan)
        self._ratio_sum += ratios
        self._count += 1

    def end_epoch(self, params, epoch: int):
        """Append the epoch's rows; return the inference logits when they are reusable."""
        if epoch == 0:
            ratios = [math.nan] * len(self._weight_keys)
        else:
            ratios = self._ratio_sum / max(self._count, 1)
        logits, cache = mlp.forward(params, self._X, train=self._bn, **self._fwd_kw)
        grads = mlp.backward(params, cache, self._loss_grad(logits, self._T))
        for row, ratio in zip(mlp.layer_statistics(params, cache, grads), ratios, strict=True):
            self.rows.append((epoch, row[0], row[1], row[2], ratio, *row[3:]))
        self._ratio_sum[:] = 0.0
        self._count = 0
        # Without batch norm these are the inference-mode logits: the evaluation can reuse them.
        return None if self._bn else logits

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=list(LAYER_COLUMNS))
        frame[["epoch", "layer"]] = frame[["epoch", "layer"]].astype(np.int64)
        return frame


class Records:
    """The rows behind ``History``: one per update (``steps``), one per epoch, the param trace.

    ``steps`` is preallocated for the whole budget and filled in place by the loop (a row per
    update in :data:`STEP_COLUMNS` order); ``trace`` holds the visited parameter vectors when
    asked for.
    """

    def __init__(self, budget: int, *, trace_start: np.ndarray | None):
        self.steps = np.full((budget, len(STEP_COLUMNS)), np.nan)
        self.epochs: list[tuple] = []
        self.trace = None
        if trace_start is not None:
            self.trace = np.empty((budget + 1, trace_start.size))
            self.trace[0] = trace_start

    def steps_frame(self, n_updates: int) -> pd.DataFrame:
        # Column by column, with the integer columns cast up front: a frame built from the 2-D
        # array and then cast costs ~1 ms, which is most of the fixed cost of a short fit.
        steps = self.steps
        return pd.DataFrame(
            {
                name: steps[:n_updates, i].astype(np.int64)
                if name in _INT_STEP_COLUMNS
                else steps[:n_updates, i]
                for i, name in enumerate(STEP_COLUMNS)
            }
        )

    def epochs_frame(self) -> pd.DataFrame:
        columns = map(list, zip(*self.epochs, strict=True))
        return pd.DataFrame(dict(zip(EPOCH_COLUMNS, columns, strict=True)))

    def param_trace(self, n_kept: int) -> np.ndarray | None:
        return None if self.trace is None else self.trace[:n_kept]
