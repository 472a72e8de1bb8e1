"""2-D test surfaces with exact gradients and Hessians: saddles, valleys, plateaus and bowls."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

__all__ = [
    "SURFACES",
    "Surface",
    "classify_hessian",
    "ill_conditioned_bowl",
    "make_surface",
]

# (x, y) -> f ; (x, y) -> (f_x, f_y) ; (x, y) -> (f_xx, f_xy, f_yy). The same formula serves a
# single point (Python floats, fast inside an optimizer loop) and whole grids (NumPy arrays).
Formula = Callable[[object, object], object]
Point = tuple[float, float]


@dataclass(frozen=True)
class Surface:
    """A 2-D test function with its exact derivatives, a plotting window and its critical points.

    ``f(p)``, ``grad(p)`` and ``hessian(p)`` take a point ``p`` of shape (2,) and return a float,
    an array of shape (2,) and an array of shape (2, 2). Given points of shape (n, 2) they return
    shapes (n,), (n, 2) and (n, 2, 2).

    Attributes
    ----------
    name, label : str
        Registry key and display name.
    latex : str
        The formula, for ``st.latex``.
    window : ((x_min, x_max), (y_min, y_max))
        The region plotted (and where a start point may be chosen).
    minima, saddles, maxima : tuple of (x, y)
        Known critical points, exact or refined to machine precision by Newton's method.
    start : (x, y)
        A start point that shows what the surface is about.
    defaults : mapping
        Suggested learning rates per optimizer name (and ``noise``, the noisy-GD scale) for this
        surface's scale of gradients and curvature.
    about : str
        One sentence for the learner: where the saddle's stable line is, what is hard here. It
        must hold for every setting of the optimizers, or name its condition.
    stable_line : (n_x, n_y) or None
        Where the saddle at the origin has a straight stable line (an invariant line of the
        gradient flow through the saddle along its positive-curvature direction): the unit normal
        ``n`` of the line {p : n · p = 0}. A start on it has a gradient with no component along
        ``n`` anywhere on the line, so a method without noise stays on it. None where the stable
        manifold is curved (Himmelblau), degenerate (the monkey saddle) or absent.
    """

    name: str
    label: str
    latex: str
    value_xy: Formula = field(repr=False)
    grad_xy: Formula = field(repr=False)
    hess_xy: Formula = field(repr=False)
    window: tuple[Point, Point]
    minima: tuple[Point, ...] = ()
    saddles: tuple[Point, ...] = ()
    maxima: tuple[Point, ...] = ()
    start: Point = (0.0, 0.0)
    defaults: Mapping[str, float] = field(default_factory=dict, repr=False)
    about: str = ""
    stable_line: Point | None = None

    def f(self, p) -> float | np.ndarray:
        """Loss at ``p``: a float for shape (2,), an array of shape (n,) for shape (n, 2)."""
        p = np.asarray(p, dtype=float)
        if p.ndim == 1:
            return float(self.value_xy(float(p[0]), float(p[1])))
        return np.asarray(self.value_xy(p[..., 0], p[..., 1]), dtype=float)

    def grad(self, p) -> np.ndarray:
        """Gradient ``(df/dx, df/dy)``, shape (2,) (or (n, 2))."""
        if getattr(p, "ndim", 1) == 1 and len(p) == 2:
            return np.array(self.grad_xy(float(p[0]), float(p[1])))
        p = np.asarray(p, dtype=float)
        gx, gy, _ = np.broadcast_arrays(*self.grad_xy(p[..., 0], p[..., 1]), p[..., 0])
        return np.stack([gx, gy], axis=-1).astype(float)

    def hessian(self, p) -> np.ndarray:
        """Hessian ``[[f_xx, f_xy], [f_xy, f_yy]]``, shape (2, 2) (or (n, 2, 2))."""
        p = np.asarray(p, dtype=float)
        if p.ndim == 1:
            hxx, hxy, hyy = self.hess_xy(float(p[0]), float(p[1]))
            return np.array([[hxx, hxy], [hxy, hyy]], dtype=float)
        hxx, hxy, hyy, _ = np.broadcast_arrays(*self.hess_xy(p[..., 0], p[..., 1]), p[..., 0])
        return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2).astype(float)

    def values(self, x, y) -> np.ndarray:
        """``f`` on broadcast arrays of x and y coordinates (for heatmaps)."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(self.value_xy(x, y), dtype=float)

    @property
    def bounded_below(self) -> bool:
        """Whether the surface has a lowest value (its minima); False for the pure saddle."""
        return bool(self.minima)

    @property
    def lowest(self) -> float | None:
        """The smallest value over the known minima, or None when unbounded below."""
        return min(self.f(np.array(m)) for m in self.minima) if self.minima else None

    def critical_points(self) -> list[tuple[str, float, float]]:
        """[(kind, x, y)] for every known minimum, saddle and maximum."""
        kinds = (("minimum", self.minima), ("saddle", self.saddles), ("maximum", self.maxima))
        return [(kind, x, y) for kind, points in kinds for x, y in points]

    def in_window(self, x: float, y: float) -> bool:
        (x0, x1), (y0, y1) = self.window
        return x0 <= x <= x1 and y0 <= y <= y1


