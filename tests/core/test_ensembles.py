"""core.ensembles: depth really limits the trees, staged outputs match the libraries, bias² + variance add up."""

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from core import ensembles as ens
from core.data import load_bundled, make_classification_2d


@pytest.fixture(scope="module")
def moons():
    return make_classification_2d("moons", n_samples=400, noise=0.3, seed=1)


def _lightgbm_tree_depths(model) -> list[int]:
    """Edges from the root to the deepest leaf of every tree, from LightGBM's own model dump."""

    def depth(node) -> int:
        if "leaf_index" in node or "left_child" not in node:
            return 0
        return 1 + max(depth(node["left_child"]), depth(node["right_child"]))

    return [depth(t["tree_structure"]) for t in model.booster_.dump_model()["tree_info"]]


@pytest.mark.parametrize("max_depth", [1, 2, 3, 5])
def test_lightgbm_trees_are_never_deeper_than_asked(moons, max_depth):
    model = ens.make_model("gradient_boosting", max_depth=max_depth, n_estimators=30)
    model.fit(moons.X_train, moons.y_train)
    depths = _lightgbm_tree_depths(model)
    assert max(depths) <= max_depth
    assert max(depths) == max_depth, "the limit binds: some tree reaches it"
    leaves = [t["num_leaves"] for t in model.booster_.dump_model()["tree_info"]]
    assert max(leaves) <= 2**max_depth


def test_leaves_are_tied_to_depth_so_depth_is_what_limits():
    assert [ens.num_leaves_for_depth(d) for d in (1, 2, 3, 8)] == [2, 4, 8, 256]
    assert ens.num_leaves_for_depth(12) == ens.LEAF_CAP
    assert ens.num_leaves_for_depth(None) == ens.num_leaves_for_depth(-1) == ens.LEAF_CAP
    # LightGBM's default of 31 leaves would cap a depth-8 tree far below its 256 possible leaves.
    model = ens.make_model("gradient_boosting", max_depth=8)
    assert model.get_params()["num_leaves"] == 256


def test_unlimited_lightgbm_trees_grow_deeper_than_the_deepest_panel(moons):
    model = ens.make_model("gradient_boosting", max_depth=None, n_estimators=10)
    model.fit(moons.X_train, moons.y_train)
    assert max(_lightgbm_tree_depths(model)) > 8


def test_hist_gradient_boosting_trees_respect_the_depth(moons):
    model = ens.make_model("hist_gradient_boosting", max_depth=3, n_estimators=20)
    with threadpool_limits(limits=1, user_api="openmp"):  # many OpenMP threads crawl on 2 cores
        model.fit(moons.X_train, moons.y_train)
    assert max(p.get_max_depth() for it in model._predictors for p in it) <= 3


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_staged_lightgbm_outputs_equal_predictions_with_num_iteration(moons, task):
    y = moons.y_train if task == "classification" else moons.X_train[:, 0] ** 2
    model = ens.make_model("gradient_boosting", max_depth=3, task=task, n_estimators=25)
    model.fit(moons.X_train, y)
    staged = ens.staged_outputs(model, moons.X_test, task=task)
    assert staged.shape[0] == 25
    for k in (1, 7, 25):
        if task == "classification":
            expected = model.predict_proba(moons.X_test, num_iteration=k)
        else:
            expected = model.predict(moons.X_test, num_iteration=k)
        np.testing.assert_allclose(staged[k - 1], expected, rtol=1e-10, atol=1e-12)
    labels = ens.staged_predictions(model, moons.X_test, task=task)
    expected_last = model.predict(moons.X_test)
    if task == "classification":
        np.testing.assert_array_equal(labels[-1], expected_last)
    else:
        np.testing.assert_allclose(labels[-1], expected_last, rtol=1e-10)


def test_staged_forest_is_the_running_mean_of_its_trees(moons):
    model = ens.make_model("random_forest", max_depth=None, n_estimators=12)
    model.fit(moons.X_train, moons.y_train)
    staged = ens.staged_outputs(model, moons.X_test)
    first_five = np.mean([t.predict_proba(moons.X_test) for t in model.estimators_[:5]], axis=0)
    np.testing.assert_allclose(staged[4], first_five, rtol=1e-12)
    np.testing.assert_allclose(staged[-1], model.predict_proba(moons.X_test), rtol=1e-12)
    labels = ens.staged_predictions(model, moons.X_test)
    np.testing.assert_array_equal(labels[-1], model.predict(moons.X_test))


