"""The network depth lesson's numbers: CV through the estimator, AIC/BIC, the grow rule, depth vs width."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import log_loss
from sklearn.model_selection import KFold, cross_val_score

from core import mlp
from core.data import Dataset, make_classification_2d
from core.estimators import MLPClassifier
from core.experiments import network_depth as nd
from core.experiments.budget import BUDGET_SECONDS

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [
    ("epochs", 30, 120),
    ("folds", 3, 10),
    ("max_depth", 1, 4),
    ("n_samples", 100, 400),
    ("ua_epochs", 100, 2000),
]

SMALL = {
    "n_samples": 150,
    "max_depth": 2,
    "widths": (4, 16),
    "width": 16,
    "folds": 3,
    "epochs": 40,
    "learning_rate": 0.05,
    "ua_budget": 50,
    "ua_epochs": 200,
}


@pytest.fixture(scope="module")
def small():
    config = nd.Config(**SMALL)
    return config, nd.run(config)


def test_grid_has_every_depth_and_width(small):
    config, result = small
    grid = result.grid
    assert len(grid) == (config.max_depth + 1) * len(config.grid_widths)
    assert set(grid["depth"]) == {0, 1, 2}
    assert set(grid["width"]) == {4, 16}
    # depth 0 is logistic regression: the same model, parameters and scores for every width
    depth0 = grid[grid["depth"] == 0]
    assert depth0["n_params"].eq(3).all()
    assert depth0["cv_mean"].nunique() == 1
    expected = [
        mlp.count_params((2, *(w,) * d, 1))
        for w, d in zip(grid["width"], grid["depth"], strict=True)
    ]
    assert grid["n_params"].tolist() == expected
    assert (grid["fit_ms"] > 0).all()
    assert not grid["diverged"].any()


def test_cv_scores_are_cross_val_score_on_the_estimator(small):
    config, result = small
    data = make_classification_2d(
        config.dataset, n_samples=config.n_samples, noise=config.noise, seed=config.seed
    )
    est = MLPClassifier(
        hidden_layer_sizes=(16, 16),
        learning_rate=config.learning_rate,
        epochs=config.epochs,
        batch_size=None,
        random_state=config.seed,
    )
    cv = KFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    scores = cross_val_score(est, data.X_train, data.y_train, cv=cv)
    row = result.grid.query("depth == 2 and width == 16").iloc[0]
    assert row["cv_mean"] == pytest.approx(scores.mean())
    assert row["cv_std"] == pytest.approx(scores.std())
    folds = result.folds.query("depth == 2 and width == 16")
    np.testing.assert_allclose(folds["test_score"], scores)


def test_aic_bic_use_the_training_log_likelihood(small):
    config, result = small
    data = make_classification_2d(
        config.dataset, n_samples=config.n_samples, noise=config.noise, seed=config.seed
    )
    row = result.grid.query("depth == 1 and width == 4").iloc[0]
    est = MLPClassifier(
        hidden_layer_sizes=(4,),
        learning_rate=config.learning_rate,
        epochs=config.epochs,
        batch_size=None,
        random_state=config.seed,
    ).fit(data.X_train, data.y_train)
    log_lik = -log_loss(data.y_train, est.predict_proba(data.X_train), normalize=False)
    assert row["log_likelihood"] == pytest.approx(log_lik, rel=1e-9)
    n, k = result.n_train, int(row["n_params"])
    assert row["aic"] == pytest.approx(2 * k - 2 * log_lik)
    assert row["bic"] == pytest.approx(k * math.log(n) - 2 * log_lik)


def test_information_criteria_formula():
    aic, bic = nd.information_criteria(-10.0, 3, 100)
    assert aic == pytest.approx(26.0)
    assert bic == pytest.approx(3 * math.log(100) + 20.0)


def test_picks_are_the_best_by_each_criterion(small):
    _, result = small
    models = result.grid.drop_duplicates("hidden")
    picks = result.picks.set_index("criterion")
    assert picks.loc["cross-validation", "cv_mean"] == models["cv_mean"].max()
    aic_best = models.loc[models["aic"].idxmin()]
    bic_best = models.loc[models["bic"].idxmin()]
    assert (picks.loc["AIC", "depth"], picks.loc["AIC", "width"]) == (
        aic_best["depth"],
        aic_best["width"],
    )
    assert picks.loc["BIC", "n_params"] == bic_best["n_params"]
    # BIC's penalty k ln n exceeds AIC's 2k once n > e^2, so it never picks a bigger model
    assert picks.loc["BIC", "n_params"] <= picks.loc["AIC", "n_params"]


def test_depth_beats_a_linear_model_on_moons(small):
    _, result = small
    focus = result.grid[result.grid["width"] == 16].set_index("depth")
    assert focus.loc[2, "cv_mean"] > focus.loc[0, "cv_mean"] + 0.05
    assert focus.loc[2, "test_accuracy"] > focus.loc[0, "test_accuracy"]


def test_depth_curve_and_boundaries_follow_the_focus_width(small):
    config, result = small
    curve = result.depth_curve
    assert set(curve["split"]) == {"train", "validation"}
    val = curve[curve["split"] == "validation"].set_index("depth")
    focus = result.grid[result.grid["width"] == config.width].set_index("depth")
    np.testing.assert_allclose(val["accuracy"], focus["cv_mean"])
    assert (val["low"] <= val["accuracy"]).all() and (val["high"] >= val["accuracy"]).all()
    assert sorted(result.boundaries["depth"].unique()) == [0, 1, 2]
    assert result.boundaries["p"].between(0, 1).all()
    assert len(result.boundaries) + len(result.points) * 3 < 5000
    # a linear model's probability is monotone along its weight vector: one straight boundary
    depth0 = result.boundaries[result.boundaries["depth"] == 0]
    assert depth0["p"].nunique() > 10


def test_the_focus_width_joins_the_grid():
    config = nd.Config(**{**SMALL, "widths": (4,), "width": 8})
    assert config.grid_widths == (4, 8)
    assert () in config.models()
    assert config.models().count(()) == 1


def test_grow_until_no_gain_stops_at_the_first_small_gain():
    scores = pd.Series([0.80, 0.85, 0.95, 0.955, 0.99], index=[0, 1, 2, 3, 4])
    trace = nd.grow_until_no_gain(scores, tolerance=0.01)
    assert trace["depth"].tolist() == [1, 2, 3]
    assert trace["decision"].tolist() == ["start", "grow", "stop"]
    assert trace["gain"].iloc[1] == pytest.approx(0.10)
    # a larger gain later is never seen: the rule is greedy, as in practice
    assert nd.grow_until_no_gain(scores, tolerance=0.0)["depth"].tolist() == [1, 2, 3, 4]


def test_run_is_pure_and_cached(small):
    config, result = small
    assert nd.pending_models(config) == []
    again = nd.run(config)
    pd.testing.assert_frame_equal(
        result.grid.drop(columns="fit_ms"), again.grid.drop(columns="fit_ms")
    )
    pd.testing.assert_frame_equal(result.ua_summary, again.ua_summary)


def test_precompute_reports_progress():
    config = nd.Config(**{**SMALL, "seed": 11, "max_depth": 1, "widths": (4,), "width": 4})
    calls = []
    nd.precompute(config, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    assert nd.pending_models(config) == []


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_hand_set_net_draws_the_sawtooth_exactly(level):
    params = nd.sawtooth_params(level)
    assert mlp.count_params(params) == 6 * level + 1
    x = np.linspace(0.0, 1.0, 4097)
    out = mlp.predict_logits(params, x[:, None])[:, 0]
    np.testing.assert_allclose(out, nd.sawtooth(x, level), atol=1e-12)
    assert nd.count_pieces(out, x) == 2**level
    # from the weights: a bend at every k / 2^L
    bends = nd.exact_bends(params, scale=1.0, shift=0.0)
    np.testing.assert_allclose(bends, np.arange(1, 2**level) / 2**level, atol=1e-12)


def test_one_hidden_layer_has_at_most_width_plus_one_pieces():
    x = np.linspace(0.0, 1.0, 4097)
    for seed in range(5):
        params = mlp.init_params((1, 6, 1), seed=seed)
        params["b1"] = np.random.default_rng(seed).normal(size=6)
        out = mlp.predict_logits(params, 2 * x[:, None] - 1)[:, 0]
        assert nd.count_pieces(out, x) <= 7
    assert nd.count_pieces(np.abs(x - 0.3), x) == 2
    assert nd.count_pieces(2 * x + 1, x) == 1


def test_universal_approximation_summary(small):
    config, result = small
    summary = result.ua_summary.set_index("model")
    assert list(summary.index) == [
        "one wide layer",
        "one wide layer, spread bends",
        "deep and narrow",
    ]
    assert (summary["n_params"] <= config.ua_budget).all()
    wide = summary.loc["one wide layer"]
    assert wide["pieces"] <= wide["max_pieces"] == wide["hidden"][0] + 1
    assert set(result.ua_curves["model"]) == {"target", *summary.index}


def test_sawtooth_needs_depth_at_a_small_budget():
    _, summary = nd.universal_approximation("sawtooth", 4, 25, 4, 200, 0)
    summary = summary.set_index("model")
    hand = summary.loc["hand-set weights"]
    assert hand["n_params"] == 25 and hand["rel_mse"] < 1e-20 and hand["pieces"] == 16
    wide = summary.loc["one wide layer, spread bends"]
    assert wide["n_params"] <= 25
    # one layer of 8 ReLU units has at most 9 pieces, so it cannot match 16
    assert wide["max_pieces"] == 9 and wide["rel_mse"] > 0.05


def test_zero_biases_start_every_first_layer_bend_in_the_middle():
    params = mlp.init_params((1, 5, 1), seed=0)
    x = np.linspace(0.0, 1.0, 4097)
    out = mlp.predict_logits(params, 2 * x[:, None] - 1)[:, 0]
    np.testing.assert_allclose(nd.bends(out, x), [0.5], atol=1e-3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dataset", "gaussians", "'dataset' must be one of"),
        ("max_depth", 9, r"'max_depth' must be in \[1, 8\]"),
        ("widths", (), "'widths' must hold 1 to 6"),
        ("widths", (0, 4), "'widths' may hold only 2, 4, 8, 16, 32, 64"),
        ("folds", 2, r"'folds' must be in \[3, 10\]"),
        ("learning_rate", 0.0, "'learning_rate' must be in"),
        ("activation", "linear", "'activation' must be one of"),
        ("ua_target", "step", "'ua_target' must be one of"),
    ],
)
def test_config_rejects_bad_values(field, value, message):
    with pytest.raises(ValueError, match=message):
        nd.Config(**{field: value})


def test_config_refuses_a_grid_over_the_budget_and_says_what_to_lower():
    # only the moves enough alone are named (3 folds alone, or the cheapest widths, leave more
    # than 10 s)
    with pytest.raises(ValueError, match=r"Lower 'max_depth' or 'epochs'\.$"):
        nd.Config(epochs=400, max_depth=8, widths=(2, 4, 8, 16, 32, 64))
    base = nd.estimated_seconds(nd.Config())
    assert base < BUDGET_SECONDS / 4
    # fits, cells and the 1-D part cost the same at any epochs: doubling them adds about a third
    assert nd.estimated_seconds(nd.Config(epochs=120)) > 1.25 * base
    assert nd.estimated_seconds(nd.Config(folds=10)) > base


def _six_widths_slow_1d(**changes):
    """Six widths to depth 6 in 10 folds with 3,000 1-D epochs: the settings whose upload is
    refused at 40 epochs on 60 rows (passes 52, 57 f)."""
    settings = dict(
        n_samples=100,
        max_depth=6,
        widths=(2, 4, 8, 16, 32, 64),
        width=8,
        folds=10,
        epochs=40,
        ua_epochs=3000,
        learning_rate=0.001,
    )
    return nd.Config(**{**settings, **changes})


def test_a_refusal_priced_with_the_1d_fits_says_so():
    """Audit pass 57 f: ?depth=2&widths=2,4,8,16,32,64&folds=10&n=600&epochs=340&uaepochs=3000
    &budget=400&uadepth=6 was refused "Training this grid would take about 10.1 s (limit 10 s).
    Lower … or 'ua_epochs' …": the grid alone is estimated at 8 s, the 1-D fits at 2.1 s. The
    refusal names both parts it prices."""
    settings = dict(
        max_depth=2,
        widths=(2, 4, 8, 16, 32, 64),
        folds=10,
        n_samples=600,
        epochs=340,
        ua_epochs=3000,
        ua_budget=400,
        ua_depth=6,
    )
    with pytest.raises(ValueError) as refused:
        nd.Config(**settings)
    text = str(refused.value)
    # the witness: with the fewest 1-D epochs the same grid runs
    assert nd.estimated_seconds(nd.Config(**{**settings, "ua_epochs": 100})) <= BUDGET_SECONDS
    assert text.startswith("Training this grid and the 1-D fits would take about"), text
    assert "'ua_epochs'" in text
    # the same on an upload (pass 52's witness: 6.15 s on 60 rows, limit 6 s, of which the grid
    # alone fits: with 100 1-D epochs the file runs)
    upload = _six_widths_slow_1d()
    with pytest.raises(ValueError) as refused:
        nd.upload_train_rows(upload, _wide_upload(2, 2))
    assert "this grid and the 1-D fits would take about" in str(refused.value), refused.value
    nd.upload_train_rows(dataclasses.replace(upload, ua_epochs=100), _wide_upload(2, 2))


def test_the_estimate_covers_the_activation():
    """Issue 18: the same grid cost 22.6 CPU s with GELU and 6.7 s with ReLU; the estimate
    ignored the activation. Per hidden value GELU's x Phi(x) costs most, then sigmoid and tanh."""
    heavy = {"max_depth": 5, "epochs": 170, "n_samples": 600, "ua_epochs": 3000}
    light = {**heavy, "max_depth": 2}
    cost = {
        a: nd.estimated_seconds(nd.Config(**light, activation=a)) for a in nd.ACTIVATION_CHOICES
    }
    assert cost["relu"] < cost["tanh"] < cost["sigmoid"] < cost["gelu"]
    assert nd.Config(**heavy, activation="relu")  # within the budget
    with pytest.raises(ValueError, match="choose a cheaper 'activation' than gelu"):
        nd.Config(**heavy, activation="gelu")


