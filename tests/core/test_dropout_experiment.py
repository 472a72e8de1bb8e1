"""The dropout lesson's experiment: the expectation of inverted dropout and the page's claims hold."""

import dataclasses
import math

import numpy as np
import pytest

from core import mlp
from core.experiments import dropout as do
from core.losses import LOSSES

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [("epochs", 50, 400), ("n_train", 20, 100), ("width", 16, 128), ("depth", 1, 3)]


@pytest.fixture(scope="module")
def result():
    return do.run(do.Config())


@pytest.fixture(scope="module")
def runs(result):
    return {q: result.runs[q] for q in (1.0, 0.5)}


@pytest.fixture(scope="module")
def trained():
    """A first layer to check masks on (the identity holds for any weights)."""
    return mlp.init_params((2, 64, 1), seed=4)


# ---- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("keep_probs", (0.3,), "'keep_probs' may hold only"),
        ("keep_probs", (), "'keep_probs' must hold 1 to 7 values"),
        ("n_train", 5, "'n_train' must be in"),
        ("n_train", 200, "'n_train' must be in"),
        ("dataset", "mnist", "'dataset' must be one of"),
        ("learning_rate", -1.0, "'learning_rate' must be in"),
    ],
)
def test_bad_settings_raise_value_errors_that_name_the_control(field, value, fragment):
    with pytest.raises(ValueError, match=fragment):
        do.Config(**{field: value})


def test_work_budget_names_what_to_lower(monkeypatch):
    # the page trains the selected keep probabilities and q = 1 and 0.5: fewer cost less
    few, many = do.Config(keep_probs=(1.0,)), do.Config(keep_probs=do.KEEP_PROBS)
    assert do.trained_keep_probs(few) == do.ALWAYS
    assert (
        do.estimated_seconds(few) < do.estimated_seconds(do.Config()) < do.estimated_seconds(many)
    )
    two = do.estimated_seconds(
        do.Config(n_train=100, epochs=400, width=128, depth=3, keep_probs=do.ALWAYS)
    )
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", 2.0)
    with pytest.raises(ValueError, match="Training 7 networks would take") as err:
        do.Config(n_train=100, epochs=400, width=128, depth=3, keep_probs=do.KEEP_PROBS)
    # only the moves enough alone are named: 'width' at its least brings the run within 2 s;
    # the two networks a run always trains would take longer
    assert str(err.value).endswith("Lower 'width'."), err.value
    monkeypatch.setattr("core.experiments.budget.BUDGET_SECONDS", two)
    with pytest.raises(ValueError, match=r", or select fewer keep probabilities\.$"):
        do.Config(n_train=100, epochs=400, width=128, depth=3, keep_probs=do.KEEP_PROBS)


def test_masks_cost_more_than_no_masks_in_the_estimate():
    sizes, n = do.Config().sizes, 40
    assert do.run_seconds(sizes, n, 4 * n, 200, 0.5, True) > do.run_seconds(
        sizes, n, 4 * n, 200, 1.0, True
    )
    # every keep probability below 1 costs the same
    assert do.run_seconds(sizes, n, 4 * n, 200, 0.2, True) == do.run_seconds(
        sizes, n, 4 * n, 200, 0.8, True
    )


def test_keep_keys_and_trained_keep_probabilities():
    assert [do.keep_key(q) for q in do.KEEP_PROBS] == list(do.KEEP_KEYS)
    assert do.keep_label(1.0) == "q = 1.0 (no dropout)" and do.keep_label(0.65) == "q = 0.65"
    config = do.Config(keep_probs=(0.2, 0.9))
    assert config.keep_probs == (0.9, 0.2), "the declared order"
    assert do.trained_keep_probs(config) == (1.0, 0.9, 0.5, 0.2)


def test_a_run_trains_the_selection_and_the_compared_pair(result):
    assert set(result.runs) == {1.0, 0.8, 0.5}
    assert list(result.summary["keep_prob"]) == [1.0, 0.8, 0.5]
    other = do.run(do.Config(keep_probs=(0.2,)))
    assert set(other.runs) == {1.0, 0.5, 0.2}
    assert set(other.curves["keep_prob"]) == {0.2}, "only the selected runs are drawn"
    assert list(other.summary["selected"]) == [False, False, True]
    assert [r.key for r in other.shown()] == ["0.2"]


def test_runs_are_cached_per_keep_probability_and_handed_out_as_copies():
    from core.experiments.dropout import experiment as ex

    config = do.Config(width=16, epochs=50)
    ex._RUNS.clear()
    first = do.train(config, 0.5)
    assert len(ex._RUNS) == 1
    first.curves.loc[0, "test_loss"] = 123.0
    again = do.train(config, 0.5)
    assert again.curves.loc[0, "test_loss"] != 123.0
    do.run(dataclasses.replace(config, keep_probs=(0.5, 0.2)))
    assert len(ex._RUNS) == 3, "q = 1.0 and 0.2 trained, 0.5 reused"


