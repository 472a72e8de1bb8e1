"""Per-layer diagnostics of fit (History.layers): the numbers are the gradients, weights and units they claim."""

import numpy as np
import pytest

from core import mlp, optim
from core.activations import ACTIVATIONS
from core.data import make_classification_2d
from core.losses import LOSSES
from core.train import LAYER_COLUMNS, fit


@pytest.fixture(scope="module")
def moons():
    return make_classification_2d("moons", n_samples=200, noise=0.2, seed=0)


def _fit(ds, params, **kw):
    base = dict(loss="bce_with_logits", optimizer=optim.sgd(0.1), epochs=3, batch_size=35)
    base.update(kw)
    return fit(params, ds.X_train, ds.y_train, **base)


def test_off_by_default_and_training_is_the_same_with_it_on(moons):
    params = mlp.init_params((2, 8, 8, 1), seed=1)
    off = _fit(moons, params)
    on = _fit(moons, params, diagnostics=True)
    assert off.layers is None
    np.testing.assert_array_equal(off.steps["loss"], on.steps["loss"])
    assert list(on.layers.columns) == list(LAYER_COLUMNS)
    assert len(on.layers) == (3 + 1) * 3  # epochs 0..3 x layers 1..3
    assert on.layers["update_ratio"][on.layers["epoch"] == 0].isna().all()
    out = on.layers[on.layers["layer"] == 3]
    assert out[["act_mean", "act_std", "saturated", "dead"]].isna().all().all()


def test_epoch_zero_holds_the_full_batch_gradient_and_weight_norms(moons):
    params = mlp.init_params((2, 8, 8, 1), seed=2)
    h = _fit(moons, params, diagnostics=True, epochs=1)
    X, T = moons.X_train, moons.y_train.reshape(-1, 1)
    logits, cache = mlp.forward(params, X)
    grads = mlp.backward(params, cache, LOSSES["bce_with_logits"].grad(logits, T))
    at_init = h.layers[h.layers["epoch"] == 0].set_index("layer")
    for k in (1, 2, 3):
        assert at_init.loc[k, "grad_norm"] == pytest.approx(np.linalg.norm(grads[f"W{k}"]))
        assert at_init.loc[k, "weight_norm"] == pytest.approx(np.linalg.norm(params[f"W{k}"]))
    hidden = ACTIVATIONS["relu"].fn(X @ params["W1"] + params["b1"])
    assert at_init.loc[1, "act_mean"] == pytest.approx(hidden.mean())
    assert at_init.loc[1, "act_std"] == pytest.approx(hidden.std())


def test_update_ratio_of_full_batch_gd_is_lr_times_gradient_over_weight(moons):
    params = mlp.init_params((2, 8, 1), seed=3)
    lr = 0.05
    h = _fit(moons, params, diagnostics=True, epochs=1, batch_size=None, optimizer=optim.sgd(lr))
    rows = h.layers.set_index(["epoch", "layer"])
    for k in (1, 2):
        expected = lr * rows.loc[(0, k), "grad_norm"] / rows.loc[(0, k), "weight_norm"]
        assert rows.loc[(1, k), "update_ratio"] == pytest.approx(expected, rel=1e-12)


def test_a_unit_that_never_fires_counts_as_dead_and_leaky_units_never_do(moons):
    params = mlp.init_params((2, 4, 1), seed=4)
    params["b1"] = np.array([-100.0, 0.0, 0.0, 0.0])  # unit 1 is off for every input
    for activation, dead in (("relu", 0.25), ("leaky_relu", 0.0)):
        h = _fit(moons, params, activation=activation, diagnostics=True, epochs=1)
        first = h.layers[(h.layers["layer"] == 1)]
        assert first["dead"].iloc[0] == dead, activation
        assert first["saturated"].iloc[0] >= (0.25 if activation == "relu" else 0.0)


def test_saturated_sigmoid_units_are_flagged(moons):
    small = mlp.init_params((2, 16, 1), init="normal", sigma=0.1, seed=5)
    large = mlp.init_params((2, 16, 1), init="normal", sigma=20.0, seed=5)
    sat = [
        _fit(moons, p, activation="sigmoid", diagnostics=True, epochs=1).layers["saturated"].iloc[0]
        for p in (small, large)
    ]
    assert sat[0] == 0.0 and sat[1] > 0.5


def test_peak_derivative_of_known_activations():
    assert mlp.peak_derivative("sigmoid") == pytest.approx(0.25)
    assert mlp.peak_derivative("relu") == 1.0
    assert mlp.peak_derivative("selu") == pytest.approx(1.0507009873554805 * 1.6732632423543772)


def test_learned_prelu_slope_is_trained(moons):
    params = mlp.init_params((2, 8, 8, 1), seed=6, learn_prelu=True)
    h = _fit(moons, params, activation="prelu", optimizer=optim.adam(0.05), epochs=10)
    assert not h.diverged
    assert h.params["a1"].shape == (1,) and h.params["a1"][0] != 0.25


def test_diagnostics_with_batch_norm_measure_the_normalized_units(moons):
    params = mlp.init_params((2, 16, 16, 1), init="normal", sigma=3.0, seed=7, batch_norm=True)
    h = _fit(moons, params, activation="tanh", diagnostics=True, epochs=1)
    at_init = h.layers[(h.layers["epoch"] == 0) & (h.layers["layer"] == 2)].iloc[0]
    # tanh of a standardized input: mean ~0, std of tanh(N(0, 1)) ~ 0.63, hardly saturated.
    assert abs(at_init["act_mean"]) < 0.1
    assert 0.5 < at_init["act_std"] < 0.75
    assert at_init["saturated"] < 0.05