def test_a_failing_fit_is_reported_in_the_labs_words_not_scikit_learns():
    """Issue 18: features that became NaN made the page show scikit-learn's 'All the 3 fits
    failed' with server file paths. Whatever a fit raises, the run says it in its own words."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 2))
    X[5, 1] = np.nan
    y = (X[:, 0] > 0).astype(np.int64)
    data = Dataset(
        X_train=X[:84],
        X_test=X[84:],
        y_train=y[:84],
        y_test=y[84:],
        task="classification",
        feature_names=("a", "b"),
        n_classes=2,
        name="bad.csv",
    )
    config = nd.Config(**{**SMALL, "seed": 5})
    with pytest.raises(ValueError) as err:
        nd.run(config, data=data)
    message = str(err.value)
    assert message.startswith("Training the net with no hidden layer failed on these data")
    for leak in ("fits failed", "sklearn", "Traceback", "/", "NaN"):
        assert leak not in message


def test_ties_in_the_cv_mean_go_to_fewer_parameters_not_to_round_off():
    """Audit C1a: at the defaults 3 x 8 (177 parameters) and 2 x 32 (1,185) both get 204 of
    210 points right; their means differ by 2e-16, and the larger net used to be 'the best'."""
    result = nd.run(nd.Config())
    grid = result.grid.set_index(["depth", "width"])
    a, b = grid.loc[(3, 8), "cv_mean"], grid.loc[(2, 32), "cv_mean"]
    assert a != b and abs(a - b) < 1e-15
    picks = result.picks.set_index("criterion")
    assert (picks.loc["cross-validation", "depth"], picks.loc["cross-validation", "width"]) == (
        3,
        8,
    )
    # the one-standard-error rule uses the standard error (ddof 1 / sqrt(folds)), not the SD
    se = grid.loc[(3, 8), "cv_se"]
    assert se == pytest.approx(grid.loc[(3, 8), "cv_std"] * math.sqrt(5 / 4) / math.sqrt(5))
    assert (picks.loc["one-SE rule", "depth"], picks.loc["one-SE rule", "width"]) == (2, 8)


def test_the_too_deep_preset_picks_by_standard_error_not_standard_deviation():
    """Audit C1b: 'within one standard deviation' picked 2 x 8; one standard error picks 3 x 8."""
    config = nd.Config(widths=(2, 8, 32), width=2, max_depth=6, epochs=60)
    picks = nd.run(config).picks.set_index("criterion")
    assert (picks.loc["one-SE rule", "depth"], picks.loc["one-SE rule", "width"]) == (3, 8)
    assert picks.loc["one-SE rule", "n_params"] == 177


def test_tail_drop_and_off_units():
    assert nd.tail_drop(np.linspace(2.0, 1.0, 11)) == pytest.approx((1.1 - 1.0) / 1.1)
    assert nd.tail_drop(np.ones(30)) == 0.0
    assert math.isnan(nd.tail_drop(np.array([1.0])))
    data = make_classification_2d("moons", n_samples=150, noise=0.2, seed=0)
    est = MLPClassifier(hidden_layer_sizes=(4, 4), epochs=5, batch_size=None).fit(
        data.X_train, data.y_train
    )
    # kill the second layer's first unit: a large negative bias keeps it at z < 0 everywhere
    est.params_["b2"][0] = -1e6
    off, units = nd.off_units(est, data.X_train)
    assert units == 8 and off >= 1
    z = np.maximum(data.X_train @ est.params_["W1"] + est.params_["b1"], 0)
    z2 = z @ est.params_["W2"] + est.params_["b2"]
    manual = int((z <= 0).all(axis=0).sum() + (z2 <= 0).all(axis=0).sum())
    assert off == manual


@pytest.mark.parametrize("level", [1, 2, 3])
def test_one_hidden_layer_draws_the_sawtooth_with_a_unit_per_piece(level):
    params = nd.one_layer_sawtooth_params(level)
    x = np.linspace(0.0, 1.0, 4097)
    out = mlp.predict_logits(params, x[:, None])[:, 0]
    np.testing.assert_allclose(out, nd.sawtooth(x, level), atol=1e-12)
    assert mlp.count_params(params) == 3 * 2**level + 1
    # as many parameters as the hand-set deep net at levels 1 and 2, more from 3 on
    assert (mlp.count_params(params) == 6 * level + 1) == (level <= 2)


def _one_layer_bends(params) -> np.ndarray:
    """A one-hidden-layer ReLU net's bends in (0, 1), from its weights: unit j bends where
    w_j (2x − 1) + b_j = 0, when both its weights are non-zero."""
    w, b, v = params["W1"][0], params["b1"], params["W2"][:, 0]
    live = (w != 0) & (v != 0)
    x = np.unique((-b[live] / w[live] + 1.0) / 2.0)
    x = x[np.concatenate([[True], np.diff(x) > 1e-12])]  # one bend where two units coincide
    return x[(x > 0) & (x < 1)]


def test_the_pieces_of_a_one_layer_net_are_its_units_bends_plus_one():
    """Audit pass 39 (m): the defaults' wide layer of 66 units has 66 distinct bends in (0, 1)
    (the closest 3.2e-08 apart, all near x = 0.5), so it draws 67 pieces; the 4,097-point grid
    merged bends closer than a step and the pieces chart printed 36, beside a caption saying
    every kink was counted."""
    config = nd.Config()
    args = ("sine", config.ua_level, config.ua_budget, config.ua_depth, config.ua_epochs, 0)
    _, summary = nd.universal_approximation(*args)
    wide = summary.set_index("model").loc["one wide layer"]
    x_train = np.linspace(0.0, 1.0, 256)
    params = mlp.init_params((1, *wide["hidden"], 1), seed=0)
    from core.experiments.network_depth.approximation import _fit_1d, _ua_target

    trained = _fit_1d(params, 2 * x_train[:, None] - 1, _ua_target("sine", 2, x_train), 400, 0)
    bent = _one_layer_bends(trained)
    assert wide["pieces"] == len(bent) + 1 == wide["max_pieces"]
    assert (wide["bends_from"], wide["bends_to"]) == pytest.approx((bent.min(), bent.max()))
    for seed in range(5):  # random one-layer nets: the exact count is the units' bends + 1
        params = mlp.init_params((1, 6, 1), seed=seed)
        params["b1"] = np.random.default_rng(seed).normal(size=6)
        assert len(nd.exact_bends(params)) == len(_one_layer_bends(params))


def _seconds_with(config, widths, seconds=nd.estimated_seconds):
    """``seconds`` of ``config`` at another grid of widths, without the Config's own check."""
    import copy

    other = copy.copy(config)
    object.__setattr__(other, "widths", widths)
    return seconds(other)


