"""core.regularization: paths equal scikit-learn's estimators, L1 zeros are exact, the 2-D optima are exact."""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge
from sklearn.model_selection import KFold

from core import regularization as reg
from core.gradcheck import numerical_grad, rel_error


@pytest.fixture(scope="module")
def data():
    """Raw (unstandardized, non-centred) features with a sparse truth: the intercept matters."""
    rng = np.random.default_rng(3)
    X = rng.normal(
        loc=[2.0, -1.0, 0.5, 3.0, 0.0, 1.0], scale=[1.0, 2.0, 0.5, 1.5, 1.0, 3.0], size=(80, 6)
    )
    y = 4.0 + X @ np.array([1.5, 0.0, -2.0, 0.0, 0.7, 0.0]) + rng.normal(scale=0.8, size=80)
    return X, y


def _coefs(path, alpha):
    rows = path[np.isclose(path["alpha"], alpha, rtol=1e-14)]
    return rows["coef"].to_numpy()


@pytest.mark.parametrize("fraction", [0.9, 0.3, 0.05, 0.002])
def test_lasso_path_equals_lasso_fitted_alone(data, fraction):
    X, y = data
    alpha = fraction * reg.alpha_max(X, y)
    path = reg.coef_path(X, y, penalty="l1", alphas=[alpha, 2 * alpha, alpha / 3])
    alone = Lasso(alpha=alpha, tol=1e-12, max_iter=1_000_000).fit(X, y).coef_
    np.testing.assert_allclose(_coefs(path, alpha), alone, atol=1e-7)


@pytest.mark.parametrize("l1_ratio", [0.2, 0.7])
@pytest.mark.parametrize("fraction", [0.5, 0.05, 0.005])
def test_enet_path_equals_elasticnet_fitted_alone(data, l1_ratio, fraction):
    X, y = data
    alpha = fraction * reg.alpha_max(X, y, l1_ratio=l1_ratio)
    path = reg.coef_path(X, y, penalty="elasticnet", alphas=[alpha * 4, alpha], l1_ratio=l1_ratio)
    alone = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(_coefs(path, alpha), alone.coef_, atol=1e-7)


@pytest.mark.parametrize("alpha", [1e-3, 0.5, 20.0, 3e3, 1e6])
def test_ridge_path_equals_ridge_fitted_alone(data, alpha):
    X, y = data
    path = reg.coef_path(X, y, penalty="l2", alphas=[alpha, 7.0])
    np.testing.assert_allclose(
        _coefs(path, alpha), Ridge(alpha=alpha).fit(X, y).coef_, rtol=1e-8, atol=1e-12
    )


def test_ridge_alpha_is_n_times_the_elasticnet_scale(data):
    """The objectives as stated: Ridge(n a) minimizes the same thing as (1/2n)||r||^2 + (a/2)||w||^2."""
    X, y = data
    n, a = len(y), 0.37
    w = reg.coef_path(X, y, penalty="l2", alphas=[n * a])["coef"].to_numpy()
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    # Stationarity of (1/2n)||yc - Xc w||^2 + (a/2)||w||^2.
    grad = -Xc.T @ (yc - Xc @ w) / n + a * w
    assert np.max(np.abs(grad)) < 1e-10


def test_path_is_tidy_sorted_and_named(data):
    X, y = data
    names = [f"f{j}" for j in range(X.shape[1])]
    path = reg.coef_path(X, y, penalty="l1", alphas=[0.01, 1.0, 0.1], feature_names=names)
    assert list(path.columns) == ["alpha", "feature", "coef"]
    assert len(path) == 3 * X.shape[1]
    assert list(dict.fromkeys(path["alpha"])) == [1.0, 0.1, 0.01]
    assert list(path["feature"][: X.shape[1]]) == names


