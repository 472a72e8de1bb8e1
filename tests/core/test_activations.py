"""Activations: derivatives match finite differences, values and kinks match PyTorch, safe tails."""

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core.activations import ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, Activation, sigmoid
from core.gradcheck import numerical_grad, rel_error

REFERENCE_FILE = Path(__file__).parents[1] / "reference" / "torch_activations_losses.json"
REFERENCE = json.loads(REFERENCE_FILE.read_text())

# Every activation at its defaults, plus a non-default value of each parameter.
CASES = [(name, {}) for name in ACTIVATIONS] + [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"alpha": 0.1}),
    ("prelu", {"alpha": -0.5}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
]
CASE_IDS = [name + "".join(f"-{k}={v}" for k, v in params.items()) for name, params in CASES]

# Inputs where naive formulas overflow, underflow or cancel. Beyond 1e300, selu's lambda * x
# would leave the float64 range, so "any finite input" stops there.
EXTREMES = np.array(
    [
        0.0,
        -0.0,
        5e-324,
        -5e-324,
        1e-310,
        -1e-310,
        1e-200,
        -1e-200,
        37.5,
        -37.5,
        38.5,
        -38.5,
        700.0,
        -700.0,
        710.0,
        -710.0,
        1000.0,
        -1000.0,
        1e300,
        -1e300,
    ]
)

# Parity tolerances. rtol 1e-10 everywhere; an absolute floor only where PyTorch's formula
# itself cancels, so the last bits depend on the libm: 1 - s and 1 - tanh^2 for s, tanh ~ 1,
# and GELU's 0.5 (1 + erf(x / sqrt 2)), which PyTorch rounds to 0 for x < -8 while
# scipy.special.ndtr keeps the tail (e.g. gelu(-10) = -7.6e-23, PyTorch says -0.0).
PARITY_RTOL = 1e-10
PARITY_ATOL = {
    ("sigmoid", "grad"): 1e-15,
    ("tanh", "grad"): 1e-15,
    ("swish", "grad"): 1e-15,
    ("gelu", "fn"): 1e-15,
    ("gelu", "grad"): 1e-15,
}


def _away_from_kink(rng, shape):
    """Normal points with |x| > 1e-3, so h = 1e-5 never straddles the kink at 0."""
    x = rng.normal(scale=2.0, size=shape)
    return np.where(np.abs(x) < 1e-3, 0.5, x)


# --- registry -----------------------------------------------------------------------------------


def test_registry_names_and_order():
    assert list(ACTIVATIONS) == [
        "linear",
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "prelu",
        "elu",
        "selu",
        "gelu",
        "swish",
    ]
    for name, act in ACTIVATIONS.items():
        assert isinstance(act, Activation)
        assert act.name == name
        assert act.latex and act.grad_latex and act.label


def test_parameter_defaults():
    assert dict(ACTIVATIONS["leaky_relu"].params) == {"negative_slope": 0.01}
    assert dict(ACTIVATIONS["prelu"].params) == {"alpha": 0.25}
    assert dict(ACTIVATIONS["elu"].params) == {"alpha": 1.0}
    for name in ("linear", "sigmoid", "tanh", "relu", "selu", "gelu", "swish"):
        assert dict(ACTIVATIONS[name].params) == {}