HEAVY = {"max_depth": 8, "epochs": 400, "folds": 10, "n_samples": 600, "ua_epochs": 3000}


@pytest.mark.parametrize("width", [2, 4, 8, 16, 64])
@pytest.mark.parametrize("widths", nd.WIDTH_GRIDS)
def test_a_refusal_names_no_widths_where_no_grid_brings_the_heavy_run_within_the_limit(
    widths, width
):
    """Audit pass 51: at widths (2, 4, 8, 16), width 8, 8 layers, 400 epochs, 10 folds, 600 points
    and 3,000 1-D epochs the refusal said "… or pick fewer or narrower 'widths'", where every grid
    the sidebar offers costs at least the 31.6 s of that one (the cheapest). A remedy is named
    only where it lowers the estimate."""
    with pytest.raises(ValueError) as refused:
        nd.Config(widths=widths, width=width, **HEAVY)
    with pytest.raises(ValueError):  # the witness is over the budget
        nd.Config(widths=(2, 4, 8, 16), width=8, **HEAVY)
    probe = nd.Config(widths=widths, width=width)  # a valid Config to price other grids with
    for key, value in HEAVY.items():
        object.__setattr__(probe, key, value)
    enough = min(_seconds_with(probe, grid) for grid in nd.WIDTH_GRIDS) <= BUDGET_SECONDS
    assert ("'widths'" in str(refused.value)) == enough, str(refused.value)


