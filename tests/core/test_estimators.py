"""MLPClassifier / MLPRegressor follow scikit-learn's estimator contract and learn what they should."""

import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    RandomizedSearchCV,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from core import mlp, optim, train
from core.data import make_classification_2d
from core.estimators import MLPClassifier, MLPRegressor

# Small, quick settings for scikit-learn's generic checks: they fit dozens of times. The
# defaults pass the same checks too (measured 8.6 s + 4.9 s here, too slow for this file).
FAST = {"hidden_layer_sizes": (16,), "epochs": 40, "batch_size": 64, "learning_rate": 0.03}


@pytest.fixture(scope="module")
def moons():
    return make_classification_2d("moons", n_samples=400, noise=0.2, seed=0)


@parametrize_with_checks([MLPClassifier(**FAST), MLPRegressor(**FAST)])
def test_sklearn_check_estimator(estimator, check):
    # Every check of sklearn.utils.estimator_checks passes; none is skipped or expected to fail
    # (check_array_api_input skips itself unless SCIPY_ARRAY_API is set).
    check(estimator)


def test_old_home_core_mlp_still_resolves_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match=r"core\.mlp\.MLPClassifier .*core\.estimators"):
        assert mlp.MLPClassifier is MLPClassifier
    with pytest.warns(DeprecationWarning, match="from core.estimators import MLPRegressor"):
        from core.mlp import MLPRegressor as OldHome
    assert OldHome is MLPRegressor
    with pytest.raises(AttributeError, match="no attribute 'MLPPerceptron'"):
        mlp.MLPPerceptron  # noqa: B018


def test_importing_core_mlp_loads_no_estimators():
    # core.mlp is a low layer: it must not import the scikit-learn estimators built on it.
    code = "import sys, core.mlp; assert 'core.estimators' not in sys.modules"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_defaults_reach_093_on_moons_in_about_a_second(seed):
    data = make_classification_2d("moons", n_samples=400, noise=0.2, seed=seed)
    start = time.perf_counter()
    clf = MLPClassifier().fit(data.X_train, data.y_train)
    seconds = time.perf_counter() - start
    assert clf.score(data.X_test, data.y_test) >= 0.93
    assert seconds < 3.0  # ~0.2 s on an idle core; generous for a machine shared by other jobs


def test_constructor_only_stores_keywords():
    kwargs = {
        "hidden_layer_sizes": (8, 4),
        "activation": "tanh",
        "optimizer": "momentum",
        "learning_rate": 0.1,
        "epochs": 7,
        "batch_size": None,
        "dropout": 0.2,
        "l1": 0.001,
        "l2": 0.01,
        "init": "xavier",
        "random_state": 3,
    }
    clf = MLPClassifier(**kwargs)
    params = clf.get_params()
    assert {k: params[k] for k in kwargs} == kwargs
    assert not [a for a in vars(clf) if a.endswith("_")]
    # invalid values are accepted by the constructor and rejected by fit
    bad = MLPClassifier(epochs=0)
    with pytest.raises(ValueError, match="epochs == 0, must be >= 1"):
        bad.fit([[0.0], [1.0]], [0, 1])


def test_fitted_attributes(moons):
    clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=5).fit(moons.X_train, moons.y_train)
    assert clf.n_features_in_ == 2
    assert clf.n_iter_ == 5
    assert clf.t_ == 5 * int(np.ceil(len(moons.y_train) / 32))
    assert clf.loss_curve_.shape == (5,)
    assert clf.n_params_ == mlp.count_params((2, 8, 1))
    assert set(clf.params_) == {"W1", "b1", "W2", "b2"}
    assert not clf.diverged_


def test_same_network_as_core_train_fit(moons):
    clf = MLPClassifier(hidden_layer_sizes=(6, 5), epochs=4, batch_size=16, random_state=7)
    clf.fit(moons.X_train, moons.y_train)
    params = mlp.init_params((2, 6, 5, 1), init="he", seed=7)
    history = train.fit(
        params,
        moons.X_train,
        moons.y_train,
        loss="bce_with_logits",
        optimizer=optim.adam(0.01),
        epochs=4,
        batch_size=16,
        seed=7,
    )
    for key, value in history.params.items():
        np.testing.assert_array_equal(clf.params_[key], value)


