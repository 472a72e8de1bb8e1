"""Uploaded CSV files: good ones become standardized datasets, bad ones get a clear message."""

import numpy as np
import pandas as pd
import pytest

from core import data, upload


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


@pytest.fixture()
def good():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 3))
    label = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    return pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2] * 100 + 5, "label": label})


def test_good_file_becomes_a_standardized_dataset(good):
    frame = upload.read_csv_upload(_csv(good))
    ds, notes = upload.dataset_from_frame(frame, target="label")
    assert ds.n_classes == 2 and ds.target_names == ("no", "yes")
    assert ds.X_train.shape[1] == 3 and notes == []
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1, rtol=1e-9)
    assert len(ds.y_train) + len(ds.y_test) == 120


def test_semicolon_separated_file_is_read(good):
    frame = upload.read_csv_upload(good.to_csv(index=False, sep=";").encode())
    assert list(frame.columns) == ["a", "b", "c", "label"]


def test_missing_values_are_dropped_and_reported(good):
    good.loc[[3, 7], "b"] = np.nan
    ds, notes = upload.dataset_from_frame(upload.read_csv_upload(_csv(good)), target="label")
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
        assert len(upload.read_csv_upload(content)) == 10
        return
    with pytest.raises(ValueError, match=match):
        upload.read_csv_upload(content)


def test_too_big_and_too_long_files_are_refused():
    with pytest.raises(ValueError, match=r"limit is 5\.00 MB \(5,242,880 bytes\)"):
        upload.read_csv_upload(b"a,b\n" + b"1,2\n" * (2 * 2**20))
    just_over = b"a,b\n" + b"1" * (5 * 2**20 - 3)  # 5,242,881 bytes: not "5.0 MB; the limit is 5"
    with pytest.raises(ValueError, match=r"The file is 5\.00 MB \(5,242,881 bytes\)"):
        upload.read_csv_upload(just_over)
    with pytest.raises(ValueError, match="more than 20,000 rows"):
        upload.read_csv_upload(b"a,b\n" + b"1,2\n" * 20_001)


def test_one_class_is_refused(good):
    good["label"] = "yes"
    with pytest.raises(ValueError, match="at least two"):
        upload.dataset_from_frame(good, target="label")


def test_text_in_a_numeric_column_names_the_column_and_row(good):
    good["b"] = good["b"].astype(object)
    good.loc[4, "b"] = "n/a?"
    frame = upload.read_csv_upload(_csv(good))
    with pytest.raises(ValueError, match=r"Feature 'b' is not numeric .*row 6"):
        upload.dataset_from_frame(frame, target="label")


def test_tiny_class_and_unknown_target(good):
    good.loc[:2, "label"] = "rare"
    with pytest.raises(ValueError, match="only 3 rows"):
        upload.dataset_from_frame(good, target="label")
    with pytest.raises(ValueError, match="no column"):
        upload.dataset_from_frame(good, target="nope")


def test_regression_target_must_be_numeric(good):
    ds, _ = upload.dataset_from_frame(good, target="c", features=["a", "b"], task="regression")
    assert ds.task == "regression" and ds.n_classes == 0
    with pytest.raises(ValueError, match="must be numeric"):
        upload.dataset_from_frame(good, target="label", features=["a"], task="regression")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n" + b"," * 40_000 + b"\n", "Row 2 has 40,001 fields but the header has 2"),
        (b",".join([b"a"] * 40_000) + b"\n1\n", "The header has 40,000 columns"),
        (b"a, a,y\n1,2,3\n", "The column name 'a' appears more than once"),
        (b"a,,y\n1,2,3\n", "Column 2 of the header has no name"),
        (b"a,b\n" + b"x" * 200_000 + b",1\n", "longer than 100,000 characters"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data"),
    ],
    ids=["wide-row", "wide-header", "duplicate-after-strip", "blank-name", "long-field", "binary"],
)
def test_files_that_would_cost_minutes_are_refused_before_pandas_parses_them(content, message):
    with pytest.raises(ValueError, match=message):
        upload.read_csv_upload(content)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),  # Excel's "Unicode Text": a byte-order mark
        lambda t: t.encode("utf-16-le"),
        lambda t: t.encode("latin-1"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-no-bom", "latin-1"],
)
def test_text_encodings_are_read(encode):
    text = "größe;label\n" + "".join(f"{i}.5;{'ja' if i % 2 else 'nein'}\n" for i in range(30))
    frame = upload.read_csv_upload(encode(text))
    assert list(frame.columns) == ["größe", "label"] and len(frame) == 30
    assert frame["größe"].iloc[1] == 1.5


