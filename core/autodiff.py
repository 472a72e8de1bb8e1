"""Differentiate a loss the user types: reverse mode over NumPy arrays, in the shape of micrograd."""

from __future__ import annotations

import keyword
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core.activations import sigmoid
from core.expression import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    REDUCTIONS,
    VARIABLES,
    ExpressionError,
    Tree,
    parse,
    to_latex,
)
from core.facts import num

__all__ = [
    "BRANCHING",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "CompiledLoss",
    "EvaluationError",
    "ExpressionError",
    "Node",
    "Switch",
    "compile_loss",
]

MAX_EXPONENT = 10.0  # |constant exponent|: 9**9**9 is refused before anything is computed
BUILTIN_CONSTANTS = {"pi": math.pi, "e": math.e}
# The functions whose formula changes branch: where a switch value below crosses 0, the loss's
# slope (or a higher derivative) can jump, and a finite difference straddling it mixes branches.
BRANCHING = ("abs", "relu", "maximum", "minimum", "clip")
_STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}
_LENIENT = {"all": "ignore"}


class EvaluationError(ExpressionError):
    """A valid expression that fails on these numbers (log of a negative, overflow, 1/0)."""


def _constant(tree: Tree, names: Mapping[str, float]) -> float | None:
    """The value of a subtree free of y_pred and y_true, or None if it depends on them."""
    if tree.op == "name" and tree.name in VARIABLES:
        return None
    args = [_constant(a, names) for a in tree.args]
    if any(a is None for a in args):
        return None
    try:
        with np.errstate(**_STRICT):
            node = _apply(tree, [Node(np.float64(a)) for a in args], names, None)
    except FloatingPointError as err:
        raise ExpressionError(f"the constant {tree.op!r} fails ({err})", tree.column) from None
    return float(node.data)


def _check_exponents(tree: Tree, names: Mapping[str, float]) -> None:
    """Refuse constant exponents above MAX_EXPONENT, innermost first, before computing any power."""
    for arg in tree.args:
        _check_exponents(arg, names)
    if tree.op == "**":
        power = _constant(tree.args[1], names)
        if power is not None and not abs(power) <= MAX_EXPONENT:
            raise ExpressionError(
                f"the constant exponent {power:.6g} is too large",
                tree.column,
                f"|exponent| must be at most {MAX_EXPONENT:g}.",
            )


def _is_scalar(tree: Tree) -> bool:
    if tree.op in REDUCTIONS or tree.op == "num":
        return True
    if tree.op == "name":
        return tree.name not in VARIABLES
    return all(_is_scalar(a) for a in tree.args)


# --- the engine: one Node class, one short method per primitive -----------------------------------


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient over the axes that broadcasting added or stretched."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# The smooth unary primitives' local derivatives, as functions of the input x and the output
# out: reverse mode (Node._smooth) and the one-sided tangents (_tangent) both use them.
SMOOTH_SLOPES = {
    "exp": lambda x, out: out,
    "log": lambda x, out: 1.0 / x,
    "log1p": lambda x, out: 1.0 / (1.0 + x),
    "sin": lambda x, out: np.cos(x),
    "cos": lambda x, out: -np.sin(x),
    "tanh": lambda x, out: 1.0 - out**2,
    "sigmoid": lambda x, out: out * (1.0 - out),
    "softplus": lambda x, out: sigmoid(x),
}