@pytest.mark.parametrize("widths", nd.WIDTH_GRIDS)
@pytest.mark.parametrize("depth, epochs, folds", [(4, 200, 10), (8, 200, 3), (6, 400, 3)])
def test_a_refusal_names_other_widths_only_where_one_alone_brings_the_grid_within_the_limit(
    widths, depth, epochs, folds
):
    """A lighter grid than the test above, where the cheapest grid of widths is enough for some
    settings and not for others: "pick fewer or narrower 'widths'" is named exactly where one of
    the sidebar's grids, the rest as they are, brings the estimate within the budget."""
    values = dict(max_depth=depth, epochs=epochs, folds=folds, widths=widths, width=widths[-1])
    try:
        nd.Config(**values)
        return
    except ValueError as refused:
        text = str(refused)
    probe = nd.Config(widths=widths, width=widths[-1])
    for key, value in values.items():
        object.__setattr__(probe, key, value)
    enough = min(_seconds_with(probe, grid) for grid in nd.WIDTH_GRIDS) <= BUDGET_SECONDS
    assert ("'widths'" in text) == enough, text


def test_an_upload_refusal_names_other_widths_only_where_one_is_cheaper():
    """Audit pass 51: the upload refusal always added "or pick fewer or narrower 'widths'". With
    50 features and 20 classes at widths (8, 32), width 2, 4 layers, 10 folds of 400 epochs (7.1 s
    on 60 rows, limit 6 s) no grid the sidebar offers lowers the estimate."""
    from core import upload

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.standard_normal((600, 50)), columns=[f"f{i}" for i in range(50)])
    frame["y"] = rng.integers(0, 20, 600)
    ds = upload.dataset_from_frame(frame, target="y", name="wide.csv")[0]

    def least(c):
        return nd.upload_seconds(c, nd.UPLOAD_MIN_TRAIN, 50, 20)

    settings = [dict(max_depth=4, width=2, folds=10, ua_epochs=100)]  # the witness
    settings += [dict(max_depth=3, width=16, folds=10)]
    for kwargs in settings:
        for widths in nd.WIDTH_GRIDS:
            try:
                config = nd.Config(n_samples=100, widths=widths, epochs=400, **kwargs)
            except ValueError:  # over the page's own budget on its 2-D sets
                continue
            if least(config) <= nd.UPLOAD_SECONDS:
                continue
            with pytest.raises(ValueError) as refused:
                nd.prepare_data(config, ds)
            cheaper = any(_seconds_with(config, g, least) < least(config) for g in nd.WIDTH_GRIDS)
            # named only where cheaper (and, since pass 52, only where that alone is enough)
            assert cheaper or "'widths'" not in str(refused.value), (widths, str(refused.value))
            if widths == (8, 32) and kwargs["width"] == 2:
                assert not cheaper


