"""Finite differences: the gradient check itself must be right before it can judge anything."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core.gradcheck import numerical_grad, rel_error


def _smooth(x):
    """sum(exp(x) + sin(2x)): every derivative is non-zero, so truncation errors are visible."""
    return float(np.sum(np.exp(x) + np.sin(2.0 * x)))


def _smooth_grad(x):
    return np.exp(x) + 2.0 * np.cos(2.0 * x)


@pytest.mark.parametrize("method", ["central", "forward"])
@pytest.mark.parametrize("shape", [(), (1,), (5,), (2, 3), (2, 2, 2)])
def test_numerical_grad_matches_analytic_gradient(method, shape):
    x = np.random.default_rng(0).normal(size=shape)
    h = 1e-5 if method == "central" else 1e-7
    grad = numerical_grad(_smooth, x, h=h, method=method)
    assert grad.shape == x.shape
    assert grad.dtype == np.float64
    tolerance = 1e-8 if method == "central" else 1e-6
    assert rel_error(grad, _smooth_grad(x)) < tolerance


def test_default_method_is_central():
    x = np.array([0.3, -1.2])
    assert np.array_equal(numerical_grad(_smooth, x), numerical_grad(_smooth, x, method="central"))


@pytest.mark.parametrize(("method", "order"), [("forward", 1), ("central", 2)])
def test_error_shrinks_like_h_to_the_order(method, order):
    # Truncation error ~ C h^order: dividing h by 10 divides the error by 10^order.
    # h stays >= 1e-3, where round-off (~eps / h ~ 1e-13) is far below truncation error.
    x = np.array([0.7])
    exact = _smooth_grad(x)
    errors = [
        np.abs(numerical_grad(_smooth, x, h=h, method=method) - exact)[0] for h in (1e-2, 1e-3)
    ]
    ratio = errors[0] / errors[1]
    assert 10**order * 0.7 < ratio < 10**order * 1.3


def test_central_beats_forward_at_the_same_step():
    x = np.array([0.7, -0.4])
    exact = _smooth_grad(x)
    central = rel_error(numerical_grad(_smooth, x, h=1e-4, method="central"), exact)
    forward = rel_error(numerical_grad(_smooth, x, h=1e-4, method="forward"), exact)
    assert central < forward / 100


def test_central_is_exact_for_quadratics_up_to_round_off():
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    x = np.array([0.3, -0.8])
    grad = numerical_grad(lambda v: float(0.5 * v @ A @ v), x, h=1e-3)
    assert rel_error(grad, A @ x) < 1e-10


@pytest.mark.parametrize("method", ["central", "forward"])
def test_input_is_not_modified(method):
    x = np.random.default_rng(1).normal(size=(3, 4))
    before = x.copy()
    seen = []
    numerical_grad(lambda v: seen.append(v.copy()) or float(np.sum(v**2)), x, method=method)
    assert np.array_equal(x, before)
    # f saw perturbations of a copy, each in exactly one coordinate.
    assert all(np.count_nonzero(v != before) <= 1 for v in seen)


@pytest.mark.parametrize(
    "make_x",
    [
        lambda: np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        lambda: np.arange(12.0).reshape(3, 4)[:, ::2],  # non-contiguous view
        lambda: np.arange(4).reshape(2, 2),  # integers
    ],
    ids=["fortran", "strided-view", "int"],
)
def test_any_layout_gives_the_right_gradient_and_is_left_alone(make_x):
    x = make_x()
    before = x.copy()
    grad = numerical_grad(lambda v: float(np.sum(v**2)), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 2.0 * before, rtol=1e-9)
    assert np.array_equal(x, before)


def test_input_is_not_modified_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_grad(f, x)
    assert np.array_equal(x, [1.0, 2.0, 3.0])


def test_scalar_input_gives_a_0d_gradient():
    grad = numerical_grad(lambda v: float(v**3), 2.0)
    assert grad.shape == ()
    assert grad == pytest.approx(12.0, rel=1e-9)


def test_bad_method_names_the_valid_choices():
    with pytest.raises(ValueError, match=r"central.*forward.*'backward'"):
        numerical_grad(_smooth, np.zeros(2), method="backward")


@pytest.mark.parametrize("h", [0.0, -1e-5, float("nan"), float("inf")])
def test_bad_step_is_rejected(h):
    with pytest.raises(ValueError, match="h must be a positive"):
        numerical_grad(_smooth, np.zeros(2), h=h)


def test_rel_error_formula():
    # max|a - b| / max(|a| + |b|), elementwise sums then max.
    a = np.array([1.0, -2.0, 0.0])
    b = np.array([1.1, -2.0, 0.5])
    assert rel_error(a, b) == pytest.approx(0.5 / 4.0)
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 2.1)
    assert isinstance(rel_error(a, b), float)
    assert isinstance(rel_error(1.0, 1.1), float)


def test_rel_error_floor_and_edge_cases():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    # Both tiny: the 1e-8 floor stops a 1e-12 difference from looking like a 100% error.
    assert rel_error(0.0, 1e-12) == pytest.approx(1e-4)
    assert rel_error(np.array([]), np.array([])) == 0.0
    assert rel_error(np.ones((2, 3)), np.ones((2, 3))) == 0.0


@settings(max_examples=50, deadline=None)
@given(
    a=hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e6, 1e6)),
    scale=st.floats(-2.0, 2.0),
)
def test_rel_error_is_symmetric_bounded_and_scale_free(a, scale):
    b = a * (1.0 + 1e-3) + 1e-3
    err = rel_error(a, b)
    assert err == rel_error(b, a)
    assert 0.0 <= err <= 1.0
    if abs(scale) > 1e-3 and np.max(np.abs(a)) > 1.0:
        assert rel_error(scale * a, scale * b) == pytest.approx(err, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    x=hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-3.0, 3.0)),
    method=st.sampled_from(["central", "forward"]),
)
def test_property_numerical_grad_of_smooth_function(x, method):
    h = 1e-5 if method == "central" else 1e-7
    before = x.copy()
    grad = numerical_grad(_smooth, x, h=h, method=method)
    assert rel_error(grad, _smooth_grad(x)) < (1e-8 if method == "central" else 1e-5)
    assert np.array_equal(x, before)


def test_verdicts_take_the_first_rung_that_holds():
    from core import gradcheck as gc

    got = gc.verdicts(
        rel_error=[1e-9, 1e-3, 1e-3, 1e-3, 1e-3],
        abs_error=[1e-9, 1e-12, 5e-9, 1e-6, 1e-9],
        roundoff=[1e-10, 1e-11, 1e-9, 1e-9, 1e-9],
        truncation=[0.0, 0.0, 3e-9, 1e-9, 0.0],
        kink=[False, False, False, False, True],
    )
    assert list(got) == [
        gc.AGREE,
        gc.AGREE_WITHIN_ROUNDOFF,
        gc.AGREE_WITHIN_TRUNCATION,
        gc.DISAGREE,
        gc.KINK,
    ]
