"""Activation functions and their derivatives: saturation, kinks and dead zones, as in PyTorch."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.special import ndtr

__all__ = [
    "ACTIVATIONS",
    "SELU_ALPHA",
    "SELU_LAMBDA",
    "Activation",
    "sigmoid",
]

# PyTorch's SELU constants (Klambauer et al., 2017); lambda multiplies both branches.
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA_ALPHA = SELU_LAMBDA * SELU_ALPHA  # PyTorch folds the two into one coefficient
_INV_SQRT_2PI = 0.3989422804014327  # 1 / sqrt(2 pi), the standard normal density at 0
# Beyond |x| = 40 the normal density exp(-x^2/2) is below 1e-347, i.e. exactly 0 in float64;
# clipping there keeps x * x from overflowing for inputs like 1e300 without changing any value.
_GELU_PDF_CLIP = 40.0

# Underflow to 0 (e.g. exp(-1000)) is the correctly rounded float64 answer, not a bug, so it is
# silenced locally; overflow and invalid operations still raise under np.errstate(all="raise").
# The decorator form builds a fresh context per call, so it is thread-safe for Streamlit.
_underflow_to_zero = np.errstate(under="ignore")


@dataclass(frozen=True, eq=False)
class Activation:
    """An elementwise activation and its derivative.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"leaky_relu"``.
    fn : callable
        ``fn(x, **params) -> ndarray`` of x's shape.
    grad : callable
        Elementwise derivative ``grad(x, **params) -> ndarray`` of x's shape (``d fn / d x``).
    latex : str
        The formula, ready for ``st.latex``.
    params : Mapping[str, float]
        Keyword defaults accepted by ``fn`` and ``grad``, e.g. ``{"negative_slope": 0.01}``.
        Read-only (module state is shared by every Streamlit session); copy with ``dict(...)``.
    grad_latex : str
        The derivative's formula, including the value chosen at a kink.
    label : str
        Human-readable name for selectboxes and legends.
    """

    name: str
    fn: Callable[..., np.ndarray]
    grad: Callable[..., np.ndarray]
    latex: str
    params: Mapping[str, float] = field(default_factory=dict)
    grad_latex: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


@_underflow_to_zero
def sigmoid(x: np.ndarray | float) -> np.ndarray:
    """Logistic sigmoid, evaluated without overflow.

    ``sigmoid(x) = 1 / (1 + exp(-x))``, computed as ``1 / (1 + e)`` for ``x >= 0`` and
    ``e / (1 + e)`` for ``x < 0`` with ``e = exp(-|x|)`` in (0, 1]: the exponent is never
    positive, so ``x = -1000`` gives ``exp(-1000) = 0`` instead of ``exp(1000) = inf``,
    and both tails keep full relative precision.

    Parameters
    ----------
    x : array_like of shape (...)
        Any finite values (float64).

    Returns
    -------
    ndarray of shape x.shape
        Values in [0, 1].
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


# --- linear -------------------------------------------------------------------------------------


def _linear(x):
    """f(x) = x, as a fresh float64 array so callers may write to it without aliasing x."""
    return np.positive(x, dtype=np.float64)


def _linear_grad(x):
    """f'(x) = 1."""
    return np.ones_like(x, dtype=np.float64)


# --- sigmoid and tanh: smooth, saturating ------------------------------------------------------


@_underflow_to_zero
def _sigmoid_grad(x):
    """sigma'(x) = sigma(x) (1 - sigma(x)); at most 0.25, the root of vanishing gradients."""
    s = sigmoid(x)
    return s * (1.0 - s)


def _tanh(x):
    """tanh(x) = 2 sigma(2x) - 1."""
    return np.tanh(x)


@_underflow_to_zero
def _tanh_grad(x):
    """tanh'(x) = 1 - tanh(x)^2, PyTorch's formula (from the output)."""
    t = np.tanh(x)
    return 1.0 - t * t


# --- the ReLU family: piecewise linear, a kink at 0 ----------------------------------------------
# PyTorch's derivative at exactly 0 takes the x <= 0 branch for every member of the family:
# relu'(0) = 0, leaky_relu'(0) = negative_slope, prelu'(0) = alpha, elu'(0) = alpha,
# selu'(0) = lambda * alpha (checked against torch autograd in tests/core/test_activations.py).


