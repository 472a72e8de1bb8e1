"""Cached, error-reporting calls from a page into core.experiments."""

from __future__ import annotations

import concurrent.futures
import importlib
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.experiments.budget import format_seconds
from ui.classroom import register_experiment
from ui.text import plain
from ui.upload import fingerprint, spec_of


def _run(module_name: str, config: Any, progress, **data):
    module = importlib.import_module(f"core.experiments.{module_name}")
    if progress is None:
        return module.run(config, **data)
    return module.run(config, progress=progress, **data)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_run(module_name: str, config: Any, _progress=None):
    return _run(module_name, config, _progress)


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_run_on_data(module_name: str, config: Any, data_key: str, _data, _progress=None):
    return _run(module_name, config, _progress, data=_data)


class Cancelled(Exception):
    """Raised inside a run by its progress callback once the page that asked for it stopped."""


# How often the page redraws a progress bar while a run works in its own thread (seconds).
PROGRESS_POLL = 0.1


def _with_progress(call: Callable, label: str):
    """``call(progress)`` in a thread of its own while this script draws its progress bar.

    ``progress(fraction, message)`` (what ``run`` reports) only records the figures, so nothing
    is drawn inside the cached call (Streamlit would replay it); the script polls them every
    PROGRESS_POLL s and shows the bar once the run is not answered from the cache at once. When
    the script stops before the run ends (a new setting, a closed tab), the run's next report
    raises :class:`Cancelled`: no run outlives the page that asked for it, and nothing is cached.
    """
    state = {"fraction": 0.0, "message": "", "stop": False}

    def progress(fraction: float, message: str) -> None:
        if state["stop"]:
            raise Cancelled
        state.update(fraction=float(fraction), message=message)

    future: concurrent.futures.Future = concurrent.futures.Future()

    def work():
        try:
            future.set_result(call(progress))
        except BaseException as err:  # handed to the script thread, which raises it
            future.set_exception(err)

    threading.Thread(target=work, name="lab-run", daemon=True).start()
    bar = None
    try:
        while True:
            try:
                return future.result(timeout=PROGRESS_POLL)
            except concurrent.futures.TimeoutError:
                if bar is None:
                    bar = st.empty()
                bar.progress(
                    min(1.0, state["fraction"]), text=f"{label} {state['message']}".strip()
                )
    finally:
        state["stop"] = True
        if bar is not None:
            bar.empty()


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
    module_name: str,
    config: Any,
    *,
    spinner: str = "Running the experiment…",
    data=None,
    progress: bool = False,
):
    """``core.experiments.<module_name>.run(config)``, cached per config; a ValueError is shown, not raised.

    ``data`` (an uploaded Dataset) is passed on as ``run(config, data=data)``; those runs are
    cached by the data's content hash and the export snippet loads the same file.

    The spinner says how long the run should take (``estimated_seconds`` of the module) when that
    is a second or more; Streamlit shows a spinner only after half a second, so a cached result
    never shows one. With ``progress=True`` (for a module whose ``run`` takes
    ``progress(fraction, message)``) a progress bar with that text replaces the spinner, and the
    run stops when the page does (see :func:`_with_progress`); the cache is the same.
    """
    label = with_estimate(spinner, estimate(module_name, config))

    def call(report=None):
        if data is None:
            return _cached_run(module_name, config, report)
        # uploaded data is keyed by its content hash (the arrays themselves are not hashed)
        return _cached_run_on_data(module_name, config, fingerprint(data), data, report)

    try:
        if progress:
            result = _with_progress(call, label)
        else:
            with st.spinner(label):
                result = call()
        spec = spec_of(data) or (None if data is None else {"name": data.name})
        register_experiment(module_name, config, result, spec)
        return result
    except ValueError as err:
        st.error(f"The experiment could not run: {plain(str(err))}", icon=":material/error:")
        st.stop()
