"""The lab's NumPy network behind scikit-learn's estimator API, so clone, cross-validation and grid search just work."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_is_fitted,
    check_random_state,
    check_scalar,
    validate_data,
)

from core import mlp, train
from core.activations import ACTIVATIONS, sigmoid
from core.losses import softmax
from core.optim import OPTIMIZERS

__all__ = ["MLPClassifier", "MLPRegressor"]

# Upper bounds that keep one fit inside the lab's work budget; far above what a page needs.
MAX_EPOCHS = 100_000
MAX_WIDTH = 4096
MAX_DEPTH = 64


def _scalar(value, name, target_type, **bounds):
    """scikit-learn's ``check_scalar`` (its messages), raising ValueError for a wrong type too."""
    try:
        return check_scalar(value, name, target_type, **bounds)
    except TypeError as err:
        raise ValueError(str(err)) from None


class _BaseMLP(BaseEstimator):
    """Shared hyperparameters, validation and training; subclasses choose the loss and outputs.

    The constructor only stores its arguments (scikit-learn's contract: ``clone`` and
    ``set_params`` rebuild estimators from ``get_params``); every check happens in ``fit``.
    """

    def __init__(
        self,
        hidden_layer_sizes=(32, 32),
        *,
        activation="relu",
        optimizer="adam",
        learning_rate=0.01,
        optimizer_kw=None,
        epochs=100,
        batch_size=32,
        dropout=0.0,
        l1=0.0,
        l2=0.0,
        init="he",
        random_state=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.optimizer_kw = optimizer_kw
        self.epochs = epochs
        self.batch_size = batch_size
        self.dropout = dropout
        self.l1 = l1
        self.l2 = l2
        self.init = init
        self.random_state = random_state

    # ---- hyperparameter checks (scikit-learn's check_scalar messages) ----------------------------

    def _hidden_sizes(self) -> tuple[int, ...]:
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
            sizes = (sizes,)
        try:
            if isinstance(sizes, str):
                raise TypeError
            sizes = tuple(sizes)
        except TypeError:
            raise ValueError(
                "hidden_layer_sizes must be an int or a sequence of ints, e.g. (32, 32) or () "
                f"for no hidden layer; got {self.hidden_layer_sizes!r}."
            ) from None
        if len(sizes) > MAX_DEPTH:
            raise ValueError(
                f"hidden_layer_sizes has {len(sizes)} layers; the limit is {MAX_DEPTH}."
            )
        return tuple(
            _scalar(s, f"hidden_layer_sizes[{i}]", numbers.Integral, min_val=1, max_val=MAX_WIDTH)
            for i, s in enumerate(sizes)
        )

    def _check_params(self) -> dict:
        """Validate every hyperparameter; return the arguments of ``core.train.fit``."""
        name = type(self).__name__
        for attr, choices in (
            ("activation", ACTIVATIONS),
            ("optimizer", OPTIMIZERS),
            ("init", mlp.INITS),
        ):
            value = getattr(self, attr)
            if not isinstance(value, str) or value not in choices:
                raise ValueError(
                    f"The '{attr}' parameter of {name} must be one of "
                    f"{', '.join(map(repr, choices))}; got {value!r}."
                )
        if self.learning_rate is not None:
            _scalar(
                self.learning_rate, "learning_rate", numbers.Real, min_val=0.0, max_val=10.0,
                include_boundaries="right",
            )  # fmt: skip
        _scalar(self.epochs, "epochs", numbers.Integral, min_val=1, max_val=MAX_EPOCHS)
        if self.batch_size is not None:
            _scalar(self.batch_size, "batch_size", numbers.Integral, min_val=1)
        _scalar(
            self.dropout, "dropout", numbers.Real, min_val=0.0, max_val=1.0,
            include_boundaries="left",
        )  # fmt: skip
        _scalar(self.l1, "l1", numbers.Real, min_val=0.0, max_val=100.0)
        _scalar(self.l2, "l2", numbers.Real, min_val=0.0, max_val=100.0)
        if self.optimizer_kw is not None and not isinstance(self.optimizer_kw, dict):
            raise ValueError(
                f"optimizer_kw must be a dict of keyword arguments or None; got {self.optimizer_kw!r}."
            )
        try:
            optimizer = OPTIMIZERS[self.optimizer](self.learning_rate, **(self.optimizer_kw or {}))
        except TypeError as err:
            raise ValueError(
                f"optimizer_kw does not fit optimizer {self.optimizer!r}: {err}"
            ) from None
        return {
            "optimizer": optimizer,
            "activation": self.activation,
            "epochs": int(self.epochs),
            "batch_size": None if self.batch_size is None else int(self.batch_size),
            "dropout": float(self.dropout),
            "l1": float(self.l1),
            "l2": float(self.l2),
        }

    def _seed(self) -> int:
        """An int seed: ``random_state`` itself when it is an int, else one drawn from it."""
        rs = self.random_state
        if isinstance(rs, numbers.Integral) and not isinstance(rs, bool):
            return int(_scalar(rs, "random_state", numbers.Integral, min_val=0, max_val=2**32 - 1))
        return int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    # ---- training and inference ------------------------------------------------------------------

    def _fit_network(self, X: np.ndarray, targets: np.ndarray, n_outputs: int, loss: str):
        """Initialise with ``init`` and train with ``core.train.fit``; set the fitted attributes."""
        fit_kw = self._check_params()
        seed = self._seed()
        sizes = (X.shape[1], *self._hidden_sizes(), n_outputs)
        params = mlp.init_params(sizes, init=self.init, seed=seed)
        # Metrics on the whole training set only at the start and the end: a per-epoch pass
        # would cost as much as another epoch of full-batch updates.
        history = train.fit(params, X, targets, loss=loss, seed=seed, eval_every=None, **fit_kw)
        self.params_ = history.params
        self.history_ = history
        self.n_iter_ = int(history.epochs["epoch"].iloc[-1])
        self.t_ = history.n_updates
        self.loss_ = float(history.epochs["train_loss"].iloc[-1])
        # scikit-learn's loss_curve_: the mean mini-batch loss of each epoch (data loss only).
        self.loss_curve_ = history.steps.groupby("epoch")["loss"].mean().to_numpy()
        self.diverged_ = history.diverged
        self.n_params_ = mlp.count_params(history.params)
        if history.diverged:
            warnings.warn(
                f"{type(self).__name__} diverged: {history.stopped_reason}. The parameters are "
                "the last finite ones; lower learning_rate.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return self

    def _logits(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        with np.errstate(all="ignore"):  # a diverged net may overflow; the result says so
            return mlp.predict_logits(self.params_, X, activation=self.activation)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = not isinstance(self.random_state, numbers.Integral)
        return tags


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """A multi-layer perceptron classifier trained by ``core.train.fit``.

    Two classes use one output logit and ``bce_with_logits``; k > 2 classes use k logits and
    ``cross_entropy``. Labels may be any values: ``classes_`` holds them sorted and the network
    sees their indices.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(32, 32)
        Widths of the hidden layers; ``()`` is logistic (softmax) regression.
    activation : str, default="relu"
        A key of ``core.activations.ACTIVATIONS`` for every hidden layer.
    optimizer : str, default="adam"
        A key of ``core.optim.OPTIMIZERS`` (gd, momentum, nesterov, adagrad, rmsprop, adam, adamw).
    learning_rate : float or None, default=0.01
        Step size; ``None`` uses the optimizer's default from ``OPTIMIZERS``.
    optimizer_kw : dict or None, default=None
        Further keyword arguments of the optimizer factory (e.g. ``{"betas": (0.9, 0.99)}``).
    epochs : int, default=100
        Passes over the training set.
    batch_size : int or None, default=32
        Examples per update; ``None`` is full-batch gradient descent.
    dropout : float in [0, 1), default=0.0
        Probability of dropping a hidden unit during training (inverted dropout).
    l1, l2 : float, default=0.0
        Penalty ``l1 * sum|W| + l2 * sum W**2`` on the weight matrices.
    init : {"normal", "xavier", "he", "lecun"}, default="he"
    random_state : int, RandomState instance or None, default=0
        Seeds the initial weights, the shuffling and dropout. An int gives the same network as
        ``core.train.fit(init_params(..., seed=s), ..., seed=s)``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    params_ : dict of arrays
        ``W1 .. WL`` of shape (n_in, n_out) and ``b1 .. bL``.
    history_ : core.train.History
    n_iter_ : int
        Epochs run. ``t_`` is the number of updates.
    loss_ : float
        Training loss (mean cross-entropy, penalty excluded) after the last epoch.
    loss_curve_ : ndarray of shape (n_iter_,)
        Mean mini-batch loss per epoch.
    diverged_ : bool
    n_params_ : int
        Trainable scalars (weights and biases).
    """

    def fit(self, X, y):
        """Train on X of shape (n_samples, n_features) and labels y of shape (n_samples,)."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        k = len(self.classes_)
        if k < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data; got "
                f"only one class: {self.classes_[0]!r}."
            )
        loss = "bce_with_logits" if k == 2 else "cross_entropy"
        return self._fit_network(X, encoded, 1 if k == 2 else k, loss)

    def decision_function(self, X) -> np.ndarray:
        """Logits: shape (n,) for two classes (log-odds of ``classes_[1]``), else (n, n_classes)."""
        logits = self._logits(X)
        return logits[:, 0] if len(self.classes_) == 2 else logits

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities of shape (n, n_classes): sigmoid for two classes, else softmax."""
        logits = self._logits(X)
        if len(self.classes_) == 2:
            p = sigmoid(logits[:, 0])
            return np.column_stack([1.0 - p, p])
        return softmax(logits, axis=1)

    def predict_log_proba(self, X) -> np.ndarray:
        """Log of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row, shape (n,)."""
        logits = self._logits(X)
        if len(self.classes_) == 2:
            return self.classes_[(logits[:, 0] > 0.0).astype(np.intp)]
        return self.classes_[logits.argmax(axis=1)]


class MLPRegressor(RegressorMixin, _BaseMLP):
    """A multi-layer perceptron regressor (mean squared error) trained by ``core.train.fit``.

    Same hyperparameters and fitted attributes as :class:`MLPClassifier` (without ``classes_``);
    ``score`` is R^2 (``RegressorMixin``). Targets of shape (n,) or (n, n_outputs); they are not
    rescaled, so standardize large targets first (e.g. ``TransformedTargetRegressor``).
    """

    def fit(self, X, y):
        """Train on X of shape (n_samples, n_features) and targets y of shape (n,) or (n, m)."""
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        self._y_ndim = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return self._fit_network(X, y, self.n_outputs_, "mse")

    def predict(self, X) -> np.ndarray:
        """Predictions of shape (n,) for 1-D targets, else (n, n_outputs)."""
        out = self._logits(X)
        return out[:, 0] if self._y_ndim == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
