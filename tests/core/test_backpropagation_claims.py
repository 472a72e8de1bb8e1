"""Every sentence the backpropagation lesson emits is true of its run, at any valid setting.

The page keeps its own state (the weights its buttons reached), so the property test also starts
from weights reached by 'Run N updates' presses, including near-perfect fits.
"""

import dataclasses
import itertools
import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import mlp
from core.activations import ACTIVATIONS
from core.experiments import backpropagation as bp
from core.experiments.backpropagation import claims as bc
from core.experiments.backpropagation import experiment
from core.facts import significant
from core.gradcheck import numerical_grad, rel_error
from tests.claims import Verifiers
from tests.strategies import configs
from tests.ui.specs import title_text

EPS = np.finfo(np.float64).eps


def _trained(config, presses=1):
    """``config`` at the weights its 'Run N updates' button reaches after ``presses`` presses."""
    for _ in range(presses):
        config = dataclasses.replace(config, weights=bp.run(config).after_n)
    return config


# a ReLU unit 3e-6 from its kink: z1 = 1 * 0.5 - 0.5 * 1 + 3e-6, closer than h |x1| = 1e-5
_NEAR_KINK = (0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 3e-6, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0)

verify = Verifiers(
    bp,
    witnesses=[
        bp.Config(activation="relu", x1=0.0, x2=0.0),  # every unit on the kink: a tie at 0
        bp.Config(activation="relu", weights=_NEAR_KINK),
        _trained(bp.Config(n_updates=1000, learning_rate=0.3)),  # a perfect fit: truncation
        # the loss falls for a while before it runs away
        bp.Config(
            x1=-4.6,
            x2=-3.2,
            target=4.1,
            seed=132,
            weight_scale=5.0,
            learning_rate=0.7,
            n_updates=100,
        ),
        # the first update already runs away
        bp.Config(
            x1=4.8,
            x2=0.2,
            target=-4.2,
            activation="relu",
            seed=13,
            weight_scale=3.0,
            learning_rate=0.3,
        ),
    ],
    unreachable={
        "gradients_disagree": "backprop here is exact (it equals core.mlp bit for bit and "
        "PyTorch to 1e-15), and off the kink a central difference errs by its truncation "
        "h^2 L'''/6, which the 2h step estimates, plus round-off, which the bound covers with a "
        "factor 50; the claim stays as the check's honest answer should either fail",
    },
)


def _means(result):
    return float(np.abs(result.backward.dL_dW2).mean()), float(
        np.abs(result.backward.dL_dW1).mean()
    )


@verify("layer_answer")
def _(config, result, fact):
    w2, w1 = _means(result)
    assert fact.values["answer"] in bp.PREDICTION.options
    assert math.isclose(fact.values["mean_w2"], w2) and math.isclose(fact.values["mean_w1"], w1)
    if fact.values["answer"] == bc.EQUAL:
        assert abs(w2 - w1) <= 1e-12 * max(w1, w2)
        if "ŷ − y computes to 0 in float64" in fact.text:
            assert result.forward.y_hat == result.forward.y
        # float64's ŷ = y is not the exact ŷ of the weights (audit pass 51), unless the exact ŷ
        # of these weights is y too (audit pass 59 h: ReLU, x = (0, 0), y = 0)
        if "ŷ = y exactly" in fact.text:
            assert _exact_fraction_residual(result.params, result.forward.x, config) == 0
        elif "ŷ − y computes to 0 in float64" in fact.text:
            assert _exact_fraction_residual(result.params, result.forward.x, config) != 0
        if "Every hidden unit has z ≤ 0" in fact.text:
            assert config.activation == "relu" and np.all(result.forward.z <= 0)
            assert np.all(result.backward.dL_dW1 == 0) and np.all(result.backward.dL_dW2 == 0)
            # on the kink relu has no derivative: its 0 there is named a convention
            if np.any(result.forward.z == 0):
                assert "by the convention relu′(0) = 0" in fact.text
        return
    assert fact.values["answer"] == (bc.OUTPUT if w2 > w1 else bc.HIDDEN)
    # the two layers share |y_hat - y|; what differs is a_j against W2_j f'(z_j) x_i
    fwd = result.forward
    delta = abs(fwd.y_hat - fwd.y)
    a = np.abs(fwd.a).mean()
    f_prime = ACTIVATIONS[config.activation].grad(fwd.z)
    hidden = np.abs(np.outer(fwd.x, result.params["W2"][:, 0] * f_prime)).mean()
    assert math.isclose(w2, delta * a, rel_tol=1e-9, abs_tol=1e-300)
    assert math.isclose(w1, delta * hidden, rel_tol=1e-9, abs_tol=1e-300)
    assert math.isclose(fact.values["output_factor"], a, rel_tol=1e-12)
    assert math.isclose(fact.values["hidden_factor"], hidden, rel_tol=1e-12, abs_tol=1e-300)
    assert ("With sigmoid" in fact.text) == (config.activation == "sigmoid")
    if config.activation == "sigmoid":
        assert np.all((fwd.a >= 0) & (fwd.a <= 1)) and np.all(f_prime <= 0.25)
        # float64's a = 1 (or 0) is named beside "between 0 and 1" (audit pass 56 h)
        assert ("float64 rounds" in fact.text) == bool(np.any((fwd.a == 0) | (fwd.a == 1)))
    else:
        assert set(np.unique(f_prime)) <= {0.0, 1.0}


@verify("sweep_cost")
def _(config, result, fact):
    calls = []
    original = experiment.loss_of_vector

    def counted(*args):
        calls.append(1)
        return original(*args)

    experiment.loss_of_vector = counted
    try:
        x = np.array([config.x1, config.x2])
        experiment.check_gradients(result.params, x, config.target, config.activation)
    finally:
        experiment.loss_of_vector = original
    assert fact.values["evaluations"] == len(calls) == 4 * bp.N_PARAMS


def _recheck(config, result):
    """The check's numbers recomputed here: estimates at h and 2h, relative errors, bounds."""
    x = np.array([config.x1, config.x2])
    v = bp.to_vector(result.params)

    def loss(w):
        return bp.forward(bp.from_vector(w), x, config.target, config.activation).loss

    g = bp.to_vector(result.backward.grads())
    g_h = numerical_grad(loss, v, h=bp.CHECK_STEP)
    g_2h = numerical_grad(loss, v, h=2 * bp.CHECK_STEP)
    gap = np.abs(g - g_h)
    rel = gap / np.maximum(1e-8, np.abs(g) + np.abs(g_h))
    fwd, p = result.forward, result.params
    W2 = p["W2"][:, 0]
    f_prime = ACTIVATIONS[config.activation].grad(fwd.z)
    size = np.sum(
        np.abs(W2) * (np.abs(fwd.a) + f_prime * (np.abs(x) @ np.abs(p["W1"]) + np.abs(p["b1"])))
    )
    size += abs(p["b2"][0])
    # d y_hat / dw from core.mlp's backward pass with dL/dy_hat = 1
    _, cache = mlp.forward(p, x.reshape(1, 2), activation=config.activation)
    dyhat = bp.to_vector(mlp.backward(p, cache, np.ones((1, 1))))
    r = abs(fwd.y_hat - fwd.y) + bp.CHECK_STEP * np.abs(dyhat)
    roundoff = 50 * EPS * (r * r / 2 + r * size) / bp.CHECK_STEP
    truncation = np.abs(g_2h - g_h) / 3
    np.testing.assert_array_equal(result.check["central_difference"], g_h)
    names = bp.param_names()
    return {
        "rel": dict(zip(names, rel, strict=True)),
        "gap": dict(zip(names, gap, strict=True)),
        "truncation": dict(zip(names, truncation, strict=True)),
        "roundoff": dict(zip(names, roundoff, strict=True)),
        "kink": dict(zip(names, result.check["at_kink"], strict=True)),
    }


