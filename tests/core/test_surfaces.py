"""Every 2-D test surface has exact derivatives, correct critical points and a sensible window."""

import numpy as np
import pytest

from core.gradcheck import numerical_grad, rel_error
from core.surfaces import SURFACES, classify_hessian, ill_conditioned_bowl, make_surface

NAMES = list(SURFACES)
OPTIMIZERS = (
    "gd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "newton",
    "saddle_free_newton",
    "noisy_gd",
)


def _points(surface, n=12, seed=0):
    (x0, x1), (y0, y1) = surface.window
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences(name):
    surface = SURFACES[name]
    for p in _points(surface):
        assert rel_error(surface.grad(p), numerical_grad(surface.f, p)) < 1e-6, p


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_central_differences_of_the_gradient(name):
    surface = SURFACES[name]
    for p in _points(surface, seed=1):
        rows = [numerical_grad(lambda q, i=i: surface.grad(q)[i], p) for i in range(2)]
        assert rel_error(surface.hessian(p), np.array(rows)) < 1e-6, p
        assert np.array_equal(surface.hessian(p), surface.hessian(p).T)


@pytest.mark.parametrize("name", NAMES)
def test_single_points_and_batches_agree(name):
    surface = SURFACES[name]
    pts = _points(surface, n=5, seed=2)
    assert isinstance(surface.f(pts[0]), float)
    assert surface.grad(pts[0]).shape == (2,)
    assert surface.hessian(pts[0]).shape == (2, 2)
    np.testing.assert_allclose(surface.f(pts), [surface.f(p) for p in pts], rtol=1e-12)
    np.testing.assert_allclose(surface.grad(pts), [surface.grad(p) for p in pts], rtol=1e-12)
    np.testing.assert_allclose(surface.hessian(pts), [surface.hessian(p) for p in pts], rtol=1e-12)
    X, Y = np.meshgrid(pts[:, 0], pts[:, 1])
    assert surface.values(X, Y).shape == X.shape


@pytest.mark.parametrize("name", NAMES)
def test_known_critical_points_have_zero_gradient_and_the_right_curvature(name):
    surface = SURFACES[name]
    assert surface.critical_points(), "every surface has at least one critical point"
    scale = max(1.0, float(np.max(np.abs(surface.grad(_points(surface))))))
    for kind, x, y in surface.critical_points():
        p = np.array([x, y])
        assert np.linalg.norm(surface.grad(p)) < 1e-10 * scale, (kind, x, y)
        shape = classify_hessian(np.linalg.eigvalsh(surface.hessian(p)))
        # The monkey saddle is degenerate: its Hessian vanishes, so the test says "flat".
        expected = {"saddle": ("saddle", "flat")}.get(kind, (kind,))
        assert shape in expected, (kind, x, y, shape)


@pytest.mark.parametrize("name", NAMES)
def test_minima_are_the_lowest_points_of_the_window(name):
    surface = SURFACES[name]
    if not surface.bounded_below:
        pytest.skip("unbounded below: no minimum")
    (x0, x1), (y0, y1) = surface.window
    X, Y = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 201))
    assert surface.values(X, Y).min() >= surface.lowest - 1e-9


@pytest.mark.parametrize("name", NAMES)
def test_windows_starts_and_defaults_are_usable(name):
    surface = SURFACES[name]
    assert surface.in_window(*surface.start)
    for _, x, y in surface.critical_points():
        assert surface.in_window(x, y)
    assert set(OPTIMIZERS) <= set(surface.defaults)
    assert surface.defaults["noise"] >= 0
    assert surface.latex and surface.label and surface.about


def test_the_saddles_sit_where_the_lesson_says():
    for name in ("quadratic_saddle", "saddle_two_minima", "monkey_saddle", "plateau"):
        assert (0.0, 0.0) in SURFACES[name].saddles
    assert not SURFACES["quadratic_saddle"].bounded_below
    assert SURFACES["rosenbrock"].minima == ((1.0, 1.0),)
    assert len(SURFACES["himmelblau"].minima) == 4
    assert len(SURFACES["himmelblau"].saddles) == 4
    assert len(SURFACES["himmelblau"].maxima) == 1
    # The monkey saddle is flat to second order at its centre.
    np.testing.assert_array_equal(SURFACES["monkey_saddle"].hessian(np.zeros(2)), np.zeros((2, 2)))


def test_the_stable_line_of_the_saddle_has_no_gradient_across_it():
    surface = SURFACES["saddle_two_minima"]
    for x in np.linspace(-2, 2, 9):
        assert surface.grad(np.array([x, 0.0]))[1] == 0.0


@pytest.mark.parametrize("kappa", [1.0, 10.0, 1000.0])
def test_ill_conditioned_bowl_has_condition_number_kappa(kappa):
    surface = ill_conditioned_bowl(kappa)
    lam = np.linalg.eigvalsh(surface.hessian(np.array([0.3, -0.2])))
    assert lam.max() / lam.min() == pytest.approx(kappa)
    assert make_surface("ill_conditioned_bowl", condition_number=kappa).f(np.ones(2)) == (
        pytest.approx(0.5 * (1 + kappa))
    )


def test_bad_names_and_condition_numbers_raise_value_errors():
    with pytest.raises(ValueError, match="'surface' must be one of"):
        make_surface("banana")
    with pytest.raises(ValueError, match="'condition_number'"):
        ill_conditioned_bowl(0.5)


def test_classify_hessian():
    assert classify_hessian([1.0, 2.0]) == "minimum"
    assert classify_hessian([-1.0, -2.0]) == "maximum"
    assert classify_hessian([-1.0, 2.0]) == "saddle"
    assert classify_hessian([0.0, 2.0]) == "flat"
    batch = classify_hessian(np.array([[1.0, 2.0], [-1.0, 2.0], [0.0, 0.0]]))
    assert batch.tolist() == ["minimum", "saddle", "flat"]
