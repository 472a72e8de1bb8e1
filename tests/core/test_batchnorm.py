"""Batch norm and PReLU's learned slope in core.mlp: torch.nn.BatchNorm1d semantics and exact gradients."""

import numpy as np
import pytest

from core import mlp, optim
from core.data import make_classification_2d
from core.gradcheck import numerical_grad, rel_error
from core.losses import LOSSES
from core.train import fit


def _bn_net(seed=0, sizes=(3, 6, 5, 2), **kw):
    rng = np.random.default_rng(seed)
    params = mlp.init_params(sizes, init="xavier", seed=seed, batch_norm=True, **kw)
    # Move gamma and beta off their initial 1 and 0 so every term of the backward formula counts.
    return {k: v + 0.3 * rng.standard_normal(v.shape) for k, v in params.items()}


def _check_all_grads(params, X, y, loss, *, activation, bn_state=None, train=True, h=1e-5):
    def loss_of(p):
        logits, _ = mlp.forward(p, X, activation=activation, train=train, bn_state=bn_state)
        return LOSSES[loss].fn(logits, y)

    logits, cache = mlp.forward(params, X, activation=activation, train=train, bn_state=bn_state)
    grads = mlp.backward(params, cache, LOSSES[loss].grad(logits, y))
    assert set(grads) == set(params)
    for key, value in params.items():
        numeric = numerical_grad(lambda w, key=key: loss_of({**params, key: w}), value, h=h)
        if train and key[0] == "b" and f"gamma{key[1:]}" in params:
            # A bias right before batch norm is subtracted again with the batch mean: its
            # gradient is exactly 0 (beta does its job), so compare absolute values.
            assert np.max(np.abs(grads[key])) < 1e-12 and np.max(np.abs(numeric)) < 1e-8
            continue
        assert rel_error(grads[key], numeric) < 1e-6, key
    return grads


def test_init_adds_scale_and_shift_per_hidden_layer_and_keeps_the_weights():
    plain = mlp.init_params((3, 6, 5, 2), seed=4)
    bn = mlp.init_params((3, 6, 5, 2), seed=4, batch_norm=True)
    assert set(bn) - set(plain) == {"gamma1", "beta1", "gamma2", "beta2"}
    assert all(np.array_equal(plain[k], bn[k]) for k in plain)
    np.testing.assert_array_equal(bn["gamma2"], np.ones(5))
    np.testing.assert_array_equal(bn["beta1"], np.zeros(6))
    state = mlp.init_bn_state(bn)
    assert set(state) == {"running_mean1", "running_var1", "running_mean2", "running_var2"}
    assert mlp.count_params(bn) == mlp.count_params((3, 6, 5, 2)) + 2 * (6 + 5)


def test_training_mode_normalizes_with_the_biased_batch_variance():
    rng = np.random.default_rng(1)
    x = 3.0 + 2.0 * rng.standard_normal((7, 4))
    gamma, beta = np.array([1.0, 2.0, 0.5, 1.0]), np.array([0.0, -1.0, 0.3, 2.0])
    y, bn = mlp.batch_norm_forward(x, gamma, beta, train=True)
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + mlp.BN_EPS) * gamma + beta  # ddof=0
    np.testing.assert_allclose(y, expected, rtol=1e-12)
    np.testing.assert_allclose(bn.x_hat.mean(0), 0.0, atol=1e-12)
    np.testing.assert_allclose(bn.x_hat.var(0), x.var(0) / (x.var(0) + mlp.BN_EPS), rtol=1e-12)