def test_staged_hist_gradient_boosting_ends_at_its_prediction(moons):
    model = ens.make_model("hist_gradient_boosting", max_depth=2, n_estimators=15)
    with threadpool_limits(limits=1, user_api="openmp"):
        model.fit(moons.X_train, moons.y_train)
        staged = ens.staged_outputs(model, moons.X_test)
    np.testing.assert_allclose(staged[-1], model.predict_proba(moons.X_test), rtol=1e-10)


def test_log_loss_matches_its_definition():
    proba = np.array([[[0.9, 0.1], [0.2, 0.8], [0.0, 1.0]]])
    y = np.array([0, 1, 0])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(ens.LOG_LOSS_EPS)) / 3
    assert ens.log_losses(proba, y, np.array([0, 1]))[0] == pytest.approx(expected)


def test_depth_sweep_returns_both_models_at_every_depth(moons):
    X = np.vstack([moons.X_train, moons.X_test])
    y = np.concatenate([moons.y_train, moons.y_test])
    table = ens.depth_sweep(X, y, depths=[1, 3, None], n_estimators=10, seed=0)
    assert set(table["model"]) == {"random_forest", "gradient_boosting"}
    assert sorted(table["max_depth"].unique()) == [-1, 1, 3]
    assert (table.loc[table["max_depth"] == -1, "depth"] == "unlimited").all()
    assert table[["train_error", "test_error"]].apply(lambda c: c.between(0, 1)).all().all()
    assert (table["fit_seconds"] > 0).all()
    # grown out, both fit the training set; stumps cannot
    deep = table[table["max_depth"] == -1].set_index("model")
    stump = table[table["max_depth"] == 1].set_index("model")
    assert (deep["train_error"] < stump["train_error"]).all()
    again = ens.depth_sweep(X, y, depths=[1, 3, None], n_estimators=10, seed=0)
    cols = ["model", "max_depth", "train_error", "test_error", "train_log_loss", "mean_leaves"]
    assert again[cols].equals(table[cols])


def test_sweep_reports_progress_up_to_one(moons):
    seen = []
    ens.sweep_depths(
        moons.X_train,
        moons.y_train,
        moons.X_test,
        moons.y_test,
        depths=[1, 2],
        n_estimators=5,
        progress=lambda fraction, message: seen.append((fraction, message)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in seen)


def test_a_cut_tree_is_the_depth_limited_tree_with_one_feature():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(200, 1))
    y = np.sin(6 * X[:, 0]) + rng.normal(size=200)
    X_new = rng.uniform(size=(300, 1))
    depths = (1, 2, 3, 5, 8, None)
    full = DecisionTreeRegressor(random_state=0).fit(X, y)
    cut = ens.cut_tree_predictions(full, X_new, depths)
    forest = RandomForestRegressor(n_estimators=5, random_state=1).fit(X, y)
    per_tree = [ens.cut_tree_predictions(t, X_new, depths) for t in forest.estimators_]
    for d in depths:
        limited = DecisionTreeRegressor(random_state=0, max_depth=d).fit(X, y)
        np.testing.assert_allclose(cut[ens.check_depth(d)], limited.predict(X_new), rtol=1e-12)
        limited_forest = RandomForestRegressor(n_estimators=5, random_state=1, max_depth=d).fit(
            X, y
        )
        mean = np.mean([p[ens.check_depth(d)] for p in per_tree], axis=0)
        np.testing.assert_allclose(mean, limited_forest.predict(X_new), rtol=1e-12)