def test_values_that_overflow_when_standardized_are_refused(good):
    good.loc[3, "a"] = 1e308
    good.loc[4, "a"] = -1e308
    with pytest.raises(ValueError, match=r"Feature 'a' has values as large as 1e\+308"):
        upload.dataset_from_frame(good, target="label")


def test_one_constant_feature_still_makes_a_finite_dataset(good):
    ds, _ = upload.dataset_from_frame(good.assign(a=3.0), target="label", features=["a"])
    assert np.isfinite(ds.X_train).all() and np.isfinite(ds.X_test).all()


def test_the_same_bytes_under_two_names_are_two_datasets(good):
    frame = upload.read_csv_upload(_csv(good))
    alice = upload.dataset_from_frame(frame, target="label", name="alice_salaries_2025.csv")[0]
    bob = upload.dataset_from_frame(frame, target="label", name="bob.csv")[0]
    assert data.fingerprint(alice) != data.fingerprint(bob)


def test_counts_of_one_are_singular():
    """Audit pass 54 c: "Class 'b' of 'y' has only 1 rows" and "Only 1 usable rows"."""
    rare = upload.read_csv_upload(
        ("x,y\n" + "".join(f"{i},a\n" for i in range(30)) + "1,b\n").encode()
    )
    with pytest.raises(ValueError, match=r"has only 1 row; every class"):
        upload.dataset_from_frame(rare, target="y")
    single = upload.read_csv_upload(b"x,y\n1,2\n")
    with pytest.raises(ValueError, match=r"^Only 1 usable row; at least 20"):
        upload.dataset_from_frame(single, target="y", task="regression")


def test_a_file_whose_every_row_misses_a_value_says_so():
    """Audit pass 54 c: a file whose every row misses a feature value was refused as "The target
    'y' has 0 class; classification needs at least two"."""
    frame = upload.read_csv_upload(("x,y\n" + "".join(f",{i % 2}\n" for i in range(30))).encode())
    with pytest.raises(ValueError, match="Every row has a missing value"):
        upload.dataset_from_frame(frame, target="y")


def test_a_text_value_after_a_blank_line_is_named_by_its_line():
    """Audit pass 54 c: "x,y / 1,0 / (blank) / 2,1 / abc,1": 'abc' is on line 5 (row 5, as
    "Row 5 has 3 fields" would count it), and the message said "in row 4"."""
    frame = upload.read_csv_upload(b"x,y\n1,0\n\n2,1\nabc,1\n")
    with pytest.raises(ValueError, match=r"'abc' in row 5\)"):
        upload.dataset_from_frame(frame, target="y")
    quoted = upload.read_csv_upload(b'x,y,z\n1,0,"a\nb"\n   \nabc,1,c\n')
    with pytest.raises(ValueError, match=r"'abc' in row 5\)"):
        upload.dataset_from_frame(quoted, target="y", features=["x"])


def test_a_file_with_only_a_header_says_so():
    """Audit pass 56 f: a CSV of one header line "a,b" was refused as "The target 'b' has 0 class;
    classification needs at least two"."""
    frame = upload.read_csv_upload(b"a,b\n")
    for task in ("classification", "regression"):
        with pytest.raises(ValueError, match="header line but no rows of data") as refused:
            upload.dataset_from_frame(frame, target="b", task=task)
        assert "0 class" not in str(refused.value)
