"""The bias-variance decomposition (core.decomposition) against its definitions."""

import numpy as np
import pytest

from core.decomposition import decompose


def test_bias_squared_plus_variance_is_the_mean_squared_distance_to_the_truth():
    rng = np.random.default_rng(0)
    f = rng.standard_normal(30)
    P = f + 0.4 + 0.3 * rng.standard_normal((8, 30))  # bias 0.4, spread 0.3
    terms = decompose(P, f, noise_var=0.25)
    assert terms.bias_sq + terms.variance == pytest.approx(np.mean((P - f) ** 2), rel=1e-12)
    assert terms.expected_mse == pytest.approx(terms.bias_sq + terms.variance + 0.25)
    assert terms.per_set_mse == pytest.approx(((P - f) ** 2).mean(axis=1) + 0.25)
    assert terms.variance == pytest.approx(np.mean(np.var(P, axis=0, ddof=1)))


def test_the_bias_estimate_is_unbiased_where_the_plug_in_is_not():
    rng = np.random.default_rng(1)
    f = np.zeros(200)
    estimates, plug_in = [], []
    for _ in range(400):
        P = 0.1 + rng.standard_normal((3, 200))  # true bias² 0.01, variance 1, R = 3
        estimates.append(decompose(P, f, 0.0).bias_sq)
        plug_in.append(np.mean(P.mean(axis=0) ** 2))
    assert np.mean(estimates) == pytest.approx(0.01, abs=0.003)
    assert np.mean(plug_in) == pytest.approx(0.01 + 1 / 3, abs=0.01)  # off by variance / R


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="R >= 2"):
        decompose(np.zeros((1, 5)), np.zeros(5), 0.0)
    with pytest.raises(ValueError, match="one column per point"):
        decompose(np.zeros((3, 5)), np.zeros(4), 0.0)