@verify("gradients_agree")
def _(config, result, fact):
    c = _recheck(config, result)
    agree = [w for w in c["rel"] if c["rel"][w] < bp.AGREE_BELOW and not c["kink"][w]]
    assert fact.values["count"] == len(agree) > 0
    assert math.isclose(fact.values["largest"], max(c["rel"][w] for w in agree), rel_tol=1e-9)
    # a forgotten f′(z) is said to give above the bug level only where it would on this run
    # (audit pass 50 b: ReLU with every unit active, where dropping relu′ = 1 changes nothing)
    error = _forgotten_f_prime_error(config, result)
    assert ("a backprop that forgot f′(z) would do so here" in fact.text) == (error > bp.BUG_LEVEL)
    if error <= bp.BUG_LEVEL:
        shown = fact.text.split("would give at most ")[1].split(" on this example")[0]
        assert float(shown) >= error
    assert "such as a forgotten" not in fact.text
    # "dropping it changes nothing" only of units off the kink: a unit at z = 0 (relu′(0) = 0
    # by convention) is named, with the gradients a forgotten f′ would change there
    z = np.asarray(result.forward.z)
    # "on an active unit" only where one is (audit pass 56 h: x = (0, 0), every unit on the kink)
    assert ("on an active unit" in fact.text) <= bool(np.any(z > 0))
    if "dropping it changes nothing" in fact.text:
        assert config.activation == "relu" and not np.any(z < 0)
        assert ("on the kink z = 0" in fact.text) == bool(np.any(z == 0))
        changed = [
            w
            for w, wrong, right in zip(
                result.check["weight"],
                bc.forgotten_f_prime(result),
                result.check["backprop"],
                strict=True,
            )
            if wrong != right
        ]
        assert all(c["kink"][w] for w in changed)
        for w in changed:
            assert w in fact.text


def _forgotten_f_prime_error(config, result) -> float:
    """The check's largest relative error, over the rows it checks, of a backprop that forgets
    the factor f′(z), recomputed here."""
    fwd, p = result.forward, result.params
    delta = fwd.y_hat - fwd.y
    dz = delta * p["W2"][:, 0]
    wrong = bp.to_vector(
        {"W1": np.outer(fwd.x, dz), "b1": dz, "W2": (delta * fwd.a)[:, None], "b2": [delta]}
    )
    central = result.check["central_difference"].to_numpy()
    checked = ~result.check["at_kink"].to_numpy()
    return max(
        (rel_error(a, b) for a, b, c in zip(wrong, central, checked, strict=True) if c),
        default=0.0,
    )


@verify("roundoff_rows")
def _(config, result, fact):
    c = _recheck(config, result)
    bounds = [c["roundoff"][w] for w in fact.values["weights"]]
    assert math.isclose(fact.values["bound"], max(bounds), rel_tol=1e-9)
    for w in fact.values["weights"]:
        assert not c["kink"][w] and c["rel"][w] >= bp.AGREE_BELOW
        assert c["gap"][w] <= c["roundoff"][w]
    # "too small for central differences to resolve" only where the gradient and its estimate
    # are themselves within the round-off bound (a resolved gradient misses the bar by round-off)
    g = dict(zip(bp.param_names(), bp.to_vector(result.backward.grads()), strict=True))
    cd = dict(zip(bp.param_names(), result.check["central_difference"], strict=True))
    small = all(max(abs(g[w]), abs(cd[w])) <= c["roundoff"][w] for w in fact.values["weights"])
    # the two bounds read together: both at 2 significant digits, zeros kept (audit pass 65 c);
    # a bound rounded up to a power of ten prints whole ("up to 100" for 99.745)
    said = re.search(r"at most (\S+), within .*?\(up to (\S+):", fact.text)
    assert said, fact.text
    assert all(significant(t) == 2 or t.isdigit() for t in said.groups()), fact.text
    assert ("too small" in fact.text) == small


@verify("truncation_rows")
def _(config, result, fact):
    c = _recheck(config, result)
    for w in fact.values["weights"]:
        assert not c["kink"][w] and c["rel"][w] >= bp.AGREE_BELOW
        assert c["roundoff"][w] < c["gap"][w] <= c["roundoff"][w] + 2 * c["truncation"][w]


@verify("gradients_disagree")
def _(config, result, fact):
    c = _recheck(config, result)
    for w in fact.values["weights"]:
        assert not c["kink"][w] and c["rel"][w] >= bp.AGREE_BELOW
        assert c["gap"][w] > c["roundoff"][w] + 2 * c["truncation"][w]


def _moves(config, weight, j):
    """How far a nudge of h moves z_j: h |x_i| for W1[i, j], h for b1[j]."""
    if weight.startswith("b1"):
        return bp.CHECK_STEP
    i = int(weight[3]) - 1
    return bp.CHECK_STEP * abs((config.x1, config.x2)[i])


def _unit(weight):
    return int(weight[-2 if weight.startswith("W1") else 3]) - 1


@verify("kink_at_zero")
def _(config, result, fact):
    assert config.activation == "relu"
    for j in fact.values["units"]:
        assert result.forward.z[j] == 0
    for w in fact.values["weights"]:
        j = _unit(w)
        assert j in fact.values["units"] and _moves(config, w, j) > 0
    # the central difference is the average of the one-sided slopes only up to an O(h) term
    # (audit pass 45), all it measures where ŷ = y (both slopes 0)
    assert "averages the two one-sided slopes only up to an O(h) term" in fact.text
    exact = result.forward.y_hat == result.forward.y
    assert ("here ŷ = y, so both slopes are 0" in fact.text) == exact


@verify("kink_near")
def _(config, result, fact):
    assert config.activation == "relu"
    for w in fact.values["weights"]:
        j = _unit(w)
        assert j in fact.values["units"]
        assert 0 < abs(result.forward.z[j]) < _moves(config, w, j)


@verify("local_derivatives")
def _(config, result, fact):
    z = result.forward.z
    with np.errstate(over="ignore"):
        s = 1 / (1 + np.exp(-z))
    expected = s * (1 - s) if config.activation == "sigmoid" else (z > 0) * 1.0
    np.testing.assert_allclose(result.backward.f_prime, expected, rtol=1e-9, atol=1e-300)
    # a ReLU unit exactly on its kink has no derivative: its printed 0 is named a convention
    on_kink = config.activation == "relu" and np.any(z == 0)
    assert ("convention relu′(0) = 0" in fact.text) == bool(on_kink)


@verify("saturated_units")
def _(config, result, fact):
    assert config.activation == "sigmoid"
    f_prime = result.backward.f_prime
    assert fact.values["units"] == tuple(j for j in range(bp.N_HIDDEN) if f_prime[j] < 0.0025)
    delta = result.forward.y_hat - result.forward.y
    W2 = result.params["W2"][:, 0]
    for j in fact.values["units"]:
        # every incoming gradient carries f'(z_j)
        np.testing.assert_allclose(
            result.backward.dL_dW1[:, j], delta * W2[j] * f_prime[j] * result.forward.x, rtol=1e-9
        )
        assert result.backward.dL_db1[j] == pytest.approx(delta * W2[j] * f_prime[j], rel=1e-9)


@verify("dead_units")
def _(config, result, fact):
    assert config.activation == "relu"
    dead = tuple(j for j in range(bp.N_HIDDEN) if result.forward.z[j] <= 0)
    assert fact.values["units"] == dead and dead
    assert np.all(result.backward.dL_dW1[:, list(dead)] == 0)
    assert np.all(result.backward.dL_db1[list(dead)] == 0)
    if "relu′(0) = 0" in fact.text:
        assert np.any(result.forward.z[list(dead)] == 0)


@verify("mlp_matches")
def _(config, result, fact):
    x = np.array([config.x1, config.x2])
    ref = bp.mlp_gradients(result.params, x, config.target, config.activation)
    ours = result.backward.grads()
    diff = max(float(np.max(np.abs(ref[k] - ours[k]))) for k in ours)
    assert fact.values["difference"] == diff
    assert ("bit for bit" in fact.text) == (diff == 0)