def test_running_statistics_use_momentum_and_the_unbiased_variance():
    params = mlp.init_params((2, 4, 1), seed=0, batch_norm=True)
    X = np.random.default_rng(2).standard_normal((5, 2)) * 3.0 + 1.0
    state = mlp.init_bn_state(params)
    _, cache = mlp.forward(params, X, train=True)
    new = mlp.update_bn_state(state, cache)
    z = X @ params["W1"] + params["b1"]
    np.testing.assert_allclose(new["running_mean1"], 0.1 * z.mean(0), rtol=1e-12)
    np.testing.assert_allclose(new["running_var1"], 0.9 + 0.1 * z.var(0, ddof=1), rtol=1e-12)
    np.testing.assert_array_equal(state["running_var1"], np.ones(4))  # the old dict is untouched
    # Inference mode normalizes with the running statistics, not the batch's.
    logits = mlp.forward(params, X, train=False, bn_state=new)[0]
    h = np.maximum((z - new["running_mean1"]) / np.sqrt(new["running_var1"] + mlp.BN_EPS), 0)
    np.testing.assert_allclose(logits, h @ params["W2"] + params["b2"], rtol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "selu"])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_training_mode_backward_matches_central_differences(activation, loss):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((8, 3))
    y = rng.integers(0, 2, 8) if loss == "cross_entropy" else rng.standard_normal((8, 2))
    _check_all_grads(_bn_net(), X, y, loss, activation=activation)


def test_inference_mode_backward_matches_central_differences():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((6, 3))
    y = rng.standard_normal((6, 2))
    params = _bn_net(seed=1)
    state = {
        k: (rng.standard_normal(v.shape) if "mean" in k else rng.uniform(0.5, 2.0, v.shape))
        for k, v in mlp.init_bn_state(params).items()
    }
    grads = _check_all_grads(params, X, y, "mse", activation="tanh", bn_state=state, train=False)
    assert np.max(np.abs(grads["b1"])) > 1e-3  # with fixed statistics the bias matters again


def test_batch_norm_with_dropout_backward_matches_central_differences():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((9, 3))
    y = rng.standard_normal((9, 2))
    params = _bn_net(seed=2)

    def loss_of(p):
        logits, _ = mlp.forward(
            p, X, activation="tanh", dropout=0.3, train=True, rng=np.random.default_rng(9)
        )
        return LOSSES["mse"].fn(logits, y)

    logits, cache = mlp.forward(
        params, X, activation="tanh", dropout=0.3, train=True, rng=np.random.default_rng(9)
    )
    grads = mlp.backward(params, cache, LOSSES["mse"].grad(logits, y))
    for key in ("W1", "gamma1", "beta1", "gamma2", "W3"):
        numeric = numerical_grad(lambda w, key=key: loss_of({**params, key: w}), params[key])
        assert rel_error(grads[key], numeric) < 1e-6, key


def test_learned_prelu_slope_gradient_matches_central_differences():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((7, 3))
    y = rng.standard_normal((7, 1))
    params = mlp.init_params((3, 5, 4, 1), seed=3, learn_prelu=True, prelu_init=0.2)
    params["a2"] = np.array([-0.4])  # a negative slope is allowed, as in PyTorch
    z1 = X @ params["W1"] + params["b1"]
    assert np.min(np.abs(z1)) > 1e-3  # no pre-activation within h of the kink
    grads = _check_all_grads(params, X, y, "mse", activation="prelu", train=False, h=1e-6)
    assert grads["a1"].shape == (1,) and abs(grads["a1"][0]) > 0


def test_learned_prelu_with_batch_norm_matches_central_differences():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((8, 3))
    y = rng.standard_normal((8, 2))
    params = _bn_net(seed=5, learn_prelu=True)
    _check_all_grads(params, X, y, "mse", activation="prelu", h=1e-6)