class Node:
    """An array in the computation graph, its gradient and the closure that propagates it.

    ``node.grad`` is d(root)/d(node) after ``root.backward()``; only nodes that depend on a
    leaf created with ``requires_grad=True`` (here ``y_pred``) take part in the backward pass.
    """

    __slots__ = ("_backward", "column", "data", "grad", "label", "parents", "requires_grad")

    def __init__(self, data, parents=(), *, requires_grad=False):
        self.data = np.asarray(data, dtype=np.float64)
        self.parents = parents
        self.requires_grad = requires_grad or True in [p.requires_grad for p in parents]
        self.grad = None
        self._backward = lambda: None
        self.column, self.label = 0, ""

    def _send(self, grad) -> None:
        if self.requires_grad:
            self.grad += _unbroadcast(np.asarray(grad), self.data.shape)

    def __add__(self, other):
        out = Node(self.data + other.data, (self, other))

        def _backward():
            self._send(out.grad)
            other._send(out.grad)

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = Node(self.data * other.data, (self, other))

        def _backward():
            self._send(out.grad * other.data)
            other._send(out.grad * self.data)

        out._backward = _backward
        return out

    def __truediv__(self, other):
        out = Node(self.data / other.data, (self, other))

        def _backward():
            self._send(out.grad / other.data)
            other._send(-(out.grad / other.data) * out.data)

        out._backward = _backward
        return out

    def __pow__(self, other):
        out = Node(np.power(self.data, other.data), (self, other))

        def _backward():
            a, b = np.broadcast_arrays(self.data, other.data)
            if self.requires_grad:  # d(a^b)/da = b a^(b-1), taken as 0 where b = 0 (as PyTorch)
                slope = np.power(a, b - 1.0, where=b != 0, out=np.zeros(a.shape))
                self._send(out.grad * b * slope)
            if other.requires_grad:  # d(a^b)/db = a^b log a, taken as 0 where a = 0 and b >= 0
                skip = (a == 0) & (b >= 0)
                other._send(out.grad * np.log(a, where=~skip, out=np.zeros(a.shape)) * out.data)

        out._backward = _backward
        return out

    def _unary(self, value, slope):
        """A unary elementwise primitive with local derivative ``slope(out)``."""
        out = Node(value, (self,))
        out._backward = lambda: self._send(out.grad * slope(out))
        return out

    def __neg__(self):
        return self * Node(-1.0)

    def __sub__(self, other):
        return self + (-other)

    def _smooth(self, op: str, value):
        """A smooth unary primitive: its local derivative from :data:`SMOOTH_SLOPES`."""
        return self._unary(value, lambda out: SMOOTH_SLOPES[op](self.data, out.data))

    def exp(self):
        return self._smooth("exp", np.exp(self.data))

    def log(self):
        return self._smooth("log", np.log(self.data))

    def log1p(self):
        return self._smooth("log1p", np.log1p(self.data))

    def sin(self):
        return self._smooth("sin", np.sin(self.data))

    def cos(self):
        return self._smooth("cos", np.cos(self.data))

    def tanh(self):
        return self._smooth("tanh", np.tanh(self.data))

    def sigmoid(self):
        return self._smooth("sigmoid", sigmoid(self.data))

    def relu(self):  # relu'(0) = 0, like PyTorch
        return self._unary(np.maximum(self.data, 0.0), lambda out: self.data > 0)

    def softplus(self):  # log(1 + e^x) without overflow; its slope is sigmoid(x)
        return self._smooth("softplus", np.logaddexp(0.0, self.data))

    def abs(self):  # abs'(0) = 0, like PyTorch
        return self._unary(np.abs(self.data), lambda out: np.sign(self.data))

    def maximum(self, other, sign=1.0):
        """Elementwise max (min with sign=-1); a tie splits the gradient in half, like PyTorch."""
        a, b = sign * self.data, sign * other.data
        out = Node(sign * np.maximum(a, b), (self, other))

        def _backward():
            share = np.where(a > b, 1.0, np.where(a == b, 0.5, 0.0))
            self._send(out.grad * share)
            other._send(out.grad * (1.0 - share))

        out._backward = _backward
        return out

    def minimum(self, other):
        return self.maximum(other, sign=-1.0)

    def clip(self, low, high):
        """min(max(x, low), high); like torch.clamp, x gets the gradient where low <= x <= high."""
        out = Node(np.minimum(np.maximum(self.data, low.data), high.data), (self, low, high))

        def _backward():
            self._send(out.grad * ((self.data >= low.data) & (self.data <= high.data)))
            low._send(out.grad * (self.data < low.data))
            high._send(out.grad * (self.data > high.data))

        out._backward = _backward
        return out

    def sum(self, axis=None):
        """Sum over all elements, or over ``axis`` (kept) when rows are independent problems."""
        if axis is not None:  # a number (no row axis) sums to itself
            axis = tuple(a for a in axis if a < self.data.ndim)
        out = Node(self.data.sum(axis=axis, keepdims=axis is not None), (self,))
        out._backward = lambda: self._send(np.broadcast_to(out.grad, self.data.shape))
        return out

    def mean(self, axis=None):
        if axis is not None:
            axis = tuple(a for a in axis if a < self.data.ndim)
        count = self.data.size if axis is None else math.prod(self.data.shape[a] for a in axis)
        return self.sum(axis) * Node(1.0 / count)

    def sqrt(self):
        return self ** Node(0.5)

    def cosh(self):
        return (self.exp() + (-self).exp()) * Node(0.5)

    def backward(self) -> None:
        """Fill ``grad`` of every node that needs one: a topological order, then the chain rule."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node.parents if p.requires_grad)
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            try:
                node._backward()
            except FloatingPointError as err:
                raise EvaluationError(
                    f"the gradient of {node.label} fails ({err})",
                    node.column,
                    _hint(node.label, err, gradient=True),
                ) from None


# Labels of the Nodes built by an elementwise function call or a power (see node_counts).
_ELEMENTWISE = {f for f, arity in FUNCTIONS.items() if arity == 1 and f not in REDUCTIONS} | {
    "'**'"
}
_BINARY = {"+": Node.__add__, "-": Node.__sub__, "*": Node.__mul__, "/": Node.__truediv__}
_HINTS = {
    "log": "log needs a positive argument.",
    "log1p": "log1p needs an argument above -1.",
    "sqrt": "sqrt needs a non-negative argument, and its slope is infinite at 0.",
    "'/'": "The denominator is 0, or the quotient overflows.",
    "'**'": "A negative base needs a whole exponent, and 0 a positive one.",
    "exp": "exp overflows float64 above about 709.78.",
    # cosh(x) is computed as (e^x + e^-x)/2, so it fails where either exp overflows: at x = 710
    # too, below the 710.5 where cosh itself leaves float64, and at x = -1000 (audit pass 52 a)
    "cosh": "cosh(x) is computed as (e^x + e^(-x))/2, and e^|x| overflows float64 for |x| "
    "above about 709.78.",
}
# Why a gradient fails: the slope's own formula (a node's forward hint names the forward's cause).
_GRADIENT_HINTS = {
    "log": "log's slope 1/x is infinite at 0.",
    "log1p": "log1p's slope 1/(1 + x) is infinite at -1.",
    "sqrt": "sqrt's slope 1/(2 sqrt(x)) is infinite at 0.",
    "'/'": "The slopes of a/b are 1/b and -a/b², which need b away from 0.",
    "'**'": (
        "The slope of a**b is b a^(b-1), infinite at a = 0 when b < 1, and a^b ln(a) when the "
        "exponent depends on y_pred or y_true, which needs a positive base."
    ),
}
_BY_KIND = {  # NumPy's words for each floating-point failure, and what they mean
    "overflow": "The values overflow float64.",
    "divide by zero": "A value is divided by 0 (or a log, or a negative power, meets 0).",
    "invalid value": "A value is undefined (0/0, 0·∞, ∞ − ∞, or outside the function's domain).",
}


def _hint(label: str, err: FloatingPointError, *, gradient: bool = False) -> str:
    """Why ``label`` failed, in its forward pass or (``gradient``) in its slope: the node's own
    hint, unless NumPy reports an overflow the hint does not name (a power of 1e308 is not a
    negative base, and a gradient of 1/(1e-200 ŷ) overflows with a denominator far from 0)."""
    kind = next((k for k in _BY_KIND if k in str(err)), "overflow")
    hint = (_GRADIENT_HINTS if gradient else _HINTS).get(label)
    if kind == "overflow" and (hint is None or gradient or "overflow" not in hint):
        return "The gradient overflows float64." if gradient else _BY_KIND["overflow"]
    return hint or _BY_KIND[kind]


def _apply(tree: Tree, args: list[Node], names: Mapping[str, float], axis) -> Node:
    """The Node for one parse-tree node, given the Nodes of its arguments."""
    if tree.op == "num":
        return Node(tree.value)
    if tree.op == "name":
        return Node(names[tree.name])
    if tree.op == "neg":
        return -args[0]
    if tree.op == "**":
        return args[0] ** args[1]
    if tree.op in _BINARY:
        return _BINARY[tree.op](*args)
    if tree.op in REDUCTIONS:
        return getattr(args[0], tree.op)(axis)
    return getattr(Node, tree.op)(*args)


def _label(tree: Tree) -> str:
    return tree.op if tree.op in FUNCTIONS else f"'{tree.op}'".replace("'neg'", "unary '-'")


@dataclass(frozen=True)
class Switch:
    """Where one call of a BRANCHING function changes branch, sampled at a batch of problems.

    ``values`` has shape (m, k) for inputs of shape (m, k): the branch changes where it crosses
    0 (abs and relu: their argument; maximum and minimum: a - b; clip: x - low, then x - high,
    as two switches).
    """

    label: str
    column: int
    values: np.ndarray


@dataclass(frozen=True, eq=False)
class CompiledLoss:
    """A parsed loss, ready to evaluate and differentiate with respect to ``y_pred``.

    Attributes
    ----------
    text : str
        The expression as typed.
    tree : Tree
        Its parse tree.
    constants : Mapping[str, float]
        Every name besides y_pred and y_true (pi, e and the caller's constants).
    """

    text: str
    tree: Tree
    constants: Mapping[str, float]

    @property
    def latex(self) -> str:
        """The parsed expression in LaTeX (y_pred is written as y-hat)."""
        return to_latex(self.tree)

    @property
    def uses_y_pred(self) -> bool:
        def walk(t):
            return (t.op == "name" and t.name == "y_pred") or any(walk(a) for a in t.args)

        return walk(self.tree)

    def _forward(self, y_pred, y_true, *, batched: bool):
        """Build the graph; returns (root, {id(tree): node}, y_pred leaf)."""
        y_pred = np.array(y_pred, dtype=np.float64)
        y_true = np.asarray(y_true, dtype=np.float64)
        if not (np.all(np.isfinite(y_pred)) and np.all(np.isfinite(y_true))):
            raise ValueError("y_pred and y_true must be finite numbers.")
        if np.broadcast_shapes(y_pred.shape, y_true.shape) != y_pred.shape:
            raise ValueError(
                f"y_true of shape {y_true.shape} does not match y_pred of shape {y_pred.shape}."
            )
        axis = tuple(range(1, y_pred.ndim)) if batched else None
        if batched and (y_pred.ndim < 2 or y_pred.size == 0):
            raise ValueError(f"batched inputs need shape (m, k); got {y_pred.shape}.")
        leaf = Node(y_pred, requires_grad=True)
        variables = {"y_pred": leaf, "y_true": Node(np.broadcast_to(y_true, y_pred.shape))}
        nodes: dict[int, Node] = {}

        def build(tree: Tree) -> Node:
            args = [build(a) for a in tree.args]
            if tree.op == "name" and tree.name in variables:
                node = variables[tree.name]
            else:
                label = _label(tree)
                try:
                    node = _apply(tree, args, self.constants, axis)
                except FloatingPointError as err:
                    raise EvaluationError(
                        f"{label} fails ({err})",
                        tree.column,
                        _hint(label, err),
                    ) from None
                _tag(node, {id(a) for a in args}, tree.column, label)
            nodes[id(tree)] = node
            return node

        return build(self.tree), nodes, leaf

    def value_and_grad(self, y_pred, y_true) -> tuple[float, np.ndarray]:
        """The loss and d loss / d y_pred (shaped like y_pred), or EvaluationError naming the op."""
        with np.errstate(**_STRICT):
            root, _, leaf = self._forward(y_pred, y_true, batched=False)
            if not root.requires_grad:
                return float(root.data), np.zeros_like(leaf.data)
            root.backward()
        return float(root.data), leaf.grad

    def value(self, y_pred, y_true) -> float:
        """The loss, a float (no backward pass)."""
        with np.errstate(**_STRICT):
            return float(self._forward(y_pred, y_true, batched=False)[0].data)

    def grad(self, y_pred, y_true) -> np.ndarray:
        """d loss / d y_pred, an array shaped like y_pred."""
        return self.value_and_grad(y_pred, y_true)[1]

    def batch(self, y_pred, y_true, *, grad: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """Evaluate m independent problems at once: row i of (m, k) inputs is one loss.

        Reductions act within a row. Nothing raises on bad numbers: rows where the loss or its
        gradient is not finite come back as NaN, so a caller can flag them.

        Returns
        -------
        values : ndarray of shape (m,)
        grads : ndarray of shape (m, k), or None when ``grad=False``
        """
        with np.errstate(**_LENIENT):
            root, _, leaf = self._forward(y_pred, y_true, batched=True)
            values = np.broadcast_to(root.data, (leaf.data.shape[0], 1)).reshape(-1).copy()
            if not grad:
                return np.where(np.isfinite(values), values, np.nan), None
            grads = np.zeros_like(leaf.data)
            if root.requires_grad:
                root.backward()
                grads = leaf.grad
            bad = ~np.isfinite(values) | ~np.all(np.isfinite(grads), axis=1)
        values[bad] = np.nan
        grads = grads.copy()
        grads[bad] = np.nan
        return values, grads

    def switches(self, y_pred, y_true) -> list[Switch]:
        """The switch values of every BRANCHING call that depends on y_pred, for m problems.

        Inputs as for :meth:`batch`; nothing raises on bad numbers (NaN where undefined).
        """
        with np.errstate(**_LENIENT):
            _, nodes, leaf = self._forward(y_pred, y_true, batched=True)
        shape = leaf.data.shape
        found = []

        def walk(tree: Tree) -> None:
            for arg in tree.args:
                walk(arg)
            if tree.op not in BRANCHING:
                return
            args = [nodes[id(a)] for a in tree.args]
            if tree.op in ("abs", "relu"):
                pairs = [(args[0], None)]
            else:  # maximum and minimum: a - b; clip: x - low and x - high
                pairs = [(args[0], other) for other in args[1:]]
            for a, b in pairs:
                if not (a.requires_grad or (b is not None and b.requires_grad)):
                    continue  # a constant switch never moves with y_pred
                with np.errstate(**_LENIENT):
                    value = a.data if b is None else a.data - b.data
                found.append(Switch(tree.op, tree.column, np.broadcast_to(value, shape).copy()))

        walk(self.tree)
        return found

    def one_sided(self, y_pred: float, y_true: float) -> tuple[float, float] | None:
        """L's exact one-sided derivatives at one example: (left, right), the limits of
        (L(ŷ + s) − L(ŷ)) / s as s → 0 from below and from above, by forward-mode directional
        derivatives along the parse tree. At a kink each branching call takes the branch the
        direction goes to (abs at 0 moves by |t|, relu by max(t, 0), a tie of maximum by the
        larger tangent, clip likewise at each bound), so no sampling step is involved: a kink
        hidden by curvature on a scale below any sampled offset is still seen, and a smooth
        slope that changes on such a scale is not taken for a jump (audit pass 49 b). None where
        this rule does not hold: L or a tangent is not finite (sqrt or a power below 1 at 0,
        where the slope is infinite, so the chain rule for directional derivatives fails)."""
        with np.errstate(**_LENIENT):
            try:
                root, nodes, _ = self._forward(
                    np.array([float(y_pred)]), np.array([float(y_true)]), batched=False
                )
            except (EvaluationError, ValueError):
                return None
            if not np.all(np.isfinite(root.data)):
                return None
            down, up = (float(np.sum(_tangent(self.tree, nodes, d))) for d in (-1.0, 1.0))
        left, right = -down, up
        if not (math.isfinite(left) and math.isfinite(right)):
            return None
        return left + 0.0, right + 0.0

    def node_counts(self) -> dict[str, int]:
        """How many Nodes one forward pass builds: ``total``; ``backward``, those that take part
        in the backward pass; and ``elementwise``, those of them built by a function call or a
        power (a transcendental NumPy function each way, dearer than + or *). Derived functions
        build several Nodes (cosh builds seven), so these counts, not the length of the text,
        are what a pass costs."""
        with np.errstate(**_LENIENT):
            root, _, _ = self._forward(np.array([0.5]), np.array([0.25]), batched=False)
        seen, stack = set(), [root]
        counts = {"total": 0, "backward": 0, "elementwise": 0}
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            counts["total"] += 1
            if node.requires_grad:
                counts["backward"] += 1
                counts["elementwise"] += node.label in _ELEMENTWISE
            stack.extend(node.parents)
        return counts

    def graph(self, y_pred, y_true) -> list[dict]:
        """One entry per parse-tree node after a forward and backward pass (strict mode).

        Each dict has id, label, inputs (ids), column, value and grad (d loss / d node, or None
        where the node does not depend on y_pred). y_pred and y_true appear once each.
        """
        with np.errstate(**_STRICT):
            root, nodes, _ = self._forward(y_pred, y_true, batched=False)
            if root.requires_grad:
                root.backward()
        ids: dict[int, int] = {}
        rows = []

        def walk(tree: Tree) -> int:
            node = nodes[id(tree)]
            if id(node) in ids:
                return ids[id(node)]
            inputs = [walk(a) for a in tree.args]
            ids[id(node)] = len(rows)
            # a typed constant as the formula prints it (core.expression: 6 significant digits,
            # never a fraction as a whole number): 0.9999999 is not "1", 123456.7 not "123457"
            label = {"num": num(tree.value, 6), "name": tree.name, "neg": "-"}.get(tree.op, tree.op)
            rows.append(
                {
                    "id": len(rows),
                    "label": label,
                    "inputs": inputs,
                    "column": tree.column,
                    "value": node.data,
                    "grad": node.grad if node.requires_grad else None,
                }
            )
            return ids[id(node)]

        walk(self.tree)
        return rows


def _branch(a, b, ta, tb, larger: bool):
    """The directional tangent of max(a, b) (``larger``) or min(a, b): the tangent of the side
    that is larger (smaller), and on a tie the larger (smaller) of the two tangents."""
    if not larger:
        a, b = -np.asarray(a), -np.asarray(b)
    pick = np.maximum if larger else np.minimum
    return np.where(a > b, ta, np.where(a < b, tb, pick(ta, tb)))


def _tangent(tree: Tree, nodes: Mapping[int, Node], direction: float) -> np.ndarray:
    """d/ds of the value of ``tree`` at y_pred + s·direction, s → 0⁺ (see
    :meth:`CompiledLoss.one_sided`); NaN or inf where that rule fails."""

    def walk(t: Tree) -> np.ndarray:
        args = [walk(a) for a in t.args]
        v = [nodes[id(a)].data for a in t.args]
        out = nodes[id(t)].data
        op = t.op
        if op == "num":
            return np.zeros_like(out)
        if op == "name":
            return np.full_like(out, direction if t.name == "y_pred" else 0.0)
        if op == "neg":
            return -args[0]
        if op == "+":
            return args[0] + args[1]
        if op == "-":
            return args[0] - args[1]
        if op == "*":
            return args[0] * v[1] + v[0] * args[1]
        if op == "/":
            return (args[0] - out * args[1]) / v[1]
        if op == "**":
            (a, b), (ta, tb) = v, args
            base = b * np.power(a, b - 1.0) * ta  # inf · 0 = NaN at a = 0 with b < 1: refused
            power = np.where(tb == 0, 0.0, np.log(np.where(tb == 0, 1.0, a)) * out * tb)
            return base + power
        if op in REDUCTIONS:
            return getattr(np, op)(args[0])
        a, ta = v[0], args[0]
        if op in SMOOTH_SLOPES:  # the slopes reverse mode uses (Node._smooth)
            return SMOOTH_SLOPES[op](a, out) * ta
        if op == "sqrt":
            return ta / (2.0 * out)  # inf or NaN at 0: refused
        if op == "cosh":
            return np.sinh(a) * ta
        if op == "relu":
            return _branch(a, 0.0, ta, 0.0, True)
        if op == "abs":
            return np.where(a > 0, ta, np.where(a < 0, -ta, np.abs(ta)))
        if op == "maximum":
            return _branch(a, v[1], ta, args[1], True)
        if op == "minimum":
            return _branch(a, v[1], ta, args[1], False)
        if op == "clip":  # min(max(x, low), high), as the forward pass computes it
            low = _branch(a, v[1], ta, args[1], True)
            return _branch(np.maximum(a, v[1]), v[2], low, args[2], False)
        raise ValueError(f"no directional derivative for {op!r}")

    return walk(tree)


def _tag(node: Node, stop: set[int], column: int, label: str) -> None:
    """Mark the nodes one parse-tree node created (derived ops make several) for error messages."""
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in stop or n.label:
            continue
        n.column, n.label = column, label
        stack.extend(n.parents)


def compile_loss(text: str, *, constants: Mapping[str, float] | None = None) -> CompiledLoss:
    """Parse a loss in ``y_pred`` and ``y_true`` without eval, exec or compile.

    Grammar: numbers; the names y_pred, y_true, pi, e and any ``constants``; binary
    ``+ - * / **`` (``^`` means ``**``); unary ``-``; parentheses; calls of FUNCTIONS with
    positional arguments. ``mean``/``sum`` reduce over all elements, and the whole expression
    must reduce to one number. Limits: MAX_LENGTH characters, MAX_DEPTH levels of nesting,
    constant exponents of at most MAX_EXPONENT in absolute value.

    Parameters
    ----------
    text : str
    constants : mapping of str to float, optional
        Extra named numbers such as ``{"delta": 1.0}`` (Huber's threshold).

    Returns
    -------
    CompiledLoss
        ``.value(y_pred, y_true) -> float`` and ``.grad(y_pred, y_true) -> array`` (d value /
        d y_pred, shaped like y_pred).

    Raises
    ------
    ExpressionError
        For anything outside the grammar, with the problem and its 1-based column.
    """
    names = dict(BUILTIN_CONSTANTS)
    for name, number in (constants or {}).items():
        taken = name in VARIABLES or name in FUNCTIONS or keyword.iskeyword(name)
        if not (isinstance(name, str) and name.isidentifier() and name.isascii()) or taken:
            raise ValueError(f"constant names must be new ASCII identifiers; got {name!r}.")
        if not math.isfinite(float(number)):
            raise ValueError(f"constant {name!r} must be a finite number; got {number!r}.")
        names[name] = float(number)
    tree = parse(text, (*VARIABLES, *names))
    _check_exponents(tree, names)
    if not _is_scalar(tree):
        raise ExpressionError(
            "the expression gives one value per example, not one number",
            1,
            f"Wrap it in mean(...), e.g. mean({text.strip()}).",
        )
    return CompiledLoss(text=text, tree=tree, constants=names)
