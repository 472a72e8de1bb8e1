"""The loss-functions lesson: cross-entropy's numbers, p − y, the full softmax Jacobian, saturation."""

import dataclasses

import numpy as np
import pytest

from core import mlp, optim
from core.activations import sigmoid
from core.data import make_classification_2d
from core.experiments import loss_functions as lf
from core.gradcheck import numerical_grad, rel_error
from core.losses import softmax
from core.train import fit

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [("epochs", 10, 1000)]


def _config(*, logits=None, probabilities=None, **values):
    """A Config with the three scores given as one tuple, as the class panel reads them."""
    for name, scores in (("logit", logits), ("probability", probabilities)):
        if scores is not None:
            values.update({f"{name}_{i + 1}": v for i, v in enumerate(scores)})
    return lf.Config(**values)


@pytest.fixture(scope="module")
def result():
    return lf.run(lf.Config())


def test_textbook_numbers_come_from_core_losses(result):
    std = result.standard.set_index("true_probability")["loss"]
    for p, quoted in ((0.9, "0.105"), (0.6, "0.511"), (0.7, "0.357")):
        assert std[p] == pytest.approx(-np.log(p), rel=1e-12)
        assert f"{std[p]:.3f}" == quoted


@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_is_minus_log_of_the_true_class(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(4))
    for k in range(4):
        assert lf.cross_entropy_of(p, k) == pytest.approx(-np.log(p[k]), rel=1e-12)


def test_probability_mode_normalizes_the_weights():
    r = lf.run(_config(input_mode="probabilities", probabilities=(0.7, 0.2, 0.1), epochs=10))
    assert r.loss == pytest.approx(-np.log(0.7), rel=1e-12)
    r = lf.run(_config(input_mode="probabilities", probabilities=(0.5, 0.5, 0.5), epochs=10))
    np.testing.assert_allclose(r.probabilities, 1 / 3)
    assert r.loss == pytest.approx(np.log(3.0), rel=1e-12)


@pytest.mark.parametrize(
    ("logits", "true_class"), [((2.0, 1.0, 0.1), 0), ((-2.0, 4.0, 1.0), 0), ((9.0, -9.0, 0.0), 2)]
)
def test_gradient_on_the_logits_is_p_minus_y(logits, true_class):
    r = lf.run(_config(logits=logits, true_class=true_class, epochs=10))
    c = r.classes
    y = np.eye(3)[true_class]
    np.testing.assert_allclose(c["gradient"], softmax(np.array(logits)) - y, atol=1e-15)
    assert rel_error(c["gradient"].to_numpy(), c["central_difference"].to_numpy()) < 1e-6
    assert r.jacobian_rel_error < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_full_jacobian_matches_central_differences_and_the_diagonal_alone_does_not(seed):
    z = np.random.default_rng(seed).normal(size=3) * 2
    p = softmax(z)
    numeric = np.stack([numerical_grad(lambda v, i=i: softmax(v)[i], z) for i in range(3)])
    full = lf.softmax_jacobian(p)
    assert rel_error(full, numeric) < 1e-6
    np.testing.assert_allclose(full, full.T)
    np.testing.assert_allclose(full.sum(axis=0), 0.0, atol=1e-15)  # probabilities sum to 1
    assert rel_error(lf.diagonal_only_jacobian(p), numeric) > 1e-2
    # chain rule: J^T (dL/dp) with dL/dp = -y/p gives p - y; the diagonal alone zeroes the others
    for k in range(3):
        y = np.eye(3)[k]
        np.testing.assert_allclose(full.T @ (-y / p), p - y, atol=1e-12)
        wrong = lf.diagonal_only_jacobian(p).T @ (-y / p)
        assert wrong[k] == pytest.approx(p[k] - 1.0)
        assert np.all(np.delete(wrong, k) == 0.0) and np.all(np.delete(p - y, k) > 0.0)