def _step(config, result, lr):
    grads = result.backward.grads()
    after = bp.gradient_step(result.params, grads, lr)
    return after, bp.forward(
        after, np.array([config.x1, config.x2]), config.target, config.activation
    )


def _loss_texts(result) -> list[str]:
    """The preview's losses as the loss chart's tooltips print them."""
    digits = bc.loss_digits(result)
    return [bc.loss_text(float(v), digits) for v in result.trajectory["loss"]]


@verify("one_update")
def _(config, result, fact):
    _, fwd = _step(config, result, config.learning_rate)
    assert fact.values["before"] == result.forward.loss
    assert math.isclose(fact.values["after"], fwd.loss, rel_tol=1e-12, abs_tol=1e-300)
    # the two losses as the tooltips of updates 0 and 1 print them, apart when they differ
    texts = _loss_texts(result)
    # a loss of 0 is float64's (audit pass 51 e): "to 0 in float64."
    after = f"{texts[1]} in float64" if fact.values["after"] == 0 else texts[1]
    exact = _exact_fraction_residual(result.params, result.forward.x, config) == 0
    if exact:  # ŷ = y exactly: every gradient is 0 and L stays 0 exactly (audit pass 62 b)
        assert result.forward.y_hat == result.forward.y
        assert fact.text.endswith(
            f"L at {texts[0]} exactly: every gradient is 0, so no weight moves."
        )
    assert f"L from {texts[0]} to {after}." in fact.text or f"L at {texts[0]} " in fact.text
    assert (texts[0] == texts[1]) == (fact.values["before"] == fact.values["after"])


@verify("update_refused")
def _(config, result, fact):
    after, fwd = _step(config, result, config.learning_rate)
    with np.errstate(all="ignore"):
        weights = bp.to_vector(after)
    too_far = not np.all(np.isfinite(weights)) or np.max(np.abs(weights)) > bp.WEIGHT_LIMIT
    limit = bp.LOSS_LIMIT * max(1.0, result.forward.loss)
    assert too_far or not math.isfinite(fwd.loss) or fwd.loss > limit
    assert result.after_update == tuple(bp.to_vector(result.params))
    # "Lower the learning rate η" only where the sidebar can and its least η's update is made
    least = _least_rate_completes(config, result, 1)
    assert ("Lower the learning rate η." in fact.text) == (least and _can_lower_rate(config))


def _least_rate_completes(config, result, updates: int) -> bool:
    """Whether ``updates`` updates at the sidebar's least η (0.0001) stay within the limits."""
    from core.config import param_of

    least = param_of(bp.Config, "learning_rate").least
    assert least == 1e-4
    x = np.array([config.x1, config.x2])
    return (
        bp.descend(result.params, x, config.target, config.activation, least, updates)[2]
        == "completed"
    )


def _can_lower_rate(config) -> bool:
    return config.learning_rate > 1e-4


def _descend(config, result, lr):
    x = np.array([config.x1, config.x2])
    return bp.descend(result.params, x, config.target, config.activation, lr, config.n_updates)


@verify("n_updates_reach")
def _(config, result, fact):
    assert not result.diverged and result.n_done == config.n_updates
    # an independent loop: forward, backward, update, N times
    params, x = result.params, np.array([config.x1, config.x2])
    for _ in range(config.n_updates):
        fwd = bp.forward(params, x, config.target, config.activation)
        params = bp.gradient_step(
            params, bp.backward(params, fwd, config.activation).grads(), config.learning_rate
        )
    final = bp.forward(params, x, config.target, config.activation).loss
    assert math.isclose(fact.values["final"], final, rel_tol=1e-9, abs_tol=1e-300)
    # as the last tooltip; a loss of 0 is float64's (audit pass 51)
    zero = " in float64" if final == 0 else ""
    if final == 0 and _exact_fraction_residual(result.params, result.forward.x, config) == 0:
        zero = " exactly"  # ŷ = y exactly at the start, so no update moves a weight
    losses = result.trajectory["loss"].to_numpy()
    if (losses == losses[0]).all():  # no update changed it (audit pass 61 e)
        assert fact.text.endswith(f"L where it started, at {_loss_texts(result)[-1]}{zero}.")
    else:
        assert fact.text.endswith(f"L = {_loss_texts(result)[-1]}{zero}.")
    assert fact.values["unchanged"] == (losses == losses[0]).all()


def _diverged(config, result, fact):
    assert result.diverged and result.stopped_reason != "completed"
    # "the step is too long; lower the learning rate" only where the sidebar can lower η and its
    # least does not run away too (audit pass 52 h: weights two presses at η = 5 reached, where
    # η = 0.0001 was told "Lower the learning rate"); else Reset, where the buttons moved them
    lower = _can_lower_rate(config) and _least_rate_completes(config, result, config.n_updates)
    assert ("Lower the learning rate η." in fact.text) == lower
    # the loss chart's title advises what the warning does (audit pass 53 h)
    assert (bp.preview_remedy(config, result) == "lower the learning rate") == lower
    if not lower:
        assert ("press Reset" in fact.text) == (config.weights is not None)
    return result.trajectory["loss"].to_numpy()


@verify("diverged_rising")
def _(config, result, fact):
    losses = _diverged(config, result, fact)
    assert result.n_done >= 1 and np.all(np.diff(losses) > 0)
    # each step went along -gradient (a descent direction) and still ended higher
    assert np.all(np.isfinite(losses))
    # and the tooltips print every loss above the one before it, the sentence's ends as they do
    texts = _loss_texts(result)
    values = [Decimal(t.replace(",", "")) for t in texts]  # a whole loss prints "12,800"
    assert all(b > a for a, b in itertools.pairwise(values))
    assert f"({texts[0]} → {texts[-1]})" in fact.text


@verify("diverged_mixed")
def _(config, result, fact):
    losses = _diverged(config, result, fact)
    assert result.n_done >= 1 and not np.all(np.diff(losses) > 0)
    texts = _loss_texts(result)
    assert f"from {texts[0]} to {texts[-1]}," in fact.text
    assert (texts[0] == texts[-1]) == (losses[0] == losses[-1])


@verify("diverged_at_once")
def _(config, result, fact):
    _diverged(config, result, fact)
    assert result.n_done == 0


test_every_claim_has_a_verifier = verify.every_claim_has_a_verifier
test_presets_show_what_they_say = verify.presets_show_what_they_say
test_every_claim_is_witnessed = verify.every_claim_is_witnessed


def test_preset_hints_hold_at_their_settings():
    saturated = bp.run(bp.PRESETS["Saturated sigmoid"].config)
    assert np.sum(saturated.backward.f_prime < 1e-4) == 2  # "two hidden units ... below 1e-4"
    dead = bp.run(bp.PRESETS["Dead ReLU units"].config)
    assert np.sum(dead.forward.z < 0) == 2  # "two hidden units have z < 0"
    step = bp.run(bp.PRESETS["Step too large"].config)
    assert step.diverged and np.all(np.diff(step.trajectory["loss"]) > 0)


def test_the_page_bar_is_the_verdicts_bar():
    """The text's bar and the verdict's threshold are one constant."""
    result = bp.run(bp.PRESETS["Saturated sigmoid"].config)
    fact = next(
        f
        for f in bp.facts(bp.PRESETS["Saturated sigmoid"].config, result)
        if f.claim == "gradients_agree"
    )
    assert f"bar of {bp.AGREE_BELOW:g}" in fact.text
    agree = result.check[result.check["verdict"] == "agree"]
    assert (agree["rel_error"] < bp.AGREE_BELOW).all()


@st.composite
def _stepped(draw):
    """A Config from the whole settings space, at weights 0-2 'Run N updates' presses reached."""
    config = draw(configs(bp.Config))
    presses = draw(st.integers(0, 2))
    return _trained(config, presses) if presses else config


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(_stepped())
def test_every_fact_holds_at_any_setting(config):
    verify.check(config)