def test_l1_zeros_are_exact_and_ridge_has_none(data):
    X, y = data
    top = reg.alpha_max(X, y)
    grid = top * np.geomspace(1.5, 1e-3, 40)
    l1 = reg.coef_path(X, y, penalty="l1", alphas=grid)
    l2 = reg.coef_path(X, y, penalty="l2", alphas=len(y) * grid)
    at_top = l1[l1["alpha"] >= top]
    assert (at_top["coef"] == 0.0).all()
    counts = (l1["coef"] == 0.0).groupby(l1["alpha"]).sum()
    partial = counts[(counts > 0) & (counts < X.shape[1])]
    assert len(partial) >= 5, "L1 keeps some features and zeroes others over a range of alpha"
    assert (l2["coef"] != 0.0).all()


def test_alpha_max_is_where_the_first_coefficient_appears(data):
    X, y = data
    top = reg.alpha_max(X, y)
    assert not np.any(Lasso(alpha=top * (1 + 1e-9)).fit(X, y).coef_)
    assert np.count_nonzero(Lasso(alpha=top * 0.99, tol=1e-12).fit(X, y).coef_) == 1
    assert reg.alpha_max(X, y, l1_ratio=0.25) == pytest.approx(4 * top)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"penalty": "L3", "alphas": [1.0]}, "'penalty' must be one of"),
        ({"penalty": "l1", "alphas": [1.0, -1.0]}, "'alphas'"),
        ({"penalty": "l1", "alphas": []}, "'alphas'"),
        ({"penalty": "elasticnet", "alphas": [1.0], "l1_ratio": 0.0}, "'l1_ratio' must be in"),
        ({"penalty": "l2", "alphas": [1.0], "feature_names": ["a"]}, "feature_names"),
    ],
)
def test_bad_arguments_raise_value_errors(data, kwargs, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        reg.coef_path(X, y, **kwargs)


def test_penalties_use_scikit_learns_spellings():
    assert reg.PENALTIES == ("l1", "l2", "elasticnet")
    assert {reg.ESTIMATORS[p] for p in reg.PENALTIES} == {"Lasso", "Ridge", "ElasticNet"}


@pytest.mark.parametrize(("old", "new"), list(reg.LEGACY_PENALTIES.items()))
def test_old_display_spellings_still_work_with_a_deprecation_warning(data, old, new):
    X, y = data
    alphas = [0.5, 0.05]
    expected = reg.coef_path(X, y, penalty=new, alphas=alphas)
    with pytest.warns(
        DeprecationWarning, match=f"penalty={old!r} is deprecated; use penalty={new!r}"
    ):
        path = reg.coef_path(X, y, penalty=old, alphas=alphas)
    np.testing.assert_array_equal(path["coef"].to_numpy(), expected["coef"].to_numpy())
    with pytest.warns(DeprecationWarning):
        old_cv = reg.cv_alpha(X, y, penalty=old, alphas=alphas)
    assert old_cv == reg.cv_alpha(X, y, penalty=new, alphas=alphas)
    with pytest.warns(DeprecationWarning):
        model = reg.estimator(old, 0.1)
    assert type(model) is type(reg.estimator(new, 0.1))


def test_new_spellings_do_not_warn(data, recwarn):
    X, y = data
    for penalty in reg.PENALTIES:
        reg.coef_path(X, y, penalty=penalty, alphas=[0.1])
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_mismatched_or_non_finite_input_raises(data):
    X, y = data
    with pytest.raises(ValueError, match="y must have shape"):
        reg.coef_path(X, y[:-1], penalty="l1", alphas=[1.0])
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        reg.coef_path(bad, y, penalty="l1", alphas=[1.0])


def test_lasso_cv_alpha_minimizes_the_mean_fold_error(data):
    X, y = data
    grid = reg.alpha_max(X, y) * np.geomspace(1.0, 1e-3, 8)
    chosen = reg.cv_alpha(X, y, penalty="l1", alphas=grid, n_folds=5, seed=2)
    folds = KFold(n_splits=5, shuffle=True, random_state=2)
    errors = []
    for alpha in grid:
        fold_mse = []
        for train, test in folds.split(X):
            model = Lasso(alpha=alpha, tol=1e-10, max_iter=100_000).fit(X[train], y[train])
            fold_mse.append(np.mean((model.predict(X[test]) - y[test]) ** 2))
        errors.append(np.mean(fold_mse))
    assert chosen == pytest.approx(grid[int(np.argmin(errors))], rel=1e-12)


@pytest.mark.parametrize("penalty", reg.PENALTIES)
def test_cv_alpha_is_one_of_the_grid(data, penalty):
    X, y = data
    grid = np.geomspace(10.0, 1e-3, 12) * (len(y) if penalty == "l2" else 1.0)
    chosen = reg.cv_alpha(X, y, penalty=penalty, alphas=grid, l1_ratio=0.5)
    assert np.isclose(grid, chosen, rtol=1e-12).any()


def test_support_scores():
    assert reg.support_scores([1.0, 0.0, 2.0, 0.0], [1, 1, 0, 0]) == (0.5, 0.5)
    assert reg.support_scores([1.0, 3.0, 0.0], [1, 1, 0]) == (1.0, 1.0)
    precision, recall = reg.support_scores([0.0, 0.0], [1, 0])
    assert np.isnan(precision) and recall == 0.0


def test_sparse_regression_is_seeded_standardized_and_sparse():
    kw = {"n_samples": 120, "n_features": 12, "n_informative": 4, "noise": 0.5, "seed": 7}
    ds, truth = reg.make_sparse_regression(**kw)
    again, truth2 = reg.make_sparse_regression(**kw)
    np.testing.assert_array_equal(ds.X_train, again.X_train)
    np.testing.assert_array_equal(truth, truth2)
    assert np.count_nonzero(truth) == 4
    assert ds.X_train.shape == (120, 12) and ds.X_test.shape == (200, 12)
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1.0, rtol=1e-12)
    assert abs(ds.y_train.mean()) < 1e-12 and ds.y_train.std() == pytest.approx(1.0)


