"""Loss functions with PyTorch's mean reduction, in the stable log-sum-exp forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.activations import sigmoid

__all__ = ["LOSSES", "Loss", "log_softmax", "softmax"]

# Underflow to 0 (exp(-2000), or the square of a 1e-200 residual) is the correctly rounded
# float64 answer, so it is silenced locally; overflow and invalid operations still raise.
_underflow_to_zero = np.errstate(under="ignore")
# The kernels run inside the training loop's own np.errstate(all="ignore"): they call sigmoid's
# undecorated body and skip its per-call errstate context (~0.7 µs, a tenth of a small step's
# loss work). The checked functions below keep their guard.
_sigmoid_kernel = sigmoid.__wrapped__


@dataclass(frozen=True)
class Loss:
    """A scalar loss with mean reduction and its gradient with respect to the predictions.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"cross_entropy"``.
    fn : callable
        ``fn(y_pred, y_true) -> float``, the mean over the batch.
    grad : callable
        ``grad(y_pred, y_true) -> ndarray`` shaped like ``y_pred``: the gradient of that mean,
        so it already carries the ``1 / N`` factor.
    latex : str
        The formula, ready for ``st.latex``.
    grad_latex : str
        The gradient's formula.
    label : str
        Human-readable name for selectboxes and legends.
    kernel, grad_kernel : callable
        The same value and gradient without argument checks, for a training loop that checked
        its targets once (``core.train.prepare_targets``): float64 predictions, targets shaped
        like them (class indices for cross-entropy), a non-empty batch and an error state that
        ignores underflow. A step of a tiny network is a few microseconds of arithmetic, so the
        per-call checks would otherwise cost more than the loss itself.
    """

    name: str
    fn: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    latex: str
    grad_latex: str = ""
    label: str = ""
    kernel: Callable[[np.ndarray, np.ndarray], float] | None = None
    grad_kernel: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None


@_underflow_to_zero
def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``, shifted by the maximum so that no exponent is positive.

    ``softmax(z)_j = exp(z_j - m) / sum_i exp(z_i - m)`` with ``m = max_i z_i``; the shift
    cancels in the ratio, and the largest term becomes ``exp(0) = 1``, so the sum is in
    [1, k] and logits of +-1000 neither overflow nor divide by zero.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
        Logits.
    axis : int, default=-1
        Axis holding the k classes.

    Returns
    -------
    ndarray of shape z.shape
        Probabilities, non-negative, summing to 1 along ``axis``.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@_underflow_to_zero
def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log-softmax along ``axis`` via the log-sum-exp trick.

    ``log_softmax(z)_j = z_j - logsumexp(z) = (z_j - m) - log sum_i exp(z_i - m)``,
    ``m = max_i z_i``. Unlike ``log(softmax(z))`` it never takes ``log(0)``: a logit 1000
    below the maximum gives -1000, not -inf.

    Parameters
    ----------
    z : array_like of shape (..., k, ...)
        Logits.
    axis : int, default=-1
        Axis holding the k classes.

    Returns
    -------
    ndarray of shape z.shape
        Log-probabilities, all <= 0.
    """
    z = np.asarray(z, dtype=np.float64)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - _log_sum_exp_shifted(shifted, axis)


# --- validation, kept cheap: these run once per training step -------------------------------------


def _target_like(y_pred: np.ndarray, y_true, loss: str) -> np.ndarray:
    """Return y_true as float64 with y_pred's shape; (n,) and (n, 1) are interchangeable."""
    y_true = np.asarray(y_true, dtype=np.float64)
    if y_true.shape == y_pred.shape:
        return y_true
    # Only size-1 axes may differ: reshaping (2, 3) targets onto (3, 2) predictions would
    # silently pair the wrong numbers.
    if y_true.size != y_pred.size or y_true.squeeze().shape != y_pred.squeeze().shape:
        raise ValueError(
            f"{loss}: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            f"expected y_true of shape {y_pred.shape} (or (n,) for a single output column). "
            "Pass one target per prediction."
        )
    return y_true.reshape(y_pred.shape)


def _check_not_empty(y_pred: np.ndarray, loss: str) -> None:
    if y_pred.size == 0:
        raise ValueError(
            f"{loss}: got an empty batch (y_pred of shape {y_pred.shape}); "
            "a mean needs at least one sample."
        )


