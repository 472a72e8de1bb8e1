"""The training loop: batch modes, determinism, histories, divergence and budgets."""

import math

import numpy as np
import pytest

from core import mlp, optim
from core.data import make_classification_2d, make_regression
from core.train import fit


@pytest.fixture(scope="module")
def moons():
    return make_classification_2d("moons", n_samples=300, noise=0.2, seed=0)


def _fit(ds, **kw):
    params = mlp.init_params((2, 16, 16, 1), seed=0)
    base = dict(loss="bce_with_logits", optimizer=optim.adam(0.01), epochs=5, batch_size=32)
    base.update(kw)
    return fit(params, ds.X_train, ds.y_train, X_test=ds.X_test, y_test=ds.y_test, **base)


@pytest.mark.parametrize(("batch_size", "per_epoch"), [(None, 1), (1, 210), (32, 7), (500, 1)])
def test_updates_per_epoch(moons, batch_size, per_epoch):
    h = _fit(moons, batch_size=batch_size, epochs=2)
    assert len(h.steps) == 2 * per_epoch
    assert h.steps["examples"].iloc[-1] == 2 * len(moons.y_train)
    assert list(h.epochs["epoch"]) == [0, 1, 2]
    assert h.epochs["updates"].iloc[-1] == 2 * per_epoch


def test_same_seed_same_history_and_different_seed_differs(moons):
    a, b = _fit(moons, seed=3, dropout=0.2), _fit(moons, seed=3, dropout=0.2)
    cols = ["loss", "grad_norm", "examples"]
    np.testing.assert_array_equal(a.steps[cols].to_numpy(), b.steps[cols].to_numpy())
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    c = _fit(moons, seed=4, dropout=0.2)
    assert not np.array_equal(a.steps["loss"].to_numpy(), c.steps["loss"].to_numpy())


def test_training_learns_moons(moons):
    h = _fit(moons, epochs=60)
    assert not h.diverged and h.stopped_reason == "completed"
    assert h.epochs["train_loss"].iloc[-1] < 0.5 * h.epochs["train_loss"].iloc[0]
    assert h.epochs["test_accuracy"].iloc[-1] > 0.9


def test_full_batch_gd_equals_manual_steps():
    ds = make_regression("linear", n_samples=40, noise=0.1, seed=1)
    params = mlp.init_params((1, 1), seed=0)
    h = fit(
        params,
        ds.X_train,
        ds.y_train,
        loss="mse",
        optimizer=optim.sgd(0.1),
        batch_size=None,
        epochs=3,
        activation="linear",
    )
    w, b = params["W1"].copy(), params["b1"].copy()
    X, y = ds.X_train, ds.y_train.reshape(-1, 1)
    for _ in range(3):
        r = X @ w + b - y
        w, b = w - 0.1 * 2 * X.T @ r / len(y), b - 0.1 * 2 * r.mean(axis=0)
    np.testing.assert_allclose(h.params["W1"], w, rtol=1e-12)
    np.testing.assert_allclose(h.params["b1"], b, rtol=1e-12)


def test_params_argument_not_modified(moons):
    params = mlp.init_params((2, 16, 16, 1), seed=0)
    before = {k: v.copy() for k, v in params.items()}
    fit(
        params,
        moons.X_train,
        moons.y_train,
        loss="bce_with_logits",
        optimizer=optim.sgd(0.1),
        epochs=1,
    )
    assert all(np.array_equal(before[k], params[k]) for k in params)


def test_divergence_is_flagged_not_raised():
    ds = make_regression("linear", n_samples=100, noise=0.1, seed=0)
    params = mlp.init_params((1, 1), seed=0)
    h = fit(
        params,
        ds.X_train * 10,
        ds.y_train,
        loss="mse",
        optimizer=optim.sgd(5.0),
        batch_size=None,
        epochs=200,
        activation="linear",
    )
    assert h.diverged
    assert "exploded" in h.stopped_reason or "non-finite" in h.stopped_reason
    assert len(h.steps) < 200
    assert all(np.all(np.isfinite(v)) for v in h.params.values())


def test_max_updates_budget_and_callback(moons):
    h = _fit(moons, epochs=50, max_updates=10)
    assert len(h.steps) == 10 and h.stopped_reason == "max_updates"
    seen = []
    h = _fit(moons, epochs=50, callback=lambda e: seen.append(e["epoch"]) or e["epoch"] == 3)
    assert seen == [1, 2, 3] and h.stopped_reason == "callback"


