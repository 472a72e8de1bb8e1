"""ui.workers: a heavy run works in a child process, reports through a pipe, and dies with its page."""

import os
import sys
import time
import types

import pytest

import ui.runner as runner
from core.progress import Cancelled, listening
from ui import workers

pytestmark = pytest.mark.skipif(workers._CONTEXT is None, reason="the fork server is Linux-only")

LESSON = "tests.ui.worker_lesson"


def test_the_result_and_reports_come_back_from_another_process():
    seen = []
    with listening(lambda fraction, message: seen.append((fraction, message))):
        result = workers.run(LESSON, "pid", {"data": [1, 2]})
    assert result["pid"] != os.getpid()
    assert result["data"] == {"data": [1, 2]}
    assert (0.5, f"working in {result['pid']}") in seen


def test_errors_come_back_with_their_type_and_text():
    with pytest.raises(ValueError, match="these settings are refused"):
        workers.run(LESSON, "refuse", {})
    with pytest.raises(RuntimeError, match="Unpicklable: odd"):
        workers.run(LESSON, "odd error", {})


def test_a_child_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(RuntimeError, match="exit code 3"):
        workers.run(LESSON, "crash", {})


def test_a_stopped_page_kills_its_run_at_once():
    pids = []

    def listener(fraction, message):
        if message.startswith("pid "):
            pids.append(int(message.split()[1]))
        if len(pids) >= 3:
            raise Cancelled

    start = time.perf_counter()
    with listening(listener), pytest.raises(Cancelled):
        workers.run(LESSON, "forever", {})
    assert time.perf_counter() - start < 10
    with pytest.raises(ProcessLookupError):  # killed and reaped: no such process any more
        os.kill(pids[0], 0)


def test_runs_start_with_one_blas_thread_without_changing_the_servers_environment():
    """The fork server starts with one BLAS/OpenMP thread in its environment, so a child need not
    resize the pools (80 ms before every run); the server's own environment is left as it was."""
    before = os.environ.get("OPENBLAS_NUM_THREADS")
    seen = workers.run(LESSON, "threads", {})
    assert seen["pools"] == [workers.THREADS_PER_RUN]
    assert seen["env"] == str(workers.THREADS_PER_RUN) or workers._CONTEXT is None
    assert os.environ.get("OPENBLAS_NUM_THREADS") == before


def test_the_fork_server_has_every_lesson_imported_ahead():
    names = workers.lesson_modules()
    assert "core.experiments.trees" in names and "core.experiments.gradient_descent" in names
    assert all(name.startswith("core.experiments.") for name in names)


@pytest.mark.parametrize(("seconds", "heavy"), [(0.01, False), (30.0, True)])
def test_the_runner_sends_every_run_to_a_child_heavy_ones_through_a_slot(
    monkeypatch, seconds, heavy
):
    """The server process computes no run (so it never imports what runs need); a heavy run
    holds one of the admission slots while it works, a light one does not wait for one."""
    fake = "core.experiments._test_routing"
    lesson = types.SimpleNamespace(run=lambda config: "here", estimated_seconds=lambda c: seconds)
    monkeypatch.setitem(sys.modules, fake, lesson)
    sent = []

    def child(module, config, data):
        sent.append((module, runner.ADMISSION.running))
        return "child"

    monkeypatch.setattr(workers, "run", child)
    assert runner._run("_test_routing", "config") == "child"
    assert sent == [(fake, 1 if heavy else 0)]