def _class_labels(y_true, n: int, k: int) -> np.ndarray:
    """Validate integer class labels for cross-entropy and return them as an (n,) int array."""
    y = np.asarray(y_true)
    if y.shape != (n,):
        if y.size != n or y.ndim != 2 or y.shape[1] != 1:
            raise ValueError(
                f"cross_entropy: y_true has shape {y.shape}; expected integer class labels of "
                f"shape ({n},), one per row of the ({n}, {k}) logits. For one-hot targets pass "
                "y.argmax(axis=1)."
            )
        y = y.reshape(n)
    kind = y.dtype.kind
    if kind not in "iubf":
        raise ValueError(
            f"cross_entropy: y_true must hold integer class labels; got dtype {y.dtype}."
        )
    # min/max instead of np.unique: O(n) with no sort, cheap enough for every step. Written as
    # "not (in range)" so that NaN labels fail too.
    lo, hi = y.min(), y.max()
    if not (lo >= 0 and hi <= k - 1):
        got = "NaN labels" if np.isnan(lo) or np.isnan(hi) else f"values from {lo} to {hi}"
        raise ValueError(
            f"cross_entropy: labels must be class indices in [0, {k}) for {k} logit columns; "
            f"got {got}. Encode classes as 0..{k - 1} "
            "(e.g. with np.unique(y, return_inverse=True))."
        )
    if kind == "f":
        labels = y.astype(np.intp)
        if not np.array_equal(labels, y):
            raise ValueError(
                "cross_entropy: labels must be whole numbers (class indices); got non-integer "
                "values such as "
                f"{y[labels != y][0]}. Pass integer labels, not probabilities."
            )
        return labels
    return y.astype(np.intp) if kind == "b" else y  # bool arrays would index as masks


# --- mean squared error -----------------------------------------------------------------------


