"""Export at the bottom of a lesson: the Python that reproduces each run, and its tables as CSV."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pandas as pd
import streamlit as st

from ui.classroom import experiments

# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection): text
# cells and column names that do are written with a leading apostrophe, as OWASP recommends.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def tables(result) -> dict[str, pd.DataFrame]:
    """Every DataFrame field of a result, by name."""
    if not dataclasses.is_dataclass(result):
        return {}
    return {
        f.name: getattr(result, f.name)
        for f in dataclasses.fields(result)
        if isinstance(getattr(result, f.name), pd.DataFrame)
    }


def _neutral(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV, with text that a spreadsheet would run as a formula made inert.

    Only text is changed (a column name, or a cell of a text column); numbers, negative ones
    included, are written as they are.
    """
    out = frame.rename(columns=lambda c: _neutral(str(c)))
    text = [
        c for c in out.columns if out[c].dtype == object or pd.api.types.is_string_dtype(out[c])
    ]
    if text:
        out = out.assign(**{c: out[c].map(_neutral) for c in text})
    return out.to_csv(index=False)


def csv_zip(result) -> bytes:
    """Every table of a result as one CSV file each, in a zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables(result).items():
            archive.writestr(f"{name}.csv", safe_csv(frame))
    return buffer.getvalue()


def _load_snippet(data: dict) -> str:
    """Lines that rebuild an uploaded dataset from the user's own copy of the file."""
    name = data.get("name") or "your_data.csv"
    if data.get("target") is None:  # data passed without an upload record
        return (
            f"# EDIT: this run used a Dataset passed in Python ({name!r}); build it again here.\n"
            "data = ...\n"
        )
    features = data.get("features") or []
    return (
        "# Your own data: the app does not keep uploaded files, so point this at your copy.\n"
        f"CSV_PATH = {name!r}  # EDIT: the path of your CSV file\n"
        'with open(CSV_PATH, "rb") as file:\n'
        "    frame = read_csv_upload(file.read())\n"
        "data, notes = dataset_from_frame(\n"
        "    frame,\n"
        f"    target={data['target']!r},\n"
        f"    features={features!r},\n"
        f"    task={data.get('task', 'classification')!r},\n"
        f"    seed={data.get('seed', 0)!r},\n"
        f"    name={name!r},\n"
        ")\n"
    )


def _changed(config) -> dict:
    return {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.init and getattr(config, f.name) != f.default
    }


def snippet(module_name: str, config, data: dict | None = None, *, has_facts: bool = False) -> str:
    """Python that reproduces a run with the core API (the same numbers as the page).

    It runs from any folder once the lab is installed (``pip install -e .``). With ``data`` (how
    an uploaded file was read) the snippet loads the user's CSV from a path the user edits. It
    ends by printing what the page says about the run (its facts) and the size of each table.
    """
    args = ", ".join(f"{k}={v!r}" for k, v in _changed(config).items())
    head = f"from core.experiments import {module_name}\n"
    call = f"result = {module_name}.run(config)\n"
    if data is not None:
        head += "from core.upload import dataset_from_frame, read_csv_upload\n\n" + _load_snippet(
            data
        )
        call = f"result = {module_name}.run(config, data=data)\n"
    show = ""
    if has_facts:
        show += f"for fact in {module_name}.facts(config, result):\n    print('-', fact.text)\n"
    show += (
        "for field in result.__dataclass_fields__:\n"
        "    value = getattr(result, field)\n"
        "    if hasattr(value, 'shape'):\n"
        # a table or an array (loss_functions' probabilities are NumPy arrays, not DataFrames)
        "        print(field, type(value).__name__, value.shape)  # result.<field>\n"
    )
    return f"{head}\nconfig = {module_name}.{type(config).__name__}({args})\n{call}{show}"


def run_labels(runs: list[tuple]) -> list[str]:
    """One label per run that says what sets it apart: the settings that differ between runs."""
    configs = [config for _, config, *_ in runs]
    labels = []
    for i, (module_name, config, *_rest) in enumerate(runs):
        fields = [f.name for f in dataclasses.fields(config) if f.init]
        varying = [
            name
            for name in fields
            if any(
                type(other) is type(config) and getattr(other, name) != getattr(config, name)
                for other in configs
            )
        ]
        what = ", ".join(f"{name} = {getattr(config, name)!r}" for name in varying)
        kind = type(config).__name__
        detail = what or ("" if kind == "Config" else kind)
        labels.append(f"{i + 1}. {module_name}" + (f": {detail}" if detail else ""))
    return labels


def export_footer() -> None:
    """Reproduce-in-Python snippet and CSV downloads for the experiments this page ran."""
    runs = experiments()
    if not runs:
        return
    st.divider()
    with st.expander(
        "Export: reproduce this run in Python, download the numbers", icon=":material/download:"
    ):
        index = 0
        if len(runs) > 1:
            labels = run_labels(runs)
            index = st.selectbox(
                "Run",
                range(len(runs)),
                format_func=lambda i: labels[i],
                key="_lab_export_run",
                help="This page ran several experiments; pick the one to export.",
            )
        module_name, config, result, data = runs[index]
        module = __import__(f"core.experiments.{module_name}", fromlist=["facts"])
        code = snippet(module_name, config, data, has_facts=hasattr(module, "facts"))
        st.caption("Runs from any folder once the lab is installed (`pip install -e .`).")
        st.code(code, language="python")
        found = tables(result)
        if not found:
            return
        cols = st.columns([2, 1, 1])
        name = cols[0].selectbox(
            "Table", list(found), key="_lab_export_table", label_visibility="collapsed"
        )
        # Callables: the files are written when a button is clicked, not on every rerun.
        table = found[name]
        cols[1].download_button(
            f"{name}.csv",
            data=lambda: safe_csv(table),
            file_name=f"{module_name}_{name}.csv",
            mime="text/csv",
            on_click="ignore",
            key="_lab_export_csv",
            icon=":material/table_view:",
        )
        cols[2].download_button(
            "all tables (.zip)",
            data=lambda: csv_zip(result),
            file_name=f"{module_name}.zip",
            mime="application/zip",
            on_click="ignore",
            key="_lab_export_zip",
            icon=":material/folder_zip:",
        )