def test_activation_is_frozen_and_its_params_read_only():
    act = ACTIVATIONS["leaky_relu"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        act.name = "other"
    with pytest.raises(TypeError):
        act.params["negative_slope"] = 0.5
    assert act.params["negative_slope"] == 0.01


def test_core_does_not_import_streamlit_or_altair():
    code = (
        "import sys, core.activations, core.losses, core.gradcheck; "
        "bad = {'streamlit', 'altair'} & set(sys.modules); assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


# --- derivatives against central differences ------------------------------------------------------


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("shape", [(40,), (4, 5)])
def test_grad_matches_central_differences(name, params, shape):
    act = ACTIVATIONS[name]
    x = _away_from_kink(np.random.default_rng(0), shape)
    numeric = numerical_grad(lambda v: float(np.sum(act.fn(v, **params))), x)
    assert rel_error(act.grad(x, **params), numeric) < 1e-6


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(CASES),
    x=hnp.arrays(
        np.float64,
        st.integers(1, 12),
        elements=st.floats(1e-3, 5.0) | st.floats(-5.0, -1e-3),
    ),
)
def test_property_grad_matches_central_differences(case, x):
    # |x| <= 5: deeper in a saturated tail the derivative (tanh'(9) = 6e-8) falls below the
    # round-off of the difference quotient itself (eps |f| / h ~ 1e-11), and rel_error measures
    # noise. The tails are checked against PyTorch instead (test_matches_torch_reference_file).
    name, params = case
    act = ACTIVATIONS[name]
    numeric = numerical_grad(lambda v: float(np.sum(act.fn(v, **params))), x)
    assert rel_error(act.grad(x, **params), numeric) < 1e-6


# --- known values ---------------------------------------------------------------------------------


def test_sigmoid_known_values():
    assert sigmoid(0.0) == 0.5
    assert ACTIVATIONS["sigmoid"].fn is sigmoid
    grad = ACTIVATIONS["sigmoid"].grad
    assert grad(0.0) == 0.25
    assert grad(10.0) == pytest.approx(4.5395807735951673e-05, rel=1e-10)
    assert grad(10.0) == pytest.approx(4.54e-5, rel=1e-3)
    # Full relative precision in the left tail, where 1 - sigma(40) would round to 0.
    assert sigmoid(-40.0) == pytest.approx(math.exp(-40.0), rel=1e-12)
    x = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(sigmoid(-x), 1.0 - sigmoid(x), rtol=0, atol=1e-15)


def test_tanh_known_values():
    act = ACTIVATIONS["tanh"]
    assert act.fn(0.0) == 0.0
    assert act.grad(0.0) == 1.0
    np.testing.assert_allclose(act.fn(np.array([1.0])), [math.tanh(1.0)], rtol=1e-15)
    np.testing.assert_allclose(act.grad(np.array([1.0])), [1 - math.tanh(1.0) ** 2], rtol=1e-14)


def test_selu_known_values():
    act = ACTIVATIONS["selu"]
    assert (SELU_LAMBDA, SELU_ALPHA) == (1.0507009873554805, 1.6732632423543772)
    assert act.fn(np.array(1.0)) == pytest.approx(1.0507009873554805, rel=1e-15)
    # lambda multiplies both branches.
    expected = SELU_LAMBDA * SELU_ALPHA * (math.exp(-1.0) - 1.0)
    assert act.fn(np.array(-1.0)) == pytest.approx(expected, rel=1e-15)
    assert act.fn(np.array(-1000.0)) == pytest.approx(-SELU_LAMBDA * SELU_ALPHA, rel=1e-15)


def test_gelu_and_swish_known_values():
    gelu, swish = ACTIVATIONS["gelu"], ACTIVATIONS["swish"]
    phi_1 = 0.5 * (1.0 + math.erf(1.0 / math.sqrt(2.0)))  # Phi(1) = 0.8413...
    assert gelu.fn(1.0) == pytest.approx(phi_1, rel=1e-15)
    assert gelu.fn(-1.0) == pytest.approx(-(1.0 - phi_1), rel=1e-14)
    # Exact erf form, not the tanh approximation (which gives 0.841192 at x = 1).
    assert abs(gelu.fn(1.0) - 0.8411919906082768) > 1e-4
    assert swish.fn(1.0) == pytest.approx(1.0 / (1.0 + math.exp(-1.0)), rel=1e-15)
    assert swish.fn(-2.0) == pytest.approx(-2.0 / (1.0 + math.exp(2.0)), rel=1e-15)


def test_relu_family_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].fn(x), [0, 0, 0, 0.5, 2])
    np.testing.assert_array_equal(ACTIVATIONS["linear"].fn(x), x)
    np.testing.assert_allclose(ACTIVATIONS["leaky_relu"].fn(x), [-0.02, -0.005, 0, 0.5, 2])
    np.testing.assert_allclose(ACTIVATIONS["prelu"].fn(x, alpha=0.5), [-1, -0.25, 0, 0.5, 2])
    np.testing.assert_allclose(
        ACTIVATIONS["elu"].fn(x, alpha=2.0), [2 * math.expm1(-2), 2 * math.expm1(-0.5), 0, 0.5, 2]
    )


