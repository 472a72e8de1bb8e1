"""Tests for core.optim: hand-computed steps, purity, schedules, and parity with PyTorch."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core import optim
from tests.reference import make_torch_optim_reference as ref

REFERENCE = json.loads((Path(ref.__file__).with_name("torch_optim.json")).read_text())
TORCH_FACTORIES = {
    "SGD": optim.sgd,
    "Adagrad": optim.adagrad,
    "RMSprop": optim.rmsprop,
    "Adam": optim.adam,
    "AdamW": optim.adamw,
}

# The one table every shared problem runs over: name -> a fresh optimizer.
TABLE = {
    "sgd": lambda: optim.sgd(0.05),
    "sgd_wd": lambda: optim.sgd(0.05, weight_decay=0.1),
    "momentum": lambda: optim.sgd(0.02, momentum=0.9),
    "nesterov_wd": lambda: optim.sgd(0.02, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adagrad": lambda: optim.adagrad(0.3),
    "rmsprop": lambda: optim.rmsprop(0.01),
    "adam": lambda: optim.adam(0.05),
    "adam_wd": lambda: optim.adam(0.05, weight_decay=0.1),
    "adamw": lambda: optim.adamw(0.05, weight_decay=0.1),
    "clip_momentum": lambda: optim.chain(
        optim.clip_by_global_norm(1.0), optim.sgd(0.02, momentum=0.9)
    ),
    "adam_schedule": lambda: optim.adam(optim.cosine_decay(0.05, 200)),
    "registry_nesterov": lambda: optim.OPTIMIZERS["nesterov"](0.02),
}


def run(opt, params, grad_fn, steps):
    """Apply ``steps`` updates; return the list of params after each (params[0] = start)."""
    state = opt.init(params)
    history = [params]
    for _ in range(steps):
        updates, state = opt.update(grad_fn(params), state, params)
        params = optim.apply_updates(params, updates)
        history.append(params)
    return history


def flat(params):
    return np.concatenate([np.ravel(params[k]) for k in sorted(params)])


# ----------------------------------------------------------------------------------------------
# The shared problems, over the whole table
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLE)
def test_every_optimizer_descends_the_reference_problem(name):
    params, grad_fn, loss_fn = ref.make_problem()
    history = run(TABLE[name](), params, grad_fn, 200)
    losses = [loss_fn(p) for p in history]
    assert losses[-1] < losses[0] - 1.0
    assert all(np.all(np.isfinite(flat(p))) for p in history)


@pytest.mark.parametrize("name", TABLE)
def test_update_is_pure_and_replayable(name):
    params, grad_fn, _ = ref.make_problem()
    opt = TABLE[name]()
    state = opt.init(params)
    states, updates = [], []
    for _ in range(4):
        grads = grad_fn(params)
        before = copy.deepcopy((params, grads, state))
        upd, new_state = opt.update(grads, state, params)
        _assert_tree_equal((params, grads, state), before)
        states.append(state)
        updates.append(upd)
        params, state = optim.apply_updates(params, upd), new_state
    # Any stored state replays to the very same updates (the UI scrubs trajectories this way).
    params, _, _ = ref.make_problem()
    for stored, expected in zip(states, updates, strict=True):
        upd, _ = opt.update(grad_fn(params), stored, params)
        _assert_tree_equal(upd, expected)
        params = optim.apply_updates(params, upd)


def _assert_tree_equal(a, b):
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, strict=True)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _assert_tree_equal(a[k], b[k])
    elif isinstance(a, tuple):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _assert_tree_equal(x, y)
    elif isinstance(a, optim.Layout):
        assert (a.keys, a.shapes) == (b.keys, b.shapes)
    else:
        assert a == b


@pytest.mark.parametrize("name", TABLE)
def test_updates_are_new_arrays_shaped_like_params(name):
    params, grad_fn, _ = ref.make_problem()
    opt = TABLE[name]()
    grads = grad_fn(params)
    updates, _ = opt.update(grads, opt.init(params), params)
    assert list(updates) == list(params)
    for k in params:
        assert updates[k].shape == params[k].shape
        assert updates[k].dtype == np.float64
        assert not np.shares_memory(updates[k], params[k])
        assert not np.shares_memory(updates[k], grads[k])


# ----------------------------------------------------------------------------------------------
# Hand-computed first and second steps, from the update formulas
# ----------------------------------------------------------------------------------------------

P0 = np.array([1.5, -0.5, 0.0, 3.0])


def _grad(p):
    return 2.0 * p + 1.0  # f = sum(p^2 + p): distinct signs and sizes per coordinate


def _sgd(lr, m=0.0, nesterov=False, wd=0.0):
    def steps(p0):
        d0 = _grad(p0) + wd * p0
        b0 = d0
        p1 = p0 - lr * ((d0 + m * b0) if nesterov else b0 if m else d0)
        d1 = _grad(p1) + wd * p1
        b1 = m * b0 + d1
        p2 = p1 - lr * ((d1 + m * b1) if nesterov else b1 if m else d1)
        return p1, p2

    return steps


def _adagrad(lr, eps):
    def steps(p0):
        g0 = _grad(p0)
        p1 = p0 - lr * g0 / (np.abs(g0) + eps)
        g1 = _grad(p1)
        p2 = p1 - lr * g1 / (np.sqrt(g0**2 + g1**2) + eps)
        return p1, p2

    return steps


def _rmsprop(lr, a, eps):
    def steps(p0):
        g0 = _grad(p0)
        v1 = (1 - a) * g0**2
        p1 = p0 - lr * g0 / (np.sqrt(v1) + eps)
        g1 = _grad(p1)
        v2 = a * v1 + (1 - a) * g1**2
        p2 = p1 - lr * g1 / (np.sqrt(v2) + eps)
        return p1, p2

    return steps


def _adam(lr, b1, b2, eps, wd=0.0, decoupled=False):
    def steps(p0):
        g0 = _grad(p0) + (0.0 if decoupled else wd * p0)
        # Step 1: bias correction makes m_hat = g and sqrt(v_hat) = |g|: a step of ~lr*sign(g).
        p1 = p0 * (1 - lr * wd if decoupled else 1.0) - lr * g0 / (np.abs(g0) + eps)
        g1 = _grad(p1) + (0.0 if decoupled else wd * p1)
        m2 = b1 * (1 - b1) * g0 + (1 - b1) * g1
        v2 = b2 * (1 - b2) * g0**2 + (1 - b2) * g1**2
        denom = np.sqrt(v2) / math.sqrt(1 - b2**2) + eps
        p2 = p1 * (1 - lr * wd if decoupled else 1.0) - lr / (1 - b1**2) * m2 / denom
        return p1, p2

    return steps


HAND = {
    "sgd": (optim.sgd(0.1), _sgd(0.1)),
    "sgd_wd": (optim.sgd(0.1, weight_decay=0.3), _sgd(0.1, wd=0.3)),
    "momentum": (optim.sgd(0.1, momentum=0.9), _sgd(0.1, m=0.9)),
    "nesterov": (optim.sgd(0.1, momentum=0.8, nesterov=True), _sgd(0.1, m=0.8, nesterov=True)),
    "nesterov_wd": (
        optim.sgd(0.1, momentum=0.5, nesterov=True, weight_decay=0.2),
        _sgd(0.1, m=0.5, nesterov=True, wd=0.2),
    ),
    "adagrad": (optim.adagrad(0.5), _adagrad(0.5, 1e-10)),
    "adagrad_eps": (optim.adagrad(0.5, eps=0.1), _adagrad(0.5, 0.1)),
    "rmsprop": (optim.rmsprop(0.01), _rmsprop(0.01, 0.99, 1e-8)),
    "rmsprop_alpha": (optim.rmsprop(0.01, alpha=0.5, eps=0.1), _rmsprop(0.01, 0.5, 0.1)),
    "adam": (optim.adam(0.1), _adam(0.1, 0.9, 0.999, 1e-8)),
    "adam_wd": (
        optim.adam(0.1, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.5),
        _adam(0.1, 0.8, 0.99, 1e-3, wd=0.5),
    ),
    "adamw": (optim.adamw(0.1), _adam(0.1, 0.9, 0.999, 1e-8, wd=0.01, decoupled=True)),
    "adamw_low_beta1": (
        optim.adamw(0.1, betas=(0.2, 0.9), weight_decay=0.5),
        _adam(0.1, 0.2, 0.9, 1e-8, wd=0.5, decoupled=True),
    ),
}


@pytest.mark.parametrize("name", HAND)
def test_first_two_steps_match_the_formula(name):
    opt, formula = HAND[name]
    history = run(opt, {"w": P0}, lambda p: {"w": _grad(p["w"])}, 2)
    p1, p2 = formula(P0)
    np.testing.assert_allclose(history[1]["w"], p1, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(history[2]["w"], p2, rtol=1e-14, atol=1e-15)


def test_adam_first_step_is_about_lr_times_sign():
    updates, _ = optim.adam(0.01).update(
        {"w": np.array([3.0, -1e-3])}, optim.adam(0.01).init({"w": np.zeros(2)})
    )
    np.testing.assert_allclose(updates["w"], [-0.01, 0.01], rtol=1e-4)


# ----------------------------------------------------------------------------------------------
# Parity with PyTorch: the stored reference always, torch itself when it is installed
# ----------------------------------------------------------------------------------------------

CASE_IDS = [case["name"] for case in REFERENCE["cases"]]


def _ours(case):
    opt = TORCH_FACTORIES[case["optimizer"]](**case["kwargs"])
    if case["max_norm"] is not None:
        opt = optim.chain(optim.clip_by_global_norm(case["max_norm"]), opt)
    params, grad_fn, _ = ref.make_problem()
    history = run(opt, params, grad_fn, REFERENCE["steps"])
    return np.array([ref.flatten(p) for p in history[1:]])


def test_reference_problem_is_unchanged():
    params, grad_fn, _ = ref.make_problem()
    assert ref.flatten(params) == REFERENCE["params0"]
    assert set(CASE_IDS) == {name for name, *_ in ref.CASES}
    # The clipping cases really clip on the first step.
    assert optim.global_norm(grad_fn(params)) > 2.0


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=CASE_IDS)
def test_matches_torch_reference(case):
    expected = np.array(case["trajectory"])
    np.testing.assert_allclose(_ours(case), expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=CASE_IDS)
def test_matches_torch_live(case):
    pytest.importorskip("torch")
    expected = ref.run_torch(case["optimizer"], case["kwargs"], case["max_norm"])
    np.testing.assert_allclose(_ours(case), expected, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------------------------
# Transforms
# ----------------------------------------------------------------------------------------------


def test_clip_by_global_norm_scales_to_max_norm_when_above():
    grads = {"a": np.array([[3.0, 0.0]]), "b": np.array([4.0])}  # global norm 5
    clip = optim.clip_by_global_norm(1.0)
    clipped, _ = clip.update(grads, clip.init(grads))
    # PyTorch divides by (norm + 1e-6), so the result is a hair under max_norm.
    assert optim.global_norm(clipped) == pytest.approx(1.0 * 5.0 / (5.0 + 1e-6), rel=1e-15)
    assert optim.global_norm(clipped) == pytest.approx(1.0, rel=1e-6)
    np.testing.assert_allclose(clipped["a"] / clipped["b"][0], grads["a"] / 4.0)  # direction


def test_clip_by_global_norm_leaves_small_gradients_unchanged():
    grads = {"a": np.array([[0.3, 0.0]]), "b": np.array([0.4])}
    clip = optim.clip_by_global_norm(1.0)
    clipped, _ = clip.update(grads, clip.init(grads))
    _assert_tree_equal(clipped, grads)


def test_global_norm_is_the_norm_of_all_values():
    tree = {"a": np.arange(6.0).reshape(2, 3), "b": np.array([-2.0]), "c": np.array(1.5)}
    assert optim.global_norm(tree) == pytest.approx(np.linalg.norm([*range(6), -2.0, 1.5]))


def test_chain_skips_identities_and_keeps_one_state_per_transform():
    params = {"w": P0}
    assert len(optim.adam(0.1).init(params).inner) == 2  # no weight-decay transform
    assert len(optim.adam(0.1, weight_decay=0.1).init(params).inner) == 3
    opt = optim.chain(optim.add_decayed_weights(0.0), optim.scale(-0.5), optim.scale(2.0))
    updates, state = opt.update({"w": P0}, opt.init(params), params)
    np.testing.assert_array_equal(updates["w"], -P0)
    assert state.inner == ((), (), ())


def test_transforms_compose_into_the_named_optimizers():
    params = {"w": P0}
    grad_fn = lambda p: {"w": _grad(p["w"])}  # noqa: E731
    pairs = [
        (optim.adam(0.1), optim.chain(optim.scale_by_adam(), optim.scale(-0.1))),
        (optim.adagrad(0.1), optim.chain(optim.scale_by_rss(), optim.scale_by_learning_rate(0.1))),
        (optim.rmsprop(0.1), optim.chain(optim.scale_by_rms(), optim.scale_by_learning_rate(0.1))),
        (
            optim.sgd(0.1, momentum=0.9, nesterov=True),
            optim.chain(optim.trace(0.9, nesterov=True), optim.scale_by_learning_rate(0.1)),
        ),
        (
            optim.adamw(0.1, weight_decay=0.2),
            optim.chain(
                optim.scale_by_adam(),
                optim.add_decayed_weights(0.2),
                optim.scale_by_learning_rate(0.1),
            ),
        ),
    ]
    for named, chained in pairs:
        a, b = run(named, params, grad_fn, 5), run(chained, params, grad_fn, 5)
        np.testing.assert_allclose(flat(a[-1]), flat(b[-1]), rtol=1e-14)


def test_standalone_transforms_follow_their_formulas():
    g = {"w": np.array([2.0, -0.5])}
    adam_dir, _ = optim.scale_by_adam(eps=1e-300).update(g, optim.scale_by_adam().init(g))
    np.testing.assert_allclose(adam_dir["w"], np.sign(g["w"]), rtol=1e-12)
    rss, _ = optim.scale_by_rss(eps=1e-10).update(g, optim.scale_by_rss().init(g))
    np.testing.assert_allclose(rss["w"], g["w"] / (np.abs(g["w"]) + 1e-10), rtol=1e-15)
    tr = optim.trace(0.9)
    u1, s = tr.update(g, tr.init(g))
    u2, _ = tr.update(g, s)
    np.testing.assert_array_equal(u1["w"], g["w"])  # PyTorch: the buffer starts as g
    np.testing.assert_allclose(u2["w"], 1.9 * g["w"], rtol=1e-15)


def test_a_custom_optimizer_runs_inside_chain():
    def init(params):
        return {"n": 0}

    def update(grads, state, params=None):
        return {k: 2.0 * g for k, g in grads.items()}, {"n": state["n"] + 1}

    custom = optim.Optimizer(init, update)
    opt = optim.chain(custom, optim.sgd(0.1))
    params = {"a": np.ones((2, 2)), "b": np.ones(3)}
    updates, state = opt.update({"a": np.ones((2, 2)), "b": np.ones(3)}, opt.init(params), params)
    np.testing.assert_allclose(updates["a"], -0.2)
    assert state.inner[0] == {"n": 1}


def test_layout_unflattens_state_vectors_per_parameter():
    params = {"W": np.ones((2, 3)), "b": np.ones(3)}
    opt = optim.adam(0.1)
    _, state = opt.update({"W": np.full((2, 3), 2.0), "b": np.ones(3)}, opt.init(params))
    nu = state.layout.unflatten(state.inner[0].nu)
    np.testing.assert_allclose(nu["W"], np.full((2, 3), 0.001 * 4.0))
    np.testing.assert_allclose(nu["b"], np.full(3, 0.001))


# ----------------------------------------------------------------------------------------------
# Properties (hypothesis)
# ----------------------------------------------------------------------------------------------

_floats = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
_shapes = st.sampled_from([(), (1,), (3,), (2, 3), (4, 1)])


@st.composite
def _trees(draw):
    keys = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=4, unique=True))
    shapes = {k: draw(_shapes) for k in keys}
    params = {k: draw(hnp.arrays(np.float64, s, elements=_floats)) for k, s in shapes.items()}
    grads = {k: draw(hnp.arrays(np.float64, s, elements=_floats)) for k, s in shapes.items()}
    return params, grads


@settings(max_examples=40, deadline=None)
@given(tree=_trees(), name=st.sampled_from(sorted(TABLE)))
def test_property_update_never_mutates_its_inputs(tree, name):
    params, grads = tree
    opt = TABLE[name]()
    state = opt.init(params)
    for _ in range(2):
        before = copy.deepcopy((params, grads, state))
        updates, new_state = opt.update(grads, state, params)
        _assert_tree_equal((params, grads, state), before)
        new_params = optim.apply_updates(params, updates)
        _assert_tree_equal((params, grads, state), before)
        params, state = new_params, new_state


@settings(max_examples=60, deadline=None)
@given(tree=_trees(), lr=st.floats(1e-4, 10.0))
def test_property_plain_sgd_steps_minus_lr_times_grad(tree, lr):
    params, grads = tree
    opt = optim.sgd(lr)
    updates, _ = opt.update(grads, opt.init(params))
    for k in params:
        np.testing.assert_array_equal(updates[k], -lr * grads[k])
        np.testing.assert_array_equal(
            optim.apply_updates(params, updates)[k], params[k] + -lr * grads[k]
        )


# ----------------------------------------------------------------------------------------------
# Schedules
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (optim.constant_schedule(0.3), {0: 0.3, 1: 0.3, 1000: 0.3}),
        (optim.inverse_time_decay(0.3, 0.5), {0: 0.3, 1: 0.2, 4: 0.1}),
        (optim.exponential_decay(0.2, 0.5), {0: 0.2, 1: 0.1, 3: 0.025}),
        (optim.exponential_decay(0.2, 1.0), {0: 0.2, 50: 0.2}),
        (optim.cosine_decay(0.2, 10), {0: 0.2, 5: 0.1, 10: 0.0, 11: 0.0}),
        (optim.cosine_decay(0.2, 4, final_lr=0.1), {0: 0.2, 2: 0.15, 4: 0.1, 9: 0.1}),
        (optim.step_decay(0.4, 3, 0.5), {0: 0.4, 2: 0.4, 3: 0.2, 5: 0.2, 6: 0.1}),
    ],
)
def test_schedules_return_the_documented_values(schedule, expected):
    for t, lr in expected.items():
        assert schedule(t) == pytest.approx(lr, rel=1e-15, abs=1e-17)
        assert isinstance(schedule(t), float)


def test_schedules_compare_and_hash_by_value():
    assert optim.cosine_decay(0.1, 10) == optim.cosine_decay(0.1, 10)
    assert hash(optim.step_decay(0.1, 5)) == hash(optim.step_decay(0.1, 5))
    assert repr(optim.inverse_time_decay(0.1, 0.5)) == "inverse_time_decay(lr=0.1, decay_rate=0.5)"


def test_sgd_follows_a_schedule_from_step_zero():
    schedule = optim.inverse_time_decay(0.5, 1.0)
    opt = optim.sgd(schedule)
    params, grads = {"w": np.zeros(2)}, {"w": np.array([1.0, -2.0])}
    state = opt.init(params)
    for t in range(4):
        updates, state = opt.update(grads, state)
        np.testing.assert_allclose(updates["w"], -schedule(t) * grads["w"], rtol=1e-15)


@pytest.mark.parametrize("factory", [optim.sgd, optim.adagrad, optim.rmsprop, optim.adam])
def test_a_constant_schedule_equals_a_constant_lr(factory):
    params, grad_fn, _ = ref.make_problem()
    a = run(factory(0.01), params, grad_fn, 10)[-1]
    b = run(factory(optim.constant_schedule(0.01)), params, grad_fn, 10)[-1]
    np.testing.assert_allclose(flat(a), flat(b), rtol=1e-13)


def test_adamw_decays_with_the_scheduled_lr():
    params = {"w": np.array([2.0])}
    schedule = optim.step_decay(0.1, 1, 0.5)
    opt = optim.adamw(schedule, weight_decay=1.0)
    state = opt.init(params)
    for t in range(3):
        updates, state = opt.update({"w": np.zeros(1)}, state, params)
        np.testing.assert_allclose(updates["w"], -schedule(t) * params["w"], rtol=1e-15)


# ----------------------------------------------------------------------------------------------
# Registry, validation, boundaries
# ----------------------------------------------------------------------------------------------


def test_registry_names_defaults_and_overrides():
    assert list(optim.OPTIMIZERS) == [
        "gd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
    ]
    assert {k: s.default_lr for k, s in optim.OPTIMIZERS.items()} == optim.DEFAULT_LR
    for name, spec in optim.OPTIMIZERS.items():
        assert isinstance(spec(0.01), optim.Optimizer)
        assert isinstance(spec(), optim.Optimizer), name
        assert spec.label
    assert optim.OPTIMIZERS["momentum"](0.1).name == optim.sgd(0.1, momentum=0.9).name
    assert "nesterov=True" in optim.OPTIMIZERS["nesterov"](0.1).name
    assert "momentum=0.5" in optim.OPTIMIZERS["momentum"](0.1, momentum=0.5).name
    assert "weight_decay=0.01" in optim.OPTIMIZERS["adamw"]().name


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: optim.sgd(-1.0), "'lr' must be > 0; got -1.0."),
        (lambda: optim.sgd(0.0), "'lr'"),
        (lambda: optim.adam(float("nan")), "'lr'"),
        (lambda: optim.adam("fast"), "'lr'"),
        (lambda: optim.sgd(0.1, momentum=-0.1), "'momentum'"),
        (lambda: optim.sgd(0.1, momentum=1.5), "'momentum'"),
        (lambda: optim.sgd(0.1, nesterov=True), "'nesterov=True' requires 'momentum' > 0"),
        (lambda: optim.sgd(0.1, weight_decay=-1), "'weight_decay'"),
        (lambda: optim.adam(0.1, betas=(1.0, 0.999)), r"'betas\[0\]'"),
        (lambda: optim.adam(0.1, betas=(0.9, -0.1)), r"'betas\[1\]'"),
        (lambda: optim.adamw(0.1, betas=0.9), "'betas'"),
        (lambda: optim.adam(0.1, eps=0.0), "'eps'"),
        (lambda: optim.adagrad(0.1, eps=-1e-10), "'eps'"),
        (lambda: optim.rmsprop(0.1, alpha=1.0), "'alpha'"),
        (lambda: optim.adamw(0.1, weight_decay=-0.01), "'weight_decay'"),
        (lambda: optim.clip_by_global_norm(0.0), "'max_norm'"),
        (lambda: optim.inverse_time_decay(0.1, -1.0), "'decay_rate'"),
        (lambda: optim.exponential_decay(0.1, 1.5), "'gamma'"),
        (lambda: optim.exponential_decay(-0.1, 0.5), "'lr'"),
        (lambda: optim.cosine_decay(0.1, 0), "'total_steps'"),
        (lambda: optim.cosine_decay(0.1, 10, final_lr=0.2), "'final_lr'"),
        (lambda: optim.step_decay(0.1, 2.5), "'step_size'"),
        (lambda: optim.step_decay(0.1, 2, gamma=0.0), "'gamma'"),
        (lambda: optim.chain(optim.sgd(0.1), "adam"), "chain takes Optimizer"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(make, argument):
    with pytest.raises(ValueError, match=argument):
        make()


def test_mismatched_trees_raise_value_errors():
    opt = optim.adam(0.1, weight_decay=0.1)
    params = {"W": np.ones((2, 2)), "b": np.ones(2)}
    state = opt.init(params)
    with pytest.raises(ValueError, match="'b'"):
        opt.update({"W": np.ones((2, 2))}, state, params)
    with pytest.raises(ValueError, match="shaped"):
        opt.update({"W": np.ones((2, 2)), "b": np.ones(3)}, state, params)
    with pytest.raises(ValueError, match="needs the params"):
        opt.update(params, state)
    with pytest.raises(ValueError, match="non-empty dict"):
        opt.init({})


def test_core_optim_imports_no_ui_library():
    code = "import sys, core.optim; assert not {'streamlit', 'altair'} & set(sys.modules)"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


# ----------------------------------------------------------------------------------------------
# One way to write a transform: the flat form and its public hook
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLE)
def test_flat_form_gives_the_dict_updates_bit_for_bit(name):
    params, grad_fn, _ = ref.make_problem()
    opt = TABLE[name]()
    assert isinstance(opt.flat, optim.FlatTransform)
    layout = optim.Layout(params)
    state = opt.init(params)
    inner = opt.flat.init(layout.flatten(params), layout)
    p = layout.flatten(params)
    for _ in range(5):
        grads = grad_fn(params)
        updates, state = opt.update(grads, state, params)
        u, inner = opt.flat.update(layout.flatten(grads), inner, p, layout)
        np.testing.assert_array_equal(u, layout.flatten(updates))
        params = optim.apply_updates(params, updates)
        p = p + u
        np.testing.assert_array_equal(p, layout.flatten(params))


def test_an_optimizer_from_dict_functions_has_no_flat_form_until_chained():
    custom = optim.Optimizer(lambda params: (), lambda grads, state, params=None: (grads, state))
    assert custom.flat is None
    assert isinstance(optim.chain(custom, optim.scale(-0.1)).flat, optim.FlatTransform)


def test_a_transform_written_once_as_a_flat_pair():
    # sign descent, written the one way the library writes its own: init and update on the
    # flat vector, wrapped by Optimizer.from_flat; chain fuses nothing into it (no rescaled).
    def init(p, layout):
        return ()

    def update(g, state, p, layout):
        return np.sign(g), state

    sign = optim.Optimizer.from_flat(optim.FlatTransform(init, update), "sign")
    opt = optim.chain(sign, optim.scale_by_learning_rate(0.5))
    params = {"w": np.array([1.0, -2.0]), "b": np.array([[0.0]])}
    grads = {"w": np.array([3.0, -0.1]), "b": np.array([[2.0]])}
    updates, state = opt.update(grads, opt.init(params), params)
    np.testing.assert_array_equal(updates["w"], [-0.5, 0.5])
    np.testing.assert_array_equal(updates["b"], [[-0.5]])
    assert state.inner == ((), ())


def test_chain_fuses_a_constant_scale_into_the_transform_before_it():
    adam = optim.scale_by_adam()
    assert adam.flat.rescaled is not None and adam.flat.factor is None
    assert optim.scale(0.5).flat.factor == 0.5
    assert optim.add_decayed_weights(0.0).flat.factor == 1.0  # the identity
    # One fused pass: adam's update already carries -lr, bit for bit as written in one piece.
    g = {"w": np.array([0.3, -2.0, 1e-3])}
    fused, _ = optim.adam(0.1).update(g, optim.adam(0.1).init(g))
    alone = optim.Optimizer.from_flat(adam.flat.rescaled(-0.1), "adam scaled")
    direct, _ = alone.update(g, alone.init(g))
    np.testing.assert_array_equal(fused["w"], direct["w"])


def test_schedules_live_in_their_own_module_and_are_still_in_core_optim():
    from core import schedules

    for name in schedules.__all__:
        assert getattr(optim, name) is getattr(schedules, name)
    assert optim.cosine_decay(0.1, 10) == schedules.cosine_decay(0.1, 10)
