"""The batch-size lesson's experiment: memory formula, gradient noise and the page's claims hold."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from core import mlp
from core.experiments import batch_size as bs
from core.gradcheck import numerical_grad, rel_error
from core.losses import LOSSES
from core.train import prepare_targets

# Small and quick: the full batch (280 examples) and three mini-batch sizes, few epochs.
QUICK = bs.Config(epochs=8)
QUICK_SIZES = (8, 32, 128, None)


@pytest.fixture(scope="module")
def noise():
    return bs.run(bs.NoiseConfig.from_config(QUICK))


@pytest.fixture(scope="module")
def runs():
    out = {}
    for scaling in ("none", "linear"):
        cfg = dataclasses.replace(QUICK, scaling=scaling)
        out[scaling] = [bs.run(dataclasses.replace(cfg, batch_size=B)) for B in QUICK_SIZES]
    return out


# ---- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("batch_size", 0, "'batch_size' must be in [1, 256]"),
        ("batch_size", 512, "'batch_size' must be in [1, 256]"),
        ("n_samples", 200, "'n_samples' must be in [400, 1000]"),
        ("learning_rate", 0.0, "'learning_rate' must be in"),
        ("scaling", "quadratic", "'scaling' must be one of"),
        ("optimizer", "lbfgs", "'optimizer' must be one of"),
        ("dataset", "mnist", "'dataset' must be one of"),
    ],
)
def test_bad_settings_raise_value_errors_that_name_the_control(field, value, fragment):
    with pytest.raises(ValueError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        bs.Config(**{field: value})


def test_the_page_estimate_covers_every_batch_size_and_the_noise_study():
    config = bs.Config(n_samples=1000, epochs=40)
    single = [
        bs.estimated_seconds(bs.Config(n_samples=1000, epochs=40, batch_size=B))
        for B in bs.BATCH_SIZES
    ]
    noise = bs.estimated_seconds(bs.NoiseConfig.from_config(config))
    assert bs.page_seconds(config) == pytest.approx(sum(single) + noise)
    # B = 1 makes the most updates: it is the expensive run
    assert single[0] == max(single)


def test_over_budget_settings_name_the_controls_to_lower(monkeypatch):
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", 1.0)
    with pytest.raises(ValueError, match="Lower 'Epochs', 'Examples n \\(train \\+ test\\)'"):
        bs.Config(n_samples=1000, epochs=40)


def test_batch_keys_round_trip_and_reject_unknown_keys():
    assert [bs.parse_batch_key(bs.batch_key(B)) for B in bs.BATCH_SIZES] == list(bs.BATCH_SIZES)
    with pytest.raises(ValueError, match="must be one of"):
        bs.parse_batch_key("512")


@pytest.mark.parametrize(
    ("scaling", "factor"), [("none", 1.0), ("linear", 256 / 32), ("sqrt", math.sqrt(256 / 32))]
)
def test_scaling_rules_scale_the_learning_rate_from_batch_32(scaling, factor):
    cfg = bs.Config(batch_size=256, scaling=scaling, learning_rate=0.05)
    assert cfg.scaled_learning_rate() == pytest.approx(0.05 * factor)
    assert cfg.scaled_learning_rate(32) == pytest.approx(0.05)


# ---- memory -------------------------------------------------------------------------------------


def _cache_bytes(sizes, batch, dropout):
    params = mlp.init_params(sizes, seed=0)
    X = np.random.default_rng(0).standard_normal((batch, sizes[0]))
    rng = np.random.default_rng(1)
    logits, cache = mlp.forward(params, X, dropout=dropout, train=dropout > 0, rng=rng)
    # Every array the layer caches hold (dense input, activation input, dropout mask), except
    # the weights they refer to: those are parameters, not activation memory.
    weights = {id(w) for w in params.values()}
    arrays = {
        id(a): a
        for layer in cache.layers
        for pair in layer
        if pair is not None
        for a in pair
        if isinstance(a, np.ndarray) and id(a) not in weights
    }
    arrays[id(logits)] = logits
    return sum(a.nbytes for a in arrays.values())


@pytest.mark.parametrize("sizes", [(2, 32, 32, 1), (2, 8, 1), (5, 64, 16, 3, 2)])
@pytest.mark.parametrize("batch", [1, 7, 64])
@pytest.mark.parametrize("dropout", [0.0, 0.5])
def test_memory_formula_counts_exactly_what_forward_keeps(sizes, batch, dropout):
    expected = bs.activation_memory(sizes, batch, dropout=dropout > 0)
    assert expected == _cache_bytes(sizes, batch, dropout)


def test_memory_grows_linearly_with_batch_and_parameters_do_not():
    table = bs.memory_table(bs.Config())
    per_example = table["activation_bytes"] / table["batch_size"]
    assert per_example.nunique() == 1
    assert table["parameter_bytes"].nunique() == 1
    # SGD keeps params and grads; Adam adds two moment buffers
    n = mlp.count_params(bs.Config().sizes)
    assert table["parameter_bytes"].iloc[0] == 8 * n * 2
    assert bs.memory_table(bs.Config(optimizer="adam"))["parameter_bytes"].iloc[0] == 8 * n * 4


# ---- gradients and their noise --------------------------------------------------------------------


def test_per_example_gradients_match_central_differences():
    ds = bs._data(QUICK)
    params = mlp.init_params((2, 4, 3, 1), seed=3)
    X, y = ds.X_train[:5], ds.y_train[:5]
    G = bs.per_example_gradients(params, X, y)
    keys = list(params)
    flat = np.concatenate([params[k].ravel() for k in keys])

    def unflatten(v):
        out, i = {}, 0
        for k in keys:
            out[k] = v[i : i + params[k].size].reshape(params[k].shape)
            i += params[k].size
        return out

    T = prepare_targets(bs.LOSS, y, 1)
    for i in (0, 3):

        def loss_i(v, i=i):
            logits = mlp.forward(unflatten(v), X[i : i + 1])[0]
            return LOSSES[bs.LOSS].fn(logits, T[i : i + 1])

        assert rel_error(G[i], numerical_grad(loss_i, flat)) < 1e-6


def test_per_example_gradients_average_to_the_full_batch_gradient():
    ds = bs._data(QUICK)
    params = mlp.init_params(QUICK.sizes, seed=0)
    G = bs.per_example_gradients(params, ds.X_train, ds.y_train)
    T = prepare_targets(bs.LOSS, ds.y_train, 1)
    logits, cache = mlp.forward(params, ds.X_train)
    grads = mlp.backward(params, cache, LOSSES[bs.LOSS].grad(logits, T))
    full = np.concatenate([grads[k].ravel() for k in params])
    assert rel_error(G.mean(axis=0), full) < 1e-12


def test_gradient_variance_falls_like_one_over_b(noise):
    v = noise.variance.set_index("key")
    assert -1.2 < noise.slope < -0.85
    small = v[v["batch_size"] <= 64]
    assert np.allclose(small["measured"], small["theory"], rtol=0.2)
    assert list(v["measured"]) == sorted(v["measured"], reverse=True)
    assert v.loc["full", "measured"] == 0.0 and v.loc["full", "theory"] == 0.0
    assert v.loc["1", "theory"] == pytest.approx(noise.sigma2)


# ---- training runs --------------------------------------------------------------------------------


def test_same_config_same_curves(runs):
    again = bs.run(dataclasses.replace(QUICK, batch_size=32))
    cols = ["epoch", "updates", "train_loss", "test_loss", "test_accuracy"]
    assert again.curves[cols].equals(runs["none"][1].curves[cols])


def test_updates_per_epoch_and_training_time(runs):
    for r in runs["none"]:
        s = r.summary
        assert s["updates"] == QUICK.epochs * math.ceil(QUICK.n_train / s["batch_size"])
        assert list(r.curves["epoch"]) == list(range(QUICK.epochs + 1))
        seconds = r.curves["seconds"].to_numpy()
        assert seconds[0] == 0.0 and np.all(np.diff(seconds) >= 0) and seconds[-1] > 0


def test_training_seconds_remove_the_evaluation_callbacks():
    # 3 epochs of 2 updates; each callback took 1 s, fit's clock includes them
    ends = np.array([0.5, 1.0, 2.2, 2.7, 3.9, 4.4])
    seconds = bs._training_seconds(ends, np.array([0, 2, 4, 6]), [1.0, 1.0, 1.0])
    assert seconds == pytest.approx([0.0, 0.7, 1.4, 2.1])


def test_same_learning_rate_small_batches_get_further_per_epoch(runs):
    s = bs.summarize(runs["none"]).set_index("key")
    assert s.loc["8", "train_loss"] < s.loc["32", "train_loss"] < s.loc["full", "train_loss"]


def test_linear_scaling_rule_aligns_the_runs(runs):
    unscaled = bs.alignment(bs.summarize(runs["none"]))
    scaled = bs.alignment(bs.summarize(runs["linear"]))
    assert scaled < unscaled
    assert scaled < 1.25


def test_scaling_too_far_diverges_without_an_exception():
    r = bs.run(bs.Config(batch_size=256, scaling="linear", learning_rate=1.0, epochs=5))
    assert r.summary["diverged"]
    assert "exploded" in r.summary["stopped_reason"] or "non-finite" in r.summary["stopped_reason"]
    items = bs.recipe(bs.summarize([r]), bs.Config(scaling="linear", learning_rate=1.0))
    assert any(status == "warn" and "diverged" in text for status, text in items)


# ---- summary and recipe -------------------------------------------------------------------------------


def _summary(**columns):
    base = {
        "key": ["8", "32", "full"],
        "label": ["8", "32", "full (280)"],
        "batch_size": [8, 32, 280],
        "learning_rate": [0.1, 0.1, 0.1],
        "updates": [700, 180, 20],
        "train_loss": [0.2, 0.3, 0.4],
        "test_accuracy": [0.9, 0.92, 0.88],
        "gap_accuracy": [0.02, 0.0, -0.01],
        "seconds_to_target": [0.05, 0.01, math.nan],
        "updates_to_target": [300, 60, math.nan],
        "target_accuracy": [0.91] * 3,
        "activation_bytes": [8 * 1048, 32 * 1048, 280 * 1048],
        "diverged": [False, False, False],
    }
    base.update(columns)
    return pd.DataFrame(base)


def _items(summary):
    return {text.split("**")[1]: (status, text) for status, text in bs.recipe(summary, QUICK)}


def test_recipe_reacts_to_the_run():
    items = _items(_summary())
    assert "B = 32 reached" in items["Prefer the batch size that gets there first"][1]
    status, text = items["Scale the learning rate with the batch"]
    assert status == "warn" and "full (280) ends with 1.33x" in text
    assert (
        "best test accuracy here is B = 32"
        in items["Double or halve while watching train and test curves"][1]
    )
    faster = _items(_summary(seconds_to_target=[0.005, 0.01, math.nan]))
    assert "B = 8 reached" in faster["Prefer the batch size that gets there first"][1]
    aligned = _items(_summary(train_loss=[0.3, 0.3, 0.31]))
    assert aligned["Scale the learning rate with the batch"][0] == "ok"


def test_summarize_orders_runs_and_reads_time_to_target(runs):
    shuffled = runs["none"][::-1]
    table = bs.summarize(shuffled)
    assert list(table["key"]) == ["8", "32", "128", "full"]
    best = table.loc[~table["diverged"], "test_accuracy"].max()
    assert table["target_accuracy"].iloc[0] == pytest.approx(best - 0.01)
    reached = table.dropna(subset=["seconds_to_target"])
    assert len(reached) >= 1
    for _, row in reached.iterrows():
        curve = next(r.curves for r in runs["none"] if r.key == row["key"])
        first = curve[curve["test_accuracy"] >= row["target_accuracy"]].iloc[0]
        assert row["seconds_to_target"] == first["seconds"]
