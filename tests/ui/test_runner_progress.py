"""ui.runner's one route: every run works in its own thread, reports through core.progress, waits
for a free slot when heavy, and stops when the page does."""

import threading
import time

import pytest

import ui.runner as runner
from core.progress import Cancelled, report


class _Stopped(Exception):
    """Stands in for Streamlit stopping the script (a rerun, a closed tab)."""


def test_the_result_and_errors_come_back_to_the_page():
    assert runner._in_thread(lambda: report(1.0, "done") or 42, "Running…") == 42

    def fails():
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        runner._in_thread(fails, "Running…")


class _Bar:
    def progress(self, *_args, **_kwargs):
        raise _Stopped  # the page stops while the run is still working

    def empty(self):
        pass


def test_a_run_stops_at_its_next_report_once_the_page_stops(monkeypatch):
    monkeypatch.setattr(runner.st, "empty", _Bar)
    seen = {}
    finished = threading.Event()

    def slow():
        try:
            for step in range(100):
                report(step / 100, f"step {step}")
                time.sleep(0.05)
            seen["outcome"] = "ran to the end"
        except Cancelled:
            seen["outcome"] = "cancelled"
            raise
        finally:
            finished.set()

    with pytest.raises(_Stopped):
        runner._in_thread(slow, "Running…")
    assert finished.wait(5)
    assert seen["outcome"] == "cancelled"


def test_heavy_runs_wait_in_line_and_a_stopped_page_leaves_the_line(monkeypatch):
    admission = runner.Admission(slots=1)
    release, started, order = threading.Event(), threading.Event(), []

    def first():
        with admission.slot(5.0):
            order.append("first")
            started.set()
            release.wait(5)

    holder = threading.Thread(target=first)
    holder.start()
    assert started.wait(5)
    # a second run waits, reporting its place, and leaves the line when its page stops
    monkeypatch.setattr(runner.st, "empty", _Bar)

    def second():
        with admission.slot(5.0):
            order.append("second")

    with pytest.raises(_Stopped):
        runner._in_thread(second, "Running…")
    time.sleep(0.3)
    assert admission.line == [] and order == ["first"]
    release.set()
    holder.join(5)
    assert admission.running == 0
    with admission.slot(1.0):  # the slot is free again
        order.append("third")
    assert order == ["first", "third"]


def test_waiting_runs_are_told_their_place():
    admission = runner.Admission(slots=1)
    messages = []
    release, started = threading.Event(), threading.Event()

    def hold():
        with admission.slot(5.0):
            started.set()
            release.wait(5)

    threading.Thread(target=hold).start()
    assert started.wait(5)

    def listener(fraction, message):
        messages.append(message)
        if len(messages) >= 2:
            release.set()

    from core.progress import listening

    with listening(listener), admission.slot(5.0):
        pass
    assert messages[0] == "waiting for a free slot: 1 run(s) ahead of yours"