def test_binary_labels_are_mapped_back(moons):
    names = np.array(["no", "yes"])[moons.y_train]
    clf = MLPClassifier(epochs=30).fit(moons.X_train, names)
    assert list(clf.classes_) == ["no", "yes"]
    pred = clf.predict(moons.X_test)
    assert set(pred) <= {"no", "yes"}
    proba = clf.predict_proba(moons.X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # the decision function is the log-odds of classes_[1], consistent with predict
    np.testing.assert_array_equal(pred == "yes", clf.decision_function(moons.X_test) > 0)
    np.testing.assert_allclose(np.log(proba), clf.predict_log_proba(moons.X_test))


def test_multiclass_uses_softmax():
    X, y = make_blobs(n_samples=300, centers=4, cluster_std=1.0, random_state=0)
    clf = MLPClassifier(epochs=40).fit(X, y)
    assert clf.params_[f"W{mlp.n_layers(clf.params_)}"].shape[1] == 4
    proba = clf.predict_proba(X)
    assert proba.shape == (300, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X, y) > 0.9


def test_regressor_r2_and_multi_output():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(300, 1))
    y = np.sin(3 * X[:, 0])
    reg = MLPRegressor(epochs=150).fit(X, y)
    assert reg.predict(X).shape == (300,)
    assert reg.score(X, y) > 0.95
    Y = np.column_stack([y, np.cos(3 * X[:, 0])])
    reg2 = MLPRegressor(epochs=150).fit(X, Y)
    assert reg2.predict(X).shape == (300, 2)
    assert reg2.n_outputs_ == 2
    assert reg2.score(X, Y) > 0.9


def test_clone_and_set_params_give_an_unfitted_copy(moons):
    clf = MLPClassifier(hidden_layer_sizes=(4,), epochs=3).fit(moons.X_train, moons.y_train)
    copy = clone(clf).set_params(epochs=5)
    assert copy.get_params()["epochs"] == 5
    assert copy.get_params()["hidden_layer_sizes"] == (4,)
    with pytest.raises(NotFittedError):
        copy.predict(moons.X_test)


def test_cross_val_score_and_pipeline(moons):
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    est = MLPClassifier(hidden_layer_sizes=(16,), epochs=30, batch_size=None, learning_rate=0.05)
    scores = cross_val_score(est, moons.X_train, moons.y_train, cv=cv)
    assert scores.shape == (3,)
    assert np.all((scores > 0.5) & (scores <= 1.0))
    # the same folds and seed give the same scores
    np.testing.assert_array_equal(scores, cross_val_score(est, moons.X_train, moons.y_train, cv=cv))
    pipe = make_pipeline(StandardScaler(), est)
    assert cross_val_score(pipe, moons.X_train, moons.y_train, cv=cv).mean() > 0.8


def test_grid_search_picks_from_the_grid_and_refits(moons):
    search = GridSearchCV(
        MLPClassifier(epochs=20, batch_size=None, learning_rate=0.05),
        {"hidden_layer_sizes": [(), (16, 16)], "activation": ["relu", "tanh"]},
        cv=3,
    )
    search.fit(moons.X_train, moons.y_train)
    assert len(search.cv_results_["params"]) == 4
    # a linear model cannot separate the moons as well as two hidden layers
    assert search.best_params_["hidden_layer_sizes"] == (16, 16)
    assert hasattr(search.best_estimator_, "classes_")
    assert search.score(moons.X_test, moons.y_test) > 0.85