def _wide_upload(features: int = 50, classes: int = 20, rows: int = 600):
    from core import upload

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        rng.standard_normal((rows, features)), columns=[f"f{i}" for i in range(features)]
    )
    frame["y"] = np.arange(rows) % classes
    return upload.dataset_from_frame(frame, target="y", name="wide.csv")[0]


@pytest.mark.parametrize(
    "settings",
    [
        # the witness: 'ua_epochs' at its least (100) alone leaves 7.7 s of the 8 s (limit 6 s)
        dict(max_depth=3, widths=(2, 4, 8, 16, 32, 64), width=64, folds=10, epochs=150),
        # 'folds' at 3 alone leaves 6.3 s
        dict(max_depth=3, widths=(2, 4, 8, 16, 32, 64), width=64, folds=5, epochs=400),
        dict(
            max_depth=5,
            widths=(4, 16, 64),
            width=64,
            folds=3,
            epochs=400,
            activation="relu",
            ua_epochs=3000,
        ),
    ],
)
def test_an_upload_refusal_names_only_moves_that_fit_alone(settings):
    """Audit pass 52: with 50 features and 20 classes, depth 3, six widths, 10 folds of 150 GELU
    epochs (8 s on 60 rows, limit 6 s) the upload refusal said "Lower 'max_depth', 'epochs',
    'folds' or 'ua_epochs', …", though 'Epochs for the 1-D fits' at its least alone leaves 7.7 s.
    Every control or move it names brings the grid on 60 rows within the limit alone (or all
    together, where it says so), and every one that does is named."""
    import copy

    from core.config import param_of
    from core.experiments.budget import can_lower

    ds = _wide_upload()
    config = nd.Config(n_samples=100, **{"activation": "gelu", **settings})

    def fits(**change):
        other = copy.copy(config)
        for name, value in change.items():
            object.__setattr__(other, name, value)
        return nd.upload_seconds(other, nd.UPLOAD_MIN_TRAIN, 50, 20) <= nd.UPLOAD_SECONDS

    with pytest.raises(ValueError) as refused:
        nd.upload_train_rows(config, ds)
    text = str(refused.value)
    moves = {
        f"'{name}'": {name: param_of(nd.Config, name).least}
        for name in ("max_depth", "epochs", "folds", "ua_epochs")
        if can_lower(config, name)
    }
    cheapest = min(nd.WIDTH_GRIDS, key=lambda grid: _seconds_with(config, grid))
    moves["'widths'"] = {"widths": cheapest}
    if config.activation != "relu":
        moves["'activation'"] = {"activation": "relu"}
    assert "together" not in text, text
    for phrase, change in moves.items():
        assert (phrase in text) == fits(**change), (phrase, text)


