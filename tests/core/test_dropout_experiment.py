"""The dropout lesson's experiment: the expectation of inverted dropout and the page's claims hold."""

import dataclasses
import math

import numpy as np
import pytest

from core import mlp
from core.experiments import dropout as do
from core.losses import LOSSES


@pytest.fixture(scope="module")
def runs():
    return {q: do.run(do.Config(keep_prob=q)) for q in (1.0, 0.5)}


@pytest.fixture(scope="module")
def trained():
    """A first layer to check masks on (the identity holds for any weights)."""
    return mlp.init_params((2, 64, 1), seed=4)


# ---- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("keep_prob", 0.0, "'keep_prob' must be in"),
        ("keep_prob", 1.5, "'keep_prob' must be in"),
        ("n_train", 5, "'n_train' must be in"),
        ("dataset", "mnist", "'dataset' must be one of"),
        ("learning_rate", -1.0, "'learning_rate' must be in"),
    ],
)
def test_bad_settings_raise_value_errors_that_name_the_control(field, value, fragment):
    with pytest.raises(ValueError, match=fragment):
        do.Config(**{field: value})


def test_work_budget_names_what_to_lower():
    with pytest.raises(ValueError, match="Lower 'Epochs', 'Hidden width', 'Training points' or"):
        do.Config(n_train=200, epochs=600, width=256)
    # the page trains one run per keep probability
    assert do.page_seconds(do.Config()) == pytest.approx(7 * do.estimated_seconds(do.Config()))


def test_keep_probability_is_one_minus_pytorchs_p():
    assert do.Config(keep_prob=0.8).dropout == pytest.approx(0.2)
    assert do.Config(keep_prob=1.0).dropout == 0.0
    assert [do.keep_key(q) for q in do.KEEP_PROBS] == list(do.KEEP_KEYS)


# ---- inverted dropout's expectation -----------------------------------------------------------------


@pytest.mark.parametrize("q", [0.2, 0.5, 0.8])
def test_masked_outputs_are_zero_or_a_over_q_and_average_to_a(trained, q):
    x = np.array([0.4, -0.3])
    a = do.first_layer_outputs(trained, x, dropout=0.0, draws=1, seed=0)[0]
    out = do.first_layer_outputs(trained, x, dropout=1 - q, draws=20_000, seed=1)
    assert out.shape == (20_000, a.size)
    on = a > 0
    kept = np.isclose(out[:, on], a[on] / q)
    assert np.all(kept | (out[:, on] == 0.0))
    assert kept.mean() == pytest.approx(q, abs=0.01)
    # the mean over masks equals the inference value within 5 standard errors, unit by unit
    se = a[on] * math.sqrt((1 - q) / q / len(out))
    assert np.all(np.abs(out[:, on].mean(axis=0) - a[on]) < 5 * se)


def test_one_unit_readout_matches_the_whole_layer(trained):
    x = np.array([0.1, 0.2])
    layer = do.first_layer_outputs(trained, x, dropout=0.5, draws=50, seed=7)
    unit = do.first_layer_outputs(trained, x, dropout=0.5, draws=50, seed=7, unit=3)
    np.testing.assert_array_equal(layer[:, 3], unit)


def test_double_scaling_halves_or_doubles_the_expected_activation(runs):
    run = runs[0.5]
    e = run.expectation.pivot(index="q", columns="rule", values="value")
    a = run.unit["activation"]
    assert a > 0
    np.testing.assert_allclose(e["×q again at inference"], e.index * a)
    np.testing.assert_allclose(e["÷q again at inference"], a / e.index)
    assert e.loc[0.5, "×q again at inference"] / a == pytest.approx(0.5)
    assert e.loc[0.5, "÷q again at inference"] / a == pytest.approx(2.0)
    # the measured training mean stays near a at every q (5 standard errors of CHECK_DRAWS masks)
    se = a * np.sqrt((1 - e.index) / e.index / do.CHECK_DRAWS)
    assert np.all(np.abs(e["training mean (measured)"] - a) <= 5 * se + 1e-12)