def test_correlated_pair_has_the_asked_correlation():
    X, y = reg.make_correlated_pair(correlation=0.95, n_samples=5000, seed=1)
    assert np.corrcoef(X.T)[0, 1] == pytest.approx(0.95, abs=0.01)
    assert abs(y.mean()) < 1e-12
    with pytest.raises(ValueError, match="'correlation'"):
        reg.make_correlated_pair(correlation=1.0)


# ---- geometry ---------------------------------------------------------------------------------------


def _problem(seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(2, 2))
    H = A @ A.T + 0.3 * np.eye(2)
    center = rng.normal(scale=2.0, size=2)
    return H, center


def _boundary_search(H, center, norm, budget, n=400_001):
    """Brute force: the loss at n points along the boundary of the constraint set."""
    theta = np.linspace(0.0, 2.0 * np.pi, n)
    direction = np.column_stack([np.cos(theta), np.sin(theta)])
    scale = np.abs(direction).sum(axis=1) if norm == "L1" else 1.0
    points = budget * direction / np.atleast_1d(scale)[:, None]
    f, _ = reg.quadratic_loss(H, center)
    values = f(points)
    best = int(np.argmin(values))
    return points[best], float(values[best])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("norm", ["L1", "L2"])
def test_constrained_optimum_beats_a_fine_search_along_the_boundary(seed, norm):
    H, center = _problem(seed)
    budget = 0.5 * (np.abs(center).sum() if norm == "L1" else np.linalg.norm(center))
    opt = reg.constrained_optimum(H, center, norm=norm, budget=budget)
    f, _ = reg.quadratic_loss(H, center)
    found, searched = _boundary_search(H, center, norm, budget)
    assert opt["active"]
    assert float(f(opt["w"])) <= searched + 1e-12
    assert float(f(opt["w"])) == pytest.approx(searched, abs=1e-8)
    np.testing.assert_allclose(opt["w"], found, atol=2e-4)
    size = np.abs(opt["w"]).sum() if norm == "L1" else np.linalg.norm(opt["w"])
    assert size == pytest.approx(budget, rel=1e-12)


