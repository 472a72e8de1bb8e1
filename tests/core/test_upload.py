"""Uploaded CSV files: good ones become standardized datasets, bad ones get a clear message."""

import numpy as np
import pandas as pd
import pytest

from core import data


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


@pytest.fixture()
def good():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 3))
    label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    return pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2] * 100 + 5, "label": label})


def test_good_file_becomes_a_standardized_dataset(good):
    frame = data.read_csv_upload(_csv(good))
    ds, notes = data.dataset_from_frame(frame, target="label")
    assert ds.n_classes == 2 and ds.target_names == ("no", "yes")
    assert ds.X_train.shape[1] == 3 and notes == []
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1, rtol=1e-9)
    assert len(ds.y_train) + len(ds.y_test) == 120


def test_semicolon_separated_file_is_read(good):
    frame = data.read_csv_upload(good.to_csv(index=False, sep=";").encode())
    assert list(frame.columns) == ["a", "b", "c", "label"]


def test_missing_values_are_dropped_and_reported(good):
    good.loc[[3, 7], "b"] = np.nan
    ds, notes = data.dataset_from_frame(data.read_csv_upload(_csv(good)), target="label")
    assert len(ds.y_train) + len(ds.y_test) == 118
    assert "Dropped 2 of 120" in notes[0]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV"),
        (b"", "empty"),
        (b"just one column\n1\n2\n", "at least two columns"),
        (b"a,b\n" + b"1,2\n" * 10, None),
    ],
)
def test_files_that_are_not_what_they_claim(content, match):
    if match is None:
        assert len(data.read_csv_upload(content)) == 10
        return
    with pytest.raises(ValueError, match=match):
        data.read_csv_upload(content)


def test_too_big_and_too_long_files_are_refused():
    with pytest.raises(ValueError, match="limit is 5 MB"):
        data.read_csv_upload(b"a,b\n" + b"1,2\n" * (2 * 2**20))
    with pytest.raises(ValueError, match="more than 20,000 rows"):
        data.read_csv_upload(b"a,b\n" + b"1,2\n" * 20_001)


def test_one_class_is_refused(good):
    good["label"] = "yes"
    with pytest.raises(ValueError, match="at least two"):
        data.dataset_from_frame(good, target="label")


def test_text_in_a_numeric_column_names_the_column_and_row(good):
    good["b"] = good["b"].astype(object)
    good.loc[4, "b"] = "n/a?"
    frame = data.read_csv_upload(_csv(good))
    with pytest.raises(ValueError, match=r"Feature 'b' is not numeric .*row 6"):
        data.dataset_from_frame(frame, target="label")


def test_tiny_class_and_unknown_target(good):
    good.loc[:2, "label"] = "rare"
    with pytest.raises(ValueError, match="only 3 rows"):
        data.dataset_from_frame(good, target="label")
    with pytest.raises(ValueError, match="no column"):
        data.dataset_from_frame(good, target="nope")


def test_regression_target_must_be_numeric(good):
    ds, _ = data.dataset_from_frame(good, target="c", features=["a", "b"], task="regression")
    assert ds.task == "regression" and ds.n_classes == 0
    with pytest.raises(ValueError, match="must be numeric"):
        data.dataset_from_frame(good, target="label", features=["a"], task="regression")