def test_mask_trace_converges_to_the_inference_value(runs):
    unit, trace = runs[0.5].unit, runs[0.5].mask_trace
    assert abs(unit["train_mean"] - unit["activation"]) < 5 * unit["standard_error"]
    assert unit["unscaled_mean"] == pytest.approx(0.5 * unit["train_mean"])
    assert set(np.round(trace["scaled"] * 0.5 / unit["activation"], 9)) <= {0.0, 1.0}
    assert trace["draw"].iloc[-1] == do.MASK_DRAWS and len(trace) <= do.TRACE_POINTS


# ---- the Monte Carlo average ---------------------------------------------------------------------------


def test_averaged_log_loss_is_the_cross_entropy_of_the_mean_probability():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, size=(7, 20))
    y = rng.integers(0, 2, 20)
    p = (1 / (1 + np.exp(-logits))).mean(axis=0)
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert do.averaged_log_loss(logits, y) == pytest.approx(expected, rel=1e-12)
    # one mask: exactly the loss the network trains on
    single = LOSSES["bce_with_logits"].fn(logits[:1].T, y.reshape(-1, 1).astype(float))
    assert do.averaged_log_loss(logits[:1], y) == pytest.approx(single, rel=1e-12)


def test_averaged_log_loss_is_exact_for_saturated_logits():
    logits = np.array([[1000.0, -1000.0]])
    assert do.averaged_log_loss(logits, np.array([0, 1])) == pytest.approx(1000.0)
    assert do.averaged_log_loss(logits, np.array([1, 0])) == pytest.approx(0.0, abs=1e-300)


def test_without_dropout_the_ensemble_is_the_single_network(runs):
    s = runs[1.0].summary
    assert s["mc_test_loss"] == pytest.approx(s["test_loss"], rel=1e-9)
    assert s["mc_test_accuracy"] == s["test_accuracy"]
    assert runs[1.0].mc["std"].max() < 1e-12
    assert runs[0.5].mc["std"].max() > 0.05


# ---- the page's claims -------------------------------------------------------------------------------


def test_the_default_setup_overfits_without_dropout(runs):
    s = runs[1.0].summary
    assert s["train_accuracy"] == 1.0
    assert s["test_loss"] > 3 * s["best_test_loss"]  # the test loss climbs after its minimum


def test_dropout_lowers_the_test_loss_and_the_gap(runs):
    base, half = runs[1.0].summary, runs[0.5].summary
    assert half["test_loss"] < 0.6 * base["test_loss"]
    assert half["train_loss"] > base["train_loss"]
    assert half["gap_loss"] < 0.5 * base["gap_loss"]


@pytest.mark.parametrize("seed", [1, 2])
def test_dropout_helps_for_other_seeds_too(seed):
    cfg = do.Config(seed=seed, epochs=150)
    base = do.run(cfg).summary
    half = do.run(dataclasses.replace(cfg, keep_prob=0.5)).summary
    assert half["test_loss"] < base["test_loss"]


def test_same_config_same_result():
    cfg = do.Config(keep_prob=0.5, width=32, epochs=30)
    first, again = do.run(cfg), do.run(cfg)
    for name in ("curves", "boundary", "mc", "mask_trace", "expectation"):
        assert getattr(again, name).equals(getattr(first, name)), name


def test_summaries_run_from_no_dropout_to_the_strongest(runs):
    table = do.summarize([runs[0.5], runs[1.0]])
    assert list(table["keep_prob"]) == [1.0, 0.5]
    long = do.combined_curves([runs[1.0], runs[0.5]])
    assert set(long["split"]) == {"train", "test"}
    assert len(long) == 2 * (len(runs[1.0].curves) + len(runs[0.5].curves))
