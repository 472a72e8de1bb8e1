"""The dense network: shapes, inits, inverted dropout, and backward against central differences."""

import numpy as np
import pytest

from core import mlp
from core.activations import ACTIVATIONS
from core.gradcheck import numerical_grad, rel_error
from core.losses import LOSSES


def _loss_of(params, X, y, loss, activation, dropout=0.0, mask_seed=None):
    rng = None if mask_seed is None else np.random.default_rng(mask_seed)
    logits, _ = mlp.forward(
        params, X, activation=activation, dropout=dropout, train=dropout > 0, rng=rng
    )
    return LOSSES[loss].fn(logits, y)


def test_init_shapes_and_zero_biases():
    params = mlp.init_params((3, 5, 4, 2), seed=1)
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert params["W1"].shape == (3, 5) and params["W3"].shape == (4, 2)
    assert all(np.all(params[f"b{k}"] == 0) for k in (1, 2, 3))
    assert (
        mlp.count_params(params)
        == mlp.count_params((3, 5, 4, 2))
        == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2
    )


@pytest.mark.parametrize(
    ("init", "expected_std"),
    [
        ("he", np.sqrt(2 / 400)),
        ("lecun", np.sqrt(1 / 400)),
        ("xavier", np.sqrt(2 / 800)),
        ("normal", 0.05),
    ],
)
def test_init_scales(init, expected_std):
    W = mlp.init_params((400, 400), init=init, seed=0, sigma=0.05)["W1"]
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W.mean()) < 0.05 * expected_std


def test_init_rejects_bad_arguments():
    with pytest.raises(ValueError, match="init"):
        mlp.init_params((2, 2), init="glorot_magic")
    with pytest.raises(ValueError, match="sizes"):
        mlp.init_params((2,))


def test_same_seed_same_params():
    a, b = mlp.init_params((2, 8, 1), seed=7), mlp.init_params((2, 8, 1), seed=7)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    c = mlp.init_params((2, 8, 1), seed=8)
    assert not np.array_equal(a["W1"], c["W1"])


@pytest.mark.parametrize(
    "activation", [a for a in ACTIVATIONS if a not in ("relu", "leaky_relu", "prelu")]
)
@pytest.mark.parametrize("loss", ["mse", "bce_with_logits", "cross_entropy"])
def test_backward_matches_central_differences(activation, loss):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 3))
    n_out = 3 if loss == "cross_entropy" else 1
    params = mlp.init_params((3, 5, 4, n_out), init="xavier", seed=2)
    params = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in params.items()}
    y = (
        rng.integers(0, n_out, 6)
        if loss == "cross_entropy"
        else rng.integers(0, 2, (6, 1)).astype(float)
    )
    logits, cache = mlp.forward(params, X, activation=activation)
    grads = mlp.backward(params, cache, LOSSES[loss].grad(logits, y))
    for key, value in params.items():

        def f(w, key=key):
            return _loss_of({**params, key: w}, X, y, loss, activation)

        assert rel_error(grads[key], numerical_grad(f, value)) < 1e-6, key


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "prelu"])
def test_backward_piecewise_linear_away_from_kinks(activation):
    # Inputs chosen so no pre-activation sits within h of the kink at 0.
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 2))
    params = mlp.init_params((2, 6, 1), seed=4)
    z = X @ params["W1"] + params["b1"]
    assert np.min(np.abs(z)) > 1e-3
    y = rng.standard_normal((5, 1))
    logits, cache = mlp.forward(params, X, activation=activation)
    grads = mlp.backward(params, cache, LOSSES["mse"].grad(logits, y))
    for key, value in params.items():

        def f(w, key=key):
            return _loss_of({**params, key: w}, X, y, "mse", activation)

        assert rel_error(grads[key], numerical_grad(f, value, h=1e-6)) < 1e-6, key


