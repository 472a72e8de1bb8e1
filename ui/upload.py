"""'Your own data': a CSV uploader that returns a validated, standardized Dataset or explains why not."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from core.data import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_ROWS,
    Dataset,
    dataset_from_frame,
    read_csv_upload,
)


def fingerprint(dataset: Dataset) -> str:
    """A short content hash of a dataset: the cache key of runs on uploaded data."""
    h = hashlib.sha256()
    for array in (dataset.X_train, dataset.X_test, dataset.y_train, dataset.y_test):
        h.update(array.tobytes())
    h.update(repr((dataset.feature_names, dataset.target_names, dataset.task)).encode())
    return h.hexdigest()[:16]


def user_dataset(key: str, *, task: str = "classification", seed: int = 0) -> Dataset | None:
    """Sidebar uploader: pick a CSV, a target and features; returns the Dataset, or None.

    Problems (not a CSV, too big, one class, text in a numeric column, ...) are shown as
    messages in the sidebar and the page keeps its bundled data.
    """
    kind = "class label" if task == "classification" else "numeric target"
    with st.sidebar.expander("Your own data (CSV)", icon=":material/upload_file:"):
        st.caption(
            f"A CSV with numeric feature columns and a {kind} column; at most "
            f"{MAX_UPLOAD_BYTES // 2**20} MB and {MAX_UPLOAD_ROWS:,} rows. Rows with missing "
            "values are dropped; features are standardized. Uploaded data is not part of "
            "shared links."
        )
        upload = st.file_uploader(
            "CSV file", type=["csv", "txt"], key=f"{key}_upload", max_upload_size=5
        )
        if upload is None:
            return None
        try:
            frame = read_csv_upload(upload.getvalue())
        except ValueError as err:
            st.error(str(err), icon=":material/error:")
            return None
        columns = list(frame.columns)
        target = st.selectbox("Target column", columns, index=len(columns) - 1, key=f"{key}_target")
        candidates = [c for c in columns if c != target]
        numeric = [c for c in candidates if pd.api.types.is_numeric_dtype(frame[c])]
        features = st.multiselect(
            "Feature columns", candidates, default=numeric or candidates, key=f"{key}_features"
        )
        st.dataframe(frame.head(5), height=150)
        try:
            dataset, notes = dataset_from_frame(
                frame, target=target, features=features, task=task, seed=seed, name=upload.name
            )
        except ValueError as err:
            st.error(str(err), icon=":material/error:")
            return None
        for note in notes:
            st.caption(note)
        n = len(dataset.y_train) + len(dataset.y_test)
        st.success(
            f"Using {upload.name}: {n:,} rows, {dataset.n_features} features"
            + (f", {dataset.n_classes} classes." if dataset.n_classes else "."),
            icon=":material/check_circle:",
        )
        return dataset