def test_progress_reports_every_epoch_and_a_raise_stops_the_run_uncached():
    from core.experiments.dropout import experiment as ex

    config = do.Config(width=16, epochs=50, keep_probs=(1.0,))
    ex._RUNS.clear()
    seen = []
    do.run(config, progress=lambda fraction, message: seen.append(fraction))
    assert len(seen) == 2 * 50 and seen == sorted(seen) and seen[-1] == pytest.approx(1.0)

    class Stop(Exception):
        pass

    def stop(fraction, message):
        raise Stop

    ex._RUNS.clear()
    with pytest.raises(Stop):
        do.run(config, progress=stop)
    assert not ex._RUNS


def test_the_test_loss_is_the_mean_of_the_per_point_losses(runs):
    for run in runs.values():
        assert run.test_losses.mean() == pytest.approx(run.summary["test_loss"], rel=1e-12)
    logits = np.array([[0.0], [2.0], [-30.0]])
    y = np.array([1, 0, 0])
    single = LOSSES["bce_with_logits"].fn(logits, y.reshape(-1, 1).astype(float))
    assert do.point_losses(logits, y).mean() == pytest.approx(single, rel=1e-12)


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


def test_layer_two_outputs_are_the_networks_own_hidden_values():
    params = mlp.init_params((2, 8, 6, 1), seed=3)
    x = np.array([0.3, -1.2])
    h1 = np.maximum(x @ params["W1"] + params["b1"], 0)
    h2 = np.maximum(h1 @ params["W2"] + params["b2"], 0)
    out = do.hidden_outputs(params, x, layer=2, dropout=0.0, draws=1, seed=0)[0]
    np.testing.assert_allclose(out, h2, rtol=1e-12, atol=1e-15)
    # under masks every value of layer 2 is 0 or its own (masked-input) value / q
    masked = do.hidden_outputs(params, x, layer=2, dropout=0.5, draws=200, seed=1)
    assert masked.shape == (200, 6) and (masked >= 0).all()


def test_layer_two_check_is_empty_for_one_hidden_layer_or_no_masks(runs):
    one = do.train(do.Config(depth=1, width=16, epochs=50), 0.5)
    assert one.deeper.empty
    assert runs[1.0].deeper.empty
    deeper = runs[0.5].deeper
    assert len(deeper) == do.Config().width
    assert (deeper["standard_error"] >= 0).all()


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
    base = do.train(cfg, 1.0).summary
    half = do.train(cfg, 0.5).summary
    assert half["test_loss"] < base["test_loss"]


def test_same_config_same_result():
    from core.experiments.dropout import experiment as ex

    cfg = do.Config(width=32, epochs=50)
    first = do.train(cfg, 0.5)
    ex._RUNS.clear()
    again = do.train(cfg, 0.5)
    for name in ("curves", "boundary", "mc", "mask_trace", "expectation", "deeper"):
        assert getattr(again, name).equals(getattr(first, name)), name
    np.testing.assert_array_equal(again.test_losses, first.test_losses)


def test_summaries_run_from_no_dropout_to_the_strongest(runs):
    table = do.summarize([runs[0.5], runs[1.0]])
    assert list(table["keep_prob"]) == [1.0, 0.5]
    long = do.combined_curves([runs[1.0], runs[0.5]])
    assert set(long["split"]) == {"train", "test"}
    assert len(long) == 2 * (len(runs[1.0].curves) + len(runs[0.5].curves))


@pytest.mark.parametrize(
    ("config", "work_binds"),
    [
        # the budget allows 145,833 rows; the run takes 200, the page's most
        (do.Config(epochs=50, width=16, depth=1), False),
        (do.Config(), True),  # 104 rows: the work budget binds
    ],
)
def test_an_uploads_cut_gives_the_bound_that_binds(config, work_binds):
    """Audit pass 52 g: at width 16, one layer and 50 epochs a 5,000-row upload's note said
    "Used 200 of the 3,500 train rows ... to keep training within the page's budget (epochs x
    rows x network size)", where that budget allows 145,833 rows: 200 is the page's most rows
    for an upload. The note names the budget only where epochs x rows x multiply-adds would
    pass UPLOAD_WORK above the rows taken."""
    import pandas as pd

    from core.upload import dataset_from_frame

    rng = np.random.default_rng(0)
    y = (rng.random(5_000) < 0.5).astype(int)
    frame = pd.DataFrame({"a": y + rng.normal(0, 1, 5_000), "b": rng.normal(size=5_000), "y": y})
    data, _ = dataset_from_frame(
        frame, target="y", features=["a", "b"], task="classification", seed=0, name="f.csv"
    )
    ds, (note,) = do.prepare_data(config, data)
    rows = len(ds.y_train)
    macs = do.experiment._macs(do.layer_sizes(config, data))
    over = config.epochs * (rows + 1) * macs > do.UPLOAD_WORK  # one row more passes the budget
    assert over == work_binds
    assert ("within the page's budget" in note) == over, note
    if not over:
        assert rows == do.UPLOAD_MAX_TRAIN and f"at most {do.UPLOAD_MAX_TRAIN} rows" in note, note


