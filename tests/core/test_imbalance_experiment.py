"""The imbalance lesson's numbers equal scikit-learn's ``metrics`` functions on the same scores."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

from core.data import Dataset
from core.experiments import imbalance as im
from core.experiments.imbalance import experiment as ex

# The controls that drive this lesson's cost, (Config field, cheap value, dear value), the
# others at their defaults: tests/core/test_budget.py checks the estimate grows with each.
COST_DRIVERS = [("n_samples", 4_000, 50_000)]

SMALL = im.Config(n_samples=4_000, prevalence=0.05)


@pytest.fixture(scope="module")
def result():
    return im.run(SMALL)


def _upload(prevalence=0.03, n=3_000, seed=0) -> Dataset:
    """Synthetic rows packed as an upload would be: a 70/30 split, labels 'no'/'yes'."""
    rng = np.random.default_rng(seed)
    n_pos = round(prevalence * n)
    X, y = ex.sample_classes(n_pos, n - n_pos, 2.5, rng)
    test = rng.random(n) < 0.3
    return Dataset(
        X[~test], X[test], y[~test], y[test], "classification",
        tuple(f"x{i}" for i in range(X.shape[1])), 2, "upload.csv", ("no", "yes"),
    )  # fmt: skip


def _labels_and_scores(result, model="logistic", training="plain"):
    return result.scores["y"].to_numpy(), result.test_scores(model, training)


@pytest.mark.parametrize("threshold", [0.001, 0.05, 0.2, 0.5, 0.9, 0.999])
@pytest.mark.parametrize("model", im.MODELS)
def test_the_operating_point_equals_sklearns_metrics(result, model, threshold):
    y, p = _labels_and_scores(result, model)
    point = result.point(model, threshold)
    pred = (p >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    assert (point["tn"], point["fp"], point["fn"], point["tp"]) == (tn, fp, fn, tp)
    expected = {
        "precision": precision_score(y, pred, zero_division=np.nan),
        "recall": recall_score(y, pred),
        "f1": f1_score(y, pred, zero_division=0.0),
        "balanced_accuracy": balanced_accuracy_score(y, pred),
        "accuracy": accuracy_score(y, pred),
        "majority_accuracy": accuracy_score(y, np.zeros_like(y)),
    }
    for key, value in expected.items():
        if math.isnan(value):
            assert math.isnan(point[key]), key
        else:
            assert point[key] == pytest.approx(value, abs=1e-12), key
    fpr, tpr, thresholds = roc_curve(y, p, drop_intermediate=False)
    if threshold <= p.max():  # the ROC point at the lowest curve threshold >= this one
        i = np.flatnonzero(thresholds >= threshold)[-1]
        assert (point["fpr"], point["tpr"]) == pytest.approx((fpr[i], tpr[i]), abs=1e-12)


def test_nothing_and_everything_flagged_are_sklearns_edge_cases():
    y = np.array([0, 0, 0, 1])
    none = im.operating_point(y, np.zeros(4), 0.5)
    assert math.isnan(none["precision"]) and none["recall"] == 0 and none["f1"] == 0
    assert math.isnan(precision_score(y, np.zeros(4, int), zero_division=np.nan))
    every = im.operating_point(y, np.ones(4), 0.5)
    assert every["precision"] == precision_score(y, np.ones(4, int)) == 0.25
    assert every["balanced_accuracy"] == balanced_accuracy_score(y, np.ones(4, int))


def test_ranking_metrics_equal_sklearn_with_ties():
    rng = np.random.default_rng(3)
    for _ in range(20):
        y = (rng.random(300) < rng.uniform(0.01, 0.5)).astype(int)
        y[0], y[1] = 0, 1
        p = np.round(rng.random(300) + 0.4 * y, int(rng.integers(1, 4)))
        auc, ap = im.ranking_metrics(y, p)
        assert auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
        assert ap == pytest.approx(average_precision_score(y, p), abs=1e-12)


def test_summary_equals_sklearn(result):
    y = result.scores["y"].to_numpy()
    for row in result.summary.itertuples():
        p = result.test_scores(row.model, row.training)
        assert row.auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
        assert row.ap == pytest.approx(average_precision_score(y, p), abs=1e-12)
        assert row.brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
        assert row.mean_p == pytest.approx(p.mean())
        plain = result.test_scores(row.model)
        diff = (p - y) ** 2 - (plain - y) ** 2
        assert row.brier_gap == pytest.approx(diff.mean(), abs=1e-12)
        assert row.brier_gap_se == pytest.approx(diff.std(ddof=1) / math.sqrt(len(y)), abs=1e-12)


def best_f1(y: np.ndarray, p: np.ndarray) -> float:
    """The highest F1 over every threshold (each distinct score), counted directly."""
    thresholds = np.unique(p)
    order = np.sort(p)
    # rows at or above each threshold, and positives among them
    flagged = len(p) - np.searchsorted(order, thresholds, side="left")
    positives = np.sort(p[y == 1])
    tp = len(positives) - np.searchsorted(positives, thresholds, side="left")
    return float(np.max(2 * tp / (flagged + y.sum())))


def test_best_f1_counts_like_sklearn():
    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.2).astype(int)
    p = np.round(rng.random(200) + 0.3 * y, 2)
    slow = max(f1_score(y, (p >= t).astype(int)) for t in np.unique(p))
    assert best_f1(y, p) == pytest.approx(slow, abs=1e-12)


def test_tuned_thresholds_maximize_f1_on_the_validation_split(result):
    y = result.validation["y"].to_numpy()
    for row in result.summary.itertuples():
        p = result.validation[f"{row.model}_{row.training}"].to_numpy()
        chosen = f1_score(y, (p >= row.tuned_threshold).astype(int))
        assert chosen == pytest.approx(best_f1(y, p), abs=1e-12)
        assert row.tuned_threshold in set(p)


def test_stored_curves_are_points_of_sklearns_curves(result):
    y = result.scores["y"].to_numpy()
    for model in im.MODELS:
        p = result.test_scores(model)
        fpr, tpr, thr = roc_curve(y, p)
        thr = np.where(np.isfinite(thr), thr, np.nan)
        drawn = result.roc[result.roc["model"] == model].fillna({"threshold": -1.0})
        thr = np.nan_to_num(thr, nan=-1.0)
        full = pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": thr})
        merged = drawn.merge(full, on=["fpr", "tpr", "threshold"], how="left", indicator=True)
        assert (merged["_merge"] == "both").all()
        assert len(drawn) <= im.experiment.MAX_CURVE_POINTS
        precision, recall, thr = precision_recall_curve(y, p)
        drawn = result.pr[result.pr["model"] == model]
        assert len(drawn) <= im.experiment.MAX_PR_POINTS
        assert np.array_equal(drawn["recall"], recall[drawn["step"]])
        assert np.array_equal(drawn["precision"], precision[drawn["step"]])
        # every recall of the full curve is drawn, with its highest and lowest precision: the
        # points between them lie on the vertical segment joining the two
        for r in np.unique(recall):
            at = drawn[drawn["recall"] == r]["precision"]
            assert at.max() == precision[recall == r].max()
            assert at.min() == precision[recall == r].min()


def test_remedies_equal_sklearn_and_their_bootstrap(result):
    y = result.scores["y"].to_numpy()
    counts = im.bootstrap_counts(len(y), SMALL.seed)
    tuned = result.summary.set_index(["model", "training"])["tuned_threshold"]
    boot = {}
    for row in result.remedies.itertuples():
        expected = 0.5 if row.rule == "0.5" else tuned[row.model, row.training]
        assert row.threshold == expected
        pred = (result.test_scores(row.model, row.training) >= row.threshold).astype(int)
        assert row.f1 == pytest.approx(f1_score(y, pred, zero_division=0.0), abs=1e-12)
        assert row.recall == pytest.approx(recall_score(y, pred), abs=1e-12)
        if pred.any():
            assert row.precision == pytest.approx(precision_score(y, pred), abs=1e-12)
        f1s = np.array([f1_score(y, pred, sample_weight=w, zero_division=0.0) for w in counts[:20]])
        tp = counts @ ((pred == 1) & (y == 1))
        wrong = counts @ (pred != y)
        fast = np.where(2 * tp + wrong > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0)
        assert fast[:20] == pytest.approx(f1s, abs=1e-12)  # F1 of a resample = weighted F1
        assert row.f1_se == pytest.approx(fast.std(ddof=1), abs=1e-12)
        boot[row.model, row.training, row.rule] = fast
    for model in im.MODELS:
        rows = result.remedies[
            (result.remedies["model"] == model) & (result.remedies["remedy"] != "")
        ]
        assert sorted(rows["remedy"]) == sorted(im.REMEDIES)
        best = rows.loc[rows["f1"].idxmax()]
        for row in rows.itertuples():
            assert row.gap_to_best == pytest.approx(best["f1"] - row.f1, abs=1e-12)
            diff = boot[model, best["training"], best["rule"]] - boot[model, row.training, row.rule]
            assert row.gap_se == pytest.approx(diff.std(ddof=1), abs=1e-12)


def test_calibration_equals_sklearns_calibration_curve(result):
    y = result.scores["y"].to_numpy()
    for (model, training), part in result.calibration.groupby(["model", "training"]):
        observed, predicted = calibration_curve(
            y, result.test_scores(model, training), n_bins=im.CALIBRATION_BINS, strategy="quantile"
        )
        assert part["fraction_positive"].to_numpy() == pytest.approx(observed)
        assert part["mean_predicted"].to_numpy() == pytest.approx(predicted)


def test_splits_are_stratified_and_only_training_is_oversampled():
    config = im.Config(n_samples=10_000, prevalence=0.01)
    splits = im.make_splits(config)
    sizes = [len(splits.y_train), len(splits.y_val), len(splits.y_test)]
    assert sizes == [5_000, 2_000, 3_000]
    assert [int(s.sum()) for s in (splits.y_train, splits.y_val, splits.y_test)] == [50, 20, 30]
    X, y = im.oversample(splits.X_train, splits.y_train, np.random.default_rng(0))
    assert np.bincount(y).tolist() == [4_950, 4_950]
    assert len(X) == len(y) == 9_900
    # every added row is a copy of a training positive
    positives = {tuple(r) for r in splits.X_train[splits.y_train == 1]}
    assert all(tuple(r) in positives for r in X[5_000:])
    rare = im.make_splits(im.Config(n_samples=4_000, prevalence=0.005))
    assert min(rare.y_train.sum(), rare.y_val.sum(), rare.y_test.sum()) >= 1


def test_sweep_keeps_every_positive_and_sets_the_prevalence():
    y = np.r_[np.zeros(1_000, int), np.ones(50, int)]
    for prevalence in im.SWEEP_PREVALENCES:
        keep = im.sweep_rows(y, prevalence, 0)
        if keep is None:
            continue
        share = y[keep].mean()
        assert share == pytest.approx(prevalence, rel=0.05, abs=1 / len(keep))
    assert im.sweep_rows(y, 0.5, 0) is not None and y[im.sweep_rows(y, 0.5, 0)].sum() == 50


def test_accuracy_gain_is_the_mean_paired_difference(result):
    y, p = _labels_and_scores(result)
    point = result.point("logistic", 0.2)
    pred = (p >= 0.2).astype(int)
    d = (pred == y).astype(float) - (y == 0).astype(float)
    gain, se = im.accuracy_gain(point)
    assert gain == pytest.approx(d.mean(), abs=1e-15)
    assert se == pytest.approx(d.std(ddof=1) / math.sqrt(len(d)), abs=1e-15)


def test_the_run_ignores_the_threshold_and_the_model():
    a = im.run(im.Config(n_samples=4_000, threshold=0.5, model="logistic"))
    b = im.run(im.Config(n_samples=4_000, threshold=0.02, model="boosting"))
    pd.testing.assert_frame_equal(a.scores, b.scores)
    pd.testing.assert_frame_equal(a.remedies, b.remedies)
    assert set(im.RUN_IGNORES) == {"threshold", "model"}


def test_an_upload_uses_its_rarer_class_and_resamples_its_test_split():
    data = _upload()
    config = im.Config()
    result = im.run(config, data=data)
    assert result.info["positive"] == "yes" and result.info["uploaded"]
    assert result.info["test_positives"] == int(data.y_test.sum())
    assert any("rarer one, 'yes'" in note for note in result.notes)
    y = result.scores["y"].to_numpy()
    for row in result.sweep.itertuples():
        keep = im.sweep_rows(y, row.prevalence, config.seed)
        p = result.test_scores(row.model)[keep]
        assert row.auc == pytest.approx(roc_auc_score(y[keep], p), abs=1e-12)
        assert row.ap == pytest.approx(average_precision_score(y[keep], p), abs=1e-12)
        assert row.chance_ap == pytest.approx(y[keep].mean())
    flipped = Dataset(
        data.X_train, data.X_test, 1 - data.y_train, 1 - data.y_test, "classification",
        data.feature_names, 2, "flipped.csv", ("yes", "no"),
    )  # fmt: skip
    again = im.run(config, data=flipped)
    assert again.info["positive"] == "yes"  # the rarer class, whatever its code
    pd.testing.assert_frame_equal(again.scores[["y"]], result.scores[["y"]])


def test_uploads_it_cannot_use_are_refused():
    data = _upload()
    three = Dataset(
        data.X_train, data.X_test, data.y_train * 2 % 3, data.y_test, "classification",
        data.feature_names, 3, "three.csv",
    )  # fmt: skip
    with pytest.raises(ValueError, match="exactly two classes"):
        im.check_data(three)
    with pytest.raises(ValueError, match="rarer class has"):
        im.check_data(_upload(prevalence=0.005, n=3_000))


def test_the_largest_setting_fits_the_budget():
    heaviest = im.Config(n_samples=50_000)
    assert im.estimated_seconds(heaviest) < 10


def test_an_upload_with_equal_classes_is_not_told_one_is_rarer():
    data = _upload(prevalence=0.5, n=400)
    splits, notes = ex.upload_splits(data, seed=0)
    (note,) = notes
    assert "rarer" not in note and "equally common (200 rows each)" in note
    assert splits.positive == "yes"
    uneven = _upload(prevalence=0.0625, n=800)  # 50 of 800: 6.25 % (round-half-even: "6.2")
    (note,) = ex.upload_splits(uneven, seed=0)[1]
    assert "rarer one, 'yes' (50 of 800 rows, 6.3 %)" in note


def test_the_upload_minimum_counts_the_rows_that_are_kept():
    """Audit pass 46 (a): a file of 400 rows, 45 of the rarer class with 10 of those missing a
    value, was refused with "The rarer class has 35 rows": rows with a missing value are dropped
    before the count (the note saying so is not shown beside the error), so the message counts
    rows without missing values and says so; a file with as many complete rare rows as it asks
    for is accepted."""
    import re

    from core.upload import dataset_from_frame

    def upload(rare: int, incomplete: int, n: int = 400):
        rng = np.random.default_rng(0)
        y = np.r_[np.ones(rare, np.int64), np.zeros(n - rare, np.int64)]
        frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "y": y})
        frame.loc[: incomplete - 1, "a"] = np.nan  # the first rows are rare ones
        data, _ = dataset_from_frame(frame, target="y", features=["a", "b"], task="classification")
        return data

    with pytest.raises(ValueError) as refused:
        im.check_data(upload(45, 10))
    message = str(refused.value)
    has, need = (int(x) for x in re.findall(r"\d+", message)[:2])
    if has != 45:  # a count of the kept rows, not of the 45 uploaded, says which rows it counts
        assert "without missing values" in message
    im.check_data(upload(need, 0))


def test_the_upload_minimum_is_the_pages_rule_not_a_need_of_training_or_measuring(monkeypatch):
    """Audit pass 49 (g): a file whose rarer class has 35 complete rows (of 600) was refused
    with "at least 40 are needed to train and to measure on held-out rows", but the lesson
    trains and measures on those 35 (11 test and 6 validation positives with the page's rule
    lowered): 40 is this page's minimum, and the refusal must not present it as a need."""
    from core.upload import dataset_from_frame

    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, 3))
    X[:35, 0] += 2
    frame = pd.DataFrame(X, columns=list("abc")).assign(y=np.r_[np.ones(35), np.zeros(565)])
    data, _ = dataset_from_frame(frame, target="y", task="classification", name="mine.csv")
    with pytest.raises(ValueError) as refused:
        im.check_data(data)
    message = str(refused.value)
    monkeypatch.setattr(ex, "MIN_UPLOAD_MINORITY", 10)
    result = im.run(im.Config(), data)
    info = result.info
    assert info["test_positives"] > 0 and info["val_positives"] > 0 and info["train_positives"] > 0
    assert np.isfinite(result.summary[["auc", "ap", "brier"]].to_numpy()).all()
    # so the refusal may not say that its minimum is needed to train and to measure
    assert "needed" not in message, message


def test_a_full_file_short_of_rare_rows_is_not_told_only_to_add_rows():
    """Audit pass 57 (a): a file of 20,000 rows (the upload cap) with 39 rows of its rarer class
    was refused with "Upload more rows of that class.", where one more row is refused for
    size: the rows it needs must replace rows of the other class."""
    from core.upload import MAX_UPLOAD_ROWS

    data = _upload(prevalence=39 / MAX_UPLOAD_ROWS, n=MAX_UPLOAD_ROWS)
    with pytest.raises(ValueError) as refused:
        im.check_data(data)
    message = str(refused.value)
    assert "The rarer class has 39 rows" in message, message
    assert "in place of rows of the other (a file holds at most 20,000 rows)" in message, message
    with pytest.raises(ValueError) as refused:
        im.check_data(_upload(prevalence=0.005, n=3_000))
    assert str(refused.value).endswith("Upload more rows of that class."), str(refused.value)