def test_cross_entropy_multiclass_with_integer_labels():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 2))
    y = np.argmax(X @ rng.standard_normal((2, 3)), axis=1)
    params = mlp.init_params((2, 8, 3), seed=0)
    h = fit(
        params, X, y, loss="cross_entropy", optimizer=optim.adam(0.05), epochs=40, batch_size=16
    )
    assert h.epochs["train_accuracy"].iloc[-1] > 0.9
    assert math.isnan(h.epochs["test_loss"].iloc[-1])


def test_param_trace_records_every_update():
    ds = make_regression("linear", n_samples=30, noise=0.1, seed=0)
    params = {"W1": np.array([[0.5]]), "b1": np.array([0.0])}
    h = fit(
        params,
        ds.X_train,
        ds.y_train,
        loss="mse",
        optimizer=optim.sgd(0.05),
        batch_size=7,
        epochs=2,
        activation="linear",
        record_params=True,
    )
    assert h.param_trace.shape == (len(h.steps) + 1, 2)
    np.testing.assert_array_equal(h.param_trace[0], [0.5, 0.0])
    np.testing.assert_array_equal(h.param_trace[-1], [h.params["W1"][0, 0], h.params["b1"][0]])


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"epochs": -1}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"dropout": 1.5}, "dropout"),
        ({"loss": "hinge"}, "loss"),
    ],
)
def test_bad_arguments_raise_value_error(moons, kw, match):
    with pytest.raises(ValueError, match=match):
        _fit(moons, **kw)


def test_wrong_label_range_for_cross_entropy():
    params = mlp.init_params((2, 3), seed=0)
    with pytest.raises(ValueError, match="Labels must be in"):
        fit(
            params,
            np.zeros((4, 2)),
            np.array([0, 1, 2, 3]),
            loss="cross_entropy",
            optimizer=optim.sgd(0.1),
        )


def test_eval_every_skips_full_passes_but_not_the_last(moons):
    h = _fit(moons, epochs=5, eval_every=2)
    evaluated = h.epochs["train_loss"].notna().tolist()
    assert evaluated == [True, False, True, False, True, True]
    h_none = _fit(moons, epochs=3, eval_every=None)
    assert h_none.epochs["train_loss"].notna().tolist() == [True, False, False, True]
    # evaluation does not change training
    full = _fit(moons, epochs=3)
    np.testing.assert_array_equal(h_none.steps["loss"], full.steps["loss"])
    with pytest.raises(ValueError, match="eval_every"):
        _fit(moons, eval_every=0)


def test_penalty_gradient_matches_central_differences():
    from core.gradcheck import numerical_grad, rel_error
    from core.train import add_penalty_grad, penalty

    rng = np.random.default_rng(0)
    params = {k: v + 0.3 for k, v in mlp.init_params((3, 4, 2), seed=1).items()}
    zero = {k: np.zeros_like(v) for k, v in params.items()}
    grads = add_penalty_grad(params, zero, l1=0.1, l2=0.5)
    for key, value in params.items():
        numeric = numerical_grad(
            lambda w, key=key: penalty({**params, key: w}, l1=0.1, l2=0.5), value
        )
        assert rel_error(grads[key], numeric) < 1e-6, key
    assert np.all(grads["b1"] == 0)  # biases are not penalized
    assert penalty(params) == 0.0 and rng is not None


def test_l1_drives_weights_to_zero_and_l2_shrinks(moons):
    plain = _fit(moons, epochs=30, optimizer=optim.sgd(0.1))
    l1 = _fit(moons, epochs=30, optimizer=optim.sgd(0.1), l1=0.01)
    l2 = _fit(moons, epochs=30, optimizer=optim.sgd(0.1), l2=0.01)

    def norm(p):
        return sum(float(np.abs(p[k]).sum()) for k in p if k[0] == "W")

    assert norm(l1.params) < norm(plain.params) and norm(l2.params) < norm(plain.params)
    small = lambda p: sum(int((np.abs(p[k]) < 1e-2).sum()) for k in p if k[0] == "W")  # noqa: E731
    assert small(l1.params) > small(plain.params)
    with pytest.raises(ValueError, match="l1"):
        _fit(moons, l1=-1.0)


