"""Cached, error-reporting calls from a page into core.experiments."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.experiments.budget import format_seconds
from ui.classroom import register_experiment
from ui.text import plain
from ui.upload import fingerprint, spec_of


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_run(module_name: str, config: Any):
    module = importlib.import_module(f"core.experiments.{module_name}")
    return module.run(config)


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_run_on_data(module_name: str, config: Any, data_key: str, _data):
    module = importlib.import_module(f"core.experiments.{module_name}")
    return module.run(config, data=_data)


def build_config(factory: Callable[..., Any], **values):
    """Build a validated Config from widget values, or show the reason and stop the page."""
    try:
        return factory(**values)
    except ValueError as err:
        st.error(f"These settings can't run: {plain(str(err))}", icon=":material/error:")
        st.stop()


# Runs estimated shorter than this get no estimate in their spinner (it would barely show).
SHOW_ESTIMATE_FROM = 1.0


def with_estimate(text: str, seconds: float | None) -> str:
    """``"Running the experiment…"`` -> ``"Running the experiment (about 3 s)…"`` for runs >= 1 s."""
    if seconds is None or not seconds >= SHOW_ESTIMATE_FROM:
        return text
    stem = text.removesuffix("…").removesuffix("...")
    return f"{stem} (about {format_seconds(seconds)})…"


def estimate(module_name: str, config: Any) -> float | None:
    """The module's ``estimated_seconds(config)``, or None if it has none."""
    module = importlib.import_module(f"core.experiments.{module_name}")
    estimator = getattr(module, "estimated_seconds", None)
    return None if estimator is None else float(estimator(config))


def run_experiment(
    module_name: str, config: Any, *, spinner: str = "Running the experiment…", data=None
):
    """``core.experiments.<module_name>.run(config)``, cached per config; a ValueError is shown, not raised.

    ``data`` (an uploaded Dataset) is passed on as ``run(config, data=data)``; those runs are
    cached by the data's content hash and the export snippet loads the same file.

    The spinner says how long the run should take (``estimated_seconds`` of the module) when that
    is a second or more; Streamlit shows a spinner only after half a second, so a cached result
    never shows one.
    """
    try:
        with st.spinner(with_estimate(spinner, estimate(module_name, config))):
            if data is None:
                result = _cached_run(module_name, config)
            else:
                # uploaded data is keyed by its content hash (the arrays themselves are not hashed)
                result = _cached_run_on_data(module_name, config, fingerprint(data), data)
        spec = spec_of(data) or (None if data is None else {"name": data.name})
        register_experiment(module_name, config, result, spec)
        return result
    except ValueError as err:
        st.error(f"The experiment could not run: {plain(str(err))}", icon=":material/error:")
        st.stop()