def test_backward_with_dropout_mask_matches_central_differences():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((8, 3))
    y = rng.standard_normal((8, 1))
    params = mlp.init_params((3, 7, 7, 1), init="xavier", seed=6)
    logits, cache = mlp.forward(
        params, X, activation="tanh", dropout=0.4, train=True, rng=np.random.default_rng(11)
    )
    grads = mlp.backward(params, cache, LOSSES["mse"].grad(logits, y))
    for key, value in params.items():

        def f(w, key=key):
            return _loss_of({**params, key: w}, X, y, "mse", "tanh", dropout=0.4, mask_seed=11)

        assert rel_error(grads[key], numerical_grad(f, value)) < 1e-6, key


def test_inverted_dropout_keeps_expected_activation_and_is_off_at_inference():
    params = {"W1": np.eye(4), "b1": np.ones(4), "W2": np.ones((4, 1)), "b2": np.zeros(1)}
    X = np.ones((20_000, 4))
    rng = np.random.default_rng(0)
    _, cache = mlp.forward(params, X, activation="linear", dropout=0.3, train=True, rng=rng)
    hidden_layer, output_layer = cache.layers
    mask = hidden_layer.drop.mask  # the hidden layer's dropout mask
    hidden = output_layer.dense.x  # input of the output layer: the dropped, rescaled hidden units
    assert set(np.unique(mask)) == {0.0, 1 / 0.7}
    assert np.mean(mask == 0) == pytest.approx(0.3, abs=0.01)
    assert hidden.mean() == pytest.approx(2.0, rel=0.01)  # E[mask * a] = a
    out_eval = mlp.forward(params, X[:3], activation="linear", dropout=0.3, train=False)[0]
    np.testing.assert_allclose(out_eval, 8.0)


def test_forward_rejects_bad_arguments():
    params = mlp.init_params((2, 3, 1))
    with pytest.raises(ValueError, match="activation"):
        mlp.forward(params, np.zeros((1, 2)), activation="relu6")
    with pytest.raises(ValueError, match="dropout"):
        mlp.forward(params, np.zeros((1, 2)), dropout=1.0)
    with pytest.raises(ValueError, match="rng"):
        mlp.forward(params, np.zeros((1, 2)), dropout=0.5, train=True)


def test_last_layer_is_linear():
    params = mlp.init_params((2, 4, 1), seed=0)
    X = np.random.default_rng(0).standard_normal((3, 2))
    logits = mlp.forward(params, X, activation="sigmoid")[0]
    hidden = ACTIVATIONS["sigmoid"].fn(X @ params["W1"] + params["b1"])
    np.testing.assert_allclose(logits, hidden @ params["W2"] + params["b2"])


def test_forward_keeps_one_named_cache_per_layer_and_pair():
    from core.layers import ActivationCache, BatchNormCache, DenseCache, DropoutCache

    params = mlp.init_params((3, 5, 4, 2), seed=0, batch_norm=True, learn_prelu=True)
    X = np.random.default_rng(1).standard_normal((6, 3))
    rng = np.random.default_rng(2)
    logits, cache = mlp.forward(params, X, activation="prelu", dropout=0.5, train=True, rng=rng)
    assert isinstance(cache, mlp.ForwardCache) and len(cache.layers) == 3
    *hidden, output = cache.layers
    for layer in hidden:
        assert isinstance(layer.dense, DenseCache)
        assert isinstance(layer.norm, BatchNormCache)
        assert isinstance(layer.act, ActivationCache) and layer.act.learned_slope
        assert isinstance(layer.drop, DropoutCache)
    assert output.norm is output.act is output.drop is None
    assert cache.layers[0].dense.x is X
    # Each layer's input is the previous layer's dropped activation.
    np.testing.assert_array_equal(
        output.dense.x,
        hidden[-1].drop.mask * ACTIVATIONS["prelu"].fn(hidden[-1].act.z, alpha=params["a2"][0]),
    )
    np.testing.assert_allclose(logits, output.dense.x @ params["W3"] + params["b3"], rtol=1e-15)