def test_float64_sigmoid_prime_named_where_it_keeps_few_digits():
    """z1 = 36.66: σ′ = 1.2e-16, but float64's a(1 − a) = 2.22e-16 is what backprop multiplies by
    (audit 26f): the sentence says so instead of "carries that factor"."""
    config = bp.Config(x1=5.0, x2=5.0, activation="sigmoid", seed=38, weight_scale=5.0)
    texts = {f.claim: f.text for f in bc.facts(config, bp.run(config))}
    for key in ("local_derivatives", "saturated_units"):
        assert "float64's a(1 − a) = 2.22e-16 for unit 1 instead" in texts[key]


def test_the_check_caption_states_the_verdicts_rule():
    """Audit pass 40 (f): the caption said a row agrees "when the two differ by no more than the
    check's own round-off or truncation error (estimated from a second step 2h)", while the
    verdict admits up to the round-off bound plus twice the truncation estimate. Witness: the
    defaults with 100 updates, 'Run N updates' pressed twice: W1[1,1] differs by 2.75515e-13,
    more than its round-off bound (4.5e-15) and more than its truncation estimate (2.75473e-13),
    and is "agree within truncation error". The caption now states the verdict's rule."""
    config = _trained(bp.Config(n_updates=100), presses=2)
    check = bp.run(config).check
    rows = check[check["verdict"] == "agree within truncation error"]
    beyond = rows[(rows["abs_error"] > rows["roundoff"]) & (rows["abs_error"] > rows["truncation"])]
    assert len(beyond), rows  # the witness: off by more than either estimate alone
    assert (rows["abs_error"] <= rows["roundoff"] + bp.TRUNCATION_FACTOR * rows["truncation"]).all()
    caption = bp.check_caption()
    assert bp.TRUNCATION_FACTOR == 2 and "that bound plus twice its truncation error" in caption
    assert f"below {bp.AGREE_BELOW:g}" in caption and f"h = {bp.CHECK_STEP:g}" in caption


def test_at_the_kink_the_central_difference_is_the_slopes_average_only_up_to_o_h():
    """Audit pass 45 (g): at x = (0, 0), y = 0, ReLU (seed 0) every unit sits on its kink and
    ŷ = y, so both one-sided slopes of L in b1[j], (ŷ − y)·W2_j and 0, are 0; the central
    difference is W2_j²·h/4 (2.1e-06 for b1[1]), relative error 1, beside "the central difference
    for b1[1], b1[2] and b1[3] averages the two one-sided slopes". It does so only up to an O(h)
    term, which is all it measures here."""
    config = bp.Config(x1=0.0, x2=0.0, target=0.0, activation="relu")
    result = bp.run(config)
    w2, delta, h = result.params["W2"][:, 0], result.forward.y_hat - result.forward.y, bp.CHECK_STEP
    rows = result.check.set_index("weight").loc[["b1[1]", "b1[2]", "b1[3]"]]
    average = (delta * w2 + 0.0) / 2  # (right slope + left slope 0) / 2
    central = rows["central_difference"].to_numpy()
    # the witness: the central difference is not the slopes' average (0), but it plus W2²·h/4
    assert np.all(np.abs(central - average) > 1e3 * rows["roundoff"].to_numpy())
    np.testing.assert_allclose(central, average + w2**2 * h / 4, rtol=1e-6)
    (text,) = [f.text for f in bc.facts(config, result) if f.claim == "kink_at_zero"]
    assert "averages the two one-sided slopes only up to an O(h) term" in text, text
    assert "here ŷ = y, so both slopes are 0 and that term is all it measures" in text, text


def test_the_check_caption_names_the_rows_it_does_not_check():
    """Audit pass 45 (g): the caption said "a row agrees below 1e-06", but the kink verdict comes
    first: at x = (0, 0), y = 0, ReLU, seed 474, scale 0.1 every unit sits on its kink and b1[1]'s
    relative error is 8.9e-08, marked "kink (not checkable)" beside that caption. Every row below
    the bar that does not agree has its verdict named in the caption, and the bar is stated for
    the other rows only."""
    from core import gradcheck as gc

    config = bp.Config(x1=0.0, x2=0.0, target=0.0, activation="relu", seed=474, weight_scale=0.1)
    check = bp.run(config).check
    below = check[(check["rel_error"] < bp.AGREE_BELOW) & (check["verdict"] != gc.AGREE)]
    assert len(below), check  # the witness: b1[1]
    caption = bp.check_caption()
    for verdict in set(below["verdict"]):
        assert f"“{verdict}”" in caption, caption
    assert f"Any other row agrees below {bp.AGREE_BELOW:g}" in caption, caption


@pytest.mark.parametrize(
    "config",
    [bp.Config(), bp.PRESETS["Step too large"].config, bp.Config(learning_rate=5.0, x1=5.0)],
)
def test_the_run_label_counts_the_updates_a_press_makes(config):
    """Audit pass 40 (f): "Run 50 updates" at the preset "Step too large", which makes 9."""
    result = bp.run(config)
    label = bp.run_label(config, result)
    assert label.startswith(f"Run {result.n_done} update"), label
    assert ("would run away" in label) == result.diverged


# ---- audit pass 41: one quantity printed at several digits reads as one rounding -------------------
def _one_rounding(texts) -> bool:
    """Every two printings of one quantity agree: the coarser is what a reader gets by rounding the
    finer (halves up), so no finer text ends in a 5 that rounding up made (0.002635 for 0.0026349
    reads as 0.00264 beside a sentence's 0.00263)."""
    from decimal import ROUND_HALF_UP

    # a whole loss prints with thousands separators in the sentences ("819,200")
    shown = [Decimal(t.replace("−", "-").replace(",", "").strip("()")) for t in texts]
    for a, b in itertools.combinations(shown, 2):
        fine, coarse = (a, b) if a.as_tuple().exponent <= b.as_tuple().exponent else (b, a)
        step = Decimal(1).scaleb(coarse.as_tuple().exponent)
        if fine.quantize(step, ROUND_HALF_UP) != coarse:
            return False
    return True


def _printings(config) -> dict[str, list[str]]:
    """Each quantity the backprop page prints in more than one place, with every text of it: the
    sentences, the 'Loss now' metric, the forward and backward tables, the derivative chart's
    and the gradient bars' tooltips and the check table (ui.lesson.gradient_check's rule)."""
    import re

    from core.facts import num
    from ui.charts import backprop as charts

    r = bp.run(config)
    fwd, bwd, act = r.forward, r.backward, config.activation
    facts = {f.claim: f.text for f in bp.facts(config, r)}
    forward = charts.forward_value_texts(charts.forward_table(r.params, fwd, act), fwd)
    table = charts.backward_table(r.params, fwd, bwd, act).set_index("quantity")
    backward, notes = table["value"], table["numbers"]
    tips = charts._unit_texts(r.hidden_units, act)
    out = {"loss": [bp.loss_text(fwd.loss, bp.loss_digits(r)), forward[-1]]}
    delta = re.search(r"ŷ − y = (\S+?)\. An", facts["layer_answer"])
    if delta:
        out["ŷ − y"] = [delta.group(1), charts.value_text(bwd.dL_dyhat)]
    local = facts["local_derivatives"]
    saturated = facts.get("saturated_units", "")
    for j in range(bp.N_HIDDEN):
        out[f"z{j + 1}"] = [forward[j], tips["z_text"][j]]
        sentence = re.search(rf"unit {j + 1}: ([-+0-9.e]+)", local)
        if act == "sigmoid" and sentence and sigmoid_prime_ok(sentence.group(1)):
            out[f"f′(z{j + 1})"] = [sentence.group(1), tips["derivative_text"][j]]
            # the table's value is float64's a(1 − a), σ′ itself only where its row does not say
            # otherwise (near a = 1 it keeps few digits: 4.234546e-11 for σ′(23.885) =
            # 4.234556e-11, the row naming σ′ itself beside it)
            own = re.search(r"σ′\(z\d\) itself is (\S+)$", notes[f"f′(z{j + 1})"])
            if own:
                out[f"f′(z{j + 1})"].append(own.group(1))
            elif bwd.f_prime[j] > 0:
                out[f"f′(z{j + 1})"].append(charts.value_text(backward[f"f′(z{j + 1})"]))
    for z_text in re.findall(r"at z = ([-+0-9.e]+)", saturated):
        j = int(np.argmin(np.abs(fwd.z - float(z_text))))
        out[f"z{j + 1}"].append(z_text)
    bars = charts.gradient_bars(r.check)
    data = (
        bars.data if isinstance(getattr(bars, "data", None), type(r.check)) else bars.layer[0].data
    )
    for w, e, verdict, tip in zip(
        r.check["weight"],
        r.check["rel_error"],
        r.check["verdict"],
        data["rel_error_text"],
        strict=True,
    ):
        if verdict != "agree":
            out[f"relative error of {w}"] = [num(e, 2), tip]
    return out