def classify_hessian(eigenvalues, *, tol: float = 1e-8):
    """What the Hessian's eigenvalues say about the local shape.

    Returns ``"minimum"`` (all > 0: a bowl), ``"maximum"`` (all < 0: a cap), ``"saddle"`` (signs
    differ: downhill along some directions, uphill along others) or ``"flat"`` (an eigenvalue
    within ``tol * max(1, max|λ|)`` of 0: the second-order test is inconclusive). The names describe
    the shape of the local quadratic model, which is a critical point only where the gradient
    vanishes too. Eigenvalues of shape (k,) give a str; shape (n, k) an array of n strings.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    scale = np.maximum(1.0, np.max(np.abs(lam), axis=-1, initial=0.0))
    flat = np.any(np.abs(lam) <= tol * scale[..., None], axis=-1)
    kinds = np.select(
        [flat, np.all(lam > 0, axis=-1), np.all(lam < 0, axis=-1)],
        ["flat", "minimum", "maximum"],
        "saddle",
    )
    return str(kinds) if lam.ndim == 1 else kinds


def _refine(grad_xy: Formula, hess_xy: Formula, point: Point, steps: int = 50) -> Point:
    """Polish an approximate critical point with Newton's method on the gradient."""
    x, y = map(float, point)
    for _ in range(steps):
        gx, gy = grad_xy(x, y)
        hxx, hxy, hyy = hess_xy(x, y)
        det = hxx * hyy - hxy * hxy
        dx, dy = (hyy * gx - hxy * gy) / det, (hxx * gy - hxy * gx) / det
        x, y = x - dx, y - dy
        if abs(dx) + abs(dy) < 1e-15:
            break
    return (float(x), float(y))


def _lrs(**values: float) -> Mapping[str, float]:
    return MappingProxyType(values)


# ------------------------------------------------------------------------------------------------
# The surfaces. Gradients and Hessians are written out by hand and checked against central
# differences in tests/core/test_surfaces.py.
# ------------------------------------------------------------------------------------------------


def _quadratic_saddle() -> Surface:
    return Surface(
        name="quadratic_saddle",
        label="Quadratic saddle",
        latex=r"f(x, y) = \tfrac12\,(x^2 - y^2)",
        value_xy=lambda x, y: 0.5 * (x * x - y * y),
        grad_xy=lambda x, y: (x, -y),
        hess_xy=lambda x, y: (1.0, 0.0, -1.0),
        window=((-2.0, 2.0), (-2.0, 2.0)),
        saddles=((0.0, 0.0),),
        start=(-1.5, 0.01),
        defaults=_lrs(
            gd=0.1,
            momentum=0.05,
            nesterov=0.05,
            adagrad=0.1,
            rmsprop=0.01,
            adam=0.02,
            newton=1.0,
            saddle_free_newton=0.5,
            noisy_gd=0.1,
            noise=0.1,
        ),
        about="Unbounded below: the Hessian is diag(1, −1) everywhere, so an offset from the "
        "stable line y = 0 grows along y. A first-order path off that line runs off towards "
        "f = −∞ (the adaptive methods can take many steps to), unless too large a step, or noisy "
        "GD's kicks, make it blow up along x first; pure Newton (η = 1, no damping, no cap) instead jumps onto the "
        "saddle in one step.",
        stable_line=(0.0, 1.0),
    )