def _one_feature(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 1))
    y = (np.sin(4 * X[:, 0]) + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X[: n // 2], y[: n // 2], X[n // 2 :], y[n // 2 :]


@pytest.mark.parametrize("depth", [1, 2, 4, 7, None])
def test_a_cut_forest_is_the_depth_limited_forest_with_one_feature(depth):
    """With one feature every split sees every feature, so cutting is exactly refitting."""
    X, y, X_new, _ = _one_feature()
    cuts = ens.ForestCuts(RandomForestClassifier(n_estimators=7, random_state=3).fit(X, y))
    limited = RandomForestClassifier(n_estimators=7, random_state=3, max_depth=depth).fit(X, y)
    cut = cuts.at(depth)
    np.testing.assert_allclose(cut.predict_proba(X_new), limited.predict_proba(X_new), rtol=1e-12)
    np.testing.assert_array_equal(cut.predict(X_new), limited.predict(X_new))
    leaves = [t.get_n_leaves() for t in limited.estimators_]
    np.testing.assert_array_equal(cuts.leaf_counts(depth), leaves)
    staged = ens.staged_outputs(cut, X_new)
    np.testing.assert_allclose(staged, ens.staged_outputs(limited, X_new), rtol=1e-12)
    assert staged.shape == (7, len(X_new), 2)


def test_a_cut_regression_forest_predicts_like_the_depth_limited_one():
    X, y, X_new, _ = _one_feature()
    target = np.sin(4 * X[:, 0]) + y
    cuts = ens.ForestCuts(RandomForestRegressor(n_estimators=5, random_state=1).fit(X, target))
    for depth in (1, 3, None):
        limited = RandomForestRegressor(n_estimators=5, random_state=1, max_depth=depth)
        limited.fit(X, target)
        np.testing.assert_allclose(
            cuts.at(depth).predict(X_new), limited.predict(X_new), rtol=1e-12
        )


def test_cutting_needs_a_forest_grown_without_a_depth_limit():
    X, y, _, _ = _one_feature()
    with pytest.raises(ValueError, match="max_depth=None"):
        ens.ForestCuts(RandomForestClassifier(n_estimators=2, max_depth=3).fit(X, y))
    with pytest.raises(ValueError, match="random forest"):
        ens.ForestCuts(DecisionTreeRegressor().fit(X, y))


def test_a_sweep_that_cuts_one_forest_scores_like_one_that_refits_with_one_feature():
    X, y, X_new, y_new = _one_feature(400, seed=5)
    kw = {"depths": [1, 2, 5, None], "models": ("random_forest",), "n_estimators": 12, "seed": 4}
    refit = ens.sweep_depths(X, y, X_new, y_new, **kw)
    cut = ens.sweep_depths(X, y, X_new, y_new, forest="cut", timing_trees=3, **kw)
    cols = ["max_depth", "train_error", "test_error", "train_log_loss", "mean_leaves"]
    pd.testing.assert_frame_equal(cut.summary[cols], refit.summary[cols])
    pd.testing.assert_frame_equal(cut.staged, refit.staged)
    per_tree = cut.summary["seconds_per_tree"]
    assert (per_tree > 0).all()
    np.testing.assert_allclose(cut.summary["fit_seconds"], per_tree * 12)
    with pytest.raises(ValueError, match="'forest'"):
        ens.sweep_depths(X, y, X_new, y_new, forest="grow", **kw)


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_lightgbm_on_one_dataset_predicts_like_a_model_per_depth(moons, task):
    y = moons.y_train if task == "classification" else moons.X_train[:, 0] ** 2
    depths = (1, 3, None)
    fast = ens.lightgbm_predictions(
        moons.X_train, y, moons.X_test, depths=depths, task=task, n_estimators=20, seed=2
    )
    for depth in depths:
        model = ens.make_model("gradient_boosting", max_depth=depth, task=task, n_estimators=20)
        model.set_params(random_state=2).fit(moons.X_train, y)
        expected = (
            model.predict_proba(moons.X_test)[:, 1]
            if task == "classification"
            else model.predict(moons.X_test)
        )
        np.testing.assert_allclose(fast[ens.check_depth(depth)], expected, rtol=1e-12, atol=1e-15)


@pytest.fixture(scope="module")
def decomposition():
    return ens.bias_variance(
        depths=[1, 3, None],
        n_train_sets=5,
        n_train=150,
        n_test=300,
        noise=1.0,
        n_estimators=100,
        forest_trees=15,
        seed=3,
    )


def test_bias_squared_plus_variance_plus_noise_is_the_expected_squared_error(decomposition):
    z = (decomposition["measured_mse"] - decomposition["expected_mse"]) / decomposition[
        "measured_se"
    ]
    assert (z.abs() < 4).all(), decomposition
    sums = decomposition["bias_sq"] + decomposition["variance"] + decomposition["noise"]
    np.testing.assert_allclose(sums, decomposition["expected_mse"], rtol=1e-12)


def test_without_noise_the_decomposition_is_exact():
    table = ens.bias_variance(
        depths=[2, None],
        n_train_sets=3,
        n_train=100,
        n_test=100,
        noise=0.0,
        n_estimators=10,
        forest_trees=5,
        seed=0,
    )
    np.testing.assert_allclose(
        table["measured_mse"], table["bias_sq"] + table["variance"], rtol=1e-10
    )
    assert (table["noise"] == 0).all()


def test_boosting_lowers_bias_and_the_forest_lowers_variance(decomposition):
    t = decomposition.set_index(["model", "max_depth"])
    # shallow: boosting's sum of stumps is far less biased than one stump or an average of stumps
    assert t.loc[("gradient_boosting", 1), "bias_sq"] < 0.5 * t.loc[("single_tree", 1), "bias_sq"]
    assert t.loc[("gradient_boosting", 1), "bias_sq"] < 0.5 * t.loc[("random_forest", 1), "bias_sq"]
    # deep: averaging cuts the variance of grown-out trees
    assert t.loc[("random_forest", -1), "variance"] < 0.5 * t.loc[("single_tree", -1), "variance"]
    # boosting's variance grows with the depth of its trees
    assert (
        t.loc[("gradient_boosting", -1), "variance"] > t.loc[("gradient_boosting", 1), "variance"]
    )


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "3"])
def test_bad_depths_are_refused(bad):
    with pytest.raises(ValueError, match="max_depth"):
        ens.check_depth(bad)