def sigmoid_prime_ok(text: str) -> bool:
    return not text.startswith("under")


@pytest.mark.parametrize(
    ("config", "quantity"),
    [
        # the sentence's σ′ 0.00263 beside the derivative chart's tooltip 0.002635 (0.0026349…)
        (bp.Config(x1=3.6, x2=3.6, target=4.7, seed=829, weight_scale=1.3), "f′(z"),
        # σ′(z2) = 4.234556e-11 printed 4.23e-11 and 4.2346e-11 beside the backward table's
        # float64 a(1 − a) = 4.234546e-11, whose row names σ′ itself (a local property run: this
        # test read the row's value as σ′)
        (
            bp.Config(
                x1=-5,
                x2=-5,
                target=-5,
                seed=3667013,
                weight_scale=3.8825750680885993,
                learning_rate=0.0001,
                n_updates=1,
            ),
            "f′(z2)",
        ),
        # the 'Loss now' metric's 197.8 beside the forward table's L = 197.85 (197.8499…)
        (
            bp.Config(x1=4.1, x2=0.4, target=-2.1, activation="relu", seed=784, weight_scale=3.8),
            "loss",
        ),
        # the answer's ŷ − y = 60.953 beside the backward table's ∂L/∂ŷ = 60.9535
        (
            bp.Config(x1=-0.3, x2=-3.6, target=-3.0, activation="relu", seed=600, weight_scale=3.2),
            "ŷ − y",
        ),
        # the saturation sentence's z = -15.453 beside the table's and tooltip's -15.4535
        (bp.Config(x1=-2.9, x2=1.9, target=4.8, seed=599, weight_scale=4.9), "z"),
        # a ReLU unit's tooltip z = 8.9025 beside the forward table's 8.902 (8.90249…)
        (
            bp.Config(x1=1.1, x2=-4.6, target=2.2, activation="relu", seed=564, weight_scale=4.4),
            "z",
        ),
        # the gradient bars' tooltip relative error 0.000695 beside the check table's 0.00069
        (bp.Config(x1=3.6, x2=-1.0, target=2.3, seed=478, weight_scale=4.6), "relative error"),
    ],
)
def test_every_printing_of_a_quantity_reads_as_one_rounding(config, quantity):
    """Audit pass 41: each of these printed one quantity twice at different digits, the longer
    ending in a 5 that rounding up made, so a reader's rounding of it contradicted the shorter."""
    printings = _printings(config)
    witnessed = {k: v for k, v in printings.items() if k.startswith(quantity)}
    assert witnessed
    for name, texts in witnessed.items():
        assert _one_rounding(texts), (name, texts)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(_stepped())
def test_every_printing_reads_as_one_rounding_at_any_setting(config):
    for name, texts in _printings(config).items():
        assert _one_rounding(texts), (name, texts)


# ---- audit pass 42 ---------------------------------------------------------------------------


def _facts_at(config):
    return {f.claim: f for f in bp.facts(config, bp.run(config))}


def test_a_relu_derivative_on_the_kink_is_named_a_convention_in_every_sentence():
    """Audit pass 42: at x = (0, 0) every ReLU unit sits exactly on its kink (z = 0, b1 = 0),
    where relu has no derivative. The answer's "relu′ = 0 (none for the hidden weights)" and
    local_derivatives' "f′(z) are unit 1: 0, unit 2: 0, unit 3: 0" gave backprop's convention
    as the derivative; dead_units already named it."""
    config = bp.Config(activation="relu", x1=0.0, x2=0.0)
    result = bp.run(config)
    assert np.all(result.forward.z == 0)
    facts = _facts_at(config)
    for key in ("layer_answer", "local_derivatives", "dead_units"):
        assert "relu′ = 0" in facts[key].text or "unit 1: 0" in facts[key].text
        assert "convention relu′(0) = 0" in facts[key].text, key


def test_a_resolved_gradient_is_not_called_too_small_to_resolve():
    """Audit pass 42: W1[1,1]'s gradient 3.78e-4 and its central difference agree to a relative
    1.2e-6 (missing the 1e-6 bar by round-off), while b1[1]'s smaller 9.9e-5 agrees below it;
    the sentence called W1[1,1] "too small for central differences to resolve"."""
    config = bp.Config(
        x1=3.8,
        x2=2.9,
        target=1.9,
        activation="sigmoid",
        seed=37,
        weight_scale=4.1,
        learning_rate=0.02,
        n_updates=1000,
    )
    result = bp.run(config)
    fact = _facts_at(config)["roundoff_rows"]
    rows = result.check.set_index("weight").loc[list(fact.values["weights"])]
    resolved = (
        np.maximum(rows["backprop"].abs(), rows["central_difference"].abs()) > rows["roundoff"]
    )
    assert resolved.any()
    assert "too small" not in fact.text
    assert "only by round-off" in fact.text


def test_the_backward_table_names_sigma_prime_where_float64_keeps_other_digits():
    """Audit pass 42 (found by the property run): z3 = 26.66, where float64's a(1 − a) =
    2.635003e-12 and σ′(z3) = 2.634952e-12. The backward table's f′(z3) row printed 2.635e-12
    with no note (its check compared num's "2.635e-12", trailing zeros dropped, at 4 digits),
    beside the sentences' σ′ = 2.63e-12, which 2.635e-12 contradicts (a reader rounds it to
    2.64e-12)."""
    config = bp.Config(
        x1=0.0,
        x2=-5.0,
        target=-5.0,
        activation="sigmoid",
        seed=10018,
        weight_scale=5.0,
        learning_rate=0.0001,
        n_updates=1,
    )
    for name, texts in _printings(config).items():
        assert _one_rounding(texts), (name, texts)


# ---- audit pass 44 (h): updates numbered as the page counts them ----------------------------------
def _after_page_updates(config, k: int):
    """The Config at the weights the page's update button reaches after ``k`` presses."""
    import dataclasses

    for _ in range(k):
        result = bp.run(config)
        assert math.isfinite(result.loss_after_update)  # the button is enabled
        config = dataclasses.replace(config, weights=result.after_update)
    return config


@pytest.mark.parametrize("made", [0, 1, 9, 18])
def test_the_updates_named_are_numbered_after_those_made(made):
    """Audit pass 44 (h): at the preset "Step too large" after 18 presses of the update button
    ("Updates made" 18), the page said "update 1 would move a weight past 1,000,000, so no update
    was made"; after 9, "then update 10 would move a weight" of the run from update 10 on (the
    loss chart draws update 10 as made). Every update a sentence or the run button names is
    numbered after the ``made`` ones, and none says no update was made when some were."""
    import re

    config = _after_page_updates(bp.PRESETS["Step too large"].config, made)
    result = bp.run(config)
    assert result.diverged
    facts = bp.facts(config, result, updates_made=made)
    label = bp.run_label(config, result, updates_made=made)
    texts = [f.text for f in facts if f.claim.startswith(("diverged", "update_refused"))]
    assert texts
    refused = made + result.n_done + 1  # the update the run stops before, as the chart counts
    for text in [*texts, label]:
        named = [int(n) for n in re.findall(r"update (\d+) would", text)]
        assert named == [refused] * len(named) and named, text
        # the updates the run made (not "the loss at update 9", where it starts)
        spans = re.findall(r"(?<!at )updates? (\d+)\b(?: to (\d+))?(?! would)", text)
        assert all(int(n) == made for n in re.findall(r"the loss at update (\d+)", text)), text
        for first, last in spans:
            assert int(first) > made and int(last or first) < refused, text
        if made:
            assert "no update was made" not in text, text
            # the limit is the run's own start, the loss after the updates made
            assert "the starting loss" not in text, text