def _saddle_two_minima() -> Surface:
    # The quadratic saddle (x² − y²)/2 plus a quartic wall y⁴/4 that makes two minima at y = ±1.
    return Surface(
        name="saddle_two_minima",
        label="Saddle between two minima",
        latex=r"f(x, y) = \tfrac12 x^2 + \tfrac14\,(y^2 - 1)^2"
        r"\;=\; \tfrac14 + \tfrac12\,(x^2 - y^2) + \tfrac14 y^4",
        value_xy=lambda x, y: 0.5 * x * x + 0.25 * (y * y - 1.0) ** 2,
        grad_xy=lambda x, y: (x, y * y * y - y),
        hess_xy=lambda x, y: (1.0, 0.0, 3.0 * y * y - 1.0),
        window=((-2.0, 2.0), (-1.6, 1.6)),
        minima=((0.0, -1.0), (0.0, 1.0)),
        saddles=((0.0, 0.0),),
        start=(-1.8, 0.001),
        defaults=_lrs(
            gd=0.1,
            momentum=0.05,
            nesterov=0.05,
            adagrad=0.1,
            rmsprop=0.01,
            adam=0.02,
            newton=1.0,
            saddle_free_newton=0.5,
            noisy_gd=0.1,
            noise=0.3,
        ),
        about="The saddle at the origin has the stable line y = 0: there the gradient has no "
        "y part, so a method without noise that starts on it never leaves it, and one whose "
        "steps are stable along x slides into the saddle.",
        stable_line=(0.0, 1.0),
    )


def _monkey_saddle() -> Surface:
    # x³ − 3xy² is the monkey saddle (flat to second order at 0); the quartic bowl ½ r⁴ adds three
    # minima at radius 3/2 and keeps the surface bounded below.
    def value(x, y):
        r2 = x * x + y * y
        return x * x * x - 3.0 * x * y * y + 0.5 * r2 * r2

    def grad(x, y):
        r2 = x * x + y * y
        return (3.0 * x * x - 3.0 * y * y + 2.0 * x * r2, -6.0 * x * y + 2.0 * y * r2)

    def hess(x, y):
        return (
            6.0 * x + 6.0 * x * x + 2.0 * y * y,
            -6.0 * y + 4.0 * x * y,
            -6.0 * x + 2.0 * x * x + 6.0 * y * y,
        )

    # Along cos(3φ) = −1 the radial profile −r³ + r⁴/2 is lowest at r = 3/2.
    minima = ((-1.5, 0.0), (0.75, 0.75 * math.sqrt(3.0)), (0.75, -0.75 * math.sqrt(3.0)))
    return Surface(
        name="monkey_saddle",
        label="Monkey saddle (in a quartic bowl)",
        latex=r"f(x, y) = x^3 - 3 x y^2 + \tfrac12\,(x^2 + y^2)^2",
        value_xy=value,
        grad_xy=grad,
        hess_xy=hess,
        window=((-2.2, 2.2), (-2.2, 2.2)),
        minima=minima,
        saddles=((0.0, 0.0),),
        start=(1.8, 0.001),
        defaults=_lrs(
            gd=0.02,
            momentum=0.01,
            nesterov=0.01,
            adagrad=0.1,
            rmsprop=0.01,
            adam=0.02,
            newton=1.0,
            saddle_free_newton=0.5,
            noisy_gd=0.02,
            noise=1.0,
        ),
        about="A degenerate saddle: at the origin the gradient and the whole Hessian vanish, so "
        "the second-order test says nothing (no eigenvalue is negative, yet f falls along the "
        "rays at 60°, 180° and 300°: third-order terms decide). Along the rays at 0°, 120° and "
        "240° the downhill direction −∇f points straight at the centre, so gradient descent with "
        "a small enough step creeps into it there (the gradient shrinks like the distance "
        "squared).",
    )