def _relu(x):
    """relu(x) = max(x, 0)."""
    return np.maximum(x, 0.0)


def _relu_grad(x):
    """relu'(x) = 1 if x > 0 else 0 (0 at x = 0, like PyTorch)."""
    return np.greater(x, 0.0).astype(np.float64)


@_underflow_to_zero
def _leaky_relu(x, negative_slope=0.01):
    """leaky_relu(x) = x if x > 0 else negative_slope * x."""
    # Sum of the two one-sided parts rather than np.where(x > 0, x, slope * x): equal values,
    # but the slope never multiplies the positive side, which could overflow for large x.
    return np.maximum(x, 0.0) + negative_slope * np.minimum(x, 0.0)


def _leaky_relu_grad(x, negative_slope=0.01):
    """leaky_relu'(x) = 1 if x > 0 else negative_slope (negative_slope at x = 0, like PyTorch)."""
    return np.where(np.greater(x, 0.0), 1.0, float(negative_slope))


def _prelu(x, alpha=0.25):
    """prelu(x) = x if x > 0 else alpha * x (PyTorch learns alpha; here it is a fixed knob)."""
    return _leaky_relu(x, alpha)


def _prelu_grad(x, alpha=0.25):
    """prelu'(x) = 1 if x > 0 else alpha (alpha at x = 0, like PyTorch)."""
    return _leaky_relu_grad(x, alpha)


# --- exponential units: smooth negative side that saturates at -alpha ---------------------------


@_underflow_to_zero
def _elu(x, alpha=1.0):
    """elu(x) = x if x > 0 else alpha (exp(x) - 1)."""
    # expm1 keeps relative precision near 0; min(x, 0) keeps exp from overflowing for large x.
    return np.where(np.greater(x, 0.0), x, alpha * np.expm1(np.minimum(x, 0.0)))


@_underflow_to_zero
def _elu_grad(x, alpha=1.0):
    """elu'(x) = 1 if x > 0 else alpha exp(x) (alpha at x = 0, like PyTorch)."""
    return np.where(np.greater(x, 0.0), 1.0, alpha * np.exp(np.minimum(x, 0.0)))


@_underflow_to_zero
def _selu(x):
    """selu(x) = lambda * (x if x > 0 else alpha (exp(x) - 1)), fixed lambda and alpha.

    Finite up to x = 1.7e308: beyond that, lambda * x is outside the float64 range.
    """
    return np.where(
        np.greater(x, 0.0), SELU_LAMBDA * x, _SELU_LAMBDA_ALPHA * np.expm1(np.minimum(x, 0.0))
    )


@_underflow_to_zero
def _selu_grad(x):
    """selu'(x) = lambda if x > 0 else lambda alpha exp(x) (lambda alpha at x = 0, like PyTorch)."""
    return np.where(
        np.greater(x, 0.0), SELU_LAMBDA, _SELU_LAMBDA_ALPHA * np.exp(np.minimum(x, 0.0))
    )


# --- smooth gates: the input times a soft step ---------------------------------------------------


@_underflow_to_zero
def _gelu(x):
    """gelu(x) = x Phi(x), Phi the standard normal CDF (exact form, not the tanh approximation)."""
    # ndtr is accurate in the far left tail, where PyTorch's 0.5 (1 + erf(x / sqrt 2)) cancels
    # (to 0 below x = -8); the two differ there by less than 1e-15 in absolute terms.
    return x * ndtr(x)


@_underflow_to_zero
def _gelu_grad(x):
    """gelu'(x) = Phi(x) + x phi(x), phi the standard normal density."""
    xc = np.minimum(np.maximum(x, -_GELU_PDF_CLIP), _GELU_PDF_CLIP)
    return ndtr(x) + xc * (_INV_SQRT_2PI * np.exp(-0.5 * xc * xc))


@_underflow_to_zero
def _swish(x):
    """swish(x) = x sigma(x) (PyTorch's SiLU)."""
    return x * sigmoid(x)


@_underflow_to_zero
def _swish_grad(x):
    """swish'(x) = sigma(x) (1 + x (1 - sigma(x))), PyTorch's formula."""
    s = sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