# PyTorch autograd at exactly x = 0 (checked live in test_derivative_at_zero_matches_torch):
# the ReLU family takes the x <= 0 branch; the smooth functions have an ordinary derivative.
DERIVATIVE_AT_ZERO = [
    ("linear", {}, 1.0),
    ("sigmoid", {}, 0.25),
    ("tanh", {}, 1.0),
    ("relu", {}, 0.0),
    ("leaky_relu", {}, 0.01),
    ("leaky_relu", {"negative_slope": 0.2}, 0.2),
    ("prelu", {}, 0.25),
    ("prelu", {"alpha": 0.1}, 0.1),
    ("elu", {}, 1.0),
    ("elu", {"alpha": 0.5}, 0.5),
    ("selu", {}, SELU_LAMBDA * SELU_ALPHA),
    ("gelu", {}, 0.5),
    ("swish", {}, 0.5),
]


@pytest.mark.parametrize(("name", "params", "expected"), DERIVATIVE_AT_ZERO)
def test_derivative_at_zero_follows_pytorch(name, params, expected):
    grad = ACTIVATIONS[name].grad(np.array([0.0, -0.0]), **params)
    np.testing.assert_allclose(grad, [expected, expected], rtol=1e-15)


# --- shapes, dtypes, no aliasing ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("shape", [(), (1,), (7,), (3, 4), (2, 3, 4)])
def test_shape_and_dtype_are_preserved_and_input_untouched(name, params, shape):
    act = ACTIVATIONS[name]
    x = np.random.default_rng(2).normal(size=shape)
    before = x.copy()
    for out in (act.fn(x, **params), act.grad(x, **params)):
        assert np.shape(out) == shape
        assert np.asarray(out).dtype == np.float64
    assert np.array_equal(x, before)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_python_scalars_work(name):
    act = ACTIVATIONS[name]
    assert np.isfinite(float(act.fn(0.3))) and np.isfinite(float(act.grad(0.3)))


def test_linear_returns_a_fresh_array():
    x = np.array([1.0, -2.0])
    out = ACTIVATIONS["linear"].fn(x)
    out *= 0.0  # e.g. an in-place dropout mask downstream
    assert np.array_equal(x, [1.0, -2.0])


# --- numerical stability --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_finite_and_silent_at_extremes(name, params):
    act = ACTIVATIONS[name]
    with np.errstate(all="raise"):
        for x in (EXTREMES, EXTREMES.reshape(4, 5)):
            assert np.all(np.isfinite(act.fn(x, **params)))
            assert np.all(np.isfinite(act.grad(x, **params)))
        for xi in EXTREMES:  # scalars take the same code path
            assert np.isfinite(act.fn(float(xi), **params))
            assert np.isfinite(act.grad(float(xi), **params))


def test_saturation_limits():
    x = np.array([-1e300, -1000.0, 1000.0, 1e300])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(sigmoid(x), [0, 0, 1, 1])
        np.testing.assert_array_equal(ACTIVATIONS["sigmoid"].grad(x), [0, 0, 0, 0])
        np.testing.assert_array_equal(ACTIVATIONS["tanh"].fn(x), [-1, -1, 1, 1])
        np.testing.assert_array_equal(ACTIVATIONS["tanh"].grad(x), [0, 0, 0, 0])
        np.testing.assert_array_equal(ACTIVATIONS["gelu"].fn(x), [0, 0, 1000, 1e300])
        np.testing.assert_array_equal(ACTIVATIONS["gelu"].grad(x), [0, 0, 1, 1])
        np.testing.assert_array_equal(ACTIVATIONS["swish"].fn(x), [0, 0, 1000, 1e300])
        np.testing.assert_array_equal(ACTIVATIONS["swish"].grad(x), [0, 0, 1, 1])
        np.testing.assert_array_equal(ACTIVATIONS["elu"].fn(x), [-1, -1, 1000, 1e300])
        np.testing.assert_array_equal(ACTIVATIONS["elu"].grad(x), [0, 0, 1, 1])


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(CASES),
    x=hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e300, 1e300)),
)
def test_property_finite_and_silent_for_any_finite_input(case, x):
    name, params = case
    act = ACTIVATIONS[name]
    with np.errstate(all="raise"):
        assert np.all(np.isfinite(act.fn(x, **params)))
        assert np.all(np.isfinite(act.grad(x, **params)))


