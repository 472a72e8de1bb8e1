"""The optimizer race: the page's claims hold in the numbers, runs are seeded, settings validated."""

import math

import numpy as np
import pandas as pd
import pytest

from core import optim
from core.experiments import optimizers as ox
from core.surfaces import SURFACES

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [("steps", 50, 2000)]


@pytest.fixture(scope="module")
def nudged():
    """The default race: just off the saddle's stable line."""
    return ox.run(ox.Config())


@pytest.fixture(scope="module")
def on_the_line():
    return ox.run(ox.Config(start_y=0.0))


def _path(result, name):
    return result.paths[result.paths["optimizer"] == name]


def test_gd_started_on_the_stable_line_never_leaves_it_but_noisy_gd_does(on_the_line):
    summary = on_the_line.summary.set_index("optimizer")
    assert (_path(on_the_line, "gd")["y"] == 0.0).all()
    assert summary.loc["gd", "ends"] == "saddle"
    assert math.isnan(summary.loc["gd", "escape_step"])
    # Every deterministic method sees a gradient with no y part, so none of them leaves the line.
    for name in ("momentum", "nesterov", "adam", "newton", "saddle_free_newton"):
        assert (_path(on_the_line, name)["y"] == 0.0).all(), name
    assert summary.loc["noisy_gd", "ends"] == "minimum"
    assert summary.loc["noisy_gd", "escape_step"] > 0


def test_off_the_line_momentum_leaves_the_saddle_sooner_and_pure_newton_is_trapped(nudged):
    summary = nudged.summary.set_index("optimizer")
    assert summary.loc["momentum", "escape_step"] < summary.loc["gd", "escape_step"]
    assert summary.loc["saddle_free_newton", "escape_step"] < summary.loc["gd", "escape_step"]
    assert summary.loc["newton", "ends"] == "saddle"
    assert summary.loc["saddle_free_newton", "ends"] == "minimum"
    assert summary.loc["newton", "steps_near_saddle"] > summary.loc["gd", "steps_near_saddle"]
    # The gradient vanishes at the saddle: Newton ends there with (numerically) zero gradient.
    assert _path(nudged, "newton")["grad_norm"].iloc[-1] < 1e-12


def test_adaptive_steps_cross_the_plateau_where_gd_crawls():
    result = ox.run(ox.Config.for_surface("plateau", steps=500))
    summary = result.summary.set_index("optimizer")
    assert summary.loc["adam", "ends"] == "minimum"
    assert summary.loc["rmsprop", "ends"] == "minimum"
    assert summary.loc["gd", "ends"] == "elsewhere"
    assert summary.loc["gd", "dist_min"] > 1.0


def test_gd_lingers_at_the_degenerate_monkey_saddle():
    result = ox.run(ox.Config.for_surface("monkey_saddle", steps=300))
    summary = result.summary.set_index("optimizer")
    assert summary.loc["gd", "steps_near_saddle"] > 5 * summary.loc["momentum", "steps_near_saddle"]
    centre = _path(result, "newton").iloc[-1]
    assert centre["shape"] == "flat"  # the Hessian vanishes at the monkey saddle's centre


def test_each_race_is_deterministic_per_seed():
    a, b = ox.run(ox.Config(seed=7)), ox.run(ox.Config(seed=7))
    pd.testing.assert_frame_equal(a.paths, b.paths)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    c = ox.run(ox.Config(seed=8))
    assert not np.allclose(_path(a, "noisy_gd")["y"], _path(c, "noisy_gd")["y"])
    for name in ("gd", "adam", "newton"):  # the seed only drives the noise
        np.testing.assert_array_equal(_path(a, name)["y"], _path(c, name)["y"])


def test_first_order_runs_are_core_optims_optimizers():
    config = ox.Config(steps=50)
    result = ox.run(config)
    surface = SURFACES[config.surface]
    params = {"theta": np.array([config.start_x, config.start_y])}
    opt = optim.adam(config.lr_adam, betas=(config.adam_beta1, 0.999))
    state = opt.init(params)
    for _ in range(config.steps):
        updates, state = opt.update({"theta": surface.grad(params["theta"])}, state, params)
        params = optim.apply_updates(params, updates)
    final = _path(result, "adam").iloc[-1]
    np.testing.assert_array_equal([final["x"], final["y"]], params["theta"])


def test_a_diverging_run_is_flagged_not_raised():
    result = ox.run(ox.Config(lr_gd=3.0))
    summary = result.summary.set_index("optimizer")
    assert summary.loc["gd", "diverged"]
    assert summary.loc["gd", "reason"] == "ran off"
    assert result.diverged == ["gd"]
    assert np.isfinite(_path(result, "gd")[["x", "y", "loss"]].to_numpy()).all()


def test_escaping_the_unbounded_saddle_is_not_divergence():
    result = ox.run(ox.Config.for_surface("quadratic_saddle", steps=300))
    summary = result.summary.set_index("optimizer")
    assert summary.loc["gd", "ends"] == "ran off"
    assert not summary["diverged"].any()
    assert summary.loc["newton", "ends"] == "saddle"  # one step onto the saddle
    assert _path(result, "newton")["step"].max() == 300
    assert result.paths["dist_min"].isna().all()


