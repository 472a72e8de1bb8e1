"""'Your own data': a CSV uploader that returns a validated, standardized Dataset or explains why not."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from core.data import Dataset
from core.data import fingerprint as _fingerprint
from core.upload import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FEATURES,
    MAX_UPLOAD_ROWS,
    dataset_from_frame,
    read_csv_upload,
)
from ui.text import plain

# Session state: how each uploaded dataset in use was built, by fingerprint (for export snippets).
_SPECS = "_lab_upload_specs"


def fingerprint(dataset: Dataset) -> str:
    """A short content hash of a dataset: the cache key of runs on uploaded data."""
    return _fingerprint(dataset)


# Parsing 20,000 rows takes a few tenths of a second: cache it so widget reruns don't repeat it.
# A ValueError is not cached; the cheap checks before parsing then run again, which is fine.
@st.cache_data(max_entries=8, max_size="60MB", show_spinner=False)
def _read(content: bytes) -> pd.DataFrame:
    return read_csv_upload(content)


@st.cache_data(max_entries=8, max_size="60MB", show_spinner=False)
def _build(
    content: bytes,
    target: str,
    features: tuple[str, ...],
    task: str,
    seed: int,
    name: str,
    min_rows: int = 20,
) -> tuple[Dataset, list[str]]:
    return dataset_from_frame(
        _read(content),
        target=target,
        features=list(features),
        task=task,
        seed=seed,
        name=name,
        min_rows=min_rows,
    )


def _numeric_share(column: pd.Series) -> float:
    """Share of a column's non-missing values that read as numbers (1.0 for a numeric dtype)."""
    values = column.dropna()
    if values.empty:
        return 0.0
    if pd.api.types.is_numeric_dtype(values):
        return 1.0
    return float(pd.to_numeric(values, errors="coerce").notna().mean())


def spec_of(dataset: Dataset | None) -> dict | None:
    """How ``dataset`` was built from an upload (file name, target, features, task, seed), or None."""
    if dataset is None:
        return None
    return st.session_state.get(_SPECS, {}).get(fingerprint(dataset))