@pytest.mark.parametrize(
    ("rows", "config"),
    [
        (3_000, do.Config()),  # 104 training rows (the work budget) and 416 of the 900 test rows
        (3_000, do.Config(epochs=50, width=16, depth=1)),  # 200 rows, 800 of the 900 test rows
        (500, do.Config(epochs=50, width=16, depth=1)),  # 200 of 350 rows; all 150 test rows kept
    ],
)
def test_an_uploads_note_gives_the_test_splits_own_rule_where_it_is_cut(rows, config):
    """Audit pass 53: the default settings on a 3,000-row file said "Used 104 of the 2,100 train
    rows ... and 416 of the 900 test rows ... to keep training within the page's budget (epochs x
    rows x network size)": training never sees a test row; the test split keeps at most
    TEST_PER_TRAIN rows for each training row. And a 500-row file, whose 150 test rows were kept
    whole, was said to be cut "(with 4 test rows for each)"."""
    import pandas as pd

    from core.upload import dataset_from_frame

    rng = np.random.default_rng(0)
    y = np.arange(rows) % 2
    frame = pd.DataFrame({"a": y + rng.normal(0, 1, rows), "b": rng.normal(size=rows), "y": y})
    data, _ = dataset_from_frame(frame, target="y", task="classification", seed=0, name="f.csv")
    ds, (note,) = do.prepare_data(config, data)
    cut = len(ds.y_test) < len(data.y_test)
    rule = (
        f"{do.TEST_PER_TRAIN} test rows for each",
        f"{do.TEST_PER_TRAIN} rows for each training",
    )
    assert cut == any(r in note for r in rule), note
    if cut:
        assert len(ds.y_test) == do.TEST_PER_TRAIN * len(ds.y_train)
    else:
        assert "for each" not in note, note


@pytest.mark.parametrize(
    ("config", "rows", "features"),
    [
        (do.Config(n_train=20), 3_000, 2),  # "about 1 s" for a run on 104 rows estimated at 2.1 s
        (do.Config(n_train=20, keep_probs=do.KEEP_PROBS), 3_000, 2),  # "about 2 s" for 4.0 s
        (do.Config(n_train=20, width=32), 3_000, 30),  # 30 inputs: more multiply-adds per row
    ],
)
def test_the_spinner_prices_the_uploaded_file_it_runs_on(config, rows, features):
    """Audit pass 54 g: with a 3,000-row file loaded and the idle 'Training points' at 20, the
    spinner said "Training 3 networks (about 1 s)…": the estimate of the 2-D set the file
    replaces. The run trains on the 104 rows prepare_data keeps of the file, estimated at 2.1 s.
    The spinner's estimate is the one of the run it starts (``estimated_seconds(config, data)``,
    the one the upload's budget check reads)."""
    import pandas as pd

    from core.upload import dataset_from_frame
    from ui.runner import estimate, with_estimate

    rng = np.random.default_rng(0)
    y = np.arange(rows) % 2
    frame = pd.DataFrame(
        rng.normal(size=(rows, features)), columns=[f"f{i}" for i in range(features)]
    )
    frame["f0"] += y
    frame["y"] = y
    data, _ = dataset_from_frame(frame, target="y", task="classification", seed=0, name="f.csv")
    run = do.estimated_seconds(config, data)
    assert estimate("dropout", config, data) == run
    assert with_estimate("Training…", estimate("dropout", config, data)) == with_estimate(
        "Training…", run
    )


def test_the_monte_carlo_maps_caption_says_each_point_draws_its_own_masks():
    """Audit pass 57 d: the caption said "Both maps read the same 25 random masks (training mode,
    1/q scaling) over a grid", but mc_dropout_logits draws a mask per row of its stacked input:
    two identical grid points get different masks in the same sample."""
    params = mlp.init_params(do.Config(width=16).sizes, init="he", seed=0)
    x = np.zeros((2, 2)) + np.array([[0.3, -0.2]])  # one point, twice
    logits = do.mc_dropout_logits(params, x, dropout=0.5, samples=do.MC_SAMPLES, seed=0)
    assert not np.allclose(logits[:, 0], logits[:, 1]), "the two copies share their masks"
    caption = do.mc_caption()
    assert "the same 25 random masks" not in caption and "of its own" in caption, caption
