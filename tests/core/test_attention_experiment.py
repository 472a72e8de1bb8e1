"""The attention lesson's numbers: the step-through equals core.attention, the sweep equals an
independent recomputation (SciPy's softmax and entropy), and the budget is honest."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import softmax
from scipy.stats import entropy

from core import attention as att
from core.experiments import attention as experiment
from core.experiments.attention import experiment as ex

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [("n_draws", 100, 1000), ("n_keys", 4, 128), ("max_d_k", 16, 1024)]

SMALL = experiment.Config(n_draws=100, n_keys=4, max_d_k=16)


@pytest.fixture(scope="module")
def default():
    return experiment.run(experiment.Config())


def test_sweep_dims_are_powers_of_two_then_the_largest():
    assert experiment.sweep_dims(16) == (1, 2, 4, 8, 16)
    assert experiment.sweep_dims(100) == (1, 2, 4, 8, 16, 32, 64, 100)


def test_the_step_through_tables_are_core_attentions_matrices(default):
    config = experiment.Config()
    X, params, G = experiment.step_inputs(config)
    Y, cache = att.multi_head_forward(X, params, scale=1 / math.sqrt(config.d_head))
    n = config.n_tokens
    np.testing.assert_array_equal(default.embeddings["value"].to_numpy().reshape(n, -1), X)
    np.testing.assert_array_equal(default.output["value"].to_numpy().reshape(n, -1), Y)
    for h, head in enumerate(cache.heads, start=1):
        rows = default.attention[default.attention["head"] == h]
        np.testing.assert_array_equal(
            rows["weight"].to_numpy().reshape(n, n), head.attention.weights
        )
        np.testing.assert_array_equal(rows["score"].to_numpy().reshape(n, n), head.attention.scores)
        np.testing.assert_allclose(rows["dot"].to_numpy().reshape(n, n), head.Q @ head.K.T)
        for name in ("Q", "K", "V"):
            frame = default.projections
            got = frame[(frame["head"] == h) & (frame["matrix"] == name)]["value"].to_numpy()
            np.testing.assert_array_equal(got.reshape(n, -1), getattr(head, name))
    assert default.loss == pytest.approx(float(np.sum(Y * G)), rel=1e-15)


def test_the_unscaled_step_through_multiplies_by_one():
    config = experiment.Config(scaled=False, causal=True)
    result = experiment.step_through(config)
    assert result["scale"] == 1.0
    rows = result["attention"]
    allowed = rows[rows["allowed"]]
    np.testing.assert_array_equal(allowed["score"], allowed["dot"])
    assert (rows.loc[~rows["allowed"], "weight"] == 0.0).all()


@pytest.mark.parametrize(
    "config",
    [experiment.Config(), *(p.config for p in experiment.PRESETS.values())],
    ids=["default", *experiment.PRESETS],
)
def test_the_gradient_check_agrees_at_the_default_and_the_presets(config):
    check = experiment.check_gradients(config)
    assert len(check) == experiment.CHECK_ENTRIES * len(experiment.CHECKED)
    assert (check["verdict"] == "agree").all(), check
    assert check["rel_error"].max() < experiment.AGREE_BELOW


def test_the_gradient_check_catches_a_wrong_backward_pass(monkeypatch):
    """A backward pass that forgets the softmax's −rowsum term disagrees with the estimate."""

    def wrong(dp, cache):
        return cache * dp

    monkeypatch.setattr(att, "softmax_backward", wrong)
    check = experiment.check_gradients(experiment.Config())
    assert (check["verdict"] == "disagree").sum() >= 10


def test_draw_dots_are_dot_products_of_prefixes_of_the_same_vectors():
    config = SMALL
    q = np.random.default_rng([config.seed, 1, 0]).normal(
        0.0, config.entry_std, (config.n_draws, 1, config.max_d_k)
    )
    keys = np.random.default_rng([config.seed, 1, 1]).normal(
        0.0, config.entry_std, (config.n_draws, config.n_keys, config.max_d_k)
    )
    dots = experiment.draw_dots(config)
    for i, d in enumerate(experiment.sweep_dims(config.max_d_k)):
        expected = np.einsum("nkd,nd->nk", keys[:, :, :d], q[:, 0, :d])
        np.testing.assert_allclose(dots[:, i], expected, rtol=1e-12, atol=1e-12)


def test_draw_dots_do_not_depend_on_the_chunk_size(monkeypatch):
    config = dataclasses.replace(SMALL, n_draws=300)
    whole = experiment.draw_dots(config)
    monkeypatch.setattr(ex, "CHUNK_NUMBERS", 5 * (config.n_keys + 1) * config.max_d_k)
    np.testing.assert_array_equal(experiment.draw_dots(config), whole)


