"""ui.runner's progress route: the run works in its own thread and stops when the page does."""

import threading
import time

import pytest

import ui.runner as runner


class _Stopped(Exception):
    """Stands in for Streamlit stopping the script (a rerun, a closed tab)."""


def test_the_result_and_errors_come_back_to_the_page():
    assert runner._with_progress(lambda progress: progress(1.0, "done") or 42, "Running…") == 42

    def fails(progress):
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        runner._with_progress(fails, "Running…")


def test_a_run_stops_at_its_next_report_once_the_page_stops(monkeypatch):
    class Bar:
        def progress(self, *_args, **_kwargs):
            raise _Stopped  # the page stops while the run is still working

        def empty(self):
            pass

    monkeypatch.setattr(runner.st, "empty", Bar)
    seen = {}
    finished = threading.Event()

    def slow(progress):
        try:
            for step in range(100):
                progress(step / 100, f"step {step}")
                time.sleep(0.05)
            seen["outcome"] = "ran to the end"
        except runner.Cancelled:
            seen["outcome"] = "cancelled"
            raise
        finally:
            finished.set()

    with pytest.raises(_Stopped):
        runner._with_progress(slow, "Running…")
    assert finished.wait(5)
    assert seen["outcome"] == "cancelled"