def _mse_kernel(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    diff = (y_pred - y_true).ravel()
    return float(diff @ diff) / diff.size


def _mse_grad_kernel(y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
    return (2.0 / y_pred.size) * (y_pred - y_true)


@_underflow_to_zero
def _mse(y_pred, y_true) -> float:
    """mean((y_pred - y_true)^2) over all elements (torch.nn.MSELoss)."""
    y_pred = np.asarray(y_pred, dtype=np.float64)
    _check_not_empty(y_pred, "mse")
    return _mse_kernel(y_pred, _target_like(y_pred, y_true, "mse"))


@_underflow_to_zero
def _mse_grad(y_pred, y_true) -> np.ndarray:
    """2 (y_pred - y_true) / N."""
    y_pred = np.asarray(y_pred, dtype=np.float64)
    _check_not_empty(y_pred, "mse")
    return _mse_grad_kernel(y_pred, _target_like(y_pred, y_true, "mse"))


# --- binary cross-entropy on logits -------------------------------------------------------------


def _bce_kernel(z: np.ndarray, y: np.ndarray) -> float:
    # The same number as -[y log sigma(z) + (1 - y) log(1 - sigma(z))] = y softplus(-z) +
    # (1 - y) softplus(z), softplus(x) = log(1 + e^x) = np.logaddexp(0, x): exp only sees
    # -|x| <= 0 and log never sees 0, so a logit of 1000 on the wrong side costs 1000, not inf;
    # and both terms are >= 0, so a right answer's small loss is not lost in a difference:
    # log(1 + e^z) - z for a class-1 logit of 50 is 50.0 - 50 = 0 in float64, where its loss
    # is e^-50 = 1.9e-22 (a test loss printed 6.99e-57 for the network's 6.74e-41, audit
    # pass 50 h)
    losses = y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)
    return float(losses.sum()) / z.size


def _bce_grad_kernel(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (_sigmoid_kernel(z) - y) / z.size


@_underflow_to_zero
def _bce_with_logits(y_pred, y_true) -> float:
    """mean(max(z, 0) - z y + log(1 + exp(-|z|))) (torch.nn.BCEWithLogitsLoss)."""
    z = np.asarray(y_pred, dtype=np.float64)
    _check_not_empty(z, "bce_with_logits")
    return _bce_kernel(z, _target_like(z, y_true, "bce_with_logits"))


@_underflow_to_zero
def _bce_with_logits_grad(y_pred, y_true) -> np.ndarray:
    """(sigma(z) - y) / N."""
    z = np.asarray(y_pred, dtype=np.float64)
    _check_not_empty(z, "bce_with_logits")
    return _bce_grad_kernel(z, _target_like(z, y_true, "bce_with_logits"))


# --- multi-class cross-entropy on logits ---------------------------------------------------------


def _check_logits_2d(z: np.ndarray) -> None:
    if z.ndim != 2 or z.shape[0] == 0:
        raise ValueError(
            f"cross_entropy: y_pred must be logits of shape (n, k) with n >= 1; got shape "
            f"{z.shape}. For two classes with a single logit column use 'bce_with_logits'."
        )


def _log_sum_exp_shifted(shifted: np.ndarray, axis: int) -> np.ndarray:
    """log sum_j exp(shifted_j) for logits shifted so that their maximum is 0 (keepdims): the
    maximum's exp(0) = 1 kept out of the sum, log1p(sum of the others), so that the others'
    share is not rounded away beside 1 (logits (50, 0, 0) give log(1 + 2e^-50) = 3.9e-22, not
    the 0 that log(1.0) gives)."""
    rest = np.exp(shifted)
    top = np.expand_dims(np.argmax(shifted, axis=axis), axis)
    np.put_along_axis(rest, top, 0.0, axis=axis)
    return np.log1p(rest.sum(axis=axis, keepdims=True))


def _cross_entropy_kernel(z: np.ndarray, labels: np.ndarray) -> float:
    n = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum_exp = _log_sum_exp_shifted(shifted, 1)[:, 0]
    return float((log_sum_exp - shifted[np.arange(n), labels]).sum()) / n


def _cross_entropy_grad_kernel(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    # The one-hot matrix as a broadcast comparison: cheaper than a fancy-indexed "-= 1".
    onehot = labels[:, None] == np.arange(z.shape[1])
    return (softmax(z, axis=1) - onehot) / z.shape[0]


@_underflow_to_zero
def _cross_entropy(y_pred, y_true) -> float:
    """mean(logsumexp(z_i) - z_{i, y_i}) (torch.nn.CrossEntropyLoss with class indices)."""
    z = np.asarray(y_pred, dtype=np.float64)
    _check_logits_2d(z)
    return _cross_entropy_kernel(z, _class_labels(y_true, *z.shape))


@_underflow_to_zero
def _cross_entropy_grad(y_pred, y_true) -> np.ndarray:
    """(softmax(z) - onehot(y)) / n."""
    z = np.asarray(y_pred, dtype=np.float64)
    _check_logits_2d(z)
    return _cross_entropy_grad_kernel(z, _class_labels(y_true, *z.shape))


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            name="mse",
            label="Mean squared error",
            fn=_mse,
            grad=_mse_grad,
            kernel=_mse_kernel,
            grad_kernel=_mse_grad_kernel,
            latex=r"\mathcal{L} = \frac{1}{N}\sum_{i=1}^{N} (\hat y_i - y_i)^2",
            grad_latex=r"\frac{\partial \mathcal{L}}{\partial \hat y_i} = "
            r"\frac{2}{N}\,(\hat y_i - y_i)",
        ),
        Loss(
            name="bce_with_logits",
            label="Binary cross-entropy (logits)",
            fn=_bce_with_logits,
            grad=_bce_with_logits_grad,
            kernel=_bce_kernel,
            grad_kernel=_bce_grad_kernel,
            latex=r"\mathcal{L} = -\frac{1}{N}\sum_{i=1}^{N} \bigl[y_i \log\sigma(z_i) + "
            r"(1 - y_i)\log\bigl(1 - \sigma(z_i)\bigr)\bigr] = \frac{1}{N}\sum_{i=1}^{N} "
            r"\bigl[\max(z_i, 0) - z_i y_i + \log\bigl(1 + e^{-|z_i|}\bigr)\bigr]",
            grad_latex=r"\frac{\partial \mathcal{L}}{\partial z_i} = "
            r"\frac{\sigma(z_i) - y_i}{N}",
        ),
        Loss(
            name="cross_entropy",
            label="Cross-entropy (softmax logits)",
            fn=_cross_entropy,
            grad=_cross_entropy_grad,
            kernel=_cross_entropy_kernel,
            grad_kernel=_cross_entropy_grad_kernel,
            latex=r"\mathcal{L} = -\frac{1}{n}\sum_{i=1}^{n} \log "
            r"\frac{e^{z_{i y_i}}}{\sum_{j=1}^{k} e^{z_{ij}}} = \frac{1}{n}\sum_{i=1}^{n} "
            r"\Bigl[\log\sum_{j=1}^{k} e^{z_{ij}} - z_{i y_i}\Bigr]",
            grad_latex=r"\frac{\partial \mathcal{L}}{\partial z_{ij}} = "
            r"\frac{\operatorname{softmax}(z_i)_j - [j = y_i]}{n}",
        ),
    )
}