def ill_conditioned_bowl(condition_number: float = 10.0) -> Surface:
    """The quadratic bowl ``f = (x² + κ y²) / 2`` with Hessian diag(1, κ), κ >= 1.

    Gradient descent needs ``lr < 2 / κ`` to be stable, and then shrinks the error along x by
    only ``1 - lr`` per step: its rate is limited by the condition number.
    """
    kappa = float(condition_number)
    if not (math.isfinite(kappa) and 1.0 <= kappa <= 1e4):
        raise ValueError(f"'condition_number' must be in [1, 10000]; got {condition_number!r}.")
    return Surface(
        name="ill_conditioned_bowl",
        label=f"Ill-conditioned bowl (κ = {kappa:g})",
        latex=rf"f(x, y) = \tfrac12\,(x^2 + \kappa\, y^2),\qquad \kappa = {kappa:g}",
        value_xy=lambda x, y: 0.5 * (x * x + kappa * y * y),
        grad_xy=lambda x, y: (x, kappa * y),
        hess_xy=lambda x, y: (1.0, 0.0, kappa),
        window=((-3.0, 3.0), (-2.0, 2.0)),
        minima=((0.0, 0.0),),
        start=(-2.5, 1.5),
        defaults=_lrs(
            # 1/κ is stable for GD (it needs < 2/κ) and for momentum 0.9 (it needs < 3.8/κ).
            gd=1.0 / kappa,
            momentum=1.0 / kappa,
            nesterov=1.0 / kappa,
            adagrad=0.5,
            rmsprop=0.02,
            adam=0.05,
            newton=1.0,
            saddle_free_newton=1.0,
            noisy_gd=1.0 / kappa,
            noise=0.5,
        ),
        about="The Hessian's eigenvalues 1 and κ set the speeds along x and y. When κ ≫ 1, a "
        "step small enough for the steep y direction (gradient descent needs η < 2/κ) crawls "
        "along the shallow x direction. At κ = 1 the bowl is round, and gradient descent with "
        "η = 1 lands on the minimum in one step.",
    )


