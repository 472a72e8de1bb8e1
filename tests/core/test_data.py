"""Seeded datasets: shapes, determinism, stratified splits, no leakage in scaling."""

import numpy as np
import pytest

from core import data


@pytest.mark.parametrize("name", data.CLASSIFICATION_2D)
def test_classification_2d_shapes_and_determinism(name):
    a = data.make_classification_2d(name, n_samples=200, noise=0.1, seed=3)
    b = data.make_classification_2d(name, n_samples=200, noise=0.1, seed=3)
    assert a.X_train.shape == (140, 2) and a.X_test.shape == (60, 2)
    assert set(np.unique(a.y_train)) == {0, 1}
    np.testing.assert_array_equal(a.X_train, b.X_train)
    c = data.make_classification_2d(name, n_samples=200, noise=0.1, seed=4)
    assert not np.array_equal(a.X_train, c.X_train)
    # stratified: class balance is the same in both splits (within one point)
    assert abs(a.y_train.mean() - a.y_test.mean()) < 0.05


@pytest.mark.parametrize("name", data.REGRESSION_CURVES)
def test_regression_sets(name):
    ds = data.make_regression(name, n_samples=100, noise=0.0, seed=0)
    assert ds.task == "regression" and ds.n_classes == 0
    assert ds.X_train.shape[1] in (1, 2) and np.all(np.isfinite(ds.y_train))


def test_noise_free_linear_curve_is_exact():
    ds = data.make_regression("linear", n_samples=50, noise=0.0, seed=0)
    np.testing.assert_allclose(ds.y_train, 2 * ds.X_train[:, 0] - 1)


@pytest.mark.parametrize("name", data.BUNDLED)
def test_bundled_sets_are_standardized_on_train_only(name):
    ds = data.load_bundled(name, seed=0)
    mean, std = ds.X_train.mean(axis=0), ds.X_train.std(axis=0)
    np.testing.assert_allclose(mean, 0, atol=1e-9)
    np.testing.assert_allclose(std[std > 0], 1, rtol=1e-9)
    # the test split is transformed with the train statistics, so it is not exactly standardized
    assert not np.allclose(ds.X_test.mean(axis=0), 0, atol=1e-9)
    assert len(ds.feature_names) == ds.X_train.shape[1]


def test_make_line_has_the_requested_slope():
    X, y = data.make_line(n_samples=1000, noise=0.0, slope=3.0, intercept=0.5, seed=0)
    np.testing.assert_allclose(y, 3.0 * X[:, 0] + 0.5)
    assert X[:, 0].mean() == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: data.make_classification_2d("banana"), "Unknown dataset"),
        (lambda: data.make_classification_2d("moons", n_samples=3), "n_samples"),
        (lambda: data.make_regression("sine", noise=-1), "noise"),
        (lambda: data.load_bundled("iris"), "Unknown bundled"),
        (lambda: data.make_dataset("nope"), "Unknown dataset"),
    ],
)
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_to_frame_holds_both_splits():
    ds = data.make_classification_2d("xor", n_samples=100, seed=0)
    df = ds.to_frame()
    assert len(df) == 100 and set(df["split"]) == {"train", "test"}


def test_subsample_gives_each_split_its_own_reason_when_asked():
    """One call cuts both splits; with ``why_test`` the test split's cut has its own note (a row
    cap beside the time budget), else one note names both."""
    ds = data.make_classification_2d("moons", n_samples=400, noise=0.2, seed=0)
    _, notes = data.subsample(ds, max_train=50, max_test=20, why="for A", why_test="for B")
    assert len(notes) == 2 and notes[0].endswith(
        "train rows (a seeded sample, stratified by class) for A."
    )
    assert "20 of the" in notes[1] and notes[1].endswith("for B."), notes
    _, notes = data.subsample(ds, max_train=50, max_test=20, why="for A")
    assert len(notes) == 1 and " and 20 of the " in notes[0] and notes[0].endswith("for A."), notes
    # a split small enough is kept whole: no note for it
    _, notes = data.subsample(ds, max_train=50, why="for A", why_test="for B")
    assert len(notes) == 1 and notes[0].endswith("for A."), notes