def test_bad_uses_raise_value_errors_that_say_what_to_do():
    params = mlp.init_params((2, 3, 1), batch_norm=True)
    with pytest.raises(ValueError, match="bn_state"):
        mlp.forward(params, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 2 examples"):
        mlp.forward(params, np.zeros((1, 2)), train=True)
    slopes = mlp.init_params((2, 3, 1), learn_prelu=True)
    with pytest.raises(ValueError, match="prelu"):
        mlp.forward(slopes, np.zeros((4, 2)), activation="relu")
    ds = make_classification_2d("moons", n_samples=100, seed=0)  # 70 training rows
    with pytest.raises(ValueError, match="batch_size"):
        fit(
            params,
            ds.X_train,
            ds.y_train,
            loss="bce_with_logits",
            optimizer=optim.sgd(0.1),
            batch_size=23,
        )


def test_fit_with_batch_norm_learns_and_keeps_running_statistics():
    ds = make_classification_2d("moons", n_samples=300, noise=0.2, seed=0)
    params = mlp.init_params((2, 16, 16, 1), seed=0, batch_norm=True)
    h = fit(
        params,
        ds.X_train,
        ds.y_train,
        X_test=ds.X_test,
        y_test=ds.y_test,
        loss="bce_with_logits",
        optimizer=optim.adam(0.01),
        epochs=40,
        batch_size=30,
    )
    assert not h.diverged
    assert h.epochs["test_accuracy"].iloc[-1] > 0.9
    assert not np.allclose(h.params["gamma1"], 1.0)
    # 7 updates per epoch x 40 epochs: the running mean has moved off 0 towards the batch means.
    z = ds.X_train @ h.params["W1"] + h.params["b1"]
    np.testing.assert_allclose(h.bn_state["running_mean1"], z.mean(0), atol=0.1 * z.std())
    logits = mlp.predict_logits(h.params, ds.X_test, bn_state=h.bn_state)
    assert np.mean((logits[:, 0] > 0) == ds.y_test) == h.epochs["test_accuracy"].iloc[-1]


def test_matches_torch_batchnorm1d_and_prelu():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    X = rng.standard_normal((10, 3))
    y = rng.standard_normal((10, 2))
    params = _bn_net(seed=6, learn_prelu=True)
    lin = [torch.nn.Linear(a, b, dtype=torch.float64) for a, b in ((3, 6), (6, 5), (5, 2))]
    bns = [torch.nn.BatchNorm1d(d, dtype=torch.float64) for d in (6, 5)]
    acts = [torch.nn.PReLU(dtype=torch.float64) for _ in range(2)]
    with torch.no_grad():
        for k, layer in enumerate(lin, start=1):
            layer.weight.copy_(torch.tensor(params[f"W{k}"].T))
            layer.bias.copy_(torch.tensor(params[f"b{k}"]))
        for k, (bn, act) in enumerate(zip(bns, acts, strict=True), start=1):
            bn.weight.copy_(torch.tensor(params[f"gamma{k}"]))
            bn.bias.copy_(torch.tensor(params[f"beta{k}"]))
            act.weight.copy_(torch.tensor(params[f"a{k}"]))
    net = torch.nn.Sequential(lin[0], bns[0], acts[0], lin[1], bns[1], acts[1], lin[2])
    net.train()
    out = net(torch.tensor(X))
    torch.nn.functional.mse_loss(out, torch.tensor(y)).backward()
    logits, cache = mlp.forward(params, X, activation="prelu", train=True)
    grads = mlp.backward(params, cache, LOSSES["mse"].grad(logits, y))
    np.testing.assert_allclose(logits, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads["gamma2"], bns[1].weight.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["W1"], lin[0].weight.grad.numpy().T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["a1"], acts[0].weight.grad.numpy(), rtol=1e-9, atol=1e-12)
    state = mlp.update_bn_state(mlp.init_bn_state(params), cache)
    for k, bn in enumerate(bns, start=1):
        np.testing.assert_allclose(state[f"running_mean{k}"], bn.running_mean.numpy(), rtol=1e-12)
        np.testing.assert_allclose(state[f"running_var{k}"], bn.running_var.numpy(), rtol=1e-12)
    net.eval()
    expected = net(torch.tensor(X)).detach().numpy()
    np.testing.assert_allclose(
        mlp.predict_logits(params, X, activation="prelu", bn_state=state),
        expected,
        rtol=1e-10,
        atol=1e-12,
    )
