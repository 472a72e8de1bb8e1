"""The layer pairs of core.layers: each backward against central differences, named caches, purity."""

import copy

import numpy as np
import pytest

from core import layers
from core.activations import ACTIVATIONS
from core.gradcheck import numerical_grad, rel_error

RNG = np.random.default_rng(0)


def _check_pair(forward, backward, inputs: dict, wrt_input: str, dout_shape, *, h=1e-5):
    """Central differences of ``sum(forward(**inputs) * dout)`` against every gradient of backward.

    ``backward`` returns ``(dx, grads)``: ``dx`` is checked against ``wrt_input`` and each
    ``grads[name]`` against ``inputs[name]``.
    """
    dout = RNG.standard_normal(dout_shape)
    out, cache = forward(**inputs)
    assert out.shape == dout_shape
    before = copy.deepcopy((inputs, dout))
    dx, grads = backward(dout, cache)
    np.testing.assert_array_equal(before[1], dout)  # backward does not write to dout
    for name, value in inputs.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(before[0][name], value)  # nor forward to its inputs

    def objective(name):
        return lambda v: float(np.sum(forward(**{**inputs, name: v})[0] * dout))

    numeric = numerical_grad(objective(wrt_input), inputs[wrt_input], h=h)
    assert rel_error(dx, numeric) < 1e-6, wrt_input
    for name, grad in grads.items():
        numeric = numerical_grad(objective(name), inputs[name], h=h)
        assert grad.shape == inputs[name].shape, name
        assert rel_error(grad, numeric) < 1e-6, name
    return cache, grads


def test_dense_pair():
    inputs = {
        "x": RNG.standard_normal((6, 4)),
        "W": RNG.standard_normal((4, 3)),
        "b": RNG.standard_normal(3),
    }
    cache, grads = _check_pair(layers.dense_forward, layers.dense_backward, inputs, "x", (6, 3))
    assert isinstance(cache, layers.DenseCache)
    assert cache.x is inputs["x"] and cache.W is inputs["W"]
    assert set(grads) == {"W", "b"}


def test_dense_backward_can_skip_the_input_gradient():
    x, W, b = RNG.standard_normal((5, 2)), RNG.standard_normal((2, 3)), np.zeros(3)
    _, cache = layers.dense_forward(x, W, b)
    dout = RNG.standard_normal((5, 3))
    dx, grads = layers.dense_backward(dout, cache, input_grad=False)
    full_dx, full = layers.dense_backward(dout, cache)
    assert dx is None and full_dx.shape == x.shape
    np.testing.assert_array_equal(grads["W"], full["W"])


# Inputs kept away from the kinks of the piecewise activations (|z| >= 0.1 > h).
def _away_from_zero(shape):
    z = RNG.standard_normal(shape)
    return np.where(np.abs(z) < 0.1, np.sign(z) * 0.1 + z, z)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_pair(name):
    act = ACTIVATIONS[name]

    def forward(z):
        return layers.activation_forward(z, act)

    cache, grads = _check_pair(
        forward, layers.activation_backward, {"z": _away_from_zero((5, 4))}, "z", (5, 4)
    )
    assert isinstance(cache, layers.ActivationCache) and cache.activation is act
    assert grads == {}


def test_activation_pair_with_keyword_arguments():
    act = ACTIVATIONS["leaky_relu"]

    def forward(z):
        return layers.activation_forward(z, act, {"negative_slope": 0.3})

    _check_pair(forward, layers.activation_backward, {"z": _away_from_zero((4, 3))}, "z", (4, 3))


def test_learned_prelu_slope_gets_its_gradient():
    act = ACTIVATIONS["prelu"]

    def forward(z, slope):
        return layers.activation_forward(z, act, slope=slope)

    inputs = {"z": _away_from_zero((6, 3)), "slope": np.array([0.2])}
    cache, grads = _check_pair(forward, _rename_alpha, inputs, "z", (6, 3))
    assert cache.learned_slope and set(grads) == {"slope"}


def _rename_alpha(dout, cache):
    # activation_backward names the slope's gradient "alpha"; the checker wants the input name.
    dz, grads = layers.activation_backward(dout, cache)
    return dz, {"slope": grads["alpha"]}


def test_dropout_pair_is_linear_in_its_input_and_draws_once():
    x = RNG.standard_normal((8, 5))
    draws = np.random.default_rng(3)
    out, cache = layers.dropout_forward(x, 0.4, draws)
    again = np.random.default_rng(3)
    expected_mask = (again.random(x.shape) < 0.6) / 0.6
    np.testing.assert_array_equal(cache.mask, expected_mask)
    assert draws.random() == again.random()  # the same generator state afterwards: one draw
    np.testing.assert_array_equal(out, x * expected_mask)

    def forward(x):  # the same mask every call, as the backward assumes
        return layers.dropout_forward(x, 0.4, np.random.default_rng(3))

    cache, grads = _check_pair(forward, layers.dropout_backward, {"x": x}, "x", (8, 5))
    assert isinstance(cache, layers.DropoutCache) and grads == {}


@pytest.mark.parametrize("train", [True, False])
def test_batch_norm_pair(train):
    d = 4
    running = {"running_mean": RNG.standard_normal(d), "running_var": 0.5 + RNG.random(d)}

    def forward(x, gamma, beta):
        stats = {} if train else running
        return layers.batch_norm_forward(x, gamma, beta, train=train, **stats)

    inputs = {
        "x": 2.0 + 3.0 * RNG.standard_normal((7, d)),
        "gamma": 1.0 + 0.3 * RNG.standard_normal(d),
        "beta": RNG.standard_normal(d),
    }
    cache, grads = _check_pair(forward, layers.batch_norm_backward, inputs, "x", (7, d))
    assert isinstance(cache, layers.BatchNormCache) and cache.train is train
    assert set(grads) == {"gamma", "beta"}


def test_caches_are_named_tuples_with_documented_fields():
    assert layers.DenseCache._fields == ("x", "W")
    assert layers.ActivationCache._fields == ("z", "activation", "kw", "learned_slope")
    assert layers.DropoutCache._fields == ("mask",)
    assert layers.BatchNormCache._fields == ("x_hat", "inv_std", "mean", "var", "train", "gamma")
