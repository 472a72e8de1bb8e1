"""The autodiff lesson's claims hold in its numbers: O(h) vs O(h^2), the V shape, robust losses, kinks."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from core.autodiff import ExpressionError
from core.experiments import autodiff as ad

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [
    ("steps", 10, 2000),
    (
        "expression",
        "mean(abs(y_pred - y_true))",
        "mean(" + " + ".join(["log(cosh(y_pred - y_true))"] * 8) + ")",
    ),
]

FORWARD, CENTRAL = ad.METHODS[1], ad.METHODS[2]


@pytest.fixture(scope="module")
def default():
    return ad.run(ad.Config())


def _errors(result, method):
    frame = result.sweep[result.sweep["method"] == method]
    return frame.set_index("h")["error"]


def _slope(errors, h_big, h_small):
    """log-log slope of the error between two steps of the sweep."""
    h = errors.index.to_numpy()
    i, j = np.argmin(np.abs(h - h_big)), np.argmin(np.abs(h - h_small))
    return np.log(errors.iloc[i] / errors.iloc[j]) / np.log(h[i] / h[j])


def test_default_point_is_exact_and_the_estimates_have_the_predicted_errors(default):
    point, config = default.point, ad.Config()
    r = config.y_pred - config.y_true
    assert point["exact"] == pytest.approx(np.tanh(r), rel=1e-14)  # d/dr log cosh r = tanh r
    assert point["value"] == pytest.approx(np.log(np.cosh(r)), rel=1e-14)
    second = 1 - np.tanh(r) ** 2
    assert point["forward_error"] == pytest.approx(config.h * second / 2, rel=0.02)
    assert point["central_error"] < point["forward_error"] / 1e4
    assert default.derivatives["second"] == pytest.approx(second, rel=1e-5)


def test_truncation_error_falls_like_h_for_forward_and_h_squared_for_central(default):
    assert _slope(_errors(default, FORWARD), 1e-2, 1e-5) == pytest.approx(1.0, abs=0.05)
    assert _slope(_errors(default, CENTRAL), 1e-1, 1e-3) == pytest.approx(2.0, abs=0.05)


def test_round_off_makes_the_error_rise_again_a_v_shape(default):
    assert default.shape == "shrinks, then grows"
    for method in (FORWARD, CENTRAL):
        errors = _errors(default, method)
        best_error = default.best[method][1]
        assert errors.iloc[-1] > 100 * best_error  # h = 1e-14 is far worse than the best h
        assert errors.iloc[0] > 100 * best_error  # and so is h = 0.1
    assert 1e-10 <= default.best[FORWARD][0] <= 1e-6  # near sqrt(eps) ~ 1e-8
    assert 1e-7 <= default.best[CENTRAL][0] <= 1e-3  # near eps^(1/3) ~ 6e-6
    assert default.best[CENTRAL][1] < default.best[FORWARD][1]


def test_a_quadratic_loss_has_no_central_truncation_error():
    result = ad.run(ad.Config(expression=ad.EXPRESSIONS["MSE"][0], steps=10))
    assert result.derivatives["third"] == pytest.approx(0.0, abs=1e-6)
    assert result.shape == "only grows"
    assert _errors(result, CENTRAL).iloc[0] < 1e-12  # h = 0.1 and still exact to round-off


def test_the_gradient_curve_agrees_with_central_differences(default):
    curve = default.curve.pivot(index="y_pred", columns="method", values="grad")
    np.testing.assert_allclose(curve[CENTRAL], curve[ad.METHODS[0]], atol=1e-8)
    assert default.curve_undefined == 0


def test_a_large_step_shows_forward_differences_shifted_by_h_for_mse():
    result = ad.run(ad.Config(expression=ad.EXPRESSIONS["MSE"][0], h=0.1, steps=10))
    curve = result.curve.pivot(index="y_pred", columns="method", values="grad")
    # (r + h)^2 - r^2 over h = 2r + h: the forward estimate is off by exactly h everywhere
    np.testing.assert_allclose(curve[FORWARD] - curve[ad.METHODS[0]], 0.1, atol=1e-9)
    np.testing.assert_allclose(curve[CENTRAL], curve[ad.METHODS[0]], atol=1e-9)


def test_outliers_pull_mse_but_not_huber():
    huber = ad.Config(expression=ad.EXPRESSIONS["Huber"][0], steps=400)
    with_outliers = ad.run(huber).fit_summary.set_index("model")["w"]
    clean = ad.run(dataclasses.replace(huber, outliers=False)).fit_summary.set_index("model")["w"]
    true_slope = 1.5
    assert abs(with_outliers["your loss"] - true_slope) < 0.2
    assert abs(with_outliers["mse"] - true_slope) > 0.5
    assert abs(clean["your loss"] - true_slope) < 0.2 and abs(clean["mse"] - true_slope) < 0.2


def test_typed_cross_entropy_trains_exactly_like_the_library_loss():
    config = ad.Config(expression=ad.EXPRESSIONS["BCE on logits"][0], data="classification")
    summary = ad.run(config).fit_summary.set_index("model")
    np.testing.assert_allclose(
        summary.loc["your loss", ["w", "b", "loss"]].to_numpy(dtype=float),
        summary.loc["bce_with_logits", ["w", "b", "loss"]].to_numpy(dtype=float),
        rtol=1e-8,
    )


def test_gradient_check_passes_on_a_smooth_point(default):
    assert (default.gradcheck["rel_error"] < ad.GOOD).all()
    assert set(default.gradcheck["tensor"]) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    assert default.kink["min_abs_z"] > 1e-5


def test_a_pre_activation_on_the_relu_kink_breaks_the_check():
    result = ad.run(ad.Config(on_kink=True, steps=10))
    check = result.gradcheck.set_index("tensor")["rel_error"]
    assert result.kink["min_abs_z"] == 0.0  # exactly on the kink, not just near it
    assert check["W1"] > ad.WRONG and check["b1"] > ad.WRONG
    assert (check[["W2", "b2", "W3", "b3"]] < ad.GOOD).all()  # layers above the kink are fine


def test_smooth_activations_pass_even_on_the_kink_placement():
    result = ad.run(ad.Config(on_kink=True, activation="tanh", steps=10))
    assert (result.gradcheck["rel_error"] < ad.GOOD).all()


def test_elu_on_its_kink_is_only_suspicious():
    # elu (alpha = 1) has a continuous slope at 0 but a jump in curvature: central differences
    # lose their h^2 accuracy there, so the error grows to ~h without looking like a bug.
    check = ad.run(ad.Config(on_kink=True, activation="elu", steps=10)).gradcheck
    errors = check.set_index("tensor")["rel_error"]
    assert ad.GOOD < errors["b1"] < 1e-4
    assert (check["rel_error"] < ad.WRONG).all()


def test_an_undefined_point_is_reported_and_the_rest_still_runs():
    result = ad.run(ad.Config(expression="mean(log(y_pred))", y_pred=-1.0, steps=10))
    assert "log" in result.point["error"] and "column 6" in result.point["error"]
    assert result.graph == [] and result.shape == ""
    assert result.curve_undefined > 0
    assert (result.curve["y_pred"] > 0).all() and len(result.curve) > 0
    stopped = result.fit_summary.set_index("model").loc["your loss", "stopped_reason"]
    assert "log" in stopped


def test_results_hold_no_infinities_even_for_a_huge_loss_and_tiny_step():
    config = ad.Config(expression="mean(exp(100*y_pred))", h=1e-14, y_pred=5.0, steps=10)
    result = ad.run(config)
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, pd.DataFrame):
            numeric = value.select_dtypes(include=[np.number]).to_numpy(dtype=float)
            assert not np.isinf(numeric).any(), field.name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expression", "import os"),
        ("expression", None),
        ("delta", -1.0),
        ("h", 0.0),
        ("steps", 10_000),
        ("data", "images"),
        ("activation", "softmax"),
        ("outliers", "yes"),
    ],
)
def test_bad_settings_raise_value_errors_that_name_them(field, value):
    with pytest.raises(ValueError) as info:
        ad.Config(**{field: value})
    if field == "expression" and isinstance(value, str):
        assert isinstance(info.value, ExpressionError) and "column" in str(info.value)
    else:
        assert field in str(info.value)


def test_runs_are_deterministic():
    config = ad.Config(steps=20, seed=3)
    a, b = ad.run(config), ad.run(config)
    pd.testing.assert_frame_equal(a.fits, b.fits)
    pd.testing.assert_frame_equal(a.gradcheck, b.gradcheck)