def test_unknown_model_or_task_is_refused():
    with pytest.raises(ValueError, match="model"):
        ens.make_model("xgboost", max_depth=3)
    with pytest.raises(ValueError, match="task"):
        ens.make_model("random_forest", max_depth=3, task="ranking")


@pytest.mark.parametrize("depth", [1, 3, None])
def test_early_stopped_boosting_is_lightgbms_own_model_at_the_round_it_keeps(moons, depth):
    """Early stopping on a validation split, checked against LightGBM's scikit-learn API."""
    X, y = moons.X_train, moons.y_train
    fit, val = ens.split_validation(y, 0.25, 0, stratify=True)
    model = ens.fit_early_stopped(
        X[fit], y[fit], X[val], y[val], max_depth=depth, learning_rate=0.1, patience=15, seed=2
    )
    assert model.rounds_fitted == model.best_iteration + 15 and model.stop == "patience"
    same = ens.make_model("gradient_boosting", max_depth=depth, n_estimators=model.best_iteration)
    same.set_params(random_state=2).fit(X[fit], y[fit])
    np.testing.assert_allclose(
        model.predict_proba(moons.X_test), same.predict_proba(moons.X_test), rtol=1e-12, atol=1e-15
    )
    np.testing.assert_array_equal(model.predict(moons.X_test), same.predict(moons.X_test))
    # the kept round has the lowest validation log loss among the rounds grown (first among ties)
    staged = ens.staged_outputs(model, X[val])
    losses = ens.log_losses(staged, y[val], model.classes_)
    assert len(losses) == model.rounds_fitted
    assert int(np.argmin(losses)) + 1 == model.best_iteration
    # LightGBM's own early stopping (scikit-learn API, same split) keeps the same round
    lgbm = ens.make_model("gradient_boosting", max_depth=depth, n_estimators=1000)
    lgbm.set_params(random_state=2).fit(
        X[fit],
        y[fit],
        eval_X=(X[val],),
        eval_y=(y[val],),
        callbacks=[lgb.early_stopping(15, first_metric_only=True, verbose=False)],
    )
    assert lgbm.best_iteration_ == model.best_iteration