def _rosenbrock() -> Surface:
    return Surface(
        name="rosenbrock",
        label="Rosenbrock valley",
        latex=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        value_xy=lambda x, y: (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2,
        grad_xy=lambda x, y: (
            -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
            200.0 * (y - x * x),
        ),
        hess_xy=lambda x, y: (
            2.0 - 400.0 * (y - x * x) + 800.0 * x * x,
            -400.0 * x,
            200.0,
        ),
        window=((-2.0, 2.0), (-1.0, 3.0)),
        minima=((1.0, 1.0),),
        start=(-1.5, 2.0),
        defaults=_lrs(
            gd=0.001,
            momentum=0.0005,
            nesterov=0.0005,
            adagrad=0.3,
            rmsprop=0.01,
            adam=0.05,
            newton=1.0,
            saddle_free_newton=1.0,
            noisy_gd=0.001,
            noise=10.0,
        ),
        about="A curved, narrow valley along y = x²: across the floor the curvature reaches "
        "about 2,600 inside this window (more off the floor), while along it f = (1 − x)² falls "
        "gently, with slope at most 6, towards the minimum at (1, 1).",
    )


def _himmelblau() -> Surface:
    def value(x, y):
        return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2

    def grad(x, y):
        a, b = x * x + y - 11.0, x + y * y - 7.0
        return (4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b)

    def hess(x, y):
        return (12.0 * x * x + 4.0 * y - 42.0, 4.0 * (x + y), 4.0 * x + 12.0 * y * y - 26.0)

    approx_minima = (
        (3.0, 2.0),
        (-2.805118, 3.131312),
        (-3.779310, -3.283186),
        (3.584428, -1.848126),
    )
    approx_saddles = (
        (0.086678, 2.884255),
        (3.385154, 0.073852),
        (-0.127961, -1.953715),
        (-3.073026, -0.081353),
    )
    return Surface(
        name="himmelblau",
        label="Himmelblau (4 minima, 4 saddles)",
        latex=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        value_xy=value,
        grad_xy=grad,
        hess_xy=hess,
        window=((-5.0, 5.0), (-5.0, 5.0)),
        minima=tuple(_refine(grad, hess, p) for p in approx_minima),
        saddles=tuple(_refine(grad, hess, p) for p in approx_saddles),
        maxima=(_refine(grad, hess, (-0.270845, -0.923039)),),
        start=(0.0, 4.6),
        defaults=_lrs(
            gd=0.005,
            momentum=0.002,
            nesterov=0.002,
            adagrad=0.5,
            rmsprop=0.02,
            adam=0.05,
            newton=1.0,
            saddle_free_newton=0.5,
            noisy_gd=0.005,
            noise=10.0,
        ),
        # Not "the start decides which minimum it reaches": from (-4, 0) momentum ends at
        # (-3.78, -3.28) with β = 0.8 and at (-2.81, 3.13) with β = 0.9 (audit pass 40).
        about="Four minima with saddles between them and a maximum in the middle: which minimum "
        "a method without noise reaches depends on the start and on its steps (from one start, "
        "different methods, or one method with another η or β, can end in different minima); "
        "pure Newton can also stop at a saddle or at the maximum.",
    )


_WELL_X, _WELL_WIDTH = 1.5, 0.7


def _plateau() -> Surface:
    # Two Gaussian wells at x = ±1.5 in a plain that is flat to many decimals: the gradient on the
    # plateau is tiny (about 1e-3 at distance 3), and a saddle sits between the wells.
    a, s2 = _WELL_X, _WELL_WIDTH**2

    def exps(x, y):
        # math.exp for one point (inside an optimizer loop it is ~5x faster than np.exp)
        exp = math.exp if isinstance(x, float) else np.exp
        return exp(-((x - a) ** 2 + y * y) / (2 * s2)), exp(-((x + a) ** 2 + y * y) / (2 * s2))

    def value(x, y):
        e1, e2 = exps(x, y)
        return -(e1 + e2)

    def grad(x, y):
        e1, e2 = exps(x, y)
        return (((x - a) * e1 + (x + a) * e2) / s2, y * (e1 + e2) / s2)

    def hess(x, y):
        e1, e2 = exps(x, y)
        u1, u2 = x - a, x + a
        return (
            (e1 * (1 - u1 * u1 / s2) + e2 * (1 - u2 * u2 / s2)) / s2,
            -y * (u1 * e1 + u2 * e2) / (s2 * s2),
            (e1 + e2) * (1 - y * y / s2) / s2,
        )

    minima = tuple(_refine(grad, hess, (sx * a, 0.0)) for sx in (-1.0, 1.0))
    return Surface(
        name="plateau",
        label="Plateau with two wells",
        latex=r"f(x, y) = -e^{-((x - a)^2 + y^2)/2s^2} - e^{-((x + a)^2 + y^2)/2s^2},"
        rf"\quad a = {a:g},\ s = {_WELL_WIDTH:g}",
        value_xy=value,
        grad_xy=grad,
        hess_xy=hess,
        window=((-3.5, 3.5), (-3.0, 3.0)),
        minima=minima,
        saddles=((0.0, 0.0),),
        start=(-3.0, 2.6),
        defaults=_lrs(
            gd=0.5,
            momentum=0.2,
            nesterov=0.2,
            adagrad=0.5,
            rmsprop=0.01,
            adam=0.05,
            newton=1.0,
            saddle_free_newton=0.5,
            noisy_gd=0.5,
            noise=0.05,
        ),
        about="Far from the wells the surface is a plateau near 0 whose gradient is "
        "exponentially small, so plain GD's step η‖∇f‖ is tiny there. Adam divides by the "
        "gradient's running size: while the gradient keeps a steady sign and size, its "
        "bias-corrected step is about η per coordinate. PyTorch's RMSprop starts near η/√(1 − α) (10η at α = 0.99) and "
        "slows as its average warms up; AdaGrad divides by the root of its growing sum of "
        "squared gradients (for a steady gradient its step decays like η/√t). The saddle between "
        "the wells has its stable line at x = 0.",
        stable_line=(1.0, 0.0),
    )


_BUILDERS: dict[str, Callable[..., Surface]] = {
    "saddle_two_minima": _saddle_two_minima,
    "quadratic_saddle": _quadratic_saddle,
    "monkey_saddle": _monkey_saddle,
    "ill_conditioned_bowl": ill_conditioned_bowl,
    "rosenbrock": _rosenbrock,
    "himmelblau": _himmelblau,
    "plateau": _plateau,
}

SURFACES: Mapping[str, Surface] = MappingProxyType({k: build() for k, build in _BUILDERS.items()})


def make_surface(name: str, *, condition_number: float = 10.0) -> Surface:
    """``SURFACES[name]``, except the bowl, which is built for the given condition number."""
    if name not in SURFACES:
        raise ValueError(
            f"'surface' must be one of {', '.join(map(repr, SURFACES))}; got {name!r}."
        )
    if name == "ill_conditioned_bowl":
        return ill_conditioned_bowl(condition_number)
    return SURFACES[name]