_RELU_CASES = r"\begin{{cases}} {pos} & x > 0 \\ {neg} & x \le 0 \end{{cases}}"
# A derivative with a kink at 0: the two sides' slopes, and at x = 0 the value PyTorch's backward
# uses, named a convention (the derivative itself exists there only where the slopes meet).
_KINK_CASES = (
    r"\begin{{cases}} {pos} & x > 0 \\ {neg} & x < 0 \\ {at0} & x = 0 "
    r"\ (\text{{{why}}}) \end{{cases}}"
)
_CONVENTION = "a kink: no derivative; PyTorch uses this value"
_UNLESS_ONE = "a kink unless this is 1; PyTorch uses this value"

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            name="linear",
            label="Linear (identity)",
            fn=_linear,
            grad=_linear_grad,
            latex=r"f(x) = x",
            grad_latex=r"f'(x) = 1",
        ),
        Activation(
            name="sigmoid",
            label="Sigmoid",
            fn=sigmoid,
            grad=_sigmoid_grad,
            latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
            grad_latex=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr) \le \tfrac{1}{4}",
        ),
        Activation(
            name="tanh",
            label="Tanh",
            fn=_tanh,
            grad=_tanh_grad,
            latex=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
            grad_latex=r"\tanh'(x) = 1 - \tanh^2(x) \le 1",
        ),
        Activation(
            name="relu",
            label="ReLU",
            fn=_relu,
            grad=_relu_grad,
            latex=r"\mathrm{ReLU}(x) = \max(0, x)",
            grad_latex=r"\mathrm{ReLU}'(x) = "
            + _KINK_CASES.format(pos="1", neg="0", at0="0", why=_CONVENTION),
        ),
        Activation(
            name="leaky_relu",
            label="Leaky ReLU",
            fn=_leaky_relu,
            grad=_leaky_relu_grad,
            params={"negative_slope": 0.01},
            latex=r"\mathrm{LeakyReLU}(x) = "
            + _RELU_CASES.format(pos="x", neg=r"\text{negative\_slope} \cdot x"),
            grad_latex=r"\mathrm{LeakyReLU}'(x) = "
            + _KINK_CASES.format(
                pos="1",
                neg=r"\text{negative\_slope}",
                at0=r"\text{negative\_slope}",
                why=_UNLESS_ONE,
            ),
        ),
        Activation(
            name="prelu",
            label="PReLU",
            fn=_prelu,
            grad=_prelu_grad,
            params={"alpha": 0.25},
            # the slope a, as the activations page's sidebar, sentences and captions name it
            latex=r"\mathrm{PReLU}(x) = " + _RELU_CASES.format(pos="x", neg=r"a\,x"),
            grad_latex=r"\mathrm{PReLU}'(x) = "
            + _KINK_CASES.format(pos="1", neg="a", at0="a", why=_UNLESS_ONE),
        ),
        Activation(
            name="elu",
            label="ELU",
            fn=_elu,
            grad=_elu_grad,
            params={"alpha": 1.0},
            latex=r"\mathrm{ELU}(x) = " + _RELU_CASES.format(pos="x", neg=r"\alpha\,(e^{x} - 1)"),
            grad_latex=r"\mathrm{ELU}'(x) = "
            + _KINK_CASES.format(
                pos="1",
                neg=r"\alpha\,e^{x}",
                at0=r"\alpha",
                why=_UNLESS_ONE,
            ),
        ),
        Activation(
            name="selu",
            label="SELU",
            fn=_selu,
            grad=_selu_grad,
            latex=r"\mathrm{SELU}(x) = \lambda "
            + _RELU_CASES.format(pos="x", neg=r"\alpha\,(e^{x} - 1)")
            + r",\quad \lambda \approx 1.0507,\ \alpha \approx 1.6733",
            grad_latex=r"\mathrm{SELU}'(x) = "
            + _KINK_CASES.format(
                pos=r"\lambda", neg=r"\lambda \alpha\,e^{x}", at0=r"\lambda \alpha", why=_CONVENTION
            ),
        ),
        Activation(
            name="gelu",
            label="GELU",
            fn=_gelu,
            grad=_gelu_grad,
            latex=r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + "
            r"\operatorname{erf}\frac{x}{\sqrt{2}}\right)",
            grad_latex=r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x),\quad "
            r"\varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}",
        ),
        Activation(
            name="swish",
            label="Swish (SiLU)",
            fn=_swish,
            grad=_swish_grad,
            latex=r"\mathrm{swish}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
            grad_latex=r"\mathrm{swish}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        ),
    )
}