@pytest.mark.parametrize("objective", ["mse", "bce_with_logits"])
@pytest.mark.parametrize("seed", range(3))
def test_objective_gradients_match_central_differences(objective, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(7, 1)) * 3
    y = rng.integers(0, 2, size=(7, 1)).astype(float)
    fn = lf.OBJECTIVES[objective]
    numeric = numerical_grad(lambda v: fn(v, y)[0], z)
    assert rel_error(fn(z, y)[1], numeric) < 1e-6


def test_squared_error_gradient_vanishes_through_a_saturated_sigmoid(result):
    sat = result.saturation.pivot(index="z", columns="loss_name", values="gradient")
    z = sat.index.to_numpy()
    s = sigmoid(z)
    # |mse'| / |bce'| = 2 sigma (1 - sigma) <= 1/2 everywhere, ~0 in both tails
    np.testing.assert_allclose(sat["mse"] / sat["bce_with_logits"], 2 * s * (1 - s), rtol=1e-9)
    assert (sat["mse"] <= 0.5 * sat["bce_with_logits"] + 1e-15).all()
    assert sat.loc[-10.0, "bce_with_logits"] > 0.99 and sat.loc[-10.0, "mse"] < 1e-3
    losses = result.saturation.pivot(index="z", columns="loss_name", values="loss")
    assert losses["mse"].max() <= 1.0 and losses["bce_with_logits"].max() > 9.0


def test_own_training_loop_reproduces_core_train_fit():
    data = make_classification_2d("moons", n_samples=lf.N_SAMPLES, noise=0.2, seed=1)
    params = mlp.init_params((2, lf.HIDDEN_UNITS, 1), init="xavier", seed=1)
    frame, diverged = lf.train_full_batch(
        params,
        data.X_train,
        data.y_train,
        data.X_test,
        data.y_test,
        objective=lf.bce,
        learning_rate=0.3,
        epochs=15,
    )
    history = fit(
        params,
        data.X_train,
        data.y_train,
        loss="bce_with_logits",
        optimizer=optim.sgd(0.3),
        activation=lf.HIDDEN_ACTIVATION,
        epochs=15,
        batch_size=None,
        X_test=data.X_test,
        y_test=data.y_test,
    )
    assert not diverged
    for col in ("train_loss", "train_accuracy", "test_accuracy"):
        np.testing.assert_allclose(frame[col], history.epochs[col], rtol=1e-10)
    np.testing.assert_allclose(frame["grad_norm"].iloc[1:], history.steps["grad_norm"], rtol=1e-10)


def test_from_a_saturated_start_cross_entropy_learns_and_squared_error_stalls(result):
    s = result.summary
    assert s.loc["mse", "start_grad_norm"] < 0.05 * s.loc["bce_with_logits", "start_grad_norm"]
    assert s.loc["bce_with_logits", "train_accuracy"] > s.loc["mse", "train_accuracy"] + 0.2
    assert not s["diverged"].any()


def test_from_a_fair_start_both_losses_learn():
    r = lf.run(lf.Config(start_logit=0.0))
    s = r.summary
    assert (s["train_accuracy"] > 0.75).all()
    assert s.loc["mse", "start_grad_norm"] > 0.1 * s.loc["bce_with_logits", "start_grad_norm"]


def test_same_config_same_result(result):
    again = lf.run(lf.Config())
    assert again.training.equals(result.training) and again.classes.equals(result.classes)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("logit_3", 99.0, "'logit_3' must be in"),
        ("probability_1", 0.0, "'probability_1'"),
        ("true_class", 3, "'true_class'"),
        ("input_mode", "odds", "'input_mode' must be one of"),
        ("epochs", 5000, "'epochs'"),
    ],
)
def test_config_rejects_bad_values_with_a_message(field, value, message):
    with pytest.raises(ValueError, match=message):
        lf.Config(**{field: value})


def test_result_fields_are_documented():
    doc = lf.Result.__doc__
    assert all(f.name in doc for f in dataclasses.fields(lf.Result))