def test_a_blow_up_off_the_unbounded_saddle_is_divergence():
    """Audit pass 45 (d): on the quadratic saddle at η = 3 gradient descent's x offset grows by
    |1 − η| = 2 per step and it leaves the map with f = +5010 from its start's 1.1, yet the race
    table said "diverged: False" (only leaving the map of a surface bounded below counted) and
    no warning was shown. A run that leaves an unbounded surface with f above its start blew up;
    one that leaves with f below it escaped downhill, and is not diverged."""
    config = ox.Config.for_surface("quadratic_saddle", lr_gd=3.0)
    result = ox.run(config)
    summary = result.summary.set_index("optimizer")
    assert not result.surface.bounded_below
    for name, row in summary.iterrows():
        loss = _path(result, name)["loss"].to_numpy()
        if row["reason"] == "ran off":
            assert bool(row["diverged"]) == bool(loss[-1] > loss[0]), name
    gd = _path(result, "gd")["loss"].to_numpy()
    assert summary.loc["gd", "reason"] == "ran off" and gd[-1] > 1000 * gd[0]
    assert summary.loc["gd", "diverged"]
    # the escapes (momentum, Nesterov, saddle-free Newton, noisy GD leave with f falling) are not
    assert summary.loc["saddle_free_newton", "reason"] == "ran off"
    assert not summary.loc["saddle_free_newton", "diverged"]
    warning = next(f for f in ox.facts(config, result) if f.claim == "diverged_first_order")
    assert warning.values["names"] == ["gd"]
    # a smaller η does not keep a run on this map: one off the stable line still escapes off it
    assert "keeps a first-order method on it" not in warning.text
    assert "blew up" in warning.text


@pytest.mark.parametrize("name", list(SURFACES))
def test_every_surface_races_with_its_defaults(name):
    result = ox.run(ox.Config.for_surface(name, steps=60))
    assert result.summary["optimizer"].tolist() == list(ox.OPTIMIZER_NAMES)
    assert len(result.grid) == ox.GRID_CELLS**2
    assert set(result.critical["kind"]) <= {"minimum", "saddle", "maximum"}
    now = ox.at_step(result, 25)
    assert now["optimizer"].tolist() == list(ox.OPTIMIZER_NAMES)
    assert (now["step"] <= 25).all()


@pytest.mark.parametrize("kappa", [4.0, 50.0])
def test_heavy_ball_rate_matches_core_optims_momentum_on_the_bowl(kappa):
    lr, beta = 1.0 / kappa, 0.8
    opt = optim.sgd(lr, momentum=beta)
    params = {"theta": np.array([1.0, 1.0])}
    state = opt.init(params)
    errors = []
    for _ in range(400):
        grad = params["theta"] * np.array([1.0, kappa])
        updates, state = opt.update({"theta": grad}, state, params)
        params = optim.apply_updates(params, updates)
        errors.append(np.linalg.norm(params["theta"]))
    measured = (errors[-1] / errors[-101]) ** (1 / 100)
    assert measured == pytest.approx(float(ox.heavy_ball_rate(lr, beta, (1.0, kappa))), rel=0.02)


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_polyaks_setting_is_the_best_on_the_map(kappa):
    result = ox.run(ox.Config(condition_number=kappa, steps=10))
    best = result.momentum_best
    assert best["rate"] == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1))
    assert float(ox.heavy_ball_rate(best["lr"], best["momentum"], (1, kappa))) == pytest.approx(
        best["rate"]
    )
    assert result.momentum_map["rate"].min() >= best["rate"] - 1e-9
    assert best["gd_rate"] > best["rate"]  # momentum beats the best plain GD
    assert (result.momentum_map["rate"] >= 1).any()  # too large steps diverge


def test_config_validation_names_the_control_to_change():
    with pytest.raises(ValueError, match="'start_x' must be in \\[-2, 2\\]"):
        ox.Config(start_x=4.0)
    with pytest.raises(ValueError, match="'steps'"):
        ox.Config(steps=ox.MAX_STEPS + 1)
    with pytest.raises(ValueError, match="'surface' must be one of"):
        ox.Config(surface="banana")
    with pytest.raises(ValueError, match="'lr_adam'"):
        ox.Config(lr_adam=0.0)
    with pytest.raises(ValueError, match="'momentum'"):
        ox.Config(momentum=1.0)


def test_for_surface_uses_the_surfaces_start_and_learning_rates():
    config = ox.Config.for_surface("rosenbrock", steps=100)
    surface = SURFACES["rosenbrock"]
    assert (config.start_x, config.start_y) == surface.start
    assert config.lr_gd == surface.defaults["gd"]
    assert config.noise == surface.defaults["noise"]
    assert config.steps == 100


@pytest.mark.parametrize("cap", [4e-10, 1e-4, -0.1, 11.0])
def test_a_newton_step_cap_must_be_zero_or_usable(cap):
    # found by the Config fuzz test: a cap of 4e-10 passed the Config and failed inside the run
    with pytest.raises(ValueError, match="max_step"):
        ox.Config(max_step=cap)


@pytest.mark.parametrize("cap", [0.0, ox.MIN_STEP_CAP, 10.0])
def test_the_smallest_and_largest_newton_caps_run(cap):
    result = ox.run(ox.Config(max_step=cap, steps=20))
    assert len(result.summary) > 0