def test_early_stopping_stops_at_the_cap_and_says_so(moons):
    X, y = moons.X_train, moons.y_train
    fit, val = ens.split_validation(y, 0.25, 0, stratify=True)
    model = ens.fit_early_stopped(
        X[fit], y[fit], X[val], y[val], max_depth=1, learning_rate=0.01, max_rounds=40, patience=30
    )
    assert model.rounds_fitted == 40 and model.stop == "cap" and model.capped


def test_a_sweep_with_early_stopping_gives_histgradientboosting_lightgbms_rounds(moons):
    sweep = ens.sweep_depths(
        moons.X_train,
        moons.y_train,
        moons.X_test,
        moons.y_test,
        depths=[1, 4],
        models=(*ens.ENSEMBLES, "hist_gradient_boosting"),
        n_estimators=10,
        validation_fraction=0.25,
        patience=10,
    )
    s = sweep.summary.set_index(["model", "max_depth"])
    for d in (1, 4):
        rounds = s.loc[("gradient_boosting", d), "n_trees"]
        assert s.loc[("hist_gradient_boosting", d), "n_trees"] == rounds
        assert s.loc[("random_forest", d), "n_trees"] == 10
        error = s.loc[("gradient_boosting", d), "test_error"]
        assert s.loc[("gradient_boosting", d), "test_se"] == pytest.approx(
            np.sqrt(error * (1 - error) / len(moons.y_test))
        )


def test_the_regression_forest_is_a_random_forest_not_bagging():
    model = ens.make_model("random_forest", max_depth=None, task="regression")
    assert model.get_params()["max_features"] == pytest.approx(1 / 3)
    assert ens.make_model("random_forest", max_depth=None).get_params()["max_features"] == "sqrt"


def test_the_spread_over_training_sets_brackets_the_expected_error(decomposition):
    d = decomposition
    assert (d["set_mse_min"] <= d["expected_mse"] + 1e-9).all()
    assert (d["expected_mse"] <= d["set_mse_max"] + 1e-9).all()
    np.testing.assert_allclose(d["expected_se"], d["set_mse_sd"] / np.sqrt(5))


def test_boosting_that_can_split_no_more_stops_and_says_so():
    """Deep trees fit breast cancer's training rows within a few rounds at eta = 1; then the
    curvature p(1 - p) in the leaves vanishes, no leaf can split, and LightGBM stops growing."""
    d = load_bundled("breast_cancer", seed=0)
    fit, val = ens.split_validation(d.y_train, 0.25, 0, stratify=True)
    model = ens.fit_early_stopped(
        d.X_train[fit],
        d.y_train[fit],
        d.X_train[val],
        d.y_train[val],
        max_depth=None,
        learning_rate=1.0,
        max_rounds=3000,
        patience=2000,
    )
    assert model.stop == "exhausted" and model.capped
    assert model.rounds_fitted < model.best_iteration + 2000


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_a_forest_grown_in_steps_is_the_forest_of_one_fit(task):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) if task == "classification" else X[:, 0] ** 2
    one = ens.make_model("random_forest", max_depth=4, task=task, n_estimators=45, seed=7).fit(X, y)
    steps = ens.fit_model(
        ens.make_model("random_forest", max_depth=4, task=task, n_estimators=45, seed=7), X, y
    )
    assert len(steps.estimators_) == 45 and not steps.warm_start
    predict = "predict_proba" if task == "classification" else "predict"
    np.testing.assert_array_equal(getattr(one, predict)(X), getattr(steps, predict)(X))


def test_validation_count_is_the_split_s_own_count():
    """The bias-variance caption counts the held-out rows without scikit-learn (the server
    process never imports it; pass 59's caption called train_test_split there)."""
    for n in range(4, 400, 7):
        for fraction in (0.25, 0.2, 0.1):
            y = np.arange(n) % 2
            # stratified, each class needs a held-out row (scikit-learn refuses fewer)
            for stratify in (False, True) if fraction * n > 2 else (False,):
                held = len(ens.split_validation(y, fraction, 0, stratify=stratify)[1])
                assert ens.validation_count(n, fraction) == held, (n, fraction, stratify)
