"""Newton, saddle-free Newton and noisy GD: exact steps on quadratics, attraction to saddles, seeds."""

import numpy as np
import pytest

from core import optim, second_order
from core.surfaces import SURFACES


def _step(opt, theta, grad, key="theta"):
    """One update from ``theta`` with gradient ``grad``; returns the new point."""
    params = {key: np.asarray(theta, dtype=float)}
    updates, _ = opt.update({key: np.asarray(grad, dtype=float)}, opt.init(params), params)
    return optim.apply_updates(params, updates)[key]


def _spd(n, seed):
    a = np.random.default_rng(seed).normal(size=(n, n))
    return a @ a.T + n * np.eye(n)


@pytest.mark.parametrize("n", [2, 5])
def test_newton_reaches_a_convex_quadratics_minimum_in_one_step(n):
    A, b = _spd(n, n), np.random.default_rng(10 + n).normal(size=n)
    theta = np.random.default_rng(20 + n).normal(size=n) * 3
    opt = second_order.newton(lambda params: A)
    new = _step(opt, theta, A @ theta - b)
    np.testing.assert_allclose(new, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", [2, 5])
def test_saddle_free_newton_equals_newton_where_the_hessian_is_positive_definite(n):
    A = _spd(n, 3 * n)
    theta, g = np.arange(1.0, n + 1), np.linspace(-1, 2, n)
    np.testing.assert_allclose(
        _step(second_order.saddle_free_newton(lambda p: A, 0.7), theta, g),
        _step(second_order.newton(lambda p: A, 0.7), theta, g),
        rtol=1e-12,
    )


def test_pure_newton_jumps_onto_the_saddle_and_saddle_free_newton_escapes_it():
    surface = SURFACES["quadratic_saddle"]

    def hessian(params):
        return surface.hessian(params["theta"])

    start = np.array([-1.5, 0.01])
    # Newton solves grad = 0 for the local model: on a quadratic that is the saddle itself.
    newton_point = _step(second_order.newton(hessian), start, surface.grad(start))
    np.testing.assert_allclose(newton_point, [0.0, 0.0], atol=1e-15)
    # |H| flips the negative-curvature direction: y moves away from the saddle, f goes down.
    free_point = _step(second_order.saddle_free_newton(hessian), start, surface.grad(start))
    assert abs(free_point[1]) > abs(start[1])
    assert surface.f(free_point) < surface.f(start)


def test_damping_shifts_every_eigenvalue():
    H = np.array([[2.0, 0.5], [0.5, -1.0]])
    g = np.array([0.3, -0.7])
    got = _step(second_order.newton(lambda p: H, damping=3.0), np.zeros(2), g)
    np.testing.assert_allclose(got, -np.linalg.solve(H + 3.0 * np.eye(2), g), rtol=1e-12)
    lam, V = np.linalg.eigh(H)
    free = _step(second_order.saddle_free_newton(lambda p: H, damping=0.5), np.zeros(2), g)
    np.testing.assert_allclose(free, -V @ ((V.T @ g) / (np.abs(lam) + 0.5)), rtol=1e-12)


def test_step_cap_limits_the_step_length():
    H = np.eye(2) * 1e-3  # tiny curvature: the uncapped Newton step is huge
    g = np.array([1.0, 1.0])
    free = _step(second_order.newton(lambda p: H), np.zeros(2), g)
    capped = _step(second_order.newton(lambda p: H, max_step=0.5), np.zeros(2), g)
    assert np.linalg.norm(free) > 100
    assert np.linalg.norm(capped) == pytest.approx(0.5, rel=1e-5)
    np.testing.assert_allclose(capped / np.linalg.norm(capped), free / np.linalg.norm(free))


def test_flat_directions_get_no_step_instead_of_an_infinite_one():
    zero = np.zeros((2, 2))
    assert np.array_equal(
        _step(second_order.newton(lambda p: zero), [1.0, 2.0], [1.0, 1.0]), [1, 2]
    )
    singular = np.diag([2.0, 0.0])
    new = _step(second_order.saddle_free_newton(lambda p: singular), [0.0, 0.0], [1.0, 1.0])
    np.testing.assert_allclose(new, [-0.5, 0.0])


def test_second_order_transforms_explain_their_misuse():
    opt = second_order.newton(lambda p: np.eye(3))
    params = {"theta": np.zeros(2)}
    with pytest.raises(ValueError, match="needs the params"):
        opt.update({"theta": np.ones(2)}, opt.init(params))
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        opt.update({"theta": np.ones(2)}, opt.init(params), params)
    with pytest.raises(ValueError, match="'lr'"):
        second_order.newton(lambda p: np.eye(2), lr=-1.0)
    with pytest.raises(ValueError, match="'damping'"):
        second_order.saddle_free_newton(lambda p: np.eye(2), damping=-1.0)


def _noisy_run(opt, steps=600, start=(0.0, 0.0)):
    params = {"theta": np.array(start)}
    state = opt.init(params)
    out = []
    for _ in range(steps):
        updates, state = opt.update({"theta": np.zeros(2)}, state, params)
        params = optim.apply_updates(params, updates)
        out.append(params["theta"])
    return np.array(out), state


def test_noisy_gd_is_seeded_and_replayable():
    a, _ = _noisy_run(second_order.noisy_gd(0.1, noise=1.0, seed=3))
    b, _ = _noisy_run(second_order.noisy_gd(0.1, noise=1.0, seed=3))
    c, _ = _noisy_run(second_order.noisy_gd(0.1, noise=1.0, seed=4))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    # A stored state replays the rest exactly (the draw at step t depends only on seed and t).
    opt = second_order.noisy_gd(0.1, noise=1.0, seed=3)
    head, state = _noisy_run(opt, steps=300)
    params = {"theta": head[-1]}
    for t in range(300, 600):
        updates, state = opt.update({"theta": np.zeros(2)}, state, params)
        params = optim.apply_updates(params, updates)
        np.testing.assert_array_equal(params["theta"], a[t])


def test_noise_has_the_chosen_scale_and_zero_noise_is_plain_gd():
    steps, _ = _noisy_run(second_order.noisy_gd(1.0, noise=0.5, seed=0), steps=2000)
    kicks = np.diff(np.vstack([np.zeros(2), steps]), axis=0)  # gradient 0: each step is -noise
    assert abs(kicks.mean()) < 0.05
    assert kicks.std() == pytest.approx(0.5, rel=0.05)
    g, theta = np.array([0.2, -0.4]), np.array([1.0, 1.0])
    np.testing.assert_array_equal(
        _step(second_order.noisy_gd(0.1, noise=0.0), theta, g), _step(optim.sgd(0.1), theta, g)
    )


def test_hessian_memory_for_a_million_weights():
    assert second_order.hessian_memory_bytes(1_000_000) == 4 * 10**12  # 4 TB in float32
    assert second_order.hessian_memory_bytes(1_000_000, bytes_per_entry=8) == 8 * 10**12
    with pytest.raises(ValueError, match="'n_params'"):
        second_order.hessian_memory_bytes(0)