def test_monitor_groups_the_monitoring_keywords(moons):
    from core.train import Monitor

    seen = []
    kw = {"eval_every": 2, "record_params": True, "diagnostics": True, "divergence_factor": 1e3}
    loose = _fit(moons, epochs=3, callback=lambda e: seen.append(e["epoch"]), **kw)
    grouped = _fit(
        moons, epochs=3, monitor=Monitor(callback=lambda e: seen.append(-e["epoch"]), **kw)
    )
    assert seen == [1, 2, 3, -1, -2, -3]
    cols = ["loss", "grad_norm", "examples"]
    np.testing.assert_array_equal(loose.steps[cols].to_numpy(), grouped.steps[cols].to_numpy())
    np.testing.assert_array_equal(loose.param_trace, grouped.param_trace)
    assert loose.layers.equals(grouped.layers)
    with pytest.raises(ValueError, match="either as 'monitor' or as keywords"):
        _fit(moons, monitor=Monitor(), eval_every=3)
    with pytest.raises(ValueError, match="eval_every"):
        Monitor(eval_every=0)


def test_callback_params_are_a_snapshot_later_updates_leave_alone(moons):
    stored = []
    h = _fit(moons, epochs=3, record_params=True, callback=lambda e: stored.append(e["params"]))
    per_epoch = h.epochs["updates"].to_numpy()[1:]
    for params, updates in zip(stored, per_epoch, strict=True):
        flat = np.concatenate([params[k].ravel() for k in params])
        np.testing.assert_array_equal(flat, h.param_trace[updates])
    assert not np.array_equal(stored[0]["W1"], stored[-1]["W1"])


@pytest.mark.parametrize("make", [lambda: optim.adam(0.01), lambda: optim.adamw(0.01)])
def test_the_flat_fast_path_and_the_dict_path_train_the_same(moons, make):
    # The same optimizer without its public flat form takes fit's general (dict) route.
    fast = make()
    general = optim.Optimizer(fast.init, fast.update, fast.name)
    assert fast.flat is not None and general.flat is None
    a = _fit(moons, epochs=3, optimizer=fast, record_params=True, diagnostics=True)
    b = _fit(moons, epochs=3, optimizer=general, record_params=True, diagnostics=True)
    np.testing.assert_array_equal(a.param_trace, b.param_trace)
    np.testing.assert_array_equal(a.steps["loss"], b.steps["loss"])
    np.testing.assert_allclose(a.steps["grad_norm"], b.steps["grad_norm"], rtol=1e-13)
    np.testing.assert_array_equal(a.layers["update_ratio"], b.layers["update_ratio"])


def test_fit_reports_once_per_epoch_and_a_listener_can_cancel_it(moons):
    from core.progress import Cancelled, listening

    seen = []
    with listening(lambda fraction, message: seen.append((fraction, message))):
        h = _fit(moons, epochs=4)
    # ticks only (no fraction, no message): a lesson's own progress bar text stays as it is
    assert seen == [(None, "")] * 4
    assert list(h.epochs["epoch"]) == [0, 1, 2, 3, 4]
    # a max_updates budget ends the run early: no tick for an epoch that never runs
    seen.clear()
    with listening(lambda fraction, message: seen.append(fraction)):
        _fit(moons, epochs=4, batch_size=32, max_updates=14)  # 7 updates per epoch
    assert len(seen) == 2

    epochs_started = []

    def cancel_on_the_third(fraction, message):
        epochs_started.append(fraction)
        if len(epochs_started) == 3:
            raise Cancelled

    callbacks = []
    with listening(cancel_on_the_third), pytest.raises(Cancelled):
        _fit(moons, epochs=10, callback=lambda info: callbacks.append(info["epoch"]))
    # two epochs ran to the end; the third was stopped before its first update
    assert len(epochs_started) == 3
    assert callbacks == [1, 2]


def test_the_apps_progress_listener_is_not_timed_as_training(moons, monkeypatch):
    """Audit pass 71 h: a run's clock ran through the app's progress listener, called once an
    epoch, so a full batch's one update an epoch read the listener's milliseconds as its own.
    On a fake clock that only the listener moves, no update and no epoch takes any time."""
    import core.train
    from core.progress import listening

    now = [0.0]
    monkeypatch.setattr(core.train.time, "perf_counter", lambda: now[0])

    def listener(fraction, message):
        now[0] += 1.0  # a slow listener: one second a call

    with listening(listener):
        h = _fit(moons, batch_size=None, epochs=3)
    assert now[0] >= 3.0  # the listener heard every epoch
    assert not h.steps["seconds"].any(), h.steps["seconds"]
    assert not h.epochs["seconds"].any(), h.epochs["seconds"]