def test_an_upload_refusal_prints_its_estimate_above_the_limit():
    """Audit pass 52: a 2-feature, 2-class file at depth 6, six widths, 10 folds of 40 epochs and
    3,000 1-D epochs was refused with "this grid would take about 6 s even on 60 training rows
    (limit 6 s)" for 6.15 s: a cost printed at the limit it is refused for passing."""
    import re
    from decimal import Decimal

    config = _six_widths_slow_1d()
    with pytest.raises(ValueError) as refused:
        nd.upload_train_rows(config, _wide_upload(2, 2))
    text = str(refused.value)
    cost, limit = re.search(r"about ([\d.]+) s .*\(limit ([\d.]+) s\)", text).groups()
    assert Decimal(cost) > Decimal(limit), text


def test_more_epochs_on_an_upload_are_suggested_only_where_its_rows_still_fit():
    """Audit pass 52: the 2-D moons set as a file (600 rows), depth 6, six widths, width 8, 10
    folds of 30 epochs at η 0.001, 3,000 1-D epochs: "… still falling at the end …: part of the
    gap may be training speed rather than capacity. Raise the epochs to see how much of it
    closes." At 40 epochs the file is refused ("about 6 s even on 60 training rows"). "Raise the
    epochs" is said only where one step more keeps the run's training rows within the upload's
    budget."""
    from core import upload

    moons = make_classification_2d("moons", n_samples=600, noise=0.2, seed=0)
    frame = pd.DataFrame(np.vstack([moons.X_train, moons.X_test]), columns=["a", "b"])
    frame["y"] = np.concatenate([moons.y_train, moons.y_test])
    ds = upload.dataset_from_frame(frame, target="y", name="moons.csv")[0]
    config = _six_widths_slow_1d(epochs=30)
    result = nd.run(config, data=ds)
    fact = next(f for f in nd.facts(config, result) if f.claim == "shallow_still_learning")
    more = dataclasses.replace(config, epochs=40)
    fits = nd.upload_seconds(more, result.n_train, 2, 1) <= nd.UPLOAD_SECONDS
    assert ("Raise the epochs" in fact.text) == fits == fact.values["more_epochs"], fact.text
    assert not fits  # the witness: one step more has the file refused


