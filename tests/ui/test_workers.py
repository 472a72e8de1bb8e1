"""ui.workers: a heavy run works in a child process, reports through a pipe, and dies with its page."""

import os
import sys
import time
import types

import pytest

from core.progress import Cancelled, listening, report
from ui import workers

pytestmark = pytest.mark.skipif(workers._CONTEXT is None, reason="fork is Linux-only here")

FAKE = "core.experiments._test_worker_lesson"


class _Unpicklable(Exception):
    def __init__(self, text, *, extra):  # keyword-only: pickle cannot rebuild it
        super().__init__(text)
        self.extra = extra


def _run(config, **data):
    if config == "pid":
        report(0.5, f"working in {os.getpid()}")
        return {"pid": os.getpid(), "data": data}
    if config == "refuse":
        raise ValueError("these settings are refused")
    if config == "odd error":
        raise _Unpicklable("odd", extra=1)
    if config == "crash":
        os._exit(3)
    if config == "forever":
        while True:
            report(None, f"pid {os.getpid()}")
            time.sleep(0.02)
    raise AssertionError(config)


@pytest.fixture(autouse=True)
def fake_lesson(monkeypatch):
    monkeypatch.setitem(sys.modules, FAKE, types.SimpleNamespace(run=_run))


def test_the_result_and_reports_come_back_from_another_process():
    seen = []
    with listening(lambda fraction, message: seen.append((fraction, message))):
        result = workers.run(FAKE.rsplit(".", 1)[1], "pid", {"data": [1, 2]})
    assert result["pid"] != os.getpid()
    assert result["data"] == {"data": [1, 2]}
    assert (0.5, f"working in {result['pid']}") in seen


def test_errors_come_back_with_their_type_and_text():
    with pytest.raises(ValueError, match="these settings are refused"):
        workers.run(FAKE.rsplit(".", 1)[1], "refuse", {})
    with pytest.raises(RuntimeError, match="_Unpicklable: odd"):
        workers.run(FAKE.rsplit(".", 1)[1], "odd error", {})


def test_a_child_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(RuntimeError, match="exit code 3"):
        workers.run(FAKE.rsplit(".", 1)[1], "crash", {})


def test_a_stopped_page_kills_its_run_at_once():
    pids = []

    def listener(fraction, message):
        if message.startswith("pid "):
            pids.append(int(message.split()[1]))
        if len(pids) >= 3:
            raise Cancelled

    start = time.perf_counter()
    with listening(listener), pytest.raises(Cancelled):
        workers.run(FAKE.rsplit(".", 1)[1], "forever", {})
    assert time.perf_counter() - start < 5
    with pytest.raises(ProcessLookupError):  # killed and reaped: no such process any more
        os.kill(pids[0], 0)


@pytest.mark.parametrize(("seconds", "elsewhere"), [(0.01, False), (30.0, True)])
def test_the_runner_sends_heavy_runs_to_a_child_and_keeps_light_ones(
    monkeypatch, seconds, elsewhere
):
    import ui.runner as runner

    lesson = types.SimpleNamespace(run=_run, estimated_seconds=lambda config: seconds)
    monkeypatch.setitem(sys.modules, FAKE, lesson)
    result = runner._run(FAKE.rsplit(".", 1)[1], "pid")
    assert (result["pid"] != os.getpid()) is elsewhere