def test_sweep_statistics_equal_scipys_softmax_and_entropy():
    config = SMALL
    dots = experiment.draw_dots(config)
    result = experiment.sweep(config)
    rows = result["sweep"].set_index(["d_k", "scaling"])
    for i, d in enumerate(experiment.sweep_dims(config.max_d_k)):
        for scaling in experiment.SCALINGS:
            scores = dots[:, i] / (math.sqrt(d) if scaling == "scaled" else 1.0)
            p = softmax(scores, axis=1)
            row = rows.loc[(d, scaling)]
            assert row["max_weight_mean"] == pytest.approx(p.max(axis=1).mean(), rel=1e-12)
            assert row["entropy_mean"] == pytest.approx(entropy(p, axis=1).mean(), rel=1e-10)
            jac = [np.linalg.norm(np.diag(r) - np.outer(r, r)) for r in p]
            assert row["jacobian_mean"] == pytest.approx(np.mean(jac), rel=1e-10)
            assert row["jacobian_p50"] == pytest.approx(np.median(jac), rel=1e-10)
            top = p.max(axis=1)
            assert row["max_weight_se"] == pytest.approx(
                top.std(ddof=1) / math.sqrt(config.n_draws), rel=1e-10
            )
    variance = result["variance"].set_index("d_k")
    for i, d in enumerate(experiment.sweep_dims(config.max_d_k)):
        per_draw = (dots[:, i] ** 2).mean(axis=1)
        assert variance.loc[d, "variance"] == pytest.approx(per_draw.mean(), rel=1e-12)
        assert variance.loc[d, "se"] == pytest.approx(
            per_draw.std(ddof=1) / math.sqrt(config.n_draws), rel=1e-10
        )
        assert variance.loc[d, "theory"] == d * config.entry_std**4


def test_the_variance_of_q_dot_k_is_d_k_sigma_to_the_fourth():
    """Over many draws the measured variance is within a few standard errors of d_k σ⁴."""
    config = experiment.Config(n_draws=1000, n_keys=8, max_d_k=64, entry_std=1.5, seed=3)
    variance = experiment.sweep(config)["variance"]
    assert (np.abs(variance["z"]) < 4).all(), variance
    np.testing.assert_allclose(variance["theory"], variance["d_k"] * 1.5**4)


def test_samples_are_the_first_draws_and_bounded(default):
    assert len(default.samples) <= ex.SCATTER_POINTS
    assert set(default.samples["scaling"]) == set(experiment.SCALINGS)
    bound = 2 * default.samples["remaining"]
    assert (default.samples["jacobian"] <= bound * (1 + 1e-12)).all()


def test_every_table_is_finite_and_csv_ready(default):
    for field in dataclasses.fields(default):
        value = getattr(default, field.name)
        if isinstance(value, pd.DataFrame):
            numbers = value.select_dtypes("number").to_numpy(dtype=float)
            assert np.all(np.isfinite(numbers)), field.name


def test_estimate_follows_the_controls_that_cost():
    base = experiment.estimated_seconds(experiment.Config())
    for field, value in (("n_draws", 1000), ("n_keys", 128), ("max_d_k", 1024)):
        heavier = experiment.Config(**{field: value})
        assert experiment.estimated_seconds(heavier) > base, field
    heaviest = experiment.Config(
        n_tokens=8, d_model=32, n_heads=4, d_head=64, n_draws=1000, n_keys=128, max_d_k=1024
    )
    assert experiment.estimated_seconds(heaviest) < 10  # every setting fits the shared budget


def test_run_reports_progress_and_can_be_cancelled():
    from core.progress import Cancelled, listening

    fractions = []

    def listener(fraction, message):
        if fraction is not None:
            fractions.append(fraction)
        if fraction is not None and fraction > 0.5:
            raise Cancelled

    config = experiment.Config(n_draws=1000, n_keys=128, max_d_k=256)
    with listening(listener), pytest.raises(Cancelled):
        experiment.run(config)
    assert fractions and fractions[-1] > 0.5


def test_dividing_by_d_k_instead_drifts_toward_uniform_weights():
    config = experiment.Config()
    dots = experiment.draw_dots(config)[:, -1]  # d_k = 512
    top = softmax(dots / config.max_d_k, axis=1).max(axis=1).mean()
    assert top < 1.2 / config.n_keys  # nearly uniform, 1/16 = 0.0625
    assert softmax(dots / math.sqrt(config.max_d_k), axis=1).max(axis=1).mean() > 2 / config.n_keys


def test_masking_after_the_softmax_leaves_rows_that_do_not_sum_to_one():
    scores = np.random.default_rng(0).normal(size=(5, 5))
    wrong = softmax(scores, axis=1) * att.causal_mask(5)
    assert np.all(wrong[:-1].sum(axis=1) < 1 - 1e-3)
    right, _ = att.softmax_forward(scores, att.causal_mask(5))
    np.testing.assert_allclose(right.sum(axis=1), 1.0, rtol=0, atol=1e-15)


def test_the_top_weights_diagonal_entry_is_the_largest_and_bounds_the_norm_below():
    p, _ = att.softmax_forward(3 * np.random.default_rng(1).normal(size=(500, 6)))
    diagonal = p * (1 - p)
    top = p.max(axis=1)
    np.testing.assert_allclose(diagonal.max(axis=1), top * (1 - top), rtol=1e-12)
    assert np.all(att.jacobian_norm(p) >= top * (1 - top) * (1 - 1e-12))