def test_a_file_with_fewer_rows_than_the_least_sample_is_priced_on_its_own():
    """Audit pass 52: a 50-row file of 50 features and 2 classes (35 training rows) at depth 3,
    widths (4, 16, 64), 10 folds of 400 epochs was refused "about 6.2 s even on 60 training rows
    (limit 6 s)": the file has 35, whose grid is estimated at 5.5 s. A file is refused only where
    the rows it would run on pass the limit, and every refusal prices rows the file has."""
    ds = _wide_upload(50, 2, rows=50)
    n_train = len(ds.y_train)
    assert n_train < nd.UPLOAD_MIN_TRAIN
    config = nd.Config(
        n_samples=100, max_depth=3, widths=(4, 16, 64), width=64, folds=10, epochs=400
    )
    assert nd.upload_seconds(config, n_train, 50, 1) <= nd.UPLOAD_SECONDS  # the witness
    used, _ = nd.prepare_data(config, ds)
    assert len(used.y_train) == n_train
    heavier = _wide_upload(50, 10, rows=50)  # ten classes: 8.4 s on its 35 rows at depth 4
    with pytest.raises(ValueError) as refused:
        nd.prepare_data(dataclasses.replace(config, max_depth=4), heavier)
    assert f"on its {n_train} training rows" in str(refused.value), str(refused.value)