def test_l1_corner_has_an_exact_zero_and_l2_does_not():
    H = np.array([[1.0, 0.4], [0.4, 1.0]])
    center = np.array([2.0, 0.6])
    l1 = reg.constrained_optimum(H, center, norm="L1", budget=1.0)
    l2 = reg.constrained_optimum(H, center, norm="L2", budget=1.0)
    assert l1["corner"] and l1["w"][1] == 0.0 and l1["w"][0] == 1.0
    assert not l2["corner"] and np.all(l2["w"] != 0.0)


def test_inside_the_budget_the_optimum_is_the_unconstrained_one():
    H, center = _problem(0)
    for norm in ("L1", "L2"):
        opt = reg.constrained_optimum(H, center, norm=norm, budget=10 * np.abs(center).sum())
        assert not opt["active"] and opt["multiplier"] == 0.0
        np.testing.assert_array_equal(opt["w"], center)


def test_constrained_optima_equal_the_penalized_estimators():
    """Lagrange duality with scikit-learn's objectives: Lasso(alpha = mu), Ridge(alpha = n mu)."""
    X, y = reg.make_correlated_pair(correlation=0.4, weights=(2.0, 0.6), n_samples=60, noise=0.5)
    n = len(y)
    H = X.T @ X / n
    ols = np.linalg.solve(H, X.T @ y / n)
    for budget in (0.4, 1.0, 1.8):
        l1 = reg.constrained_optimum(H, ols, norm="L1", budget=budget)
        lasso = Lasso(alpha=l1["multiplier"], fit_intercept=False, tol=1e-14, max_iter=10**6)
        np.testing.assert_allclose(lasso.fit(X, y).coef_, l1["w"], atol=1e-8)
        l2 = reg.constrained_optimum(H, ols, norm="L2", budget=budget)
        ridge = Ridge(alpha=n * l2["multiplier"], fit_intercept=False).fit(X, y)
        np.testing.assert_allclose(ridge.coef_, l2["w"], atol=1e-10)


def test_quadratic_loss_is_the_least_squares_loss_and_its_gradient_checks():
    X, y = reg.make_correlated_pair(correlation=0.4, n_samples=50, seed=4)
    n = len(y)
    H = X.T @ X / n
    ols = np.linalg.solve(H, X.T @ y / n)
    base = float(np.sum((y - X @ ols) ** 2) / (2 * n))
    f, grad = reg.quadratic_loss(H, ols, base)
    w = np.array([0.3, -1.2])
    assert float(f(w)) == pytest.approx(np.sum((y - X @ w) ** 2) / (2 * n), rel=1e-12)
    assert rel_error(grad(w), numerical_grad(lambda v: float(f(v)), w)) < 1e-6


def test_contours_lie_on_their_level_and_boundaries_on_their_norm():
    H, center = _problem(2)
    f, _ = reg.quadratic_loss(H, center, 0.5)
    contours = reg.quadratic_contours(H, center, base=0.5, levels=[0.6, 1.0, 3.0, 0.1])
    assert sorted(contours["level"].unique()) == [0.6, 1.0, 3.0]
    values = f(contours[["w1", "w2"]].to_numpy())
    np.testing.assert_allclose(values, contours["level"], rtol=1e-10)
    diamond = reg.constraint_boundary("L1", 1.5)
    circle = reg.constraint_boundary("L2", 1.5)
    np.testing.assert_allclose(diamond["w1"].abs() + diamond["w2"].abs(), 1.5)
    np.testing.assert_allclose(np.hypot(circle["w1"], circle["w2"]), 1.5)
    with pytest.raises(ValueError, match="'norm'"):
        reg.constrained_optimum(H, center, norm="L0", budget=1.0)