# --- parity with PyTorch --------------------------------------------------------------------------


def _assert_matches_torch(reference):
    x = np.asarray(reference["activations"]["x"], dtype=np.float64)
    for case in reference["activations"]["cases"]:
        act = ACTIVATIONS[case["name"]]
        for kind in ("fn", "grad"):
            np.testing.assert_allclose(
                getattr(act, kind)(x, **case["params"]),
                np.asarray(case[kind], dtype=np.float64),
                rtol=PARITY_RTOL,
                atol=PARITY_ATOL.get((case["name"], kind), 0.0),
                err_msg=f"{case['name']} {case['params']} {kind} vs torch",
            )


def test_reference_file_covers_every_activation_and_the_hard_points():
    cases = REFERENCE["activations"]["cases"]
    assert {c["name"] for c in cases} == set(ACTIVATIONS)
    x = REFERENCE["activations"]["x"]
    for special in (0.0, 1000.0, -1000.0, 1e300, -1e300, 1e-8, -1e-8):
        assert special in x
    assert REFERENCE["meta"]["dtype"] == "float64"


REFERENCE_CASE_IDS = [
    c["name"] + "".join(f"-{v}" for v in c["params"].values())
    for c in REFERENCE["activations"]["cases"]
]


@pytest.mark.parametrize("case", REFERENCE["activations"]["cases"], ids=REFERENCE_CASE_IDS)
def test_matches_torch_reference_file(case):
    _assert_matches_torch({"activations": {"x": REFERENCE["activations"]["x"], "cases": [case]}})


def test_matches_torch_live():
    pytest.importorskip("torch")
    from tests.reference.make_torch_reference import build_reference

    for seed in (1, 2):
        _assert_matches_torch(build_reference(seed=seed))


@pytest.mark.parametrize(("name", "params", "expected"), DERIVATIVE_AT_ZERO)
def test_derivative_at_zero_matches_torch(name, params, expected):
    torch = pytest.importorskip("torch")
    from tests.reference.make_torch_reference import TORCH_ACTIVATIONS

    x = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    y = TORCH_ACTIVATIONS[name](x, **{**ACTIVATIONS[name].params, **params})
    (grad,) = torch.autograd.grad(y.sum(), x)
    assert grad.item() == pytest.approx(expected, rel=1e-15)


def test_a_derivative_formula_names_the_kink_where_the_two_sides_slopes_differ():
    """Audit pass 40 (f): the activations page's formulas gave ReLU'(x) = 0 for x ≤ 0 (and
    leaky ReLU, PReLU, ELU and SELU their negative branch at x ≤ 0), a derivative at x = 0 where
    the caption below says they "have a kink at 0" and the backprop lesson says relu'(0) is
    undefined. Wherever the one-sided slopes at 0 differ (at the page's default parameters), the
    formula gives the two sides and names the value at 0 as PyTorch's convention at a kink."""
    from core.experiments.activations import Config
    from core.experiments.activations.claims import one_sided

    config = Config()
    kinked = []
    for name, act in ACTIVATIONS.items():
        left, right = one_sided(name, config.activation_kw(name))
        if not np.isclose(left, right, rtol=1e-6, atol=1e-9):
            kinked.append(name)
            assert "kink" in act.grad_latex and r"x = 0" in act.grad_latex, name
            assert r"x \le 0" not in act.grad_latex, name
    assert {"relu", "leaky_relu", "prelu", "selu"} <= set(kinked)  # the witnesses