def test_the_hand_set_net_is_not_called_deep_where_it_has_one_layer():
    """Audit pass 53 d: at ?ua=sawtooth&level=1 the fits legend, the pieces chart and the 1-D table
    called the hand-set net "deep, hand-set weights", though at L = 1 it is one layer of 2 units."""
    summary = nd.universal_approximation("sawtooth", 1, 200, 3, 100, 0)[1]
    (name,) = [m for m in summary["model"] if "hand-set" in m]
    assert "deep" not in name, name


@pytest.mark.parametrize(
    "settings, rows, features",
    [
        (dict(n_samples=600, epochs=300, max_depth=6), 150, 2),
        (dict(n_samples=100, epochs=200, max_depth=5), 2000, 30),
    ],
)
def test_the_spinner_prices_the_uploaded_file_it_runs_on(settings, rows, features):
    """Audit pass 54: with a file loaded the spinner priced the idle 2-D set ("about 9 s" at 600
    points, 6 layers and 300 epochs, for a run on the 105 training rows of a 150-row file
    estimated at 5.5 s; "about 3 s" at 100 points for one on 420 rows of 30 features estimated
    at 5.1 s). It gives the estimate of the run it starts: the grid on the rows prepare_data
    keeps, plus the 1-D fits."""
    import ui.runner
    from tests.core.test_upload_experiments import _upload

    config = nd.Config(**settings)
    ds = _upload(rows, features=features, classes=2)
    used, _ = nd.prepare_data(config, ds)
    run = nd.upload_seconds(config, len(used.y_train), features, 1)
    assert ui.runner.estimate("network_depth", config, ds) == pytest.approx(run, rel=1e-12)
    assert ui.runner.with_estimate("Cross-validating the grid…", run) == ui.runner.with_estimate(
        "Cross-validating the grid…", ui.runner.estimate("network_depth", config, ds)
    )


def test_a_one_column_file_is_refused_with_one_feature_in_the_singular():
    """Audit pass 56 a: a 300-row file of one feature and 2 classes at depth 4, six widths, 5
    folds of 200 GELU epochs (100 points) was refused "With 1 features and 2 classes, this grid
    would take about 8 s even on 60 training rows"."""
    ds = _wide_upload(1, 2, rows=300)
    config = nd.Config(
        n_samples=100,
        max_depth=4,
        widths=(2, 4, 8, 16, 32, 64),
        width=2,
        folds=5,
        epochs=200,
        activation="gelu",
    )
    with pytest.raises(ValueError) as refused:
        nd.prepare_data(config, ds)
    assert str(refused.value).startswith("With 1 feature and 2 classes,"), str(refused.value)
