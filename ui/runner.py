"""Cached, error-reporting calls from a page into core.experiments."""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import importlib
import os
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.experiments.budget import format_seconds
from core.progress import Cancelled, listening, report
from ui import memory, precompute, workers
from ui.classroom import register_experiment
from ui.text import plain
from ui.upload import fingerprint, spec_of

# Runs estimated at this many seconds or more wait for one of RUN_SLOTS before they start: a
# class opening heavy settings at once queues instead of thrashing the cores. One core is left
# to the light pages (all cores on a 1-core machine): with a slot per core, heavy runs and the
# light page's script share one interpreter, and bench/hostile.py measured a light page 4.3 to
# 5.7x slower under a hostile load with 2 slots on 2 cores, 3.5 to 4.1x with 1 slot (3 pairs,
# each pair in one run).
HEAVY_SECONDS = 0.5
RUN_SLOTS = max(1, (os.cpu_count() or 1) - 1)


class Admission:
    """At most ``slots`` heavy runs at once in this server process; the rest wait in line.

    A waiting run reports its place through ``core.progress.report`` (the page shows it) and
    leaves the line as soon as its page stops (the report raises ``Cancelled``).
    """

    def __init__(self, slots: int):
        self.slots = slots
        self.running = 0
        self.line: list[object] = []
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def slot(self, estimate: float):
        ticket = object()
        with self._cond:
            self.line.append(ticket)
            try:
                while self.running >= self.slots or self.line[0] is not ticket:
                    ahead = self.line.index(ticket) + self.running
                    report(None, f"waiting for a free slot: {ahead} run(s) ahead of yours")
                    self._cond.wait(timeout=PROGRESS_POLL)
            except BaseException:
                self.line.remove(ticket)
                self._cond.notify_all()
                raise
            self.line.pop(0)
            self.running += 1
        try:
            yield
        finally:
            with self._cond:
                self.running -= 1
                self._cond.notify_all()


ADMISSION = Admission(RUN_SLOTS)


def _run(module_name: str, config: Any, **data):
    """The run itself (a cache miss): from the precomputed store when it has it (defaults and
    presets, ``ui.precompute``), else computed in a process of its own (``ui.workers``), heavy
    runs after waiting for a slot. The server process never computes a run: it never holds the
    interpreter for one, and it never imports what only runs need (scikit-learn, LightGBM)."""
    if not data:
        stored = precompute.load(module_name, config)
        if stored is not None:
            return stored
    seconds = estimate(module_name, config) or 0.0
    heavy = ADMISSION.slot(seconds) if seconds >= HEAVY_SECONDS else contextlib.nullcontext()
    with heavy:
        result = workers.run(f"core.experiments.{module_name}", config, data)
    if not data and precompute.writing():
        precompute.save(module_name, config, result)
    memory.release_free_memory()  # the run's temporaries are gone: give their pages back
    return result


# Results are kept per setting, bounded in entries and in bytes (their pickled size), so a
# class exploring hundreds of settings cannot grow the server without bound (bench/memory.py).
@st.cache_data(max_entries=64, max_size="80MB", show_spinner=False)
def _cached_run(module_name: str, config: Any):
    return _run(module_name, config)


@st.cache_data(max_entries=16, max_size="50MB", show_spinner=False)
def _cached_run_on_data(module_name: str, config: Any, data_key: str, _data):
    return _run(module_name, config, data=_data)


# How often the page redraws a progress bar while a run works in its own thread (seconds).
PROGRESS_POLL = 0.1


def _in_thread(call: Callable, label: str):
    """``call()`` in a thread of its own while this script shows how it goes.

    Every run takes this one route. The run's ``core.progress.report`` calls reach a listener
    that only records them (nothing is drawn inside the cached call, which Streamlit would
    replay); the script polls every PROGRESS_POLL s and, once the run is not answered from the
    cache at once, shows a progress bar with the label and the run's last message. When the
    script stops before the run ends (a new setting, a closed tab), the run's next report raises
    ``Cancelled``: no run outlives the page that asked for it, and nothing is cached.
    """
    state = {"fraction": 0.0, "message": "", "stop": False}

    def listener(fraction: float | None, message: str) -> None:
        if state["stop"]:
            raise Cancelled
        if fraction is not None:
            state["fraction"] = float(fraction)
        if message:
            state["message"] = message

    future: concurrent.futures.Future = concurrent.futures.Future()

    def work():
        try:
            with listening(listener):
                future.set_result(call())
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
                text = f"{label} {state['message']}".strip()
                bar.progress(min(1.0, max(0.0, state["fraction"])), text=text)
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


def estimate(module_name: str, config: Any, data=None) -> float | None:
    """The module's ``estimated_seconds(config)``, or None if it has none. With an uploaded
    ``data``, the module's ``estimated_seconds_on_upload(config, data)`` where it has one: its
    Config prices the bundled set the upload replaces (the trees page said "about 1 s" of a run
    on a 30-feature file estimated at 6 s; audit pass 53)."""
    module = importlib.import_module(f"core.experiments.{module_name}")
    on_upload = getattr(module, "estimated_seconds_on_upload", None)
    if data is not None and on_upload is not None:
        return float(on_upload(config, data))
    estimator = getattr(module, "estimated_seconds", None)
    return None if estimator is None else float(estimator(config))


def run_key(module_name: str, config: Any) -> Any:
    """The Config a run is cached and stored under.

    A lesson module may name Config fields its ``run`` does not read in ``RUN_IGNORES`` (the
    imbalance lesson's threshold: the page applies it to the run's stored scores). They are set
    to their defaults here, so moving such a control reuses the cached run instead of starting
    one; the export still reproduces the whole Config.
    """
    module = importlib.import_module(f"core.experiments.{module_name}")
    ignored = getattr(module, "RUN_IGNORES", ())
    if not ignored or not dataclasses.is_dataclass(config):
        return config
    defaults = type(config)()
    return dataclasses.replace(config, **{name: getattr(defaults, name) for name in ignored})


def run_experiment(
    module_name: str,
    config: Any,
    *,
    spinner: str = "Running the experiment…",
    data=None,
):
    """``core.experiments.<module_name>.run(config)``, cached per config; a ValueError is shown, not raised.

    ``data`` (an uploaded Dataset) is passed on as ``run(config, data=data)``; those runs are
    cached by the data's content hash and the export snippet loads the same file. Runs are
    cached under :func:`run_key` (without the fields the run does not read).

    A run that is not answered from the cache at once shows a progress bar whose text says how
    long it should take (``estimated_seconds`` of the module, from a second up), its place in
    line when the server is busy, and what it reports; it stops when the page does (see
    :func:`_in_thread`).
    """
    label = with_estimate(spinner, estimate(module_name, config, data))
    key = run_key(module_name, config)

    def call():
        if data is None:
            return _cached_run(module_name, key)
        # uploaded data is keyed by its content hash (the arrays themselves are not hashed)
        return _cached_run_on_data(module_name, key, fingerprint(data), data)

    try:
        result = _in_thread(call, label)
        spec = spec_of(data) or (None if data is None else {"name": data.name})
        register_experiment(module_name, config, result, spec)
        return result
    except ValueError as err:
        st.error(f"The experiment could not run: {plain(str(err))}", icon=":material/error:")
        st.stop()