def test_the_page_passes_the_updates_made_to_its_sentences():
    """The page hands its "Updates made" to the sentences and the run button (audit pass 44 h)."""
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "app_pages" / "backpropagation.py"
    source = page.read_text()
    assert 'bp.facts(config, result, updates_made=state["step"])' in source
    assert 'bp.run_label(config, result, updates_made=state["step"])' in source


def test_a_forgotten_relu_prime_is_not_said_to_fail_where_every_unit_is_active():
    """Audit pass 50 b: ReLU, seed 0 (every z > 0): a backprop that forgets relu′(z) = 1 agrees
    with central differences to 1.8e-11, beside "A wrong formula, such as a forgotten f′(z),
    typically gives above 0.01"."""
    config = bp.Config(activation="relu", seed=0)
    result = bp.run(config)
    assert np.all(result.forward.z > 0)
    assert _forgotten_f_prime_error(config, result) < bp.AGREE_BELOW
    (fact,) = [f for f in bp.facts(config, result) if f.claim == "gradients_agree"]
    assert "such as a forgotten" not in fact.text and "would do so here" not in fact.text
    assert "no hidden unit has z < 0" in fact.text
    # with sigmoid the forgotten σ′ (at most 1/4) is caught
    config = bp.Config(activation="sigmoid", seed=0)
    result = bp.run(config)
    assert _forgotten_f_prime_error(config, result) > bp.BUG_LEVEL


def _exact_fraction_residual(params, x, config):
    """ŷ − y in exact rational arithmetic (ReLU; with sigmoid only where every unit with a
    non-zero output weight has z = 0), else None."""
    from fractions import Fraction

    W1, b1, W2 = params["W1"], params["b1"], params["W2"][:, 0]
    total = Fraction(float(params["b2"][0])) - Fraction(float(config.target))
    for j in range(bp.N_HIDDEN):
        z = Fraction(float(b1[j])) + sum(
            Fraction(float(x[i])) * Fraction(float(W1[i, j])) for i in range(bp.N_INPUTS)
        )
        if config.activation == "relu":
            total += max(z, Fraction(0)) * Fraction(float(W2[j]))
        elif W2[j] != 0:
            if z != 0:
                return None
            total += Fraction(float(W2[j])) / 2
    return total


def test_an_exact_fit_is_called_exact():
    """Audit pass 59 h: ReLU, x = (0, 0), y = 0 (?act=relu&x1=0&x2=0&y=0): every z is 0 and
    ŷ = 0·W2 + b2 = 0 exactly, yet the answer said "ŷ − y computes to 0 in float64 (ŷ equals y
    to float64's precision, not necessarily exactly)". The exact residual is 0: said so."""
    config = bp.Config(activation="relu", x1=0.0, x2=0.0, target=0.0)
    result = bp.run(config)
    assert _exact_fraction_residual(result.params, result.forward.x, config) == 0
    answer = {f.claim: f for f in bp.facts(config, result)}["layer_answer"].text
    assert "not necessarily exactly" not in answer
    assert "ŷ = y exactly" in answer


def _exact_y_hat(params, x, activation):
    """ŷ of float64 weights and inputs in 60-digit decimal arithmetic (exp correctly rounded)."""
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 60
        W1, b1, W2 = params["W1"], params["b1"], params["W2"][:, 0]
        y_hat = Decimal(float(params["b2"][0]))
        for j in range(bp.N_HIDDEN):
            z = sum(Decimal(float(x[i])) * Decimal(float(W1[i, j])) for i in range(bp.N_INPUTS))
            z += Decimal(float(b1[j]))
            a = max(z, Decimal(0)) if activation == "relu" else 1 / (1 + (-z).exp())
            y_hat += a * Decimal(float(W2[j]))
        return y_hat


@pytest.mark.parametrize("presses_to", [12, 13])
def test_float64_zero_is_not_called_exact(presses_to):
    """Audit pass 51: sigmoid, seed 1, η = 0.5, after 13 updates float64's ŷ equals y, while the
    exact ŷ of those weights is y − 9.1e-17 (exact loss 4.2e-33, output-layer gradients 7.7× the
    hidden layer's). The page said "ŷ = y exactly, so ∂L/∂ŷ = 0 and every gradient is 0: neither
    layer's is larger" and "13 updates with η = 0.5 reach L = 0." (after 12: "One update moves L
    from 9.861e-32 to 0."). A 0 that is float64's is said to be float64's."""
    config = bp.Config(activation="sigmoid", seed=1, learning_rate=0.5, n_updates=presses_to)
    config = dataclasses.replace(config, weights=bp.run(config).after_n)
    result = bp.run(config)
    x = np.array([config.x1, config.x2])
    end = bp.from_vector(result.after_update)
    # the witness: float64 fits exactly after update 13, the exact arithmetic does not
    assert bp.forward(end, x, config.target, "sigmoid").loss == 0
    assert _exact_y_hat(end, x, "sigmoid") != Decimal(config.target)
    facts = {f.claim: f for f in bp.facts(config, result, updates_made=presses_to)}
    if presses_to == 13:
        assert result.forward.loss == 0
        assert _exact_y_hat(result.params, x, "sigmoid") != Decimal(config.target)
        answer = facts["layer_answer"].text
        assert "exactly" not in answer.replace("not necessarily exactly", "")
        assert "in float64" in answer
        # L was 0 before these updates and stays there: not "reach" (audit pass 61 e)
        assert facts["n_updates_reach"].text.endswith("L where it started, at 0 in float64.")
        assert "ŷ − y = 0 in float64" in facts["truncation_rows"].text
    else:
        assert facts["one_update"].text.endswith(" to 0 in float64.")
    for fact in facts.values():
        assert not re.search(r"L = 0\.|to 0\.|ŷ = y exactly", fact.text), fact.text


def _pressed_at_least_rate():
    """Audit pass 52 h: sigmoid, seed 1, x = (5, 5), y = 5, η = 5; two presses of "Run N
    updates" (2 updates, then 3) reach output weights of 2e5; the learner lowers η to the
    slider's least, 0.0001."""
    config = bp.Config(activation="sigmoid", seed=1, x1=5.0, x2=5.0, target=5.0, learning_rate=5.0)
    made = 0
    for _ in range(2):
        result = bp.run(config)
        made += result.n_done
        config = dataclasses.replace(config, weights=result.after_n)
    return dataclasses.replace(config, learning_rate=1e-4), made


def test_lower_the_learning_rate_is_not_said_where_the_least_rate_runs_away_too():
    """Audit pass 52 h: at the witness the update and the run said "Lower the learning rate η"
    at η = 0.0001, the slider's least, whose first update still moves a weight past 1,000,000."""
    config, made = _pressed_at_least_rate()
    result = bp.run(config)
    assert not _least_rate_completes(config, result, 1)  # the least η's update runs away too
    facts = {f.claim: f for f in bp.facts(config, result, updates_made=made)}
    for claim in ("update_refused", "diverged_at_once"):
        text = facts[claim].text
        assert "Lower the learning rate" not in text, text
        assert "press Reset" in text, text
    # one notch above the least, the least η still runs away: no "lower" either
    config = dataclasses.replace(config, learning_rate=1.5e-4)
    result = bp.run(config)
    assert result.n_done == 0
    for fact in bp.facts(config, result, updates_made=made):
        assert "Lower the learning rate" not in fact.text, fact.text


