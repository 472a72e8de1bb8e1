"""Every run in a process of its own, so no run holds the server's interpreter or its memory.

Every session's script runs in one Python process, and only one thread of it runs Python at a
time (the GIL). A run that takes seconds in a thread of that process slows every other
session's page, however many cores the machine has: bench/hostile.py measured a light page 3.2x
slower under a hostile load with heavy runs in threads (the server used 1.06 of 2 cores).

Here a run is a child process: it works on a core of its own, reports its progress through
a pipe (the page shows it as before), and hands its result back pickled, as the cache stores it
anyway. A page that stops kills its child at once, and the child's memory goes back to the
system when it ends, so a run's temporaries never stay in the server, and neither do the
libraries only runs need: scikit-learn and LightGBM are imported by the child that fits (the
lesson modules import them inside their fitting functions), never by the server
(``tests/app/test_server_imports.py``).

Children come from multiprocessing's fork server, a small single-threaded process started with
the first run that has imported every lesson (``core.experiments.*``: NumPy, pandas and the lab's
own code) ahead, so a child starts in milliseconds. Children are never forked from the server
itself: its other threads may hold a lock (OpenBLAS's, mid-call) at the moment of the fork, and
the child then waits on it forever (1 fork in 60 hung so while three threads multiplied matrices).

The fork server needs Linux (where the app is served); elsewhere the run happens in the
calling thread.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import multiprocessing
import os
import pickle
import pkgutil
import sys
import threading
import types
from typing import Any

from threadpoolctl import threadpool_limits

from core.progress import listening, report

# One BLAS / OpenMP thread per run: a class's runs share the cores (ui.process applies it to the server).
THREADS_PER_RUN = 1
# How often the waiting thread checks that its page still wants the result (seconds).
POLL = 0.1
# How long a killed child may take to be reaped before the thread gives up waiting (seconds).
REAP = 2.0


def lesson_modules() -> list[str]:
    """``core.experiments.<lesson>`` for every lesson package: what the fork server imports."""
    import core.experiments

    return [
        f"core.experiments.{info.name}"
        for info in pkgutil.iter_modules(core.experiments.__path__)
        if info.ispkg
    ]


def _context():
    """multiprocessing's fork server on Linux, with every lesson imported ahead; else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:
        return None
    context.set_forkserver_preload(["ui.workers", *lesson_modules()])
    return context


_CONTEXT = _context()


# A stand-in for ``sys.modules["__main__"]`` while a process starts (see _starting).
_ENTRY = types.ModuleType("__main__")
_ENTRY.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
_STARTING = threading.Lock()
# The environment the fork server starts with: its BLAS and OpenMP libraries load with
# THREADS_PER_RUN threads, so a child need not resize their pools (openblas_set_num_threads in
# each child cost 80 ms before a 50 ms run: gradient descent's default took 0.13 s, now 0.05 s).
ONE_THREAD = {
    name: str(THREADS_PER_RUN)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
}


@contextlib.contextmanager
def _starting():
    """While a process starts: a ``__main__`` that multiprocessing will not run again in it, and
    ``ONE_THREAD`` in the environment (which the fork server, started by the first run, keeps).

    multiprocessing re-runs the file of ``sys.modules["__main__"]`` in every new process. In the
    served app that module is the page script Streamlit ran last (it sets ``__main__`` before
    each script run), which must not run in the fork server or in a run's child. A ``__main__``
    whose spec is named ``__main__`` is skipped. Streamlit runs scripts in their own module's
    dict and never reads ``sys.modules["__main__"]`` back, so the brief swap (the start of one
    process, a few ms, one at a time) changes nothing for the pages.
    """
    with _STARTING:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = _ENTRY
        saved = {name: os.environ.get(name) for name in ONE_THREAD}
        os.environ.update(ONE_THREAD)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            if sys.modules.get("__main__") is _ENTRY:  # a script run may have set its own
                sys.modules["__main__"] = main


def _child(conn, module: str, config: Any, data: dict) -> None:
    """The run in the child: its reports and then its result (or error) go through ``conn``."""
    threadpool_limits(limits=THREADS_PER_RUN)  # as the fork server started: no change

    def send_report(fraction: float | None, message: str) -> None:
        conn.send(("report", fraction, message))

    try:
        lesson = importlib.import_module(module)
        with listening(send_report):
            result = lesson.run(config, **data)
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


def run(module: str, config: Any, data: dict) -> Any:
    """``<module>.run(config, **data)`` in a child process (``module`` a dotted name, such as
    ``core.experiments.trees``).

    Reports from the child reach this thread's listener; when that listener raises (the page
    stopped) the child is killed and the exception propagates. Where fork is not available
    the run happens here, in the calling thread.
    """
    if _CONTEXT is None:
        return importlib.import_module(module).run(config, **data)
    receive, send = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(send, module, config, data), name="lab-run", daemon=True
    )
    with _starting():  # the first start also starts the fork server, under the same swap
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