def user_dataset(
    key: str,
    *,
    task: str = "classification",
    seed: int = 0,
    validate: Callable[[Dataset], None] | None = None,
    min_rows: int = 20,
) -> Dataset | None:
    """Sidebar uploader: pick a CSV, a target and features; returns the Dataset, or None.

    Problems (not a CSV, too big, one class, text in a numeric column, ...) are shown as
    messages in the sidebar and the page keeps its bundled data. ``validate(dataset)`` may raise
    ValueError for what a page can't use (too few rows, the wrong task); its message is shown
    the same way. ``min_rows``: the page's fewest usable rows (see ``dataset_from_frame``).
    """
    kind = "class label" if task == "classification" else "numeric target"
    with st.sidebar.expander("Your own data (CSV)", icon=":material/upload_file:"):
        st.caption(
            f"A CSV with numeric feature columns and a {kind} column; at most "
            f"{MAX_UPLOAD_BYTES // 2**20} MB, {MAX_UPLOAD_ROWS:,} rows and {MAX_UPLOAD_FEATURES} "
            "features. Rows with missing values are dropped; features are standardized. "
            "Uploaded data is not part of shared links."
        )
        upload = st.file_uploader(
            "CSV file", type=["csv", "txt"], key=f"{key}_upload", max_upload_size=5
        )
        if upload is None:
            return None
        content = upload.getvalue()
        try:
            frame = _read(content)
        except ValueError as err:
            st.error(plain(str(err)), icon=":material/error:")
            return None
        columns = list(frame.columns)
        target = st.selectbox("Target column", columns, index=len(columns) - 1, key=f"{key}_target")
        candidates = [c for c in columns if c != target]
        # Mostly-numeric columns are offered too, so a stray "n/a" gets a message naming its row
        # instead of silently dropping the column; true text columns are left out, and said so.
        numeric = [c for c in candidates if _numeric_share(frame[c]) >= 0.5]
        features = st.multiselect(
            "Feature columns",
            candidates,
            default=(numeric or candidates)[:MAX_UPLOAD_FEATURES],
            max_selections=MAX_UPLOAD_FEATURES,
            key=f"{key}_features",
        )
        text = [c for c in candidates if c not in numeric]
        if numeric and text:
            one = len(text) == 1  # "Text column ... Encode it", not "columns ... them"
            st.caption(
                f"Text column{'' if one else 's'} not used as features: {', '.join(text[:8])}"
                + (" …" if len(text) > 8 else "")
                + f". Encode {'it' if one else 'them'} as numbers to use {'it' if one else 'them'}."
            )
        st.dataframe(frame.head(5), height=150)
        try:
            dataset, notes = _build(
                content, target, tuple(features), task, int(seed), upload.name, min_rows
            )
            if validate is not None:
                validate(dataset)
        except ValueError as err:
            st.error(plain(str(err)), icon=":material/error:")
            return None
        for note in notes:
            st.caption(note)
        n = len(dataset.y_train) + len(dataset.y_test)
        st.success(
            # "1 feature", not "1 features" (a file with one feature column; audit pass 54 c)
            f"Using {upload.name}: {n:,} rows, {dataset.n_features} "
            f"feature{'s' if dataset.n_features != 1 else ''}"
            + (f", {dataset.n_classes} classes." if dataset.n_classes else "."),
            icon=":material/check_circle:",
        )
        from ui.classroom import not_in_link  # ui.classroom imports nothing of ui.upload

        not_in_link("your uploaded file")  # the Share box says its link does not carry it
        specs = st.session_state.setdefault(_SPECS, {})
        specs[fingerprint(dataset)] = {
            "name": upload.name,
            "target": target,
            "features": list(features),
            "task": task,
            "seed": int(seed),
        }
        return dataset


def describe(dataset: Dataset) -> str:
    """'big.csv: 1,234 rows (863 train, 371 test), 7 features, 3 classes'."""
    n_train, n_test = len(dataset.y_train), len(dataset.y_test)
    text = (
        f"{dataset.name}: {n_train + n_test:,} rows ({n_train:,} train, {n_test:,} test), "
        f"{dataset.n_features} feature{'s' if dataset.n_features != 1 else ''}"
    )
    return text + (f", {dataset.n_classes} classes" if dataset.n_classes else "")


def show_data_in_use(
    dataset: Dataset, *, replaces: str, ignored: Sequence[str], prepare: Callable[[], tuple]
) -> tuple[str, ...]:
    """Say on the page which data the run uses, what it replaces and which controls are idle.

    Parameters
    ----------
    dataset : the uploaded Dataset in use.
    replaces : what the upload stands in for (e.g. "the 2-D set chosen in the sidebar").
    ignored : labels of the sidebar controls that have no effect while the file is in use.
    prepare : the experiment's ``prepare_data(config, dataset)`` as a callable: its notes (rows
        sampled, charts hidden) are shown; its ValueError is shown and stops the page.

    Returns
    -------
    The notes, as shown.
    """
    try:
        notes = tuple(prepare()[1])
    except ValueError as err:
        st.error(f"The experiment could not run: {err}", icon=":material/error:")
        st.stop()
    idle = ", ".join(f"'{label}'" for label in ignored)
    st.info(
        f"**Your data: {describe(dataset)}.** It replaces {replaces}"
        # one idle control "has" no effect ("'Data for the coefficient paths' have no effect"
        # on the regularization page; audit pass 54 c)
        + (
            f"; {idle} {'has' if len(ignored) == 1 else 'have'} no effect while the file is loaded."
            if idle
            else "."
        )
        + " Remove the file in the sidebar to go back.",
        icon=":material/upload_file:",
    )
    for note in dict.fromkeys(notes):
        st.caption(note)
    return notes