def test_the_loss_charts_title_does_not_advise_a_lower_rate_the_warning_does_not():
    """Audit pass 53 h: at pass 52 h's witness (two presses at η = 5, then η = 0.0001, the
    slider's least) the loss chart was titled "(the preview diverged: lower the learning rate)"
    beside the warning "η = 0.0001 is already the least learning rate the page offers"; at
    η = 0.00015 lowering η cannot help either (0.0001 runs away too)."""
    from ui.charts import backprop as bpc

    config, made = _pressed_at_least_rate()
    for rate in (1e-4, 1.5e-4):
        config = dataclasses.replace(config, learning_rate=rate)
        result = bp.run(config)
        assert result.diverged
        warnings = [f.text for f in bp.facts(config, result, updates_made=made)]
        assert not any("Lower the learning rate" in t for t in warnings)
        chart = bpc.loss_curve(
            result.trajectory.iloc[:0],
            result.trajectory,
            diverged=True,
            remedy=bp.preview_remedy(config, result),
        )
        title = title_text(chart.to_dict())
        assert "diverged" in title and "lower the learning rate" not in title, title
    # where lowering helps (preset "Step too large", η = 3), the title says so, as the warning
    step = bp.PRESETS["Step too large"].config
    result = bp.run(step)
    assert bp.preview_remedy(step, result) == "lower the learning rate"
    assert any("Lower the learning rate η." in f.text for f in bp.facts(step, result))


def test_a_forgotten_relu_prime_on_the_kink_is_not_said_to_change_nothing():
    """x = (0, 0), y = 1, ReLU, seed 0: every unit sits on the kink z = 0, where backprop's
    relu′(0) = 0 is a convention; the check said a forgotten f′ "changes nothing" because "no
    hidden unit has z < 0 … on an active unit relu′ = 1", where dropping it turns b1's gradients
    from 0 into −0.46, 0.33 and −0.25, rows the check leaves out as kink rows (audit pass 55 d)."""
    config = bp.Config(activation="relu", x1=0.0, x2=0.0, target=1.0, seed=0)
    result = bp.run(config)
    assert np.all(result.forward.z == 0)
    wrong = bc.forgotten_f_prime(result)
    assert np.count_nonzero(wrong[6:9]) == 3 and not np.any(result.check["backprop"][6:9])
    (fact,) = [f for f in bp.facts(config, result) if f.claim == "gradients_agree"]
    assert "hidden units 1, 2 and 3 sit on the kink z = 0" in fact.text
    assert "would change the gradients of b1[1], b1[2] and b1[3]" in fact.text


def test_a_forgotten_relu_prime_names_no_active_unit_where_none_is():
    """x = (0, 0), y = 1, ReLU, seed 0: every unit sits on the kink, none is active, yet the check
    said "on an active unit relu′ = 1, so dropping it changes nothing there" (audit pass 56 h)."""
    config = bp.Config(activation="relu", x1=0.0, x2=0.0, target=1.0, seed=0)
    result = bp.run(config)
    assert not np.any(result.forward.z > 0)
    (fact,) = [f for f in bp.facts(config, result) if f.claim == "gradients_agree"]
    assert "on an active unit" not in fact.text
    assert "changes nothing" not in fact.text
    assert "none is active (z > 0, where relu′ = 1)" in fact.text


def test_a_sigmoid_rounded_to_1_is_named_beside_between_0_and_1():
    """x = (−5, −5), sigmoid, seed 3, scale 5: unit 2's z = 47.6, so float64's a = σ(z) is 1 and
    the forward table prints "1", beside the answer's "a_j is between 0 and 1" (audit pass 56 h)."""
    config = bp.Config(activation="sigmoid", x1=-5.0, x2=-5.0, seed=3, weight_scale=5.0)
    result = bp.run(config)
    assert result.forward.a[1] == 1.0
    (fact,) = [f for f in bp.facts(config, result) if f.claim == "layer_answer"]
    assert "is between 0 and 1 (strictly; float64 rounds unit 2's to exactly 1)" in fact.text


def test_a_loss_no_update_changed_is_left_where_it_started_not_reached():
    """Audit pass 61 e (noticed): at ?x1=0&x2=0&y=0&act=relu L is 0 before any update and the
    page said "50 updates with η = 0.05 reach L = 0 in float64", as if the updates had."""
    config = bp.Config(activation="relu", x1=0.0, x2=0.0, target=0.0)
    result = bp.run(config)
    assert (result.trajectory["loss"] == result.trajectory["loss"].iloc[0]).all()
    (fact,) = [f for f in verify.check(config) if f.claim == "n_updates_reach"]
    assert "where it started" in fact.text and "reach" not in fact.text, fact.text


def test_an_exact_fit_left_unchanged_is_not_hedged_in_float64():
    """Audit pass 62 b: at ?x1=0&x2=0&y=0&act=relu the answer says "ŷ = y exactly" while the
    update sentences said "One update with η = 0.05 leaves L at 0 (unchanged in float64)" and
    "50 updates ... leave L where it started, at 0 in float64": L is 0 exactly, every gradient is
    exactly 0 and no weight moves."""
    config = bp.Config(activation="relu", x1=0.0, x2=0.0, target=0.0)
    result = bp.run(config)
    assert _exact_fraction_residual(result.params, result.forward.x, config) == 0
    facts = {f.claim: f for f in verify.check(config)}
    assert facts["one_update"].text == (
        "One update with η = 0.05 leaves L at 0 exactly: every gradient is 0, so no weight moves."
    )
    assert facts["n_updates_reach"].text.endswith("L where it started, at 0 exactly.")
    for fact in facts.values():
        assert "in float64" not in fact.text.replace("(float64, h", ""), fact.text


def test_the_layer_answers_two_means_print_at_one_precision():
    """Audit pass 63 (e): at ?x1=0.1&x2=0&y=0&act=sigmoid&seed=474&scale=5&lr=5&n=2 the answer
    read "Mean |∂L/∂W2| = 0.3 and mean |∂L/∂W1| = 0.00743": the two means compared, one at one
    significant digit (0.30004), the other at three. Both print at one digit count, zeros kept."""
    config = bp.Config(
        x1=0.1,
        x2=0.0,
        target=0.0,
        activation="sigmoid",
        seed=474,
        weight_scale=5.0,
        learning_rate=5.0,
        n_updates=2,
    )
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "layer_answer")
    shown = re.search(r"Mean \|∂L/∂W2\| = (\S+) and mean \|∂L/∂W1\| = (\S+)\.", fact.text)
    assert shown, fact.text
    w2, w1 = shown.groups()
    assert significant(w2) == significant(w1), fact.text


def test_the_one_updates_two_losses_print_at_one_precision():
    """Audit pass 63 (e): at ?x1=0.1&x2=5&y=1&act=sigmoid&seed=474&scale=0.1&lr=0.0001 the update
    sentence read "moves L from 0.493 to 0.4928": the loss before at three digits (0.49298), the
    one after at four. Every loss prints at loss_digits with trailing zeros kept."""
    config = bp.Config(
        x1=0.1,
        x2=5.0,
        target=1.0,
        activation="sigmoid",
        seed=474,
        weight_scale=0.1,
        learning_rate=0.0001,
        n_updates=2,
    )
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "one_update")
    shown = re.search(r"moves L from (\S+) to (\S+)\.", fact.text)
    assert shown, fact.text
    before, after = shown.groups()
    assert significant(before) == significant(after) == bc.loss_digits(result), fact.text


