"""Heavy runs in a process of their own, so they never hold the server's interpreter.

Every session's script runs in one Python process, and only one thread of it runs Python at a
time (the GIL). A run that takes seconds in a thread of that process slows every other
session's page, however many cores the machine has: bench/hostile.py measured a light page 3.2x
slower under a hostile load with heavy runs in threads (the server used 1.06 of 2 cores).

Here a heavy run is a child process forked from the server: it starts at once with every module
already imported, works on a core of its own, reports its progress through a pipe (the page
shows it as before), and hands its result back pickled, as the cache stores it anyway. A page
that stops kills its child at once, and the child's memory goes back to the system when it
ends, so a run's temporaries never stay in the server.

Forking needs Linux (where the app is served); elsewhere, and where fork is refused, the run
happens in the calling thread as before.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import pickle
import sys
import warnings
from typing import Any

from threadpoolctl import threadpool_limits

from core.progress import listening, report

# How often the waiting thread checks that its page still wants the result (seconds).
POLL = 0.1
# How long a killed child may take to be reaped before the thread gives up waiting (seconds).
REAP = 2.0


def _context():
    """The fork start method on Linux, else None (macOS and Windows spawn, which re-imports)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


_CONTEXT = _context()


def _child(conn, module_name: str, config: Any, data: dict) -> None:
    """The run in the child: its reports and then its result (or error) go through ``conn``."""
    threadpool_limits(limits=1)  # as in the server: one BLAS/OpenMP thread per run

    def send_report(fraction: float | None, message: str) -> None:
        conn.send(("report", fraction, message))

    try:
        module = importlib.import_module(f"core.experiments.{module_name}")
        with listening(send_report):
            result = module.run(config, **data)
        conn.send(("result", result))
    except BrokenPipeError:  # the server stopped waiting: nobody to tell
        pass
    except Exception as err:
        try:
            pickle.loads(pickle.dumps(err))  # some exceptions pickle but cannot be rebuilt
        except Exception:
            err = RuntimeError(f"{type(err).__name__}: {err}")  # their text always can
        conn.send(("error", err))
    finally:
        conn.close()


def run(module_name: str, config: Any, data: dict) -> Any:
    """``core.experiments.<module_name>.run(config, **data)`` in a child process.

    Reports from the child reach this thread's listener; when that listener raises (the page
    stopped) the child is killed and the exception propagates. Where fork is not available
    the run happens here, in the calling thread.
    """
    if _CONTEXT is None:
        module = importlib.import_module(f"core.experiments.{module_name}")
        return module.run(config, **data)
    receive, send = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(send, module_name, config, data), name="lab-run", daemon=True
    )
    with warnings.catch_warnings():
        # Python 3.12+ warns on fork in a process with threads: the child only runs core's
        # NumPy code and writes to its pipe, and touches no lock another thread may hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    send.close()  # the child holds the only writing end: its exit ends the pipe
    try:
        return _wait(receive, process)
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        with contextlib.suppress(Exception):
            process.join(REAP)


def _wait(receive, process) -> Any:
    while True:
        if not receive.poll(POLL):
            report(None, "")  # raises Cancelled once the page has stopped
            continue
        try:
            kind, *payload = receive.recv()
        except EOFError:
            process.join(REAP)
            raise RuntimeError(
                f"The run's process ended without a result (exit code {process.exitcode})."
            ) from None
        if kind == "report":
            report(*payload)
        elif kind == "result":
            return payload[0]
        else:
            raise payload[0]
