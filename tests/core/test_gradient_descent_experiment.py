"""The gradient descent lesson's experiment: the claims the page makes hold in the numbers."""

import dataclasses

import numpy as np
import pytest

from core import optim
from core.data import make_line
from core.experiments import gradient_descent as gd
from core.gradcheck import numerical_grad, rel_error
from core.train import fit

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [("epochs", 5, 50), ("n_samples", 100, 500), ("batch_size", 64, 2)]


@pytest.fixture(scope="module")
def result():
    return gd.run(gd.Config())


def test_same_config_same_result(result):
    again = gd.run(gd.Config())
    cols = ["variant", "update", "w", "b", "loss"]
    assert again.curves[cols].equals(result.curves[cols])
    assert again.variance.equals(result.variance)


def test_variants_make_the_expected_number_of_updates(result):
    s = result.summary.set_index("variant")
    cfg = gd.Config()
    assert s.loc["Batch GD", "updates"] == cfg.epochs
    assert s.loc["SGD", "updates"] == cfg.epochs * cfg.n_samples
    assert s.loc["Mini-batch", "updates"] == cfg.epochs * int(
        np.ceil(cfg.n_samples / cfg.batch_size)
    )
    assert not s["diverged"].any()


def test_optimum_is_the_least_squares_solution(result):
    d = result.data
    A = np.column_stack([d["x"], np.ones(len(d))])
    (w, b), *_ = np.linalg.lstsq(A, d["y"], rcond=None)
    assert result.optimum["w"] == pytest.approx(w, rel=1e-10)
    assert result.optimum["b"] == pytest.approx(b, rel=1e-10)
    assert result.optimum["loss"] == pytest.approx(np.mean((A @ [w, b] - d["y"]) ** 2), rel=1e-10)


def test_per_example_gradients_match_central_differences(result):
    d = result.data
    quad = gd._Quadratic(d["x"].to_numpy(), d["y"].to_numpy())
    point = np.array([0.3, -0.7])
    analytic = quad.example_grads(*point).mean(axis=0)
    numeric = numerical_grad(lambda p: float(quad.loss(p[0], p[1])), point)
    assert rel_error(analytic, numeric) < 1e-6


def test_sgd_beats_batch_gd_after_one_epoch(result):
    s = result.summary.set_index("variant")
    assert s.loc["SGD", "loss_after_one_epoch"] < s.loc["Batch GD", "loss_after_one_epoch"]


def test_minibatch_gradient_is_unbiased_and_variance_falls_like_one_over_b(result):
    g = result.gradient_samples
    for _, grp in g.groupby("batch_size"):
        se = grp["grad_w"].std() / np.sqrt(len(grp))
        assert abs(grp["grad_w"].mean() - result.full_gradient[0]) < 4 * se
    assert -1.25 < result.variance_slope < -0.85
    np.testing.assert_allclose(result.variance["measured"], result.variance["theory"], rtol=0.25)


def test_decaying_step_goes_below_the_constant_noise_floor():
    r = gd.run(gd.Config(noise=2.0, epochs=40))
    tail = r.schedules.groupby("schedule")["excess_loss"].apply(lambda s: s.iloc[-100:].median())
    decaying = tail[next(n for n in tail.index if n != "constant")]
    assert decaying < 0.5 * tail["constant"]


def test_contours_are_level_sets(result):
    c = result.contours
    d = result.data
    quad = gd._Quadratic(d["x"].to_numpy(), d["y"].to_numpy())
    np.testing.assert_allclose(quad.loss(c["w"], c["b"]), c["level"], rtol=1e-9)


def test_large_learning_rate_diverges_without_raising():
    r = gd.run(gd.Config(learning_rate=0.7))
    assert "Batch GD" in r.diverged
    assert np.isfinite(r.curves.loc[r.curves["variant"] == "Batch GD", "loss"]).all()


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("learning_rate", -0.1, "learning_rate"),
        ("learning_rate", float("nan"), "learning_rate"),
        ("batch_size", 1, "batch_size"),
        ("batch_size", 500, "batch_size"),
        ("epochs", 0, "epochs"),
        ("schedule", "warmup", "schedule"),
        ("sample_at", "middle", "sample_at"),
        ("seed", 1.5, "seed"),
    ],
)
def test_config_rejects_bad_values(field, value, match):
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(gd.Config(), **{field: value})


@pytest.mark.parametrize("schedule", gd.SCHEDULES)
def test_every_schedule_runs(schedule):
    r = gd.run(gd.Config(schedule=schedule, epochs=5, n_samples=60))
    assert set(r.schedules["schedule"]) == set(gd.SCHEDULES)


@pytest.mark.parametrize(
    "config",
    [
        gd.Config(epochs=5),
        gd.Config(epochs=5, schedule="exponential", decay_rate=3.0, batch_size=7),
        gd.Config(epochs=5, schedule="inverse_time", noise=3.0, n_samples=90, seed=4),
        gd.Config(learning_rate=0.7),  # batch GD diverges
        gd.Config(learning_rate=1.5, batch_size=7),  # every variant diverges
    ],
    ids=["constant", "exponential", "inverse-time", "batch-diverges", "all-diverge"],
)
def test_the_hand_written_descent_is_fit_on_a_linear_network(config):
    """descend() must be core.train.fit with optim.sgd on y = w x + b: same steps, same stops."""
    X, y = make_line(n_samples=config.n_samples, noise=config.noise, seed=config.seed)
    quad = gd._Quadratic(X[:, 0], y)
    for B in (None, config.batch_size, 1):
        per_epoch = 1 if B is None else -(-config.n_samples // B)
        lr = gd._schedule(config, config.schedule, per_epoch)
        start = np.array([config.start_w, config.start_b])
        history = fit(
            {"W1": start[:1].reshape(1, 1), "b1": start[1:]},
            X,
            y,
            loss="mse",
            optimizer=optim.sgd(lr),
            activation="linear",
            epochs=config.epochs,
            batch_size=B,
            seed=config.seed,
            record_params=True,
        )
        run = gd.descend(quad, B, lr, start, config.epochs, config.seed)
        assert run.diverged == history.diverged
        assert run.stopped_reason == history.stopped_reason
        assert run.trace.shape == history.param_trace.shape
        np.testing.assert_allclose(run.trace, history.param_trace, rtol=1e-12, atol=1e-12)
        examples = history.steps["examples"].to_numpy()[: len(run.examples)]
        np.testing.assert_array_equal(run.examples, examples)
        assert np.all(np.diff(run.seconds) >= 0)


def test_the_apps_progress_listener_is_not_timed_as_the_runs_work(monkeypatch):
    """Audit pass 71 h: in the app batch GD's one update an epoch took "33.0 ms" where its
    arithmetic takes about 35 µs: the clock ran through the app's progress listener, called once
    an epoch. On a fake clock that only the listener moves, every update takes no time."""
    from core.experiments.gradient_descent import experiment
    from core.progress import listening

    now = [0.0]
    monkeypatch.setattr(experiment.time, "perf_counter", lambda: now[0])

    def listener(fraction, message):
        now[0] += 1.0  # a slow listener: one second a call

    X, y = make_line(n_samples=40, noise=1.0, seed=0)
    quad = gd._Quadratic(X[:, 0], y)
    with listening(listener):
        run = gd.descend(quad, None, 0.01, np.array([0.0, 0.0]), 5, 0)
    assert now[0] == 5.0  # the listener heard every epoch
    assert len(run.seconds) == 5 and not run.seconds.any(), run.seconds