@pytest.mark.parametrize(
    "x1, x2, target, seed, scale",
    [(4.0, -4.7, -4.7, 554, 0.1), (-3.7, 3.5, 2.6, 261, 0.7)],
)
def test_the_local_derivatives_print_at_one_precision(x1, x2, target, seed, scale):
    """Audit pass 64 (c): at ?x1=4&x2=-4.7&y=-4.7&act=sigmoid&seed=554&scale=0.1 the sentence
    read "f′(z) are unit 1: 0.248, unit 2: 0.24, unit 3: 0.242" (unit 2's σ′ at two digits beside
    three), and at ?x1=-3.7&x2=3.5&y=2.6&seed=261&scale=0.7 "0.191, 0.1, 0.249999998". The three
    σ′ print at one digit count, zeros kept."""
    config = bp.Config(
        x1=x1, x2=x2, target=target, activation="sigmoid", seed=seed, weight_scale=scale
    )
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "local_derivatives")
    shown = re.findall(r"unit \d: (\S+?)[,:]", fact.text)
    assert len(shown) == 3, fact.text
    assert len({significant(v) for v in shown}) == 1, fact.text


def test_the_saturated_units_derivatives_print_at_one_precision():
    """Audit pass 64 (c): at ?x1=3&x2=3.6&y=0.1&act=sigmoid&seed=380&scale=3.6 the flat-tails
    sentence read "σ′ = 2.19e-05 at z = 10.73 and 0.00058 at z = −7.45": unit 2's σ′ = 0.000580
    at two digits beside three."""
    config = bp.Config(x1=3.0, x2=3.6, target=0.1, activation="sigmoid", seed=380, weight_scale=3.6)
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "saturated_units")
    shown = re.findall(r"([0-9.e−-]+) at z = ", fact.text)
    assert len(shown) == 2, fact.text
    assert len({significant(v) for v in shown}) == 1, fact.text


@pytest.mark.parametrize(
    "x1, x2, target, activation, seed, scale, rate",
    [(-4.2, 2.4, -2.8, "relu", 277, 1.2, 0.0001), (2.0, 2.0, -1.7, "sigmoid", 730, 3.3, 5.0)],
)
def test_the_one_updates_losses_print_at_one_precision_where_num_adds_digits(
    x1, x2, target, activation, seed, scale, rate
):
    """Audit pass 64 (c): at ?x1=-4.2&x2=2.4&y=-2.8&act=relu&seed=277&scale=1.2&lr=0.0001 the
    sentence read "moves L from 16.6495 to 16.50" (num printed the loss before at six digits
    rather than end in a 5 its rounding made, the one after at loss_digits' four), and at
    ?x1=2&x2=2&y=-1.7&act=sigmoid&seed=730&scale=3.3&lr=5 "from 18.54 to 2418.4". loss_digits
    rises to the most digits a compared loss prints with."""
    config = bp.Config(
        x1=x1, x2=x2, target=target, activation=activation, seed=seed, weight_scale=scale,
        learning_rate=rate, n_updates=1,
    )  # fmt: skip
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "one_update")
    shown = re.search(r"moves L from (\S+) to (\S+)\.", fact.text)
    assert shown, fact.text
    before, after = shown.groups()
    assert significant(before) == significant(after) == bc.loss_digits(result), fact.text


def test_an_exact_whole_loss_prints_at_the_other_losses_digits():
    """Audit pass 65 (c): at ?x1=0&x2=0&y=2&act=relu&lr=0.05 the update sentence read "moves L
    from 2 to 1.805": an exact loss of 2 at one significant digit beside four (an exact 0.5
    printed "0.5000" in the same sentence at y=1). Every nonzero loss prints at loss_digits with
    zeros kept, whole or not."""
    config = bp.Config(
        x1=0.0, x2=0.0, target=2.0, activation="relu", learning_rate=0.05, n_updates=1
    )
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "one_update")
    shown = re.search(r"moves L from (\S+) to (\S+)\.", fact.text)
    assert shown, fact.text
    before, after = shown.groups()
    assert before == "2.000", fact.text
    assert significant(before) == significant(after) == bc.loss_digits(result), fact.text
    assert bc.loss_text(2.0, 4) == "2.000" and bc.loss_text(0.0, 4) == "0"


def test_the_round_off_sentence_prints_its_two_bounds_at_one_precision():
    """Audit pass 65 (c): at x = (5, 0), y = −5, sigmoid, seed 561, scale 5, η = 1 the round-off
    sentence read "differ by at most 3e-14, within a generous bound … (up to 1.9e-07": a bound
    at one significant digit beside one at two (core.facts.up drops the trailing zero of 3.0).
    Both print at 2 significant digits with zeros kept."""
    config = bp.Config(
        x1=5.0, x2=0.0, target=-5.0, activation="sigmoid", seed=561, weight_scale=5.0,
        learning_rate=1.0, n_updates=1,
    )  # fmt: skip
    fact = _facts_at(config)["roundoff_rows"]
    said = re.search(r"at most (\S+), within .*?\(up to (\S+):", fact.text)
    assert said, fact.text
    assert said.groups() == ("3.0e-14", "1.9e-07"), fact.text


def test_the_answers_two_factors_print_at_one_count_of_digits():
    """Audit pass 69 b: at x = (3.6, −3.8), y = −1.7, ReLU, seed 519, scale 4.2 the answer compared
    "mean |a_j| = 7.88" (7.880 at 4 digits, its zero dropped) with "= 10.03"; at x = (−3.2, 0.8),
    y = 3.6, seed 33 "0.482" with "1.227". Both factors at one count of digits, zeros kept."""
    for x1, x2, y, seed, pair in (
        (3.6, -3.8, -1.7, 519, ("7.880", "10.03")),
        (-3.2, 0.8, 3.6, 33, ("0.4820", "1.227")),
    ):
        config = bp.Config(
            x1=x1, x2=x2, target=y, activation="relu", seed=seed, weight_scale=4.2, n_updates=1
        )
        result = bp.run(config)
        (fact,) = [f for f in bp.facts(config, result) if f.claim == "layer_answer"]
        shown = re.search(r"mean \|a_j\| = (\S+)\) .*?x_i\| = (\S+)\)\.", fact.text).groups()
        assert shown == pair, fact.text


def test_the_saturated_units_z_print_at_one_precision():
    """Audit pass 70 (f): at ?x1=4.6&x2=-4.9&y=2.8&seed=66&scale=3.9 the flat-tails sentence read
    "σ′ = 5.92e-09 at z = 18.945, 5.01e-05 at z = 9.90047 and 1.92e-06 at z = 13.164": unit 2's
    z at six digits beside its neighbours' five."""
    config = bp.Config(x1=4.6, x2=-4.9, target=2.8, activation="sigmoid", seed=66, weight_scale=3.9)
    result = bp.run(config)
    fact = next(f for f in bp.facts(config, result) if f.claim == "saturated_units")
    zs = re.findall(r"at z = ([0-9.e−-]+)", fact.text)
    assert len(zs) == 3, fact.text
    assert len({significant(z) for z in zs}) == 1, fact.text


def test_the_forward_tables_computed_operands_keep_their_zeros():
    """Audit pass 70 (f): at ?x1=4.6&x2=-4.9&y=2.8&seed=66&scale=3.9 the forward table's z1 row
    read "4.6·1.3345 + (−4.9)·(−2.613549) + 0": W1[1,1] = 1.3345001 printed without the zeros
    its row's digits keep, beside a weight at seven digits (and ŷ's row "·1.21628" beside
    "·1.383899"). The typed x and y print as typed, a bias of exactly 0 as 0."""
    from ui.charts import backprop as charts

    config = bp.Config(x1=4.6, x2=-4.9, target=2.8, activation="sigmoid", seed=66, weight_scale=3.9)
    r = bp.run(config)
    table = charts.forward_table(r.params, r.forward, config.activation)
    z1, y_hat = table["computation"][0], table["computation"][6]
    assert z1.startswith("4.6·1.33450 + (-4.9)·"), z1
    assert "·1.216280 + " in y_hat, y_hat
    assert table["computation"][7].endswith(" − 2.8)² / 2")