def test_randomized_search_samples_optimizer_settings(moons):
    search = RandomizedSearchCV(
        MLPClassifier(hidden_layer_sizes=(8,), epochs=10),
        {"optimizer": ["adam", "rmsprop", "momentum"], "learning_rate": [0.003, 0.01, 0.03]},
        n_iter=3,
        cv=3,
        random_state=0,
    )
    search.fit(moons.X_train, moons.y_train)
    assert len(search.cv_results_["params"]) == 3
    assert search.best_params_["optimizer"] in {"adam", "rmsprop", "momentum"}


def test_learning_rate_none_uses_the_optimizer_default(moons):
    a = MLPClassifier(optimizer="rmsprop", learning_rate=None, epochs=3, hidden_layer_sizes=(4,))
    b = MLPClassifier(optimizer="rmsprop", learning_rate=0.01, epochs=3, hidden_layer_sizes=(4,))
    a.fit(moons.X_train, moons.y_train)
    b.fit(moons.X_train, moons.y_train)
    np.testing.assert_array_equal(a.params_["W1"], b.params_["W1"])


def test_l2_shrinks_the_weights(moons):
    kw = {"hidden_layer_sizes": (16,), "epochs": 30}
    plain = MLPClassifier(**kw).fit(moons.X_train, moons.y_train)
    shrunk = MLPClassifier(l2=0.05, **kw).fit(moons.X_train, moons.y_train)
    assert np.linalg.norm(shrunk.params_["W1"]) < 0.8 * np.linalg.norm(plain.params_["W1"])


def test_pickle_round_trip_predicts_the_same(moons):
    clf = MLPClassifier(hidden_layer_sizes=(8,), epochs=5).fit(moons.X_train, moons.y_train)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(
        again.predict_proba(moons.X_test), clf.predict_proba(moons.X_test)
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"activation": "softsign"}, "The 'activation' parameter of MLPClassifier must be one of"),
        ({"optimizer": "lbfgs"}, "The 'optimizer' parameter"),
        ({"init": "orthogonal"}, "The 'init' parameter"),
        ({"learning_rate": 0.0}, r"learning_rate == 0.0, must be > 0.0"),
        ({"dropout": 1.0}, r"dropout == 1.0, must be < 1.0"),
        ({"batch_size": 0}, r"batch_size == 0, must be >= 1"),
        ({"l2": -1.0}, r"l2 == -1.0, must be >= 0.0"),
        ({"hidden_layer_sizes": (8, 0)}, r"hidden_layer_sizes\[1\] == 0, must be >= 1"),
        ({"hidden_layer_sizes": "wide"}, "hidden_layer_sizes must be an int or a sequence"),
        ({"epochs": 2.5}, "epochs must be an instance of int"),
        ({"random_state": -1}, r"random_state == -1, must be >= 0"),
        ({"optimizer_kw": {"momentum": 0.9}}, "optimizer_kw does not fit optimizer 'adam'"),
    ],
)
def test_bad_hyperparameters_raise_on_fit(params, message):
    with pytest.raises(ValueError, match=message):
        MLPClassifier(**params).fit([[0.0], [1.0]], [0, 1])


def test_bad_inputs_use_sklearn_messages(moons):
    clf = MLPClassifier(hidden_layer_sizes=(4,), epochs=2)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        clf.predict(moons.X_test)
    X = moons.X_train.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        clf.fit(X, moons.y_train)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(moons.X_train, moons.y_train + 0.5)
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(moons.X_train, np.zeros(len(moons.y_train)))
    clf.fit(moons.X_train, moons.y_train)
    with pytest.raises(ValueError, match="X has 3 features, but MLPClassifier is expecting 2"):
        clf.predict(np.zeros((2, 3)))


def test_divergence_warns_and_keeps_finite_parameters():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)) * 100.0
    y = X @ np.array([1.0, -2.0, 3.0]) * 100.0
    reg = MLPRegressor(hidden_layer_sizes=(8,), optimizer="gd", learning_rate=1.0, epochs=20)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        reg.fit(X, y)
    assert reg.diverged_
    assert all(np.all(np.isfinite(v)) for v in reg.params_.values())
